#!/bin/bash
# Output safety: a finding whose message and resource name carry line breaks, ANSI escapes,
# forged workflow commands, markup, a NUL, invalid UTF-8 and U+2028 can neither forge a finding
# nor corrupt the document, in every report format.
set -u
bin=${MOONGATE_BIN:?}
command -v python3 >/dev/null || { echo "no python3"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

mkdir -p "$tmp/pol/o"
cat >"$tmp/pol/o/evil.lua" <<'LUA'
return {
  title = "evil", severity = "high", description = "a hostile finding message",
  check = function(r)
    return {message = "a\nnext\rCR \27[31mred\27]8;;http://x\27\\ ::error file=x::forged % %0A"
      .. " <b> & \" ' ]]> back\\slash | pipe \255\254 bad \u{2028} ls\0after-nul",
      path = "metadata.name"}
  end,
}
LUA
cat >"$tmp/in.json" <<'JSON'
{"apiVersion": "v1", "kind": "ConfigMap", "data": {},
 "metadata": {"namespace": "ns", "name": "n\n::error file=y::forged2 %0A|x|\u001b[31m<&>\"'\u2028"}}
JSON
for f in text json sarif junit github markdown; do
	"$bin" check --no-config --no-builtin --policy "$tmp/pol" --fail-on never --color never \
		--format $f "$tmp/in.json" >"$tmp/out.$f" 2>"$tmp/err.$f" ||
		fail "$f: exit $? ($(head -c 300 "$tmp/err.$f"))"
done
# Raw control characters other than the line feed (and the tab) corrupt every format.
for f in text json sarif junit github markdown; do
	LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$tmp/out.$f" && fail "$f: a raw control character"
done
# text: one line per finding, controls, separators and invalid bytes made visible.
[ "$(grep -c 'o/evil' "$tmp/out.text")" = 1 ] || fail "text: the finding is not one line"
grep -qF 'a\nnext\x0dCR \x1b[31mred' "$tmp/out.text" || fail "text: controls not escaped"
grep -qF 'pipe \xff\xfe bad \u2028 ls' "$tmp/out.text" || fail "text: invalid UTF-8 or U+2028 raw"
grep -qF 'n\n::error file=y::forged2' "$tmp/out.text" || fail "text: resource name not escaped"
# github: one workflow command, %, CR and LF escaped in data.
[ "$(wc -l <"$tmp/out.github")" = 1 ] || fail "github: not one line: $(cat "$tmp/out.github")"
[ "$(grep -c '^::' "$tmp/out.github")" = 1 ] || fail "github: not one command"
grep -qF 'a%0Anext%0DCR \x1b[31mred' "$tmp/out.github" || fail "github: line breaks not escaped"
grep -qF 'forged %25 %250A' "$tmp/out.github" || fail "github: % not escaped"
grep -qF 'n%0A::error file=y::forged2 %250A' "$tmp/out.github" || fail "github: name not escaped"
# junit: well-formed XML.
if command -v xmllint >/dev/null; then
	xmllint --noout "$tmp/out.junit" 2>"$tmp/xml" || fail "junit: not well-formed: $(head -3 "$tmp/xml")"
fi
python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$tmp/out.junit" ||
	fail "junit: not well-formed XML"
# json and sarif: valid JSON, the message exact up to the NUL, invalid UTF-8 as U+FFFD.
python3 - "$tmp" <<'PY' || fail "json/sarif: the message does not round-trip"
import json, sys
d = sys.argv[1]
want = (b"a\nnext\rCR \x1b[31mred\x1b]8;;http://x\x1b\\ ::error file=x::forged % %0A"
        b" <b> & \" ' ]]> back\\slash | pipe \xff\xfe bad \xe2\x80\xa8 ls").decode("utf-8", "replace")
name = "n\n::error file=y::forged2 %0A|x|\x1b[31m<&>\"'\u2028"
j = json.load(open(d + "/out.json"))
assert [f["message"] for f in j["findings"]] == [want], j["findings"]
assert name in j["findings"][0]["resource"], j["findings"][0]["resource"]
s = json.load(open(d + "/out.sarif"))
assert [r["message"]["text"] for r in s["runs"][0]["results"]] == [want]
PY
# markdown: the finding is one table row with as many cells as the header.
cells() { sed 's/\\|//g' | tr -cd '|' | wc -c; }
head_cells=$(grep -m1 '^| Severity | Policy' "$tmp/out.markdown" | cells)
rows=$(grep -c '^| high | `o/evil`' "$tmp/out.markdown")
[ "$rows" = 1 ] || fail "markdown: $rows rows for one finding"
[ "$(grep -m1 '^| high | `o/evil`' "$tmp/out.markdown" | cells)" = "$head_cells" ] ||
	fail "markdown: the row's cells differ from the header's"
grep -qF ' <b> ' "$tmp/out.markdown" && fail "markdown: raw markup in a message"
grep -qF '&lt;b&gt;' "$tmp/out.markdown" || fail "markdown: markup not escaped"
echo "output safety: $fails failures"
[ "$fails" = 0 ]
