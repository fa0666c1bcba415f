/*
 * Lua views of the model for the running policy: resource tables (core fields set eagerly,
 * values/before/raw/sensitive built from the document on first access and then stored as
 * plain fields), the model table for evaluate and ctx.model, and ctx itself. Every table is
 * created for one policy run, and the metatables are locked (__metatable = false).
 */
#include "engine/engine_int.h"

#include <stddef.h>
#include <string.h>

#include <lauxlib.h>

#include "engine/luadoc.h"
#include "engine/mod_glob.h"

/* The lazily built fields: which document node, whether after_unknown applies, and whether
 * an absent or null node still gives a table (so `r.values.x` never fails). */
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

static const char *const action_names[] = {"no-op", "create", "read", "update", "delete", "forget"};
static const char *const region_states[] = {
	[REGION_NONE] = "none", [REGION_KNOWN] = "known", [REGION_UNKNOWN] = "unknown",
};

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

/* Plan actions as Terraform writes them; a replacement is { "delete", "create" }. */
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
}

/* Pushes the document reference of input k for the running policy (made on first use). */
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

/* Builds r.actions into the table at 1 and pushes it; most policies never read it. */
static int resource_actions(lua_State *L, struct run *run)
{
	size_t i = rtable_index(L, run, 1);
	if (i == SIZE_MAX)
		return 0;
	push_actions(L, run->m->resources[i].actions);
	lua_pushvalue(L, 2);
	lua_pushvalue(L, -2);
	lua_rawset(L, 1);
	return 1;
}

/* __index of resource tables: builds a lazy field and stores it in the table. */
static int resource_index(lua_State *L)
{
	struct run *run = current_run(L);
	const char *key = lua_tostring(L, 2);
	if (!run || !key || lua_type(L, 2) != LUA_TSTRING)
		return 0;
	if (strcmp(key, "actions") == 0)
		return resource_actions(L, run);
	for (size_t f = 0; f < sizeof lazy_fields / sizeof lazy_fields[0]; f++) {
		if (strcmp(key, lazy_fields[f].name) != 0)
			continue;
		size_t i = rtable_index(L, run, 1);
		if (i == SIZE_MAX)
			return 0;
		const struct model_resource *r = &run->m->resources[i];
		uint32_t node = *(const uint32_t *)((const char *)r + lazy_fields[f].node);
		uint32_t unk = lazy_fields[f].with_unknown ? r->unknown : DOC_NONE;
		const struct doc *doc = &run->m->inputs[r->input]->doc;
		if (lazy_fields[f].always_table && (node == DOC_NONE || doc_type(doc, node) == DOC_NULL)) {
			lua_newtable(L);
		} else {
			push_docref(L, run, r->input);
			luadoc_push_lazy(L, -1, node, unk);
			lua_remove(L, -2);
		}
		lua_pushvalue(L, 2);
		lua_pushvalue(L, -2);
		lua_rawset(L, 1);
		return 1;
	}
	return 0;
}

static void push_locked_metatable(lua_State *L, lua_CFunction index)
{
	lua_createtable(L, 0, 2);
	lua_pushcfunction(L, index);
	lua_setfield(L, -2, "__index");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
}

/* Pushes a table with weak keys or values (mode "k" or "v"). */
static void push_weak_table(lua_State *L, const char *mode)
{
	lua_newtable(L);
	lua_createtable(L, 0, 1);
	lua_pushstring(L, mode);
	lua_setfield(L, -2, "__mode");
	lua_setmetatable(L, -2);
}

/* The cache and the reverse index are weak: a resource table lives as long as the policy
 * holds it (identity is kept while it matters), and a check over every resource does not
 * keep every resource's values alive. */
void rtable_begin(lua_State *L, struct run *run)
{
	push_weak_table(L, "v");
	run->ref_rcache = luaL_ref(L, LUA_REGISTRYINDEX);
	push_weak_table(L, "kv"); /* values are integers: all-weak, not an ephemeron table */
	run->ref_rindex = luaL_ref(L, LUA_REGISTRYINDEX);
	push_locked_metatable(L, resource_index);
	run->ref_rmeta = luaL_ref(L, LUA_REGISTRYINDEX);
	run->ref_model = LUA_NOREF;
	lua_newtable(L);
	run->ref_docrefs = luaL_ref(L, LUA_REGISTRYINDEX);
}

/* Lazy objects a policy kept past its run read nothing more: the model may be freed. */
static void invalidate_docrefs(lua_State *L, struct run *run)
{
	if (run->ref_docrefs == LUA_NOREF || run->ref_docrefs == LUA_REFNIL)
		return;
	lua_rawgeti(L, LUA_REGISTRYINDEX, run->ref_docrefs);
	lua_pushnil(L);
	while (lua_next(L, -2)) { /* stack: docrefs, k, ref */
		luadoc_docref_invalidate(L, -1);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	luaL_unref(L, LUA_REGISTRYINDEX, run->ref_docrefs);
	run->ref_docrefs = LUA_NOREF;
}

void rtable_end(lua_State *L, struct run *run)
{
	invalidate_docrefs(L, run);
	luaL_unref(L, LUA_REGISTRYINDEX, run->ref_rcache);
	luaL_unref(L, LUA_REGISTRYINDEX, run->ref_rindex);
	luaL_unref(L, LUA_REGISTRYINDEX, run->ref_rmeta);
	luaL_unref(L, LUA_REGISTRYINDEX, run->ref_model);
	run->ref_rcache = run->ref_rindex = run->ref_rmeta = run->ref_model = LUA_NOREF;
}

/* Hash slots of a resource table: 12 strings, line, column, then actions and values when
 * read (a power of two, so the usual fields never rehash). */
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

/* Pushes the run's string array: [f + 1] is key f, [NSTRINGS * (i + 1) + f + 1] the value of
 * field f of resource i (nil when absent). Made on first use: later policies fetch their
 * strings with lua_rawgeti instead of hashing them again. */
static void push_strings(lua_State *L, struct run *run)
{
	if (run->ref_strings != LUA_NOREF) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, run->ref_strings);
		return;
	}
	size_t n = run->m->nresources;
	lua_createtable(L, (int)(NSTRINGS * (n + 1)), 0);
	for (size_t f = 0; f < NSTRINGS; f++) {
		lua_pushstring(L, string_keys[f]);
		lua_rawseti(L, -2, (lua_Integer)f + 1);
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t f = 0; f < NSTRINGS; f++) {
			const char *value = string_field(run, i, f);
			if (!value)
				continue;
			lua_pushstring(L, value);
			lua_rawseti(L, -2, (lua_Integer)(NSTRINGS * (i + 1) + f + 1));
		}
	}
	lua_pushvalue(L, -1);
	run->ref_strings = luaL_ref(L, LUA_REGISTRYINDEX);
}

void rtable_free_run(lua_State *L, struct run *run)
{
	if (L && run->ref_strings != LUA_NOREF)
		luaL_unref(L, LUA_REGISTRYINDEX, run->ref_strings);
	run->ref_strings = LUA_NOREF;
}

static void build_resource(lua_State *L, struct run *run, size_t i)
{
	push_strings(L, run);
	int strings = lua_gettop(L);
	lua_createtable(L, 0, RESOURCE_FIELDS);
	for (size_t f = 0; f < NSTRINGS; f++) {
		lua_rawgeti(L, strings, (lua_Integer)f + 1);
		if (lua_rawgeti(L, strings, (lua_Integer)(NSTRINGS * (i + 1) + f + 1)) == LUA_TNIL) {
			lua_pop(L, 2);
			continue;
		}
		lua_rawset(L, -3); /* stack: strings, t */
	}
	unsigned line, column;
	run_position(run, i, &line, &column);
	if (line) {
		set_integer(L, "line", line);
		set_integer(L, "column", column);
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, run->ref_rmeta);
	lua_setmetatable(L, -2);
	lua_remove(L, strings);
}

void rtable_push_resource(lua_State *L, struct run *run, size_t i)
{
	luaL_checkstack(L, 8, "resource");
	lua_rawgeti(L, LUA_REGISTRYINDEX, run->ref_rcache);
	if (lua_rawgeti(L, -1, (lua_Integer)i + 1) != LUA_TNIL) {
		lua_remove(L, -2);
		return;
	}
	lua_pop(L, 1);
	build_resource(L, run, i); /* stack: cache, t */
	lua_pushvalue(L, -1);
	lua_rawseti(L, -3, (lua_Integer)i + 1);
	lua_rawgeti(L, LUA_REGISTRYINDEX, run->ref_rindex);
	lua_pushvalue(L, -2);
	lua_pushinteger(L, (lua_Integer)i);
	lua_rawset(L, -3);
	lua_pop(L, 1);
	lua_remove(L, -2);
}

size_t rtable_index(lua_State *L, struct run *run, int idx)
{
	if (lua_type(L, idx) != LUA_TTABLE)
		return SIZE_MAX;
	idx = lua_absindex(L, idx);
	lua_rawgeti(L, LUA_REGISTRYINDEX, run->ref_rindex);
	lua_pushvalue(L, idx);
	lua_rawget(L, -2);
	int isnum;
	lua_Integer i = lua_tointegerx(L, -1, &isnum);
	lua_pop(L, 2);
	return isnum && i >= 0 && (size_t)i < run->m->nresources ? (size_t)i : SIZE_MAX;
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
