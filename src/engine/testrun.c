/*
 * Running one policy alone, for `moongate test` (see testrun.h). The run indexes are built
 * for the one policy; parameter overrides swap the policy's ctx.params reference for a
 * merged copy during the run and put it back afterwards.
 */
#include "engine/testrun.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>

#include "engine/engine_int.h"
#include "engine/sandbox.h"
#include "util/xalloc.h"

static struct policy *find_policy(struct engine *e, const char *id)
{
	for (size_t i = 0; i < e->npolicies; i++) {
		if (strcmp(e->policies[i].info.id, id) == 0)
			return &e->policies[i];
	}
	return NULL;
}

static bool past(const struct timespec *deadline)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec != deadline->tv_sec ? now.tv_sec > deadline->tv_sec
	                                      : now.tv_nsec > deadline->tv_nsec;
}

/* Runs p under its own budgets. Called from a Lua test, the budgets of the test itself are
 * put back afterwards, so a test that calls run() in a loop still meets its deadline. */
static void run_alone(struct engine *e, struct policy *p, struct model *m, struct findings *out,
                      struct diags *d)
{
	struct run run;
	struct run *outer = e->run;
	struct sandbox saved = e->sb;
	lua_Hook hook = lua_gethook(e->sb.L);
	int mask = lua_gethookmask(e->sb.L), count = lua_gethookcount(e->sb.L);
	run_init(&run, e, m, out, d);
	e->run = &run;
	run_policy(e, &run, p);
	rtable_free_run(e->sb.L, &run);
	e->run = outer;
	run_free(&run);
	e->sb.count = saved.count;
	e->sb.budget = saved.budget;
	e->sb.timeout = saved.timeout;
	e->sb.deadline = saved.deadline;
	e->sb.tripped = saved.tripped; /* a policy's overrun is its own error, not the test's */
	lua_sethook(e->sb.L, hook, mask, count);
	if (outer == NULL && past(&saved.deadline)) {
		/* the test's own deadline: a loop of short runs resets the instruction counter */
		e->sb.tripped = SANDBOX_TIMEOUT;
		lua_sethook(e->sb.L, hook, LUA_MASKCOUNT, 1);
	}
}

bool engine_run_only(struct engine *e, const char *id, struct model *m, struct findings *out,
                     struct diags *d)
{
	struct policy *p = e->sb.L ? find_policy(e, id) : NULL;
	if (!p)
		return false;
	if (p->info.enabled)
		run_alone(e, p, m, out, d);
	return true;
}

/* Pushes a copy of the registry table ref with every key of the table at over set on top:
 * to its value (values) or to true (a set of names). */
static void push_merged(lua_State *L, int ref, int over, bool values)
{
	lua_newtable(L);
	int merged = lua_gettop(L);
	lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
	if (lua_istable(L, -1)) {
		lua_pushnil(L);
		while (lua_next(L, -2)) { /* stack: merged, base, k, v */
			lua_pushvalue(L, -2);
			lua_insert(L, -2);
			lua_rawset(L, merged);
		}
	}
	lua_pop(L, 1);
	lua_pushnil(L);
	while (lua_next(L, over)) {
		if (!values) {
			lua_pop(L, 1);
			lua_pushboolean(L, 1);
		}
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, merged);
	}
}

bool engine_run_only_params(struct engine *e, const char *id, int params_idx, struct model *m,
                            struct findings *out, struct diags *d)
{
	lua_State *L = e->sb.L;
	struct policy *p = L ? find_policy(e, id) : NULL;
	if (!p)
		return false;
	if (!p->info.enabled)
		return true;
	if (lua_type(L, params_idx) != LUA_TTABLE) {
		run_alone(e, p, m, out, d);
		return true;
	}
	/* parameters given to a test count as configured ones (ctx.configured) */
	params_idx = lua_absindex(L, params_idx);
	int saved_params = p->ref_params, saved_configured = p->ref_configured;
	push_merged(L, p->ref_params, params_idx, true);
	push_merged(L, p->ref_configured, params_idx, false);
	p->ref_configured = luaL_ref(L, LUA_REGISTRYINDEX);
	p->ref_params = luaL_ref(L, LUA_REGISTRYINDEX);
	run_alone(e, p, m, out, d);
	luaL_unref(L, LUA_REGISTRYINDEX, p->ref_params);
	luaL_unref(L, LUA_REGISTRYINDEX, p->ref_configured);
	p->ref_params = saved_params;
	p->ref_configured = saved_configured;
	return true;
}

void engine_set_line_hook(struct engine *e, engine_line_fn fn, void *ud)
{
	e->sb.line_hook = fn;
	e->sb.line_ud = ud;
}

lua_State *engine_lua(struct engine *e)
{
	return e->sb.L;
}

void engine_push_env(struct engine *e)
{
	sandbox_new_env(e->sb.L);
}

bool engine_pcall(struct engine *e, int nargs, int nresults, struct sandbox_error *err)
{
	sandbox_begin(&e->sb, e->budget, e->timeout);
	return sandbox_pcall(&e->sb, nargs, nresults, err);
}

#define WALK_DEPTH 16

struct code_lines {
	const struct policy *p;
	char *source;   /* "@file" */
	bool *lines;
	size_t n, cap;
};

/* Adds the active lines of the function at idx when it comes from the policy's file. */
static void add_function_lines(lua_State *L, int idx, struct code_lines *cl)
{
	lua_Debug ar;
	lua_pushvalue(L, idx);
	lua_getinfo(L, ">SL", &ar); /* stack: activelines (or nil for C functions) */
	if (lua_istable(L, -1) && strcmp(ar.source, cl->source) == 0) {
		lua_pushnil(L);
		while (lua_next(L, -2)) {
			lua_Integer line = lua_tointeger(L, -2);
			if (line > 0 && line < 10000000) {
				size_t need = (size_t)line + 1;
				if (need > cl->n) {
					xgrow((void **)&cl->lines, &cl->cap, need, sizeof *cl->lines);
					memset(cl->lines + cl->n, 0, (need - cl->n) * sizeof *cl->lines);
					cl->n = need;
				}
				cl->lines[line] = true;
			}
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
}

/* Visits the value at idx: functions (their lines and upvalues) and tables (keys and
 * values), each once; the table at seen records the visited ones. */
static void walk_value(lua_State *L, int idx, int seen, struct code_lines *cl, int depth)
{
	int type = lua_type(L, idx);
	if ((type != LUA_TFUNCTION && type != LUA_TTABLE) || depth > WALK_DEPTH)
		return;
	idx = lua_absindex(L, idx);
	lua_pushvalue(L, idx);
	if (lua_rawget(L, seen) != LUA_TNIL) {
		lua_pop(L, 1);
		return;
	}
	lua_pop(L, 1);
	lua_pushvalue(L, idx);
	lua_pushboolean(L, 1);
	lua_rawset(L, seen);
	if (type == LUA_TFUNCTION) {
		add_function_lines(L, idx, cl);
		for (int i = 1; lua_getupvalue(L, idx, i) != NULL; i++) {
			walk_value(L, -1, seen, cl, depth + 1);
			lua_pop(L, 1);
		}
		return;
	}
	lua_pushnil(L);
	while (lua_next(L, idx)) { /* stack: k, v */
		walk_value(L, -2, seen, cl, depth + 1);
		walk_value(L, -1, seen, cl, depth + 1);
		lua_pop(L, 1);
	}
}

/* Protected: the main chunk's lines, then every function reachable from the table. */
static int code_lines_protected(lua_State *L)
{
	struct code_lines *cl = lua_touserdata(L, 1);
	lua_newtable(L);
	int seen = lua_gettop(L);
	if (luaL_loadfilex(L, cl->p->info.file, "t") == LUA_OK)
		add_function_lines(L, -1, cl);
	lua_pop(L, 1);
	lua_rawgeti(L, LUA_REGISTRYINDEX, cl->p->ref_table);
	walk_value(L, -1, seen, cl, 0);
	return 0;
}

bool engine_code_lines(struct engine *e, const char *id, bool **lines, size_t *n)
{
	struct policy *p = e->sb.L ? find_policy(e, id) : NULL;
	*lines = NULL;
	*n = 0;
	if (!p)
		return false;
	struct code_lines cl = {.p = p, .source = xasprintf("@%s", p->info.file)};
	lua_State *L = e->sb.L;
	void (*hook)(void *, lua_State *, lua_Debug *) = e->sb.line_hook;
	e->sb.line_hook = NULL; /* walking is not running the policy */
	lua_pushcfunction(L, code_lines_protected);
	lua_pushlightuserdata(L, &cl);
	struct sandbox_error err;
	if (!engine_pcall(e, 1, 0, &err))
		sandbox_error_free(&err);
	e->sb.line_hook = hook;
	free(cl.source);
	*lines = cl.lines;
	*n = cl.n;
	return true;
}
