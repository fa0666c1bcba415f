/* moongate.query (see mod_query.h). */
#include "engine/mod_query.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "engine/luadoc.h"
#include "engine/mod_text.h"
#include "load/doc.h"

enum step_kind {
	STEP_KEY,    /* a member; on a list, the element a decimal key names */
	STEP_ALL,    /* `*`: every member or element */
	STEP_BLOCKS, /* `[*]`: every element; an object with members is a list of itself */
	STEP_BLOCK,  /* `[n]`: element n of the same */
};

struct step {
	enum step_kind kind;
	const char *key;   /* STEP_KEY: NUL-terminated, in the query's copy of the pattern */
	size_t len;        /* of key */
	lua_Integer index; /* STEP_KEY: the decimal value of key, or -1; STEP_BLOCK: n */
};

struct query {
	lua_State *L;
	struct step steps[QUERY_MAX_STEPS];
	size_t n;
	const struct mod_texts *texts; /* only values holding one of them, or NULL */
	int values, paths; /* stack indexes of the result lists */
	lua_Integer found;
	int pathbuf;       /* stack index of the userdata holding the path being visited */
	char *path;
	size_t len, cap;
};

/* --- the pattern --- */

/* The value of a run of decimal digits (at most 18), or -1. */
static lua_Integer decimal(const char *s, size_t len)
{
	if (len == 0 || len > 18)
		return -1;
	lua_Integer v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static void add_step(struct query *q, const char *pattern, struct step st)
{
	if (q->n == QUERY_MAX_STEPS)
		luaL_error(q->L, "moongate.query: pattern '%s' has more than %d steps", pattern,
		           QUERY_MAX_STEPS);
	q->steps[q->n++] = st;
}

static void bad_pattern(struct query *q, const char *pattern, const char *what, size_t off)
{
	luaL_error(q->L, "moongate.query: invalid pattern '%s': %s at offset %d", pattern, what,
	           (int)off);
}

/* The brackets that end a step ("[*]", "[2]"), from s up to end (copy: the pattern's). */
static void parse_brackets(struct query *q, const char *pattern, const char *copy, char *s,
                           char *end)
{
	while (s < end) {
		char *close = memchr(s, ']', (size_t)(end - s));
		lua_Integer n = close ? decimal(s + 1, (size_t)(close - s - 1)) : -1;
		if (*s == '[' && close && close - s == 2 && s[1] == '*')
			add_step(q, pattern, (struct step){.kind = STEP_BLOCKS});
		else if (*s == '[' && n >= 0)
			add_step(q, pattern, (struct step){.kind = STEP_BLOCK, .index = n});
		else
			bad_pattern(q, pattern, "'[*]' or '[n]' expected", (size_t)(s - copy));
		s = close + 1;
	}
}

/* Splits copy (a writable copy of pattern, len bytes) into q's steps. */
static void parse_pattern(struct query *q, const char *pattern, char *copy, size_t len)
{
	if (memchr(pattern, '\0', len))
		bad_pattern(q, pattern, "a NUL byte", strlen(pattern));
	char *s = copy, *end = copy + len;
	while (len && s <= end) {
		char *dot = memchr(s, '.', (size_t)(end - s));
		char *stop = dot ? dot : end;
		char *br = memchr(s, '[', (size_t)(stop - s));
		char *name_end = br ? br : stop;
		if (name_end == s && !br)
			bad_pattern(q, pattern, "empty step", (size_t)(s - copy));
		if (name_end > s) {
			size_t n = (size_t)(name_end - s);
			struct step st = {.kind = STEP_KEY, .key = s, .len = n, .index = decimal(s, n)};
			if (n == 1 && *s == '*')
				st.kind = STEP_ALL;
			add_step(q, pattern, st);
		}
		parse_brackets(q, pattern, copy, name_end, stop);
		*name_end = '\0'; /* after the brackets are read: the key ends here */
		s = stop + 1;
	}
}

/* --- the path being visited --- */

/* Room for need more bytes of path (and a NUL), in a userdata the collector frees. */
static void path_reserve(struct query *q, size_t need)
{
	if (q->len + need + 1 <= q->cap)
		return;
	size_t cap = q->cap * 2 > q->len + need + 1 ? q->cap * 2 : q->len + need + 64;
	char *p = lua_newuserdatauv(q->L, cap, 0);
	memcpy(p, q->path, q->len);
	lua_replace(q->L, q->pathbuf);
	q->path = p;
	q->cap = cap;
}

/* Appends one step of path; returns the length to truncate back to. */
static size_t path_push(struct query *q, const char *s, size_t len)
{
	size_t mark = q->len;
	path_reserve(q, len + 1);
	if (q->len)
		q->path[q->len++] = '.';
	memcpy(q->path + q->len, s, len);
	q->len += len;
	return mark;
}

static size_t path_push_index(struct query *q, lua_Integer i)
{
	char num[24];
	int n = snprintf(num, sizeof num, "%lld", (long long)i);
	return path_push(q, num, (size_t)n);
}

/* Appends the value at the top of the stack and the current path to the results (pops). */
static void emit(struct query *q)
{
	lua_rawseti(q->L, q->values, ++q->found);
	lua_pushlstring(q->L, q->path, q->len);
	lua_rawseti(q->L, q->paths, q->found);
}

/* --- documents --- */

static void doc_visit(struct query *q, int anchor, const struct doc *doc, uint32_t node,
                      uint32_t unk, size_t k);

/* Visits v (after_unknown u) one step below the current path, named by an index. */
static void doc_child(struct query *q, int anchor, const struct doc *doc, uint32_t v, uint32_t u,
                      lua_Integer i, size_t k)
{
	size_t mark = path_push_index(q, i);
	doc_visit(q, anchor, doc, v, u, k);
	q->len = mark;
}

/* Visits the value of member key (a key node; unk: its object's after_unknown node) with
 * steps k.... */
static void doc_member(struct query *q, int anchor, const struct doc *doc, uint32_t unk,
                       uint32_t key, size_t k)
{
	const struct doc_node *nd = doc_node(doc, key);
	size_t mark;
	char *text = NULL;
	path_reserve(q, nd->len + 1); /* before the copy below, which must not leak */
	size_t len = nd->len;
	if (nd->flags & DOC_ESCAPED || (unk != DOC_NONE && doc_type(doc, unk) == DOC_OBJECT))
		text = doc_strdup(doc, key, &len);
	mark = path_push(q, text ? text : doc->text + nd->text, len);
	uint32_t u = text && unk != DOC_NONE ? doc_get(doc, unk, text) : DOC_NONE;
	free(text);
	doc_visit(q, anchor, doc, key + 1, u, k);
	q->len = mark;
}

/* Visits every element of array node (or, with only >= 0, element only). */
static void doc_elements(struct query *q, int anchor, const struct doc *doc, uint32_t node,
                         uint32_t unk, size_t k, lua_Integer only)
{
	bool unk_arr = unk != DOC_NONE && doc_type(doc, unk) == DOC_ARRAY;
	uint32_t u = unk_arr ? doc_first(doc, unk) : DOC_NONE;
	lua_Integer i = 0;
	for (uint32_t c = doc_first(doc, node); c != DOC_NONE; c = doc_next(doc, node, c), i++) {
		if (only < 0 || i == only)
			doc_child(q, anchor, doc, c, u, i, k);
		if (i == only)
			return;
		u = u != DOC_NONE ? doc_next(doc, unk, u) : DOC_NONE;
	}
}

static void doc_members(struct query *q, int anchor, const struct doc *doc, uint32_t node,
                        uint32_t unk, size_t k)
{
	for (uint32_t key = doc_first(doc, node); key != DOC_NONE; key = doc_next(doc, node, key + 1))
		if (!doc_key_hidden(doc, node, key))
			doc_member(q, anchor, doc, unk, key, k);
}

/* Visits node (after_unknown unk) of doc with steps k...; anchor: a view of doc. */
static void doc_visit(struct query *q, int anchor, const struct doc *doc, uint32_t node,
                      uint32_t unk, size_t k)
{
	if (node == DOC_NONE || doc_type(doc, node) == DOC_NULL)
		return;
	if (k == q->n) {
		if (q->texts && !mod_text_in_doc(doc, node, q->texts))
			return;
		luadoc_push_node(q->L, anchor, node, unk);
		emit(q);
		return;
	}
	const struct step *st = &q->steps[k];
	bool array = doc_type(doc, node) == DOC_ARRAY;
	bool object = doc_type(doc, node) == DOC_OBJECT;
	bool block = object && doc_first(doc, node) != DOC_NONE; /* a list of itself */
	if (st->kind == STEP_KEY && object) {
		uint32_t v = doc_get(doc, node, st->key);
		if (v != DOC_NONE)
			doc_member(q, anchor, doc, unk, v - 1, k + 1);
	} else if (array && (st->kind == STEP_KEY || st->kind == STEP_BLOCK)) {
		if (st->index >= 0)
			doc_elements(q, anchor, doc, node, unk, k + 1, st->index);
	} else if (array && (st->kind == STEP_ALL || st->kind == STEP_BLOCKS)) {
		doc_elements(q, anchor, doc, node, unk, k + 1, -1);
	} else if (st->kind == STEP_ALL && object) {
		doc_members(q, anchor, doc, node, unk, k + 1);
	} else if (block && (st->kind == STEP_BLOCKS || (st->kind == STEP_BLOCK && st->index == 0))) {
		doc_child(q, anchor, doc, node, unk, 0, k + 1);
	}
}

/* --- plain tables --- */

static void lua_visit(struct query *q, int idx, size_t k);

/* Visits the value at the top of the stack (popped) under the path step just pushed; mark is
 * the path's length before that step. */
static void lua_child_at(struct query *q, size_t mark, size_t k)
{
	lua_visit(q, lua_gettop(q->L), k);
	lua_pop(q->L, 1);
	q->len = mark;
}

static void lua_child(struct query *q, const char *s, size_t len, size_t k)
{
	lua_child_at(q, path_push(q, s, len), k);
}

static void lua_child_index(struct query *q, lua_Integer i, size_t k)
{
	lua_child_at(q, path_push_index(q, i), k);
}

/* Every member of the table at idx: string keys by name, integer keys as indexes from 0. */
static void lua_members(struct query *q, int idx, size_t k)
{
	lua_State *L = q->L;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (lua_type(L, -2) == LUA_TSTRING) {
			size_t len;
			const char *s = lua_tolstring(L, -2, &len);
			lua_child(q, s, len, k);
		} else if (lua_isinteger(L, -2)) {
			lua_child_index(q, lua_tointeger(L, -2) - 1, k);
		} else {
			lua_pop(L, 1);
		}
	}
}

/* Elements 1..#t of the table at idx (holes skipped), or only element only + 1. */
static void lua_elements(struct query *q, int idx, size_t k, lua_Integer only)
{
	lua_Integer n = (lua_Integer)lua_rawlen(q->L, idx);
	for (lua_Integer i = only >= 0 ? only : 0; i < n && (only < 0 || i == only); i++) {
		lua_rawgeti(q->L, idx, i + 1);
		lua_child_index(q, i, k);
	}
}

static void lua_visit_table(struct query *q, int idx, size_t k)
{
	lua_State *L = q->L;
	const struct step *st = &q->steps[k];
	luadoc_touch(L, idx); /* a resource's table: its members become its own, as for pairs */
	int top = lua_gettop(L);
	bool list = lua_rawgeti(L, idx, 1) != LUA_TNIL;
	lua_pushnil(L);
	bool block = !list && lua_next(L, idx); /* an object with members */
	lua_settop(L, top);
	if (st->kind == STEP_KEY && (!list || st->index < 0)) {
		lua_pushlstring(L, st->key, st->len);
		lua_rawget(L, idx);
		lua_child(q, st->key, st->len, k + 1);
	} else if (list && (st->kind == STEP_KEY || st->kind == STEP_BLOCK)) {
		lua_elements(q, idx, k + 1, st->index);
	} else if (list && st->kind == STEP_BLOCKS) {
		lua_elements(q, idx, k + 1, -1);
	} else if (st->kind == STEP_ALL) {
		lua_members(q, idx, k + 1);
	} else if (block && (st->kind == STEP_BLOCKS || (st->kind == STEP_BLOCK && st->index == 0))) {
		lua_pushvalue(L, idx);
		lua_child(q, "0", 1, k + 1);
	}
}

/* Visits the value at idx with steps k...: views through their documents. */
static void lua_visit(struct query *q, int idx, size_t k)
{
	lua_State *L = q->L;
	luaL_checkstack(L, 8, "moongate.query");
	if (lua_isnil(L, idx) || luadoc_is_unknown(L, idx))
		return;
	uint32_t node, unk;
	const struct doc *doc = luadoc_view_node(L, idx, &node, &unk);
	if (doc) {
		doc_visit(q, idx, doc, node, unk, k);
	} else if (k == q->n) {
		if (q->texts && !mod_text_in_value(L, idx, q->texts))
			return;
		lua_pushvalue(L, idx);
		emit(q);
	} else if (lua_type(L, idx) == LUA_TTABLE) {
		lua_visit_table(q, idx, k);
	}
}

int mod_query_lua(lua_State *L)
{
	luaL_checkany(L, 1);
	size_t len;
	const char *pattern = luaL_checklstring(L, 2, &len);
	lua_settop(L, 3);
	struct query q = {.L = L};
	struct mod_texts texts;
	if (!lua_isnil(L, 3)) {
		mod_text_read(L, 3, &texts, "moongate.query");
		q.texts = &texts;
	}
	char *copy = lua_newuserdatauv(L, len + 1, 0);
	memcpy(copy, pattern, len + 1);
	parse_pattern(&q, pattern, copy, len);
	q.cap = 64;
	q.path = lua_newuserdatauv(L, q.cap, 0);
	q.pathbuf = lua_gettop(L);
	lua_newtable(L);
	q.values = lua_gettop(L);
	lua_newtable(L);
	q.paths = lua_gettop(L);
	lua_visit(&q, 1, 0);
	return 2;
}
