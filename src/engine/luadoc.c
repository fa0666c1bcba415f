/*
 * Document <-> Lua conversions (see luadoc.h). Tables are pre-sized from the node counts and
 * built with the collector stopped: materialising tables is the dominant cost of a run.
 */
#include "engine/luadoc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "util/buf.h"

#define JSON_MAX_DEPTH 64

static const char unknown_sentinel = 'u'; /* its address is moongate.unknown */

void luadoc_push_unknown(lua_State *L)
{
	lua_pushlightuserdata(L, (void *)&unknown_sentinel);
}

bool luadoc_is_unknown(lua_State *L, int idx)
{
	return lua_type(L, idx) == LUA_TLIGHTUSERDATA &&
	       lua_touserdata(L, idx) == (void *)&unknown_sentinel;
}

static void push_string(lua_State *L, const struct doc *doc, uint32_t node)
{
	const struct doc_node *nd = doc_node(doc, node);
	const char *text = doc->text + nd->text;
	if (!(nd->flags & DOC_ESCAPED)) {
		lua_pushlstring(L, text, nd->len);
		return;
	}
	luaL_Buffer b;
	char *out = luaL_buffinitsize(L, &b, nd->len + 1);
	luaL_pushresultsize(&b, doc_unescape_json(text, nd->len, out));
}

static void push_value(lua_State *L, const struct doc *doc, uint32_t node, uint32_t unk);

/* A value absent from `after` but present in after_unknown: its unknown leaves. */
static void push_unknown_shape(lua_State *L, const struct doc *doc, uint32_t unk)
{
	enum doc_type t = doc_type(doc, unk);
	if (t == DOC_TRUE)
		luadoc_push_unknown(L);
	else if (t == DOC_ARRAY || t == DOC_OBJECT)
		push_value(L, doc, DOC_NONE, unk);
	else
		lua_pushnil(L);
}

static void push_array(lua_State *L, const struct doc *doc, uint32_t node, uint32_t unk)
{
	uint32_t n = node != DOC_NONE ? doc_node(doc, node)->len : 0;
	bool unk_arr = unk != DOC_NONE && doc_type(doc, unk) == DOC_ARRAY;
	uint32_t nu = unk_arr ? doc_node(doc, unk)->len : 0;
	lua_createtable(L, (int)(n > nu ? n : nu), 0);
	uint32_t c = doc_first(doc, node), u = unk_arr ? doc_first(doc, unk) : DOC_NONE;
	for (lua_Integer i = 1; c != DOC_NONE || u != DOC_NONE; i++) {
		if (c != DOC_NONE)
			push_value(L, doc, c, u);
		else
			push_unknown_shape(L, doc, u);
		lua_rawseti(L, -2, i); /* nil leaves a hole */
		c = c != DOC_NONE ? doc_next(doc, node, c) : DOC_NONE;
		u = u != DOC_NONE ? doc_next(doc, unk, u) : DOC_NONE;
	}
}

/* Members of unk whose key the table at the top lacks (unknown values `after` omits). */
static void add_unknown_members(lua_State *L, const struct doc *doc, uint32_t unk)
{
	for (uint32_t k = doc_first(doc, unk); k != DOC_NONE; k = doc_next(doc, unk, k + 1)) {
		if (doc_type(doc, k + 1) == DOC_FALSE)
			continue;
		push_string(L, doc, k);
		lua_pushvalue(L, -1);
		if (lua_rawget(L, -3) != LUA_TNIL) {
			lua_pop(L, 2);
			continue;
		}
		lua_pop(L, 1);
		push_unknown_shape(L, doc, k + 1);
		lua_rawset(L, -3);
	}
}

static void push_object(lua_State *L, const struct doc *doc, uint32_t node, uint32_t unk)
{
	bool unk_obj = unk != DOC_NONE && doc_type(doc, unk) == DOC_OBJECT &&
	               doc_node(doc, unk)->len > 0;
	lua_createtable(L, 0, node != DOC_NONE ? (int)doc_node(doc, node)->len : 0);
	for (uint32_t k = doc_first(doc, node); k != DOC_NONE; k = doc_next(doc, node, k + 1)) {
		push_string(L, doc, k);
		uint32_t u = unk_obj ? doc_get(doc, unk, lua_tostring(L, -1)) : DOC_NONE;
		push_value(L, doc, k + 1, u);
		lua_rawset(L, -3); /* a nil value (null) sets nothing */
	}
	if (unk_obj)
		add_unknown_members(L, doc, unk);
}

static void push_number(lua_State *L, const struct doc *doc, uint32_t node)
{
	int64_t i;
	double d;
	if (doc_type(doc, node) == DOC_INT && doc_int(doc, node, &i))
		lua_pushinteger(L, (lua_Integer)i);
	else if (doc_number(doc, node, &d))
		lua_pushnumber(L, (lua_Number)d);
	else
		lua_pushnil(L);
}

static void push_value(lua_State *L, const struct doc *doc, uint32_t node, uint32_t unk)
{
	luaL_checkstack(L, 4, "document nested too deeply");
	if (unk != DOC_NONE && doc_type(doc, unk) == DOC_TRUE) {
		luadoc_push_unknown(L);
		return;
	}
	enum doc_type t = node != DOC_NONE ? doc_type(doc, node) : DOC_NULL;
	if (node == DOC_NONE && unk != DOC_NONE && doc_type(doc, unk) == DOC_ARRAY)
		t = DOC_ARRAY;
	else if (node == DOC_NONE && unk != DOC_NONE && doc_type(doc, unk) == DOC_OBJECT)
		t = DOC_OBJECT;
	switch (t) {
	case DOC_NULL: lua_pushnil(L); break;
	case DOC_FALSE: lua_pushboolean(L, 0); break;
	case DOC_TRUE: lua_pushboolean(L, 1); break;
	case DOC_INT:
	case DOC_FLOAT: push_number(L, doc, node); break;
	case DOC_STRING: push_string(L, doc, node); break;
	case DOC_ARRAY: push_array(L, doc, node, unk); break;
	case DOC_OBJECT: push_object(L, doc, node, unk); break;
	}
}

void luadoc_push(lua_State *L, const struct doc *doc, uint32_t node, uint32_t unknown)
{
	if (node == DOC_NONE && unknown == DOC_NONE) {
		lua_pushnil(L);
		return;
	}
	int running = lua_gc(L, LUA_GCISRUNNING);
	lua_gc(L, LUA_GCSTOP);
	push_value(L, doc, node, unknown);
	if (running)
		lua_gc(L, LUA_GCRESTART);
}

/* --- Lua to JSON --- */

/* The JSON text grows in a buf owned by a userdata, so a memory error cannot leak it. */
static int jsonbuf_gc(lua_State *L)
{
	buf_free(lua_touserdata(L, 1));
	return 0;
}

static void json_string(struct buf *b, const char *s, size_t len)
{
	buf_addc(b, '"');
	buf_add_json_escaped(b, s, len);
	buf_addc(b, '"');
}

static void json_number(lua_State *L, int idx, struct buf *b)
{
	if (lua_isinteger(L, idx)) {
		buf_addf(b, "%lld", (long long)lua_tointeger(L, idx));
		return;
	}
	lua_Number n = lua_tonumber(L, idx);
	if (n != n || n > 1e308 || n < -1e308)
		buf_adds(b, "null");
	else
		buf_addf(b, "%.17g", (double)n);
}

/* True when the table at idx is a non-empty sequence 1..n with nothing else. */
static bool is_array(lua_State *L, int idx)
{
	lua_Unsigned n = lua_rawlen(L, idx);
	lua_Unsigned count = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 ||
		    (lua_Unsigned)lua_tointeger(L, -1) > n) {
			lua_pop(L, 1);
			return false;
		}
		count++;
	}
	return count == n;
}

static void json_value(lua_State *L, int idx, struct buf *b, int depth);

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Object members in key order: the keys are gathered as strings in a Lua table (which also
 * maps each back to the original key), then sorted through a userdata array. */
static void json_object(lua_State *L, int idx, struct buf *b, int depth)
{
	lua_newtable(L); /* stack: map (string -> original key) */
	int map = lua_gettop(L);
	size_t n = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) == LUA_TSTRING)
			lua_pushvalue(L, -1);
		else
			luaL_tolstring(L, -1, NULL);
		lua_pushvalue(L, -2); /* stack: key, key as a string, key */
		lua_rawset(L, map);
		n++;
	}
	const char **keys = lua_newuserdatauv(L, (n ? n : 1) * sizeof *keys, 0);
	size_t i = 0;
	lua_pushnil(L);
	while (lua_next(L, map)) {
		lua_pop(L, 1);
		keys[i++] = lua_tostring(L, -1);
	}
	qsort(keys, i, sizeof *keys, cmp_keys);
	buf_addc(b, '{');
	for (size_t j = 0; j < i; j++) {
		buf_adds(b, j ? ",\"" : "\"");
		buf_add_json_escaped(b, keys[j], strlen(keys[j]));
		buf_adds(b, "\":");
		lua_getfield(L, map, keys[j]);
		lua_rawget(L, idx);
		json_value(L, lua_gettop(L), b, depth + 1);
		lua_pop(L, 1);
	}
	buf_addc(b, '}');
	lua_pop(L, 2);
}

static void json_table(lua_State *L, int idx, struct buf *b, int depth)
{
	if (depth >= JSON_MAX_DEPTH) {
		buf_adds(b, "null");
		return;
	}
	luaL_checkstack(L, 8, "table nested too deeply");
	lua_pushnil(L);
	if (!lua_next(L, idx)) {
		buf_adds(b, "[]");
		return;
	}
	lua_pop(L, 2);
	if (!is_array(L, idx)) {
		json_object(L, idx, b, depth);
		return;
	}
	buf_addc(b, '[');
	lua_Unsigned n = lua_rawlen(L, idx);
	for (lua_Unsigned i = 1; i <= n; i++) {
		if (i > 1)
			buf_addc(b, ',');
		lua_rawgeti(L, idx, (lua_Integer)i);
		json_value(L, lua_gettop(L), b, depth + 1);
		lua_pop(L, 1);
	}
	buf_addc(b, ']');
}

static void json_value(lua_State *L, int idx, struct buf *b, int depth)
{
	switch (lua_type(L, idx)) {
	case LUA_TBOOLEAN: buf_adds(b, lua_toboolean(L, idx) ? "true" : "false"); break;
	case LUA_TNUMBER: json_number(L, idx, b); break;
	case LUA_TSTRING: {
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);
		json_string(b, s, len);
		break;
	}
	case LUA_TTABLE: json_table(L, idx, b, depth); break;
	default: buf_adds(b, "null"); break;
	}
}

void luadoc_push_json(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	struct buf *b = lua_newuserdatauv(L, sizeof *b, 0);
	memset(b, 0, sizeof *b);
	if (luaL_newmetatable(L, "moongate.jsonbuf")) {
		lua_pushcfunction(L, jsonbuf_gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_setmetatable(L, -2);
	json_value(L, idx, b, 0);
	lua_pushlstring(L, buf_str(b), b->len);
	buf_free(b);
	lua_remove(L, -2);
}
