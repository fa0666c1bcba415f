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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unescape),
		cmocka_unit_test(test_position),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
