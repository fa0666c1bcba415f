/* Unit tests for duplicate keys (doc_check_keys, doc_report_duplicates) in the JSON and
 * YAML loaders, and for the string-length limit of both parsers. */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/json.h"
#include "load/text.h"
#include "load/yaml.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/xalloc.h"

static void set_source(struct doc *d, const char *path, const char *s)
{
	doc_init(d, path);
	d->src.len = strlen(s);
	d->src.data = xmalloc(d->src.len + 1);
	memcpy(d->src.data, s, d->src.len + 1);
}

static bool parse_json(struct doc *d, const char *s, uint32_t max_string, struct json_error *err)
{
	set_source(d, "in.json", s);
	struct json_options opts = {.max_string = max_string};
	memset(err, 0, sizeof *err);
	return json_parse(d, &opts, err);
}

static bool parse_yaml(struct doc *d, const char *s, uint32_t max_string, struct yaml_error *err)
{
	set_source(d, "in.yaml", s);
	struct yaml_options opts = {.max_string = max_string};
	memset(err, 0, sizeof *err);
	return yaml_parse(d, &opts, err);
}

/* The warnings of doc d, as "line:column: message" lines. */
static char *warnings(struct doc *d)
{
	struct diags dg = DIAGS_INIT;
	doc_report_duplicates(d, &dg);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < dg.n; i++) {
		assert_int_equal(dg.v[i].kind, DIAG_WARNING);
		assert_string_equal(dg.v[i].file, d->src.path);
		char line[400];
		snprintf(line, sizeof line, "%u:%u: %s\n", dg.v[i].line, dg.v[i].column,
		         dg.v[i].message);
		buf_adds(&b, line);
	}
	diags_free(&dg);
	char *s = xstrdup(buf_str(&b));
	buf_free(&b);
	return s;
}

static void expect_json(const char *json, const char *want)
{
	struct doc d;
	struct json_error err;
	assert_true(parse_json(&d, json, 0, &err));
	char *got = warnings(&d);
	assert_string_equal(got, want);
	free(got);
	doc_free(&d);
}

static void expect_yaml(const char *yaml, const char *want)
{
	struct doc d;
	struct yaml_error err;
	bool ok = parse_yaml(&d, yaml, 0, &err);
	if (!ok)
		fprintf(stderr, "yaml error: %s\n", err.message);
	assert_true(ok);
	char *got = warnings(&d);
	assert_string_equal(got, want);
	free(got);
	doc_free(&d);
}

static void test_json_top_level(void **state)
{
	(void)state;
	expect_json("{\"a\": 1, \"b\": 2, \"a\": 3}",
	            "1:18: duplicate key 'a' (the last value is used; first at line 1)\n");
	/* the last value is the one read */
	struct doc d;
	struct json_error err;
	assert_true(parse_json(&d, "{\"a\": 1, \"b\": 2, \"a\": 3}", 0, &err));
	int64_t v = 0;
	assert_true(doc_int(&d, doc_get(&d, 0, "a"), &v));
	assert_int_equal(v, 3);
	assert_int_equal(d.nodes[0].len, 3); /* both pairs stay on the tape */
	doc_free(&d);
}

static void test_json_nested_and_positions(void **state)
{
	(void)state;
	expect_json("{\n"
	            "  \"outer\": {\n"
	            "    \"x\": 1,\n"
	            "    \"y\": {\"z\": [1, {\"k\": 1, \"k\": 2}]},\n"
	            "    \"x\": 2\n"
	            "  },\n"
	            "  \"outer\": null\n"
	            "}\n",
	            "4:29: duplicate key 'k' (the last value is used; first at line 4)\n"
	            "5:5: duplicate key 'x' (the last value is used; first at line 3)\n"
	            "7:3: duplicate key 'outer' (the last value is used; first at line 2)\n");
	/* a key repeated three times: each repetition is reported against the first */
	expect_json("{\"a\":1,\n\"a\":2,\n\"a\":3}",
	            "2:1: duplicate key 'a' (the last value is used; first at line 1)\n"
	            "3:1: duplicate key 'a' (the last value is used; first at line 1)\n");
	/* the same key in sibling objects is no duplicate */
	expect_json("[{\"a\":1},{\"a\":2},{\"a\":{\"a\":3}}]", "");
}

static void test_json_escapes_and_lookalikes(void **state)
{
	(void)state;
	/* equal after decoding */
	expect_json("{\"ab\":1,\"\\u0061b\":2}",
	            "1:9: duplicate key 'ab' (the last value is used; first at line 1)\n");
	expect_json("{\"\\n\":1,\"\\u000a\":2}",
	            "1:9: duplicate key '?' (the last value is used; first at line 1)\n");
	/* same length, first, middle and last byte, yet different */
	expect_json("{\"abxcd\":1,\"abycd\":2,\"abzcd\":3,\"\":4,\"e\":5}", "");
	expect_json("{\"\":1,\"\":2}",
	            "1:7: duplicate key '' (the last value is used; first at line 1)\n");
	/* a long key is cut in the message */
	char json[600], want[600];
	char key[201];
	memset(key, 'k', 200);
	key[200] = '\0';
	snprintf(json, sizeof json, "{\"%s\":1,\"%s\":2}", key, key);
	snprintf(want, sizeof want,
	         "1:207: duplicate key '%.80s...' (the last value is used; first at line 1)\n", key);
	expect_json(json, want);
}

/* An object of n distinct keys "k0".."k<n-1>", then the keys listed in extra again. */
static char *big_object(int n, const int *extra, int nextra)
{
	struct buf b = BUF_INIT;
	buf_addc(&b, '{');
	for (int i = 0; i < n + nextra; i++) {
		char pair[40];
		snprintf(pair, sizeof pair, "%s\"k%d\":%d", i ? "," : "", i < n ? i : extra[i - n], i);
		buf_adds(&b, pair);
	}
	buf_addc(&b, '}');
	char *s = xstrdup(buf_str(&b));
	buf_free(&b);
	return s;
}

static void test_json_large_objects(void **state)
{
	(void)state;
	struct doc d;
	struct json_error err;
	char *s = big_object(5000, NULL, 0);
	assert_true(parse_json(&d, s, 0, &err));
	assert_int_equal(d.ndups_total, 0);
	doc_free(&d);
	free(s);
	const int extra[] = {4321, 0};
	s = big_object(5000, extra, 2);
	assert_true(parse_json(&d, s, 0, &err));
	assert_int_equal(d.ndups_total, 2);
	char *got = warnings(&d);
	assert_non_null(strstr(got, "duplicate key 'k4321' (the last value is used; first at line 1)"));
	assert_non_null(strstr(got, "duplicate key 'k0' (the last value is used; first at line 1)"));
	/* reported in source order: k4321 was repeated first */
	assert_true(strstr(got, "'k4321'") < strstr(got, "'k0'"));
	free(got);
	doc_free(&d);
	free(s);
}

static void test_cap(void **state)
{
	(void)state;
	int extra[250];
	for (int i = 0; i < 250; i++)
		extra[i] = i % 3;
	char *s = big_object(3, extra, 250);
	struct doc d;
	struct json_error err;
	assert_true(parse_json(&d, s, 0, &err));
	assert_int_equal(d.ndups_total, 250);
	assert_int_equal(d.ndups, DOC_MAX_DUPS);
	struct diags dg = DIAGS_INIT;
	doc_report_duplicates(&d, &dg);
	assert_int_equal(dg.n, DOC_MAX_DUPS + 1);
	assert_string_equal(dg.v[DOC_MAX_DUPS].message,
	                    "150 more duplicate keys (only the first 100 are shown)");
	diags_free(&dg);
	/* a new parse forgets the old duplicates */
	assert_true(json_parse(&d, NULL, &err));
	assert_int_equal(d.ndups_total, 250);
	free(d.src.data);
	d.src.data = xstrdup("{\"a\":1}");
	d.src.len = strlen(d.src.data);
	assert_true(json_parse(&d, NULL, &err));
	assert_int_equal(d.ndups_total, 0);
	assert_int_equal(d.ndups, 0);
	doc_free(&d);
	free(s);
}

static void test_yaml_block_and_flow(void **state)
{
	(void)state;
	expect_yaml("a: 1\n"
	            "b:\n"
	            "  c: 1\n"
	            "  d: [1, {e: 1, e: 2}]\n"
	            "  c: 2\n"
	            "a: 3\n",
	            "4:17: duplicate key 'e' (the last value is used; first at line 4)\n"
	            "5:3: duplicate key 'c' (the last value is used; first at line 3)\n"
	            "6:1: duplicate key 'a' (the last value is used; first at line 1)\n");
	expect_yaml("{x: 1, y: 2, x: 3}\n",
	            "1:14: duplicate key 'x' (the last value is used; first at line 1)\n");
	/* plain and quoted spellings of one key */
	expect_yaml("name: a\n'name': b\n",
	            "2:1: duplicate key 'name' (the last value is used; first at line 1)\n");
	/* documents are separate */
	expect_yaml("a: 1\n---\na: 2\n---\nb: 1\nb: 2\n",
	            "6:1: duplicate key 'b' (the last value is used; first at line 5)\n");
	struct doc d;
	struct yaml_error err;
	assert_true(parse_yaml(&d, "k: 1\nk: two\n", 0, &err));
	assert_true(doc_streq(&d, doc_get(&d, d.roots[0], "k"), "two"));
	doc_free(&d);
}

static void test_yaml_merge_is_not_duplicate(void **state)
{
	(void)state;
	expect_yaml("base: &b {x: 1, y: 2}\n"
	            "more: &m {z: 3}\n"
	            "m1:\n"
	            "  <<: *b\n"
	            "  x: 10\n"
	            "m2:\n"
	            "  <<: [*b, *m]\n"
	            "  <<: *m\n"
	            "  y: 20\n",
	            "");
	/* an explicit key repeated next to a merge is still a duplicate */
	expect_yaml("base: &b {x: 1}\n"
	            "m:\n"
	            "  <<: *b\n"
	            "  x: 2\n"
	            "  x: 3\n",
	            "5:3: duplicate key 'x' (the last value is used; first at line 4)\n");
}

static void test_json_string_limit(void **state)
{
	(void)state;
	struct doc d;
	struct json_error err;
	assert_true(parse_json(&d, "{\"abcd\": \"12345678\"}", 8, &err));
	doc_free(&d);
	assert_false(parse_json(&d, "{\"abcd\": \"123456789\"}", 8, &err));
	assert_string_equal(err.message, "string of 9 bytes exceeds the limit of 8 bytes");
	assert_int_equal(err.pos, 9);
	doc_free(&d);
	/* keys too, and escapes count as written */
	assert_false(parse_json(&d, "[1, {\"abcd\\n\": 1}]", 5, &err));
	assert_string_equal(err.message, "string of 6 bytes exceeds the limit of 5 bytes");
	assert_int_equal(err.pos, 5);
	doc_free(&d);
	assert_true(json_validate("[\"123\"]", 7, &(struct json_options){.max_string = 3}, &err));
	assert_false(json_validate("[\"1234\"]", 8, &(struct json_options){.max_string = 3}, &err));
	assert_int_equal(err.pos, 1);
}

static void test_yaml_string_limit(void **state)
{
	(void)state;
	struct doc d;
	struct yaml_error err;
	assert_true(parse_yaml(&d, "k: '12345678'\n", 8, &err));
	doc_free(&d);
	assert_false(parse_yaml(&d, "k: ok\nlist:\n  - \"1234\\t6789\"\n", 8, &err));
	assert_string_equal(err.message, "string of 9 bytes exceeds the limit of 8 bytes");
	assert_int_equal(err.pos, 16);
	doc_free(&d);
	/* a key, and a block scalar (its text after folding) */
	assert_false(parse_yaml(&d, "abcdefghij: 1\n", 8, &err));
	assert_int_equal(err.pos, 0);
	doc_free(&d);
	assert_false(parse_yaml(&d, "k: |\n  1234\n  5678\n", 8, &err));
	assert_string_equal(err.message, "string of 10 bytes exceeds the limit of 8 bytes");
	doc_free(&d);
}

/* Parses a corpus file as the loader reads it (JSON or YAML by its name) and returns its
 * duplicate-key warnings, or NULL when the corpus is absent. */
static char *corpus_warnings(const char *rel)
{
	const char *corpus = testutil_corpus();
	if (!corpus)
		return NULL;
	char *path = testutil_join(corpus, rel);
	struct doc d;
	char msg[256];
	doc_init(&d, rel);
	assert_true(text_read(&d.src, path, 0, msg, sizeof msg));
	bool ok;
	if (strstr(rel, ".json")) {
		struct json_error err;
		ok = json_parse(&d, NULL, &err);
	} else {
		struct yaml_error err;
		ok = yaml_parse(&d, NULL, &err);
	}
	assert_true(ok);
	char *got = warnings(&d);
	doc_free(&d);
	free(path);
	return got;
}

static void test_corpus(void **state)
{
	(void)state;
	char *got = corpus_warnings("cloudformation/parse-edge/cfn-lint__bad_duplicate.yaml");
	if (!got) {
		skip();
		return;
	}
	assert_string_equal(got,
	        "9:3: duplicate key 'mySnsTopic' (the last value is used; first at line 3)\n"
	        "13:3: duplicate key 'mySnsTopic' (the last value is used; first at line 3)\n");
	free(got);
	got = corpus_warnings("cloudformation/parse-edge/cfn-lint__bad_duplicate.json");
	assert_string_equal(got,
	        "17:3: duplicate key 'MySNSTopic' (the last value is used; first at line 5)\n"
	        "23:3: duplicate key 'MySNSTopic' (the last value is used; first at line 5)\n");
	free(got);
	got = corpus_warnings("jsontestsuite/test_parsing/y_object_duplicated_key_and_value.json");
	assert_string_equal(got,
	        "1:10: duplicate key 'a' (the last value is used; first at line 1)\n");
	free(got);
	/* a long real template has none */
	got = corpus_warnings("cloudformation/"
	                      "aws-cloudformation-templates__AppRunner_AppRunnerServiceFromECR.yaml");
	assert_string_equal(got, "");
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_top_level),
		cmocka_unit_test(test_json_nested_and_positions),
		cmocka_unit_test(test_json_escapes_and_lookalikes),
		cmocka_unit_test(test_json_large_objects),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_yaml_block_and_flow),
		cmocka_unit_test(test_yaml_merge_is_not_duplicate),
		cmocka_unit_test(test_json_string_limit),
		cmocka_unit_test(test_yaml_string_limit),
		cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
