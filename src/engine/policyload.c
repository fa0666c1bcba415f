/*
 * Policy loading: the built-in pack plus every *.lua under each organisation root (skipping
 * the root's lib/, *.tests/ directories and *_test.lua), sorted by id. An organisation policy
 * with the id of a built-in replaces it; between roots the first one wins. Each policy runs
 * once in its own _ENV, under the budgets, and the table it returns is validated. `require`
 * serves lib.* modules from the roots, then from the built-in library, cached per policy.
 */
#include "engine/engine_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lauxlib.h>

#include "engine/builtin.h"
#include "engine/luadoc.h"
#include "load/docpos.h"
#include "util/buf.h"
#include "util/dirlist.h"
#include "util/xalloc.h"

#define WALK_MAX_DEPTH 32

/* A policy file found before loading. */
struct candidate {
	char *id;
	char *path;                    /* chunk name without '@' */
	const struct mg_builtin *b;    /* NULL for an organisation file */
	size_t rank;                   /* root index; built-ins rank after every root */
};

struct candidates {
	struct candidate *v;
	size_t n, cap;
};

/* What loading one policy produced, filled by the protected loader. */
struct load_job {
	struct engine *e;
	const struct candidate *c;
	struct policy *p;
	bool failed;                   /* err holds a Lua error */
	struct sandbox_error err;
	const char *bad_field;         /* metadata problem: the field, for its line */
	char *bad_message;
	struct diags *d;               /* config params that do not fit param_schema */
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void add_candidate(struct candidates *cs, char *id, char *path,
                          const struct mg_builtin *b, size_t rank)
{
	xgrow((void **)&cs->v, &cs->cap, cs->n + 1, sizeof *cs->v);
	cs->v[cs->n++] = (struct candidate){id, path, b, rank};
}

static void walk(struct candidates *cs, const char *dir, const char *rel, size_t rank, int depth)
{
	size_t n;
	if (depth > WALK_MAX_DEPTH)
		return;
	char **names = dirlist_read(dir, false, &n);
	if (!names)
		return;
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		char *sub = *rel ? xasprintf("%s/%s", rel, names[i]) : xstrdup(names[i]);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			bool skip = (!*rel && strcmp(names[i], "lib") == 0) || ends_with(names[i], ".tests");
			if (!skip)
				walk(cs, path, sub, rank, depth + 1);
		} else if (ends_with(names[i], ".lua") && !ends_with(names[i], "_test.lua")) {
			sub[strlen(sub) - 4] = '\0';
			add_candidate(cs, sub, path, NULL, rank);
			path = sub = NULL;
		}
		free(path);
		free(sub);
	}
	dirlist_free(names, n);
}

static int cmp_candidate(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	if (c)
		return c;
	return (x->rank > y->rank) - (x->rank < y->rank);
}

/* Every candidate, sorted by id, one per id (the highest-ranked). */
static void gather(struct engine *e, struct candidates *cs, struct diags *d)
{
	if (e->builtin) {
		for (size_t i = 0; mg_builtins[i].id; i++) {
			if (strncmp(mg_builtins[i].id, "lib/", 4) != 0)
				add_candidate(cs, xstrdup(mg_builtins[i].id), xstrdup(mg_builtins[i].path),
				              &mg_builtins[i], e->nroots);
		}
	}
	for (size_t r = 0; r < e->nroots; r++) {
		struct stat st;
		if (stat(e->roots[r], &st) != 0 || !S_ISDIR(st.st_mode)) {
			diags_add(d, DIAG_USAGE, e->roots[r], 0, 0, NULL, "cannot read policy directory: %s",
			          stat(e->roots[r], &st) != 0 ? strerror(errno) : "not a directory");
			continue;
		}
		walk(cs, e->roots[r], "", r, 0);
	}
	if (cs->n)
		qsort(cs->v, cs->n, sizeof *cs->v, cmp_candidate);
	size_t keep = 0;
	for (size_t i = 0; i < cs->n; i++) {
		struct candidate *c = &cs->v[i];
		if (keep && strcmp(cs->v[keep - 1].id, c->id) == 0) {
			if (!c->b)
				diags_add(d, DIAG_WARNING, c->path, 0, 0, c->id,
				          "policy '%s' is also defined in '%s', which takes precedence", c->id,
				          cs->v[keep - 1].path);
			free(c->id);
			free(c->path);
			continue;
		}
		cs->v[keep++] = *c;
	}
	cs->n = keep;
}

/* --- require --- */

static bool valid_module_name(const char *name)
{
	if (strncmp(name, "lib.", 4) != 0)
		return false;
	const char *p = name + 3;
	while (*p == '.') {
		p++;
		size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");
		if (n == 0)
			return false;
		p += n;
	}
	return *p == '\0';
}

/* Pushes the chunk of module id (roots first, then built-ins); raises when absent or bad. */
static void load_module(lua_State *L, const char *name, const char *id)
{
	struct engine *e = sandbox_from(L)->host;
	for (size_t r = 0; r < e->nroots; r++) {
		const char *path = lua_pushfstring(L, "%s/%s.lua", e->roots[r], id);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (luaL_loadfilex(L, path, "t") != LUA_OK)
				lua_error(L);
			lua_remove(L, -2);
			return;
		}
		lua_pop(L, 1);
	}
	const struct mg_builtin *b = builtin_find(id);
	if (!b)
		luaL_error(L, "module '%s' not found in the policy roots or the built-in library", name);
	if (builtin_load(L, b) != LUA_OK)
		lua_error(L);
}

static int policy_require(lua_State *L);

/* Pushes require for the chunk of one policy and its modules: upvalue 1 is the module cache
 * (name -> value, at cache), upvalue 2 the names this policy's load is loading (at loading). */
static void push_require(lua_State *L, int cache, int loading)
{
	cache = lua_absindex(L, cache);
	loading = lua_absindex(L, loading);
	lua_pushvalue(L, cache);
	lua_pushvalue(L, loading);
	lua_pushcclosure(L, policy_require, 2);
}

/* require(name) for policies and modules. Only loaded modules enter the cache: after a
 * failed load, the next policy requiring the module loads it again. */
static int policy_require(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	if (!valid_module_name(name))
		return luaL_error(L, "module '%s' not found: only lib.* modules of the policy roots "
		                     "and the built-in library can be required", name);
	const char *id = luaL_gsub(L, name, ".", "/"); /* stack: name, id */
	lua_pushvalue(L, 2);
	if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
		return 1;
	lua_pushvalue(L, 2);
	if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNIL)
		return luaL_error(L, "module '%s' requires itself (a require loop)", name);
	lua_pop(L, 2);
	load_module(L, name, id);
	sandbox_new_env(L);
	push_require(L, lua_upvalueindex(1), lua_upvalueindex(2));
	lua_setfield(L, -2, "require");
	lua_setupvalue(L, -2, 1); /* the chunk's _ENV */
	lua_pushvalue(L, 2);
	lua_pushboolean(L, 1);
	lua_rawset(L, lua_upvalueindex(2));
	lua_pushvalue(L, 1);
	lua_call(L, 1, 1);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushboolean(L, 1);
	}
	lua_pushvalue(L, 2);
	lua_pushvalue(L, -2);
	lua_rawset(L, lua_upvalueindex(1));
	return 1;
}

/* Pushes the module cache of the policy being loaded: the built-in policies share one (one
 * instance of each library module for the whole pack; they never write into them), every
 * organisation policy has its own (what it does to a module reaches no other policy). */
static void push_module_cache(lua_State *L, struct engine *e, bool builtin)
{
	if (!builtin) {
		lua_newtable(L);
		return;
	}
	if (e->ref_pack_modules == LUA_NOREF) {
		lua_newtable(L);
		lua_pushvalue(L, -1);
		e->ref_pack_modules = luaL_ref(L, LUA_REGISTRYINDEX);
		return;
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, e->ref_pack_modules);
}

/* --- metadata --- */

enum field_kind { FIELD_STRING, FIELD_STRINGS, FIELD_TABLE, FIELD_BOOLEAN, FIELD_FUNCTION };

static const struct {
	const char *name;
	enum field_kind kind;
	bool required;
} policy_fields[] = {
	{"title", FIELD_STRING, true},
	{"severity", FIELD_STRING, true},
	{"description", FIELD_STRING, true},
	{"remediation", FIELD_STRING, false},
	{"references", FIELD_STRINGS, false},
	{"tags", FIELD_STRINGS, false},
	{"types", FIELD_STRINGS, false},
	{"params", FIELD_TABLE, false},
	{"param_schema", FIELD_TABLE, false},
	{"include_destroyed", FIELD_BOOLEAN, false},
	{"check", FIELD_FUNCTION, false},
	{"evaluate", FIELD_FUNCTION, false},
};

static const char *const kind_names[] = {
	[FIELD_STRING] = "a string", [FIELD_STRINGS] = "a list of strings",
	[FIELD_TABLE] = "a table", [FIELD_BOOLEAN] = "a boolean", [FIELD_FUNCTION] = "a function",
};

static bool bad(struct load_job *job, const char *field, char *message)
{
	job->bad_field = field;
	job->bad_message = message;
	return false;
}

/* True when the value at idx is a sequence of strings (an empty table is one). */
static bool is_string_list(lua_State *L, int idx)
{
	if (lua_type(L, idx) != LUA_TTABLE)
		return false;
	lua_Integer n = (lua_Integer)lua_rawlen(L, idx), count = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		bool ok = lua_type(L, -1) == LUA_TSTRING && lua_isinteger(L, -2) &&
		          lua_tointeger(L, -2) >= 1 && lua_tointeger(L, -2) <= n;
		lua_pop(L, 1);
		if (!ok) {
			lua_pop(L, 1);
			return false;
		}
		count++;
	}
	return count == n;
}

static bool field_ok(lua_State *L, int idx, enum field_kind kind)
{
	switch (kind) {
	case FIELD_STRING: return lua_type(L, idx) == LUA_TSTRING;
	case FIELD_STRINGS: return is_string_list(L, idx);
	case FIELD_TABLE: return lua_type(L, idx) == LUA_TTABLE;
	case FIELD_BOOLEAN: return lua_type(L, idx) == LUA_TBOOLEAN;
	case FIELD_FUNCTION: return lua_type(L, idx) == LUA_TFUNCTION;
	}
	return false;
}

/* Validates the policy table at t. */
static bool check_fields(lua_State *L, int t, struct load_job *job)
{
	for (size_t i = 0; i < sizeof policy_fields / sizeof policy_fields[0]; i++) {
		const char *name = policy_fields[i].name;
		lua_getfield(L, t, name);
		bool absent = lua_isnil(L, -1);
		bool ok = absent ? !policy_fields[i].required : field_ok(L, lua_gettop(L), policy_fields[i].kind);
		const char *tn = luaL_typename(L, -1);
		lua_pop(L, 1);
		if (!ok && absent)
			return bad(job, name, xasprintf("policy has no '%s' (required)", name));
		if (!ok)
			return bad(job, name, xasprintf("policy field '%s' must be %s, got %s", name,
			                                 kind_names[policy_fields[i].kind], tn));
	}
	lua_getfield(L, t, "severity");
	const char *sev = lua_tostring(L, -1);
	bool known = severity_parse(sev, &job->p->info.severity);
	char *msg = known ? NULL : xasprintf("unknown severity '%s' (expected info, low, medium, "
	                                     "high or critical)", sev);
	lua_pop(L, 1);
	if (!known)
		return bad(job, "severity", msg);
	lua_getfield(L, t, "check");
	lua_getfield(L, t, "evaluate");
	bool runnable = !lua_isnil(L, -1) || !lua_isnil(L, -2);
	lua_pop(L, 2);
	if (!runnable)
		return bad(job, "check", xstrdup("policy has neither a 'check' nor an 'evaluate' function"));
	return true;
}

/* The list field of t joined with sep into a new string ("" when absent). */
static char *join_list(lua_State *L, int t, const char *name, const char *sep)
{
	struct buf b = BUF_INIT;
	lua_getfield(L, t, name);
	lua_Integer n = lua_istable(L, -1) ? (lua_Integer)lua_rawlen(L, -1) : 0;
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, -1, i);
		if (i > 1)
			buf_adds(&b, sep);
		buf_adds(&b, lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return b.data ? buf_detach(&b) : xstrdup("");
}

static char *opt_string(lua_State *L, int t, const char *name)
{
	lua_getfield(L, t, name);
	char *s = lua_isstring(L, -1) ? xstrdup(lua_tostring(L, -1)) : NULL;
	lua_pop(L, 1);
	return s;
}

static void read_globs(lua_State *L, int t, struct policy *p)
{
	lua_getfield(L, t, "types");
	p->nglobs = lua_istable(L, -1) ? lua_rawlen(L, -1) : 0;
	p->globs = xcalloc(p->nglobs + 1, sizeof *p->globs);
	for (size_t i = 0; i < p->nglobs; i++) {
		lua_rawgeti(L, -1, (lua_Integer)i + 1);
		p->globs[i] = xstrdup(lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

/* Copies the validated metadata of the table at t into p. */
static void read_metadata(lua_State *L, int t, struct policy *p)
{
	p->info.title = opt_string(L, t, "title");
	p->info.description = opt_string(L, t, "description");
	p->info.remediation = opt_string(L, t, "remediation");
	p->info.tags = join_list(L, t, "tags", ",");
	p->info.types = join_list(L, t, "types", ",");
	p->info.references = join_list(L, t, "references", "\n");
	read_globs(L, t, p);
	int top = lua_gettop(L);
	lua_getfield(L, t, "include_destroyed");
	p->include_destroyed = lua_toboolean(L, -1);
	lua_getfield(L, t, "check");
	p->has_check = !lua_isnil(L, -1);
	lua_getfield(L, t, "evaluate");
	p->has_evaluate = !lua_isnil(L, -1);
	lua_Debug ar;
	if (p->has_check) {
		lua_pushvalue(L, -2);
		lua_getinfo(L, ">S", &ar);
		p->check_line = ar.linedefined;
	}
	if (p->has_evaluate) {
		lua_pushvalue(L, -1);
		lua_getinfo(L, ">S", &ar);
		p->evaluate_line = ar.linedefined;
	}
	lua_settop(L, top);
}

/* --- params --- */

/* Sets every member of the config object node into the tables at eff and conf. */
static void merge_config_params(lua_State *L, const struct doc *doc, uint32_t obj, int eff,
                                int conf)
{
	if (obj == DOC_NONE || doc_type(doc, obj) != DOC_OBJECT)
		return;
	for (uint32_t k = doc_first(doc, obj); k != DOC_NONE; k = doc_next(doc, obj, k + 1)) {
		luadoc_push(L, doc, k, DOC_NONE);
		lua_pushvalue(L, -1);
		luadoc_push(L, doc, k + 1, DOC_NONE);
		lua_rawset(L, eff);
		lua_pushboolean(L, 1);
		lua_rawset(L, conf);
	}
}

/* --- param schemas --- */

/* The doc types a param_schema type name admits (a bit per enum doc_type), 0 if unknown. */
static unsigned schema_type_bits(const char *name)
{
	static const struct {
		const char *name;
		unsigned bits;
	} types[] = {
		{"string", 1u << DOC_STRING},
		{"number", 1u << DOC_INT | 1u << DOC_FLOAT},
		{"integer", 1u << DOC_INT},
		{"boolean", 1u << DOC_TRUE | 1u << DOC_FALSE},
		{"list", 1u << DOC_ARRAY},
		{"table", 1u << DOC_OBJECT | 1u << DOC_ARRAY},
	};
	for (size_t i = 0; name && i < sizeof types / sizeof types[0]; i++) {
		if (strcmp(types[i].name, name) == 0)
			return types[i].bits;
	}
	return 0;
}

static const char *doc_type_word(const struct doc *doc, uint32_t node)
{
	static const char *const words[] = {
		[DOC_NULL] = "null", [DOC_FALSE] = "a boolean", [DOC_TRUE] = "a boolean",
		[DOC_INT] = "an integer", [DOC_FLOAT] = "a number", [DOC_STRING] = "a string",
		[DOC_ARRAY] = "a list", [DOC_OBJECT] = "a mapping",
	};
	return words[doc_type(doc, node)];
}

/* True when scalar node v equals one of the strings of the list at idx (or there is none). */
static bool schema_allows(lua_State *L, int idx, const struct doc *doc, uint32_t v)
{
	if (!lua_istable(L, idx))
		return true;
	char *text = doc_strdup(doc, v, NULL);
	bool found = false;
	for (lua_Integer i = 1; !found && text && i <= (lua_Integer)lua_rawlen(L, idx); i++) {
		lua_rawgeti(L, idx, i);
		found = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), text) == 0;
		lua_pop(L, 1);
	}
	free(text);
	return found;
}

/* Checks config value v of param key against the schema entry at top of stack (a type name,
 * or {type=, values=}); a misfit is a DIAG_USAGE at v's position in the config. */
static void check_param(lua_State *L, struct load_job *job, const struct doc *cdoc, uint32_t key,
                        uint32_t v)
{
	struct config *cfg = (struct config *)job->e->config;
	int entry = lua_gettop(L);
	const char *type = lua_isstring(L, entry) ? lua_tostring(L, entry) : NULL;
	lua_getfield(L, entry, "values"); /* stack: entry, values */
	if (lua_istable(L, entry)) {
		lua_getfield(L, entry, "type");
		type = lua_isstring(L, -1) ? lua_tostring(L, -1) : NULL;
	}
	unsigned bits = schema_type_bits(type), line, column;
	doc_position(&cfg->doc, doc_node(cdoc, v)->pos, &line, &column);
	char *name = doc_strdup(cdoc, key, NULL);
	if (type && bits && !(bits & 1u << doc_type(cdoc, v))) {
		diags_add(job->d, DIAG_USAGE, cfg->path, line, column, NULL,
		          "param '%s' of policy '%s' must be %s %s, not %s", name, job->p->info.id,
		          type[0] == 'i' ? "an" : "a", type, doc_type_word(cdoc, v));
	} else if (doc_type(cdoc, v) <= DOC_STRING && !schema_allows(L, entry + 1, cdoc, v)) {
		char *text = doc_strdup(cdoc, v, NULL);
		diags_add(job->d, DIAG_USAGE, cfg->path, line, column, NULL,
		          "invalid value '%s' for param '%s' of policy '%s'", text ? text : "", name,
		          job->p->info.id);
		free(text);
	}
	free(name);
	lua_settop(L, entry - 1);
}

/* Checks every key of config params object obj that the schema at idx describes. */
static void check_params(lua_State *L, struct load_job *job, int schema, uint32_t obj)
{
	const struct doc *cdoc = &job->e->config->doc;
	if (obj == DOC_NONE || doc_type(cdoc, obj) != DOC_OBJECT)
		return;
	for (uint32_t k = doc_first(cdoc, obj); k != DOC_NONE; k = doc_next(cdoc, obj, k + 1)) {
		char *name = doc_strdup(cdoc, k, NULL);
		lua_getfield(L, schema, name ? name : "");
		free(name);
		if (lua_isnil(L, -1))
			lua_pop(L, 1);
		else
			check_param(L, job, cdoc, k, k + 1);
	}
}

/* Validates the config's params for the policy (table at t) against its param_schema. */
static void validate_params(lua_State *L, struct load_job *job, int t)
{
	const struct config *cfg = job->e->config;
	lua_getfield(L, t, "param_schema");
	int schema = lua_gettop(L);
	if (cfg && job->d && lua_istable(L, schema)) {
		const struct config_policy *cp = config_policy_for(cfg, job->p->info.id);
		check_params(L, job, schema, cfg->params);
		check_params(L, job, schema, cp ? cp->params : DOC_NONE);
		check_params(L, job, schema, cfg->profile ? cfg->profile->params : DOC_NONE);
		cp = config_profile_policy_for(cfg, job->p->info.id);
		check_params(L, job, schema, cp ? cp->params : DOC_NONE);
	}
	lua_settop(L, schema - 1);
}

/* Builds ctx.params and the configured set for p from its defaults (the table at t). */
static void build_params(lua_State *L, struct engine *e, int t, struct policy *p)
{
	const struct config *cfg = e->config;
	lua_getfield(L, t, "params");
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_newtable(L);
	}
	int defaults = lua_gettop(L);
	lua_newtable(L);
	int eff = lua_gettop(L);
	lua_newtable(L);
	int conf = lua_gettop(L);
	lua_pushnil(L);
	while (lua_next(L, defaults)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, eff);
	}
	if (cfg) {
		merge_config_params(L, &cfg->doc, cfg->params, eff, conf);
		const struct config_policy *cp = config_policy_for(cfg, p->info.id);
		if (cp)
			merge_config_params(L, &cfg->doc, cp->params, eff, conf);
		if (cfg->profile)
			merge_config_params(L, &cfg->doc, cfg->profile->params, eff, conf);
		cp = config_profile_policy_for(cfg, p->info.id);
		if (cp)
			merge_config_params(L, &cfg->doc, cp->params, eff, conf);
	}
	luadoc_push_json(L, defaults);
	p->info.defaults_json = xstrdup(lua_tostring(L, -1));
	luadoc_push_json(L, eff);
	p->info.params_json = xstrdup(lua_tostring(L, -1));
	lua_pop(L, 2);
	p->ref_configured = luaL_ref(L, LUA_REGISTRYINDEX);
	p->ref_params = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_pop(L, 1);
}

static void apply_policy_entry(struct policy *p, const struct config_policy *cp)
{
	if (cp && cp->enabled >= 0)
		p->info.enabled = cp->enabled != 0;
	if (cp && cp->severity >= 0)
		p->info.severity = (enum severity)cp->severity;
}

/* The top-level entry of p, then the selected profile's entry over it. */
static void apply_config(struct engine *e, struct policy *p)
{
	p->info.enabled = true;
	if (!e->config)
		return;
	apply_policy_entry(p, config_policy_for(e->config, p->info.id));
	apply_policy_entry(p, config_profile_policy_for(e->config, p->info.id));
}

/* --- loading one policy --- */

static int push_chunk(lua_State *L, const struct candidate *c)
{
	if (c->b)
		return builtin_load(L, c->b);
	return luaL_loadfilex(L, c->path, "t");
}

/* Protected: loads, runs and validates one policy (argument: the job). */
static int load_protected(lua_State *L)
{
	struct load_job *job = lua_touserdata(L, 1);
	struct sandbox *sb = sandbox_from(L);
	if (push_chunk(L, job->c) != LUA_OK) {
		sandbox_error_parse(&job->err, lua_tostring(L, -1));
		job->failed = true;
		return 0;
	}
	sandbox_new_env(L);
	push_module_cache(L, job->e, job->c->b != NULL);
	lua_newtable(L);
	push_require(L, -2, -1);
	lua_setfield(L, -4, "require");
	lua_pop(L, 2);
	lua_setupvalue(L, -2, 1);
	if (!sandbox_pcall(sb, 0, 1, &job->err)) {
		job->failed = true;
		return 0;
	}
	int t = lua_gettop(L);
	if (!lua_istable(L, t)) {
		bad(job, NULL, xasprintf("policy must return a table, got %s", luaL_typename(L, t)));
		return 0;
	}
	if (!check_fields(L, t, job))
		return 0;
	read_metadata(L, t, job->p);
	apply_config(job->e, job->p);
	build_params(L, job->e, t, job->p);
	validate_params(L, job, t);
	lua_pushvalue(L, t);
	job->p->ref_table = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

static bool is_ident(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The line of the first `field =` in src (a metadata error points there), else 1. */
static unsigned field_line(const char *src, const char *field)
{
	size_t flen = strlen(field);
	unsigned line = 1;
	for (const char *p = src; *p; p++) {
		if (*p == '\n') {
			line++;
			continue;
		}
		if (strncmp(p, field, flen) != 0 || (p > src && is_ident(p[-1])) || is_ident(p[flen]))
			continue;
		const char *q = p + flen;
		while (*q == ' ' || *q == '\t')
			q++;
		if (q[0] == '=' && q[1] != '=')
			return line;
	}
	return 1;
}

static unsigned bad_field_line(const struct candidate *c, const char *field)
{
	if (!field)
		return 1;
	if (c->b)
		return field_line(c->b->source, field);
	char *src = NULL;
	FILE *f = fopen(c->path, "rb");
	if (f) {
		struct buf b = BUF_INIT;
		char chunk[4096];
		size_t n;
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			buf_add(&b, chunk, n);
		fclose(f);
		src = buf_detach(&b);
	}
	unsigned line = src ? field_line(src, field) : 1;
	free(src);
	return line;
}

void policyload_report(const struct policy *p, const char *what, struct sandbox_error *err,
                       struct diags *d)
{
	const char *file = err->file ? err->file : p->info.file;
	/* Lua shortens long chunk names to "...tail": give the policy's path back. */
	if (err->file && strncmp(err->file, "...", 3) == 0 && ends_with(p->info.file, err->file + 3))
		file = p->info.file;
	diags_add(d, DIAG_POLICY, file, err->line, 0, p->info.id, "error while %s: %s%s%s", what,
	          err->message, err->traceback ? "\n" : "",
	          err->traceback ? err->traceback : "");
}

void policyload_free(struct engine *e, struct policy *p)
{
	struct policy_info *in = &p->info;
	free((char *)in->id);
	free((char *)in->file);
	free((char *)in->title);
	free((char *)in->description);
	free((char *)in->remediation);
	free((char *)in->tags);
	free((char *)in->types);
	free((char *)in->references);
	free((char *)in->params_json);
	free((char *)in->defaults_json);
	for (size_t i = 0; i < p->nglobs; i++)
		free(p->globs[i]);
	free(p->globs);
	if (e->sb.L) {
		luaL_unref(e->sb.L, LUA_REGISTRYINDEX, p->ref_table);
		luaL_unref(e->sb.L, LUA_REGISTRYINDEX, p->ref_params);
		luaL_unref(e->sb.L, LUA_REGISTRYINDEX, p->ref_configured);
	}
	memset(p, 0, sizeof *p);
}

/* The SHA-256 of the policy text: the embedded source of a built-in, else the file. */
static void hash_source(const struct candidate *c, char out[SHA256_HEX])
{
	out[0] = '\0';
	if (c->b) {
		memcpy(out, c->b->sha256, SHA256_HEX);
		return;
	}
	FILE *f = fopen(c->path, "rb");
	if (!f)
		return;
	struct buf data = BUF_INIT;
	char chunk[16384];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&data, chunk, got);
	if (!ferror(f))
		sha256_hex(buf_str(&data), data.len, out);
	fclose(f);
	buf_free(&data);
}

/* Loads candidate c into p; false (with a diagnostic) when it cannot be used. */
static bool load_one(struct engine *e, const struct candidate *c, struct policy *p,
                     struct diags *d)
{
	memset(p, 0, sizeof *p);
	p->info.id = xstrdup(c->id);
	p->info.file = xstrdup(c->path);
	p->info.builtin = c->b != NULL;
	hash_source(c, p->info.sha256);
	p->ref_table = p->ref_params = p->ref_configured = LUA_NOREF;
	struct load_job job = {.e = e, .c = c, .p = p, .d = d};
	lua_State *L = e->sb.L;
	sandbox_begin(&e->sb, e->budget, e->timeout);
	lua_pushcfunction(L, load_protected);
	lua_pushlightuserdata(L, &job);
	struct sandbox_error err;
	bool ok = sandbox_pcall(&e->sb, 1, 0, &err);
	if (!ok || job.failed) {
		policyload_report(p, "loading", job.failed ? &job.err : &err, d);
	} else if (job.bad_message) {
		diags_add(d, DIAG_POLICY, c->path, bad_field_line(c, job.bad_field), 0, c->id, "%s",
		          job.bad_message);
	}
	bool loaded = ok && !job.failed && !job.bad_message;
	sandbox_error_free(&err);
	sandbox_error_free(&job.err);
	free(job.bad_message);
	if (!loaded)
		policyload_free(e, p);
	return loaded;
}

void policyload_all(struct engine *e, struct diags *d)
{
	struct candidates cs = {NULL, 0, 0};
	gather(e, &cs, d);
	e->policies = xcalloc(cs.n + 1, sizeof *e->policies);
	for (size_t i = 0; i < cs.n; i++) {
		if (load_one(e, &cs.v[i], &e->policies[e->npolicies], d))
			e->npolicies++;
		free(cs.v[i].id);
		free(cs.v[i].path);
	}
	free(cs.v);
}
