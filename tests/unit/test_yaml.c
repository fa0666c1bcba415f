/* Unit tests for the YAML loader (load/yaml.c): core schema, CloudFormation tags, anchors,
 * merge keys, limits, positions, the yaml-test-suite and the YAML files of the corpus; and the
 * block-style fast path (load/yamlblock.c): what it reads, what it leaves to libyaml, and that
 * every stream it reads (hand-written, suite cases, corpus files) gives libyaml's tape. */
#include "testutil.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/docpos.h"
#include "load/json.h"
#include "load/yaml.h"
#include "load/yamlblock.h"
#include "util/buf.h"
#include "util/xalloc.h"

/* ---------------------------------------------------------------- helpers */

static void doc_from(struct doc *d, const char *text, size_t len)
{
	doc_init_text(d, "t.yaml", text, len);
}

/* Parses text; asserts success when want_ok, failure otherwise. */
static void parse(struct doc *d, const char *text, bool want_ok, struct yaml_error *err)
{
	doc_from(d, text, strlen(text));
	bool ok = yaml_parse(d, NULL, err);
	if (ok != want_ok)
		fail_msg("'%s': expected %s, got %s (%s)", text, want_ok ? "success" : "an error",
		         ok ? "success" : "an error", ok ? "" : err->message);
}

/* Compact JSON of node i, ints as digits, floats with a '~' prefix so a test sees the type. */
static void dump_node(const struct doc *d, uint32_t i, struct buf *b)
{
	const struct doc_node *nd = doc_node(d, i);
	switch (doc_type(d, i)) {
	case DOC_NULL: buf_adds(b, "null"); return;
	case DOC_TRUE: buf_adds(b, "true"); return;
	case DOC_FALSE: buf_adds(b, "false"); return;
	case DOC_INT: buf_add(b, d->text + nd->text, nd->len); return;
	case DOC_FLOAT:
		buf_addc(b, '~');
		buf_add(b, d->text + nd->text, nd->len);
		return;
	case DOC_STRING:
		assert_int_equal(nd->flags, 0);
		buf_addc(b, '"');
		buf_add_json_escaped(b, d->text + nd->text, nd->len);
		buf_addc(b, '"');
		return;
	case DOC_ARRAY:
	case DOC_OBJECT: break;
	}
	bool obj = doc_type(d, i) == DOC_OBJECT;
	uint32_t k = 0;
	buf_addc(b, obj ? '{' : '[');
	for (uint32_t c = doc_first(d, i); c != DOC_NONE; c = doc_next(d, i, c), k++) {
		if (k)
			buf_addc(b, obj && k % 2 ? ':' : ',');
		if (obj && k % 2 == 0)
			assert_int_equal(doc_type(d, c), DOC_STRING);
		dump_node(d, c, b);
	}
	assert_int_equal(obj ? k / 2 : k, nd->len);
	buf_addc(b, obj ? '}' : ']');
}

/* The whole stream as dumps of its roots separated by " | ". */
static char *dump(const struct doc *d)
{
	struct buf b = BUF_INIT;
	for (uint32_t r = 0; r < d->nroots; r++) {
		if (r)
			buf_adds(&b, " | ");
		dump_node(d, d->roots[r], &b);
	}
	return buf_detach(&b);
}

static void expect_dump(const char *yaml, const char *want)
{
	struct doc d;
	struct yaml_error err;
	parse(&d, yaml, true, &err);
	char *got = dump(&d);
	if (strcmp(got, want) != 0)
		fail_msg("'%s':\n  want %s\n  got  %s", yaml, want, got);
	free(got);
	doc_free(&d);
}

/* Asserts that yaml fails with a message containing part, at line:column. */
static void expect_error(const char *yaml, const struct yaml_options *opts, const char *part,
                         unsigned line, unsigned column)
{
	struct doc d;
	struct yaml_error err;
	doc_from(&d, yaml, strlen(yaml));
	assert_false(yaml_parse(&d, opts, &err));
	if (!strstr(err.message, part))
		fail_msg("'%s': message '%s' lacks '%s'", yaml, err.message, part);
	unsigned l, c;
	doc_position(&d, err.pos, &l, &c);
	if (l != line || c != column)
		fail_msg("'%s': error at %u:%u, want %u:%u (%s)", yaml, l, c, line, column,
		         err.message);
	doc_free(&d);
}

/* ---------------------------------------------------------------- scalars */

struct scalar_case {
	const char *yaml;
	const char *dump;
};

static void test_core_schema(void **state)
{
	(void)state;
	static const struct scalar_case cases[] = {
		{"~", "null"}, {"null", "null"}, {"Null", "null"}, {"NULL", "null"}, {"", ""},
		{"nULL", "\"nULL\""},
		{"true", "true"}, {"True", "true"}, {"TRUE", "true"}, {"false", "false"},
		{"False", "false"}, {"FALSE", "false"}, {"tRUE", "\"tRUE\""},
		{"yes", "\"yes\""}, {"no", "\"no\""}, {"NO", "\"NO\""}, {"on", "\"on\""},
		{"off", "\"off\""}, {"y", "\"y\""},
		{"0", "0"}, {"-0", "0"}, {"+12", "12"}, {"017", "17"}, {"0o17", "15"},
		{"0x1F", "31"}, {"0x1f", "31"}, {"0X1F", "\"0X1F\""}, {"0o8", "\"0o8\""},
		{"-0x1F", "\"-0x1F\""}, {"1_000", "\"1_000\""},
		{"9223372036854775807", "9223372036854775807"},
		{"-9223372036854775808", "-9223372036854775808"},
		{"9223372036854775808", "~9223372036854775808"},
		{"0x10000000000000000", "~0x10000000000000000"}, {"0o1000000000000000000000", "~9.2233720368547758e+18"},
		{"1e3", "~1e3"}, {"1.5", "~1.5"}, {"-1.5e-3", "~-1.5e-3"}, {".5", "~.5"},
		{"1.", "~1."}, {"+1.0E+2", "~+1.0E+2"}, {".inf", "~inf"}, {"-.Inf", "~-inf"},
		{"+.INF", "~inf"}, {".nan", "~nan"}, {".NaN", "~nan"}, {"1e", "\"1e\""},
		{".", "\".\""}, {"1.2.3", "\"1.2.3\""}, {"12:30", "\"12:30\""},
		{"'true'", "\"true\""}, {"\"12\"", "\"12\""}, {"'~'", "\"~\""},
		{"|\n  12\n", "\"12\\n\""}, {">-\n  null\n", "\"null\""},
		{"!!str 12", "\"12\""}, {"!!int \"12\"", "12"}, {"!!int 0x10", "16"},
		{"!!int foo", "\"foo\""}, {"!!float 1", "~1"}, {"!!bool 'true'", "true"},
		{"!!null ''", "null"}, {"!!binary aGk=", "\"aGk=\""}, {"! 12", "\"12\""},
		{"!!timestamp 2001-12-14", "\"2001-12-14\""},
		{"!<tag:yaml.org,2002:int> 7", "7"}, {"\"caf\\u00e9\"", "\"caf\xc3\xa9\""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		expect_dump(cases[i].yaml, cases[i].dump);
}

static void test_int_values(void **state)
{
	(void)state;
	struct doc d;
	struct yaml_error err;
	parse(&d, "[0o17, 0x7fffffffffffffff, -42, 017]", true, &err);
	uint32_t arr = d.roots[0];
	int64_t v;
	assert_true(doc_int(&d, doc_index(&d, arr, 0), &v));
	assert_int_equal(v, 15);
	assert_true(doc_int(&d, doc_index(&d, arr, 1), &v));
	assert_true(v == INT64_MAX);
	assert_true(doc_int(&d, doc_index(&d, arr, 2), &v));
	assert_int_equal(v, -42);
	assert_true(doc_int(&d, doc_index(&d, arr, 3), &v));
	assert_int_equal(v, 17);
	doc_free(&d);
}

/* ---------------------------------------------------------------- structure */

static void test_collections(void **state)
{
	(void)state;
	expect_dump("a: 1\nb: [x, {c: d}]\n", "{\"a\":1,\"b\":[\"x\",{\"c\":\"d\"}]}");
	expect_dump("- a\n- - b\n  - c\n-\n", "[\"a\",[\"b\",\"c\"],null]");
	expect_dump("{}", "{}");
	expect_dump("[]", "[]");
	/* keys are strings as written */
	expect_dump("1: a\n0x1F: b\ntrue: c\n~: d\n1.5: e\n",
	            "{\"1\":\"a\",\"0x1F\":\"b\",\"true\":\"c\",\"~\":\"d\",\"1.5\":\"e\"}");
	expect_dump("? \n: v\n", "{\"\":\"v\"}");
	/* complex keys become their compact JSON rendering */
	expect_dump("? [a, 1]\n: v\n? {b: null}\n: w\n",
	            "{\"[\\\"a\\\",1]\":\"v\",\"{\\\"b\\\":null}\":\"w\"}");
	/* duplicate keys are kept; doc_get returns the last */
	struct doc d;
	struct yaml_error err;
	parse(&d, "a: 1\na: 2\n", true, &err);
	assert_int_equal(doc_node(&d, d.roots[0])->len, 2);
	int64_t v;
	assert_true(doc_int(&d, doc_get(&d, d.roots[0], "a"), &v));
	assert_int_equal(v, 2);
	doc_free(&d);
}

static void test_documents(void **state)
{
	(void)state;
	expect_dump("", "");
	expect_dump("# only a comment\n", "");
	expect_dump("---\n", "null");
	expect_dump("---\n---\na: 1\n", "null | {\"a\":1}");
	expect_dump("a: 1\n---\n---\nb\n...\n", "{\"a\":1} | null | \"b\"");
	/* the second document's root, after multi-byte characters */
	struct doc d;
	struct yaml_error err;
	parse(&d, "é: ü\n---\n  ünïcödé: [ä, b]\n", true, &err);
	assert_int_equal(d.nroots, 2);
	unsigned line, col;
	doc_position(&d, doc_node(&d, d.roots[1])->pos, &line, &col);
	assert_int_equal(line, 3);
	assert_int_equal(col, 3);
	uint32_t b = doc_index(&d, doc_get(&d, d.roots[1], "ünïcödé"), 1);
	doc_position(&d, doc_node(&d, b)->pos, &line, &col);
	assert_int_equal(line, 3);
	assert_int_equal(col, 16);
	assert_int_equal(d.src.data[doc_node(&d, b)->pos], 'b');
	uint32_t u = doc_get(&d, d.roots[0], "é");
	assert_int_equal(doc_node(&d, u)->pos, 4); /* bytes, not characters */
	doc_free(&d);
}

static void test_bom_positions(void **state)
{
	(void)state;
	struct doc d;
	struct yaml_error err;
	parse(&d, "\xEF\xBB\xBF" "a: é\nb: c\n", true, &err);
	uint32_t c = doc_get(&d, d.roots[0], "b");
	assert_int_equal(d.src.data[doc_node(&d, c)->pos], 'c');
	doc_free(&d);
}

/* Node positions are byte offsets whatever the mix of ASCII runs and multibyte characters
 * (libyaml counts characters), and an all-ASCII document says so for column counting. */
static void test_positions(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"long_ascii_key_0123456789: v1\nk2: \"éé–x\"\nanother_long_key_abcdefgh: v3\n"
		"k4: [ééééééééé, w]\nk5: end\n",
		"k1: v1\nk2: \"xx\"\nlong_ascii_key_0123456789abcdef: v3\nk4: [a, w]\nk5: end\n",
	};
	for (size_t t = 0; t < 2; t++) {
		struct doc d;
		struct yaml_error err;
		parse(&d, texts[t], true, &err);
		assert_int_equal(d.ascii, t == 1);
		uint32_t root = d.roots[0];
		static const char *const paths[] = {"k2", "k4.1", "k5"};
		static const char firsts[] = {'"', 'w', 'e'};
		for (size_t i = 0; i < 3; i++) {
			uint32_t n = doc_path(&d, root, paths[i]);
			assert_int_not_equal(n, DOC_NONE);
			assert_int_equal(d.src.data[doc_node(&d, n)->pos], firsts[i]);
		}
		doc_free(&d);
	}
}

/* ---------------------------------------------------------------- tags */

static void test_cfn_tags(void **state)
{
	(void)state;
	expect_dump("!Ref x", "{\"Ref\":\"x\"}");
	expect_dump("!Condition IsProd", "{\"Condition\":\"IsProd\"}");
	expect_dump("!GetAtt Role.Arn", "{\"Fn::GetAtt\":[\"Role\",\"Arn\"]}");
	expect_dump("!GetAtt A.B.C", "{\"Fn::GetAtt\":[\"A\",\"B.C\"]}");
	expect_dump("!GetAtt [Role, Arn]", "{\"Fn::GetAtt\":[\"Role\",\"Arn\"]}");
	expect_dump("!GetAtt Role", "{\"Fn::GetAtt\":\"Role\"}");
	expect_dump("!Sub 'arn:${AWS::Partition}:s3:::${B}'",
	            "{\"Fn::Sub\":\"arn:${AWS::Partition}:s3:::${B}\"}");
	expect_dump("!Join ['', [a, !Ref b]]", "{\"Fn::Join\":[\"\",[\"a\",{\"Ref\":\"b\"}]]}");
	expect_dump("!If [C, 1, !Ref AWS::NoValue]",
	            "{\"Fn::If\":[\"C\",1,{\"Ref\":\"AWS::NoValue\"}]}");
	expect_dump("!Select [0, !GetAZs '']",
	            "{\"Fn::Select\":[0,{\"Fn::GetAZs\":\"\"}]}");
	expect_dump("!GetAZs", "{\"Fn::GetAZs\":\"\"}");
	expect_dump("!Base64 {a: b}", "{\"Fn::Base64\":{\"a\":\"b\"}}");
	static const char *const names[] = {"Equals", "FindInMap", "ImportValue", "Not", "Or",
	                                    "And", "Split", "Cidr", "Contains", "ValueOf",
	                                    "Transform", NULL};
	for (const char *const *n = names; *n; n++) {
		char yaml[64], want[64];
		snprintf(yaml, sizeof yaml, "!%s [a]", *n);
		snprintf(want, sizeof want, "{\"Fn::%s\":[\"a\"]}", *n);
		expect_dump(yaml, want);
	}
	/* other local tags keep the tag as written */
	expect_dump("!Rain::Module m.yaml", "{\"!Rain::Module\":\"m.yaml\"}");
	expect_dump("!Foo {a: 1}", "{\"!Foo\":{\"a\":1}}");
	/* a tag on a key is dropped (cfn-lint's parse_invalid_map) */
	expect_dump("[!ImportValue Fn::Sub: x]", "[{\"Fn::Sub\":\"x\"}]");
	expect_dump("!Ref k: v", "{\"k\":\"v\"}");
	/* an anchor on a tagged node names the whole long form */
	expect_dump("a: &r !Ref x\nb: *r\n", "{\"a\":{\"Ref\":\"x\"},\"b\":{\"Ref\":\"x\"}}");
	/* global tags other than the core ones are ignored */
	expect_dump("%TAG !e! tag:example.com,2000:\n--- !e!foo [1]\n", "[1]");
}

/* ---------------------------------------------------------------- anchors and merges */

static void test_aliases(void **state)
{
	(void)state;
	expect_dump("a: &x [1, {b: c}]\nd: *x\ne: *x\n",
	            "{\"a\":[1,{\"b\":\"c\"}],\"d\":[1,{\"b\":\"c\"}],\"e\":[1,{\"b\":\"c\"}]}");
	expect_dump("- &a 1\n- &a 2\n- *a\n", "[1,2,2]");
	expect_dump("&k key: *k\n", "{\"key\":\"key\"}");
	expect_dump("- &s [a]\n- {*s : v}\n", "[[\"a\"],{\"[\\\"a\\\"]\":\"v\"}]");
	expect_error("a: *nope\n", NULL, "undefined alias '*nope'", 1, 4);
	/* anchors do not cross documents */
	expect_error("&a x\n---\n*a\n", NULL, "undefined alias", 3, 1);
}

static void test_alias_bomb(void **state)
{
	(void)state;
	static const char bomb[] =
		"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
		"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
		"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
		"h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
		"i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
	/* the copies add 110 + 1,110 + 11,110 + 111,110 nodes up to line 5, then 111,111 per *e:
	 * the eighth *e passes the default budget of a million */
	expect_error(bomb, NULL, "alias '*e' exceeds the limit of 1000000 nodes", 6, 36);
	/* 11 nodes per *a: the fifth passes 50 */
	struct yaml_options small = {.max_alias_nodes = 50};
	expect_error(bomb, &small, "alias '*a' exceeds the limit of 50 nodes", 2, 24);
}

static void test_merge_keys(void **state)
{
	(void)state;
	expect_dump("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n",
	            "{\"base\":{\"x\":1,\"y\":2},\"m\":{\"x\":1,\"y\":3}}");
	/* explicit keys win wherever they stand; earlier merged maps win over later ones */
	expect_dump("- &a {x: 1, y: 1}\n- &b {y: 2, z: 2}\n- {x: 0, <<: [*a, *b], w: 9}\n",
	            "[{\"x\":1,\"y\":1},{\"y\":2,\"z\":2},{\"x\":0,\"y\":1,\"z\":2,\"w\":9}]");
	expect_dump("{<<: {a: 1}, b: 2}", "{\"a\":1,\"b\":2}");
	/* a quoted "<<" is an ordinary key */
	expect_dump("{'<<': 1}", "{\"<<\":1}");
	expect_error("a: &a [1]\nb:\n  <<: *a\n", NULL, "merge key '<<' needs mappings", 1, 8);
	expect_error("b:\n  <<: 1\n", NULL, "needs a mapping or a sequence of mappings", 2, 7);
}

/* ---------------------------------------------------------------- errors and limits */

static void test_errors(void **state)
{
	(void)state;
	expect_error("a: 1\n b: 2\n", NULL, "mapping values are not allowed in this context", 2,
	             3);
	expect_error("key: value\n- item\n", NULL,
	             "did not find expected key while parsing a block mapping", 2, 1);
	expect_error("é: [ü, ä\n", NULL, "did not find expected ',' or ']'", 2, 1);
	expect_error("a: \"x\xff\"\n", NULL, "invalid", 1, 6);
	/* documents before the error are kept, the failing one is dropped */
	struct doc d;
	struct yaml_error err;
	parse(&d, "a: 1\n---\nb: 2\n---\nc: [\n", false, &err);
	char *got = dump(&d);
	assert_string_equal(got, "{\"a\":1} | {\"b\":2}");
	free(got);
	doc_free(&d);
}

static void test_limits(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	for (int i = 0; i < 600; i++)
		buf_addc(&b, '[');
	expect_error(buf_str(&b), NULL, "nesting deeper than 512 levels", 1, 513);
	struct yaml_options depth = {.max_depth = 3};
	expect_error("a:\n  b:\n    c:\n      d: 1\n", &depth, "nesting deeper than 3 levels", 4,
	             7);
	expect_dump("a:\n  b:\n    c: 1\n", "{\"a\":{\"b\":{\"c\":1}}}");
	struct yaml_options docs = {.max_documents = 2};
	expect_error("a\n---\nb\n---\nc\n", &docs, "more than 2 documents", 4, 1);
	buf_free(&b);
}

/* ---------------------------------------------------------------- the block-style fast path */

static const struct yamlblock_limits default_limits = {512, 100000, YAML_DEFAULT_MAX_STRING};

/* Parses text with the fast path and with libyaml. Returns whether the fast path read it;
 * fails when it did and the tapes differ, or when it declined and left anything behind. */
static bool compare(const char *what, const char *text, size_t len,
                    const struct yamlblock_limits *lim)
{
	struct doc fast, slow;
	doc_from(&fast, text, len);
	doc_from(&slow, text, len);
	bool read = yamlblock_parse(&fast, lim);
	struct yaml_options opts = {.max_depth = lim->max_depth,
	                            .max_documents = lim->max_documents,
	                            .max_string = lim->max_string, .libyaml_only = true};
	struct yaml_error err;
	bool ok = yaml_parse(&slow, &opts, &err);
	if (read && !ok)
		fail_msg("%s: the fast path read what libyaml rejects (%s)", what, err.message);
	if (read && !doc_same(&fast, &slow))
		fail_msg("%s: the fast path's tape differs from libyaml's", what);
	if (!read && (fast.n || fast.nroots || fast.ndups_total || fast.arena))
		fail_msg("%s: declined but left nodes, roots, duplicates or text", what);
	doc_free(&fast);
	doc_free(&slow);
	return read;
}

static bool compare_text(const char *text)
{
	return compare(text, text, strlen(text), &default_limits);
}

/* Streams the fast path must read, each compared with libyaml's tape. */
static void test_fast_reads(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"",
		"# only a comment\n\n",
		"a: 1\n",
		"a: 1",
		"a:\n",
		"a:",
		"a:   # nothing\nb: x # c\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  K: \"v\"\n",
		"a:\n- 1\n- two\n-\n- 'three'\nb: c\n",
		"a:\n  - x: 1\n    y: 2\n  - z\n  -\n    w: 3\n",
		"- a\n- - \n",
		"- a: 1\n  b:\n  - c\n- d: e\n",
		"-   a: 1\n    b: 2\n",
		"key with spaces  : value with spaces   \n",
		"\"quoted key\": \"a \\\"b\\\" \\\\ \\/ \\n \\t \\r\"\n'single': 'it''s'\n",
		"url: https://bedrock-runtime.eu-central-1.amazonaws.com:443/x#frag\n",
		"a: b#c\nd: e #f\n",
		"n: [~, null, Null, NULL, true, False, 12, -0, 0x1F, 0o17, 1.5, .inf, -.Inf, .nan]\n",
		"n: ~\nt: true\nf: FALSE\ni: 0x1F\no: 0o17\nd: 017\nf2: 1e3\ninf: -.inf\nbig: 99999999999999999999\n",
		"e: []\no: {}\nl:\n- []\n- {}\n",
		"---\na: 1\n---\nb: 2\n",
		"---\n---\n",
		"a: 1\n---\n",
		"--- # comment\na: 1\n...\n",
		"a: 1\n---\n# trailing comment\n",
		"  a: 1\n  b: 2\n",
		"a: 1\na: 2\nb:\n  c: 1\n  c: 2\n",
		"name: \"Service 0 – générée pour le banc d'essai\"\nclé: ☃\n",
		"a:\n  b:\n    c:\n      d: deep\n  e: back\n",
		":a: 1\n?b: 2\n-c: 3\n",
		"a: -1\nb: -x\nc: ?y\nd: :z\n",
		"a: x: y\n",
		"a: \"\"\n'': b\n",
	};
	static const bool read[] = {
		true, true, true, true, true, true, true, true, true, true, false, true, true, true,
		true, true, true, false, true, true, true, true, true, false, true, true, true, true,
		true, true, true, false, true,
	};
	assert_int_equal(sizeof texts / sizeof texts[0], sizeof read / sizeof read[0]);
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		if (compare_text(texts[i]) != read[i])
			fail_msg("'%s': the fast path %s it", texts[i], read[i] ? "declined" : "read");
	}
}

/* Streams left to libyaml: outside the subset, or not YAML at all. */
static void test_fast_declines(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"a:\tb\n",                 /* a tab */
		"a: 1\r\nb: 2\r\n",        /* CRLF */
		"a: &x 1\nb: *x\n",        /* anchor and alias */
		"a: !Ref b\n",             /* a local tag */
		"a: !!str 1\n",            /* a standard tag */
		"base: {x: 1}\nm:\n  <<: {y: 2}\n", /* flow content, merge key */
		"<<: 1\n",                 /* a merge key */
		"a: [1, 2]\n",             /* a flow sequence with content */
		"a: |\n  text\n",          /* a block scalar */
		"a: >-\n  text\n",
		"a: b\n  c\n",             /* a multi-line plain scalar */
		"a: \"b\n  c\"\n",         /* a multi-line quoted scalar */
		"a: \"\\u00e9\"\n",        /* an escape left to libyaml */
		"%YAML 1.2\n---\na: 1\n",  /* a directive */
		"--- a\n",                 /* content on the marker line */
		"? a\n: b\n",              /* an explicit key */
		"plain\n",                 /* a scalar document */
		"\xef\xbb\xbf" "a: 1\n",   /* a BOM */
		"a: \xc2\x85\n",           /* NEL, a line break for libyaml */
		"a: 1\n b: 2\n",           /* errors */
		"a: 1\n- b\n",
		"- a\nb: 1\n",
		"a:\n  - b\n  c: d\n",
		"a: 'b\n",
		"a: b: c\n",
		"a: \xff\n",
		"a: `x`\n",
		"[a]: b\n",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		if (compare_text(texts[i]))
			fail_msg("'%s': the fast path read it", texts[i]);
	}
}

/* yaml_parse goes on with libyaml after the fast path declines. */
static void test_fast_fallback(void **state)
{
	(void)state;
	struct doc d;
	struct yaml_error err;
	const char *text = "a: &x [1, 2]\nb: *x\n";
	doc_from(&d, text, strlen(text));
	assert_true(yaml_parse(&d, NULL, &err));
	assert_int_equal(d.nroots, 1);
	assert_int_equal(doc_type(&d, doc_get(&d, d.roots[0], "b")), DOC_ARRAY);
	doc_free(&d);
	text = "a: 1\n b: 2\n";
	doc_from(&d, text, strlen(text));
	assert_false(yaml_parse(&d, NULL, &err));
	assert_string_equal(err.message, "mapping values are not allowed in this context");
	doc_free(&d);
}

/* At a limit the fast path declines, so libyaml reports it. */
static void test_fast_limits(void **state)
{
	(void)state;
	struct yamlblock_limits lim = default_limits;
	lim.max_documents = 2;
	assert_true(compare("2 documents", "a: 1\n---\nb: 2\n", 14, &lim));
	assert_false(compare("3 documents", "a: 1\n---\nb: 2\n---\n", 18, &lim));
	lim = default_limits;
	lim.max_string = 3;
	assert_true(compare("3 bytes", "abc: def\n", 9, &lim));
	assert_false(compare("4 bytes", "abc: defg\n", 10, &lim));
	assert_false(compare("4 bytes", "abcd: def\n", 10, &lim));
	lim = default_limits;
	lim.max_depth = 4;
	assert_true(compare("depth 3", "a:\n b:\n  c: 1\n", 14, &lim));
	assert_false(compare("depth 4", "a:\n b:\n  c:\n   d: 1\n", 20, &lim));
	struct buf b = BUF_INIT;
	buf_adds(&b, "k");
	for (int i = 0; i < 1100; i++)
		buf_addc(&b, 'x');
	buf_adds(&b, ": 1\n");
	assert_false(compare("a long key", buf_str(&b), b.len, &default_limits));
	buf_free(&b);
}

/* A generated stream in the shape of the benchmark's: hundreds of documents, all read. */
static void test_fast_stream(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	for (int i = 0; i < 300; i++) {
		buf_addf(&b, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-%d\n"
		             "  labels:\n    app: svc-%d\n    version: \"1.%d\"\nspec:\n"
		             "  replicas: %d\n  template:\n    spec:\n      containers:\n"
		             "        - name: c\n          image: ghcr.io/acme/c:%d\n"
		             "          env:\n            - name: K\n              value: \"%x\"\n"
		             "          ports:\n          - containerPort: 80\n---\n",
		         i, i, i, i % 5, i, i * 7919);
	}
	assert_true(compare("stream", buf_str(&b), b.len, &default_limits));
	buf_free(&b);
}

/* A stream of YAMLBLOCK_SPLIT_MIN bytes or more: documents, each after an empty one (so that
 * wherever the split falls, an empty document ends the first half); after the split point,
 * non-ASCII text and a repeated key in every document (before it, in the first 40 only: both
 * halves' repeated keys are among the first 100 recorded); extra is added last. */
static void big_stream(struct buf *b, const char *extra)
{
	buf_reset(b);
	for (int i = 0; b->len < YAMLBLOCK_SPLIT_MIN + 100000; i++) {
		bool second = b->len > (YAMLBLOCK_SPLIT_MIN + 100000) / 2 + 1000; /* after the split */
		buf_addf(b, "---\n---\nkind: Deployment\nmetadata:\n  name: svc-%d\n%s"
		            "  labels: {}\nspec:\n  replicas: %d\n  containers:\n  - name: c\n"
		            "    image: \"ghcr.io/acme/c:%d\"\n    env:\n    - {}\n    - name: K\n"
		            "      value: %s\n",
		         i, second || i < 40 ? "  name: dup\n" : "", i % 5, i,
		         second ? "'générée'" : "plain");
	}
	buf_adds(b, extra);
}

/* Big streams are parsed in two halves on two threads (with two processors): the joined tape
 * is libyaml's (positions, texts, roots, the first 100 repeated keys and their count); a half
 * the fast path declines, or documents over the limit only together, send it to libyaml. */
static void test_fast_split(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	big_stream(&b, "");
	assert_true(compare("split stream", buf_str(&b), b.len, &default_limits));
	big_stream(&b, "a: &x 1\nb: *x\n");
	assert_false(compare("anchor at the end", buf_str(&b), b.len, &default_limits));
	struct doc d;
	struct yaml_error err;
	doc_from(&d, buf_str(&b), b.len);
	assert_true(yaml_parse(&d, NULL, &err));
	assert_int_equal(doc_type(&d, doc_get(&d, d.roots[d.nroots - 1], "b")), DOC_INT);
	doc_free(&d);
	big_stream(&b, "");
	struct buf c = BUF_INIT;
	buf_adds(&c, "a: !Ref b\n");
	buf_add(&c, buf_str(&b), b.len);
	assert_false(compare("a tag at the start", buf_str(&c), c.len, &default_limits));
	buf_free(&c);
	big_stream(&b, "");
	struct yamlblock_limits lim = default_limits;
	doc_from(&d, buf_str(&b), b.len);
	assert_true(yamlblock_parse(&d, &default_limits));
	lim.max_documents = d.nroots - 1; /* each half is under it, both are not */
	doc_free(&d);
	assert_false(compare("documents over the limit", buf_str(&b), b.len, &lim));
	buf_free(&b);
}

/* ---------------------------------------------------------------- yaml-test-suite */

/* Where libyaml 0.2.5 differs from the suite's verdict. Checked both ways: a case listed here
 * that behaves as the suite says, or a new difference, fails the test. */
static const char *const suite_deviations[] = {
	/* valid, rejected: directives other than %YAML 1.1/1.2 and %TAG */
	"2LFX", "6LVF", "BEC7", "MUS6/05", "MUS6/06", "W4TN",
	/* valid, rejected: tabs as separation or in block scalar indentation */
	"6BCT", "6CA3", "96NN/00", "96NN/01", "A2M4", "DK95/00", "DK95/03", "DK95/04", "Q5MG",
	"R4YG", "Y79Y/001", "Y79Y/010",
	/* valid, rejected: flow collections (adjacent ':', implicit pairs, multi-line keys) */
	"4ABK", "4MUZ/00", "4MUZ/01", "4MUZ/02", "58MP", "5MUD", "5T43", "9SA2", "CFD4", "DBG4",
	"FRK4", "HM87/00", "K3WX", "NJ66", "UT92", "VJP3/01",
	/* valid, rejected: anchors with ':' or other punctuation */
	"2SXE", "8XYN", "W5VH",
	/* valid, rejected: empty keys, explicit keys, properties before block collections */
	"2JQS", "6M2F", "HWV9", "M2N8/00", "NHX8", "NKF9", "QT73", "S3PD", "SM9W/01", "UKK6/00",
	/* valid, rejected: bare documents after '...', zero-indented block scalars */
	"7Z25", "DK3J", "FP8R", "M7A3",
	/* invalid, accepted */
	"9C9N", "9HCY", "9JBA", "CVW2", "DK95/01", "EB22", "G5U8", "MUS6/00", "MUS6/01", "QB6E",
	"RHX7", "S98Z", "SU5Z", "X4QW", "Y79Y/003", "YJV2",
	NULL,
};

/* Cases whose data differ from in.json (see docs/parsing-yaml.md). */
static const char *const suite_data_deviations[] = {
	/* by design: a local tag becomes data, {"!foo": value} */
	"5TYM", "6CK3", "6WLZ", "7FWL", "9WXW", "CUP7", "M5C3", "Z67P",
	/* libyaml: '?' before a flow plain scalar, trailing blank lines of kept block scalars,
	 * an anchor name containing ':' */
	"652Z", "HM87/01", "JEF9/02", "L24T/01", "Y2GN",
	NULL,
};

static bool listed(const char *const *list, const char *id)
{
	for (; *list; list++) {
		if (strcmp(*list, id) == 0)
			return true;
	}
	return false;
}

/* Splits a stream of JSON texts (in.json of multi-document cases) into its values. */
static size_t json_value_end(const char *s, size_t i, size_t len)
{
	int depth = 0;
	bool str = false;
	size_t start = i;
	for (; i < len; i++) {
		char c = s[i];
		if (str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				str = false;
			else
				continue;
			if (!str && depth == 0)
				return i + 1;
			continue;
		}
		if (c == '"')
			str = true;
		else if (c == '[' || c == '{')
			depth++;
		else if (c == ']' || c == '}') {
			if (--depth == 0)
				return i + 1;
		} else if (depth == 0 && i > start && strchr(" \t\r\n", c))
			return i;
	}
	return i;
}

static bool same_tree(const struct doc *y, uint32_t a, const struct doc *j, uint32_t b)
{
	enum doc_type ta = doc_type(y, a), tb = doc_type(j, b);
	if (ta == DOC_INT || ta == DOC_FLOAT) {
		double va, vb;
		return doc_number(y, a, &va) && doc_number(j, b, &vb) && va == vb;
	}
	if (ta != tb)
		return false;
	if (ta == DOC_STRING) {
		size_t la, lb;
		char *sa = doc_strdup(y, a, &la), *sb = doc_strdup(j, b, &lb);
		bool eq = la == lb && memcmp(sa, sb, la) == 0;
		free(sa);
		free(sb);
		return eq;
	}
	if (ta != DOC_ARRAY && ta != DOC_OBJECT)
		return true;
	if (doc_node(y, a)->len != doc_node(j, b)->len)
		return false;
	if (ta == DOC_OBJECT) { /* the suite's in.json does not keep key order */
		for (uint32_t k = doc_first(y, a); k != DOC_NONE; k = doc_next(y, a, k + 1)) {
			char *key = doc_strdup(y, k, NULL);
			uint32_t v = doc_get(j, b, key);
			free(key);
			if (v == DOC_NONE || !same_tree(y, k + 1, j, v))
				return false;
		}
		return true;
	}
	uint32_t ca = doc_first(y, a), cb = doc_first(j, b);
	for (; ca != DOC_NONE && cb != DOC_NONE; ca = doc_next(y, a, ca), cb = doc_next(j, b, cb)) {
		if (!same_tree(y, ca, j, cb))
			return false;
	}
	return ca == DOC_NONE && cb == DOC_NONE;
}

/* Compares the roots of y with the JSON values in text; true when they match. */
static bool same_as_json(const struct doc *y, const char *text, size_t len)
{
	uint32_t r = 0;
	size_t i = 0;
	for (;;) {
		while (i < len && strchr(" \t\r\n", text[i]))
			i++;
		if (i >= len)
			break;
		size_t end = json_value_end(text, i, len);
		struct doc j;
		struct json_error jerr;
		doc_from(&j, text + i, end - i);
		bool ok = json_parse(&j, NULL, &jerr) && r < y->nroots &&
		          same_tree(y, y->roots[r], &j, j.roots[0]);
		doc_free(&j);
		if (!ok)
			return false;
		r++;
		i = end;
	}
	return r == y->nroots;
}

static bool json_available(void)
{
	struct doc j;
	struct json_error jerr;
	doc_from(&j, "{\"a\": [1]}", 10);
	bool ok = json_parse(&j, NULL, &jerr);
	doc_free(&j);
	return ok;
}

/* Runs one case; returns whether it behaved as the suite says (and whether the data match),
 * and whether the fast path read it (as libyaml). */
static void run_suite_case(const char *dir, const char *id, bool want_ok, bool check_data,
                           bool *verdict_ok, bool *data_ok, bool *fast)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s/in.yaml", dir, id);
	size_t len;
	char *text = testutil_read(path, &len);
	assert_non_null(text);
	struct doc d;
	struct yaml_error err;
	doc_from(&d, text, len);
	bool ok = yaml_parse(&d, NULL, &err);
	*fast = compare(path, text, len, &default_limits);
	*verdict_ok = ok == want_ok;
	*data_ok = true;
	if (ok && check_data) {
		snprintf(path, sizeof path, "%s/%s/in.json", dir, id);
		char *json = testutil_read(path, &len);
		assert_non_null(json);
		*data_ok = same_as_json(&d, json, len);
		free(json);
	}
	if (!ok)
		assert_true(err.pos <= d.src.len);
	free(text);
	doc_free(&d);
}

static void test_yaml_test_suite(void **state)
{
	(void)state;
	const char *corpus = testutil_corpus();
	if (!corpus)
		skip();
	char *dir = testutil_join(corpus, "yaml-test-suite");
	char *index = testutil_join(dir, "INDEX.tsv");
	char *tsv = testutil_read(index, NULL);
	assert_non_null(tsv);
	bool with_json = json_available();
	if (!with_json)
		fprintf(stderr, "note: json_parse unavailable, in.json comparisons skipped\n");
	int cases = 0, bad = 0, compared = 0, fast_read = 0;
	for (char *line = strtok(tsv, "\n"); line; line = strtok(NULL, "\n")) {
		char id[64], expected[16], has_json[8];
		if (line[0] == '#' || sscanf(line, "%63s %15s %7s", id, expected, has_json) != 3)
			continue;
		bool verdict_ok, data_ok, fast;
		bool check = with_json && strcmp(has_json, "yes") == 0;
		run_suite_case(dir, id, strcmp(expected, "ok") == 0, check, &verdict_ok, &data_ok,
		               &fast);
		cases++;
		fast_read += fast;
		compared += check && verdict_ok;
		if (verdict_ok == listed(suite_deviations, id)) {
			fprintf(stderr, "%s: expected %s, deviation %s\n", id, expected,
			        verdict_ok ? "disappeared" : "new");
			bad++;
		}
		if (verdict_ok && data_ok == listed(suite_data_deviations, id) && check) {
			fprintf(stderr, "%s: data %s in.json\n", id, data_ok ? "now match" : "differ from");
			bad++;
		}
	}
	fprintf(stderr, "yaml-test-suite: %d cases, %d compared with in.json; the fast path read "
	        "%d, as libyaml\n", cases, compared, fast_read);
	assert_int_equal(cases, 402);
	assert_true(fast_read >= 30);
	assert_int_equal(bad, 0);
	free(tsv);
	free(index);
	free(dir);
}

/* ---------------------------------------------------------------- corpus */

static bool is_yaml_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0 ||
	               strcmp(dot, ".template") == 0);
}

/* Parses every YAML file of corpus/sub; returns the number of files, adds documents and the
 * files the fast path read (as libyaml). */
static int parse_corpus_dir(const char *corpus, const char *sub, int *documents, int *fast)
{
	char *dir = testutil_join(corpus, sub);
	DIR *dh = opendir(dir);
	assert_non_null(dh);
	int files = 0;
	struct dirent *de;
	while ((de = readdir(dh)) != NULL) {
		if (!is_yaml_name(de->d_name))
			continue;
		char *path = testutil_join(dir, de->d_name);
		size_t len;
		char *text = testutil_read(path, &len);
		struct doc d;
		struct yaml_error err;
		doc_from(&d, text, len);
		if (!yaml_parse(&d, NULL, &err))
			fail_msg("%s: %s at byte %u", path, err.message, err.pos);
		*documents += (int)d.nroots;
		*fast += compare(path, text, len, &default_limits);
		files++;
		doc_free(&d);
		free(text);
		free(path);
	}
	closedir(dh);
	free(dir);
	return files;
}

static void test_corpus_files(void **state)
{
	(void)state;
	const char *corpus = testutil_corpus();
	if (!corpus)
		skip();
	int k8s_docs = 0, cfn_docs = 0, k8s_fast = 0, cfn_fast = 0;
	int k8s = parse_corpus_dir(corpus, "k8s", &k8s_docs, &k8s_fast);
	int cfn = parse_corpus_dir(corpus, "cloudformation", &cfn_docs, &cfn_fast);
	fprintf(stderr, "corpus: %d k8s files (%d documents), %d cloudformation files; the fast "
	        "path read %d and %d of them, as libyaml\n", k8s, k8s_docs, cfn, k8s_fast, cfn_fast);
	assert_true(k8s > 300);
	assert_true(cfn > 150);
	assert_true(k8s_fast * 2 > k8s); /* most manifests are block style */
}

static void test_corpus_parse_edge(void **state)
{
	(void)state;
	const char *corpus = testutil_corpus();
	if (!corpus)
		skip();
	static const struct {
		const char *file;
		bool ok;
		const char *dump_part;
	} cases[] = {
		{"bad_core_config_invalid_yaml.yaml", false, NULL},
		{"bad_duplicate.yaml", true, NULL},
		{"bad_empty_file.yaml", true, ""},
		{"bad_not_cloudformation.yaml", true, NULL},
		{"bad_core_parse_invalid_map.yaml", true, "{\"Fn::Sub\":"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *path = xasprintf("%s/cloudformation/parse-edge/cfn-lint__%s", corpus,
		                       cases[i].file);
		size_t len;
		char *text = testutil_read(path, &len);
		assert_non_null(text);
		struct doc d;
		struct yaml_error err;
		doc_from(&d, text, len);
		bool ok = yaml_parse(&d, NULL, &err);
		if (ok != cases[i].ok)
			fail_msg("%s: %s", path, ok ? "accepted" : err.message);
		if (ok && cases[i].dump_part) {
			char *got = dump(&d);
			if (!strstr(got, cases[i].dump_part))
				fail_msg("%s: '%s' not in %s", path, cases[i].dump_part, got);
			free(got);
		}
		doc_free(&d);
		free(text);
		free(path);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core_schema),
		cmocka_unit_test(test_int_values),
		cmocka_unit_test(test_collections),
		cmocka_unit_test(test_documents),
		cmocka_unit_test(test_bom_positions),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_cfn_tags),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_alias_bomb),
		cmocka_unit_test(test_merge_keys),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_fast_reads),
		cmocka_unit_test(test_fast_declines),
		cmocka_unit_test(test_fast_fallback),
		cmocka_unit_test(test_fast_limits),
		cmocka_unit_test(test_fast_stream),
		cmocka_unit_test(test_fast_split),
		cmocka_unit_test(test_yaml_test_suite),
		cmocka_unit_test(test_corpus_files),
		cmocka_unit_test(test_corpus_parse_edge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
