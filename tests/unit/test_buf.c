/* Unit tests for the growable buffer (util/buf.c): formatting in place and decimals. */
#include "testutil.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

static void test_add_uint(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_add_uint(&b, 0);
	buf_addc(&b, ' ');
	buf_add_uint(&b, 7);
	buf_addc(&b, ' ');
	buf_add_uint(&b, 10);
	buf_addc(&b, ' ');
	buf_add_uint(&b, 65095403);
	buf_addc(&b, ' ');
	buf_add_uint(&b, ULLONG_MAX);
	assert_string_equal(buf_str(&b), "0 7 10 65095403 18446744073709551615");
	assert_int_equal(b.len, strlen(buf_str(&b)));
	buf_free(&b);
}

/* buf_addf formats into the free space when the text fits, else grows and formats again:
 * texts around the free space of the buffer at every length come out whole. */
static void test_addf_sizes(void **state)
{
	(void)state;
	char text[300];
	memset(text, 'x', sizeof text);
	for (int len = 0; len < 260; len++) {
		struct buf b = BUF_INIT;
		buf_adds(&b, "ab");
		buf_addf(&b, "<%.*s>%d", len, text, len);
		char want[320];
		snprintf(want, sizeof want, "ab<%.*s>%d", len, text, len);
		assert_string_equal(buf_str(&b), want);
		assert_int_equal(b.len, strlen(want));
		buf_addf(&b, "%s", "");
		assert_int_equal(b.len, strlen(want));
		buf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_uint),
		cmocka_unit_test(test_addf_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
