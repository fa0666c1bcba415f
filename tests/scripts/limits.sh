#!/bin/bash
# --limit NAME=VALUE: each limit stops what exceeds it with a precise message and the
# documented exit code, while what stays within it still runs.
set -u
bin=${MOONGATE_BIN:?}
src=${MOONGATE_SOURCE_DIR:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }

# expect RC PATTERN ARGS...: runs moongate check, wants exit RC and PATTERN in its output
# (errors on stderr, the report on stdout).
expect() {
	local rc=$1 pattern=$2
	shift 2
	"$bin" check --no-config --color never "$@" >"$tmp/out" 2>"$tmp/err"
	local got=$?
	[ "$got" = "$rc" ] || fail "$*: exit $got, expected $rc ($(head -c 300 "$tmp/err"))"
	cat "$tmp/err" "$tmp/out" >"$tmp/all"
	grep -qE -- "$pattern" "$tmp/all" || fail "$*: no '$pattern' in: $(head -c 300 "$tmp/err")"
}

printf '{"a": [[[1]]]}' >"$tmp/deep.json"
printf 'a: &a [1, 2, 3, 4]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n' >"$tmp/alias.yaml"
printf 'a: 1\n---\nb: 2\n---\nc: 3\n' >"$tmp/docs.yaml"
head -c 3000 /dev/zero | tr '\0' ' ' >"$tmp/big.json"
printf '{}' >>"$tmp/big.json"

expect 2 "deep.json:1:[0-9]+: nesting deeper than 3 levels" --limit depth=3 "$tmp/deep.json"
expect 0 "no findings" --limit depth=4 "$tmp/deep.json"
expect 2 "alias.yaml:[0-9]+:[0-9]+: .*alias" --limit alias-nodes=10 "$tmp/alias.yaml"
expect 2 "docs.yaml:[0-9]+:[0-9]+: .*document" --limit documents=2 "$tmp/docs.yaml"
expect 2 "big.json: file is .*over the 2 KB limit" --limit file-size=2K "$tmp/big.json"
expect 3 "memory limit exceeded" --limit lua-memory=200K "$src/examples/aws-bedrock"
expect 3 "instruction budget exceeded \(1000 instructions\)" --limit instructions=1000 \
	"$src/examples/aws-bedrock"
expect 3 "more than 1 findings \(raise it with --limit findings=N\)" --limit findings=1 \
	"$src/examples/aws-bedrock"
# The first findings of a policy that hit the findings limit are still reported.
grep -q "residency/ai-processing" "$tmp/out" || fail "findings before the limit were lost"
printf '{"a": "%s"}' "$(head -c 3000 /dev/zero | tr '\0' x)" >"$tmp/long.json"
expect 2 "long.json:1:7: string of 3000 bytes exceeds the limit of 1024 bytes" \
	--limit string-length=1K "$tmp/long.json"
expect 0 "no findings" --limit string-length=3K "$tmp/long.json"
# In YAML the limit applies to the string after folding: two 600-byte lines make 1202 bytes.
y=$(head -c 600 /dev/zero | tr '\0' y)
printf 'a: >\n  %s\n  %s\n' "$y" "$y" >"$tmp/fold.yaml"
expect 2 "fold.yaml:1:4: string of 1202 bytes exceeds the limit of 1024 bytes" \
	--limit string-length=1K "$tmp/fold.yaml"
expect 0 "no findings" --limit string-length=2K "$tmp/fold.yaml"
# A pattern that backtracks 2^14 times: within the default PCRE2 match limit, over 1000.
mkdir -p "$tmp/rx/t"
cat >"$tmp/rx/t/rx.lua" <<'LUA'
return {
  title = "regex", severity = "low", description = "a regex that backtracks 2^14 times",
  check = function(r)
    if moongate.regex.test(string.rep("a", 14) .. "!", "^(a+)+$") then return {message = "m"} end
  end,
}
LUA
rx=(--no-builtin --policy "$tmp/rx" "$src/examples/kubernetes/ai-client.yaml")
expect 0 "no findings in 1 file, 4 resources, 1 policy" "${rx[@]}"
expect 3 "policy 't/rx': error while checking 'Namespace/ai-apps': regex match limit exceeded" \
	--limit regex-match=1000 "${rx[@]}"
expect 2 "invalid '--limit regex-depth=0'" --limit regex-depth=0 "${rx[@]}"
# Depth and heap limits make matching interpreted (the JIT ignores them), and then bind.
expect 3 "policy 't/rx': .*regex match limit exceeded" --limit regex-depth=2 "${rx[@]}"
expect 3 "policy 't/rx': .*regex match limit exceeded" --limit regex-heap=1K "${rx[@]}"
expect 0 "no findings" --limit regex-heap=64K "${rx[@]}"
expect 2 "invalid '--limit depthx=3': expected NAME=VALUE" --limit depthx=3 "$tmp/deep.json"
expect 2 "invalid '--limit depth=0': depth takes a positive whole number" --limit depth=0 \
	"$tmp/deep.json"
expect 2 "invalid value 'lots' for '--limit'" --limit lua-memory=lots "$tmp/deep.json"

# The same limits from the config file's limits mapping; a flag wins over the config.
mkdir -p "$tmp/cfg"
cp "$tmp/big.json" "$tmp/cfg/big.json"
# cfgrun RC PATTERN CONFIG ARGS...: runs moongate check in $tmp/cfg with CONFIG as its config.
cfgrun() {
	local rc=$1 pattern=$2
	printf '%b' "$3" >"$tmp/cfg/.moongate.yaml"
	shift 3
	(cd "$tmp/cfg" && "$bin" check --color never --no-builtin "$@" >"$tmp/out" 2>"$tmp/err")
	local got=$?
	[ "$got" = "$rc" ] || fail "config $*: exit $got, expected $rc ($(head -c 300 "$tmp/err"))"
	grep -qE -- "$pattern" "$tmp/err" "$tmp/out" || fail "config $*: no '$pattern' in: $(head -c 300 "$tmp/err")"
}
cfgrun 2 "big.json: file is .*over the 2 KB limit" 'limits:\n  file-size: 2K\n' big.json
cfgrun 0 "no findings" 'limits:\n  file-size: 2K\n' --limit file-size=1M big.json
cfgrun 0 "no findings" 'limits: { file-size: 1M, depth: 4 }\n' big.json
cfgrun 2 "\.moongate\.yaml:2:3: unknown limit 'lua-memroy' \(did you mean 'lua-memory'\?\)" \
	'limits:\n  lua-memroy: 200K\n' big.json
cfgrun 2 "\.moongate\.yaml:1:24: invalid 'limits: instructions': instructions takes a positive" \
	'limits: {instructions: lots}\n' big.json
cfgrun 2 "\.moongate\.yaml:1:9: 'limits' must be a mapping" 'limits: [1]\n' big.json
cfgrun 3 "policy 't/rx'.*regex match limit exceeded" 'limits: {regex-match: 1000}\n' \
	--policy "$tmp/rx" "$src/examples/kubernetes/ai-client.yaml"

# A finding message is kept up to 4096 bytes, cut at a UTF-8 character boundary: 4095 bytes
# of "x" then a 2-byte character that would straddle the cap.
mkdir -p "$tmp/pol/m"
cat >"$tmp/pol/m/long.lua" <<'LUA'
return {
  title = "long message", severity = "low", description = "a very long finding message",
  check = function(r) return {message = string.rep("x", 4095) .. string.rep("\u{e9}", 100)} end,
}
LUA
"$bin" check --no-config --no-builtin --policy "$tmp/pol" --fail-on never --format json \
	"$src/examples/kubernetes/ai-client.yaml" >"$tmp/long.json" 2>"$tmp/err" ||
	fail "long message: exit $? ($(head -c 300 "$tmp/err"))"
python3 - "$tmp/long.json" <<'PY' || fail "long message not truncated as documented"
import json, sys
msgs = [f["message"] for f in json.load(open(sys.argv[1]))["findings"]]
assert msgs, "no findings"
want = "x" * 4095 + "\u2026 (truncated, 4295 bytes)"
for m in msgs:
    assert m == want, repr(m[4090:])
PY

[ $failed = 0 ] && echo "limits: all cases passed"
exit $failed
