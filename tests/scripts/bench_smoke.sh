#!/usr/bin/env bash
# The benchmark cannot rot: bench/run --smoke (a 1k-resource plan, a 1 MB Kubernetes stream,
# 20 manifests, one run each) must finish with every moongate row measured. No timing is
# asserted: the machine running the tests may be busy.
set -u
src=${MOONGATE_SOURCE_DIR:?}
bin=${MOONGATE_BIN:?}
command -v python3 >/dev/null || { echo "SKIPPED: python3 is missing" >&2; exit 77; }
[ -x /usr/bin/time ] || { echo "SKIPPED: /usr/bin/time is missing" >&2; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$src/bench/run" --smoke --bin "$bin" --data "$tmp" >"$tmp/table" 2>"$tmp/err"
rc=$?
cat "$tmp/table"
failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }
[ "$rc" = 0 ] || { fail "bench/run exited $rc"; cat "$tmp/err" >&2; }
for input in plan-1k k8s-1mb manifests-20; do
	line=$(grep -E "^$input +[0-9.]+ +moongate \(built-in pack\)" "$tmp/table")
	[ -n "$line" ] || { fail "no moongate row for $input"; continue; }
	wall=$(awk '{ print $6 }' <<<"$line")
	[[ $wall =~ ^[0-9]+\.[0-9]+$ ]] || fail "$input: wall time not measured: $line"
	grep -q "ok (1 runs" <<<"$line" || fail "$input: moongate did not finish cleanly: $line"
done
grep -qE '^plan-1k .*floor: read the file +[0-9.]+' "$tmp/table" || fail "no read floor for plan-1k"
grep -qE '^plan-1k .*jq \(allowed-regions\)' "$tmp/table" || fail "no jq row for plan-1k"
exit $failed
