/* Scalars and their text for the YAML parsers (see yamlnode.h). */
#include "load/yamlnode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define YAML_CORE_TAG "tag:yaml.org,2002:"

void yamlnode_arena_init(struct doc *doc, struct yamlnode_arena *a)
{
	free(doc->arena);
	doc->arena = NULL;
	a->len = a->cap = 0;
	yamlnode_add(doc, a, "", 0);
}

uint32_t yamlnode_add(struct doc *doc, struct yamlnode_arena *a, const char *s, size_t len)
{
	if (a->len + len + 1 > a->cap)
		xgrow((void **)&doc->arena, &a->cap, a->len + len + 1, 1);
	memcpy(doc->arena + a->len, s, len);
	doc->arena[a->len + len] = '\0';
	doc->text = doc->arena;
	uint32_t off = (uint32_t)a->len;
	a->len += len;
	return off;
}

uint32_t yamlnode_push_text(struct doc *doc, struct yamlnode_arena *a, enum doc_type type,
                            uint32_t pos, const char *s, size_t len)
{
	uint32_t i = doc_push(doc, type, pos);
	doc->nodes[i].text = yamlnode_add(doc, a, s, len);
	doc->nodes[i].len = (uint32_t)len;
	return i;
}

bool yamlnode_text_is(const char *s, size_t len, const char *const *words)
{
	for (; *words; words++) {
		if (strlen(*words) == len && memcmp(s, *words, len) == 0)
			return true;
	}
	return false;
}

static const char *const null_words[] = {"", "~", "null", "Null", "NULL", NULL};
static const char *const true_words[] = {"true", "True", "TRUE", NULL};
static const char *const false_words[] = {"false", "False", "FALSE", NULL};

static bool all_digits(const char *s, size_t len, int base)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool ok = base == 8 ? (c >= '0' && c <= '7')
		        : base == 16 ? ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'))
		        : (c >= '0' && c <= '9');
		if (!ok)
			return false;
	}
	return true;
}

/* Core-schema integer: [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+. Returns the base, or 0. */
static int int_base(const char *s, size_t len)
{
	if (len > 2 && s[0] == '0' && s[1] == 'o' && all_digits(s + 2, len - 2, 8))
		return 8;
	if (len > 2 && s[0] == '0' && s[1] == 'x' && all_digits(s + 2, len - 2, 16))
		return 16;
	if (len > 0 && (s[0] == '-' || s[0] == '+'))
		return all_digits(s + 1, len - 1, 10) ? 10 : 0;
	return all_digits(s, len, 10) ? 10 : 0;
}

static size_t count_digits(const char *s, size_t len)
{
	size_t n = 0;
	while (n < len && s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

/* Core-schema float: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? and the
 * infinities and NaN. */
static bool is_float(const char *s, size_t len)
{
	static const char *const special[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
	                                      "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN",
	                                      NULL};
	if (yamlnode_text_is(s, len, special))
		return true;
	size_t i = (len > 0 && (s[0] == '-' || s[0] == '+'));
	size_t whole = count_digits(s + i, len - i);
	i += whole;
	size_t frac = 0;
	if (i < len && s[i] == '.') {
		i++;
		frac = count_digits(s + i, len - i);
		i += frac;
	}
	if (whole == 0 && frac == 0)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		i += (i < len && (s[i] == '-' || s[i] == '+'));
		size_t exp = count_digits(s + i, len - i);
		if (exp == 0)
			return false;
		i += exp;
	}
	return i == len;
}

enum doc_type yamlnode_resolve_plain(const char *s, size_t len)
{
	switch (len ? s[0] : '~') { /* the words a first character allows */
	case '~':
	case 'n':
	case 'N': return yamlnode_text_is(s, len, null_words) ? DOC_NULL : DOC_STRING;
	case 't':
	case 'T': return yamlnode_text_is(s, len, true_words) ? DOC_TRUE : DOC_STRING;
	case 'f':
	case 'F': return yamlnode_text_is(s, len, false_words) ? DOC_FALSE : DOC_STRING;
	default:
		if (!strchr("0123456789+-.", s[0]))
			return DOC_STRING; /* no number starts otherwise */
	}
	if (int_base(s, len))
		return DOC_INT;
	if (is_float(s, len))
		return DOC_FLOAT;
	return DOC_STRING;
}

enum doc_type yamlnode_resolve_tagged(const char *tag, const char *s, size_t len)
{
	const size_t plen = sizeof YAML_CORE_TAG - 1;
	if (strncmp(tag, YAML_CORE_TAG, plen) != 0)
		return DOC_STRING;
	const char *name = tag + plen;
	if (strcmp(name, "null") == 0)
		return DOC_NULL;
	if (strcmp(name, "bool") == 0) {
		if (yamlnode_text_is(s, len, true_words))
			return DOC_TRUE;
		return yamlnode_text_is(s, len, false_words) ? DOC_FALSE : DOC_STRING;
	}
	if (strcmp(name, "int") == 0)
		return int_base(s, len) ? DOC_INT : DOC_STRING;
	if (strcmp(name, "float") == 0)
		return int_base(s, len) || is_float(s, len) ? DOC_FLOAT : DOC_STRING;
	return DOC_STRING;
}

/* An integer as decimal text (so doc_int reads 0o17 and 017 alike); one that does not fit
 * 64 bits becomes a DOC_FLOAT (see yamlnode_canonical). */
static enum doc_type canonical_int(const char *s, size_t len, char *out, size_t *out_len)
{
	int base = int_base(s, len);
	bool neg = s[0] == '-';
	size_t i = base == 10 ? (s[0] == '-' || s[0] == '+') : 2;
	uint64_t v = 0;
	double d = 0;
	bool overflow = false;
	for (; i < len; i++) {
		unsigned c = (unsigned char)s[i];
		unsigned digit = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
		if (v > (UINT64_MAX - digit) / (unsigned)base)
			overflow = true;
		v = v * (unsigned)base + digit;
		d = d * base + digit;
	}
	*out_len = SIZE_MAX;
	if ((overflow || v > (uint64_t)INT64_MAX + neg) && base != 8)
		return DOC_FLOAT; /* as written: strtod reads decimal and hex */
	if (overflow || v > (uint64_t)INT64_MAX + neg) {
		*out_len = (size_t)snprintf(out, YAMLNODE_CANONICAL_MAX, "%.17g", neg ? -d : d);
		return DOC_FLOAT;
	}
	size_t n = (size_t)snprintf(out, YAMLNODE_CANONICAL_MAX, "%s%llu", neg && v ? "-" : "",
	                            (unsigned long long)v);
	if (n != len || memcmp(out, s, n) != 0)
		*out_len = n;
	return DOC_INT;
}

enum doc_type yamlnode_canonical(enum doc_type type, const char *s, size_t len, char *out,
                                 size_t *out_len)
{
	*out_len = SIZE_MAX;
	if (type == DOC_INT)
		return canonical_int(s, len, out, out_len);
	size_t sign = (len > 0 && (s[0] == '-' || s[0] == '+'));
	if (type == DOC_FLOAT && len - sign == 4 && s[sign] == '.') { /* .inf, .nan */
		const char *text = (s[sign + 1] | 0x20) == 'n' ? "nan" : s[0] == '-' ? "-inf" : "inf";
		*out_len = strlen(text);
		memcpy(out, text, *out_len);
	}
	return type;
}

uint32_t yamlnode_push_scalar(struct doc *doc, struct yamlnode_arena *a, enum doc_type type,
                              uint32_t pos, const char *s, size_t len)
{
	char out[YAMLNODE_CANONICAL_MAX];
	size_t n;
	type = yamlnode_canonical(type, s, len, out, &n);
	if (n == SIZE_MAX)
		return yamlnode_push_text(doc, a, type, pos, s, len);
	return yamlnode_push_text(doc, a, type, pos, out, n);
}
