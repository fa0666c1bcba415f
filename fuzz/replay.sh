#!/bin/sh
# ctest: replays one fuzz target (built with replay.c) over its hand-written seeds, every
# regression input, the examples and the first MOONGATE_FUZZ_REPLAY_MAX (default 150) small
# files of the shared corpus, in name order: replay.sh REPLAY_BINARY TARGET.
set -euf
bin=$1 target=$2
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
corpus=${MOONGATE_CORPUS:-$src/../shared/corpus}
max=${MOONGATE_FUZZ_REPLAY_MAX:-150}
mkdir -p "$here/regressions/$target"

inputs() { # inputs PATTERN...: the examples, then up to max corpus files
	for dir in "$src/examples" "$corpus"; do
		[ -d "$dir" ] || continue
		expr=
		for pat in "$@"; do expr="$expr${expr:+ -o} -name $pat"; done
		# shellcheck disable=SC2086
		find "$dir" -type f \( $expr \) -size -64k | LC_ALL=C sort | head -n "$max"
	done
}
case $target in
json) inputs '*.json' | "$bin" "$here/seeds/json" "$here/regressions/json" - ;;
yaml) inputs '*.yaml' '*.yml' | "$bin" "$here/seeds/yaml" "$here/regressions/yaml" - ;;
config) "$bin" "$here/seeds/config" "$here/regressions/config" "$src/examples/.moongate.yaml" \
	"$src/tests/data/config" ;;
pipeline)
	"$bin" "$here/seeds/pipeline" "$here/regressions/pipeline"
	inputs '*.json' | "$bin" -p 0 -
	inputs '*.yaml' '*.yml' | "$bin" -p 1 - ;;
*) echo "replay.sh: unknown target $target" >&2; exit 2 ;;
esac
