#!/bin/bash
# Validates every JSON report among the golden expectations, and a live report, against
# docs/report.schema.json. Skips (77) when python3-jsonschema is not installed.
set -u
bin=${MOONGATE_BIN:?MOONGATE_BIN must name the moongate binary}
case $bin in /*) ;; */*) bin=$PWD/$bin ;; esac
[ -x "$bin" ] || { echo "'$bin' is not an executable moongate"; exit 1; }
src=${MOONGATE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
python3 -c 'import jsonschema' 2>/dev/null || { echo "SKIPPED: python3-jsonschema absent"; exit 77; }

reports=()
for dir in "$src"/tests/golden/*/; do
	if grep -q -- '--format json' "$dir/cmd" 2>/dev/null && ! grep -qw -e list -e parse "$dir/cmd"; then
		reports+=("$dir/expected.out")
	fi
done
live=$(mktemp)
trap 'rm -f "$live"' EXIT
(cd "$src/tests/golden/text-findings" && "$bin" check --no-config --no-builtin --policy policies \
	--format json plan.json missing.json >"$live" 2>/dev/null)
reports+=("$live")

python3 - "$src/docs/report.schema.json" "${reports[@]}" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    report = json.load(open(path))
    errors = list(validator.iter_errors(report))
    for e in errors:
        print(f"{path}: {'/'.join(map(str, e.path))}: {e.message}")
    bad += bool(errors)
    by = report["summary"]["by_severity"]
    if sum(by.values()) != len(report["findings"]) or report["summary"]["findings"] != len(report["findings"]):
        print(f"{path}: summary counts disagree with the findings")
        bad += 1
print(f"report schema: {len(sys.argv) - 2} reports, {bad} invalid")
sys.exit(1 if bad else 0)
PY
