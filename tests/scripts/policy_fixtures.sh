#!/bin/sh
# Runs every built-in policy fixture (policies/<area>/<name>.tests/<case>/) and the whole pack
# over the Terraform plan corpus. Environment: MOONGATE_BIN, MOONGATE_SOURCE_DIR,
# MOONGATE_CORPUS (optional: the corpus part is skipped when absent).
set -u
: "${MOONGATE_BIN:?MOONGATE_BIN is not set}"
src=${MOONGATE_SOURCE_DIR:-$(dirname "$0")/../..}
command -v python3 >/dev/null 2>&1 || { echo "python3 not found: skipping"; exit 77; }
exec python3 "$src/tests/scripts/policy_fixtures.py" --bin "$MOONGATE_BIN" \
	--policies "$src/policies" --corpus "${MOONGATE_CORPUS:-}"
