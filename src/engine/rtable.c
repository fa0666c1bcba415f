/*
 * Lua views of the model for the running policy: resource tables, the model table for
 * evaluate and ctx.model, and ctx itself. A resource is a store (luadoc.h) made once per
 * engine run and shared by every policy: its core fields set when it is made; actions,
 * values, before, raw and sensitive built from the document on first read. Each policy sees
 * its own views of the stores, so a write by one policy never reaches the next. Metatables
 * are locked (__metatable = false).
 */
#include "engine/engine_int.h"

#include <stddef.h>
#include <string.h>

#include <lauxlib.h>

#include "engine/luadoc.h"
#include "engine/mod_glob.h"

/* The fields built on first read: which document node, whether after_unknown applies, and
 * whether an absent or null node still gives a table (so `r.values.x` never fails). */
static const struct {
	const char *name;
	size_t node;      /* offsetof the node in struct model_resource */
	bool with_unknown;
	bool always_table;
} lazy_fields[] = {
	{"values", offsetof(struct model_resource, values), true, true},
	{"before", offsetof(struct model_resource, before), false, false},
	{"raw", offsetof(struct model_resource, node), false, false},
	{"sensitive", offsetof(struct model_resource, sensitive), false, false},
};
#define NLAZY (sizeof lazy_fields / sizeof lazy_fields[0])

static const char *const action_names[] = {"no-op", "create", "read", "update", "delete", "forget"};
static const char *const region_states[] = {
	[REGION_NONE] = "none", [REGION_KNOWN] = "known", [REGION_UNKNOWN] = "unknown",
};

static const char index_key = 'i'; /* resource store: run serial << 32 | index in the model */

/* The index of the resource of the store at idx, or SIZE_MAX when it is not a resource
 * store of this run (a policy may keep a table from an earlier run of the same engine). */
static size_t store_resource(lua_State *L, struct run *run, int store)
{
	lua_rawgetp(L, store, &index_key);
	lua_Unsigned packed = (lua_Unsigned)lua_tointeger(L, -1);
	bool ours = lua_isinteger(L, -1) && packed >> 32 == run->serial;
	lua_pop(L, 1);
	size_t i = (size_t)(packed & 0xffffffffu);
	return ours && i < run->m->nresources ? i : SIZE_MAX;
}

static struct run *current_run(lua_State *L)
{
	struct engine *e = sandbox_from(L)->host;
	return e->run;
}

static void set_string(lua_State *L, const char *key, const char *value)
{
	if (!value)
		return;
	lua_pushstring(L, value);
	lua_setfield(L, -2, key);
}

static void set_integer(lua_State *L, const char *key, lua_Integer value)
{
	lua_pushinteger(L, value);
	lua_setfield(L, -2, key);
}

/* Pushes a store of the plan actions as Terraform writes them; a replacement is
 * { "delete", "create" }. */
static void push_actions(lua_State *L, unsigned actions)
{
	lua_createtable(L, 2, 0);
	lua_Integer n = 0;
	if ((actions & ACTION_DELETE) && (actions & ACTION_CREATE)) {
		lua_pushstring(L, "delete");
		lua_rawseti(L, -2, ++n);
		actions &= ~(unsigned)ACTION_DELETE;
	}
	for (unsigned bit = 0; bit < sizeof action_names / sizeof action_names[0]; bit++) {
		if (actions & (1u << bit)) {
			lua_pushstring(L, action_names[bit]);
			lua_rawseti(L, -2, ++n);
		}
	}
	luadoc_make_store(L, -1, NULL);
}

/* Pushes the document reference of input k (made on first use, kept for the engine run). */
static void push_docref(lua_State *L, struct run *run, size_t k)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, run->ref_docrefs);
	if (lua_rawgeti(L, -1, (lua_Integer)k + 1) == LUA_TNIL) {
		lua_pop(L, 1);
		luadoc_push_docref(L, &run->m->inputs[k]->doc);
		lua_pushvalue(L, -1);
		lua_rawseti(L, -3, (lua_Integer)k + 1);
	}
	lua_remove(L, -2);
}

/* Pushes lazy field f of resource r as its store holds it. */
static void push_lazy_field(lua_State *L, struct run *run, const struct model_resource *r,
                            size_t f)
{
	uint32_t node = *(const uint32_t *)((const char *)r + lazy_fields[f].node);
	uint32_t unk = lazy_fields[f].with_unknown ? r->unknown : DOC_NONE;
	const struct doc *doc = &run->m->inputs[r->input]->doc;
	if (lazy_fields[f].always_table && (node == DOC_NONE || doc_type(doc, node) == DOC_NULL)) {
		lua_newtable(L);
		luadoc_make_store(L, -1, NULL);
		return;
	}
	push_docref(L, run, r->input);
	luadoc_push_shared(L, -1, node, unk);
	lua_remove(L, -2);
}

/* build of resource stores (stack: store, key): actions and the lazy fields. */
static int resource_build(lua_State *L)
{
	struct run *run = current_run(L);
	if (!run || lua_type(L, 2) != LUA_TSTRING)
		return 0;
	size_t i = store_resource(L, run, 1);
	if (i == SIZE_MAX)
		return 0;
	const struct model_resource *r = &run->m->resources[i];
	const char *key = lua_tostring(L, 2);
	if (strcmp(key, "actions") == 0) {
		push_actions(L, r->actions);
		return 1;
	}
	for (size_t f = 0; f < NLAZY; f++) {
		if (strcmp(key, lazy_fields[f].name) == 0) {
			push_lazy_field(L, run, r, f);
			return 1;
		}
	}
	return 0;
}

/* keys of resource stores: the core fields, then actions and the lazy fields. */
static int resource_keys(lua_State *L)
{
	luadoc_push_raw_keys(L, 1);
	lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
	lua_pushliteral(L, "actions");
	lua_rawseti(L, -2, ++n);
	for (size_t f = 0; f < NLAZY; f++) {
		lua_pushstring(L, lazy_fields[f].name);
		lua_rawseti(L, -2, ++n);
	}
	return 1;
}

static const struct luadoc_kind resource_kind = {resource_build, resource_keys};

static void push_locked_metatable(lua_State *L, lua_CFunction index)
{
	lua_createtable(L, 0, 2);
	lua_pushcfunction(L, index);
	lua_setfield(L, -2, "__index");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
}

/* Per policy run: its views and its model table. The stores and document references are
 * made by the first policy of the engine run. */
void rtable_begin(lua_State *L, struct run *run)
{
	run->saved_views = luadoc_views_begin(L);
	run->ref_model = LUA_NOREF;
	if (run->ref_stores == LUA_NOREF) {
		lua_createtable(L, (int)run->m->nresources, 0);
		run->ref_stores = luaL_ref(L, LUA_REGISTRYINDEX);
		lua_newtable(L);
		run->ref_docrefs = luaL_ref(L, LUA_REGISTRYINDEX);
	}
}

void rtable_end(lua_State *L, struct run *run)
{
	luadoc_views_end(L, run->saved_views);
	luaL_unref(L, LUA_REGISTRYINDEX, run->ref_model);
	run->ref_model = LUA_NOREF;
}

/* Stores a policy kept past the engine run build nothing more: the model may be freed. */
void rtable_free_run(lua_State *L, struct run *run)
{
	if (!L || run->ref_docrefs == LUA_NOREF)
		return;
	lua_rawgeti(L, LUA_REGISTRYINDEX, run->ref_docrefs);
	lua_pushnil(L);
	while (lua_next(L, -2)) { /* stack: docrefs, k, ref */
		luadoc_docref_invalidate(L, -1);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	luaL_unref(L, LUA_REGISTRYINDEX, run->ref_docrefs);
	luaL_unref(L, LUA_REGISTRYINDEX, run->ref_stores);
	run->ref_docrefs = run->ref_stores = LUA_NOREF;
}

/* Hash slots of a resource store: 12 strings, line, column and the hidden index. */
#define RESOURCE_FIELDS 16

/* The string fields of a resource table, in the order of string_field. */
static const char *const string_keys[] = {
	"address", "type", "name", "provider", "cloud", "mode", "module", "region",
	"region_source", "region_state", "format", "file",
};
#define NSTRINGS (sizeof string_keys / sizeof string_keys[0])

static const char *string_field(const struct run *run, size_t i, size_t f)
{
	const struct model_resource *r = &run->m->resources[i];
	const char *const values[NSTRINGS] = {
		r->address, r->type, r->name, r->provider, r->cloud, r->mode, r->module, r->region,
		r->region_source, region_states[r->region_state], model_format_name(r->format),
		model_doc(run->m, r)->src.path,
	};
	return values[f];
}

static void push_resource_store(lua_State *L, struct run *run, size_t i)
{
	lua_createtable(L, 0, RESOURCE_FIELDS);
	for (size_t f = 0; f < NSTRINGS; f++)
		set_string(L, string_keys[f], string_field(run, i, f));
	unsigned line, column;
	run_position(run, i, &line, &column);
	if (line) {
		set_integer(L, "line", line);
		set_integer(L, "column", column);
	}
	lua_pushinteger(L, (lua_Integer)((uint64_t)run->serial << 32 | (uint64_t)i));
	lua_rawsetp(L, -2, &index_key);
	luadoc_make_store(L, -1, &resource_kind);
}

void rtable_push_resource(lua_State *L, struct run *run, size_t i)
{
	luaL_checkstack(L, 8, "resource");
	lua_rawgeti(L, LUA_REGISTRYINDEX, run->ref_stores);
	if (lua_rawgeti(L, -1, (lua_Integer)i + 1) != LUA_TTABLE) {
		lua_pop(L, 1);
		push_resource_store(L, run, i);
		lua_pushvalue(L, -1);
		lua_rawseti(L, -3, (lua_Integer)i + 1);
	}
	luadoc_push_view(L, -1); /* stack: stores, store, view */
	lua_replace(L, -3);
	lua_pop(L, 1);
}

size_t rtable_index(lua_State *L, struct run *run, int idx)
{
	int store = luadoc_push_origin(L, idx);
	if (!store)
		return SIZE_MAX;
	size_t i = store_resource(L, run, store);
	lua_pop(L, 1);
	return i;
}

/* model.by_type(glob): the visible resources whose type matches, in model order. The glob is
 * matched once per distinct type; a single matching type walks only its own resources. */
static int model_by_type(lua_State *L)
{
	struct run *run = current_run(L);
	const char *glob = luaL_checkstring(L, 1);
	lua_newtable(L);
	if (!run)
		return 1;
	size_t only = 0;
	size_t hits = run_match_glob(run, glob, &only);
	lua_Integer n = 0;
	if (hits == 1) {
		for (size_t k = run->type_first[only]; k < run->type_first[only + 1]; k++) {
			size_t i = run->type_members[k];
			if (!run_visible(run, i))
				continue;
			rtable_push_resource(L, run, i);
			lua_rawseti(L, -2, ++n);
		}
		return 1;
	}
	for (size_t i = 0; hits > 1 && i < run->m->nresources; i++) {
		if (!run->glob_hit[run->rtype[i]] || !run_visible(run, i))
			continue;
		rtable_push_resource(L, run, i);
		lua_rawseti(L, -2, ++n);
	}
	return 1;
}

static int model_find(lua_State *L)
{
	struct run *run = current_run(L);
	const char *address = luaL_checkstring(L, 1);
	size_t i = run ? run_find(run, address) : SIZE_MAX;
	if (i == SIZE_MAX || !run_visible(run, i))
		lua_pushnil(L);
	else
		rtable_push_resource(L, run, i);
	return 1;
}

/* __index of the model table: `resources` is built on first use. */
static int model_index(lua_State *L)
{
	struct run *run = current_run(L);
	if (!run || lua_type(L, 2) != LUA_TSTRING || strcmp(lua_tostring(L, 2), "resources") != 0)
		return 0;
	lua_createtable(L, (int)run->m->nresources, 0);
	lua_Integer n = 0;
	for (size_t i = 0; i < run->m->nresources; i++) {
		if (!run_visible(run, i))
			continue;
		rtable_push_resource(L, run, i);
		lua_rawseti(L, -2, ++n);
	}
	lua_pushvalue(L, 2);
	lua_pushvalue(L, -2);
	lua_rawset(L, 1);
	return 1;
}

static const luaL_Reg model_funcs[] = {
	{"by_type", model_by_type},
	{"find", model_find},
	{NULL, NULL},
};

void rtable_push_model(lua_State *L, struct run *run)
{
	if (run->ref_model != LUA_NOREF) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, run->ref_model);
		return;
	}
	luaL_newlib(L, model_funcs);
	lua_createtable(L, (int)run->m->ninputs, 0);
	for (size_t k = 0; k < run->m->ninputs; k++) {
		lua_pushstring(L, run->m->inputs[k]->doc.src.path);
		lua_rawseti(L, -2, (lua_Integer)k + 1);
	}
	lua_setfield(L, -2, "files");
	push_locked_metatable(L, model_index);
	lua_setmetatable(L, -2);
	lua_pushvalue(L, -1);
	run->ref_model = luaL_ref(L, LUA_REGISTRYINDEX);
}

static int ctx_index(lua_State *L)
{
	struct run *run = current_run(L);
	if (!run || lua_type(L, 2) != LUA_TSTRING || strcmp(lua_tostring(L, 2), "model") != 0)
		return 0;
	rtable_push_model(L, run);
	return 1;
}

/* ctx.configured(name): upvalue 1 is the set of names set by the config. */
static int ctx_configured(lua_State *L)
{
	lua_pushvalue(L, 1);
	lua_pushboolean(L, lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL);
	return 1;
}

void rtable_push_ctx(lua_State *L, struct run *run)
{
	const struct policy *p = run->p;
	lua_createtable(L, 0, 5);
	set_string(L, "policy", p->info.id);
	set_string(L, "severity", severity_name(p->info.severity));
	lua_rawgeti(L, LUA_REGISTRYINDEX, p->ref_params);
	lua_setfield(L, -2, "params");
	lua_rawgeti(L, LUA_REGISTRYINDEX, p->ref_configured);
	lua_pushcclosure(L, ctx_configured, 1);
	lua_setfield(L, -2, "configured");
	push_locked_metatable(L, ctx_index);
	lua_setmetatable(L, -2);
}
