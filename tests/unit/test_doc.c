/* Unit tests for the node tape helpers (load/doc.c). */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "load/doc.h"

static void test_unescape(void **state)
{
	(void)state;
	char out[64];
	const char *in = "a\\n\\u00e9\\ud83d\\ude00\\ud800x\\/";
	size_t n = doc_unescape_json(in, strlen(in), out);
	out[n] = '\0';
	assert_string_equal(out, "a\n\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbdx/");
}

static void test_position(void **state)
{
	(void)state;
	struct doc d;
	doc_init(&d, "x.json");
	d.src.data = strdup("ab\n\xc3\xa9z\n");
	d.src.len = strlen(d.src.data);
	unsigned line, col;
	doc_position(&d, 0, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 1);
	doc_position(&d, 5, &line, &col); /* 'z' after a two-byte character */
	assert_int_equal(line, 2);
	assert_int_equal(col, 2);
	doc_free(&d);
}

/* Positions deep inside a long line (a one-line plan) agree with counting from the start. */
static void test_position_long_line(void **state)
{
	(void)state;
	size_t len = 3 * DOC_COLMARK + 777;
	struct doc d;
	doc_init(&d, "long.json");
	d.src.data = malloc(len + 1);
	for (size_t i = 0; i < len; i++)
		d.src.data[i] = (i % 7 == 3) ? (char)0xC3 : (i % 7 == 4) ? (char)0xA9 : 'x';
	d.src.data[1000] = '\n';
	d.src.data[len] = '\0';
	d.src.len = len;
	uint32_t probes[] = {5, 1001, DOC_COLMARK, DOC_COLMARK + 1, 2 * DOC_COLMARK + 5,
	                     (uint32_t)len - 1, (uint32_t)len};
	for (size_t k = 0; k < sizeof probes / sizeof *probes; k++) {
		unsigned line, col, want_line = 1, want_col = 1;
		for (uint32_t p = 0; p < probes[k]; p++) {
			if (d.src.data[p] == '\n') {
				want_line++;
				want_col = 1;
			} else if (((unsigned char)d.src.data[p] & 0xC0) != 0x80) {
				want_col++;
			}
		}
		doc_position(&d, probes[k], &line, &col);
		assert_int_equal(line, want_line);
		assert_int_equal(col, want_col);
	}
	doc_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unescape),
		cmocka_unit_test(test_position),
		cmocka_unit_test(test_position_long_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
