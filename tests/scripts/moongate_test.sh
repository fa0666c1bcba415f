#!/bin/sh
# `moongate test`: the built-in pack's tests pass and reach the coverage thresholds (every
# policy has a passing and a failing test, at least 90% of policy lines run); on the small
# root under tests/data/ptest/: failures with diffs, errors naming file:line, exit codes,
# -k, JSON and JUnit (valid against ../shared/schemas/junit.xsd when present); and
# `moongate new policy` writes a policy whose tests pass right away.
set -u
bin=${MOONGATE_BIN:?}
src=${MOONGATE_SOURCE_DIR:?}
schemas=${MOONGATE_SHARED:-}/schemas
root=$src/tests/data/ptest/root
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }
# expect_rc WANT CMD...: runs CMD with stdout in $tmp/out, stderr in $tmp/err
expect_rc() {
	want=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" = "$want" ] || { fail "exit $rc (want $want): $*"; cat "$tmp/out" "$tmp/err" >&2; }
}
has() { grep -qF -- "$1" "$tmp/out" || { fail "output lacks '$1'"; cat "$tmp/out" >&2; }; }
has_err() { grep -qF -- "$1" "$tmp/err" || { fail "stderr lacks '$1'"; cat "$tmp/err" >&2; }; }

# --- the built-in pack, from the sources of this checkout
cd "$src" || exit 1
expect_rc 0 "$bin" test policies
tail -n 1 "$tmp/out" | grep -Eq '^[1-9][0-9]* passed, 0 failed$' || fail "pack: $(tail -n 1 "$tmp/out")"
expect_rc 0 "$bin" test --coverage --format json policies
python3 - "$tmp/out" <<'PY' || fail "built-in pack coverage below the thresholds"
import json, sys
report = json.load(open(sys.argv[1]))
cov = report["coverage"]
bad = [c["policy"] for c in cov if not (c["has_pass"] and c["has_fail"])]
lines = sum(c["lines"] for c in cov)
run = sum(c["lines_run"] for c in cov)
print(f"built-in pack: {len(cov)} policies, {run}/{lines} lines run ({100.0 * run / lines:.1f}%)")
if bad:
    print("without a passing and a failing test:", ", ".join(bad))
sys.exit(0 if len(cov) >= 10 and not bad and run >= 0.9 * lines else 1)
PY
cd "$tmp" || exit 1

# --- failures, diffs and errors
expect_rc 1 "$bin" test "$root"
has "ok   demo/bucket-acl pass-private"
has "ok   demo/bucket-acl fail-public"
has "ok   demo/bucket-acl param-config"
has "FAIL demo/bucket-acl wrong-expectation"
has "- missing    high aws_s3_bucket.other (expect.yaml:2)"
has '+ unexpected high aws_s3_bucket.logs "aws_s3_bucket.logs: acl is public-read-write" (line 10)'
has "bucket-acl.tests/bad-expect/expect.yaml:4: unknown key"
has "bucket-acl.tests/missing-expect/expect.yaml:1: cannot read the expected findings"
has "demo/bucket-acl.lua:12: policy 'demo/bucket-acl': error while checking 'aws_s3_bucket.logs': cannot classify acl boom"
has "FAIL demo/broken (load)"
has "demo/broken_test.lua:4: unexpected symbol near ')'"
has "ok   demo/bucket-acl unknown_acl_cannot_be_verified"
has "demo/bucket-acl_test.lua:38: expect_none: demo/bucket-acl reported 1 finding(s):"
has "demo/bucket-acl_test.lua:42: no policy 'demo/no-such-policy' is loaded from this root"
has "skip demo/bucket-acl skipped_for_now"
[ "$(tail -n 1 "$tmp/out")" = "8 passed, 7 failed, 2 skipped" ] || fail "closing line: $(tail -n 1 "$tmp/out")"

# --- -k: substring and glob over "policy name"
expect_rc 0 "$bin" test -k fail-public "$root"
[ "$(cat "$tmp/out")" = "ok   demo/bucket-acl fail-public
1 passed, 0 failed" ] || fail "-k fail-public: $(cat "$tmp/out")"
expect_rc 1 "$bin" test -k 'demo/bucket-acl *_on_purpose' "$root"
has "FAIL demo/bucket-acl fails_on_purpose"
[ "$(tail -n 1 "$tmp/out")" = "0 passed, 1 failed" ] || fail "-k glob: $(tail -n 1 "$tmp/out")"

# --- JSON and JUnit
expect_rc 1 "$bin" test --format json "$root"
python3 - "$tmp/out" <<'PY' || fail "JSON report"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["version"] == 1 and r["summary"] == {"passed": 8, "failed": 7, "skipped": 2}, r["summary"]
t = {x["name"]: x for x in r["tests"]}
assert t["fails_on_purpose"]["status"] == "fail" and t["fails_on_purpose"]["line"] == 36
assert "expect_none" in t["fails_on_purpose"]["detail"]
assert t["pass-private"]["status"] == "pass" and t["pass-private"]["detail"] is None
assert t["skipped"]["status"] == "skip"
PY
expect_rc 1 "$bin" test --format json -o "$tmp/report.json" "$root"
[ -s "$tmp/report.json" ] && [ ! -s "$tmp/out" ] || fail "--output did not write the report to its file"
expect_rc 1 "$bin" test --format junit "$root"
has '<testcase name="wrong-expectation" classname="demo/bucket-acl"'
if [ -f "$schemas/junit.xsd" ] && command -v xmllint >/dev/null; then
	xmllint --noout --schema "$schemas/junit.xsd" "$tmp/out" 2>"$tmp/xml.err" ||
		{ cat "$tmp/xml.err" >&2; fail "JUnit report is not valid"; }
fi

# --- budgets: a test or a policy that never ends fails, and the next test still runs
expect_rc 1 "$bin" test --policy-timeout 0.5 "$src/tests/data/ptest/budget"
has "FAIL x/loop loops_forever"
has "loop_test.lua:4: time limit exceeded"
has "FAIL x/loop runs_forever"
has "FAIL x/loop policy_loops"
has "ok   x/loop after"

# --- a case whose config.yaml is invalid fails naming it
mkdir -p "$tmp/cfgroot" && cp -r "$root/demo" "$tmp/cfgroot/" &&
	printf 'policies:\n  demo/bucket-acl:\n    sevrity: low\n' \
		>"$tmp/cfgroot/demo/bucket-acl.tests/param-config/config.yaml"
expect_rc 1 "$bin" test -k param-config "$tmp/cfgroot"
has "FAIL demo/bucket-acl param-config"
has "param-config/config.yaml:3:"

# --- usage and load errors exit 2
expect_rc 2 "$bin" test "$tmp/no-such-root"
has_err "no-such-root: cannot read policy directory"
expect_rc 2 "$bin" test --format xml "$root"
expect_rc 2 "$bin" test --policy-timeout 0 "$root"

# --- moongate new policy: passes as written, with coverage
expect_rc 0 "$bin" new policy acme/tagging --dir "$tmp/org"
for f in acme/tagging.lua acme/tagging_test.lua acme/tagging.tests/pass/expect.yaml \
         acme/tagging.tests/fail/expect.yaml; do
	[ -f "$tmp/org/$f" ] || fail "new policy did not write $f"
done
expect_rc 0 "$bin" test --coverage "$tmp/org"
has "5 passed, 0 failed"
has "acme/tagging                         yes  yes  100.0%"
expect_rc 0 "$bin" list --no-builtin --policy "$tmp/org"
has "acme/tagging"
expect_rc 2 "$bin" new policy acme/tagging --dir "$tmp/org"
has_err "already exists; nothing was written"
expect_rc 2 "$bin" new policy '../escape' --dir "$tmp/org"
expect_rc 2 "$bin" new widget x

# --- the default root: the config's policy_paths
mkdir -p "$tmp/proj" && cd "$tmp/proj" && printf 'policy_paths: [../org]\n' >.moongate.yaml
expect_rc 0 "$bin" test
has "5 passed, 0 failed"
exit $failed
