#!/usr/bin/env bash
# The CI reports validate against the official schemas: SARIF 2.1.0 (JSON Schema draft-04,
# python3-jsonschema) and Ant's JUnit XSD (xmllint); GitHub workflow commands and the markdown
# summary are well-formed. Checks the reporters' sample runs (test_report_ci --emit), what
# `cmake --install` ships, then `moongate check --format ...` over the examples, a policy
# error, an unparsable input and the shared corpus, and several formats in one run.
set -u
src=${MOONGATE_SOURCE_DIR:?}
bin=${MOONGATE_BIN:?}
schemas=${MOONGATE_SHARED:-}/schemas
sarif_schema=$schemas/sarif-schema-2.1.0.json
junit_xsd=$schemas/junit.xsd
check_py=$src/tests/scripts/ci_formats.py

if [ ! -f "$sarif_schema" ] || [ ! -f "$junit_xsd" ]; then
	echo "SKIPPED: the official schemas (../shared/schemas) are absent: SARIF and JUnit" \
	     "output is NOT validated in this checkout" >&2
	exit 77
fi
# Debian's python3 with python3-jsonschema (what make test-deps installs), else any python3.
python=python3
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import jsonschema' 2>/dev/null && python=/usr/bin/python3
"$python" -c 'import jsonschema' 2>/dev/null ||
	{ echo "ci_formats: python3-jsonschema is missing (make test-deps)" >&2; exit 1; }
command -v xmllint >/dev/null || { echo "ci_formats: xmllint is missing (make test-deps)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }

# validate KIND FILE [SARIF URI...]: JUnit now, the others queued for one python run
jobs=$tmp/jobs
: >"$jobs"
validate() {
	if [ "$1" = junit ]; then
		xmllint --noout --schema "$junit_xsd" "$2" 2>"$tmp/xmllint.err" ||
			{ cat "$tmp/xmllint.err" >&2; fail "$2 is not valid JUnit XML"; }
	else
		echo "$*" >>"$jobs"
	fi
}
run_queued() {
	"$python" "$check_py" "$sarif_schema" "$jobs" || fail "SARIF, GitHub or markdown checks"
	: >"$jobs"
}

# 1. The reporters on hand-made runs (every escaping case) and on the built-in pack.
emitter=$(dirname "$bin")/tests/test_report_ci
if [ -x "$emitter" ]; then
	mkdir "$tmp/emit"
	if (cd "$src" && "$emitter" --emit "$tmp/emit"); then
		for name in one mixed nasty engine; do
			validate sarif "$tmp/emit/$name.sarif"
			validate junit "$tmp/emit/$name.xml"
			validate github "$tmp/emit/$name.txt"
			validate markdown "$tmp/emit/$name.md"
		done
	else
		fail "test_report_ci --emit failed"
	fi
else
	fail "$emitter is not built"
fi

run_queued

# 2. What ships with them: `cmake --install` puts the binary, the man page and the bash
# completion in place; both document every format; the man page formats cleanly.
build=$(dirname "$bin")
if [ -f "$build/cmake_install.cmake" ]; then
	cmake --install "$build" --prefix "$tmp/prefix" >/dev/null || fail "cmake --install failed"
	for f in bin/moongate share/man/man1/moongate.1 share/bash-completion/completions/moongate; do
		[ -f "$tmp/prefix/$f" ] || fail "cmake --install did not install $f"
	done
fi
for fmt in text json sarif junit github markdown; do
	grep -q "^\.BR* $fmt" "$src/docs/moongate.1" || fail "moongate.1 does not document --format $fmt"
	grep -q "formats=.*\b$fmt\b" "$src/contrib/bash-completion/moongate" ||
		fail "the bash completion does not offer --format $fmt"
done
# Every command and every option its help shows are in the man page and the completion.
commands=$("$bin" --help 2>&1 | awk '/^commands:/ { on = 1; next } on && !NF { exit } on { print $1 }')
[ -n "$commands" ] || fail "no commands in moongate --help"
for cmd in $commands; do
	grep -q "^\.B $cmd\$" "$src/docs/moongate.1" || fail "moongate.1 does not document $cmd"
	grep -q "commands=\".*\b$cmd\b" "$src/contrib/bash-completion/moongate" ||
		fail "the bash completion does not offer $cmd"
done
for cmd in $commands; do
	case $cmd in version | help) continue ;; esac
	for opt in $("$bin" "$cmd" --help 2>&1 | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		roff=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
		grep -q -- "$roff" "$src/docs/moongate.1" || fail "moongate.1 does not document $cmd $opt"
		grep -q -- "$opt\b" "$src/contrib/bash-completion/moongate" ||
			fail "the bash completion does not offer $cmd $opt"
	done
done
if command -v groff >/dev/null; then
	warnings=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$src/docs/moongate.1" 2>&1)
	[ -z "$warnings" ] || fail "moongate.1: $warnings"
fi
bash -n "$src/contrib/bash-completion/moongate" || fail "the bash completion has syntax errors"

# 3. The command line.
"$bin" check --help 2>&1 | grep -q sarif || fail "'moongate check' does not offer --format sarif"

printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: x\n' >"$tmp/broken.yaml"

# run NAME EXPECTED_CODES URI ARGS...: every format over ARGS, exit code among EXPECTED_CODES
run() {
	local name=$1 codes=$2 uri=$3
	shift 3
	for fmt in sarif junit github markdown; do
		local out="$tmp/$name.$fmt" rc
		(cd "$src" && "$bin" check --no-config --format "$fmt" "$@") >"$out" 2>"$tmp/stderr"
		rc=$?
		case " $codes " in
		*" $rc "*) ;;
		*) cat "$tmp/stderr" >&2; fail "$name/$fmt: exit $rc, expected one of $codes"; continue ;;
		esac
		if [ "$fmt" = sarif ] && [ -n "$uri" ]; then
			validate sarif "$out" "$uri"
		else
			validate "$fmt" "$out"
		fi
	done
}

run multi-cloud "0 1" examples/multi-cloud/plan.json examples/multi-cloud/plan.json
run azure-openai "0 1" examples/azure-openai/plan.json examples/azure-openai/plan.json
run aws-bedrock "0 1" examples/aws-bedrock/plan.json examples/aws-bedrock/plan.json
run kubernetes "0 1" "" examples/kubernetes
run policy-error "3" "" --no-builtin --policy tests/golden/policy-error/policies \
	tests/golden/policy-error/plan.json
run broken-input "2" "" "$tmp/broken.yaml"
# The shared corpus: real plans, manifests and templates, some deliberately broken; outside
# the repository, so their URIs are absolute.
corpus=${MOONGATE_CORPUS:-}
if [ -d "$corpus/tfplan" ]; then
	run corpus "0 1 2 3" "" "$corpus/tfplan" "$corpus/k8s" "$corpus/cloudformation"
	grep -q '"uri": "file:///' "$tmp/corpus.sarif" || fail "corpus: no absolute file URI"
fi

# An unparsable input is reported as a failed execution with its position.
grep -q '"executionSuccessful": false' "$tmp/broken-input.sarif" ||
	fail "broken input: executionSuccessful is not false"
grep -q 'type="input-error"' "$tmp/broken-input.junit" || fail "broken input: no JUnit error case"
grep -q '^::error file=.*broken.yaml,line=' "$tmp/broken-input.github" ||
	fail "broken input: no ::error annotation with a line"

# Several formats in one run: each FORMAT=FILE report is the one --format FORMAT writes.
(cd "$src" && "$bin" check --no-config --format "sarif=$tmp/multi.sarif" \
	--format "junit=$tmp/multi.xml" --format text examples/multi-cloud/plan.json) \
	>"$tmp/multi.txt" 2>"$tmp/stderr"
rc=$?
case $rc in
0 | 1)
	validate sarif "$tmp/multi.sarif"
	validate junit "$tmp/multi.xml"
	cmp -s "$tmp/multi.sarif" "$tmp/multi-cloud.sarif" ||
		fail "--format sarif=FILE differs from --format sarif"
	grep -q '^examples/multi-cloud/plan.json:' "$tmp/multi.txt" || fail "no text report on stdout" ;;
*) cat "$tmp/stderr" >&2; fail "several formats in one run: exit $rc" ;;
esac

# --changed-only: JUnit lists no passing case for a plan resource the plan leaves alone.
case_dir="$src/tests/golden/changed-only"
for flag in "" --changed-only; do
	(cd "$case_dir" && "$bin" check --no-config --no-builtin --policy policies $flag \
		--format junit plan.json) >"$tmp/changed$flag.xml" 2>/dev/null
	validate junit "$tmp/changed$flag.xml"
done
grep -q 'name="aws_s3_bucket.unchanged"' "$tmp/changed.xml" ||
	fail "junit: the unchanged resource is missing without --changed-only"
grep -q 'name="aws_s3_bucket.unchanged"' "$tmp/changed--changed-only.xml" &&
	fail "junit --changed-only lists the unchanged resource as a passing case"

run_queued
exit $failed
