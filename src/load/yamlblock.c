/*
 * The block-style fast path of the YAML loader (see yamlblock.h). A recursive descent over
 * lines: the cursor is always at the start of a content line (comment and blank lines are
 * skipped) whose indent decides what comes next, as libyaml's indentation rules do. Every
 * function returns false to decline, and the whole stream then goes to libyaml; nothing here
 * reports an error. Positions are the marks libyaml gives the same events: a collection at
 * its first key or dash, a scalar at its first character (a quote for quoted ones), an empty
 * value right after its ':' or '-', an empty document at the next marker (or the end).
 * Texts are not copied: a node's text is its bytes in the source (doc->text is the source),
 * except unescaped and rewritten ones (integers in decimal, .inf), which are appended after
 * the source's NUL once the stream is parsed.
 */
#include "load/yamlblock.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "load/yamlnode.h"
#include "util/cpus.h"
#include "util/xalloc.h"

#define SIMPLE_KEY_MAX 1000 /* libyaml refuses a key of more than 1024 characters */

/* Texts that are not in the source, end to end; moved after the source once parsed. */
struct own_texts {
	char *data;
	size_t len, cap;
};

/* Appends s[0, len) to t; returns its offset. */
static uint32_t own_add(struct own_texts *t, const char *s, size_t len)
{
	if (len == 0)
		return (uint32_t)t->len; /* memcpy takes no null pointer, even for nothing */
	if (t->len + len > t->cap)
		xgrow((void **)&t->data, &t->cap, t->len + len, 1);
	memcpy(t->data + t->len, s, len);
	t->len += len;
	return (uint32_t)(t->len - len);
}

struct yb {
	struct doc *doc;
	const struct yamlblock_limits *lim;
	struct own_texts *own; /* texts not in the source: unescaped or rewritten */
	const char *s;
	uint32_t len;
	uint32_t line;  /* start of the current content line (len at the end) */
	int ind;        /* its indent; -1 at the end of the stream and at a document marker */
	bool marker;    /* the current line is a marker (--- or ...) */
	unsigned depth; /* collections open */
	char *buf;      /* a quoted scalar, unescaped */
	size_t bufcap;
};

/* ---------------------------------------------------------------- characters */

/* Byte classes: 0 printable ASCII, 1 line feed, 2 the lead byte of a UTF-8 sequence, 3 a byte
 * the subset never reads (controls, tab, CR, DEL, stray continuation bytes). */
static unsigned char byte_class(unsigned char c)
{
	if (c == '\n')
		return 1;
	if (c < 0x20 || c == 0x7f)
		return 3;
	if (c < 0x80)
		return 0;
	return c >= 0xc2 && c <= 0xf4 ? 2 : 3;
}

/* The length of the UTF-8 character at s[0, n) when it is one libyaml accepts and treats as
 * an ordinary character (not NEL, LS, PS, a BOM, a C1 control or a surrogate), else 0. */
static size_t utf8_char(const unsigned char *s, size_t n)
{
	size_t len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	if (len > n)
		return 0;
	uint32_t cp = s[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
	if (cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cp < 0xa0 || cp == 0x2028 || cp == 0x2029 || cp == 0xfeff || cp == 0xfffe ||
	    cp == 0xffff)
		return 0;
	return len;
}

/* The offset of the first byte at or after i that is not printable ASCII or a line feed
 * (n when there is none): sixteen bytes at a time with SSE2. */
static size_t skip_plain(const unsigned char *s, size_t i, size_t n)
{
#ifdef __SSE2__
	const __m128i space = _mm_set1_epi8(0x20), lf = _mm_set1_epi8('\n');
	const __m128i del = _mm_set1_epi8(0x7f);
	while (n - i >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		/* signed: below 0x20 are the controls and the non-ASCII bytes */
		__m128i m = _mm_andnot_si128(_mm_cmpeq_epi8(x, lf), _mm_cmplt_epi8(x, space));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(x, del));
		unsigned mask = (unsigned)_mm_movemask_epi8(m);
		if (mask)
			return i + (size_t)__builtin_ctz(mask);
		i += 16;
	}
#endif
	while (i < n && byte_class(s[i]) < 2)
		i++;
	return i;
}

/* True when the source holds only characters the subset reads; *ascii when all are ASCII. */
static bool source_ok(const char *src, size_t n, bool *ascii)
{
	const unsigned char *s = (const unsigned char *)src;
	*ascii = true;
	for (size_t i = 0; i < n;) {
		i = skip_plain(s, i, n);
		if (i >= n)
			break;
		size_t len = byte_class(s[i]) == 2 ? utf8_char(s + i, n - i) : 0;
		if (!len)
			return false;
		*ascii = false;
		i += len;
	}
	return true;
}

static bool blank_at(const struct yb *y, uint32_t p)
{
	return p >= y->len || y->s[p] == ' ' || y->s[p] == '\n';
}

static uint32_t skip_spaces(const struct yb *y, uint32_t p)
{
	while (p < y->len && y->s[p] == ' ')
		p++;
	return p;
}

/* The offset of the line feed ending the line of p, or len. */
static uint32_t line_end(const struct yb *y, uint32_t p)
{
	const char *nl = memchr(y->s + p, '\n', y->len - p);
	return nl ? (uint32_t)(nl - y->s) : y->len;
}

/* True when p starts a block sequence entry: '-' followed by a space or a line end. */
static bool dash_at(const struct yb *y, uint32_t p)
{
	return p < y->len && y->s[p] == '-' && blank_at(y, p + 1);
}

/* ---------------------------------------------------------------- lines */

static bool marker_at(const struct yb *y, uint32_t p)
{
	return y->len - p >= 3 && (memcmp(y->s + p, "---", 3) == 0 ||
	                           memcmp(y->s + p, "...", 3) == 0) && blank_at(y, p + 3);
}

/* Moves to the first content line at or after line start p. */
static void next_content(struct yb *y, uint32_t p)
{
	while (p < y->len) {
		uint32_t q = skip_spaces(y, p);
		if (q < y->len && y->s[q] != '\n' && y->s[q] != '#') {
			y->line = p;
			y->marker = q == p && marker_at(y, p);
			y->ind = y->marker ? -1 : (int)(q - p);
			return;
		}
		p = line_end(y, q) + 1;
	}
	y->line = y->len;
	y->marker = false;
	y->ind = -1;
}

/* After the last token of a line (at p): only spaces, then a comment after a space, may
 * follow. Moves to the next content line; false when something else follows. */
static bool end_line(struct yb *y, uint32_t p)
{
	uint32_t q = skip_spaces(y, p);
	if (q < y->len && y->s[q] != '\n' && (y->s[q] != '#' || q == p))
		return false;
	next_content(y, line_end(y, q) + 1);
	return true;
}

/* ---------------------------------------------------------------- nodes */

/* A private node flag: the text is one of the own texts, not in the source; attach_texts
 * clears it. */
#define OWN_TEXT_FLAG 0x40

/* Appends a scalar whose text is s[0, len), where s is in the source or elsewhere (an
 * unescaped or rewritten text, copied to the own texts). */
static void push_scalar_text(struct yb *y, enum doc_type type, uint32_t pos, const char *s,
                             size_t len)
{
	struct doc *doc = y->doc;
	uint32_t i = doc_push(doc, type, pos);
	doc->nodes[i].len = (uint32_t)len;
	if (len == 0 || (s >= y->s && s + len <= y->s + y->len)) {
		doc->nodes[i].text = len ? (uint32_t)(s - y->s) : 0;
	} else {
		doc->nodes[i].text = own_add(y->own, s, len);
		doc->nodes[i].flags |= OWN_TEXT_FLAG;
	}
}

static uint32_t open_node(struct yb *y, enum doc_type type, uint32_t pos)
{
	return ++y->depth < y->lim->max_depth ? doc_push(y->doc, type, pos) : DOC_NONE;
}

static void close_node(struct yb *y, uint32_t i, uint32_t len)
{
	y->doc->nodes[i].len = len;
	y->doc->nodes[i].after = y->doc->n;
	if (y->doc->nodes[i].type == DOC_OBJECT)
		doc_check_keys(y->doc, i);
	y->depth--;
}

/* ---------------------------------------------------------------- scalars */

/* True when a plain scalar may start at p (YAML's indicators may not, except '-', '?' and
 * ':' followed by a non-space). */
static bool plain_start(const struct yb *y, uint32_t p)
{
	char c = y->s[p];
	if (c == '-' || c == '?' || c == ':')
		return !blank_at(y, p + 1);
	return !strchr(",[]{}#&*!|>'\"%@`", c);
}

/* True when [] or {} stands at p. */
static bool empty_flow(const struct yb *y, uint32_t p)
{
	return y->len - p >= 2 && (memcmp(y->s + p, "[]", 2) == 0 || memcmp(y->s + p, "{}", 2) == 0);
}

/* The end of the plain scalar at p within its line: before a comment, trailing spaces
 * dropped. *sep is set when a ': ' (or a final ':') stands inside it. */
static uint32_t plain_end(const struct yb *y, uint32_t p, uint32_t *sep)
{
	const char *s = y->s;
	uint32_t q = p, end = p;
	*sep = 0;
	while (q < y->len && s[q] != '\n') {
		if (s[q] == '#' && s[q - 1] == ' ')
			break;
		if (s[q] == ':' && blank_at(y, q + 1) && !*sep)
			*sep = q;
		if (s[q] != ' ')
			end = q + 1;
		q++;
	}
	return end;
}

/* The character of the escape \c this subset reads, or 0. */
static char unescape(char c)
{
	switch (c) {
	case '\\':
	case '"':
	case '/': return c;
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	default: return 0;
	}
}

/* The quoted scalar at p (on one line): *text and *len get its text, in the source when it
 * has no escape, else unescaped into y->buf. Returns the offset after its closing quote, or 0
 * when it goes on to another line or uses an escape left to libyaml. */
static uint32_t read_quoted(struct yb *y, uint32_t p, const char **text, size_t *len)
{
	const char *s = y->s;
	char quote = s[p];
	char special = quote == '"' ? '\\' : '\'';
	uint32_t q = p + 1, end = line_end(y, q);
	while (q < end && s[q] != quote && s[q] != special)
		q++;
	*text = s + p + 1;
	*len = q - p - 1;
	if (q < end && s[q] == quote && (quote == '"' || q + 1 >= end || s[q + 1] != '\''))
		return q + 1; /* no escape: the text as written */
	size_t n = *len;
	xgrow((void **)&y->buf, &y->bufcap, end - p, 1);
	memcpy(y->buf, s + p + 1, n);
	*text = y->buf;
	for (; q < end; q++) {
		char c = s[q];
		if (c == quote && (quote == '"' || q + 1 >= end || s[q + 1] != '\'')) {
			*len = n;
			return q + 1;
		}
		if (c == '\'' && quote == '\'') {
			q++; /* '' is one quote */
		} else if (c == '\\' && quote == '"') {
			c = ++q < end ? unescape(s[q]) : 0;
			if (!c)
				return 0;
		}
		y->buf[n++] = c;
	}
	return 0;
}

static bool length_ok(const struct yb *y, size_t len)
{
	return len <= y->lim->max_string;
}

/* A plain scalar s[p, end), resolved: its text stays in the source unless it is rewritten
 * (integers in decimal, .inf and .nan). */
static void push_plain(struct yb *y, uint32_t p, uint32_t end)
{
	const char *s = y->s + p;
	char out[YAMLNODE_CANONICAL_MAX];
	size_t n;
	enum doc_type t = yamlnode_canonical(yamlnode_resolve_plain(s, end - p), s, end - p, out,
	                                     &n);
	if (n == SIZE_MAX)
		push_scalar_text(y, t, p, s, end - p);
	else
		push_scalar_text(y, t, p, out, n);
}

/* A scalar value standing alone on the rest of its line (at p); moves to the next line. */
static bool parse_scalar(struct yb *y, uint32_t p)
{
	const char *s = y->s;
	if (s[p] == '"' || s[p] == '\'') {
		const char *text;
		size_t len;
		uint32_t after = read_quoted(y, p, &text, &len);
		if (!after || !length_ok(y, len))
			return false;
		push_scalar_text(y, DOC_STRING, p, text, len);
		return end_line(y, after);
	}
	if (s[p] == '[' || s[p] == '{') {
		if (!empty_flow(y, p))
			return false;
		uint32_t i = open_node(y, s[p] == '[' ? DOC_ARRAY : DOC_OBJECT, p);
		if (i == DOC_NONE)
			return false;
		close_node(y, i, 0);
		return end_line(y, p + 2);
	}
	uint32_t sep;
	uint32_t end = plain_end(y, p, &sep);
	if (!plain_start(y, p) || sep || !length_ok(y, end - p))
		return false;
	push_plain(y, p, end);
	return end_line(y, end);
}

/* ---------------------------------------------------------------- keys */

enum key { KEY, NOT_KEY, DECLINE };

/* Whether "key:" stands at p (a plain or quoted key, then ':' and a space or the line end);
 * *colon gets the offset of its ':'. */
static enum key find_key(const struct yb *y, uint32_t p, uint32_t *colon)
{
	const char *s = y->s;
	uint32_t q = p;
	if (s[p] == '"' || s[p] == '\'') {
		for (q = p + 1; q < y->len && s[q] != '\n' && s[q] != s[p]; q++)
			q += s[q] == '\\' && s[p] == '"' && q + 1 < y->len && s[q + 1] != '\n';
		if (q >= y->len || s[q] == '\n')
			return DECLINE;
		if (s[p] == '\'' && q + 1 < y->len && s[q + 1] == '\'')
			return DECLINE; /* an escaped quote in a key: left to libyaml */
		q = skip_spaces(y, q + 1);
		if (q >= y->len || s[q] != ':' || !blank_at(y, q + 1))
			return NOT_KEY;
	} else {
		if (empty_flow(y, p))
			return NOT_KEY;
		if (!plain_start(y, p))
			return s[p] == '[' || s[p] == '{' ? DECLINE : NOT_KEY;
		while (q < y->len && s[q] != '\n' && !(s[q] == ':' && blank_at(y, q + 1))) {
			if (s[q] == '#' && s[q - 1] == ' ')
				return NOT_KEY;
			q++;
		}
		if (q >= y->len || s[q] != ':')
			return NOT_KEY;
	}
	if (q - p > SIMPLE_KEY_MAX)
		return DECLINE;
	*colon = q;
	return KEY;
}

/* Pushes the key at p whose ':' is at colon. */
static bool push_key(struct yb *y, uint32_t p, uint32_t colon)
{
	const char *text = y->s + p;
	size_t len;
	if (y->s[p] == '"' || y->s[p] == '\'') {
		if (!read_quoted(y, p, &text, &len) || text != y->s + p + 1)
			return false; /* an escape in a key: left to libyaml (keys are compared as
			                 they are parsed, in the source) */
	} else {
		uint32_t end = colon;
		while (end > p && y->s[end - 1] == ' ')
			end--;
		len = end - p;
		if (len == 2 && memcmp(text, "<<", 2) == 0)
			return false; /* a merge key */
	}
	if (!length_ok(y, len))
		return false;
	push_scalar_text(y, DOC_STRING, p, text, len);
	return true;
}

/* ---------------------------------------------------------------- collections */

static bool parse_block(struct yb *y);
static bool parse_map(struct yb *y, uint32_t at, int n);
static bool parse_seq(struct yb *y, int n);

/* The value after an indicator ending at p (a key's ':' or an entry's '-') of a collection
 * at indent n. */
static bool parse_value(struct yb *y, uint32_t p, int n, bool in_map)
{
	uint32_t q = skip_spaces(y, p);
	if (q >= y->len || y->s[q] == '\n' || y->s[q] == '#') {
		next_content(y, line_end(y, q) + 1);
		if (y->ind > n)
			return parse_block(y);
		if (in_map && y->ind == n && dash_at(y, y->line + (uint32_t)n))
			return parse_seq(y, n); /* an indentless sequence */
		push_scalar_text(y, DOC_NULL, p, "", 0);
		return true;
	}
	if (!in_map) {
		uint32_t colon;
		enum key k = find_key(y, q, &colon);
		if (k == DECLINE || dash_at(y, q))
			return false;
		if (k == KEY)
			return parse_map(y, q, (int)(q - y->line)); /* a compact mapping */
	}
	return parse_scalar(y, q) && y->ind <= n;
}

/* A block mapping at indent n whose first key is at `at`. */
static bool parse_map(struct yb *y, uint32_t at, int n)
{
	uint32_t obj = open_node(y, DOC_OBJECT, at);
	uint32_t pairs = 0;
	if (obj == DOC_NONE)
		return false;
	for (;;) {
		uint32_t colon;
		if (find_key(y, at, &colon) != KEY || !push_key(y, at, colon) ||
		    !parse_value(y, colon + 1, n, true))
			return false;
		pairs++;
		if (y->ind != n)
			break;
		at = y->line + (uint32_t)n;
		if (dash_at(y, at))
			return false;
	}
	close_node(y, obj, pairs);
	return y->ind < n;
}

/* A block sequence whose first dash is at indent n of the current line. */
static bool parse_seq(struct yb *y, int n)
{
	uint32_t arr = open_node(y, DOC_ARRAY, y->line + (uint32_t)n);
	uint32_t items = 0;
	if (arr == DOC_NONE)
		return false;
	do {
		if (!parse_value(y, y->line + (uint32_t)n + 1, n, false))
			return false;
		items++;
	} while (y->ind == n && dash_at(y, y->line + (uint32_t)n));
	close_node(y, arr, items);
	return y->ind <= n;
}

/* The collection starting on the current line. */
static bool parse_block(struct yb *y)
{
	uint32_t at = y->line + (uint32_t)y->ind;
	if (dash_at(y, at))
		return parse_seq(y, y->ind);
	return parse_map(y, at, y->ind);
}

/* ---------------------------------------------------------------- documents */

/* One document: after its `---` line (if any) up to the next marker or the end. */
static bool parse_document(struct yb *y)
{
	struct doc *doc = y->doc;
	if (doc->nroots >= y->lim->max_documents)
		return false;
	if (y->marker) {
		if (y->s[y->line] == '.' || !end_line(y, y->line + 3))
			return false;
		if (y->ind < 0) { /* an empty document */
			push_scalar_text(y, DOC_NULL, y->line, "", 0);
			doc_add_root(doc, doc->n - 1);
			return true;
		}
	}
	uint32_t root = doc->n;
	if (y->s[y->line + (uint32_t)y->ind] == '%' || !parse_block(y) || y->ind >= 0)
		return false;
	doc_add_root(doc, root);
	return true;
}

/* Parses the stream s[0, len) into doc (whose tape starts empty), positions and texts counted
 * from s, texts not in s appended to own. False when it leaves the subset. */
static bool parse_text(struct doc *doc, const char *s, size_t len,
                       const struct yamlblock_limits *lim, struct own_texts *own)
{
	bool ascii;
	if (len >= UINT32_MAX || !source_ok(s, len, &ascii))
		return false;
	struct yb y = {.doc = doc, .lim = lim, .own = own, .s = s, .len = (uint32_t)len};
	doc->text = s; /* keys are compared as their mappings close */
	next_content(&y, 0);
	bool ok = true;
	while (ok && (y.ind >= 0 || y.marker))
		ok = parse_document(&y);
	free(y.buf);
	doc->ascii = ascii;
	return ok;
}

/* The start of a `---` line at or after the middle of s[0, len), or 0 when there is none. */
static size_t split_point(const char *s, size_t len)
{
	const char *end = s + len;
	for (const char *p = s + len / 2; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++) {
		if (end - p >= 4 && memcmp(p + 1, "---", 3) == 0 &&
		    (end - p == 4 || p[4] == ' ' || p[4] == '\n'))
			return (size_t)(p + 1 - s);
	}
	return 0;
}

/* The second half of a stream split at a marker, parsed on a thread of its own. */
struct half {
	struct doc doc;
	const char *s;
	size_t len;
	const struct yamlblock_limits *lim;
	struct own_texts own;
	bool ok;
};

static void *half_thread(void *arg)
{
	struct half *h = arg;
	doc_reserve(&h->doc, h->len / 16 + 16);
	h->ok = parse_text(&h->doc, h->s, h->len, h->lim, &h->own);
	return NULL;
}

/* Appends the parse of the half that starts at byte split to doc (the first half, with its
 * own texts own): nodes renumbered, positions and texts moved, roots, duplicate keys, ascii. */
static void append_half(struct doc *doc, struct own_texts *own, struct half *h,
                        uint32_t split)
{
	struct doc *d = &h->doc;
	uint32_t n0 = doc->n;
	uint32_t text0 = own_add(own, h->own.data, h->own.len);
	doc_reserve(doc, (size_t)doc->n + d->n);
	for (uint32_t i = 0; i < d->n; i++) {
		struct doc_node nd = d->nodes[i];
		nd.pos += split;
		if (doc_is_container(&nd))
			nd.after += n0;
		else
			nd.text += nd.flags & OWN_TEXT_FLAG ? text0 : split;
		doc->nodes[doc->n++] = nd;
	}
	for (uint32_t i = 0; i < d->nroots; i++)
		doc_add_root(doc, d->roots[i] + n0);
	for (uint32_t i = 0; i < d->ndups && doc->ndups < DOC_MAX_DUPS; i++) {
		if (!doc->dups)
			doc->dups = xmalloc(DOC_MAX_DUPS * sizeof *doc->dups);
		struct doc_dup *dup = &doc->dups[doc->ndups++];
		*dup = d->dups[i];
		dup->pos += split;
		dup->first += split;
		d->dups[i].key = NULL; /* moved */
	}
	doc->ndups_total += d->ndups_total;
	doc->ascii = doc->ascii && d->ascii;
}

/* Parses doc->src in two halves, split at a marker, on two threads. False when a half leaves
 * the subset (the whole stream would) or the documents add up to more than the limit. */
static bool parse_halves(struct doc *doc, size_t split, const struct yamlblock_limits *lim,
                         struct own_texts *own)
{
	struct half h = {.s = doc->src.data + split, .len = doc->src.len - split, .lim = lim};
	doc_init(&h.doc, doc->src.path);
	pthread_t tid;
	bool threaded = pthread_create(&tid, NULL, half_thread, &h) == 0;
	bool ok = parse_text(doc, doc->src.data, split, lim, own);
	if (threaded)
		pthread_join(tid, NULL);
	else
		half_thread(&h);
	ok = ok && h.ok && (uint64_t)doc->nroots + h.doc.nroots <= lim->max_documents;
	if (ok)
		append_half(doc, own, &h, (uint32_t)split);
	free(h.own.data);
	doc_free(&h.doc);
	return ok;
}

/* Moves the own texts after the source's NUL, so that every text is read from doc->src.data
 * (doc->text); false, with nothing changed, when their offsets would not fit 32 bits. */
static bool attach_texts(struct doc *doc, const struct own_texts *own)
{
	size_t base = doc->src.len + 1;
	if (own->len && base + own->len >= UINT32_MAX)
		return false;
	if (own->len) {
		doc->src.data = xrealloc(doc->src.data, base + own->len + 1);
		memcpy(doc->src.data + base, own->data, own->len);
		doc->src.data[base + own->len] = '\0';
		for (uint32_t i = 0; i < doc->n; i++) {
			struct doc_node *nd = &doc->nodes[i];
			if (nd->flags & OWN_TEXT_FLAG) {
				nd->text += (uint32_t)base;
				nd->flags &= (uint8_t)~OWN_TEXT_FLAG;
			}
		}
	}
	free(doc->arena);
	doc->arena = NULL;
	doc->text = doc->src.data;
	return true;
}

bool yamlblock_parse(struct doc *doc, const struct yamlblock_limits *lim)
{
	uint32_t n0 = doc->n, roots0 = doc->nroots;
	const char *text0 = doc->text;
	doc_clear_dups(doc);
	doc_reserve(doc, doc->src.len / 16 + 16);
	size_t split = doc->src.len >= YAMLBLOCK_SPLIT_MIN && cpus_usable() > 1
	             ? split_point(doc->src.data, doc->src.len) : 0;
	struct own_texts own = {NULL, 0, 0};
	bool ok = (split ? parse_halves(doc, split, lim, &own)
	                 : parse_text(doc, doc->src.data, doc->src.len, lim, &own)) &&
	          attach_texts(doc, &own);
	free(own.data);
	if (ok)
		return true;
	doc->n = n0;
	doc->nroots = roots0;
	doc_clear_dups(doc);
	free(doc->arena);
	doc->arena = NULL;
	doc->text = text0;
	doc->ascii = false;
	return false;
}
