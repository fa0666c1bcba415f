#!/bin/bash
# Command-line behaviour that golden files cannot pin down: versions of the linked libraries,
# help for every command, write errors, colour on a terminal, byte-identical JSON reports.
set -u
bin=${MOONGATE_BIN:?MOONGATE_BIN must name the moongate binary}
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
[ -x "$bin" ] || { echo "'$bin' is not an executable moongate"; exit 1; }
src=${MOONGATE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
case_dir=$src/tests/golden/text-findings
failures=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# expect_rc CODE COMMAND...: runs the command (output discarded) and checks its exit code.
expect_rc() {
	local want=$1 got
	shift
	"$@" >/dev/null 2>&1
	got=$?
	[ "$got" = "$want" ] || fail "'$*' exited $got, expected $want"
}

version=$("$bin" version | head -n 1)
[[ $version =~ ^moongate\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "version line: '$version'"
[ "$("$bin" --version | head -n 1)" = "$version" ] || fail "--version differs from version"
"$bin" version | sed -n 2p | grep -q '^built with Lua 5\.4' || fail "version names no Lua"

commands=$("$bin" --help | sed -n '/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p')
[ "$(wc -w <<<"$commands")" -ge 6 ] || fail "--help lists too few commands: $commands"
for cmd in $commands; do
	out=$("$bin" help "$cmd") || fail "help $cmd exited non-zero"
	[[ $out == "usage: moongate $cmd"* ]] || fail "help $cmd does not start with its usage"
	[ "$("$bin" "$cmd" --help)" = "$out" ] || fail "$cmd --help differs from help $cmd"
	grep -q -- '--help' <<<"$out" || fail "help $cmd lists no --help"
done
expect_rc 0 "$bin" --help
expect_rc 2 "$bin" help nosuchcommand
expect_rc 2 "$bin" check --no-such-option
expect_rc 2 "$bin" check --format
expect_rc 2 "$bin" check --quiet=yes
expect_rc 2 "$bin" check --max-file-size 10X
expect_rc 2 "$bin" check --policy-timeout -1
expect_rc 2 "$bin" explain
expect_rc 2 "$bin" parse
expect_rc 2 "$bin" version extra
expect_rc 2 "$bin" list extra

# A report that cannot be written is an error, not a silent success.
if [ -w /dev/full ]; then
	"$bin" --help >/dev/full 2>/dev/null
	[ $? = 2 ] || fail "--help into /dev/full did not exit 2"
fi
mkdir -p "${TMPDIR:-/tmp}/moongate-cli.$$"
out_dir=${TMPDIR:-/tmp}/moongate-cli.$$
trap 'rm -rf "$out_dir"' EXIT
(cd "$case_dir" && "$bin" check --no-config --no-builtin --policy policies --color never \
	-o "$out_dir/no-such-dir/report.txt" plan.json >/dev/null 2>&1)
[ $? = 2 ] || fail "--output into a missing directory did not exit 2"

# JSON reports are byte-identical from run to run; --output writes what stdout would get.
run_json() {
	(cd "$case_dir" && "$bin" check --no-config --no-builtin --policy policies --format json "$@" \
		plan.json 2>/dev/null)
}
run_json >"$out_dir/a.json"
run_json >"$out_dir/b.json"
run_json -o "$out_dir/c.json" >/dev/null
cmp -s "$out_dir/a.json" "$out_dir/b.json" || fail "two JSON reports of one input differ"
cmp -s "$out_dir/a.json" "$out_dir/c.json" || fail "--output differs from standard output"

# One option, every spelling: --name value, --name=value, -x value, -xvalue, after operands.
spellings=("--format json" "--format=json" "-f json" "-fjson")
for spelling in "${spellings[@]}"; do
	# shellcheck disable=SC2086
	run_json_args=$(cd "$case_dir" && "$bin" check --no-config --no-builtin --policy policies \
		plan.json $spelling 2>/dev/null)
	[ "$run_json_args" = "$(cat "$out_dir/a.json")" ] || fail "'$spelling' after the path differs"
done
# "--" ends the options: what follows is a path, even when it starts with "-".
err=$(cd "$case_dir" && "$bin" check --no-config --no-builtin -- --format 2>&1 >/dev/null)
rc=$?
[ $rc = 2 ] || fail "'-- --format' exited $rc, expected 2 (no such file)"
[[ $err == --format:* ]] || fail "'-- --format' was not taken for a path: $err"
# A mistyped command is not taken for a missing file.
err=$("$bin" lsit 2>&1)
[[ $err == *"did you mean 'list'"* ]] || fail "no suggestion for 'lsit': $err"

# Colour: never through a pipe with auto; on a terminal unless NO_COLOR; always when asked.
esc=$'\033['
text() {
	(cd "$case_dir" && "$bin" check --no-config --no-builtin --policy policies "$@" plan.json 2>/dev/null)
}
[[ $(unset NO_COLOR; text) != *"$esc"* ]] || fail "colour through a pipe with --color auto"
[[ $(NO_COLOR=1 text --color always) == *"$esc"* ]] || fail "no colour with --color always"
[[ $(text --color never) != *"$esc"* ]] || fail "colour with --color never"
if command -v script >/dev/null 2>&1; then
	cmdline="cd '$case_dir' && '$bin' check --no-config --no-builtin --policy policies plan.json"
	tty_out=$(env -u NO_COLOR TERM=xterm script -qec "$cmdline" /dev/null 2>/dev/null)
	[[ $tty_out == *"$esc"* ]] || fail "no colour on a terminal with --color auto"
	tty_out=$(NO_COLOR=1 TERM=xterm script -qec "$cmdline" /dev/null 2>/dev/null)
	[[ $tty_out != *"$esc"* ]] || fail "colour on a terminal despite NO_COLOR"
fi

[ "$failures" = 0 ] || { echo "cli: $failures failures"; exit 1; }
echo "cli: all checks passed"
