/*
 * HCL block scanner (see hcl.h). A lexer turns the text into tokens (strings, heredocs and
 * comments are consumed whole, so braces inside them never count), and a recursive reader
 * walks bodies: `name = value` attributes, `name "label"... {` blocks and `{ key = value }`
 * object literals. Values are skipped by counting brackets; nothing is evaluated.
 * Recursion is bounded by HCL_MAX_DEPTH (bodies, objects) and TEMPLATE_MAX_DEPTH (strings
 * inside templates inside strings); deeper input is skipped flat, so no input can exhaust
 * the stack, and every token consumes at least one byte, so no input can loop forever.
 */
#include "tfsrc/hcl.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

#define TEMPLATE_MAX_DEPTH 32

enum tok_kind {
	T_EOF, T_NEWLINE, T_IDENT, T_STRING, T_HEREDOC, T_LBRACE, T_RBRACE,
	T_OPEN,  /* ( or [ */
	T_CLOSE, /* ) or ] */
	T_EQ, T_COLON, T_COMMA, T_OTHER,
};

struct token {
	enum tok_kind kind;
	size_t start, end;  /* bytes [start, end) of the source */
	unsigned line;
	size_t line_start;  /* offset of the first byte of the token's line */
	bool literal;       /* T_STRING without template sequences */
};

struct scanner {
	const char *s;
	size_t len, pos;
	unsigned line;
	size_t line_start;
	bool line_has_token; /* something other than a comment started on the current line */
	const char *path;
	struct diags *d;
	struct token peeked;
	bool has_peeked;
	struct hcl_ignores pending; /* ignore comments waiting for the item on the next line */
	unsigned pending_line;      /* line of the last comment of the pending run */
	size_t col_line_start, col_pos; /* column cache: column col at byte col_pos */
	unsigned col;
};

/* ---------------------------------------------------------------- positions */

/* 1-based column in characters of byte pos on the line starting at line_start. Linear over
 * a line when asked in increasing order (the cache resumes where the last call stopped). */
static unsigned column_at(struct scanner *sc, size_t line_start, size_t pos)
{
	if (sc->col_line_start != line_start || sc->col_pos > pos || sc->col == 0) {
		sc->col_line_start = line_start;
		sc->col_pos = line_start;
		sc->col = 1;
	}
	for (size_t i = sc->col_pos; i < pos; i++)
		sc->col += ((unsigned char)sc->s[i] & 0xC0) != 0x80;
	sc->col_pos = pos;
	return sc->col;
}

static void warn(struct scanner *sc, unsigned line, size_t line_start, size_t pos,
                 const char *msg)
{
	if (sc->d && sc->path)
		diags_add(sc->d, DIAG_WARNING, sc->path, line, column_at(sc, line_start, pos), NULL,
		          "%s", msg);
}

/* Moves the cursor to byte to (>= pos), counting the lines passed. */
static void advance_to(struct scanner *sc, size_t to)
{
	while (sc->pos < to) {
		const char *nl = memchr(sc->s + sc->pos, '\n', to - sc->pos);
		if (!nl) {
			sc->pos = to;
			return;
		}
		sc->pos = (size_t)(nl - sc->s) + 1;
		sc->line++;
		sc->line_start = sc->pos;
		sc->line_has_token = false;
	}
}

static int peek_at(const struct scanner *sc, size_t i)
{
	return i < sc->len ? (unsigned char)sc->s[i] : -1;
}

/* ---------------------------------------------------------------- ignore comments */

static void ignores_free(struct hcl_ignores *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->v[i].text);
		free(v->v[i].policy);
		free(v->v[i].until);
		free(v->v[i].reason);
		free(v->v[i].problem);
	}
	free(v->v);
	memset(v, 0, sizeof *v);
}

static bool is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Next whitespace-separated word of [*p, end); false at the end. */
static bool next_word(const char **p, const char *end, const char **w, size_t *n)
{
	while (*p < end && is_space(**p))
		(*p)++;
	if (*p >= end)
		return false;
	*w = *p;
	while (*p < end && !is_space(**p))
		(*p)++;
	*n = (size_t)(*p - *w);
	return true;
}

static bool valid_date(const char *s, size_t n)
{
	static const char shape[] = "dddd-dd-dd";
	if (n != 10)
		return false;
	for (size_t i = 0; i < n; i++) {
		bool digit = s[i] >= '0' && s[i] <= '9';
		if (shape[i] == 'd' ? !digit : s[i] != '-')
			return false;
	}
	int month = (s[5] - '0') * 10 + (s[6] - '0');
	int day = (s[8] - '0') * 10 + (s[9] - '0');
	return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/* Parses the words after "moongate:ignore": <policy-id> [until=YYYY-MM-DD] -- <reason>. */
static void parse_ignore(struct hcl_ignore *ig, const char *p, const char *end)
{
	const char *w;
	size_t n;
	while (next_word(&p, end, &w, &n)) {
		if (n == 2 && memcmp(w, "--", 2) == 0) {
			while (p < end && is_space(*p))
				p++;
			while (end > p && is_space(end[-1]))
				end--;
			if (end > p)
				ig->reason = xstrndup(p, (size_t)(end - p));
			break;
		}
		if (n > 6 && memcmp(w, "until=", 6) == 0 && !ig->until) {
			ig->until = xstrndup(w + 6, n - 6);
			if (!valid_date(w + 6, n - 6) && !ig->problem)
				ig->problem = xasprintf("malformed date '%s' (expected YYYY-MM-DD)",
				                        ig->until);
		} else if (!ig->policy && !ig->until) {
			ig->policy = xstrndup(w, n);
		} else if (!ig->problem) {
			ig->problem = xasprintf("unexpected '%.*s' before '--'", (int)n, w);
		}
	}
	if (!ig->policy) {
		free(ig->problem);
		ig->problem = xstrdup("missing policy id");
	} else if (!ig->reason && !ig->problem)
		ig->problem = xstrdup("missing reason after '--'");
}

/* A comment alone on its line: a moongate:ignore comment joins the pending run, any other
 * comment extends a run it directly follows. */
static void comment_line(struct scanner *sc, size_t start, size_t end)
{
	static const char tag[] = "moongate:ignore";
	const char *p = sc->s + start, *e = sc->s + end;
	p += *p == '#' ? 1 : 2;
	while (p < e && is_space(*p))
		p++;
	bool contiguous = sc->pending.n > 0 && sc->pending_line + 1 == sc->line;
	size_t taglen = sizeof tag - 1;
	if ((size_t)(e - p) < taglen || memcmp(p, tag, taglen) != 0 ||
	    (p + taglen < e && !is_space(p[taglen]))) {
		if (contiguous)
			sc->pending_line = sc->line;
		return;
	}
	if (!contiguous)
		ignores_free(&sc->pending);
	xgrow((void **)&sc->pending.v, &sc->pending.cap, sc->pending.n + 1, sizeof *sc->pending.v);
	struct hcl_ignore *ig = &sc->pending.v[sc->pending.n++];
	memset(ig, 0, sizeof *ig);
	ig->line = sc->line;
	ig->column = column_at(sc, sc->line_start, start);
	const char *t = p + taglen, *te = e;
	while (t < te && is_space(*t))
		t++;
	while (te > t && is_space(te[-1]))
		te--;
	ig->text = xstrndup(t, (size_t)(te - t));
	parse_ignore(ig, p + taglen, e);
	sc->pending_line = sc->line;
}

/* Hands the pending ignore comments to dst when they end on the line before line; drops
 * them otherwise (or when dst is NULL). */
static void take_ignores(struct scanner *sc, unsigned line, struct hcl_ignores *dst)
{
	if (sc->pending.n == 0)
		return;
	if (dst && sc->pending_line + 1 == line && dst->n == 0) {
		*dst = sc->pending;
		memset(&sc->pending, 0, sizeof sc->pending);
		return;
	}
	ignores_free(&sc->pending);
}

/* ---------------------------------------------------------------- lexer */

/* Skips blanks and comments; stops at a newline or a token. */
static void skip_trivia(struct scanner *sc)
{
	while (sc->pos < sc->len) {
		int c = peek_at(sc, sc->pos), c1 = peek_at(sc, sc->pos + 1);
		if (is_space(c)) {
			sc->pos++;
		} else if (c == '#' || (c == '/' && c1 == '/')) {
			const char *nl = memchr(sc->s + sc->pos, '\n', sc->len - sc->pos);
			size_t end = nl ? (size_t)(nl - sc->s) : sc->len;
			if (!sc->line_has_token)
				comment_line(sc, sc->pos, end);
			sc->pos = end;
		} else if (c == '/' && c1 == '*') {
			size_t start = sc->pos;
			unsigned line = sc->line;
			size_t ls = sc->line_start;
			const char *close = NULL;
			for (size_t i = start + 2; i + 1 < sc->len && !close; i++)
				if (sc->s[i] == '*' && sc->s[i + 1] == '/')
					close = sc->s + i;
			bool had_token = sc->line_has_token;
			advance_to(sc, close ? (size_t)(close - sc->s) + 2 : sc->len);
			sc->line_has_token = had_token && sc->line == line;
			if (!close)
				warn(sc, line, ls, start, "unterminated comment");
		} else {
			return;
		}
	}
}

static void lex_string(struct scanner *sc, struct token *t, int depth);

/* Skips a template sequence whose "${" or "%{" was consumed, up to its closing brace. */
static void skip_template(struct scanner *sc, struct token *t, int depth)
{
	unsigned braces = 1;
	size_t start = sc->pos - 2;
	unsigned line = sc->line;
	size_t ls = sc->line_start;
	while (sc->pos < sc->len) {
		int c = peek_at(sc, sc->pos);
		if (c == '"' && depth < TEMPLATE_MAX_DEPTH) {
			lex_string(sc, t, depth + 1);
			continue;
		}
		advance_to(sc, sc->pos + 1);
		if (c == '{')
			braces++;
		else if (c == '}' && --braces == 0)
			return;
	}
	warn(sc, line, ls, start, "unterminated template sequence");
}

/* Consumes a quoted string starting at its opening quote. Clears t->literal when it holds a
 * template sequence. A raw newline ends an unterminated string (reported). */
static void lex_string(struct scanner *sc, struct token *t, int depth)
{
	size_t start = sc->pos;
	unsigned line = sc->line;
	size_t ls = sc->line_start;
	sc->pos++;
	while (sc->pos < sc->len) {
		int c = peek_at(sc, sc->pos), c1 = peek_at(sc, sc->pos + 1);
		if (c == '"') {
			sc->pos++;
			return;
		}
		if (c == '\n')
			break;
		if (c == '\\') {
			sc->pos += c1 == '\n' || c1 < 0 ? 1 : 2;
		} else if ((c == '$' || c == '%') && c1 == c && peek_at(sc, sc->pos + 2) == '{') {
			sc->pos += 3; /* $${ and %%{ are literal */
		} else if ((c == '$' || c == '%') && c1 == '{') {
			t->literal = false;
			sc->pos += 2;
			skip_template(sc, t, depth);
		} else {
			sc->pos++;
		}
	}
	warn(sc, line, ls, start, "unterminated string");
}

/* At "<<": consumes a heredoc (`<<ID` or `<<-ID`, then lines up to one holding only ID,
 * indentation allowed) and returns true; false (nothing consumed) when this is no heredoc. */
static bool lex_heredoc(struct scanner *sc)
{
	size_t p = sc->pos + 2;
	if (peek_at(sc, p) == '-')
		p++;
	size_t id = p;
	while (p < sc->len && (sc->s[p] == '_' || sc->s[p] == '-' ||
	                       (sc->s[p] >= 'a' && sc->s[p] <= 'z') ||
	                       (sc->s[p] >= 'A' && sc->s[p] <= 'Z') ||
	                       (p > id && sc->s[p] >= '0' && sc->s[p] <= '9')))
		p++;
	size_t idlen = p - id;
	if (peek_at(sc, p) == '\r')
		p++;
	if (idlen == 0 || peek_at(sc, p) != '\n')
		return false;
	unsigned line = sc->line;
	size_t ls = sc->line_start, start = sc->pos;
	advance_to(sc, p + 1);
	while (sc->pos < sc->len) {
		const char *nl = memchr(sc->s + sc->pos, '\n', sc->len - sc->pos);
		size_t end = nl ? (size_t)(nl - sc->s) : sc->len, q = sc->pos, e = end;
		while (q < e && is_space(sc->s[q]))
			q++;
		while (e > q && is_space(sc->s[e - 1]))
			e--;
		if (e - q == idlen && memcmp(sc->s + q, sc->s + id, idlen) == 0) {
			sc->pos = end;
			return true;
		}
		advance_to(sc, nl ? end + 1 : end);
	}
	warn(sc, line, ls, start, "unterminated heredoc");
	return true;
}

static bool ident_start(int c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static bool ident_char(int c)
{
	return ident_start(c) || c == '-' || (c >= '0' && c <= '9');
}

/* Consumes an operator or any other single character. */
static enum tok_kind lex_punct(struct scanner *sc, int c)
{
	static const char singles[] = "{}([)],:";
	static const enum tok_kind kinds[] = {T_LBRACE, T_RBRACE, T_OPEN, T_OPEN,
	                                      T_CLOSE, T_CLOSE, T_COMMA, T_COLON};
	const char *hit = c > 0 ? strchr(singles, c) : NULL;
	int c1 = peek_at(sc, sc->pos + 1);
	sc->pos++;
	if (hit)
		return kinds[hit - singles];
	if (c == '=' && c1 != '=' && c1 != '>')
		return T_EQ;
	if ((c == '=' || c == '!' || c == '<' || c == '>') && (c1 == '=' || c1 == '>'))
		sc->pos++;
	return T_OTHER;
}

static void lex(struct scanner *sc, struct token *t)
{
	skip_trivia(sc);
	t->start = sc->pos;
	t->line = sc->line;
	t->line_start = sc->line_start;
	t->literal = true;
	int c = peek_at(sc, sc->pos);
	if (c < 0) {
		t->kind = T_EOF;
	} else if (c == '\n') {
		t->kind = T_NEWLINE;
		advance_to(sc, sc->pos + 1);
	} else if (c == '"') {
		t->kind = T_STRING;
		lex_string(sc, t, 0);
	} else if (c == '<' && peek_at(sc, sc->pos + 1) == '<' && lex_heredoc(sc)) {
		t->kind = T_HEREDOC;
	} else if (ident_start(c)) {
		t->kind = T_IDENT;
		while (sc->pos < sc->len && ident_char(peek_at(sc, sc->pos)))
			sc->pos++;
	} else if (c >= '0' && c <= '9') {
		t->kind = T_OTHER;
		while (sc->pos < sc->len && (ident_char(peek_at(sc, sc->pos)) || sc->s[sc->pos] == '.'))
			sc->pos++;
	} else {
		t->kind = lex_punct(sc, c);
	}
	if (t->kind != T_NEWLINE && t->kind != T_EOF)
		sc->line_has_token = true;
	t->end = sc->pos;
}

static void next(struct scanner *sc, struct token *t)
{
	if (sc->has_peeked) {
		*t = sc->peeked;
		sc->has_peeked = false;
	} else {
		lex(sc, t);
	}
}

static void push_back(struct scanner *sc, const struct token *t)
{
	sc->peeked = *t;
	sc->has_peeked = true;
}

/* The text of an identifier, or the decoded value of a literal string (simple escapes,
 * the literal $${ / %%{). */
static char *token_text(const struct scanner *sc, const struct token *t)
{
	const char *p = sc->s + t->start, *e = sc->s + t->end;
	if (t->kind != T_STRING)
		return xstrndup(p, (size_t)(e - p));
	p++;
	if (e > p && e[-1] == '"')
		e--;
	struct buf b = BUF_INIT;
	while (p < e) {
		if (*p == '\\' && p + 1 < e) {
			static const char from[] = "ntr\"\\", to[] = "\n\t\r\"\\";
			const char *hit = strchr(from, p[1]);
			buf_addc(&b, hit && p[1] ? to[hit - from] : p[1]);
			p += 2;
		} else if ((*p == '$' || *p == '%') && p + 2 < e && p[1] == *p && p[2] == '{') {
			buf_addc(&b, *p);
			buf_addc(&b, '{');
			p += 3;
		} else {
			buf_addc(&b, *p++);
		}
	}
	return buf_detach(&b);
}

/* ---------------------------------------------------------------- reader */

/* Where the reader records what it finds: the current top-level block (NULL: record
 * nothing) and the path of the body or object being read (NULL at the block body). */
struct ctx {
	struct hcl_block *block;
	const char *prefix;
	int depth;
};

static char *join_path(const char *prefix, const char *name)
{
	return prefix ? xasprintf("%s.%s", prefix, name) : xstrdup(name);
}

/* Records an attribute (path is consumed) at token t with the ignores ending just above. */
static void record(struct scanner *sc, struct hcl_block *b, char *path, const struct token *t,
                   bool is_block)
{
	xgrow((void **)&b->attrs, &b->cap, b->nattrs + 1, sizeof *b->attrs);
	struct hcl_attr *a = &b->attrs[b->nattrs++];
	memset(a, 0, sizeof *a);
	a->path = path;
	a->is_block = is_block;
	a->line = t->line;
	a->column = column_at(sc, t->line_start, t->start);
	take_ignores(sc, t->line, &a->ignores);
}

static void read_object(struct scanner *sc, const struct ctx *cx);

/* Skips a value that starts with token t, up to (not including) a newline, comma or closing
 * brace outside brackets. An object literal at the start is read for its keys. */
static void skip_value(struct scanner *sc, struct token *t, const struct ctx *cx)
{
	unsigned nest = 0;
	if (t->kind == T_LBRACE && cx && cx->block && cx->depth < HCL_MAX_DEPTH) {
		read_object(sc, cx);
		next(sc, t);
	}
	for (;; next(sc, t)) {
		switch (t->kind) {
		case T_EOF:
			return;
		case T_NEWLINE:
		case T_COMMA:
			if (nest == 0) {
				push_back(sc, t);
				return;
			}
			break;
		case T_LBRACE:
		case T_OPEN:
			nest++;
			break;
		case T_RBRACE:
		case T_CLOSE:
			if (nest > 0)
				nest--;
			else if (t->kind == T_RBRACE) {
				push_back(sc, t);
				return;
			}
			break;
		default:
			break;
		}
	}
}

/* Error recovery: skips from token t to the end of its value or line; a closing brace or
 * the end of the text is left for the caller. Always consumes t unless it is one of those. */
static void skip_rest(struct scanner *sc, struct token *t)
{
	if (t->kind == T_COMMA || t->kind == T_NEWLINE)
		return;
	skip_value(sc, t, NULL);
	next(sc, t);
	if (t->kind == T_RBRACE || t->kind == T_EOF)
		push_back(sc, t);
}

/* Skips a block body whose "{" was consumed, through its closing brace. */
static void skip_body(struct scanner *sc)
{
	struct token t;
	unsigned nest = 1;
	for (;;) {
		next(sc, &t);
		if (t.kind == T_EOF)
			return;
		if (t.kind == T_LBRACE)
			nest++;
		else if (t.kind == T_RBRACE && --nest == 0)
			return;
	}
}

/* Reads an object literal whose "{" was consumed: `key = value` or `key: value` items
 * separated by newlines or commas; identifier and literal string keys are recorded. */
static void read_object(struct scanner *sc, const struct ctx *cx)
{
	struct token t, t2;
	for (;;) {
		next(sc, &t);
		if (t.kind == T_RBRACE || t.kind == T_EOF)
			return;
		if (t.kind == T_NEWLINE || t.kind == T_COMMA)
			continue;
		if ((t.kind == T_IDENT || (t.kind == T_STRING && t.literal))) {
			next(sc, &t2);
			if (t2.kind == T_EQ || t2.kind == T_COLON) {
				char *key = token_text(sc, &t);
				struct ctx sub = {cx->block, NULL, cx->depth + 1};
				char *path = join_path(cx->prefix, key);
				free(key);
				record(sc, cx->block, path, &t, false);
				sub.prefix = path;
				next(sc, &t2);
				skip_value(sc, &t2, &sub);
				continue;
			}
			t = t2;
		}
		skip_value(sc, &t, NULL);
	}
}

/* ---------------------------------------------------------------- bodies */

/* Counts nested blocks per name in one body, for their indexes. */
struct name_count {
	char *name;
	unsigned n;
};

struct body {
	struct name_count *v;
	size_t n, cap;
	bool dynamic; /* the body of a `dynamic "x"` block: only its `content` block is read */
};

static unsigned body_index(struct body *b, const char *name)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->v[i].name, name) == 0)
			return b->v[i].n++;
	xgrow((void **)&b->v, &b->cap, b->n + 1, sizeof *b->v);
	b->v[b->n].name = xstrdup(name);
	b->v[b->n].n = 1;
	b->n++;
	return 0;
}

static void read_body(struct scanner *sc, const struct ctx *cx, bool dynamic);

/* Labels of a block header up to its "{": returns the first label (or NULL) and the count;
 * false when the header does not end in "{" (the offending token is pushed back). */
static bool read_labels(struct scanner *sc, struct token *t, char **first, char **second,
                        unsigned *count)
{
	*count = 0;
	for (;; next(sc, t)) {
		if (t->kind == T_LBRACE)
			return true;
		if (t->kind != T_STRING && t->kind != T_IDENT) {
			push_back(sc, t);
			return false;
		}
		char *text = token_text(sc, t);
		if (*count == 0)
			*first = text;
		else if (*count == 1)
			*second = text;
		else
			free(text);
		++*count;
	}
}

/* A nested block inside a recorded body; name is the block keyword token. */
static void nested_block(struct scanner *sc, const struct ctx *cx, struct body *bd,
                         const struct token *name, const char *kw, const char *label,
                         unsigned nlabels)
{
	bool dynamic = !bd->dynamic && strcmp(kw, "dynamic") == 0 && nlabels == 1;
	if (bd->dynamic) {
		take_ignores(sc, name->line, NULL);
		if (strcmp(kw, "content") == 0 && cx->depth < HCL_MAX_DEPTH)
			read_body(sc, &(struct ctx){cx->block, cx->prefix, cx->depth + 1}, false);
		else
			skip_body(sc);
		return;
	}
	if (!cx->block || cx->depth >= HCL_MAX_DEPTH || (nlabels > 0 && !dynamic)) {
		take_ignores(sc, name->line, NULL);
		skip_body(sc);
		return;
	}
	const char *bname = dynamic ? label : kw;
	char *key = xasprintf("%s.%u", bname, body_index(bd, bname));
	char *path = join_path(cx->prefix, key);
	free(key);
	record(sc, cx->block, path, name, true);
	read_body(sc, &(struct ctx){cx->block, path, cx->depth + 1}, dynamic);
}

/* An item of a body starting with identifier t: an attribute or a block. */
static void body_item(struct scanner *sc, const struct ctx *cx, struct body *bd,
                      struct token *t)
{
	struct token t2;
	next(sc, &t2);
	char *kw = token_text(sc, t);
	if (t2.kind == T_EQ) {
		bool rec = cx->block && !bd->dynamic;
		if (rec)
			record(sc, cx->block, join_path(cx->prefix, kw), t, false);
		else
			take_ignores(sc, t->line, NULL);
		struct ctx sub = {cx->block, rec ? cx->block->attrs[cx->block->nattrs - 1].path : NULL,
		                  cx->depth + 1};
		next(sc, &t2);
		if (rec && !cx->prefix && cx->block->kind == HCL_MODULE && strcmp(kw, "source") == 0 &&
		    t2.kind == T_STRING && t2.literal && !cx->block->source) {
			struct token t3;
			next(sc, &t3);
			if (t3.kind == T_NEWLINE || t3.kind == T_EOF || t3.kind == T_RBRACE) {
				cx->block->source = token_text(sc, &t2);
				push_back(sc, &t3);
				free(kw);
				return;
			}
			t2 = t3;
		}
		skip_value(sc, &t2, rec ? &sub : NULL);
	} else {
		char *label = NULL, *second = NULL;
		unsigned nlabels;
		if (read_labels(sc, &t2, &label, &second, &nlabels))
			nested_block(sc, cx, bd, t, kw, label, nlabels);
		else {
			warn(sc, t2.line, t2.line_start, t2.start, "expected '=' or '{' after a name");
			take_ignores(sc, t->line, NULL);
			next(sc, &t2);
			skip_rest(sc, &t2);
		}
		free(label);
		free(second);
	}
	free(kw);
}

/* Reads a block body whose "{" was consumed, through its closing brace. */
static void read_body(struct scanner *sc, const struct ctx *cx, bool dynamic)
{
	struct body bd = {NULL, 0, 0, dynamic};
	struct token t;
	for (;;) {
		next(sc, &t);
		if (t.kind == T_RBRACE)
			break;
		if (t.kind == T_EOF) {
			warn(sc, t.line, t.line_start, t.start, "unterminated block");
			break;
		}
		if (t.kind == T_IDENT) {
			body_item(sc, cx, &bd, &t);
		} else if (t.kind != T_NEWLINE) {
			warn(sc, t.line, t.line_start, t.start, "expected an attribute or a block");
			skip_rest(sc, &t);
		}
	}
	for (size_t i = 0; i < bd.n; i++)
		free(bd.v[i].name);
	free(bd.v);
}

/* ---------------------------------------------------------------- top level */

static struct hcl_block *new_block(struct scanner *sc, struct hcl_file *f,
                                   enum hcl_block_kind kind, const struct token *t)
{
	xgrow((void **)&f->v, &f->cap, f->n + 1, sizeof *f->v);
	struct hcl_block *b = &f->v[f->n++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	b->line = t->line;
	b->column = column_at(sc, t->line_start, t->start);
	take_ignores(sc, t->line, &b->ignores);
	return b;
}

/* A top-level block: resource and data blocks with two labels and module blocks with one
 * are recorded, every other block is skipped. */
static void top_block(struct scanner *sc, struct hcl_file *f, const struct token *t,
                      const char *kw, char *l1, char *l2, unsigned nlabels)
{
	struct hcl_block *b = NULL;
	if (nlabels == 2 && (strcmp(kw, "resource") == 0 || strcmp(kw, "data") == 0)) {
		b = new_block(sc, f, kw[0] == 'r' ? HCL_RESOURCE : HCL_DATA, t);
		b->type = l1;
		b->name = l2;
	} else if (nlabels == 1 && strcmp(kw, "module") == 0) {
		b = new_block(sc, f, HCL_MODULE, t);
		b->name = l1;
		free(l2);
	} else {
		free(l1);
		free(l2);
		take_ignores(sc, t->line, NULL);
		skip_body(sc);
		return;
	}
	read_body(sc, &(struct ctx){b, NULL, 1}, false);
}

static void top_item(struct scanner *sc, struct hcl_file *f, struct token *t)
{
	struct token t2;
	char *l1 = NULL, *l2 = NULL;
	unsigned nlabels;
	next(sc, &t2);
	if (t2.kind == T_EQ) {
		take_ignores(sc, t->line, NULL);
		next(sc, &t2);
		skip_value(sc, &t2, NULL);
		return;
	}
	if (!read_labels(sc, &t2, &l1, &l2, &nlabels)) {
		free(l1);
		free(l2);
		warn(sc, t2.line, t2.line_start, t2.start, "expected '{' after the block labels");
		take_ignores(sc, t->line, NULL);
		next(sc, &t2);
		skip_rest(sc, &t2);
		return;
	}
	char *kw = token_text(sc, t);
	top_block(sc, f, t, kw, l1, l2, nlabels);
	free(kw);
}

void hcl_scan(struct hcl_file *f, const char *text, size_t len, const char *path,
              struct diags *d)
{
	struct scanner sc;
	memset(&sc, 0, sizeof sc);
	sc.s = text;
	sc.len = len;
	sc.line = 1;
	sc.path = path;
	sc.d = d;
	struct token t;
	for (;;) {
		next(&sc, &t);
		if (t.kind == T_EOF)
			break;
		if (t.kind == T_IDENT) {
			top_item(&sc, f, &t);
		} else if (t.kind != T_NEWLINE) {
			warn(&sc, t.line, t.line_start, t.start,
			     t.kind == T_RBRACE ? "unexpected '}'" : "expected a block");
			if (t.kind != T_RBRACE)
				skip_rest(&sc, &t);
		}
	}
	ignores_free(&sc.pending);
}

/* ---------------------------------------------------------------- lookup */

/* Steps *p over one dotted segment; returns its length (0 at the end). */
static size_t segment(const char **p, const char **seg)
{
	if (**p == '.')
		(*p)++;
	*seg = *p;
	while (**p && **p != '.')
		(*p)++;
	return (size_t)(*p - *seg);
}

static bool is_index(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* How many segments of query the attribute path covers (0: it is not a prefix of it). A
 * "0" after a block name may be missing from the query. */
static size_t match_len(const struct hcl_attr *a, const char *query)
{
	const char *ap = a->path, *qp = query, *as, *qs;
	size_t matched = 0, an = segment(&ap, &as), qn = segment(&qp, &qs);
	bool after_name = false;
	while (an > 0) {
		if (an == qn && memcmp(as, qs, an) == 0) {
			matched++;
			after_name = !is_index(as, an);
			qn = segment(&qp, &qs);
		} else if (!(after_name && an == 1 && as[0] == '0' && !is_index(qs, qn))) {
			return 0;
		} else {
			after_name = false;
		}
		an = segment(&ap, &as);
	}
	return matched;
}

const struct hcl_attr *hcl_block_attr(const struct hcl_block *b, const char *path, bool *exact)
{
	const struct hcl_attr *best = NULL;
	size_t best_len = 0, total = 0;
	const char *p = path, *seg;
	while (segment(&p, &seg) > 0)
		total++;
	for (size_t i = 0; i < b->nattrs; i++) {
		size_t n = match_len(&b->attrs[i], path);
		if (n > best_len) {
			best = &b->attrs[i];
			best_len = n;
		}
	}
	if (exact)
		*exact = best && best_len == total;
	return best;
}

bool hcl_attr_covers(const struct hcl_attr *a, const char *path)
{
	return path && match_len(a, path) > 0;
}

static void block_free(struct hcl_block *b)
{
	for (size_t i = 0; i < b->nattrs; i++) {
		free(b->attrs[i].path);
		ignores_free(&b->attrs[i].ignores);
	}
	free(b->attrs);
	free(b->type);
	free(b->name);
	free(b->source);
	ignores_free(&b->ignores);
}

void hcl_file_free(struct hcl_file *f)
{
	for (size_t i = 0; i < f->n; i++)
		block_free(&f->v[i]);
	free(f->v);
	memset(f, 0, sizeof *f);
}
