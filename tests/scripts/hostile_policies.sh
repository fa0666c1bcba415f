#!/bin/bash
# Hostile policies: each runaway or malicious policy becomes a policy error naming it (exit 3),
# and a well-behaved policy run beside them still reports its finding.
set -u
bin=${MOONGATE_BIN:?} src=${MOONGATE_SOURCE_DIR:?}
good=$src/examples/kubernetes/ai-client.yaml
[ -f "$good" ] || { echo "no $good"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/pol/h"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# policy NAME CHECK-BODY: writes the policy h/NAME.
policy() {
	cat > "$tmp/pol/h/$1.lua" <<LUA
return {
  title = "hostile $1", severity = "low", description = "hostile policy $1",
  check = function(r, ctx)
$2
  end,
}
LUA
}
policy loop 'while true do end'
policy pcall_loop 'for i = 1, 100 do pcall(function() while true do end end) end'
policy coroutine_loop 'local co = coroutine.wrap(function() while true do end end) co()'
policy coroutine_pcall 'for i = 1, 100 do local co = coroutine.create(function() while true do end end) pcall(coroutine.resume, co) end'
policy coroutine_swallow 'for i = 1, 1e9 do local ok = coroutine.resume(coroutine.create(function() while true do end end)) end return {message = "swallowed"}'
policy coroutine_yield 'local co = coroutine.wrap(function() while true do coroutine.yield() end end) while true do pcall(co) end'
policy coroutine_close 'local co = coroutine.create(function() coroutine.yield(1) end) coroutine.resume(co) assert(coroutine.close(co)) assert(coroutine.isyieldable() == false) while true do end'
policy rep_bomb 'return {message = string.rep("x", 1 << 40)}'
policy concat_bomb 'local s = "x" for i = 1, 64 do s = s .. s end'
policy table_bomb 'local t = {} for i = 1, 1e12 do t[i] = {i, i, i, i} end'
policy recursion 'local function f(n) return 1 + f(n + 1) end return f(1)'
policy tostring_error 'error(setmetatable({}, {__tostring = function() error("again") end}))'
policy require_traversal 'return require("../../etc/passwd")'
policy wrong_types 'return {message = {1, 2}, path = 42}'
policy regex_bomb 'return moongate.regex.match(string.rep("a", 40) .. "!", "^(a+)+$") and {} or nil'
policy good 'if r.type == "Deployment" then return {message = "good policy still runs"} end'

# name PATTERN: the policy error message expected of h/NAME.
declare -A expect=(
	[loop]="time limit exceeded|instruction"
	[pcall_loop]="time limit exceeded|instruction"
	[coroutine_loop]="time limit exceeded|instruction"
	[coroutine_pcall]="time limit exceeded|instruction"
	[coroutine_swallow]="time limit exceeded|instruction"
	[coroutine_yield]="time limit exceeded|instruction"
	[coroutine_close]="time limit exceeded|instruction"
	[rep_bomb]="string too large|not enough memory|memory"
	[concat_bomb]="not enough memory|memory|string length overflow"
	[table_bomb]="not enough memory|memory|time limit exceeded|instruction"
	[recursion]="stack overflow|time limit exceeded|memory limit exceeded"
	[tostring_error]="error while checking"
	[require_traversal]="module '../../etc/passwd' not found"
	[wrong_types]="a finding needs a string message"
	[regex_bomb]="regex match limit exceeded"
)
cd "$tmp" && cp "$good" good.yaml
timeout 300 "$bin" check --no-builtin --policy pol --policy-timeout 3 good.yaml > out 2> err
rc=$?
[ "$rc" = 3 ] || fail "exit $rc, expected 3"
grep -q '^good.yaml:[0-9]*:[0-9]*: low \[h/good\] Deployment/ai-apps/chat-client: good policy still runs$' out ||
	fail "the good policy's finding is lost: $(head -c 500 out)"
for name in "${!expect[@]}"; do
	line=$(grep -E "^pol/h/$name.lua:([0-9]+:)? policy 'h/$name': " err | head -1)
	[ -n "$line" ] || { fail "$name: no policy error naming it"; continue; }
	echo "$line" | grep -qE -- "${expect[$name]}" || fail "$name: unexpected error: $line"
done
grep -qi 'sanitizer\|runtime error' err && fail "sanitizer report: $(grep -i -m3 'sanitizer\|runtime error' err)"
grep -q "swallowed" out && fail "coroutine.resume swallowed the budget error"
grep -q "/etc/passwd" out && fail "require traversal leaked a file"
echo "hostile policies: $fails failures"
[ "$fails" = 0 ]
