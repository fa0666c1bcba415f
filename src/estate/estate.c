/*
 * Collecting the estate: the model's resources and the egress findings go into the engine's
 * sandbox as plain tables, the Lua program of estate_lua.c turns them into cells, vendors and
 * flows with the policy library's data, and the result comes back into C structs. Shares,
 * the HHI and the effective number of vendors are computed here from the returned weights.
 * Then the metadata: inputs, policies with the SHA-256 of their source, version and time.
 */
#include "estate/estate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lua.h>

#include "engine/builtin.h"
#include "engine/luadoc.h"
#include "engine/sandbox.h"
#include "engine/testrun.h"
#include "estate/estate_lua.h"
#include "util/xalloc.h"

#ifndef MOONGATE_VERSION
#define MOONGATE_VERSION "0.0.0"
#endif

#define CLOUD_POLICY "concentration/cloud-provider"
#define MODULE_CACHE "moongate.estate.modules"

/* What the protected call works on. */
struct job {
	struct engine *e;
	struct model *m;
	const struct findings *fs;
	struct estate *es;
};

/* --- into Lua --- */

static void set_string(lua_State *L, const char *key, const char *value)
{
	if (!value)
		return;
	lua_pushstring(L, value);
	lua_setfield(L, -2, key);
}

static const char *region_state_name(enum region_state s)
{
	return s == REGION_KNOWN ? "known" : s == REGION_UNKNOWN ? "unknown" : "none";
}

/* Pushes the list of resources: address, type, cloud, region, region_state, mode,
 * destroyed (a plan deletes it without creating it again). */
static void push_resources(lua_State *L, const struct model *m)
{
	lua_createtable(L, (int)m->nresources, 0);
	for (size_t i = 0; i < m->nresources; i++) {
		const struct model_resource *r = &m->resources[i];
		lua_createtable(L, 0, 8);
		set_string(L, "address", r->address);
		set_string(L, "type", r->type);
		set_string(L, "cloud", r->cloud);
		set_string(L, "region", r->region);
		set_string(L, "region_state", region_state_name(r->region_state));
		set_string(L, "mode", r->mode);
		lua_pushboolean(L, (r->actions & ACTION_DELETE) && !(r->actions & ACTION_CREATE));
		lua_setfield(L, -2, "destroyed");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

/* Pushes the egress findings that name a resource and were decided (not cannot-verify). */
static void push_findings(lua_State *L, const struct findings *fs)
{
	lua_newtable(L);
	lua_Integer n = 0;
	for (size_t i = 0; fs && i < fs->n; i++) {
		const struct finding *f = &fs->v[i];
		if (!f->policy || strncmp(f->policy, "egress/", 7) != 0 || !f->resource ||
		    f->cannot_verify)
			continue;
		lua_createtable(L, 0, 3);
		set_string(L, "policy", f->policy);
		set_string(L, "resource", f->resource);
		set_string(L, "message", f->message ? f->message : "");
		lua_rawseti(L, -2, ++n);
	}
}

/* host.values(i): the attributes of resource i (1-based) as Lua tables, or nil. */
static int host_values(lua_State *L)
{
	struct job *job = lua_touserdata(L, lua_upvalueindex(1));
	lua_Integer i = luaL_checkinteger(L, 1);
	if (i < 1 || (size_t)i > job->m->nresources)
		return 0;
	const struct model_resource *r = &job->m->resources[i - 1];
	luadoc_push(L, model_doc(job->m, r), r->values, r->unknown);
	return 1;
}

static const char *cloud_params(struct engine *e)
{
	for (size_t i = 0; i < engine_policy_count(e); i++) {
		const struct policy_info *p = engine_policy(e, i);
		if (strcmp(p->id, CLOUD_POLICY) == 0)
			return p->params_json;
	}
	return NULL;
}

static void push_host(lua_State *L, struct job *job)
{
	lua_createtable(L, 0, 4);
	push_resources(L, job->m);
	lua_setfield(L, -2, "resources");
	push_findings(L, job->fs);
	lua_setfield(L, -2, "findings");
	set_string(L, "cloud_params", cloud_params(job->e));
	lua_pushlightuserdata(L, job);
	lua_pushcclosure(L, host_values, 1);
	lua_setfield(L, -2, "values");
}

/* --- require: lib.* modules of the built-in library, each run once in its own _ENV --- */

static void set_require(lua_State *L, int cache);

/* require(name); upvalue 1 is the module cache. */
static int estate_require(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	if (strncmp(name, "lib.", 4) != 0 || strchr(name, '/'))
		return luaL_error(L, "module '%s' not found: only lib.* modules can be required", name);
	if (lua_getfield(L, lua_upvalueindex(1), name) != LUA_TNIL)
		return 1;
	lua_pop(L, 1);
	const char *id = luaL_gsub(L, name, ".", "/");
	const struct mg_builtin *b = builtin_find(id);
	if (!b)
		return luaL_error(L, "module '%s' not found in the built-in library", name);
	if (builtin_load(L, b) != LUA_OK)
		return lua_error(L);
	sandbox_new_env(L);
	set_require(L, lua_upvalueindex(1));
	lua_setupvalue(L, -2, 1);
	lua_call(L, 0, 1);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushboolean(L, 1);
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, lua_upvalueindex(1), name);
	return 1;
}

/* Sets require (sharing the cache at index cache) in the table on top. */
static void set_require(lua_State *L, int cache)
{
	lua_pushvalue(L, cache);
	lua_pushcclosure(L, estate_require, 1);
	lua_setfield(L, -2, "require");
}

/* --- out of Lua --- */

/* A copy of t[key] when it is a string (or a number), else NULL. */
static char *get_string(lua_State *L, int t, const char *key)
{
	char *s = NULL;
	int type = lua_getfield(L, t, key);
	if (type == LUA_TSTRING || type == LUA_TNUMBER)
		s = xstrdup(lua_tostring(L, -1));
	lua_pop(L, 1);
	return s;
}

static double get_number(lua_State *L, int t, const char *key, double absent)
{
	lua_getfield(L, t, key);
	double v = lua_type(L, -1) == LUA_TNUMBER ? lua_tonumber(L, -1) : absent;
	lua_pop(L, 1);
	return v;
}

/* Pushes result[key] and returns its length (0 when it is not a table). */
static size_t get_list(lua_State *L, int t, const char *key)
{
	if (lua_getfield(L, t, key) != LUA_TTABLE)
		return 0;
	return (size_t)lua_rawlen(L, -1);
}

static void read_cells(lua_State *L, int result, struct estate *es)
{
	size_t n = get_list(L, result, "cells");
	es->cells = xcalloc(n ? n : 1, sizeof *es->cells);
	for (size_t i = 0; i < n; i++) {
		lua_rawgeti(L, -1, (lua_Integer)i + 1);
		int t = lua_gettop(L);
		struct estate_cell *c = &es->cells[es->ncells++];
		c->jurisdiction = get_string(L, t, "jurisdiction");
		c->cloud = get_string(L, t, "cloud");
		c->region = get_string(L, t, "region");
		c->location = get_string(L, t, "location");
		c->country = get_string(L, t, "country");
		c->resources = (size_t)get_number(L, t, "resources", 0);
		c->ai = (size_t)get_number(L, t, "ai", 0);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

static void read_vendors(lua_State *L, int result, const char *key, struct estate_shares *s)
{
	size_t n = get_list(L, result, key);
	s->v = xcalloc(n ? n : 1, sizeof *s->v);
	for (size_t i = 0; i < n; i++) {
		lua_rawgeti(L, -1, (lua_Integer)i + 1);
		int t = lua_gettop(L);
		struct estate_vendor *v = &s->v[s->n++];
		v->key = get_string(L, t, "key");
		v->name = get_string(L, t, "name");
		v->clouds = get_string(L, t, "clouds");
		v->count = (size_t)get_number(L, t, "count", 0);
		v->weight = get_number(L, t, "weight", 0);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

static void read_flow_resources(lua_State *L, int t, struct estate_flow *f)
{
	size_t n = get_list(L, t, "resources");
	f->resources = xcalloc(n ? n : 1, sizeof *f->resources);
	for (size_t i = 0; i < n; i++) {
		lua_rawgeti(L, -1, (lua_Integer)i + 1);
		if (lua_type(L, -1) == LUA_TSTRING)
			f->resources[f->nresources++] = xstrdup(lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

static void read_flows(lua_State *L, int result, struct estate *es)
{
	size_t n = get_list(L, result, "flows");
	es->flows = xcalloc(n ? n : 1, sizeof *es->flows);
	for (size_t i = 0; i < n; i++) {
		lua_rawgeti(L, -1, (lua_Integer)i + 1);
		int t = lua_gettop(L);
		struct estate_flow *f = &es->flows[es->nflows++];
		f->from_cloud = get_string(L, t, "from_cloud");
		f->from_region = get_string(L, t, "from_region");
		f->to_cloud = get_string(L, t, "to_cloud");
		f->to_region = get_string(L, t, "to_region");
		f->host = get_string(L, t, "host");
		f->service = get_string(L, t, "service");
		f->kind = get_string(L, t, "kind");
		f->policy = get_string(L, t, "policy");
		f->price = get_string(L, t, "price");
		f->usd_per_gb = get_number(L, t, "usd_per_gb", -1);
		f->count = (size_t)get_number(L, t, "count", 0);
		read_flow_resources(L, t, f);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

/* Protected: runs the program in a fresh _ENV and reads its result into job->es. Every
 * string is stored in the estate as soon as it is copied, so an error leaks nothing. */
static int collect_protected(lua_State *L)
{
	struct job *job = lua_touserdata(L, 1);
	lua_newtable(L);
	int cache = lua_gettop(L);
	if (luaL_loadbufferx(L, estate_lua_source, strlen(estate_lua_source), "=estate", "t") !=
	    LUA_OK)
		return lua_error(L);
	sandbox_new_env(L);
	set_require(L, cache);
	lua_setupvalue(L, -2, 1);
	push_host(L, job);
	lua_call(L, 1, 1);
	if (!lua_istable(L, -1))
		return luaL_error(L, "the estate program returned no table");
	int result = lua_gettop(L);
	read_cells(L, result, job->es);
	read_vendors(L, result, "clouds", &job->es->clouds);
	read_vendors(L, result, "models", &job->es->models);
	read_flows(L, result, job->es);
	return 0;
}

/* --- ordering and shares --- */

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_cell(const void *pa, const void *pb)
{
	const struct estate_cell *a = pa, *b = pb;
	int c = cmp_str(a->jurisdiction, b->jurisdiction);
	if (c == 0)
		c = cmp_str(a->cloud, b->cloud);
	return c ? c : cmp_str(a->region, b->region);
}

static int cmp_vendor(const void *pa, const void *pb)
{
	const struct estate_vendor *a = pa, *b = pb;
	if (a->weight != b->weight)
		return a->weight < b->weight ? 1 : -1;
	return cmp_str(a->key, b->key);
}

static int cmp_flow(const void *pa, const void *pb)
{
	const struct estate_flow *a = pa, *b = pb;
	const char *ka[] = {a->from_cloud, a->from_region, a->to_cloud, a->to_region, a->host,
	                    a->service, a->policy};
	const char *kb[] = {b->from_cloud, b->from_region, b->to_cloud, b->to_region, b->host,
	                    b->service, b->policy};
	for (size_t i = 0; i < sizeof ka / sizeof ka[0]; i++) {
		int c = cmp_str(ka[i], kb[i]);
		if (c)
			return c;
	}
	return 0;
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Shares, HHI = sum of (100 x share)^2 and effective number = 10,000 / HHI. */
static void compute_shares(struct estate_shares *s)
{
	qsort(s->v, s->n, sizeof *s->v, cmp_vendor);
	s->total = 0;
	for (size_t i = 0; i < s->n; i++)
		s->total += s->v[i].weight;
	s->hhi = 0;
	for (size_t i = 0; s->total > 0 && i < s->n; i++) {
		s->v[i].share = s->v[i].weight / s->total;
		s->hhi += (100 * s->v[i].share) * (100 * s->v[i].share);
	}
	s->effective = s->hhi > 0 ? 10000 / s->hhi : 0;
}

static void finish(struct estate *es)
{
	qsort(es->cells, es->ncells, sizeof *es->cells, cmp_cell);
	for (size_t i = 0; i < es->ncells; i++) {
		es->resources += es->cells[i].resources;
		es->ai += es->cells[i].ai;
	}
	compute_shares(&es->clouds);
	compute_shares(&es->models);
	qsort(es->flows, es->nflows, sizeof *es->flows, cmp_flow);
	for (size_t i = 0; i < es->nflows; i++)
		qsort(es->flows[i].resources, es->flows[i].nresources, sizeof(char *), cmp_strp);
}

/* --- metadata --- */

static void collect_metadata(struct estate *es, struct engine *e, const struct model *m,
                             const char *config)
{
	es->inputs = xcalloc(m->ninputs ? m->ninputs : 1, sizeof *es->inputs);
	for (size_t i = 0; i < m->ninputs; i++) {
		const struct model_input *in = m->inputs[i];
		es->inputs[i].path = xstrdup(in->doc.src.path ? in->doc.src.path : "-");
		es->inputs[i].format = xstrdup(model_format_name(in->format));
		es->inputs[i].resources = in->resource_count;
	}
	es->ninputs = m->ninputs;
	size_t np = e ? engine_policy_count(e) : 0;
	es->policies = xcalloc(np ? np : 1, sizeof *es->policies);
	for (size_t i = 0; i < np; i++) {
		const struct policy_info *p = engine_policy(e, i);
		struct estate_policy *ep = &es->policies[es->npolicies++];
		ep->id = xstrdup(p->id);
		ep->file = xstrdup(p->file);
		ep->builtin = p->builtin;
		ep->enabled = p->enabled;
		ep->hash = p->sha256[0] ? xasprintf("sha256:%s", p->sha256) : NULL;
	}
	es->config = config ? xstrdup(config) : NULL;
	es->version = xstrdup(MOONGATE_VERSION);
}

/* SOURCE_DATE_EPOCH (reproducible builds) when it is a valid number of seconds. */
static void collect_time(struct estate *es)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *end = NULL;
		errno = 0;
		long long v = strtoll(sde, &end, 10);
		if (!errno && end && !*end && v >= 0 && v < 253402300800LL) {
			es->time = v;
			es->time_fixed = true;
			return;
		}
	}
	es->time = (long long)time(NULL);
}

bool estate_collect(struct estate *es, struct engine *e, struct model *m,
                    const struct findings *fs, const char *config, struct diags *d)
{
	memset(es, 0, sizeof *es);
	es->findings = fs;
	collect_metadata(es, e, m, config);
	collect_time(es);
	lua_State *L = e ? engine_lua(e) : NULL;
	bool ok = false;
	if (L) {
		struct job job = {e, m, fs, es};
		struct sandbox_error err;
		lua_pushcfunction(L, collect_protected);
		lua_pushlightuserdata(L, &job);
		ok = engine_pcall(e, 1, 0, &err);
		if (!ok) {
			diags_add(d, DIAG_POLICY, err.file, err.line, 0, NULL,
			          "cannot compute the estate: %s", err.message ? err.message : "?");
			sandbox_error_free(&err);
		}
	} else {
		diags_add(d, DIAG_POLICY, NULL, 0, 0, NULL,
		          "cannot compute the estate: the policy sandbox is not running");
	}
	finish(es);
	return ok;
}

static void free_shares(struct estate_shares *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].key);
		free(s->v[i].name);
		free(s->v[i].clouds);
	}
	free(s->v);
}

static void free_flow(struct estate_flow *f)
{
	char *strings[] = {f->from_cloud, f->from_region, f->to_cloud, f->to_region, f->host,
	                   f->service, f->kind, f->policy, f->price};
	for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
		free(strings[i]);
	for (size_t i = 0; i < f->nresources; i++)
		free(f->resources[i]);
	free(f->resources);
}

void estate_free(struct estate *es)
{
	for (size_t i = 0; i < es->ncells; i++) {
		struct estate_cell *c = &es->cells[i];
		free(c->jurisdiction);
		free(c->cloud);
		free(c->region);
		free(c->location);
		free(c->country);
	}
	free(es->cells);
	free_shares(&es->clouds);
	free_shares(&es->models);
	for (size_t i = 0; i < es->nflows; i++)
		free_flow(&es->flows[i]);
	free(es->flows);
	for (size_t i = 0; i < es->ninputs; i++) {
		free(es->inputs[i].path);
		free(es->inputs[i].format);
	}
	free(es->inputs);
	for (size_t i = 0; i < es->npolicies; i++) {
		free(es->policies[i].id);
		free(es->policies[i].file);
		free(es->policies[i].hash);
	}
	free(es->policies);
	free(es->config);
	free(es->version);
	memset(es, 0, sizeof *es);
}

void estate_area(const char *policy, char *out, size_t size)
{
	const char *slash = policy ? strchr(policy, '/') : NULL;
	size_t len = slash ? (size_t)(slash - policy) : (policy ? strlen(policy) : 0);
	if (size == 0)
		return;
	if (len >= size)
		len = size - 1;
	memcpy(out, policy ? policy : "", len);
	out[len] = '\0';
}

void estate_time_iso(const struct estate *es, char *out, size_t size)
{
	time_t t = (time_t)es->time;
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, size, "%lld", es->time);
}
