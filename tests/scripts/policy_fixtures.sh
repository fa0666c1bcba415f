#!/bin/sh
# Runs every built-in policy's tests (fixture cases policies/<area>/<name>.tests/<case>/ and
# Lua test files <name>_test.lua) with `moongate test`, then the whole pack over the Terraform
# plan corpus (no policy may fail on any plan). Environment: MOONGATE_BIN,
# MOONGATE_SOURCE_DIR, MOONGATE_CORPUS (optional: the corpus part is skipped when absent).
set -u
: "${MOONGATE_BIN:?MOONGATE_BIN is not set}"
src=${MOONGATE_SOURCE_DIR:-$(dirname "$0")/../..}
rc=0
"$MOONGATE_BIN" test "$src/policies" || rc=1
command -v python3 >/dev/null 2>&1 || { echo "python3 not found: corpus part skipped"; exit $rc; }
python3 "$src/tests/scripts/policy_fixtures.py" --only corpus --bin "$MOONGATE_BIN" \
	--policies "$src/policies" --corpus "${MOONGATE_CORPUS:-}"
py=$?
[ "$py" = 0 ] || [ "$py" = 77 ] || rc=1
exit $rc
