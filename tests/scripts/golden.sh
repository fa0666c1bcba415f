#!/bin/bash
# Golden end-to-end tests. Every tests/golden/<case>/ directory holds
#   cmd           moongate's arguments on one line (shell quoting; paths relative to the case)
#   expected.out  standard output, byte for byte
#   expected.err  standard error, byte for byte (optional: absent means "not compared")
#   expected.rc   the exit code
#   stdin         what standard input gives (optional: /dev/null otherwise)
# plus the case's inputs and policies. Each case runs from its own directory with a fixed
# environment (no colour variables, C locale). A failing case prints the diff.
#
# MOONGATE_GOLDEN_UPDATE=1 rewrites the expectations from the current binary (review the
# diff before committing); MOONGATE_GOLDEN_CASE=glob runs only the matching cases.
set -u
bin=${MOONGATE_BIN:?MOONGATE_BIN must name the moongate binary}
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
[ -x "$bin" ] || { echo "'$bin' is not an executable moongate"; exit 1; }
src=${MOONGATE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
root=$src/tests/golden
update=${MOONGATE_GOLDEN_UPDATE:-0}
only=${MOONGATE_GOLDEN_CASE:-*}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs one case; leaves out, err and rc in $work.
run_case() {
	local dir=$1 args input=/dev/null
	args=$(head -n 1 "$dir/cmd")
	[ -f "$dir/stdin" ] && input=$dir/stdin
	(
		cd "$dir" || exit 125
		eval "set -- $args"
		env -u NO_COLOR -u CLICOLOR -u CLICOLOR_FORCE LC_ALL=C TERM=dumb \
			"$bin" "$@" >"$work/out" 2>"$work/err" <"$input"
		echo $? >"$work/rc"
	)
}

# Compares one produced file with its expectation; prints a diff on mismatch.
compare() {
	local name=$1 expected=$2 got=$3
	if ! cmp -s "$expected" "$got"; then
		echo "--- $name: $(basename "$expected") differs"
		diff -u "$expected" "$got" | head -n 60
		return 1
	fi
}

total=0
failed=0
for dir in "$root"/*/; do
	dir=${dir%/}
	name=$(basename "$dir")
	[ -f "$dir/cmd" ] || continue
	# shellcheck disable=SC2254
	case $name in $only) ;; *) continue ;; esac
	total=$((total + 1))
	run_case "$dir"
	if [ "$update" = 1 ]; then
		cp "$work/out" "$dir/expected.out"
		cp "$work/rc" "$dir/expected.rc"
		if [ -s "$work/err" ] || [ -f "$dir/expected.err" ]; then
			cp "$work/err" "$dir/expected.err"
		fi
		continue
	fi
	ok=1
	compare "$name" "$dir/expected.out" "$work/out" || ok=0
	compare "$name" "$dir/expected.rc" "$work/rc" || ok=0
	if [ -f "$dir/expected.err" ]; then
		compare "$name" "$dir/expected.err" "$work/err" || ok=0
	fi
	if [ $ok = 0 ]; then
		failed=$((failed + 1))
		echo "FAIL $name (moongate $(head -n 1 "$dir/cmd"))"
	fi
done

if [ "$update" = 1 ]; then
	echo "golden: updated $total cases; review 'git diff tests/golden' before committing"
	exit 0
fi
echo "golden: $total cases, $failed failed"
[ "$total" -gt 0 ] && [ "$failed" -eq 0 ]
