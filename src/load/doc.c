/* The node tape shared by the JSON and YAML loaders (see doc.h). */
#include "load/doc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void doc_init(struct doc *doc, const char *path)
{
	memset(doc, 0, sizeof *doc);
	doc->src.path = xstrdup(path);
}

uint32_t doc_push(struct doc *doc, enum doc_type type, uint32_t pos)
{
	if (doc->n == doc->cap) {
		size_t cap = doc->cap;
		xgrow((void **)&doc->nodes, &cap, (size_t)doc->n + 1, sizeof *doc->nodes);
		doc->cap = (uint32_t)cap;
	}
	struct doc_node *nd = &doc->nodes[doc->n];
	memset(nd, 0, sizeof *nd);
	nd->type = (uint8_t)type;
	nd->pos = pos;
	nd->next = doc->n + 1;
	return doc->n++;
}

void doc_add_root(struct doc *doc, uint32_t node)
{
	doc->roots = xrealloc(doc->roots, (doc->nroots + 1) * sizeof *doc->roots);
	doc->roots[doc->nroots++] = node;
}

void doc_free(struct doc *doc)
{
	free(doc->src.path);
	free(doc->src.data);
	free(doc->src.lines);
	free(doc->src.colmarks);
	free(doc->arena);
	free(doc->nodes);
	free(doc->roots);
	memset(doc, 0, sizeof *doc);
}

uint32_t doc_first(const struct doc *doc, uint32_t node)
{
	if (node == DOC_NONE || doc->nodes[node].next == node + 1)
		return DOC_NONE;
	return node + 1;
}

uint32_t doc_next(const struct doc *doc, uint32_t parent, uint32_t c)
{
	uint32_t n = doc->nodes[c].next;
	return n < doc->nodes[parent].next ? n : DOC_NONE;
}

static bool text_eq(const struct doc *doc, const struct doc_node *nd, const char *s)
{
	size_t slen = strlen(s);
	if (!(nd->flags & DOC_ESCAPED))
		return nd->len == slen && memcmp(doc->text + nd->text, s, slen) == 0;
	if (nd->len < slen)
		return false;
	char stackbuf[256];
	char *tmp = nd->len < sizeof stackbuf ? stackbuf : xmalloc(nd->len + 1);
	size_t n = doc_unescape_json(doc->text + nd->text, nd->len, tmp);
	bool eq = n == slen && memcmp(tmp, s, slen) == 0;
	if (tmp != stackbuf)
		free(tmp);
	return eq;
}

bool doc_streq(const struct doc *doc, uint32_t i, const char *s)
{
	if (i == DOC_NONE || doc->nodes[i].type != DOC_STRING)
		return false;
	return text_eq(doc, &doc->nodes[i], s);
}

uint32_t doc_get(const struct doc *doc, uint32_t obj, const char *key)
{
	if (obj == DOC_NONE || doc->nodes[obj].type != DOC_OBJECT)
		return DOC_NONE;
	uint32_t found = DOC_NONE;
	uint32_t end = doc->nodes[obj].next;
	for (uint32_t k = obj + 1; k < end; k = doc->nodes[k + 1].next) {
		if (text_eq(doc, &doc->nodes[k], key))
			found = k + 1;
	}
	return found;
}

uint32_t doc_index(const struct doc *doc, uint32_t arr, uint32_t idx)
{
	if (arr == DOC_NONE || doc->nodes[arr].type != DOC_ARRAY || idx >= doc->nodes[arr].len)
		return DOC_NONE;
	uint32_t c = arr + 1;
	while (idx--)
		c = doc->nodes[c].next;
	return c;
}

uint32_t doc_path(const struct doc *doc, uint32_t node, const char *path)
{
	char seg[256];
	while (node != DOC_NONE && *path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof seg)
			return DOC_NONE;
		memcpy(seg, path, n);
		seg[n] = '\0';
		path += n + (path[n] == '.');
		if (doc->nodes[node].type == DOC_ARRAY) {
			char *end;
			unsigned long idx = strtoul(seg, &end, 10);
			node = (*seg && !*end) ? doc_index(doc, node, (uint32_t)idx) : DOC_NONE;
		} else {
			node = doc_get(doc, node, seg);
		}
	}
	return node;
}

char *doc_strdup(const struct doc *doc, uint32_t i, size_t *out_len)
{
	if (i == DOC_NONE || doc->nodes[i].type < DOC_INT || doc->nodes[i].type > DOC_STRING)
		return NULL;
	const struct doc_node *nd = &doc->nodes[i];
	char *s = xmalloc(nd->len + 1);
	size_t n = nd->len;
	if (nd->flags & DOC_ESCAPED)
		n = doc_unescape_json(doc->text + nd->text, nd->len, s);
	else
		memcpy(s, doc->text + nd->text, n);
	s[n] = '\0';
	if (out_len)
		*out_len = n;
	return s;
}

bool doc_int(const struct doc *doc, uint32_t i, int64_t *out)
{
	if (i == DOC_NONE || doc->nodes[i].type != DOC_INT)
		return false;
	char tmp[32];
	const struct doc_node *nd = &doc->nodes[i];
	size_t n = nd->len < sizeof tmp - 1 ? nd->len : sizeof tmp - 1;
	memcpy(tmp, doc->text + nd->text, n);
	tmp[n] = '\0';
	errno = 0;
	long long v = strtoll(tmp, NULL, 0);
	if (errno)
		return false;
	*out = v;
	return true;
}

bool doc_number(const struct doc *doc, uint32_t i, double *out)
{
	if (i == DOC_NONE || (doc->nodes[i].type != DOC_INT && doc->nodes[i].type != DOC_FLOAT))
		return false;
	char tmp[64];
	const struct doc_node *nd = &doc->nodes[i];
	char *s = nd->len < sizeof tmp ? tmp : xmalloc(nd->len + 1);
	memcpy(s, doc->text + nd->text, nd->len);
	s[nd->len] = '\0';
	*out = strtod(s, NULL);
	if (s != tmp)
		free(s);
	return true;
}

bool doc_bool(const struct doc *doc, uint32_t i, bool *out)
{
	if (i == DOC_NONE || (doc->nodes[i].type != DOC_TRUE && doc->nodes[i].type != DOC_FALSE))
		return false;
	*out = doc->nodes[i].type == DOC_TRUE;
	return true;
}

static void build_lines(struct doc_source *src)
{
	size_t cap = 0;
	xgrow((void **)&src->lines, &cap, 1, sizeof *src->lines);
	src->lines[0] = 0;
	src->nlines = 1;
	for (const char *p = src->data, *end = src->data + src->len;
	     (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++) {
		xgrow((void **)&src->lines, &cap, src->nlines + 1, sizeof *src->lines);
		src->lines[src->nlines++] = (uint32_t)(p + 1 - src->data);
	}
}

static bool is_char_start(char c)
{
	return ((unsigned char)c & 0xC0) != 0x80;
}

/* One pass over the source recording, at every DOC_COLMARK-th byte, the 1-based column there,
 * so a position deep inside a long line costs at most DOC_COLMARK bytes of counting. */
static void build_colmarks(struct doc_source *src)
{
	src->ncolmarks = src->len / DOC_COLMARK + 1;
	src->colmarks = xmalloc(src->ncolmarks * sizeof *src->colmarks);
	uint32_t col = 1;
	for (size_t p = 0; p < src->len; p++) {
		if (p % DOC_COLMARK == 0)
			src->colmarks[p / DOC_COLMARK] = col;
		if (src->data[p] == '\n')
			col = 1;
		else
			col += is_char_start(src->data[p]);
	}
	if (src->len % DOC_COLMARK == 0)
		src->colmarks[src->len / DOC_COLMARK] = col;
}

void doc_position(struct doc *doc, uint32_t pos, unsigned *line, unsigned *column)
{
	struct doc_source *src = &doc->src;
	if (!src->lines)
		build_lines(src);
	if (pos > src->len)
		pos = (uint32_t)src->len;
	size_t lo = 0, hi = src->nlines;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (src->lines[mid] <= pos)
			lo = mid;
		else
			hi = mid;
	}
	uint32_t from = src->lines[lo];
	unsigned col = 1;
	if (pos - from > DOC_COLMARK) {
		if (!src->colmarks)
			build_colmarks(src);
		from = pos - pos % DOC_COLMARK;
		col = src->colmarks[from / DOC_COLMARK];
	}
	for (uint32_t p = from; p < pos; p++)
		col += is_char_start(src->data[p]);
	*line = (unsigned)lo + 1;
	*column = col;
}

static unsigned hex4(const char *s)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v = v * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

static size_t put_utf8(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Decodes \uXXXX at s (after the backslash-u), joining surrogate pairs; a lone surrogate
 * becomes U+FFFD. Returns the number of input bytes consumed after "\u". */
static size_t unescape_u(const char *s, const char *end, unsigned *cp)
{
	unsigned hi = hex4(s);
	if (hi >= 0xD800 && hi < 0xDC00 && end - s >= 10 && s[4] == '\\' && s[5] == 'u') {
		unsigned lo = hex4(s + 6);
		if (lo >= 0xDC00 && lo < 0xE000) {
			*cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
			return 10;
		}
	}
	*cp = (hi >= 0xD800 && hi < 0xE000) ? 0xFFFD : hi;
	return 4;
}

size_t doc_unescape_json(const char *s, size_t len, char *out)
{
	const char *end = s + len;
	char *o = out;
	while (s < end) {
		if (*s != '\\') {
			*o++ = *s++;
			continue;
		}
		s++;
		char c = *s++;
		switch (c) {
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			unsigned cp;
			s += unescape_u(s, end, &cp);
			o += put_utf8(o, cp);
			break;
		}
		default: *o++ = c; break; /* '"', '\\', '/' */
		}
	}
	return (size_t)(o - out);
}
