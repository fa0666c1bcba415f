#!/bin/sh
# Runs moongate on each scenario of examples/ (each an estate of its own, so vendor
# concentration is judged per estate) with the EU organisation's config
# (examples/.moongate.yaml), then shows the estate report of one of them. Findings are the
# point of the demo, so exit code 1 (findings at or above the fail threshold) is shown, not
# treated as a failure; 2 and 3 are.
bin=$1
cd "$(dirname "$0")/.." || exit 2
worst=0
for scenario in examples/azure-openai examples/aws-bedrock examples/multi-cloud \
	examples/kubernetes examples/terraform-project/plan.json; do
	echo "\$ moongate check --config examples/.moongate.yaml $scenario"
	"$bin" check --config examples/.moongate.yaml "$scenario"
	rc=$?
	echo "(exit $rc)"
	echo
	[ "$rc" -gt "$worst" ] && worst=$rc
done
echo "\$ moongate report --config examples/.moongate.yaml examples/multi-cloud"
"$bin" report --config examples/.moongate.yaml examples/multi-cloud || worst=3
echo
echo "worst exit code: $worst (0: clean, 1: findings at or above the fail threshold)"
[ "$worst" -le 1 ]
