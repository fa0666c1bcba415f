#!/bin/bash
# Hostile inputs: every bad file is an error naming file:line:column (or the file), exit 2, no
# crash, no hang, and the findings of the good file beside it are still reported.
set -u
bin=${MOONGATE_BIN:?} src=${MOONGATE_SOURCE_DIR:?}
good=$src/examples/kubernetes/ai-client.yaml
[ -f "$good" ] || { echo "no $good"; exit 77; }
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp"; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
cp "$good" good.yaml
fails=0
as_user=() # a command prefix that runs moongate as another user (see the unreadable file)
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect NAME RC PATTERN [ARGS...]: runs check on good.yaml and the args (60 s at most).
expect() {
	local name=$1 rc=$2 pattern=$3
	shift 3
	timeout 60 "${as_user[@]}" "$bin" check good.yaml "$@" > out 2> err
	local got=$?
	[ "$got" = "$rc" ] || fail "$name: exit $got, expected $rc ($(head -c 300 err))"
	[ -z "$pattern" ] || grep -qF -- "$pattern" err || fail "$name: no '$pattern' in: $(head -c 300 err)"
	grep -q '^good.yaml:16:26: medium \[egress/cross-cloud-ai\]' out ||
		fail "$name: the good file's findings are lost"
	grep -qi 'sanitizer\|runtime error' err && fail "$name: sanitizer report"
	true
}

printf '{"a": [1, 2' > trunc.json
expect "truncated json" 2 "trunc.json:1:12: expected ',' or ']'" trunc.json
printf 'a: [1, 2\n' > trunc.yaml
expect "truncated yaml" 2 "trunc.yaml:2:1: did not find expected ',' or ']'" trunc.yaml
printf '{"a":"\xff\xfe"}' > badutf8.json
expect "invalid utf-8" 2 "badutf8.json:1:7: invalid UTF-8 byte 0xff" badutf8.json
printf 'a: "\xc3\x28"\n' > badutf8.yaml
expect "invalid utf-8 yaml" 2 "badutf8.yaml:" badutf8.yaml
printf '{"a":"x\0y"}' > nul.json
expect "nul byte" 2 "nul.json:1:8: unescaped control character 0x00" nul.json
python3 -c "print('[' * 100000 + ']' * 100000)" > deep.json
expect "100000 nested arrays" 2 "deep.json:1:513: nesting deeper than 512 levels" deep.json
python3 -c "print('a:\n' + ''.join(' ' * i + '- \n' for i in range(2, 3000)))" > deep.yaml
expect "deep yaml" 2 "deep.yaml:" deep.yaml
python3 - <<'PY'
s = "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
for i in range(1, 10):
    n, p = chr(97 + i), chr(96 + i)
    s += f"{n}: &{n} [" + ",".join(["*" + p] * 10) + "]\n"
open("bomb.yaml", "w").write(s)
open("docs.yaml", "w").write("---\na: 1\n" * 1000000)
PY
expect "yaml alias bomb" 2 "bomb.yaml:6:29: alias '*e' exceeds the limit of" bomb.yaml
# Under AddressSanitizer the 100,000 documents before the limit take minutes: normal builds only.
grep -q __asan_init "$bin" ||
	expect "a million yaml documents" 2 "docs.yaml:200001:1: more than 100000 documents" docs.yaml
# Anchors inside a mapping rewritten by a merge key move with it (fuzzing found stale ranges).
printf 'base: &b {x: 1}\na:\n  <<: *b\n  k: &x {c: 1}\nd: *x\n' > merge.yaml
"$bin" parse merge.yaml | grep -qF '"a":{"x":1,"k":{"c":1}},"d":{"c":1}' ||
	fail "anchor inside a merged mapping: $("$bin" parse merge.yaml 2>&1 | head -c 400)"
printf 'f:\n  <<: {g: &z 2}\nh: *z\n' > merge2.yaml
expect "alias into a merge source" 2 "merge2.yaml:3:4: alias '*z' refers to a node inside a merge" \
	merge2.yaml
printf '? [a, &k [b]]\n: 1\nc: *k\n' > key.yaml
"$bin" parse key.yaml | grep -qF '"c":["b"]' ||
	fail "alias into a collection key: $("$bin" parse key.yaml 2>&1 | head -c 400)"
# Collections nested as keys: escaping doubles at each level, so their text is capped.
python3 -c "
s = '\"q\\\\\"\"'
for i in range(40): s = '{' + s + ': 1}'
open('keys.yaml', 'w').write('a: ' + s + '\n')"
expect "keys nested as keys" 2 "keys.yaml:1:29: mapping key longer than 65536 bytes as text" keys.yaml
head -c 4096 "$bin" > binary.json
expect "binary file" 2 "binary.json:1:1: expected a value" binary.json
head -c 4096 "$bin" > binary.yaml
expect "binary file as yaml" 2 "binary.yaml:" binary.yaml
: > empty.json
expect "empty file" 2 "empty.json:1:1: empty document" empty.json
mkfifo fifo.json
expect "fifo" 2 "fifo.json: not a regular file" fifo.json
expect "missing file" 2 "nosuch.json: " nosuch.json
head -c 4096 /dev/zero | tr '\0' ' ' > big.json; echo '{}' >> big.json
expect "file size limit" 2 "big.json: file is 4.0 KB, over the 2 KB limit (--max-file-size)" \
	--max-file-size 2K big.json
# Root reads any file: as root, the case runs as nobody when setpriv can switch to it.
echo '{}' > unreadable.json; chmod 000 unreadable.json
if [ "$(id -u)" = 0 ]; then
	chmod 755 "$tmp"
	as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
	"${as_user[@]}" "$bin" --version > /dev/null 2>&1 || as_user=()
fi
if [ "$(id -u)" != 0 ] || [ ${#as_user[@]} -gt 0 ]; then
	expect "unreadable file" 2 "unreadable.json: cannot open: Permission denied" unreadable.json
else
	echo "SKIP: unreadable file (running as root without setpriv)"
fi
as_user=()

# Huge numbers are valid JSON: kept as floats, no error.
printf '{"a":1e999999999,"b":123456789012345678901234567890,"c":-1e-99999}' > huge.json
expect "huge numbers" 1 "" huge.json
grep -q 'huge.json' err && fail "huge numbers: unexpected diagnostic $(cat err)"

# Duplicate keys: the last value is used, with a warning at each repetition (exit unchanged).
printf '{"a": 1,\n "b": {"x": 1, "x": 2},\n "a": 3}' > dup.json
expect "duplicate json keys" 1 "dup.json:2:16: warning: duplicate key 'x' (the last value is used; first at line 2)" dup.json
grep -qF "dup.json:3:2: warning: duplicate key 'a' (the last value is used; first at line 1)" err ||
	fail "duplicate json keys: second warning missing: $(cat err)"
printf 'a: 1\nb: 2\na: 3\n' > dup.yaml
expect "duplicate yaml keys" 1 "dup.yaml:3:1: warning: duplicate key 'a' (the last value is used; first at line 1)" dup.yaml
"$bin" parse dup.yaml 2>/dev/null | grep -qF '"values":{"b":2,"a":3}' || fail "duplicate yaml keys: last value not used"

# A symbolic link loop in a scanned directory: each directory is entered once.
mkdir -p loop/sub && ln -s .. loop/sub/up && cp "$good" loop/k8s.yaml
timeout 10 "$bin" check loop > out 2> err
[ $? = 1 ] || fail "symlink loop: exit $?"
[ "$(grep -c 'egress/cross-cloud-ai' out)" = 2 ] || fail "symlink loop: findings $(cat out)"

# Standard input closed.
timeout 10 "$bin" check - <&- > out 2> err
[ $? = 2 ] || fail "stdin closed: exit code"
grep -q '^<stdin>: cannot read' err || fail "stdin closed: $(cat err)"

echo "hostile inputs: $fails failures"
[ "$fails" = 0 ]
