/* Line and column of source offsets, across released holes (see docpos.h). */
#include "load/docpos.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "util/pages.h"
#include "util/xalloc.h"

/* Continuation bytes (bit 7 set, bit 6 clear) among the n bytes at s, sixteen at a time:
 * as signed bytes they are the ones below -64. Each lane counts up to 255 blocks, then the
 * lanes are summed (psadbw). */
static size_t count_continuations_sse2(const char *s, size_t n, size_t *done)
{
	size_t cont = 0, k = 0;
#ifdef __SSE2__
	const __m128i limit = _mm_set1_epi8(-64), zero = _mm_setzero_si128();
	while (k + 16 <= n) {
		__m128i acc = zero;
		for (int blocks = 0; blocks < 255 && k + 16 <= n; blocks++, k += 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + k));
			acc = _mm_sub_epi8(acc, _mm_cmplt_epi8(x, limit)); /* a match is -1 */
		}
		__m128i sums = _mm_sad_epu8(acc, zero);
		cont += (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
	}
#endif
	(void)s;
	*done = k;
	return cont;
}

/* Characters (UTF-8 lead and ASCII bytes) among the n bytes at s of doc's source. */
static size_t chars_of(const struct doc *doc, const char *s, size_t n)
{
	if (doc->ascii)
		return n;
	size_t k;
	size_t cont = count_continuations_sse2(s, n, &k);
	for (; k < n; k++)
		cont += ((unsigned char)s[k] & 0xC0) == 0x80;
	return n - cont;
}

/* Line breaks among bytes [from, to) of text; *last receives the offset of the last one. */
static uint32_t count_newlines(const char *data, size_t from, size_t to, size_t *last)
{
	uint32_t n = 0;
	const char *p = data + from, *end = data + to;
	for (const char *nl; (nl = memchr(p, '\n', (size_t)(end - p))) != NULL; p = nl + 1) {
		n++;
		*last = (size_t)(nl - data);
	}
	return n;
}

/* doc_advance over bytes that hold no hole: newlines found with memchr, the column counted
 * only from the last of them. */
static void advance_text(const struct doc *doc, size_t from, size_t to, unsigned *line,
                         unsigned *col)
{
	const char *data = doc->src.data;
	size_t last = 0;
	uint32_t n = count_newlines(data, from, to, &last);
	if (n) {
		*line += n;
		*col = 1 + (unsigned)chars_of(doc, data + last + 1, to - last - 1);
		return;
	}
	*col += (unsigned)chars_of(doc, data + from, to - from);
}

void doc_advance(const struct doc *doc, size_t from, size_t to, unsigned *line, unsigned *col)
{
	const struct doc_source *src = &doc->src;
	for (size_t h = 0; h < src->nholes && from < to; h++) {
		const struct doc_hole *hole = &src->holes[h];
		if (hole->end <= from)
			continue;
		if (hole->start >= to)
			break;
		if (hole->start > from)
			advance_text(doc, from, hole->start, line, col);
		if (hole->end > to)
			return; /* to lies inside the hole: it counts as the start */
		*line += hole->newlines;
		*col = hole->newlines ? 1 + hole->tail : *col + hole->tail;
		from = hole->end;
	}
	if (from < to)
		advance_text(doc, from, to, line, col);
}

/* Appends the start of every line that begins in bytes [from, to). */
static void add_lines(struct doc_source *src, size_t *cap, size_t from, size_t to)
{
	for (const char *p = src->data + from, *end = src->data + to;
	     (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++) {
		xgrow((void **)&src->lines, cap, src->nlines + 1, sizeof *src->lines);
		src->lines[src->nlines++] = (uint32_t)(p + 1 - src->data);
	}
}

/* The starts of the lines that begin outside holes (the holes' line breaks are counted from
 * their summary by doc_position). */
static void build_lines(struct doc_source *src)
{
	size_t cap = 0, at = 0;
	xgrow((void **)&src->lines, &cap, 1, sizeof *src->lines);
	src->lines[0] = 0;
	src->nlines = 1;
	for (size_t h = 0; h < src->nholes; h++) {
		add_lines(src, &cap, at, src->holes[h].start);
		at = src->holes[h].end;
	}
	add_lines(src, &cap, at, src->len);
}

/* The offset of column mark k: byte k * DOC_COLMARK, or the end of the hole holding it. */
static size_t mark_offset(const struct doc_source *src, size_t k)
{
	size_t at = k * DOC_COLMARK;
	for (size_t h = 0; h < src->nholes; h++)
		if (src->holes[h].start < at && at < src->holes[h].end)
			return src->holes[h].end;
	return at;
}

/* One pass over the source recording the column at every mark, so a position deep inside a
 * long line costs at most DOC_COLMARK bytes of counting. */
static void build_colmarks(const struct doc *doc, struct doc_source *src)
{
	src->ncolmarks = src->len / DOC_COLMARK + 1;
	src->colmarks = xmalloc(src->ncolmarks * sizeof *src->colmarks);
	unsigned line = 1, col = 1;
	size_t at = 0;
	for (size_t k = 0; k < src->ncolmarks; k++) {
		size_t to = mark_offset(src, k);
		doc_advance(doc, at, to, &line, &col);
		src->colmarks[k] = col;
		at = to;
	}
}

/* The indexes are built on first use, under a lock: policies on several threads (engine
 * lanes) ask positions in the same documents. Built once, they are only read. */
static pthread_mutex_t index_lock = PTHREAD_MUTEX_INITIALIZER;

static void ensure_index(struct doc *doc, bool colmarks)
{
	struct doc_source *src = &doc->src;
	pthread_mutex_lock(&index_lock);
	if (!src->lines)
		build_lines(src);
	if (colmarks && !src->colmarks)
		build_colmarks(doc, src);
	pthread_mutex_unlock(&index_lock);
}

/* pos, or the start of the hole holding it; *newlines receives the line breaks of the holes
 * before it. */
static uint32_t outside_holes(const struct doc_source *src, uint32_t pos, unsigned *newlines)
{
	*newlines = 0;
	for (size_t h = 0; h < src->nholes && src->holes[h].start < pos; h++) {
		if (pos < src->holes[h].end)
			return src->holes[h].start;
		*newlines += src->holes[h].newlines;
	}
	return pos;
}

void doc_position(struct doc *doc, uint32_t pos, unsigned *line, unsigned *column)
{
	struct doc_source *src = &doc->src;
	ensure_index(doc, false);
	unsigned hole_lines;
	pos = outside_holes(src, pos > src->len ? (uint32_t)src->len : pos, &hole_lines);
	size_t lo = 0, hi = src->nlines;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (src->lines[mid] <= pos)
			lo = mid;
		else
			hi = mid;
	}
	size_t from = src->lines[lo];
	unsigned col = 1, ignored = 0;
	if (pos - from > DOC_COLMARK) {
		ensure_index(doc, true);
		from = mark_offset(src, pos / DOC_COLMARK);
		col = src->colmarks[pos / DOC_COLMARK];
	}
	doc_advance(doc, from, pos, &ignored, &col);
	*line = (unsigned)lo + 1 + hole_lines;
	*column = col;
}

/* Characters of the hole [a, b) inside [start, end), which holds cont continuation bytes:
 * counted only outside the hole, where there are less than two pages of them. */
static uint32_t hole_chars(const struct doc *doc, uint32_t start, uint32_t end, uint32_t cont,
                           uint32_t a, uint32_t b)
{
	const char *data = doc->src.data;
	size_t outside = (a - start) + (end - b);
	size_t outside_cont = outside - chars_of(doc, data + start, a - start)
	                      - chars_of(doc, data + b, end - b);
	return (b - a) - (cont - (uint32_t)outside_cont);
}

size_t doc_release(struct doc *doc, uint32_t start, uint32_t end, uint32_t cont)
{
	struct doc_source *src = &doc->src;
	size_t from, to;
	if (end <= start || !pages_inside(src->data + start, end - start, &from, &to))
		return 0;
	struct doc_hole hole = {start + (uint32_t)from, start + (uint32_t)to, 0, 0};
	size_t last = hole.start - 1;
	hole.newlines = count_newlines(src->data, hole.start, hole.end, &last);
	if (hole.newlines || cont == DOC_CONT_UNKNOWN)
		hole.tail = (uint32_t)chars_of(doc, src->data + last + 1, hole.end - last - 1);
	else
		hole.tail = hole_chars(doc, start, end, cont, hole.start, hole.end);
	src->holes = xrealloc(src->holes, (src->nholes + 1) * sizeof *src->holes);
	src->holes[src->nholes++] = hole;
	free(src->lines); /* indexes built before are rebuilt around the hole */
	free(src->colmarks);
	src->lines = NULL;
	src->colmarks = NULL;
	src->nlines = src->ncolmarks = 0;
	pages_discard(src->data + hole.start, hole.end - hole.start);
	return hole.end - hole.start;
}
