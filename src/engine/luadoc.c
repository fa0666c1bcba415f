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

/* --- lazy objects --- */

#define LAZY_MIN_MEMBERS 8 /* smaller objects are built at once */
#define LAZY_FILL_KEY "moongate.lazyfill"

static const char docref_key = 'd'; /* cache[&docref_key]: the docref userdata */
static const char nodes_key = 'n';  /* cache[&nodes_key]: node | unknown << 32 */

struct docref {
	const struct doc *doc; /* NULL once invalidated */
};

void luadoc_push_docref(lua_State *L, const struct doc *doc)
{
	struct docref *ref = lua_newuserdatauv(L, sizeof *ref, 0);
	ref->doc = doc;
}

void luadoc_docref_invalidate(lua_State *L, int idx)
{
	struct docref *ref = lua_touserdata(L, idx);
	if (ref)
		ref->doc = NULL;
}

/* The document, node and after_unknown node of the lazy cache at idx; NULL doc when the
 * reference was invalidated. */
static const struct doc *cache_info(lua_State *L, int idx, uint32_t *node, uint32_t *unk)
{
	lua_rawgetp(L, idx, &docref_key);
	const struct docref *ref = lua_touserdata(L, -1);
	lua_rawgetp(L, idx, &nodes_key);
	lua_Integer packed = lua_tointeger(L, -1);
	lua_pop(L, 2);
	*node = (uint32_t)((lua_Unsigned)packed & 0xffffffffu);
	*unk = (uint32_t)((lua_Unsigned)packed >> 32);
	return ref ? ref->doc : NULL;
}

/* True when string node k equals the Lua string key (len bytes). */
static bool key_equals(lua_State *L, const struct doc *doc, uint32_t k, const char *key,
                       size_t len)
{
	const struct doc_node *nd = doc_node(doc, k);
	if (!(nd->flags & DOC_ESCAPED))
		return nd->len == len && memcmp(doc->text + nd->text, key, len) == 0;
	push_string(L, doc, k);
	size_t dlen;
	const char *d = lua_tolstring(L, -1, &dlen);
	bool eq = dlen == len && memcmp(d, key, len) == 0;
	lua_pop(L, 1);
	return eq;
}

/* The value node of the last member named key in object obj, or DOC_NONE. */
static uint32_t find_member(lua_State *L, const struct doc *doc, uint32_t obj, const char *key,
                            size_t len)
{
	uint32_t found = DOC_NONE;
	for (uint32_t k = doc_first(doc, obj); k != DOC_NONE; k = doc_next(doc, obj, k + 1)) {
		if (key_equals(L, doc, k, key, len))
			found = k + 1;
	}
	return found;
}

/* Pushes member key (a string at key_idx) of the object as push_object would set it. */
static void push_member(lua_State *L, const struct doc *doc, uint32_t node, uint32_t unk,
                        int key_idx)
{
	size_t len;
	const char *key = lua_tolstring(L, key_idx, &len);
	bool unk_obj = unk != DOC_NONE && doc_type(doc, unk) == DOC_OBJECT;
	uint32_t v = find_member(L, doc, node, key, len);
	uint32_t u = unk_obj ? find_member(L, doc, unk, key, len) : DOC_NONE;
	if (v != DOC_NONE && doc_type(doc, v) != DOC_NULL)
		push_value(L, doc, v, u);
	else if (u != DOC_NONE && doc_type(doc, u) != DOC_FALSE)
		push_unknown_shape(L, doc, u);
	else
		lua_pushnil(L);
}

/* __index of a lazy cache: builds one member, keeps it in the cache. stack: cache, key */
static int lazy_fill(lua_State *L)
{
	uint32_t node, unk;
	const struct doc *doc = cache_info(L, 1, &node, &unk);
	if (!doc || lua_type(L, 2) != LUA_TSTRING)
		return 0;
	int running = lua_gc(L, LUA_GCISRUNNING);
	lua_gc(L, LUA_GCSTOP);
	push_member(L, doc, node, unk, 2);
	if (running)
		lua_gc(L, LUA_GCRESTART);
	lua_pushvalue(L, 2);
	lua_pushvalue(L, -2);
	lua_rawset(L, 1);
	return 1;
}

static int lazy_newindex(lua_State *L);
static int lazy_pairs(lua_State *L);

/* The cache of the lazy table at idx (its metatable's __index), or 0 if it is not lazy. */
static int push_lazy_cache(lua_State *L, int idx)
{
	if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
		return 0;
	lua_getfield(L, -1, "__pairs");
	bool lazy = lua_tocfunction(L, -1) == lazy_pairs;
	lua_pop(L, 1);
	if (!lazy) {
		lua_pop(L, 1);
		return 0;
	}
	lua_getfield(L, -1, "__index");
	lua_remove(L, -2);
	return lua_gettop(L);
}

/* Sets every member of the object in the table at t, taking those already read from the
 * cache at cache. */
static void fill_all(lua_State *L, int t, int cache, const struct doc *doc, uint32_t node,
                     uint32_t unk)
{
	for (uint32_t k = doc_first(doc, node); k != DOC_NONE; k = doc_next(doc, node, k + 1)) {
		push_string(L, doc, k); /* stack: key */
		lua_pushvalue(L, -1);
		if (lua_rawget(L, cache) == LUA_TNIL) {
			lua_pop(L, 1);
			push_member(L, doc, node, unk, lua_gettop(L));
		}
		lua_rawset(L, t);
	}
	if (unk == DOC_NONE || doc_type(doc, unk) != DOC_OBJECT)
		return;
	for (uint32_t k = doc_first(doc, unk); k != DOC_NONE; k = doc_next(doc, unk, k + 1)) {
		push_string(L, doc, k);
		lua_pushvalue(L, -1);
		if (lua_rawget(L, t) != LUA_TNIL) {
			lua_pop(L, 2);
			continue;
		}
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		if (lua_rawget(L, cache) == LUA_TNIL) {
			lua_pop(L, 1);
			push_member(L, doc, node, unk, lua_gettop(L));
		}
		lua_rawset(L, t);
	}
}

void luadoc_touch(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	int cache = push_lazy_cache(L, idx);
	if (!cache)
		return;
	luaL_checkstack(L, 8, "lazy object");
	uint32_t node, unk;
	const struct doc *doc = cache_info(L, cache, &node, &unk);
	if (doc) {
		int running = lua_gc(L, LUA_GCISRUNNING);
		lua_gc(L, LUA_GCSTOP);
		fill_all(L, idx, cache, doc, node, unk);
		if (running)
			lua_gc(L, LUA_GCRESTART);
	}
	lua_pop(L, 1);
	lua_pushnil(L);
	lua_setmetatable(L, idx);
}

static int lazy_newindex(lua_State *L)
{
	luadoc_touch(L, 1);
	lua_settop(L, 3);
	lua_rawset(L, 1);
	return 0;
}

static int lazy_next(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	luadoc_touch(L, 1);
	lua_settop(L, 2);
	if (lua_next(L, 1))
		return 2;
	lua_pushnil(L);
	return 1;
}

static int lazy_pairs(lua_State *L)
{
	luadoc_touch(L, 1);
	lua_pushcfunction(L, lazy_next);
	lua_pushvalue(L, 1);
	lua_pushnil(L);
	return 3;
}

static int lazy_rawget(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checkany(L, 2);
	luadoc_touch(L, 1);
	lua_settop(L, 2);
	lua_rawget(L, 1);
	return 1;
}

static int lazy_rawlen(lua_State *L)
{
	int t = lua_type(L, 1);
	luaL_argexpected(L, t == LUA_TTABLE || t == LUA_TSTRING, 1, "table or string");
	luadoc_touch(L, 1);
	lua_pushinteger(L, (lua_Integer)lua_rawlen(L, 1));
	return 1;
}

static int lazy_rawset(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checkany(L, 2);
	luaL_checkany(L, 3);
	luadoc_touch(L, 1);
	lua_settop(L, 3);
	lua_rawset(L, 1);
	return 1;
}

const luaL_Reg luadoc_raw_funcs[] = {
	{"next", lazy_next},
	{"rawget", lazy_rawget},
	{"rawlen", lazy_rawlen},
	{"rawset", lazy_rawset},
	{NULL, NULL},
};

/* The metatable every lazy cache shares: its __index builds members. */
static void push_fill_metatable(lua_State *L)
{
	if (lua_getfield(L, LUA_REGISTRYINDEX, LAZY_FILL_KEY) == LUA_TTABLE)
		return;
	lua_pop(L, 1);
	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, lazy_fill);
	lua_setfield(L, -2, "__index");
	lua_pushvalue(L, -1);
	lua_setfield(L, LUA_REGISTRYINDEX, LAZY_FILL_KEY);
}

void luadoc_push_lazy(lua_State *L, int ref, uint32_t node, uint32_t unknown)
{
	ref = lua_absindex(L, ref);
	const struct docref *dr = lua_touserdata(L, ref);
	const struct doc *doc = dr ? dr->doc : NULL;
	if (!doc || node == DOC_NONE || doc_type(doc, node) != DOC_OBJECT ||
	    doc_node(doc, node)->len < LAZY_MIN_MEMBERS) {
		if (doc)
			luadoc_push(L, doc, node, unknown);
		else
			lua_pushnil(L);
		return;
	}
	luaL_checkstack(L, 6, "lazy object");
	lua_createtable(L, 0, 0);           /* stack: t */
	lua_createtable(L, 0, 4);           /* stack: t, mt */
	lua_createtable(L, 0, 2);           /* stack: t, mt, cache */
	lua_pushvalue(L, ref);
	lua_rawsetp(L, -2, &docref_key);
	lua_pushinteger(L, (lua_Integer)((lua_Unsigned)node | (lua_Unsigned)unknown << 32));
	lua_rawsetp(L, -2, &nodes_key);
	push_fill_metatable(L);
	lua_setmetatable(L, -2);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, lazy_newindex);
	lua_setfield(L, -2, "__newindex");
	lua_pushcfunction(L, lazy_pairs);
	lua_setfield(L, -2, "__pairs");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, -2);
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
	luadoc_touch(L, idx);
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
