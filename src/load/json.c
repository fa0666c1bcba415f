/*
 * The JSON loader: one pass over the source bytes that validates RFC 8259 and, unless only
 * validating, appends the node tape of load/doc.h. Nesting lives on an explicit stack of
 * frames, so depth is bounded by json_options.max_depth and never by the C stack. Scalars
 * are recorded as byte offsets into the source; nothing is copied or decoded here.
 *
 * The scanner relies on the source being NUL-terminated (doc_source guarantees it): the NUL
 * at data[len] stops every loop, and the cursor is compared with the end only when a NUL is
 * met, to tell the end of input from a NUL byte inside it. Decisions on
 * implementation-defined input are listed in docs/parsing-json.md.
 */
#include "load/json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/ahead.h"
#include "util/pages.h"
#include "util/textscan.h"
#include "util/xalloc.h"

#define JSON_DEFAULT_MAX_DEPTH 512
/* The tape is prefaulted this many nodes (about 1 MB) at a time as it fills. */
#define JSON_PREFAULT_NODES (1u << 16)

typedef const unsigned char *cursor;

/* One open container. */
struct frame {
	uint32_t node;    /* tape index of the container (unused when validating) */
	uint32_t count;   /* completed members or elements */
	bool object;
	bool maybe_dup;   /* object: two keys may be equal (checked exactly on close) */
	bool skipped;     /* validated only: its members are not on the tape (see below) */
	uint64_t seen[2]; /* object: a 128-bit filter of the signatures of its keys so far */
};

struct parser {
	cursor base, end;        /* the source; *end is the terminating NUL */
	struct doc *doc;         /* NULL when only validating */
	struct doc *out;         /* doc, or NULL inside a skipped subtree */
	const struct json_options *opts;
	bool skip_armed;         /* the root object has shown opts->skip_after (so far) */
	bool skip_next;          /* the value after the current key is skipped (an object) */
	uint32_t limit;          /* tape nodes usable before the next grow or prefault */
	struct frame *stack;
	size_t depth, stack_cap;
	unsigned max_depth;
	uint32_t max_string;     /* bytes of one string as written */
	struct json_error *err;
	struct ahead *ahead;     /* prefaults the tape on another thread (big documents) */
	uint64_t cont;           /* UTF-8 continuation bytes met in strings so far */
	uint64_t skip_cont;      /* cont when the skipped object being read opened */
};

/* JSON whitespace: space, tab, line feed, carriage return. */
static const bool is_space[256] = {[' '] = true, ['\t'] = true, ['\n'] = true, ['\r'] = true};

static inline bool is_digit(unsigned c)
{
	return c - '0' < 10;
}

static inline bool is_hex(unsigned c)
{
	return c - '0' < 10 || (c | 0x20) - 'a' < 6;
}

static inline cursor skip_space(cursor p)
{
	while (is_space[*p])
		p++;
	return p;
}

/* ------------------------------------------------------------------------------------- */
/* errors                                                                                */

/* Names the byte at `at` for a message: "'x'", "byte 0xe2" or "end of input". */
static const char *describe(const struct parser *ps, cursor at, char buf[24])
{
	if (at >= ps->end)
		return "end of input";
	if (*at > 0x20 && *at < 0x7f)
		snprintf(buf, 24, "'%c'", *at);
	else
		snprintf(buf, 24, "byte 0x%02x", *at);
	return buf;
}

__attribute__((cold, noinline, format(printf, 3, 4)))
static bool fail(struct parser *ps, cursor at, const char *fmt, ...)
{
	va_list ap;
	ps->err->pos = (uint32_t)(at - ps->base);
	va_start(ap, fmt);
	vsnprintf(ps->err->message, sizeof ps->err->message, fmt, ap);
	va_end(ap);
	return false;
}

/* "expected <what>, found <byte>" at `at`. */
__attribute__((cold, noinline))
static bool fail_expected(struct parser *ps, cursor at, const char *what)
{
	char buf[24];
	return fail(ps, at, "expected %s, found %s", what, describe(ps, at, buf));
}

/* Explains a failure at the very start that comes from the encoding rather than the syntax:
 * text that is not UTF-8 gives a confusing "found byte 0xff" otherwise. */
static void add_encoding_hint(const unsigned char *s, size_t len, struct json_error *err)
{
	const char *hint = NULL;
	if (err->pos > 3)
		return;
	if (len >= 4 && ((s[0] == 0xFF && s[1] == 0xFE && !s[2] && !s[3]) ||
	                 (!s[0] && !s[1] && s[2] == 0xFE && s[3] == 0xFF)))
		hint = "UTF-32 text is not supported; convert the file to UTF-8";
	else if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
		hint = "UTF-16 text must be converted to UTF-8 before parsing";
	else if (len >= 2 && (!s[0] || !s[1]))
		hint = "the file looks like UTF-16 without a byte order mark; convert it to UTF-8";
	if (!hint)
		return;
	size_t used = strlen(err->message);
	snprintf(err->message + used, sizeof err->message - used, " (%s)", hint);
}

/* ------------------------------------------------------------------------------------- */
/* strings                                                                               */

/* Validates the escape whose backslash is at p; returns the byte after it, or NULL. */
static cursor scan_escape(struct parser *ps, cursor p)
{
	switch (p[1]) {
	case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
		return p + 2;
	case 'u':
		for (int i = 2; i < 6; i++) {
			if (!is_hex(p[i])) {
				char buf[24];
				fail(ps, p + i, "invalid \\u escape: expected 4 hex digits, found %s",
				     describe(ps, p + i, buf));
				return NULL;
			}
		}
		return p + 6; /* lone surrogates are accepted: doc_unescape_json makes them U+FFFD */
	}
	if (p + 1 >= ps->end)
		fail(ps, p + 1, "unexpected end of input inside a string");
	else if (p[1] > 0x20 && p[1] < 0x7f)
		fail(ps, p, "invalid escape '\\%c'", p[1]);
	else
		fail(ps, p, "invalid escape: backslash followed by byte 0x%02x", p[1]);
	return NULL;
}

/* Validates one UTF-8 sequence whose lead byte (>= 0x80) is at p; returns the byte after
 * it, or NULL. Overlong forms, surrogates (U+D800..U+DFFF) and code points above U+10FFFF
 * are refused, as RFC 3629 requires. */
static cursor scan_utf8(struct parser *ps, cursor p)
{
	unsigned c = p[0], lo = 0x80, hi = 0xBF;
	int extra;
	if (ps->doc)
		ps->doc->ascii = false;
	if (c >= 0xC2 && c <= 0xDF) {
		extra = 1;
	} else if (c >= 0xE0 && c <= 0xEF) {
		extra = 2;
		lo = c == 0xE0 ? 0xA0 : lo;
		hi = c == 0xED ? 0x9F : hi;
	} else if (c >= 0xF0 && c <= 0xF4) {
		extra = 3;
		lo = c == 0xF0 ? 0x90 : lo;
		hi = c == 0xF4 ? 0x8F : hi;
	} else {
		fail(ps, p, "invalid UTF-8 byte 0x%02x in string", c);
		return NULL;
	}
	for (int i = 1; i <= extra; i++) {
		unsigned b = p[i];
		if (b >= lo && b <= hi) {
			lo = 0x80;
			hi = 0xBF;
			continue;
		}
		if (p + i >= ps->end)
			fail(ps, p + i, "unexpected end of input inside a string");
		else if ((b & 0xC0) == 0x80)
			fail(ps, p + i, "invalid UTF-8 sequence in string: 0x%02x 0x%02x is overlong, "
			     "a surrogate or above U+10FFFF", c, b);
		else
			fail(ps, p + i, "incomplete UTF-8 sequence in string: byte 0x%02x is not a "
			     "continuation byte", b);
		return NULL;
	}
	ps->cont += (unsigned)extra;
	return p + 1 + extra;
}

__attribute__((cold, noinline))
static cursor fail_long_string(struct parser *ps, cursor open, cursor close)
{
	fail(ps, open, "string of %zu bytes exceeds the limit of %u bytes",
	     (size_t)(close - open - 1), ps->max_string);
	return NULL;
}

/* Scans the string whose opening quote is at p; returns the byte after the closing quote,
 * or NULL. *flags gets DOC_ESCAPED when the body holds a backslash. A body longer than
 * max_string bytes as written is an error. */
static inline cursor scan_string(struct parser *ps, cursor p, uint8_t *flags)
{
	cursor open = p++;
	for (;;) {
		p = textscan_plain(p, ps->end);
		unsigned c = *p;
		if (c == '"') {
			if ((size_t)(p - open - 1) > ps->max_string)
				return fail_long_string(ps, open, p);
			return p + 1;
		}
		if (c == '\\') {
			*flags = DOC_ESCAPED;
			p = scan_escape(ps, p);
		} else if (c >= 0x80) {
			p = scan_utf8(ps, p);
		} else if (p >= ps->end) {
			fail(ps, p, "unexpected end of input inside a string");
			return NULL;
		} else {
			fail(ps, p, "unescaped control character 0x%02x in string", c);
			return NULL;
		}
		if (!p)
			return NULL;
	}
}

/* ------------------------------------------------------------------------------------- */
/* numbers and literals                                                                  */

/* True when the integer digits[0, n) (no leading zeros) fits int64_t with its sign. */
static inline bool fits_int64(cursor digits, size_t n, bool negative)
{
	if (n != 19)
		return n < 19;
	return memcmp(digits, negative ? "9223372036854775808" : "9223372036854775807", 19) <= 0;
}

/* Scans a number at p by the RFC 8259 grammar; *type becomes DOC_INT for an integer that
 * fits int64_t, else DOC_FLOAT. Returns the byte after the number, or NULL. */
static inline cursor scan_number(struct parser *ps, cursor p, uint8_t *type)
{
	bool negative = *p == '-';
	p += negative;
	cursor digits = p;
	if (*p == '0') {
		if (is_digit(*++p)) {
			fail(ps, p, "invalid number: leading zeros are not allowed");
			return NULL;
		}
	} else if (is_digit(*p)) {
		while (is_digit(*++p))
			;
	} else {
		fail_expected(ps, p, "a digit after '-'");
		return NULL;
	}
	bool integer = true;
	size_t ndigits = (size_t)(p - digits);
	if (*p == '.') {
		if (!is_digit(*++p)) {
			fail_expected(ps, p, "a digit after the decimal point");
			return NULL;
		}
		while (is_digit(*++p))
			;
		integer = false;
	}
	if ((*p | 0x20) == 'e') {
		p++;
		p += *p == '+' || *p == '-';
		if (!is_digit(*p)) {
			fail_expected(ps, p, "a digit in the exponent");
			return NULL;
		}
		while (is_digit(*++p))
			;
		integer = false;
	}
	*type = integer && fits_int64(digits, ndigits, negative) ? DOC_INT : DOC_FLOAT;
	return p;
}

/* Matches the literal word at p; returns the byte after it, or NULL. */
static inline cursor scan_literal(struct parser *ps, cursor p, const char *word)
{
	for (size_t i = 0; word[i]; i++) {
		if (p[i] != (unsigned char)word[i]) {
			char buf[24];
			fail(ps, p + i, "invalid literal: expected '%s', found %s", word,
			     describe(ps, p + i, buf));
			return NULL;
		}
	}
	return p + strlen(word);
}

/* ------------------------------------------------------------------------------------- */
/* the tape                                                                              */

/* Makes room for more nodes: grows the array when full, then prefaults the next stretch of
 * it and moves ps->limit to the end of that stretch. */
__attribute__((noinline))
static void extend_nodes(struct parser *ps)
{
	struct doc *doc = ps->doc;
	if (doc->n == doc->cap) {
		ahead_stop(ps->ahead); /* the tape moves */
		ps->ahead = NULL;
		size_t cap = doc->cap;
		xgrow((void **)&doc->nodes, &cap, (size_t)doc->n + 1, sizeof *doc->nodes);
		doc->cap = cap > UINT32_MAX ? UINT32_MAX : (uint32_t)cap;
	}
	uint32_t stop = doc->cap - doc->n > JSON_PREFAULT_NODES ? doc->n + JSON_PREFAULT_NODES
	                                                        : doc->cap;
	ahead_report(ps->ahead, (size_t)stop * sizeof *doc->nodes);
	pages_prefault(doc->nodes + doc->n, (size_t)(stop - doc->n) * sizeof *doc->nodes);
	ps->limit = stop;
}

static inline uint32_t push_node(struct parser *ps, uint8_t type, uint8_t flags, uint32_t pos,
                                 uint32_t text, uint32_t len)
{
	struct doc *doc = ps->doc;
	if (doc->n == ps->limit)
		extend_nodes(ps);
	uint32_t i = doc->n++;
	struct doc_node *nd = &doc->nodes[i];
	nd->type = type;
	nd->flags = flags;
	nd->reserved = 0;
	nd->pos = pos;
	nd->text = text; /* containers: their end, set when they close */
	nd->len = len;
	return i;
}

/* Records the scalar spanning [start, stop) with its text at [text, text_end). */
static inline void emit_scalar(struct parser *ps, uint8_t type, uint8_t flags, cursor start,
                               cursor text, cursor text_end)
{
	if (ps->out)
		push_node(ps, type, flags, (uint32_t)(start - ps->base),
		          (uint32_t)(text - ps->base), (uint32_t)(text_end - text));
}

/* Opens an object or array whose bracket is at p. */
static inline bool open_frame(struct parser *ps, cursor p, bool object)
{
	if (ps->depth == ps->max_depth)
		return fail(ps, p, "nesting deeper than %u levels (the depth limit)", ps->max_depth);
	if (ps->depth == ps->stack_cap)
		xgrow((void **)&ps->stack, &ps->stack_cap, ps->depth + 1, sizeof *ps->stack);
	struct frame *f = &ps->stack[ps->depth++];
	f->object = object;
	f->count = 0;
	f->node = 0;
	f->maybe_dup = false;
	f->seen[0] = f->seen[1] = 0;
	f->skipped = false;
	if (ps->out)
		f->node = push_node(ps, object ? DOC_OBJECT : DOC_ARRAY, 0,
		                    (uint32_t)(p - ps->base), 0, 0);
	if (ps->skip_next) {
		f->skipped = true;
		ps->out = NULL;
		ps->skip_next = false;
		ps->skip_cont = ps->cont;
	}
	return true;
}

/* Closes the innermost container, whose closing bracket is at p. */
static inline void close_frame(struct parser *ps, cursor p)
{
	struct frame *f = &ps->stack[--ps->depth];
	if (f->skipped) { /* an empty object on the tape */
		struct doc *doc = ps->out = ps->doc;
		doc->nodes[f->node].len = 0;
		doc->nodes[f->node].after = f->node + 1;
		doc->skips = xrealloc(doc->skips, (doc->nskips + 1) * sizeof *doc->skips);
		doc->skips[doc->nskips].start = doc->nodes[f->node].pos;
		doc->skips[doc->nskips].end = (uint32_t)(p + 1 - ps->base);
		doc->skips[doc->nskips++].cont = (uint32_t)(ps->cont - ps->skip_cont);
		return;
	}
	if (ps->out) {
		struct doc_node *nd = &ps->doc->nodes[f->node];
		nd->len = f->count;
		nd->after = ps->doc->n;
		if (f->maybe_dup)
			doc_check_keys(ps->doc, f->node);
	}
}

/* ------------------------------------------------------------------------------------- */
/* structure                                                                             */

/* Scans a scalar value at p and records it; returns the byte after it, or NULL. */
static inline cursor parse_scalar(struct parser *ps, cursor p)
{
	cursor stop;
	uint8_t type, flags = 0;
	switch (*p) {
	case '"':
		stop = scan_string(ps, p, &flags);
		if (stop)
			emit_scalar(ps, DOC_STRING, flags, p, p + 1, stop - 1);
		return stop;
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		stop = scan_number(ps, p, &type);
		if (stop)
			emit_scalar(ps, type, 0, p, p, stop);
		return stop;
	case 't':
		stop = scan_literal(ps, p, "true");
		type = DOC_TRUE;
		break;
	case 'f':
		stop = scan_literal(ps, p, "false");
		type = DOC_FALSE;
		break;
	case 'n':
		stop = scan_literal(ps, p, "null");
		type = DOC_NULL;
		break;
	default:
		fail_expected(ps, p, "a value");
		return NULL;
	}
	if (stop)
		emit_scalar(ps, type, 0, p, p, p);
	return stop;
}

/* Adds key text[0, n) to the filter of its object f: a signature (from the length and three
 * bytes) met before in the same object, or an escape in the key, marks the object for the
 * exact check of doc_check_keys on close. A few instructions per key, no loop: this runs for
 * every key of every object. */
static inline void note_key(struct frame *f, cursor text, size_t n, uint8_t flags)
{
	/* an empty key reads its two quotes, the same for every empty key */
	uint64_t sig = n * 0x9E3779B97F4A7C15u ^
	               (text[0] | (uint64_t)text[n / 2] << 8 | (uint64_t)text[(ptrdiff_t)n - 1] << 16) *
	               0xC2B2AE3D27D4EB4Fu;
	unsigned b = (unsigned)(sig >> 57);
	uint64_t bit = (uint64_t)1 << (b & 63);
	f->maybe_dup |= ((f->seen[b >> 6] & bit) != 0) | (flags != 0);
	f->seen[b >> 6] |= bit;
}

/* A key of the root object: arms skipping at opts->skip_after, then marks the value of any
 * of opts->skip_keys to be skipped (json_options). */
static void root_key(struct parser *ps, cursor text, size_t n)
{
	const struct json_options *o = ps->opts;
	if (!o || !o->skip_keys)
		return;
	if (!ps->skip_armed) {
		ps->skip_armed = strlen(o->skip_after) == n && memcmp(text, o->skip_after, n) == 0;
		return;
	}
	for (const char *const *k = o->skip_keys; *k; k++)
		if (strlen(*k) == n && memcmp(text, *k, n) == 0)
			ps->skip_next = true;
}

/* Scans an object key at p and the ':' after it; returns the start of the value (after
 * whitespace), or NULL. `what` says what else was allowed here, for the message. */
__attribute__((always_inline))
static inline cursor parse_key(struct parser *ps, struct frame *f, cursor p, const char *what)
{
	uint8_t flags = 0;
	if (*p != '"') {
		fail_expected(ps, p, what);
		return NULL;
	}
	cursor stop = scan_string(ps, p, &flags);
	if (!stop)
		return NULL;
	if (ps->out) {
		emit_scalar(ps, DOC_STRING, flags, p, p + 1, stop - 1);
		note_key(f, p + 1, (size_t)(stop - p - 2), flags);
		if (ps->depth == 1)
			root_key(ps, p + 1, (size_t)(stop - p - 2));
	}
	p = skip_space(stop);
	if (*p != ':') {
		fail_expected(ps, p, "':' after object key");
		return NULL;
	}
	p = skip_space(p + 1);
	ps->skip_next = ps->skip_next && *p == '{';
	return p;
}

/* After a complete value: counts it in its container, then closes containers until a ','
 * leads to the next value (returned, past any key) or the root is complete (returns the
 * byte after it, with depth 0). NULL on error. */
static inline cursor after_value(struct parser *ps, cursor p)
{
	while (ps->depth > 0) {
		struct frame *f = &ps->stack[ps->depth - 1];
		f->count++;
		p = skip_space(p);
		if (*p == ',') {
			p = skip_space(p + 1);
			return f->object ? parse_key(ps, f, p, "a string key after ','") : p;
		}
		if (*p != (f->object ? '}' : ']')) {
			fail_expected(ps, p, f->object ? "',' or '}' after an object member"
			                               : "',' or ']' after an array element");
			return NULL;
		}
		close_frame(ps, p);
		p++;
	}
	return p;
}

/* Opens the container at p; returns where its first value starts, or the byte after it
 * when it is empty (then it is closed already and *closed is set). NULL on error. */
static inline cursor parse_open(struct parser *ps, cursor p, bool *closed)
{
	bool object = *p == '{';
	if (!open_frame(ps, p, object))
		return NULL;
	p = skip_space(p + 1);
	*closed = *p == (object ? '}' : ']');
	if (*closed) {
		close_frame(ps, p);
		return p + 1;
	}
	return object ? parse_key(ps, &ps->stack[ps->depth - 1], p, "a string key or '}'") : p;
}

/* The whole document from p (at its first value) to the end of input. */
static bool parse_document(struct parser *ps, cursor p)
{
	for (;;) {
		if (*p == '{' || *p == '[') {
			bool closed;
			p = parse_open(ps, p, &closed);
			if (p && !closed)
				continue;
		} else {
			p = parse_scalar(ps, p);
		}
		if (p)
			p = after_value(ps, p);
		if (!p)
			return false;
		if (ps->depth == 0)
			break;
	}
	p = skip_space(p);
	if (p < ps->end) {
		char buf[24];
		return fail(ps, p, "unexpected %s after the end of the document", describe(ps, p, buf));
	}
	return true;
}

/* Runs the parser over data[0, len) (NUL at data[len]); doc NULL only validates. */
static bool run(struct doc *doc, const char *data, size_t len, const struct json_options *opts,
                struct json_error *err)
{
	struct parser ps = {
		.base = (cursor)data,
		.end = (cursor)data + len,
		.doc = doc,
		.out = doc,
		.opts = opts,
		.max_depth = opts && opts->max_depth ? opts->max_depth : JSON_DEFAULT_MAX_DEPTH,
		.max_string = opts && opts->max_string ? opts->max_string : JSON_DEFAULT_MAX_STRING,
		.err = err,
	};
	if (len >= UINT32_MAX)
		return fail(&ps, ps.base, "document is 4 GB or more, which is not supported");
	if (len == 0)
		return fail(&ps, ps.base, "empty document");
	cursor p = ps.base;
	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		p += 3; /* a UTF-8 byte order mark is ignored (RFC 8259 section 8.1) */
		if (doc)
			doc->ascii = false;
	}
	p = skip_space(p);
	if (p >= ps.end)
		return fail(&ps, p, "empty document");
	if (doc)
		ps.ahead = ahead_start(doc->nodes, (size_t)doc->cap * sizeof *doc->nodes);
	bool ok = parse_document(&ps, p);
	ahead_stop(ps.ahead);
	free(ps.stack);
	if (!ok)
		add_encoding_hint(ps.base, len, err);
	return ok;
}

bool json_parse(struct doc *doc, const struct json_options *opts, struct json_error *err)
{
	size_t len = doc->src.len;
	doc->text = doc->src.data;
	doc->n = 0;
	doc->nroots = 0;
	doc_clear_dups(doc);
	doc->ascii = true; /* until a string holds a byte >= 0x80 */
	doc->nskips = 0;
	if (doc->cap < len / 12 + 16 && len < UINT32_MAX) {
		/* pre-size: plans hold one node per 13-25 bytes; unused capacity is never touched */
		size_t cap = doc->cap;
		xgrow((void **)&doc->nodes, &cap, len / 12 + 16, sizeof *doc->nodes);
		doc->cap = (uint32_t)cap;
	}
	if (!run(doc, doc->src.data, len, opts, err)) {
		doc->n = 0;
		doc->nskips = 0;
		doc->ascii = false;
		return false;
	}
	doc_add_root(doc, 0);
	return true;
}

bool json_validate(const char *data, size_t len, const struct json_options *opts,
                   struct json_error *err)
{
	return run(NULL, data, len, opts, err);
}
