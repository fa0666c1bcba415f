#!/bin/sh
# Fuzzes one target for a while: run.sh BUILD_DIR TARGET SECONDS. The working corpus lives in
# BUILD_DIR/fuzz-corpus/TARGET, the seeds (make-seeds.sh) in BUILD_DIR/fuzz-seeds/TARGET; every
# crashing, leaking or slow input is written to fuzz/regressions/TARGET, which make test
# replays. Exits non-zero when libFuzzer found a problem.
set -eu
build=$1 target=$2 seconds=$3
here=$(cd "$(dirname "$0")" && pwd)
bin=$build/fuzz/fuzz_$target
[ -x "$bin" ] || { echo "run.sh: $bin not built" >&2; exit 2; }
seeds=$build/fuzz-seeds/$target corpus=$build/fuzz-corpus/$target
[ -d "$seeds" ] || sh "$here/make-seeds.sh" "$target" "$seeds"
mkdir -p "$corpus" "$here/regressions/$target"
dict=
[ -f "$here/$target.dict" ] && dict=-dict=$here/$target.dict
exec "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
	-print_final_stats=1 -artifact_prefix="$here/regressions/$target/" $dict "$corpus" "$seeds"
