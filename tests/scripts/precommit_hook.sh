#!/usr/bin/env bash
# The shipped .pre-commit-hooks.yaml works with a real pre-commit: in a temporary git
# repository whose .pre-commit-config.yaml uses this checkout's hooks (copied into a local
# hook repository at a pinned rev), a staged violating manifest or plan blocks `git commit`
# and clean files pass. pre-commit runs offline: language system, a local repo, its own
# PRE_COMMIT_HOME; moongate is found through PATH (the build directory).
set -u
src=${MOONGATE_SOURCE_DIR:?}
bin=${MOONGATE_BIN:?}

if ! command -v pre-commit >/dev/null; then
	echo "SKIPPED: pre-commit is not installed (Debian package pre-commit, make test-deps)" >&2
	exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PRE_COMMIT_HOME=$tmp/pre-commit-home
export PATH="$(dirname "$bin"):$PATH"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 # no hooksPath or templates from outside
export GIT_AUTHOR_NAME=moongate GIT_AUTHOR_EMAIL=moongate@example.invalid
export GIT_COMMITTER_NAME=moongate GIT_COMMITTER_EMAIL=moongate@example.invalid
failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }

[ "$(command -v moongate)" = "$(cd "$(dirname "$bin")" && pwd)/moongate" ] ||
	{ echo "moongate is not the built binary on PATH" >&2; exit 1; }

# The shipped manifest and the documented configuration are what pre-commit expects.
pre-commit validate-manifest "$src/.pre-commit-hooks.yaml" || fail ".pre-commit-hooks.yaml is invalid"
pre-commit validate-config "$src/examples/ci/pre-commit-config.yaml" ||
	fail "examples/ci/pre-commit-config.yaml is invalid"
# docs/ci.md's copy-paste configuration (the yaml block that starts with repos:) too
awk '/^```yaml$/ { inblock = 1; first = 1; keep = 0; next } /^```$/ { inblock = 0 }
     inblock { if (first) { keep = /^repos:/; first = 0 } if (keep) print }' "$src/docs/ci.md" >"$tmp/doc-config.yaml"
grep -q '^repos:' "$tmp/doc-config.yaml" && pre-commit validate-config "$tmp/doc-config.yaml" ||
	fail "the .pre-commit-config.yaml in docs/ci.md is invalid"

# The hook repository: this checkout's hook manifest at a pinned commit.
hooks=$tmp/hooks
git init -q "$hooks"
cp "$src/.pre-commit-hooks.yaml" "$hooks/"
git -C "$hooks" add .pre-commit-hooks.yaml
git -C "$hooks" -c user.name=moongate -c user.email=moongate@example.invalid \
	commit -qm "moongate hooks"
rev=$(git -C "$hooks" rev-parse HEAD)

# The project under test: an organisation policy, so the outcome does not depend on the
# built-in pack: anything named "public..." is a finding.
work=$tmp/work
git init -q "$work"
git -C "$work" config user.name moongate
git -C "$work" config user.email moongate@example.invalid
mkdir -p "$work/policies/acme"
cat >"$work/policies/acme/public.lua" <<'LUA'
return {
  title = "Nothing may be named public",
  severity = "high",
  description = "Resources named public-something are exposed by convention.",
  check = function(r)
    if r.name and r.name:find("^public") then return r.address .. " is named public" end
  end,
}
LUA
cat >"$work/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: moongate
        args: [--no-builtin, --policy, policies]
      - id: moongate-plan
        args: [--no-builtin, --policy, policies]
YAML

manifest() { # NAME: a ConfigMap called NAME
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n  namespace: default\ndata:\n  LOG_LEVEL: info\n' "$1"
}
plan() { # NAME: a plan creating a bucket called NAME
	cat <<JSON
{"format_version": "1.2", "terraform_version": "1.9.5",
 "resource_changes": [
  {"address": "aws_s3_bucket.$1", "mode": "managed", "type": "aws_s3_bucket", "name": "$1",
   "provider_name": "registry.terraform.io/hashicorp/aws",
   "change": {"actions": ["create"], "before": null,
              "after": {"bucket": "acme-$1", "region": "eu-west-1"}, "after_unknown": {}}}]}
JSON
}

cd "$work" || exit 1
pre-commit install >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log" >&2; exit 1; }

# commit MESSAGE: runs `git commit` (and so the hooks); output in $tmp/out, status returned
commit() {
	git commit -qm "$1" >"$tmp/out" 2>&1
}
head_is() { [ "$(git rev-list --count HEAD 2>/dev/null || echo 0)" = "$1" ]; }

# 1. clean manifest, config and policy: the commit goes through, the hook ran and passed
manifest settings >k8s-settings.yaml
git add .pre-commit-config.yaml policies k8s-settings.yaml
commit "clean" || { cat "$tmp/out" >&2; fail "a clean manifest was blocked"; }
grep -q '^moongate\.*Passed' "$tmp/out" || { cat "$tmp/out" >&2; fail "the moongate hook did not run and pass"; }
head_is 1 || fail "the clean commit is missing"

# 2. a violating manifest: blocked, with moongate's finding in the output
manifest public-settings >k8s-public.yaml
git add k8s-public.yaml
if commit "violating manifest"; then
	fail "a violating manifest was committed"
fi
grep -q '^moongate\.*Failed' "$tmp/out" || fail "the moongate hook did not fail"
grep -Eq 'k8s-public.yaml:[0-9]+:[0-9]+: high \[acme/public\] ConfigMap/default/public-settings' "$tmp/out" ||
	{ cat "$tmp/out" >&2; fail "the finding is not in the hook's output"; }
head_is 1 || fail "the violating commit went through"
git rm -q --cached k8s-public.yaml
rm k8s-public.yaml

# 3. plans go to moongate-plan only: a violating plan is blocked by it
plan public_logs >tfplan.json
git add tfplan.json
if commit "violating plan"; then
	fail "a violating plan was committed"
fi
grep -q '^moongate (Terraform plan)\.*Failed' "$tmp/out" || { cat "$tmp/out" >&2; fail "moongate-plan did not fail"; }
grep -q '^moongate\.*(no files to check)Skipped' "$tmp/out" ||
	{ cat "$tmp/out" >&2; fail "the manifest hook also took the plan"; }
grep -q 'aws_s3_bucket.public_logs is named public' "$tmp/out" || fail "plan finding missing"
head_is 1 || fail "the violating plan was committed"

# 4. the same plan, clean: passes
plan logs >tfplan.json
git add tfplan.json
commit "clean plan" || { cat "$tmp/out" >&2; fail "a clean plan was blocked"; }
grep -q '^moongate (Terraform plan)\.*Passed' "$tmp/out" || fail "moongate-plan did not pass"
head_is 2 || fail "the clean plan commit is missing"

# 5. a file neither hook takes: both skip
echo "# notes" >README.md
git add README.md
commit "docs" || { cat "$tmp/out" >&2; fail "a README was blocked"; }
head_is 3 || fail "the README commit is missing"

# 6. broken YAML is an error (exit 2), which blocks too
printf 'kind: ConfigMap\nmetadata: {name: x\n' >broken.yaml
git add broken.yaml
if commit "broken"; then
	fail "an unparsable manifest was committed"
fi
grep -q 'broken.yaml:' "$tmp/out" || { cat "$tmp/out" >&2; fail "no position for the parse error"; }

exit $failed
