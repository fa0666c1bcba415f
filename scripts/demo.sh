#!/bin/sh
# Runs moongate on the examples/ scenarios with the EU organisation's config
# (examples/.moongate.yaml). Findings are the point of the demo, so exit code 1 (findings at or
# above the fail threshold) is shown, not treated as a failure; 2 and 3 are.
bin=$1
cd "$(dirname "$0")/.." || exit 2
# Each scenario once (examples/terraform-project also holds its plan on one line).
set -- examples/azure-openai examples/aws-bedrock examples/multi-cloud examples/kubernetes \
	examples/terraform-project/plan.json
echo "\$ moongate check --config examples/.moongate.yaml $*"
"$bin" check --config examples/.moongate.yaml "$@"
rc=$?
echo
echo "moongate exited with $rc (0: clean, 1: findings at or above the fail threshold)"
[ "$rc" -le 1 ]
