#!/bin/bash
# Determinism: the same inputs give byte-identical reports whatever the locale, the order the
# files are listed in, or the order in which a directory's entries were created on disk.
set -u
bin=${MOONGATE_BIN:?} src=${MOONGATE_SOURCE_DIR:?}
ex=$src/examples
[ -d "$ex/kubernetes" ] || { echo "no examples"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
files=("$ex/aws-bedrock/plan.json" "$ex/azure-openai/plan.json" "$ex/multi-cloud/plan.json"
       "$ex/kubernetes/ai-client.yaml" "$ex/kubernetes/batch-namespace.yaml")
run() { # run OUT LOCALE ARGS...: every format of one check
	local out=$1 loc=$2
	shift 2
	for fmt in text json sarif junit github markdown; do
		SOURCE_DATE_EPOCH=1700000000 LC_ALL=$loc "$bin" check --no-config --color never --format "$fmt" "$@" \
			> "$tmp/$out.$fmt" 2> "$tmp/$out.$fmt.err"
		echo "rc=$?" >> "$tmp/$out.$fmt"
	done
}
same() { # same A B WHAT
	for fmt in text json sarif junit github markdown; do
		cmp -s "$tmp/$1.$fmt" "$tmp/$2.$fmt" || fail "$3 changes the $fmt report"
	done
}
run base C "${files[@]}"
grep -q '"findings"' "$tmp/base.json" || fail "no json report: $(head -c 300 "$tmp/base.json.err")"
for loc in de_DE.UTF-8 fr_FR.UTF-8 C.UTF-8 tr_TR.UTF-8; do
	locale -a 2> /dev/null | grep -qix "$(echo "$loc" | sed 's/UTF-8/utf8/')" || continue
	run "loc-$loc" "$loc" "${files[@]}"
	same base "loc-$loc" "locale $loc"
done
run reversed C "${files[4]}" "${files[3]}" "${files[2]}" "${files[1]}" "${files[0]}"
same base reversed "argument order"
# One tree, at the same path, written twice with its entries created in opposite orders.
tree() { # tree OUT INDEXES...
	local out=$1
	shift
	rm -rf "$tmp/w" && mkdir -p "$tmp/w/tree"
	for i in "$@"; do
		f=${files[$i]}; cp "$f" "$tmp/w/tree/$(basename "$(dirname "$f")")-$(basename "$f")"
	done
	(cd "$tmp/w" && run "$out" C tree)
}
tree dir-a 0 1 2 3 4
tree dir-b 4 3 2 1 0
same dir-a dir-b "directory creation order"
echo "determinism: $fails failures"
[ "$fails" = 0 ]
