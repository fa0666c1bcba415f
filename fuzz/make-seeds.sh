#!/bin/sh
# Builds the seed directory of one fuzz target from the hand-written seeds in fuzz/seeds, the
# examples and (when present) the shared test corpus: make-seeds.sh TARGET OUTDIR [MAX].
# Files over 64 KiB are left out; at most MAX (default 100000) corpus files, in name order.
# Pipeline seeds get the leading byte that picks the file name (0: x.json, 1: x.yaml).
set -eu
target=$1 out=$2 max=${3:-100000}
src=${MOONGATE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
corpus=${MOONGATE_CORPUS:-$src/../shared/corpus}
mkdir -p "$out"
cp "$src/fuzz/seeds/$target"/* "$out"/ 2>/dev/null || true

list() { # list DIR PATTERN...: small regular files, sorted
	dir=$1; shift
	[ -d "$dir" ] || return 0
	for pat in "$@"; do find "$dir" -type f -name "$pat" -size -64k; done | LC_ALL=C sort
}
add() { # add PREFIX: copies the listed files into out, prefixed by a byte when PREFIX is set
	n=0
	while IFS= read -r f && [ "$n" -lt "$max" ]; do
		n=$((n + 1))
		dest="$out/$(printf '%s' "$f" | cksum | cut -d' ' -f1)"
		if [ -n "$1" ]; then { printf "$1"; cat "$f"; } > "$dest"; else cp "$f" "$dest"; fi
	done
}
case $target in
json) { list "$src/examples" '*.json'; list "$corpus" '*.json'; } | add '' ;;
yaml) { list "$src/examples" '*.yaml' '*.yml'; list "$corpus" '*.yaml' '*.yml'; } | add '' ;;
config) { list "$src/examples" '.moongate.yaml'; list "$src/tests/data/config" '*.yaml' '*.yml'
          list "$corpus" '.moongate.yaml' '*moongate*.yaml'; } | add '' ;;
pipeline) { list "$src/examples" '*.json'; list "$corpus" '*.json'; } | add '\000'
          { list "$src/examples" '*.yaml' '*.yml'; list "$corpus" '*.yaml' '*.yml'; } | add '\001' ;;
*) echo "make-seeds.sh: unknown target $target" >&2; exit 2 ;;
esac
