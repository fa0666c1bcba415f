#!/bin/bash
# Big inputs: moongate starts itself again with glibc.malloc.hugetlb=1 (util/heap.h) when the
# system gives huge pages on request; the report is the same as without the restart, and a
# small input or a GLIBC_TUNABLES that names the tunable never restarts.
set -u
bin=${MOONGATE_BIN:?}
src=${MOONGATE_SOURCE_DIR:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }

# the multi-cloud plan followed by 5 MB of blanks: over the 4 MB threshold, same findings
cp "$src/examples/multi-cloud/plan.json" "$tmp/plan.json"
head -c $((5 << 20)) /dev/zero | tr '\0' ' ' >>"$tmp/plan.json"

"$bin" check --no-config -f json "$tmp/plan.json" >"$tmp/default.json" 2>"$tmp/default.err"
rc1=$?
GLIBC_TUNABLES=glibc.malloc.hugetlb=0 "$bin" check --no-config -f json "$tmp/plan.json" \
	>"$tmp/off.json" 2>"$tmp/off.err"
rc2=$?
[ "$rc1" = "$rc2" ] || fail "exit $rc1 with the restart, $rc2 without"
cmp -s "$tmp/default.json" "$tmp/off.json" || fail "the report differs with the restart"
grep -q '"findings"' "$tmp/default.json" || fail "no report: $(head -c 300 "$tmp/default.err")"

# execve calls of one run: $1 = GLIBC_TUNABLES value or "-" for unset, then the arguments
execs() {
	local tunables=$1
	shift
	if [ "$tunables" = - ]; then
		env -u GLIBC_TUNABLES strace -f -v -s 512 -e trace=execve -o "$tmp/trace" "$bin" "$@" \
			>/dev/null 2>&1
	else
		GLIBC_TUNABLES=$tunables strace -f -v -s 512 -e trace=execve -o "$tmp/trace" \
			"$bin" "$@" >/dev/null 2>&1
	fi
	grep -c 'execve(' "$tmp/trace"
}

thp=$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)
if ! command -v strace >/dev/null || ! strace -o /dev/null true 2>/dev/null; then
	echo "SKIPPED: strace is not usable here; the restart itself is not observed"
elif [[ "$thp" != *"[madvise]"* ]]; then
	n=$(execs - check --no-config "$tmp/plan.json")
	[ "$n" = 1 ] || fail "transparent huge pages are '$thp': $n starts, expected 1"
else
	n=$(execs - check --no-config "$tmp/plan.json")
	[ "$n" = 2 ] || fail "big input: $n starts, expected 2"
	grep 'execve("/proc/self/exe"' "$tmp/trace" | grep -q '"GLIBC_TUNABLES=glibc.malloc.hugetlb=1"' ||
		fail "the second start has no GLIBC_TUNABLES=glibc.malloc.hugetlb=1"
	n=$(execs glibc.malloc.arena_max=4 check --no-config "$tmp/plan.json")
	[ "$n" = 2 ] || fail "other tunables: $n starts, expected 2"
	grep -q '"GLIBC_TUNABLES=glibc.malloc.arena_max=4:glibc.malloc.hugetlb=1"' "$tmp/trace" ||
		fail "the tunables set before are not kept"
	n=$(execs glibc.malloc.hugetlb=0 check --no-config "$tmp/plan.json")
	[ "$n" = 1 ] || fail "hugetlb=0: $n starts, expected 1"
	n=$(execs - check --no-config "$src/examples/multi-cloud/plan.json")
	[ "$n" = 1 ] || fail "small input: $n starts, expected 1"
fi
exit $failed
