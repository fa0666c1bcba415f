/* Unit tests for the node tape helpers (load/doc.c). */
#include "testutil.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "load/doc.h"
#include "load/docpos.h"

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

/* Line and column of byte pos of text, counted from the start one byte at a time. */
static void ref_position(const char *text, size_t pos, unsigned *line, unsigned *col)
{
	*line = *col = 1;
	for (size_t p = 0; p < pos; p++) {
		if (text[p] == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)text[p] & 0xC0) != 0x80) {
			++*col;
		}
	}
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
		unsigned line, col, want_line, want_col;
		ref_position(d.src.data, probes[k], &want_line, &want_col);
		doc_position(&d, probes[k], &line, &col);
		assert_int_equal(line, want_line);
		assert_int_equal(col, want_col);
	}
	doc_free(&d);
}

/* A source of len bytes: a line break every `every` bytes (0: none), a two-byte character
 * every seven bytes unless ascii. */
static char *make_source(size_t len, size_t every, bool ascii)
{
	char *s = malloc(len + 1);
	memset(s, 'x', len);
	for (size_t i = 3; !ascii && i + 1 < len; i += 7) {
		s[i] = (char)0xC3;
		s[i + 1] = (char)0xA9;
	}
	for (size_t i = every - 1; every && i < len; i += every)
		s[i] = '\n';
	s[len] = '\0';
	return s;
}

/* Positions across a released hole are those of the full text (a byte in 1009 checked):
 * with doc_position (line index, column marks; an offset inside the hole counts as its
 * start) and with doc_advance from the start. */
static void check_hole(size_t every, bool ascii, bool cont_known)
{
	size_t len = 6 * DOC_COLMARK + 333;
	struct doc d;
	doc_init(&d, "holes.json");
	d.src.data = make_source(len, every, ascii);
	d.src.len = len;
	d.ascii = ascii;
	char *full = strdup(d.src.data);
	uint32_t start = DOC_COLMARK + 1234, end = 4 * DOC_COLMARK + 4321, cont = 0;
	for (uint32_t p = start; p < end; p++)
		cont += ((unsigned char)full[p] & 0xC0) == 0x80;
	assert_true(doc_release(&d, start, end, cont_known ? cont : DOC_CONT_UNKNOWN) >
	            2 * DOC_COLMARK);
	assert_int_equal(d.src.nholes, 1);
	const struct doc_hole h = d.src.holes[0];
	assert_true(h.start >= start && h.end <= end);
	assert_int_equal(d.src.data[(h.start + h.end) / 2], 0); /* given back: reads as zero */
	unsigned want_line = 1, want_col = 1, hole_line = 0, hole_col = 0;
	for (size_t p = 0; p <= len; p++) {
		if (p == h.start)
			hole_line = want_line, hole_col = want_col;
		unsigned line, col, adv_line = 1, adv_col = 1;
		bool inside = p >= h.start && p < h.end;
		if (p % 1009 == 0 || p == h.end || p == (h.start + h.end) / 2) {
			doc_position(&d, (uint32_t)p, &line, &col);
			assert_int_equal(line, inside ? hole_line : want_line);
			assert_int_equal(col, inside ? hole_col : want_col);
			doc_advance(&d, 0, inside ? h.start : p, &adv_line, &adv_col);
			assert_int_equal(adv_line, inside ? hole_line : want_line);
			assert_int_equal(adv_col, inside ? hole_col : want_col);
		}
		if (p < len && full[p] == '\n')
			want_line++, want_col = 1;
		else if (p < len && ((unsigned char)full[p] & 0xC0) != 0x80)
			want_col++;
	}
	free(full);
	doc_free(&d);
}

static void test_position_holes(void **state)
{
	(void)state;
	for (int known = 0; known < 2; known++) { /* the continuation bytes counted or given */
		check_hole(77, false, known); /* pretty-printed: breaks inside and around the hole */
		check_hole(77, true, known);
		check_hole(0, false, known);  /* one line: the hole spans column marks */
		check_hole(0, true, known);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unescape),
		cmocka_unit_test(test_position),
		cmocka_unit_test(test_position_long_line),
		cmocka_unit_test(test_position_holes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
