/* Tables of cases for the host modules policies use: regex, glob, cidr, json_decode. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "engine/mod_cidr.h"
#include "engine/mod_glob.h"
#include "engine/sandbox.h"
#include "util/xalloc.h"

static void test_glob(void **state)
{
	(void)state;
	static const struct {
		const char *pattern, *s;
		bool match;
	} cases[] = {
		{"aws_s3_bucket", "aws_s3_bucket", true},
		{"aws_s3_bucket", "aws_s3_bucket_policy", false},
		{"aws_s3_*", "aws_s3_bucket_policy", true},
		{"aws_s3_*", "aws_s3_", true},
		{"aws_s3_*", "aws_s3", false},
		{"*", "", true},
		{"", "", true},
		{"", "x", false},
		{"*_key", "aws_kms_key", true},
		{"*_key", "aws_kms_keys", false},
		{"a*b*c", "aXXbYYbZc", true},
		{"a*b*c", "aXXbYYbZ", false},
		{"azurerm_?", "azurerm_x", true},
		{"azurerm_?", "azurerm_xy", false},
		{"[ab]ws", "aws", true},
		{"[ab]ws", "cws", false},
		{"[!ab]ws", "cws", true},
		{"[^ab]ws", "aws", false},
		{"[a-c]x", "bx", true},
		{"[a-c]x", "dx", false},
		{"[]]", "]", true},
		{"x[", "x[", true},
		{"\\*", "*", true},
		{"\\*", "a", false},
		{"AWS::S3::*", "AWS::S3::Bucket", true},
		{"*/*", "Deployment/web", true},
		{"**a", "bba", true},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (mod_glob_match(cases[i].pattern, cases[i].s) != cases[i].match)
			fail_msg("glob '%s' on '%s' should be %d", cases[i].pattern, cases[i].s, cases[i].match);
	}
}

static void test_cidr(void **state)
{
	(void)state;
	static const struct {
		const char *op, *a, *b;
		int want; /* 1 true, 0 false, -1 invalid input */
	} cases[] = {
		{"contains", "10.0.0.0/8", "10.1.2.3", 1},
		{"contains", "10.0.0.0/8", "10.1.0.0/16", 1},
		{"contains", "10.1.0.0/16", "10.0.0.0/8", 0},
		{"contains", "10.0.0.0/8", "11.0.0.1", 0},
		{"contains", "10.0.0.1/8", "10.255.255.255", 1},
		{"contains", "0.0.0.0/0", "8.8.8.8", 1},
		{"contains", "2001:db8::/32", "2001:db8:1::1", 1},
		{"contains", "2001:db8::/32", "2001:db9::1", 0},
		{"contains", "::/0", "10.0.0.1", 0},
		{"contains", "192.168.1.0/24", "192.168.1.0/25", 1},
		{"overlaps", "10.0.0.0/8", "10.20.0.0/16", 1},
		{"overlaps", "10.20.0.0/16", "10.0.0.0/8", 1},
		{"overlaps", "10.0.0.0/16", "10.1.0.0/16", 0},
		{"overlaps", "fd00::/8", "fd12::/16", 1},
		{"is_public", "8.8.8.8", NULL, 1},
		{"is_public", "0.0.0.0/0", NULL, 1},
		{"is_public", "10.1.2.3", NULL, 0},
		{"is_public", "10.0.0.0/8", NULL, 0},
		{"is_public", "10.0.0.0/7", NULL, 1},
		{"is_public", "172.16.0.0/12", NULL, 0},
		{"is_public", "172.32.0.1", NULL, 1},
		{"is_public", "192.168.0.0/16", NULL, 0},
		{"is_public", "127.0.0.1", NULL, 0},
		{"is_public", "169.254.169.254", NULL, 0},
		{"is_public", "100.64.0.1", NULL, 0},
		{"is_public", "100.128.0.1", NULL, 1},
		{"is_public", "224.0.0.0/3", NULL, 0}, /* multicast + reserved, covered together */
		{"is_public", "192.0.2.10", NULL, 0},
		{"is_public", "::/0", NULL, 1},
		{"is_public", "2600::1", NULL, 1},
		{"is_public", "fd00::1", NULL, 0},
		{"is_public", "fe80::1", NULL, 0},
		{"is_public", "::1", NULL, 0},
		{"is_public", "2001:db8::/32", NULL, 0},
		{"is_public", "ff02::1", NULL, 0},
		{"is_any", "0.0.0.0/0", NULL, 1},
		{"is_any", "::/0", NULL, 1},
		{"is_any", "0.0.0.0/1", NULL, 0},
		{"is_any", "0.0.0.0", NULL, 0},
		{"is_any", "10.0.0.0/33", NULL, -1},
		{"is_any", "10.0.0/8", NULL, -1},
		{"is_any", "010.0.0.1", NULL, -1},
		{"is_any", "10.0.0.1/", NULL, -1},
		{"is_any", "10.0.0.1/x", NULL, -1},
		{"is_any", "*", NULL, -1},
		{"is_any", "", NULL, -1},
		{"is_any", "::/129", NULL, -1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct cidr a, b;
		bool ok = mod_cidr_parse(cases[i].a, &a) && (!cases[i].b || mod_cidr_parse(cases[i].b, &b));
		int got = -1;
		if (ok && strcmp(cases[i].op, "contains") == 0)
			got = mod_cidr_contains(&a, &b);
		else if (ok && strcmp(cases[i].op, "overlaps") == 0)
			got = mod_cidr_overlaps(&a, &b);
		else if (ok && strcmp(cases[i].op, "is_public") == 0)
			got = mod_cidr_is_public(&a);
		else if (ok)
			got = a.prefix == 0;
		if (got != cases[i].want)
			fail_msg("%s('%s', '%s') = %d, want %d", cases[i].op, cases[i].a,
			         cases[i].b ? cases[i].b : "", got, cases[i].want);
	}
}

/* Runs chunk in a fresh policy environment; returns its single string result or the error
 * (prefixed "error: "), newly allocated. */
static char *eval(struct sandbox *sb, const char *chunk)
{
	lua_State *L = sb->L;
	if (luaL_loadbufferx(L, chunk, strlen(chunk), "=case", "t") != LUA_OK) {
		char *msg = xasprintf("syntax: %s", lua_tostring(L, -1));
		lua_pop(L, 1);
		return msg;
	}
	sandbox_new_env(L);
	lua_setupvalue(L, -2, 1);
	struct sandbox_error err;
	sandbox_begin(sb, 10000000, 10);
	if (!sandbox_pcall(sb, 0, 1, &err)) {
		char *msg = xasprintf("error: %s", err.message);
		sandbox_error_free(&err);
		return msg;
	}
	char *s = xstrdup(lua_tostring(L, -1) ? lua_tostring(L, -1) : "(not a string)");
	lua_pop(L, 1);
	return s;
}

static const struct {
	const char *chunk;
	const char *want;
} lua_cases[] = {
	/* regex */
	{"return moongate.regex.match('eu-west-1', '^([a-z]+)-([a-z]+)-(\\\\d)$') .. ''",
	 "eu"},
	{"return table.concat({moongate.regex.match('eu-west-1', '^([a-z]+)-([a-z]+)-(\\\\d)$')}, ',')",
	 "eu,west,1"},
	{"return moongate.regex.match('abc123', '\\\\d+')", "123"},
	{"return tostring(moongate.regex.match('abc', '\\\\d+'))", "nil"},
	{"return tostring(moongate.regex.test('Standard_D4s_v5', '(?i)^standard_d'))", "true"},
	{"return tostring(moongate.regex.test('x', 'y'))", "false"},
	{"return table.concat({moongate.regex.find('hello world', 'o w')}, ',')", "5,7"},
	{"return table.concat({moongate.regex.find('abab', 'b', 3)}, ',')", "4,4"},
	{"return tostring(moongate.regex.find('abc', 'z'))", "nil"},
	{"return moongate.regex.match('h\\u{e9}llo', 'h(.)l')", "\xc3\xa9"},
	{"return tostring(moongate.regex.test('\\xff\\xfe', 'a'))", "false"},
	{"return moongate.regex.test('x', '(')", "error: invalid regex '(': missing closing parenthesis at offset 1"},
	{"return moongate.regex.test(string.rep('a', 30) .. 'b', '(a+)+$')",
	 "error: regex match limit exceeded"},
	{"local n = 0 for i = 1, 3000 do if moongate.regex.test('k' .. i, '^k' .. i .. '$') then n = n + 1 end end return tostring(n)",
	 "3000"},
	/* glob */
	{"return tostring(moongate.glob('aws_*', 'aws_s3_bucket'))", "true"},
	{"return tostring(moongate.glob('aws_*', 12))", "false"},
	/* cidr from Lua */
	{"return tostring(moongate.cidr.contains('10.0.0.0/8', '10.9.9.9'))", "true"},
	{"return tostring(moongate.cidr.is_public('0.0.0.0/0'))", "true"},
	{"return tostring(moongate.cidr.is_any('::/0'))", "true"},
	{"local ok, msg = moongate.cidr.is_public('Internet') return tostring(ok) .. ' ' .. msg",
	 "nil invalid address or CIDR 'Internet'"},
	{"local ok, msg = moongate.cidr.contains('10.0.0.0/8', moongate.unknown) return tostring(ok) .. ' ' .. msg",
	 "nil address or CIDR expected, got userdata"},
	{"return tostring(moongate.cidr.valid('10.0.0.0/8')) .. tostring(moongate.cidr.valid('x'))", "truefalse"},
	/* json_decode */
	{"local v = moongate.json_decode('[{\"name\": \"web\", \"port\": 80, \"cpu\": 0.5, \"env\": null}]')\n"
	 "return v[1].name .. ' ' .. math.type(v[1].port) .. ' ' .. math.type(v[1].cpu) .. ' ' .. tostring(v[1].env)",
	 "web integer float nil"},
	{"return moongate.json_decode('\"a\\\\u00e9\\\\n\"')", "a\xc3\xa9\n"},
	{"return tostring(moongate.json_decode('true'))", "true"},
	{"local v, err = moongate.json_decode('{\"a\": }') return tostring(v) .. ' ' .. err", NULL},
	{"local v, err = moongate.json_decode('') return tostring(v)", "nil"},
	{"return tostring(moongate.json_decode('{\"a\": 1, \"a\": 2}').a)", "2"},
	/* contains, on strings and plain tables */
	{"return tostring(moongate.contains('x.openai.azure.com/v1', '.openai.azure.com'))", "true"},
	{"return tostring(moongate.contains('abc', { 'zz', 'bc' }))", "true"},
	{"return tostring(moongate.contains('abc', { 'abcd' }))", "false"},
	{"return tostring(moongate.contains({ k = { 1, { 'in here' } } }, 'here'))", "true"},
	{"return tostring(moongate.contains({ here = 1 }, 'here'))", "false"},
	{"return tostring(moongate.contains(42, '4'))", "false"},
	/* against a plain search: 3,000 strings and sets of texts from a small alphabet (texts
	 * empty, of one byte, multi-byte, at the start, at the end, sharing first bytes) */
	{"local abc, seed, bad = { 'a', 'b', 'c', '.', '\195\169' }, 7, 0\n"
	 "local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % n + 1 end\n"
	 "local function word(max) local t = {} for _ = 2, rnd(max) do t[#t + 1] = abc[rnd(#abc)] end\n"
	 "  return table.concat(t) end\n"
	 "for _ = 1, 3000 do\n"
	 "  local s, texts, want = word(12), {}, false\n"
	 "  for k = 1, rnd(4) do texts[k] = word(4) want = want or s:find(texts[k], 1, true) ~= nil end\n"
	 "  if moongate.contains(s, texts) ~= want then bad = bad + 1 end\n"
	 "end\n"
	 "return tostring(bad)", "0"},
	{"return moongate.contains('a', { 'a', 2 })", "error: moongate.contains: text 2 is not a string"},
	/* unknown and cannot_verify */
	{"return tostring(moongate.is_unknown(moongate.unknown)) .. tostring(moongate.is_unknown(nil))",
	 "truefalse"},
	{"local f = moongate.cannot_verify('m', 'a.b') return f.message .. f.path .. tostring(f.cannot_verify)",
	 "ma.btrue"},
	{"local f = moongate.cannot_verify('m') return f.message .. type(f.path) .. tostring(f.cannot_verify)",
	 "mniltrue"},
};

static void test_lua_modules(void **state)
{
	(void)state;
	struct sandbox sb;
	struct sandbox_error err;
	assert_true(sandbox_open(&sb, (size_t)256 << 20, NULL, &err));
	for (size_t i = 0; i < sizeof lua_cases / sizeof lua_cases[0]; i++) {
		char *got = eval(&sb, lua_cases[i].chunk);
		if (!lua_cases[i].want) {
			if (strncmp(got, "nil 1:", 6) != 0)
				fail_msg("case %zu: '%s' is not a positioned json error", i, got);
		} else if (strcmp(got, lua_cases[i].want) != 0) {
			fail_msg("case %zu: got '%s', want '%s'", i, got, lua_cases[i].want);
		}
		free(got);
	}
	sandbox_close(&sb);
}

/* The sandbox's PCRE2 limits replace the defaults for the next match, and 0 restores them. */
static void test_regex_limits(void **state)
{
	(void)state;
	struct sandbox sb;
	struct sandbox_error err;
	assert_true(sandbox_open(&sb, (size_t)256 << 20, NULL, &err));
	const char *chunk = "return tostring(moongate.regex.test(string.rep('a', 14) .. '!', '^(a+)+$'))";
	char *got = eval(&sb, chunk);
	assert_string_equal(got, "false"); /* within the default match limit */
	free(got);
	sb.regex_match = 1000;
	got = eval(&sb, chunk);
	if (!strstr(got, "regex match limit exceeded"))
		fail_msg("match limit 1000: got '%s'", got);
	free(got);
	sb.regex_match = 0;
	got = eval(&sb, chunk);
	assert_string_equal(got, "false");
	free(got);
	sandbox_close(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_cidr),
		cmocka_unit_test(test_lua_modules),
		cmocka_unit_test(test_regex_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
