/* The node tape shared by the JSON and YAML loaders (see doc.h). */
#include "load/doc.h"
#include "load/docpos.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "util/pages.h"
#include "util/xalloc.h"

/* Objects with at most this many pairs are checked for duplicate keys through a 256-bit
 * filter of key signatures; larger ones through a hash table of the keys. */
#define DOC_SMALL_OBJECT 64

void doc_init(struct doc *doc, const char *path)
{
	memset(doc, 0, sizeof *doc);
	doc->src.path = xstrdup(path);
}

void doc_init_text(struct doc *doc, const char *path, const char *data, size_t len)
{
	doc_init(doc, path);
	doc->src.data = xmalloc(len + 1);
	memcpy(doc->src.data, data, len);
	doc->src.data[len] = '\0';
	doc->src.len = len;
}

void doc_reserve(struct doc *doc, size_t n)
{
	if (n <= doc->cap)
		return;
	size_t cap = doc->cap;
	xgrow((void **)&doc->nodes, &cap, n, sizeof *doc->nodes);
	doc->cap = (uint32_t)cap;
	pages_advise_huge(doc->nodes, cap * sizeof *doc->nodes);
}

uint32_t doc_push(struct doc *doc, enum doc_type type, uint32_t pos)
{
	if (doc->n == doc->cap)
		doc_reserve(doc, (size_t)doc->n + 1);
	struct doc_node *nd = &doc->nodes[doc->n];
	memset(nd, 0, sizeof *nd);
	nd->type = (uint8_t)type;
	nd->pos = pos;
	if (doc_is_container(nd))
		nd->after = doc->n + 1; /* empty until the loader closes it */
	return doc->n++;
}

void doc_add_root(struct doc *doc, uint32_t node)
{
	uint32_t n = doc->nroots;
	if (n < 4 || (n & (n - 1)) == 0) /* capacity: 4, then doubled at each power of two */
		doc->roots = xrealloc(doc->roots, (n < 4 ? 4 : 2 * (size_t)n) * sizeof *doc->roots);
	doc->roots[doc->nroots++] = node;
}

uint32_t doc_root_number(const struct doc *doc, uint32_t root)
{
	uint32_t lo = 0, hi = doc->nroots;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (doc->roots[mid] < root)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < doc->nroots && doc->roots[lo] == root ? lo + 1 : 0;
}

void doc_free(struct doc *doc)
{
	free(doc->src.path);
	free(doc->src.data);
	free(doc->src.lines);
	free(doc->src.colmarks);
	free(doc->src.holes);
	free(doc->skips);
	free(doc->arena);
	free(doc->nodes);
	free(doc->roots);
	doc_clear_dups(doc);
	free(doc->dups);
	memset(doc, 0, sizeof *doc);
}

/* ------------------------------------------------------------------ duplicate keys */

void doc_clear_dups(struct doc *doc)
{
	for (uint32_t i = 0; i < doc->ndups; i++)
		free(doc->dups[i].key);
	doc->ndups = doc->ndups_total = 0;
}

/* The decoded text of key node k: the text itself, or its unescaped form in stackbuf (256
 * bytes) or in a new allocation that *heap receives for the caller to free. */
static const char *key_text(const struct doc *doc, const struct doc_node *k, char *stackbuf,
                            char **heap, size_t *len)
{
	*heap = NULL;
	*len = k->len;
	if (!(k->flags & DOC_ESCAPED))
		return doc->text + k->text;
	char *out = stackbuf;
	if (k->len >= 256)
		out = *heap = xmalloc(k->len + 1);
	*len = doc_unescape_json(doc->text + k->text, k->len, out);
	return out;
}

static bool keys_equal(const struct doc *doc, uint32_t a, uint32_t b)
{
	const struct doc_node *x = &doc->nodes[a], *y = &doc->nodes[b];
	if (!((x->flags | y->flags) & DOC_ESCAPED))
		return x->len == y->len && memcmp(doc->text + x->text, doc->text + y->text, x->len) == 0;
	char bx[256], by[256], *hx, *hy;
	size_t nx, ny;
	const char *sx = key_text(doc, x, bx, &hx, &nx), *sy = key_text(doc, y, by, &hy, &ny);
	bool eq = nx == ny && memcmp(sx, sy, nx) == 0;
	free(hx);
	free(hy);
	return eq;
}

static void record_dup(struct doc *doc, uint32_t first, uint32_t dup)
{
	doc->ndups_total++;
	if (doc->ndups >= DOC_MAX_DUPS)
		return;
	if (!doc->dups)
		doc->dups = xmalloc(DOC_MAX_DUPS * sizeof *doc->dups);
	char buf[256], *heap;
	size_t len;
	const char *s = key_text(doc, &doc->nodes[dup], buf, &heap, &len);
	struct doc_dup *d = &doc->dups[doc->ndups++];
	d->pos = doc->nodes[dup].pos;
	d->first = doc->nodes[first].pos;
	d->cut = len > DOC_DUP_KEY_MAX;
	if (d->cut) { /* cut at a character boundary */
		len = DOC_DUP_KEY_MAX;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	d->key = xmalloc(len + 1);
	memcpy(d->key, s, len);
	d->key[len] = '\0';
	free(heap);
}

/* A cheap signature of a key's decoded text: its length and three of its bytes. Equal keys
 * have equal signatures. */
static uint64_t key_sig(const struct doc *doc, const struct doc_node *k)
{
	char buf[256], *heap;
	size_t n;
	const unsigned char *s = (const unsigned char *)doc->text + k->text;
	if (k->flags & DOC_ESCAPED)
		s = (const unsigned char *)key_text(doc, k, buf, &heap, &n);
	else
		n = k->len;
	uint64_t sig = (uint64_t)n << 32;
	if (n)
		sig |= (uint64_t)s[0] << 16 | (uint64_t)s[n / 2] << 8 | s[n - 1];
	if (k->flags & DOC_ESCAPED)
		free(heap);
	return sig;
}

/* A hash of a key's decoded text, eight bytes at a time. */
static uint64_t key_hash(const struct doc *doc, const struct doc_node *k)
{
	char buf[256], *heap;
	size_t n;
	const char *s = key_text(doc, k, buf, &heap, &n);
	uint64_t h = n * 0x9E3779B97F4A7C15u;
	for (; n >= 8; s += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xFF51AFD7ED558CCDu;
		h ^= h >> 32;
	}
	uint64_t w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
	h ^= h >> 29;
	free(heap);
	return h;
}

/* Pairs up to DOC_SMALL_OBJECT: a key whose signature may have been seen is compared with
 * the earlier keys of the same signature. */
static void check_small(struct doc *doc, uint32_t obj)
{
	uint64_t sig[DOC_SMALL_OBJECT], seen[4] = {0, 0, 0, 0};
	uint32_t key[DOC_SMALL_OBJECT], end = doc->nodes[obj].after, n = 0;
	for (uint32_t k = obj + 1; k < end; k = doc_end(doc, k + 1), n++) {
		key[n] = k;
		sig[n] = key_sig(doc, &doc->nodes[k]);
		unsigned b = (unsigned)((sig[n] * 0x9E3779B97F4A7C15u) >> 56);
		uint64_t bit = (uint64_t)1 << (b & 63);
		if (seen[b >> 6] & bit) {
			for (uint32_t i = 0; i < n; i++) {
				if (sig[i] == sig[n] && keys_equal(doc, key[i], k)) {
					record_dup(doc, key[i], k);
					break;
				}
			}
		}
		seen[b >> 6] |= bit;
	}
}

/* Larger objects: open addressing over the keys (node index + 1, 0 = empty). */
static void check_large(struct doc *doc, uint32_t obj, uint32_t pairs)
{
	size_t size = 128;
	while (size < (size_t)pairs * 2)
		size *= 2;
	uint32_t *slots = xcalloc(size, sizeof *slots);
	uint32_t end = doc->nodes[obj].after;
	for (uint32_t k = obj + 1; k < end; k = doc_end(doc, k + 1)) {
		size_t i = (size_t)key_hash(doc, &doc->nodes[k]) & (size - 1);
		for (; slots[i]; i = (i + 1) & (size - 1)) {
			if (keys_equal(doc, slots[i] - 1, k)) {
				record_dup(doc, slots[i] - 1, k);
				break;
			}
		}
		if (!slots[i])
			slots[i] = k + 1;
	}
	free(slots);
}

void doc_check_keys(struct doc *doc, uint32_t obj)
{
	uint32_t pairs = doc->nodes[obj].len;
	if (pairs < 2)
		return;
	if (pairs <= DOC_SMALL_OBJECT)
		check_small(doc, obj);
	else
		check_large(doc, obj, pairs);
}

static int cmp_dup(const void *a, const void *b)
{
	uint32_t x = ((const struct doc_dup *)a)->pos, y = ((const struct doc_dup *)b)->pos;
	return (x > y) - (x < y);
}

/* The key for a message: control characters shown as '?'. */
static void printable_key(const struct doc_dup *d, char out[DOC_DUP_KEY_MAX + 4])
{
	size_t n = 0;
	for (const char *s = d->key; *s; s++)
		out[n++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s;
	if (d->cut) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
}

void doc_report_duplicates(struct doc *doc, struct diags *diags)
{
	if (doc->ndups == 0)
		return;
	qsort(doc->dups, doc->ndups, sizeof *doc->dups, cmp_dup);
	for (uint32_t i = 0; i < doc->ndups; i++) {
		const struct doc_dup *d = &doc->dups[i];
		unsigned line, column, first_line, first_column;
		char key[DOC_DUP_KEY_MAX + 4];
		doc_position(doc, d->pos, &line, &column);
		doc_position(doc, d->first, &first_line, &first_column);
		printable_key(d, key);
		diags_add(diags, DIAG_WARNING, doc->src.path, line, column, NULL,
		          "duplicate key '%s' (the last value is used; first at line %u)", key,
		          first_line);
	}
	if (doc->ndups_total > doc->ndups)
		diags_add(diags, DIAG_WARNING, doc->src.path, 0, 0, NULL,
		          "%u more duplicate keys (only the first %d are shown)",
		          doc->ndups_total - doc->ndups, DOC_MAX_DUPS);
}

uint32_t doc_first(const struct doc *doc, uint32_t node)
{
	if (node == DOC_NONE || doc_end(doc, node) == node + 1)
		return DOC_NONE;
	return node + 1;
}

uint32_t doc_next(const struct doc *doc, uint32_t parent, uint32_t c)
{
	uint32_t n = doc_end(doc, c);
	return n < doc_end(doc, parent) ? n : DOC_NONE;
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

/* The first match is the answer when the parse found no repeated key anywhere; otherwise
 * the last one is (the value a repeated key ends with). */
uint32_t doc_get(const struct doc *doc, uint32_t obj, const char *key)
{
	if (obj == DOC_NONE || doc->nodes[obj].type != DOC_OBJECT)
		return DOC_NONE;
	uint32_t found = DOC_NONE;
	uint32_t end = doc->nodes[obj].after;
	size_t klen = strlen(key);
	for (uint32_t k = obj + 1; k < end; k = doc_end(doc, k + 1)) {
		const struct doc_node *nd = &doc->nodes[k];
		if (nd->flags & DOC_ESCAPED ? text_eq(doc, nd, key)
		                            : nd->len == klen && memcmp(doc->text + nd->text, key, klen) == 0) {
			found = k + 1;
			if (doc->ndups_total == 0)
				break;
		}
	}
	return found;
}

bool doc_key_hidden(const struct doc *doc, uint32_t obj, uint32_t k)
{
	if (!doc->ndups_total)
		return false;
	char *key = doc_strdup(doc, k, NULL);
	bool hidden = key && doc_get(doc, obj, key) != k + 1;
	free(key);
	return hidden;
}

uint32_t doc_index(const struct doc *doc, uint32_t arr, uint32_t idx)
{
	if (arr == DOC_NONE || doc->nodes[arr].type != DOC_ARRAY || idx >= doc->nodes[arr].len)
		return DOC_NONE;
	uint32_t c = arr + 1;
	while (idx--)
		c = doc_end(doc, c);
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

/* ---------------------------------------------------------------- comparing */

static bool same_node(const struct doc *a, const struct doc *b, uint32_t i)
{
	const struct doc_node *x = &a->nodes[i], *y = &b->nodes[i];
	if (x->type != y->type || x->flags != y->flags || x->pos != y->pos || x->len != y->len)
		return false;
	if (doc_is_container(x))
		return x->after == y->after;
	return memcmp(a->text + x->text, b->text + y->text, x->len) == 0;
}

static bool same_dup(const struct doc_dup *x, const struct doc_dup *y)
{
	return x->pos == y->pos && x->first == y->first && x->cut == y->cut &&
	       strcmp(x->key, y->key) == 0;
}

bool doc_same(const struct doc *a, const struct doc *b)
{
	if (a->n != b->n || a->nroots != b->nroots || a->ascii != b->ascii ||
	    a->ndups != b->ndups || a->ndups_total != b->ndups_total)
		return false;
	for (uint32_t i = 0; i < a->n; i++)
		if (!same_node(a, b, i))
			return false;
	for (uint32_t i = 0; i < a->nroots; i++)
		if (a->roots[i] != b->roots[i])
			return false;
	for (uint32_t i = 0; i < a->ndups; i++)
		if (!same_dup(&a->dups[i], &b->dups[i]))
			return false;
	return true;
}
