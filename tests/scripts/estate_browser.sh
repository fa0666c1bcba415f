#!/bin/bash
# The estate of every example estate: its JSON against docs/estate-report.schema.json (when
# python3-jsonschema is there), then the page in a real browser (headless Chromium): the page
# loads without console errors and requests nothing from the network, the numbers in the DOM
# are those of `moongate report --format json`, and the findings filter (set through the URL
# fragment) shows exactly the matching rows. Chromium is installed when missing and we are
# root; otherwise the test is skipped (exit 77).
# MOONGATE_ESTATE_SCREENSHOTS=DIR also writes DIR/estate-<example>.png.
set -u
bin=${MOONGATE_BIN:?MOONGATE_BIN must name the moongate binary}
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
src=${MOONGATE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
shots=${MOONGATE_ESTATE_SCREENSHOTS:-}

command -v python3 >/dev/null || { echo "estate_browser: SKIPPED: no python3"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
examples=(aws-bedrock azure-openai multi-cloud kubernetes)
export SOURCE_DATE_EPOCH=1764115200
for example in "${examples[@]}"; do
	"$bin" report --no-config --format json "$src/examples/$example" >"$work/$example.json" \
		2>/dev/null
done
if python3 -c 'import jsonschema' 2>/dev/null; then
	python3 - "$src/docs/estate-report.schema.json" "${examples[@]/#/$work/}" <<'PY' || exit 1
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    for e in validator.iter_errors(json.load(open(path + ".json"))):
        print(f"{path}: {'/'.join(map(str, e.path))}: {e.message}")
        bad += 1
print(f"estate schema: {len(sys.argv) - 2} reports, {bad} errors")
sys.exit(1 if bad else 0)
PY
else
	echo "estate_browser: python3-jsonschema absent, schema not checked"
fi

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "estate_browser: installing chromium"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium \
		>/dev/null 2>&1 || true
	browser=$(command -v chromium || true)
fi
if [ -z "$browser" ]; then
	echo "estate_browser: SKIPPED: no chromium, and it cannot be installed here"
	exit 77
fi
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
       --disable-component-update --no-first-run --disable-sync --disable-extensions
       --user-data-dir="$work/profile")

# Loads url; leaves the DOM in $work/dom, the browser log in $work/log and the network log
# in $work/net.json.
load() {
	timeout 120 "$browser" "${flags[@]}" --enable-logging=stderr --v=0 \
		--log-net-log="$work/net.json" --dump-dom "$1" >"$work/dom" 2>"$work/log"
}

failed=0
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

for example in "${examples[@]}"; do
	page=$work/$example.html
	"$bin" report --no-config --html "$page" "$src/examples/$example" 2>/dev/null
	[ -s "$page" ] || { fail "$example: no page written"; continue; }
	load "file://$page" || { fail "$example: chromium failed"; continue; }
	if grep -q 'CONSOLE' "$work/log"; then
		fail "$example: console messages"; grep 'CONSOLE' "$work/log" | head -5
	fi
	# The browser's own background traffic (Google update and account hosts) is not the page's.
	requests=$(grep -o '"url":"[^"]*"' "$work/net.json" | grep -v '"url":"file://' |
		grep -Ev '://([a-z0-9-]+\.)*(google\.com|googleapis\.com|gvt1\.com)[/"]' | sort -u)
	[ -z "$requests" ] || fail "$example: network requests: $requests"
	python3 - "$work/$example.json" "$work/dom" "$example" <<'PY' || fail "$example: DOM"
import json, re, sys
data = json.load(open(sys.argv[1]))
dom = open(sys.argv[2], encoding="utf-8").read()
name = sys.argv[3]
bad = []
def expect(what, pattern, value):
    m = re.search(pattern, dom)
    got = m.group(1) if m else None
    if got != value:
        bad.append(f"{what}: page shows {got!r}, JSON says {value!r}")
s = data["summary"]
expect("resources", r'id="total-resources">(\d+)<', str(s["resources"]))
expect("AI endpoints", r'id="total-ai">(\d+)<', str(s["ai_endpoints"]))
expect("findings", r'id="total-findings">(\d+)<', str(s["findings"]))
expect("shown", r'id="shown">(\d+)<', str(s["findings"]))
for chart, key in (("cloud-vendors", "cloud_vendors"), ("model-vendors", "model_vendors")):
    c = data["concentration"][key]
    expect(chart + " HHI", r'id="%s".*?class="hhi">(\d+)<' % chart, "%.0f" % c["hhi"])
    expect(chart + " effective", r'id="%s".*?class="effective">([\d.]+)<' % chart,
           "%.2f" % c["effective_vendors"])
    for v in c["vendors"]:
        expect(chart + " " + v["key"], r'data-key="%s">.*?class="share"[^>]*>([\d.]+)%%' %
               re.escape(v["key"]), "%.1f" % (100 * v["share"]))
for cell in data["inventory"]:
    expect("cell %s/%s" % (cell["cloud"], cell["region"]),
           r'data-cloud="%s" data-region="%s">.*?class="count">(\d+)<' %
           (re.escape(cell["cloud"]), re.escape(cell["region"])), str(cell["resources"]))
edges = len(re.findall(r'<g class="edge"', dom))
if edges != len(data["flows"]):
    bad.append(f"flow edges: {edges}, JSON has {len(data['flows'])}")
for f in data["flows"]:
    if f["price"] and f["price"].replace("$", "&#36;") not in dom and f["price"] not in dom:
        bad.append(f"flow price {f['price']} missing")
for b in bad:
    print(f"{name}: {b}")
sys.exit(1 if bad else 0)
PY
	# Filtering through the fragment: the most frequent severity and area.
	for pair in $(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("severity", "area"):
    counts = {}
    for f in d["findings"]:
        counts[f[k]] = counts.get(f[k], 0) + 1
    if counts:
        v = sorted(counts, key=lambda x: (-counts[x], x))[0]
        print(f"{k}={v}:{counts[v]}")' "$work/$example.json"); do
		filter=${pair%:*} want=${pair##*:}
		load "file://$page#$filter" || { fail "$example: chromium failed"; continue; }
		shown=$(grep -o 'id="shown">[0-9]*' "$work/dom" | grep -o '[0-9]*$')
		visible=$(grep -o '<tr data-severity="[^"]*" data-area="[^"]*" data-policy="[^"]*">' \
			"$work/dom" | wc -l)
		[ "$shown" = "$want" ] || fail "$example: #$filter shows $shown rows, expected $want"
		[ "$visible" = "$want" ] || fail "$example: #$filter leaves $visible rows visible"
	done
	if [ -n "$shots" ]; then
		mkdir -p "$shots"
		timeout 120 "$browser" "${flags[@]}" --hide-scrollbars --window-size=1280,1700 \
			--screenshot="$shots/estate-$example.png" "file://$page" >/dev/null 2>&1 ||
			fail "$example: screenshot"
	fi
	echo "ok $example"
done
[ "$failed" = 0 ] || { echo "estate_browser: $failed failure(s)"; exit 1; }
echo "estate_browser: all example estates pass"
