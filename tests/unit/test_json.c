/* Unit tests for the JSON loader (load/json.c): conformance, values, errors, tape layout. */
#include "testutil.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/docpos.h"
#include "load/json.h"
#include "load/text.h"
#include "util/xalloc.h"

/* ------------------------------------------------------------------------------------- */
/* helpers                                                                               */

/* Parses the n bytes of s (which may hold NULs) into d; d must be freed by the caller. */
#define ALPHABET48 "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV"

static bool parse_n(struct doc *d, const char *s, size_t n, unsigned max_depth,
                    struct json_error *err)
{
	doc_init(d, "test.json");
	d->src.data = xmalloc(n + 1);
	memcpy(d->src.data, s, n);
	d->src.data[n] = '\0';
	d->src.len = n;
	struct json_options opts = {.max_depth = max_depth};
	memset(err, 0, sizeof *err);
	return json_parse(d, &opts, err);
}

static bool parse(struct doc *d, const char *s, struct json_error *err)
{
	return parse_n(d, s, strlen(s), 0, err);
}

/* Reads a corpus file the way the loader does (text_read, so BOMs and UTF-16 are handled). */
static bool read_file(struct doc *d, const char *path)
{
	char msg[256];
	doc_init(d, path);
	return text_read(&d->src, path, 0, msg, sizeof msg);
}

/* Checks every invariant of doc.h on a parsed tape; returns false on the first breach. */
static bool tape_ok(const struct doc *d)
{
	if (d->nroots != 1 || d->roots[0] != 0 || d->n == 0 || doc_end(d, 0) != d->n)
		return false;
	for (uint32_t i = 0; i < d->n; i++) {
		const struct doc_node *nd = &d->nodes[i];
		if (doc_end(d, i) <= i || doc_end(d, i) > d->n || nd->pos > d->src.len)
			return false;
		if (nd->type != DOC_ARRAY && nd->type != DOC_OBJECT) {
			if ((size_t)nd->text + nd->len > d->src.len)
				return false;
			continue;
		}
		uint32_t count = 0, last = i + 1;
		for (uint32_t c = i + 1; c < nd->after; c = doc_end(d, c), count++) {
			if (nd->type == DOC_OBJECT && count % 2 == 0 && d->nodes[c].type != DOC_STRING)
				return false;
			last = doc_end(d, c);
		}
		uint32_t want = nd->type == DOC_OBJECT ? 2 * nd->len : nd->len;
		if (count != want || last != nd->after)
			return false;
	}
	return true;
}

/* Outcome of one JSONTestSuite file, run the way moongate reads files. On rejection the
 * message must be non-empty and the position inside the file; on acceptance the tape must
 * be sound. json_validate must always agree with json_parse. */
static bool suite_accepts(const char *path)
{
	struct doc d;
	struct json_error err, verr;
	if (!read_file(&d, path)) {
		doc_free(&d);
		return false; /* an undecodable UTF-16 file counts as rejected */
	}
	memset(&err, 0, sizeof err);
	bool ok = json_parse(&d, NULL, &err);
	bool vok = json_validate(d.src.data, d.src.len, NULL, &verr);
	if (ok != vok)
		fail_msg("%s: json_parse and json_validate disagree", path);
	if (ok && !tape_ok(&d))
		fail_msg("%s: tape invariants broken", path);
	if (!ok) {
		if (err.message[0] == '\0' || err.pos > d.src.len)
			fail_msg("%s: bad error (pos %u, '%s')", path, err.pos, err.message);
		if (err.pos != verr.pos || strcmp(err.message, verr.message) != 0)
			fail_msg("%s: validate reports a different error", path);
		if (d.nroots != 0)
			fail_msg("%s: roots left after a failure", path);
	}
	doc_free(&d);
	return ok;
}

/* ------------------------------------------------------------------------------------- */
/* JSONTestSuite                                                                         */

/* Decisions on every implementation-defined file (docs/parsing-json.md). */
static const struct {
	const char *name;
	bool accept;
} i_outcomes[] = {
	{"i_number_double_huge_neg_exp.json", true},
	{"i_number_huge_exp.json", true},
	{"i_number_neg_int_huge_exp.json", true},
	{"i_number_pos_double_huge_exp.json", true},
	{"i_number_real_neg_overflow.json", true},
	{"i_number_real_pos_overflow.json", true},
	{"i_number_real_underflow.json", true},
	{"i_number_too_big_neg_int.json", true},
	{"i_number_too_big_pos_int.json", true},
	{"i_number_very_big_negative_int.json", true},
	{"i_object_key_lone_2nd_surrogate.json", true},
	{"i_string_1st_surrogate_but_2nd_missing.json", true},
	{"i_string_1st_valid_surrogate_2nd_invalid.json", true},
	{"i_string_UTF-16LE_with_BOM.json", true},
	{"i_string_UTF-8_invalid_sequence.json", false},
	{"i_string_UTF8_surrogate_U+D800.json", false},
	{"i_string_incomplete_surrogate_and_escape_valid.json", true},
	{"i_string_incomplete_surrogate_pair.json", true},
	{"i_string_incomplete_surrogates_escape_valid.json", true},
	{"i_string_invalid_lonely_surrogate.json", true},
	{"i_string_invalid_surrogate.json", true},
	{"i_string_invalid_utf-8.json", false},
	{"i_string_inverted_surrogates_U+1D11E.json", true},
	{"i_string_iso_latin_1.json", false},
	{"i_string_lone_second_surrogate.json", true},
	{"i_string_lone_utf8_continuation_byte.json", false},
	{"i_string_not_in_unicode_range.json", false},
	{"i_string_overlong_sequence_2_bytes.json", false},
	{"i_string_overlong_sequence_6_bytes.json", false},
	{"i_string_overlong_sequence_6_bytes_null.json", false},
	{"i_string_truncated-utf-8.json", false},
	{"i_string_utf16BE_no_BOM.json", false},
	{"i_string_utf16LE_no_BOM.json", false},
	{"i_structure_500_nested_arrays.json", true},
	{"i_structure_UTF-8_BOM_empty_object.json", true},
};

static int i_outcome(const char *name)
{
	for (size_t k = 0; k < sizeof i_outcomes / sizeof *i_outcomes; k++)
		if (strcmp(i_outcomes[k].name, name) == 0)
			return i_outcomes[k].accept;
	return -1;
}

static void test_suite_parsing(void **state)
{
	(void)state;
	const char *corpus = testutil_corpus();
	if (!corpus)
		skip();
	char *dir = testutil_join(corpus, "jsontestsuite/test_parsing");
	DIR *dp = opendir(dir);
	assert_non_null(dp);
	unsigned counts[3] = {0}, i_seen = 0;
	struct dirent *de;
	while ((de = readdir(dp)) != NULL) {
		const char *name = de->d_name;
		if (name[0] == '.')
			continue;
		char *path = testutil_join(dir, name);
		bool ok = suite_accepts(path);
		if (name[0] == 'y' && !ok)
			fail_msg("%s: valid JSON rejected", name);
		if (name[0] == 'n' && ok)
			fail_msg("%s: invalid JSON accepted", name);
		if (name[0] == 'i') {
			int want = i_outcome(name);
			if (want < 0)
				fail_msg("%s: no documented outcome", name);
			if (ok != (bool)want)
				fail_msg("%s: %s, documented as %s", name, ok ? "accepted" : "rejected",
				         want ? "accepted" : "rejected");
			i_seen++;
		}
		counts[name[0] == 'y' ? 0 : name[0] == 'n' ? 1 : 2]++;
		free(path);
	}
	closedir(dp);
	free(dir);
	assert_int_equal(counts[0], 95);
	assert_int_equal(counts[1], 188);
	assert_int_equal(i_seen, sizeof i_outcomes / sizeof *i_outcomes);
}

/* Parses test_transform/<name> into d (asserting success). */
static void load_transform(struct doc *d, const char *name)
{
	char *rel = xasprintf("jsontestsuite/test_transform/%s", name);
	char *path = testutil_join(testutil_corpus(), rel);
	struct json_error err;
	assert_true(read_file(d, path));
	if (!json_parse(d, NULL, &err))
		fail_msg("%s: %s", name, err.message);
	free(rel);
	free(path);
}

/* The first element of the array in test_transform/<name>: type and int/float value. */
static void check_number(const char *name, enum doc_type type, double value)
{
	struct doc d;
	load_transform(&d, name);
	uint32_t v = doc_index(&d, 0, 0);
	assert_int_equal(doc_type(&d, v), type);
	double got;
	assert_true(doc_number(&d, v, &got));
	assert_true(got == value);
	doc_free(&d);
}

static void test_suite_transform(void **state)
{
	(void)state;
	if (!testutil_corpus())
		skip();
	check_number("number_-9223372036854775808.json", DOC_INT, -9223372036854775807.0 - 1);
	check_number("number_-9223372036854775809.json", DOC_FLOAT, -9223372036854775809.0);
	check_number("number_1.0.json", DOC_FLOAT, 1.0);
	check_number("number_1.000000000000000005.json", DOC_FLOAT, 1.0);
	check_number("number_1000000000000000.json", DOC_INT, 1e15);
	check_number("number_10000000000000000999.json", DOC_FLOAT, 1e19);
	check_number("number_1e-999.json", DOC_FLOAT, 0.0);
	check_number("number_1e6.json", DOC_FLOAT, 1e6);
	check_number("number_9223372036854775807.json", DOC_INT, 9223372036854775807.0);
	check_number("number_9223372036854775808.json", DOC_FLOAT, 9223372036854775808.0);

	struct doc d;
	int64_t iv;
	load_transform(&d, "number_-9223372036854775808.json");
	assert_true(doc_int(&d, 1, &iv));
	assert_true(iv == INT64_MIN);
	doc_free(&d);
	load_transform(&d, "number_9223372036854775807.json");
	assert_true(doc_int(&d, 1, &iv));
	assert_true(iv == INT64_MAX);
	doc_free(&d);
}

static void test_suite_transform_keys(void **state)
{
	(void)state;
	if (!testutil_corpus())
		skip();
	struct doc d;
	int64_t v;
	load_transform(&d, "object_same_key_different_values.json");
	assert_int_equal(d.nodes[0].len, 2); /* both pairs stay on the tape */
	assert_true(doc_int(&d, doc_get(&d, 0, "a"), &v));
	assert_int_equal(v, 2); /* the last one wins */
	doc_free(&d);
	load_transform(&d, "object_same_key_unclear_values.json");
	uint32_t a = doc_get(&d, 0, "a");
	assert_int_equal(a, 4);
	char *text = doc_strdup(&d, a, NULL);
	assert_string_equal(text, "-0");
	free(text);
	doc_free(&d);
	/* NFC and NFD keys are different byte strings: no normalisation */
	load_transform(&d, "object_key_nfc_nfd.json");
	assert_true(doc_streq(&d, doc_get(&d, 0, "\xc3\xa9"), "NFC"));
	assert_true(doc_streq(&d, doc_get(&d, 0, "e\xcc\x81"), "NFD"));
	doc_free(&d);
}

static void test_suite_transform_strings(void **state)
{
	(void)state;
	if (!testutil_corpus())
		skip();
	struct doc d;
	size_t n;
	load_transform(&d, "string_with_escaped_NULL.json");
	char *s = doc_strdup(&d, 1, &n);
	assert_int_equal(n, 3);
	assert_memory_equal(s, "A\0B", 3);
	free(s);
	doc_free(&d);
	load_transform(&d, "string_2_escaped_invalid_codepoints.json");
	s = doc_strdup(&d, 1, &n);
	assert_string_equal(s, "\xef\xbf\xbd\xef\xbf\xbd"); /* lone surrogates: U+FFFD each */
	free(s);
	doc_free(&d);
	/* raw surrogates encoded in UTF-8 are invalid UTF-8: rejected */
	char *path = testutil_join(testutil_corpus(),
	                           "jsontestsuite/test_transform/string_1_invalid_codepoint.json");
	struct json_error err;
	assert_true(read_file(&d, path));
	assert_false(json_parse(&d, NULL, &err));
	assert_int_equal(err.pos, 3); /* the byte after 0xed */
	assert_non_null(strstr(err.message, "invalid UTF-8 sequence"));
	doc_free(&d);
	free(path);
}

/* ------------------------------------------------------------------------------------- */
/* errors                                                                                */

static const struct {
	const char *input;
	size_t len; /* 0: strlen(input) */
	unsigned line, column;
	const char *message;
} error_cases[] = {
	{"", 0, 1, 1, "empty document"},
	{" \n\t ", 0, 2, 3, "empty document"},
	{"{\"a\" 1}", 0, 1, 6, "expected ':' after object key, found '1'"},
	{"{\"a\":1,}", 0, 1, 8, "expected a string key after ',', found '}'"},
	{"{1:2}", 0, 1, 2, "expected a string key or '}', found '1'"},
	{"[1,]", 0, 1, 4, "expected a value, found ']'"},
	{"[1 2]", 0, 1, 4, "expected ',' or ']' after an array element, found '2'"},
	{"{\"a\":1 \"b\":2}", 0, 1, 8, "expected ',' or '}' after an object member, found '\"'"},
	{"[\"a\\x\"]", 0, 1, 4, "invalid escape '\\x'"},
	{"[\"\\u12G4\"]", 0, 1, 7, "invalid \\u escape: expected 4 hex digits, found 'G'"},
	{"[\"ab", 0, 1, 5, "unexpected end of input inside a string"},
	{"[\"a\\", 0, 1, 5, "unexpected end of input inside a string"},
	{"[\"a\xff\"]", 0, 1, 4, "invalid UTF-8 byte 0xff in string"},
	{"[\"\xc3\"]", 0, 1, 4, "incomplete UTF-8 sequence in string: byte 0x22 is not a continuation byte"},
	{"[\"\xe0\x80\x80\"]", 0, 1, 4, "invalid UTF-8 sequence in string: 0xe0 0x80 is overlong, a surrogate or above U+10FFFF"},
	{"[\"\xf4\x90\x80\x80\"]", 0, 1, 4, "invalid UTF-8 sequence in string: 0xf4 0x90 is overlong, a surrogate or above U+10FFFF"},
	{"{\n  \"a\": \"x\ty\"\n}", 0, 2, 10, "unescaped control character 0x09 in string"},
	{"[01]", 0, 1, 3, "invalid number: leading zeros are not allowed"},
	{"[-]", 0, 1, 3, "expected a digit after '-', found ']'"},
	{"[1.]", 0, 1, 4, "expected a digit after the decimal point, found ']'"},
	{"[1e+]", 0, 1, 5, "expected a digit in the exponent, found ']'"},
	{"[.5]", 0, 1, 2, "expected a value, found '.'"},
	{"[tru]", 0, 1, 5, "invalid literal: expected 'true', found ']'"},
	{"nul", 0, 1, 4, "invalid literal: expected 'null', found end of input"},
	{"[NaN]", 0, 1, 2, "expected a value, found 'N'"},
	{"{\"a\":1}}", 0, 1, 8, "unexpected '}' after the end of the document"},
	{"[1]\n\n  x", 0, 3, 3, "unexpected 'x' after the end of the document"},
	{"[\"\xc3\xa9\", x]", 0, 1, 7, "expected a value, found 'x'"},
	{"{\"a\":[1,{\"b\":", 0, 1, 14, "expected a value, found end of input"},
	{"[1,\n", 0, 2, 1, "expected a value, found end of input"},
	{"\xef\xbb\xbf", 0, 1, 2, "empty document"},
	{"\xff\xfe[\0]\0", 6, 1, 1, "expected a value, found byte 0xff (UTF-16 text must be converted to UTF-8 before parsing)"},
	{"\xff\xfe\0\0[\0\0\0]\0\0\0", 12, 1, 1, "expected a value, found byte 0xff (UTF-32 text is not supported; convert the file to UTF-8)"},
	{"[\0\"\0]\0", 6, 1, 2, "expected a value, found byte 0x00 (the file looks like UTF-16 without a byte order mark; convert it to UTF-8)"},
};

static void test_error_positions(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof error_cases / sizeof *error_cases; k++) {
		const char *in = error_cases[k].input;
		size_t n = error_cases[k].len ? error_cases[k].len : strlen(in);
		struct doc d;
		struct json_error err;
		if (parse_n(&d, in, n, 0, &err))
			fail_msg("case %zu accepted", k);
		unsigned line, col;
		doc_position(&d, err.pos, &line, &col);
		if (strcmp(err.message, error_cases[k].message) != 0 || line != error_cases[k].line ||
		    col != error_cases[k].column)
			fail_msg("case %zu: got %u:%u '%s'", k, line, col, err.message);
		assert_int_equal(d.nroots, 0);
		doc_free(&d);
	}
}

static void test_nul_bytes(void **state)
{
	(void)state;
	struct doc d;
	struct json_error err;
	assert_false(parse_n(&d, "[1]\0", 4, 0, &err));
	assert_int_equal(err.pos, 3);
	assert_string_equal(err.message, "unexpected byte 0x00 after the end of the document");
	doc_free(&d);
	assert_false(parse_n(&d, "[\"a\0b\"]", 7, 0, &err));
	assert_int_equal(err.pos, 3);
	assert_string_equal(err.message, "unescaped control character 0x00 in string");
	doc_free(&d);
	assert_true(parse_n(&d, "[\"a\\u0000b\"]", 12, 0, &err));
	doc_free(&d);
}

/* n nested arrays, closed when closed is set. */
static char *nested(size_t n, bool closed)
{
	char *s = xmalloc(2 * n + 1);
	memset(s, '[', n);
	memset(s + n, ']', n);
	s[closed ? 2 * n : n] = '\0';
	return s;
}

static void test_depth_limit(void **state)
{
	(void)state;
	struct doc d;
	struct json_error err;
	char *s = nested(512, true);
	assert_true(parse(&d, s, &err));
	assert_int_equal(d.n, 512);
	assert_int_equal(doc_end(&d, 511), 512);
	doc_free(&d);
	free(s);

	s = nested(513, true);
	assert_false(parse(&d, s, &err));
	assert_int_equal(err.pos, 512);
	assert_string_equal(err.message, "nesting deeper than 512 levels (the depth limit)");
	doc_free(&d);
	free(s);

	s = nested(100000, false);
	assert_false(parse(&d, s, &err));
	assert_int_equal(err.pos, 512);
	doc_free(&d);
	assert_false(json_validate(s, strlen(s), NULL, &err));
	free(s);

	assert_true(parse_n(&d, "{\"a\":[{}]}", 10, 3, &err));
	doc_free(&d);
	assert_false(parse_n(&d, "{\"a\":[{\"b\":[]}]}", 16, 3, &err));
	assert_int_equal(err.pos, 11);
	assert_string_equal(err.message, "nesting deeper than 3 levels (the depth limit)");
	doc_free(&d);
}

/* ------------------------------------------------------------------------------------- */
/* values and the tape                                                                   */

static const struct {
	const char *text;
	enum doc_type type;
} number_cases[] = {
	{"0", DOC_INT}, {"-0", DOC_INT}, {"7", DOC_INT}, {"-12", DOC_INT},
	{"123456789012345678", DOC_INT}, {"9223372036854775807", DOC_INT},
	{"-9223372036854775808", DOC_INT}, {"9223372036854775808", DOC_FLOAT},
	{"-9223372036854775809", DOC_FLOAT}, {"9999999999999999999", DOC_FLOAT},
	{"12345678901234567890123", DOC_FLOAT}, {"0.5", DOC_FLOAT}, {"-0.0", DOC_FLOAT},
	{"1e5", DOC_FLOAT}, {"1E+5", DOC_FLOAT}, {"2e-3", DOC_FLOAT}, {"1.5e300", DOC_FLOAT},
	{"1e99999", DOC_FLOAT},
};

static void test_numbers(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof number_cases / sizeof *number_cases; k++) {
		struct doc d;
		struct json_error err;
		char *in = xasprintf("[%s,%s]", number_cases[k].text, number_cases[k].text);
		if (!parse(&d, in, &err))
			fail_msg("%s rejected: %s", number_cases[k].text, err.message);
		for (uint32_t i = 1; i <= 2; i++) {
			assert_int_equal(d.nodes[i].type, number_cases[k].type);
			assert_int_equal(d.nodes[i].len, strlen(number_cases[k].text));
			assert_memory_equal(d.text + d.nodes[i].text, number_cases[k].text,
			                    d.nodes[i].len);
		}
		free(in);
		doc_free(&d);
	}
	const char *bad[] = {"01", "-01", "+1", "1.", ".1", "1e", "1e+", "-", "--1", "0x10",
	                     "1.e3", "Infinity", "-Infinity", "1 2", "1_000"};
	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
		struct doc d;
		struct json_error err;
		if (parse(&d, bad[k], &err))
			fail_msg("%s accepted", bad[k]);
		doc_free(&d);
	}
}

static void test_scalar_roots(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		enum doc_type type;
	} cases[] = {{" true ", DOC_TRUE}, {"false", DOC_FALSE}, {"null\n", DOC_NULL},
	             {"\"x\"", DOC_STRING}, {"\t42\r\n", DOC_INT}, {"4.2", DOC_FLOAT}};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		struct doc d;
		struct json_error err;
		assert_true(parse(&d, cases[k].in, &err));
		assert_int_equal(d.n, 1);
		assert_int_equal(d.nodes[0].type, cases[k].type);
		assert_int_equal(doc_end(&d, 0), 1);
		assert_true(tape_ok(&d));
		doc_free(&d);
	}
}

static void test_escapes(void **state)
{
	(void)state;
	struct doc d;
	struct json_error err;
	const char *in = "[\"plain\", \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\", \"\\u00e9\\uD83D\\uDE00\", "
	                 "\"\\ud800x\", \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"]";
	assert_true(parse(&d, in, &err));
	assert_int_equal(d.nodes[1].flags, 0);
	assert_int_equal(d.nodes[1].pos, 1);
	assert_int_equal(d.nodes[1].text, 2);
	assert_int_equal(d.nodes[1].len, 5);
	static const char *const want[] = {"plain", "a\"b\\c/d\b\f\n\r\t",
	                                   "\xc3\xa9\xf0\x9f\x98\x80", "\xef\xbf\xbdx",
	                                   "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"};
	static const uint8_t flags[] = {0, DOC_ESCAPED, DOC_ESCAPED, DOC_ESCAPED, 0};
	for (uint32_t k = 0; k < 5; k++) {
		uint32_t v = doc_index(&d, 0, k);
		assert_int_equal(d.nodes[v].flags, flags[k]);
		char *s = doc_strdup(&d, v, NULL);
		assert_string_equal(s, want[k]);
		free(s);
	}
	doc_free(&d);
	const char *bad[] = {"[\"\\a\"]", "[\"\\U0041\"]", "[\"\\u00\"]", "[\"\\u\"]", "[\"\\'\"]",
	                     "[\"\\\xc3\xa9\"]", "[\"\\", "[\"\\u00e"};
	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
		if (parse(&d, bad[k], &err))
			fail_msg("escape case %zu accepted", k);
		doc_free(&d);
	}
}

/* Expected tape of `{"a": [1, {"b": null}, []], "c": {}}`. */
static void test_tape_structure(void **state)
{
	(void)state;
	static const struct doc_node want[] = {
		{DOC_OBJECT, 0, 0, 0, 2, {10}},
		{DOC_STRING, 0, 0, 1, 1, {2}},   /* "a" */
		{DOC_ARRAY, 0, 0, 6, 3, {8}},
		{DOC_INT, 0, 0, 7, 1, {7}},      /* 1 */
		{DOC_OBJECT, 0, 0, 10, 1, {7}},
		{DOC_STRING, 0, 0, 11, 1, {12}}, /* "b" */
		{DOC_NULL, 0, 0, 16, 0, {16}},
		{DOC_ARRAY, 0, 0, 23, 0, {8}},
		{DOC_STRING, 0, 0, 28, 1, {29}}, /* "c" */
		{DOC_OBJECT, 0, 0, 33, 0, {10}},
	};
	struct doc d;
	struct json_error err;
	assert_true(parse(&d, "{\"a\": [1, {\"b\": null}, []], \"c\": {}}", &err));
	assert_int_equal(d.n, 10);
	assert_int_equal(d.nroots, 1);
	assert_int_equal(d.roots[0], 0);
	assert_ptr_equal(d.text, d.src.data);
	for (uint32_t i = 0; i < 10; i++) {
		const struct doc_node *g = &d.nodes[i], *w = &want[i];
		uint32_t want_end = w->type >= DOC_ARRAY ? w->after : i + 1;
		if (g->type != w->type || g->pos != w->pos || g->len != w->len ||
		    doc_end(&d, i) != want_end || (w->type < DOC_ARRAY && g->text != w->text))
			fail_msg("node %u: type %u pos %u text/after %u len %u end %u", i, g->type,
			         g->pos, g->text, g->len, doc_end(&d, i));
	}
	assert_int_equal(doc_path(&d, 0, "a.1.b"), 6);
	assert_true(tape_ok(&d));
	doc_free(&d);
}

/* json_options.skip_keys: objects under those root keys, after skip_after, are validated and
 * kept as empty objects; nothing else changes. */
static bool parse_skipping(struct doc *d, const char *s, struct json_error *err)
{
	static const char *const keys[] = {"planned_values", "prior_state", NULL};
	doc_init(d, "plan.json");
	d->src.data = xstrdup(s);
	d->src.len = strlen(s);
	struct json_options opts = {.skip_keys = keys, .skip_after = "format_version"};
	memset(err, 0, sizeof *err);
	return json_parse(d, &opts, err);
}

static void test_skip_keys(void **state)
{
	(void)state;
	struct doc d;
	struct json_error err, err2;
	assert_true(parse_skipping(&d, "{\"format_version\": \"1.2\", \"planned_values\": "
	                           "{\"a\": [1, {\"b\": 2}], \"a\": 3}, \"x\": {\"prior_state\": {\"c\": 4}},"
	                           " \"prior_state\": null, \"resource_changes\": [5]}", &err));
	assert_true(tape_ok(&d));
	assert_int_equal(d.nskips, 1);
	uint32_t pv = doc_get(&d, 0, "planned_values");
	assert_int_equal(doc_type(&d, pv), DOC_OBJECT);
	assert_int_equal(doc_node(&d, pv)->len, 0);
	assert_int_equal(doc_end(&d, pv), pv + 1);
	assert_int_equal(d.ndups_total, 0); /* the repeated "a" inside is not seen */
	assert_int_equal(doc_type(&d, doc_path(&d, 0, "x.prior_state.c")), DOC_INT); /* not root */
	assert_int_equal(doc_type(&d, doc_get(&d, 0, "prior_state")), DOC_NULL); /* not an object */
	assert_int_equal(doc_type(&d, doc_path(&d, 0, "resource_changes.0")), DOC_INT);
	doc_free(&d);

	/* before format_version nothing is skipped */
	assert_true(parse_skipping(&d, "{\"planned_values\": {\"a\": 1}, \"format_version\": 1}",
	                           &err));
	assert_int_equal(d.nskips, 0);
	assert_int_equal(doc_type(&d, doc_path(&d, 0, "planned_values.a")), DOC_INT);
	doc_free(&d);

	/* an error inside a skipped object: same message and position as without skipping */
	const char *bad = "{\"format_version\": 1, \"prior_state\": {\"a\": [1, 2,]}}";
	assert_false(parse_skipping(&d, bad, &err));
	doc_free(&d);
	assert_false(parse(&d, bad, &err2));
	assert_int_equal(err.pos, err2.pos);
	assert_string_equal(err.message, err2.message);
	doc_free(&d);
}

static void test_whitespace_and_bom(void **state)
{
	(void)state;
	struct doc d;
	struct json_error err;
	assert_true(parse(&d, " \t\r\n{ \"k\" \n:\r\n [ 1 , 2 ]\t}\n\n", &err));
	assert_int_equal(doc_type(&d, doc_get(&d, 0, "k")), DOC_ARRAY);
	doc_free(&d);
	assert_true(parse(&d, "\xef\xbb\xbf{\"k\":1}", &err));
	assert_int_equal(d.nodes[0].pos, 3);
	doc_free(&d);
	/* only the four JSON whitespace characters */
	assert_false(parse(&d, "[1,\f2]", &err));
	doc_free(&d);
	assert_false(parse(&d, "[1,\xc2\xa0" "2]", &err));
	doc_free(&d);
}

/* Many siblings and long strings: the node array grows past its first estimate and the
 * eight-byte string scanner meets specials at every offset. */
static void test_growth_and_long_strings(void **state)
{
	(void)state;
	size_t n = 20000;
	char *s = xmalloc(n * 40 + 16);
	size_t len = 0;
	s[len++] = '[';
	for (size_t i = 0; i < n; i++) {
		len += (size_t)sprintf(s + len, "%s\"%.*s\\n%.*s\xc3\xa9\"", i ? "," : "",
		                       (int)(i % 17), "abcdefghijklmnopq", (int)(i % 11),
		                       "ABCDEFGHIJK");
	}
	s[len++] = ']';
	s[len] = '\0';
	struct doc d;
	struct json_error err;
	assert_true(parse_n(&d, s, len, 0, &err));
	assert_int_equal(d.nodes[0].len, n);
	assert_true(tape_ok(&d));
	char *v = doc_strdup(&d, doc_index(&d, 0, 16), NULL);
	assert_string_equal(v, "abcdefghijklmnop\nABCDE\xc3\xa9");
	free(v);
	doc_free(&d);
	free(s);
}

/* Each byte the string scanner must stop at (quote, backslash, control character,
 * non-ASCII byte), at every offset of the first three sixteen-byte blocks: the verdict and
 * the error position are exact. */
static void test_string_specials_at_every_offset(void **state)
{
	(void)state;
	char s[128];
	for (int k = 0; k < 48; k++) {
		struct doc d;
		struct json_error err;
		int len = snprintf(s, sizeof s, "[\"%.*s\x01%s\"]", k, ALPHABET48, "tail-of-string");
		assert_false(parse_n(&d, s, (size_t)len, 0, &err));
		assert_int_equal(err.pos, 2 + k);
		assert_string_equal(err.message, "unescaped control character 0x01 in string");
		doc_free(&d);
		len = snprintf(s, sizeof s, "[\"%.*s\xff%s\"]", k, ALPHABET48, "tail-of-string");
		assert_false(parse_n(&d, s, (size_t)len, 0, &err));
		assert_int_equal(err.pos, 2 + k);
		doc_free(&d);
		len = snprintf(s, sizeof s, "[\"%.*s\\t\xc3\xa9\"]", k, ALPHABET48);
		assert_true(parse_n(&d, s, (size_t)len, 0, &err));
		assert_int_equal(doc_node(&d, 1)->len, (uint32_t)k + 4);
		assert_int_equal(doc_node(&d, 1)->flags, DOC_ESCAPED);
		doc_free(&d);
		len = snprintf(s, sizeof s, "[\"%.*s\", 1]", k, ALPHABET48);
		assert_true(parse_n(&d, s, (size_t)len, 0, &err));
		assert_int_equal(doc_node(&d, 1)->len, (uint32_t)k);
		assert_int_equal(doc_type(&d, 2), DOC_INT);
		doc_free(&d);
	}
}

/* A 34 MB document: its tape is big enough to be prefaulted on a helper thread (ahead.c),
 * and three million small numbers after the long strings outgrow the pre-sized tape, so the
 * helper is stopped and the tape moved in the middle of the parse. */
static void test_big_document_tape(void **state)
{
	(void)state;
	size_t strings = 28000, numbers = 3000000;
	char *s = xmalloc(strings * 1004 + numbers * 2 + 16);
	size_t len = 0;
	s[len++] = '[';
	for (size_t i = 0; i < strings; i++) {
		s[len++] = '"';
		memset(s + len, 'a' + (int)(i % 26), 1000);
		len += 1000;
		s[len++] = '"';
		s[len++] = ',';
	}
	for (size_t i = 0; i < numbers; i++)
		len += (size_t)sprintf(s + len, "%s%zu", i ? "," : "", i % 10);
	s[len++] = ']';
	s[len] = '\0';
	struct doc d;
	struct json_error err;
	assert_true(parse_n(&d, s, len, 0, &err));
	assert_int_equal(d.nodes[0].len, strings + numbers);
	assert_true(d.cap > len / 12 + 16); /* the tape grew */
	assert_true(tape_ok(&d));
	int64_t v = -1;
	assert_true(doc_int(&d, doc_index(&d, 0, (uint32_t)(strings + numbers - 1)), &v));
	assert_int_equal(v, (int64_t)((numbers - 1) % 10));
	char *first = doc_strdup(&d, doc_index(&d, 0, 27999), NULL);
	assert_int_equal(strlen(first), 1000);
	assert_int_equal(first[999], 'a' + 27999 % 26);
	free(first);
	doc_free(&d);
	free(s);
}

/* ------------------------------------------------------------------------------------- */
/* Terraform corpus                                                                      */

static void parse_dir(const char *corpus, const char *sub, bool expect_ok, unsigned *count)
{
	char *dir = testutil_join(corpus, sub);
	DIR *dp = opendir(dir);
	assert_non_null(dp);
	struct dirent *de;
	while ((de = readdir(dp)) != NULL) {
		size_t nl = strlen(de->d_name);
		if (nl < 5 || strcmp(de->d_name + nl - 5, ".json") != 0)
			continue;
		char *path = testutil_join(dir, de->d_name);
		struct doc d;
		struct json_error err = {0};
		bool ok = read_file(&d, path) && json_parse(&d, NULL, &err);
		if (ok != expect_ok)
			fail_msg("%s: %s (%s)", path, ok ? "accepted" : "rejected", err.message);
		if (ok && !tape_ok(&d))
			fail_msg("%s: tape invariants broken", path);
		(*count)++;
		doc_free(&d);
		free(path);
	}
	closedir(dp);
	free(dir);
}

static void test_corpus_terraform(void **state)
{
	(void)state;
	const char *corpus = testutil_corpus();
	if (!corpus)
		skip();
	unsigned good = 0, bad = 0;
	parse_dir(corpus, "tfplan", true, &good);
	parse_dir(corpus, "tfstate", true, &good);
	parse_dir(corpus, "tfjson", true, &good);
	parse_dir(corpus, "tfplan/invalid", false, &bad);
	parse_dir(corpus, "tfstate/invalid", false, &bad);
	parse_dir(corpus, "tfjson/invalid", false, &bad);
	assert_true(good >= 60);
	assert_int_equal(bad, 4);

	/* the trailing '}' of the invalid plan is reported where it is */
	char *path = testutil_join(corpus, "tfplan/invalid/terraform-json__invalid-plan.json");
	struct doc d;
	struct json_error err;
	assert_true(read_file(&d, path));
	assert_false(json_parse(&d, NULL, &err));
	assert_string_equal(err.message, "unexpected '}' after the end of the document");
	assert_int_equal((unsigned char)d.src.data[err.pos], '}');
	doc_free(&d);
	free(path);
}

/* Same data in the subtrees at ia (in a) and ib (in b): shape, types, decoded scalars. */
static bool same_tree(const struct doc *a, uint32_t ia, const struct doc *b, uint32_t ib)
{
	if (ia == DOC_NONE || ib == DOC_NONE)
		return false;
	uint32_t size = doc_end(a, ia) - ia;
	if (doc_end(b, ib) - ib != size)
		return false;
	for (uint32_t k = 0; k < size; k++) {
		const struct doc_node *x = &a->nodes[ia + k], *y = &b->nodes[ib + k];
		if (x->type != y->type || doc_end(a, ia + k) - ia != doc_end(b, ib + k) - ib)
			return false;
		if (x->type == DOC_ARRAY || x->type == DOC_OBJECT) {
			if (x->len != y->len)
				return false;
			continue;
		}
		size_t la = 0, lb = 0;
		char *sa = doc_strdup(a, ia + k, &la), *sb = doc_strdup(b, ib + k, &lb);
		bool eq = la == lb && (la == 0 || memcmp(sa, sb, la) == 0);
		free(sa);
		free(sb);
		if (!eq)
			return false;
	}
	return true;
}

/* The UTF-16LE plan (PowerShell) and its UTF-8 twin hold the same plan; they differ only in
 * the provider expressions, which the UTF-8 one has and the UTF-16 one omits. */
static void test_corpus_utf16_plan(void **state)
{
	(void)state;
	const char *corpus = testutil_corpus();
	if (!corpus)
		skip();
	char *p16 = testutil_join(corpus, "tfplan/checkov__plan_encodings_win_utf16le_bom.json");
	char *p8 = testutil_join(corpus, "tfplan/checkov__plan_encodings_win_utf8.json");
	struct doc a, b;
	struct json_error err;
	assert_true(read_file(&a, p16));
	assert_true(read_file(&b, p8));
	assert_true(json_parse(&a, NULL, &err));
	assert_true(json_parse(&b, NULL, &err));
	static const char *const paths[] = {
		"format_version", "terraform_version", "planned_values", "resource_changes",
		"configuration.root_module", "configuration.provider_config.aws.name",
		"configuration.provider_config.aws.full_name",
	};
	for (size_t k = 0; k < sizeof paths / sizeof *paths; k++) {
		if (!same_tree(&a, doc_path(&a, 0, paths[k]), &b, doc_path(&b, 0, paths[k])))
			fail_msg("%s differs", paths[k]);
	}
	assert_true(doc_get(&a, 0, "resource_changes") != DOC_NONE);
	assert_true(a.nodes[doc_get(&a, 0, "resource_changes")].len > 0);
	assert_false(same_tree(&a, 0, &b, 0));
	doc_free(&a);
	doc_free(&b);
	free(p16);
	free(p8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suite_parsing),
		cmocka_unit_test(test_suite_transform),
		cmocka_unit_test(test_suite_transform_keys),
		cmocka_unit_test(test_suite_transform_strings),
		cmocka_unit_test(test_error_positions),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_scalar_roots),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_tape_structure),
		cmocka_unit_test(test_skip_keys),
		cmocka_unit_test(test_string_specials_at_every_offset),
		cmocka_unit_test(test_whitespace_and_bom),
		cmocka_unit_test(test_growth_and_long_strings),
		cmocka_unit_test(test_big_document_tape),
		cmocka_unit_test(test_corpus_terraform),
		cmocka_unit_test(test_corpus_utf16_plan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
