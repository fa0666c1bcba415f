#!/bin/bash
# Valgrind memcheck over the golden end-to-end cases (tests/golden/*): no memory errors and no
# definite leaks, and every case still gives its expected exit code and output. Skipped (77)
# without valgrind or when the binary is built with AddressSanitizer.
set -u
bin=${MOONGATE_BIN:?} src=${MOONGATE_SOURCE_DIR:?}
command -v valgrind > /dev/null || { echo "valgrind not installed"; exit 77; }
grep -q __asan_init "$bin" && { echo "sanitizer build: memcheck does not apply"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0 ran=0
for dir in "$src"/tests/golden/${MOONGATE_GOLDEN_CASE:-*}/; do
	[ -f "$dir/cmd" ] || continue
	name=$(basename "$dir") input=/dev/null
	args=$(head -n 1 "$dir/cmd")
	[ -f "$dir/stdin" ] && input=$dir/stdin
	(
		cd "$dir" || exit 125
		eval "set -- $args"
		env -u NO_COLOR -u CLICOLOR -u CLICOLOR_FORCE LC_ALL=C TERM=dumb \
			valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite \
			--errors-for-leak-kinds=definite \
			--suppressions="$src/tests/data/hostile/valgrind.supp" --log-file="$work/vg" \
			"$bin" "$@" > "$work/out" 2> "$work/err" < "$input"
		echo $? > "$work/rc"
	)
	ran=$((ran + 1))
	rc=$(cat "$work/rc")
	if [ -s "$work/vg" ] || [ "$rc" = 99 ]; then
		echo "FAIL: $name: memcheck errors"; head -n 40 "$work/vg"; fails=$((fails + 1))
	elif [ -f "$dir/expected.rc" ] && [ "$rc" != "$(cat "$dir/expected.rc")" ]; then
		echo "FAIL: $name: exit $rc under valgrind, expected $(cat "$dir/expected.rc")"
		fails=$((fails + 1))
	elif [ -f "$dir/expected.out" ] && ! cmp -s "$dir/expected.out" "$work/out"; then
		echo "FAIL: $name: output differs under valgrind"; fails=$((fails + 1))
	fi
done
echo "valgrind: $ran golden cases, $fails failures"
[ "$ran" -gt 0 ] && [ "$fails" = 0 ]
