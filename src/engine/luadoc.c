/*
 * Document <-> Lua conversions (see luadoc.h): plain tables (luadoc_push: pre-sized from the
 * node counts, built with the collector stopped), the stores shared by a run's policies with
 * each policy's views of them, and Lua to JSON.
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

/* --- shared stores and per-policy views --- */

/*
 * Hidden keys (light userdata: no policy can name them). In a store: its document
 * reference and nodes, its child stores, its views' metatable, its length and the view of
 * the running policy. In a view metatable: the store (origin_key once the view is copied).
 * In a kind metatable: the kind.
 */
static const char docref_key = 'd';   /* store: the docref userdata */
static const char nodes_key = 'n';    /* store: node | unknown << 32 */
static const char kids_key = 'k';     /* store: key -> child store, or false when absent */
static const char viewmeta_key = 'm'; /* store: the metatable its views share */
static const char len_key = 'l';      /* store: # of its views (arrays; -1 until filled) */
static const char store_key = 's';    /* view metatable: the store */
static const char kind_key = 'K';     /* kind metatable: the struct luadoc_kind */
static const char view_key = 'v';     /* store: the view of the run viewrun_key names */
static const char viewrun_key = 'r';  /* store: the run (luadoc_views_begin) of view_key */
static const char origin_key = 'o';   /* metatable of a copied view: the store */

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

/* The document, node and after_unknown node of the store at idx; NULL doc when it has none
 * or its reference was invalidated. */
static const struct doc *store_info(lua_State *L, int idx, uint32_t *node, uint32_t *unk)
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
	if (obj == DOC_NONE || doc_type(doc, obj) != DOC_OBJECT)
		return DOC_NONE;
	for (uint32_t k = doc_first(doc, obj); k != DOC_NONE; k = doc_next(doc, obj, k + 1)) {
		if (key_equals(L, doc, k, key, len))
			found = k + 1;
	}
	return found;
}

/* The store at idx gets child store, or false, at key. */
static void kids_set(lua_State *L, int store, int key, int value)
{
	if (lua_rawgetp(L, store, &kids_key) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_createtable(L, 0, 1);
		lua_pushvalue(L, -1);
		lua_rawsetp(L, store, &kids_key);
	}
	lua_pushvalue(L, key);
	if (value)
		lua_pushvalue(L, value);
	else
		lua_pushboolean(L, 0);
	lua_rawset(L, -3);
	lua_pop(L, 1);
}

/* __index of every store (upvalue 1: its kind's build). A child store already made is
 * viewed; otherwise build(store, key) gives nil (remembered for string keys), a scalar
 * (kept in the store, where later reads find it without a call) or a new child store (kept
 * and viewed). stack: store, key */
static int store_index(lua_State *L)
{
	lua_settop(L, 2);
	if (lua_rawgetp(L, 1, &kids_key) == LUA_TTABLE) {
		lua_pushvalue(L, 2);
		int t = lua_rawget(L, 3);
		if (t == LUA_TTABLE) {
			luadoc_push_view(L, 4);
			return 1;
		}
		if (t == LUA_TBOOLEAN)
			return 0;
	}
	lua_settop(L, 2);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_pushvalue(L, 1);
	lua_pushvalue(L, 2);
	lua_call(L, 2, 1); /* stack: store, key, value */
	switch (lua_type(L, 3)) {
	case LUA_TNIL:
		if (lua_type(L, 2) == LUA_TSTRING)
			kids_set(L, 1, 2, 0);
		return 0;
	case LUA_TTABLE:
		kids_set(L, 1, 2, 3);
		luadoc_push_view(L, 3);
		return 1;
	default:
		lua_pushvalue(L, 2);
		lua_pushvalue(L, 3);
		lua_rawset(L, 1);
		return 1;
	}
}

/* Pushes the metatable shared by the stores of kind (made once per Lua state). */
static void push_kind_metatable(lua_State *L, const struct luadoc_kind *kind)
{
	if (lua_rawgetp(L, LUA_REGISTRYINDEX, kind) == LUA_TTABLE)
		return;
	lua_pop(L, 1);
	lua_createtable(L, 0, 2);
	lua_pushcfunction(L, kind->build);
	lua_pushcclosure(L, store_index, 1);
	lua_setfield(L, -2, "__index");
	lua_pushlightuserdata(L, (void *)kind);
	lua_rawsetp(L, -2, &kind_key);
	lua_pushvalue(L, -1);
	lua_rawsetp(L, LUA_REGISTRYINDEX, kind);
}

static const struct luadoc_kind *kind_of(lua_State *L, int store)
{
	const struct luadoc_kind *kind = NULL;
	if (lua_getmetatable(L, store)) {
		lua_rawgetp(L, -1, &kind_key);
		kind = lua_touserdata(L, -1);
		lua_pop(L, 2);
	}
	return kind;
}

static const struct luadoc_kind plain_kind; /* stores that build nothing (below) */

bool luadoc_is_store(lua_State *L, int idx)
{
	return lua_type(L, idx) == LUA_TTABLE && kind_of(L, idx) != NULL;
}

void luadoc_make_store(lua_State *L, int idx, const struct luadoc_kind *kind)
{
	idx = lua_absindex(L, idx);
	push_kind_metatable(L, kind ? kind : &plain_kind);
	lua_setmetatable(L, idx);
}

void luadoc_push_raw_keys(lua_State *L, int store)
{
	store = lua_absindex(L, store);
	lua_newtable(L);
	lua_Integer n = 0;
	lua_pushnil(L);
	while (lua_next(L, store)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) == LUA_TLIGHTUSERDATA)
			continue;
		lua_pushvalue(L, -1);
		lua_rawseti(L, -3, ++n);
	}
}

static int plain_build(lua_State *L)
{
	(void)L;
	return 0;
}

static int plain_keys(lua_State *L)
{
	luadoc_push_raw_keys(L, 1);
	return 1;
}

static const struct luadoc_kind plain_kind = {plain_build, plain_keys};

void luadoc_push_frozen(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	lua_newtable(L);
	lua_pushnil(L);
	while (lua_next(L, idx)) { /* stack: store, key, value */
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, -4);
	}
	luadoc_make_store(L, -1, NULL);
}

/* --- the stores of document objects and arrays --- */

static void push_shared(lua_State *L, int ref, const struct doc *doc, uint32_t node, uint32_t unk);

/* build of object stores: member key, as push_object would set it. */
static int object_build(lua_State *L)
{
	uint32_t node, unk;
	const struct doc *doc = store_info(L, 1, &node, &unk);
	if (!doc || lua_type(L, 2) != LUA_TSTRING)
		return 0;
	size_t len;
	const char *key = lua_tolstring(L, 2, &len);
	uint32_t v = find_member(L, doc, node, key, len);
	uint32_t u = find_member(L, doc, unk, key, len);
	lua_rawgetp(L, 1, &docref_key);
	int ref = lua_gettop(L);
	if (v != DOC_NONE && doc_type(doc, v) != DOC_NULL)
		push_shared(L, ref, doc, v, u);
	else if (u != DOC_NONE && doc_type(doc, u) != DOC_FALSE)
		push_shared(L, ref, doc, DOC_NONE, u);
	else
		lua_pushnil(L);
	return 1;
}

/* keys of object stores: the members in document order, then those only after_unknown has. */
static int object_keys(lua_State *L)
{
	uint32_t node, unk;
	const struct doc *doc = store_info(L, 1, &node, &unk);
	lua_newtable(L);
	if (!doc)
		return 1;
	lua_Integer n = 0;
	for (uint32_t k = doc_first(doc, node); k != DOC_NONE; k = doc_next(doc, node, k + 1)) {
		push_string(L, doc, k);
		lua_rawseti(L, -2, ++n);
	}
	if (unk == DOC_NONE || doc_type(doc, unk) != DOC_OBJECT)
		return 1;
	for (uint32_t k = doc_first(doc, unk); k != DOC_NONE; k = doc_next(doc, unk, k + 1)) {
		push_string(L, doc, k);
		size_t len;
		const char *key = lua_tolstring(L, -1, &len);
		if (find_member(L, doc, node, key, len) != DOC_NONE)
			lua_pop(L, 1);
		else
			lua_rawseti(L, -2, ++n);
	}
	return 1;
}

/* Fills the array store at idx on first use: scalars as elements, containers as child
 * stores (made, not filled), nulls as holes; # is the last element that is not a hole. */
static void array_fill(lua_State *L, int store)
{
	lua_rawgetp(L, store, &len_key);
	bool filled = lua_tointeger(L, -1) >= 0;
	lua_pop(L, 1);
	uint32_t node, unk;
	const struct doc *doc = store_info(L, store, &node, &unk);
	if (filled || !doc)
		return;
	luaL_checkstack(L, 6, "array");
	lua_rawgetp(L, store, &docref_key);
	int ref = lua_gettop(L);
	bool unk_arr = unk != DOC_NONE && doc_type(doc, unk) == DOC_ARRAY;
	uint32_t c = node != DOC_NONE ? doc_first(doc, node) : DOC_NONE;
	uint32_t u = unk_arr ? doc_first(doc, unk) : DOC_NONE;
	lua_Integer last = 0;
	for (lua_Integer i = 1; c != DOC_NONE || u != DOC_NONE; i++) {
		push_shared(L, ref, doc, c, u); /* stack: ref, value */
		int t = lua_type(L, -1);
		if (t != LUA_TNIL)
			last = i;
		if (t == LUA_TTABLE) {
			lua_pushinteger(L, i);
			kids_set(L, store, ref + 2, ref + 1);
			lua_settop(L, ref);
		} else if (t != LUA_TNIL) {
			lua_rawseti(L, store, i);
		} else {
			lua_pop(L, 1);
		}
		c = c != DOC_NONE ? doc_next(doc, node, c) : DOC_NONE;
		u = u != DOC_NONE ? doc_next(doc, unk, u) : DOC_NONE;
	}
	lua_pushinteger(L, last);
	lua_rawsetp(L, store, &len_key);
	lua_pop(L, 1);
}

/* build of array stores: elements are all set when the array is filled. The element is
 * returned as the store holds it (a scalar, or its child store), never through an index of
 * the store, which would give a view (and store_index would keep that view as a child). */
static int array_build(lua_State *L)
{
	lua_rawgetp(L, 1, &len_key);
	if (lua_tointeger(L, -1) >= 0)
		return 0;
	array_fill(L, 1);
	lua_settop(L, 2);
	lua_pushvalue(L, 2);
	if (lua_rawget(L, 1) != LUA_TNIL)
		return 1;
	if (lua_rawgetp(L, 1, &kids_key) == LUA_TTABLE) {
		lua_pushvalue(L, 2);
		if (lua_rawget(L, -2) == LUA_TTABLE)
			return 1;
	}
	return 0;
}

static int array_keys(lua_State *L)
{
	array_fill(L, 1);
	lua_rawgetp(L, 1, &len_key);
	lua_Integer n = lua_tointeger(L, -1);
	lua_createtable(L, (int)n, 0);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_pushinteger(L, i);
		lua_rawseti(L, -2, i);
	}
	return 1;
}

static const struct luadoc_kind object_kind = {object_build, object_keys};
static const struct luadoc_kind array_kind = {array_build, array_keys};
/* Leaves: small objects and lists of scalars. A policy run gets a plain copy of a leaf
 * (luadoc_push_view), not a view: one table, no metatable, no member built on its own. The
 * view run of a leaf store is negative: LEAF_FRESH until a run copies it, then minus that
 * run; when another run reads it, it becomes an ordinary store (promote_leaf). */
#define LEAF_MAX 4 /* members or elements of a leaf, at most */
#define LEAF_FRESH LUA_MININTEGER

/* True when the after_unknown node unk marks nothing unknown below it. */
static bool all_known(const struct doc *doc, uint32_t unk)
{
	if (unk == DOC_NONE || !doc_is_container(doc_node(doc, unk)))
		return true;
	bool obj = doc_type(doc, unk) == DOC_OBJECT;
	for (uint32_t c = unk + 1; c < doc_node(doc, unk)->after; c = doc_end(doc, c)) {
		if (obj)
			c++; /* the member's value */
		if (doc_type(doc, c) != DOC_FALSE)
			return false;
	}
	return true;
}

/* True when node is a leaf: an object or list of at most LEAF_MAX scalars, nothing unknown
 * in it, no null in a list (a hole would change its #). */
static bool is_leaf(const struct doc *doc, uint32_t node, uint32_t unk)
{
	if (node == DOC_NONE || doc_node(doc, node)->len > LEAF_MAX || !all_known(doc, unk))
		return false;
	bool array = doc_type(doc, node) == DOC_ARRAY;
	for (uint32_t c = node + 1; c < doc_node(doc, node)->after; c = doc_end(doc, c)) {
		enum doc_type t = doc_type(doc, c);
		if (t == DOC_ARRAY || t == DOC_OBJECT || (array && t == DOC_NULL))
			return false;
	}
	return true;
}

/* A new store of the object or array node (unk: its after_unknown node). */
static void push_doc_store(lua_State *L, int ref, uint32_t node, uint32_t unk, bool array)
{
	const struct docref *dr = lua_touserdata(L, ref);
	bool leaf = is_leaf(dr->doc, node, unk);
	/* room for the hidden keys: a leaf gets its document, nodes and copy of the run; other
	 * stores also their length, children and view metatable (a rehash per new key costs
	 * more than the slots) */
	lua_createtable(L, 0, leaf ? 4 : 8);
	lua_pushvalue(L, ref);
	lua_rawsetp(L, -2, &docref_key);
	lua_pushinteger(L, (lua_Integer)((lua_Unsigned)node | (lua_Unsigned)unk << 32));
	lua_rawsetp(L, -2, &nodes_key);
	if (leaf) {
		lua_pushinteger(L, LEAF_FRESH);
		lua_rawsetp(L, -2, &viewrun_key);
	} else if (array) {
		lua_pushinteger(L, -1);
		lua_rawsetp(L, -2, &len_key);
	}
	luadoc_make_store(L, -1, array ? &array_kind : &object_kind);
}

/* Pushes node (with its after_unknown node unk) as a store holds it: a scalar, nil, the
 * unknown sentinel, or a new store of an object or array. ref: the docref's index. */
static void push_shared(lua_State *L, int ref, const struct doc *doc, uint32_t node, uint32_t unk)
{
	luaL_checkstack(L, 4, "document");
	enum doc_type ut = unk != DOC_NONE ? doc_type(doc, unk) : DOC_NULL;
	if (ut == DOC_TRUE) {
		luadoc_push_unknown(L);
		return;
	}
	enum doc_type t = node != DOC_NONE ? doc_type(doc, node) : DOC_NULL;
	if (node == DOC_NONE && (ut == DOC_ARRAY || ut == DOC_OBJECT))
		t = ut;
	if (t == DOC_ARRAY || t == DOC_OBJECT)
		push_doc_store(L, ref, node, unk, t == DOC_ARRAY);
	else
		push_value(L, doc, node, unk);
}

void luadoc_push_shared(lua_State *L, int ref, uint32_t node, uint32_t unknown)
{
	ref = lua_absindex(L, ref);
	const struct docref *dr = lua_touserdata(L, ref);
	if (!dr || !dr->doc || (node == DOC_NONE && unknown == DOC_NONE))
		lua_pushnil(L);
	else
		push_shared(L, ref, dr->doc, node, unknown);
}

/* --- views --- */

/* Pushes what the metatable of the table at idx keeps under key and returns its index, or
 * returns 0 (nothing pushed) when that is not a table. */
static int push_meta_table(lua_State *L, int idx, const void *key)
{
	if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
		return 0;
	if (lua_rawgetp(L, -1, key) != LUA_TTABLE) {
		lua_pop(L, 2);
		return 0;
	}
	lua_remove(L, -2);
	return lua_gettop(L);
}

/* The store of the view at idx (pushed), or 0 when the value is not a view. A young view
 * holds its store itself, under a key no policy can name; others in their metatable. */
static int push_store_of(lua_State *L, int idx)
{
	if (lua_type(L, idx) != LUA_TTABLE)
		return 0;
	if (lua_rawgetp(L, idx, &store_key) == LUA_TTABLE)
		return lua_gettop(L);
	lua_pop(L, 1);
	return push_meta_table(L, idx, &store_key);
}

const struct doc *luadoc_view_node(lua_State *L, int idx, uint32_t *node, uint32_t *unknown)
{
	int store = push_store_of(L, idx);
	if (!store)
		return NULL;
	uint32_t unk;
	const struct doc *doc = store_info(L, store, node, &unk);
	if (unknown)
		*unknown = unk;
	lua_pop(L, 1);
	return doc;
}

void luadoc_push_node(lua_State *L, int view, uint32_t node, uint32_t unknown)
{
	view = lua_absindex(L, view);
	int store = push_store_of(L, view);
	if (!store) {
		lua_pushnil(L);
		return;
	}
	luaL_checkstack(L, 6, "view");
	lua_rawgetp(L, store, &docref_key);
	luadoc_push_shared(L, -1, node, unknown); /* stack: store, ref, value */
	if (lua_type(L, -1) == LUA_TTABLE) {
		luadoc_push_view(L, -1);
		lua_replace(L, -2);
	}
	lua_replace(L, store);
	lua_settop(L, store);
}

int luadoc_push_origin(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	int store = push_store_of(L, idx);
	return store ? store : push_meta_table(L, idx, &origin_key);
}

/* Copies every member of the view at idx from its store (child stores as this policy's
 * views of them, so identity holds) and replaces its metatable by one that reads nothing:
 * the view becomes the policy's own table. No-op for any other value. */
void luadoc_touch(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	int store = push_store_of(L, idx);
	if (!store)
		return;
	luaL_checkstack(L, 6, "view");
	lua_pushnil(L);
	lua_rawsetp(L, idx, &store_key); /* a young view's store: the view is the policy's now */
	const struct luadoc_kind *kind = kind_of(L, store);
	lua_pushcfunction(L, kind->keys);
	lua_pushvalue(L, store);
	lua_call(L, 1, 1);
	int keys = lua_gettop(L);
	for (lua_Integer i = 1; lua_rawgeti(L, keys, i) != LUA_TNIL; i++) {
		lua_pushvalue(L, -1);
		lua_gettable(L, store); /* stack: key, value */
		lua_rawset(L, idx);
	}
	lua_settop(L, store);
	lua_createtable(L, 0, 2);
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_pushvalue(L, store);
	lua_rawsetp(L, -2, &origin_key);
	lua_setmetatable(L, idx);
	lua_pop(L, 1);
}

static int view_newindex(lua_State *L)
{
	luadoc_touch(L, 1);
	lua_settop(L, 3);
	lua_rawset(L, 1);
	return 0;
}

/* # of a view: the array length kept by its store, else the store's raw length. */
static int view_len(lua_State *L)
{
	int store = push_store_of(L, 1);
	if (!store)
		return 0;
	if (lua_rawgetp(L, store, &len_key) == LUA_TNUMBER) {
		if (lua_tointeger(L, -1) < 0) {
			array_fill(L, store);
			lua_rawgetp(L, store, &len_key);
		}
		return 1;
	}
	lua_pushinteger(L, (lua_Integer)lua_rawlen(L, store));
	return 1;
}

static int view_next(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	luadoc_touch(L, 1);
	lua_settop(L, 2);
	if (lua_next(L, 1))
		return 2;
	lua_pushnil(L);
	return 1;
}

static int view_pairs(lua_State *L)
{
	luadoc_touch(L, 1);
	lua_pushcfunction(L, view_next);
	lua_pushvalue(L, 1);
	lua_pushnil(L);
	return 3;
}

static int view_rawget(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checkany(L, 2);
	luadoc_touch(L, 1);
	lua_settop(L, 2);
	lua_rawget(L, 1);
	return 1;
}

static int view_rawlen(lua_State *L)
{
	int t = lua_type(L, 1);
	luaL_argexpected(L, t == LUA_TTABLE || t == LUA_TSTRING, 1, "table or string");
	luadoc_touch(L, 1);
	lua_pushinteger(L, (lua_Integer)lua_rawlen(L, 1));
	return 1;
}

static int view_rawset(lua_State *L)
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
	{"next", view_next},
	{"rawget", view_rawget},
	{"rawlen", view_rawlen},
	{"rawset", view_rawset},
	{NULL, NULL},
};

/* Pushes a new view metatable whose __index is the value at the top (popped): writes copy,
 * pairs and # go through the store, the metatable is locked. */
static void push_metamethods(lua_State *L, int extra)
{
	lua_createtable(L, 0, 5 + extra);
	lua_insert(L, -2);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, view_newindex);
	lua_setfield(L, -2, "__newindex");
	lua_pushcfunction(L, view_pairs);
	lua_setfield(L, -2, "__pairs");
	lua_pushcfunction(L, view_len);
	lua_setfield(L, -2, "__len");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
}

/* Pushes the metatable of the views of the store at idx (made on first use, kept in it). */
static void push_view_metatable(lua_State *L, int store)
{
	if (lua_rawgetp(L, store, &viewmeta_key) == LUA_TTABLE)
		return;
	lua_pop(L, 1);
	lua_pushvalue(L, store);
	push_metamethods(L, 1);
	lua_pushvalue(L, store);
	lua_rawsetp(L, -2, &store_key);
	lua_pushvalue(L, -1);
	lua_rawsetp(L, store, &viewmeta_key);
}

/* The views of a policy run. The run's number lives in a struct the extra space of every
 * thread of the state points to (Lua copies the main thread's extra space into each new
 * coroutine, and Lua leaves it uninitialised, hence luadoc_init); a store keeps its view and
 * the number of the run that made it, so a view is found with two lookups and never reaches
 * another run. */
struct views_state {
	lua_Integer run; /* the policy run in progress (luadoc_views_begin), 0 outside one */
};

static const char views_state_key = 'V'; /* registry: the views_state userdata */

void luadoc_init(lua_State *L)
{
	struct views_state *vs = lua_newuserdatauv(L, sizeof *vs, 0);
	vs->run = 0;
	lua_rawsetp(L, LUA_REGISTRYINDEX, &views_state_key);
	memcpy(lua_getextraspace(L), &vs, sizeof vs);
}

static lua_Integer *views_run(lua_State *L)
{
	struct views_state *vs;
	memcpy(&vs, lua_getextraspace(L), sizeof vs);
	return &vs->run;
}

lua_Integer luadoc_views_begin(lua_State *L)
{
	static _Atomic lua_Integer runs;
	lua_Integer *run = views_run(L);
	lua_Integer saved = *run;
	*run = ++runs;
	return saved;
}

void luadoc_views_end(lua_State *L, lua_Integer saved)
{
	*views_run(L) = saved;
}

/* Pushes a new view of the store at idx (the running policy's views are kept by
 * luadoc_push_view). */
static const char young_key = 'Y'; /* registry: the metatable every young view shares */

/* __index of young views: the store the view holds. stack: view, key */
static int young_index(lua_State *L)
{
	lua_rawgetp(L, 1, &store_key);
	lua_pushvalue(L, 2);
	lua_gettable(L, -2);
	return 1;
}

static void push_young_metatable(lua_State *L)
{
	if (lua_rawgetp(L, LUA_REGISTRYINDEX, &young_key) == LUA_TTABLE)
		return;
	lua_pop(L, 1);
	lua_pushcfunction(L, young_index);
	push_metamethods(L, 0);
	lua_pushvalue(L, -1);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &young_key);
}

/* True when the store at idx holds a document object or array (not a resource). */
static bool is_doc_store(lua_State *L, int store)
{
	bool doc = lua_rawgetp(L, store, &nodes_key) == LUA_TNUMBER;
	lua_pop(L, 1);
	return doc;
}

/* Pushes a new view of the store at idx. A young view (of a store no other policy run has
 * viewed) holds its store and shares one metatable, whose __index is a call: most stores are
 * read by one policy, and making a store's own view metatable costs more than the calls.
 * Other views get the store's metatable (made on first use), whose __index is the store. */
static void push_new_view(lua_State *L, int store, bool young)
{
	lua_createtable(L, 0, young ? 1 : 0);
	if (young) {
		lua_pushvalue(L, store);
		lua_rawsetp(L, -2, &store_key);
		push_young_metatable(L);
	} else {
		push_view_metatable(L, store);
	}
	lua_setmetatable(L, -2);
}

static const char leafmeta_key = 'L'; /* registry: the metatable of every leaf copy */

/* Pushes a copy of the leaf store at idx, as luadoc_push would build it, with the locked
 * metatable all leaf copies share (getmetatable gives false, as for views). */
static void push_leaf_copy(lua_State *L, int store)
{
	uint32_t node, unk;
	const struct doc *doc = store_info(L, store, &node, &unk);
	if (doc)
		push_value(L, doc, node, unk);
	else
		lua_newtable(L);
	if (lua_rawgetp(L, LUA_REGISTRYINDEX, &leafmeta_key) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_createtable(L, 0, 1);
		lua_pushboolean(L, 0);
		lua_setfield(L, -2, "__metatable");
		lua_pushvalue(L, -1);
		lua_rawsetp(L, LUA_REGISTRYINDEX, &leafmeta_key);
	}
	lua_setmetatable(L, -2);
}

/* A leaf that a second policy run reads becomes an ordinary store holding all its members
 * (the length too, for a list): from then on each run gets a view, which costs less than a
 * copy once the view metatable exists. */
static void promote_leaf(lua_State *L, int store)
{
	uint32_t node, unk;
	const struct doc *doc = store_info(L, store, &node, &unk);
	lua_Integer n = 0;
	for (uint32_t c = doc ? doc_first(doc, node) : DOC_NONE; c != DOC_NONE;
	     c = doc_next(doc, node, doc_type(doc, node) == DOC_OBJECT ? c + 1 : c)) {
		luaL_checkstack(L, 4, "leaf");
		if (doc_type(doc, node) == DOC_OBJECT) {
			push_string(L, doc, c);
			push_value(L, doc, c + 1, DOC_NONE);
			lua_rawset(L, store); /* the last of a repeated key wins; null sets nothing */
		} else {
			push_value(L, doc, c, DOC_NONE);
			lua_rawseti(L, store, ++n);
		}
	}
	if (doc && doc_type(doc, node) == DOC_ARRAY) {
		lua_pushinteger(L, n);
		lua_rawsetp(L, store, &len_key);
	}
}

void luadoc_push_new_view(lua_State *L, int store)
{
	push_new_view(L, lua_absindex(L, store), false);
}

bool luadoc_push_view(lua_State *L, int store)
{
	store = lua_absindex(L, store);
	luaL_checkstack(L, 4, "view");
	lua_Integer run = *views_run(L);
	lua_rawgetp(L, store, &viewrun_key);
	lua_Integer last = lua_tointeger(L, -1);
	lua_pop(L, 1);
	bool leaf = last < 0;
	if (leaf && run == 0) {
		push_leaf_copy(L, store);
		return true;
	}
	if (run != 0 && last == (leaf ? -run : run)) {
		if (lua_rawgetp(L, store, &view_key) == LUA_TTABLE)
			return false;
		lua_pop(L, 1);
	}
	if (leaf && last != LEAF_FRESH) {
		promote_leaf(L, store);
		leaf = false;
	}
	if (leaf)
		push_leaf_copy(L, store);
	else
		push_new_view(L, store, last == 0 && is_doc_store(L, store));
	lua_pushvalue(L, -1);
	lua_rawsetp(L, store, &view_key);
	lua_pushinteger(L, leaf ? -run : run);
	lua_rawsetp(L, store, &viewrun_key);
	return true;
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
