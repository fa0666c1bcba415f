/*
 * Lua test files: <id>_test.lua runs in a sandboxed environment like a policy's, with the
 * helpers of the built-in library module lib/testing (input builders and expectations) and
 * one host function, run(policy, inputs, params), that loads the inputs through the normal
 * loaders and runs one policy alone. The file returns a table of test functions (or defines
 * global functions named test_*); each one is a test, in the order they are defined.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>

#include "engine/builtin.h"
#include "engine/luadoc.h"
#include "engine/testrun.h"
#include "load/load.h"
#include "testing/ptest_int.h"
#include "util/xalloc.h"

#define BOX_META "moongate.testrun"
#define TESTING_MODULE "lib/testing"

struct lua_job {
	struct engine *e;
	const struct ptest_options *o;
	const char *policy, *path;
	struct ptest_report *r;
};

/* What one run() holds while Lua values are built from it; __gc frees it on an error. */
struct run_box {
	struct model m;
	struct findings f;
	struct diags d;
};

static void box_clear(struct run_box *b)
{
	model_free(&b->m);
	findings_free(&b->f);
	diags_free(&b->d);
	model_init(&b->m);
	b->f = (struct findings)FINDINGS_INIT;
	b->d = (struct diags)DIAGS_INIT;
}

static int box_gc(lua_State *L)
{
	struct run_box *b = luaL_checkudata(L, 1, BOX_META);
	box_clear(b);
	model_free(&b->m);
	return 0;
}

static struct run_box *push_box(lua_State *L)
{
	struct run_box *b = lua_newuserdatauv(L, sizeof *b, 0);
	memset(b, 0, sizeof *b);
	model_init(&b->m);
	b->d = (struct diags)DIAGS_INIT;
	if (luaL_newmetatable(L, BOX_META)) {
		lua_pushcfunction(L, box_gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_setmetatable(L, -2);
	return b;
}

/* Raises the first error of d (input or policy) as a Lua error without a position. */
static void raise_diags(lua_State *L, const struct diags *d, const char *what)
{
	for (size_t i = 0; i < d->n; i++) {
		if (d->v[i].kind == DIAG_WARNING)
			continue;
		char *msg = diag_format(&d->v[i]);
		lua_pushfstring(L, "%s: %s", what, msg);
		free(msg);
		lua_error(L);
	}
}

static void set_string(lua_State *L, const char *key, const char *value)
{
	if (!value)
		return;
	lua_pushstring(L, value);
	lua_setfield(L, -2, key);
}

static void push_finding(lua_State *L, const struct finding *f)
{
	lua_createtable(L, 0, 8);
	set_string(L, "policy", f->policy);
	set_string(L, "severity", severity_name(f->severity));
	set_string(L, "message", f->message);
	set_string(L, "resource", f->resource);
	set_string(L, "type", f->type);
	set_string(L, "path", f->path);
	if (f->line) {
		lua_pushinteger(L, f->line);
		lua_setfield(L, -2, "line");
	}
	lua_pushboolean(L, f->cannot_verify);
	lua_setfield(L, -2, "cannot_verify");
}

/* Loads every {name = ..., doc = table} of the list at idx into the box's model. */
static void load_inputs(lua_State *L, int idx, struct run_box *b)
{
	lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, idx, i);
		lua_getfield(L, -1, "name");
		const char *name = luaL_optstring(L, -1, "input.json");
		lua_getfield(L, -2, "doc");
		luadoc_push_json(L, -1);
		size_t len;
		const char *text = lua_tolstring(L, -1, &len);
		load_buffer(&b->m, name, text, len, NULL);
		lua_pop(L, 4);
	}
}

/* host.run(policy, inputs, params) -> list of finding tables; raises on an input or policy
 * error. */
static int host_run(lua_State *L)
{
	struct lua_job *job = lua_touserdata(L, lua_upvalueindex(1));
	const char *policy = luaL_checkstring(L, 1);
	luaL_checktype(L, 2, LUA_TTABLE);
	struct run_box *b = push_box(L);
	load_inputs(L, 2, b);
	raise_diags(L, &b->m.diags, "invalid input");
	if (!engine_run_only_params(job->e, policy, 3, &b->m, &b->f, &b->d))
		return luaL_error(L, "no policy '%s' is loaded from this root", policy);
	raise_diags(L, &b->d, "policy error");
	findings_sort(&b->f);
	lua_createtable(L, (int)b->f.n, 0);
	for (size_t i = 0; i < b->f.n; i++) {
		push_finding(L, &b->f.v[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	box_clear(b);
	return 1;
}

/* Pushes the control table of lib/testing run in the environment at env. */
static void push_helpers(lua_State *L, struct lua_job *job, int env)
{
	const struct mg_builtin *m = builtin_find(TESTING_MODULE);
	if (!m)
		luaL_error(L, "the built-in library has no %s module", TESTING_MODULE);
	if (builtin_load(L, m) != LUA_OK)
		lua_error(L);
	lua_pushvalue(L, env);
	lua_setupvalue(L, -2, 1);
	lua_newtable(L);
	lua_pushlightuserdata(L, job);
	lua_pushcclosure(L, host_run, 1);
	lua_setfield(L, -2, "run");
	lua_call(L, 1, 1);
}

/* One test function found in the file. */
struct lua_test {
	char *name;
	int line;
};

static int cmp_test(const void *a, const void *b)
{
	const struct lua_test *x = a, *y = b;
	return x->line != y->line ? (x->line > y->line) - (x->line < y->line)
	                          : strcmp(x->name, y->name);
}

/* Moves the test functions of the table at t into the table at list (name -> function) and
 * returns them sorted by line; with prefix, only names starting with it. */
static struct lua_test *collect(lua_State *L, int t, const char *prefix, size_t *n)
{
	struct lua_test *v = xcalloc(1, sizeof *v);
	size_t cap = 1;
	*n = 0;
	lua_pushnil(L);
	while (lua_next(L, t)) {
		bool named = lua_type(L, -2) == LUA_TSTRING &&
		             strncmp(lua_tostring(L, -2), prefix, strlen(prefix)) == 0;
		if (named && lua_type(L, -1) == LUA_TFUNCTION) {
			lua_Debug ar;
			lua_pushvalue(L, -1);
			lua_getinfo(L, ">S", &ar);
			xgrow((void **)&v, &cap, *n + 1, sizeof *v);
			v[*n].name = xstrdup(lua_tostring(L, -2));
			v[(*n)++].line = ar.linedefined;
		}
		lua_pop(L, 1);
	}
	qsort(v, *n, sizeof *v, cmp_test);
	return v;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs the function t[name] between helpers.begin() and helpers.finish(). */
static void run_test(lua_State *L, struct lua_job *job, int t, int helpers,
                     const struct lua_test *lt)
{
	struct ptest_result *res = ptest_add(job->r, job->policy, lt->name, job->path,
	                                     (unsigned)lt->line);
	double start = now();
	struct sandbox_error err;
	lua_getfield(L, helpers, "begin");
	lua_call(L, 0, 0);
	lua_getfield(L, t, lt->name);
	bool failed = !engine_pcall(job->e, 0, 0, &err);
	struct sandbox_error ferr;
	lua_getfield(L, helpers, "finish"); /* re-armed: the test may have spent its budget */
	if (!engine_pcall(job->e, 0, 3, &ferr)) {
		lua_settop(L, lua_gettop(L));
		lua_pushnil(L);
		lua_pushboolean(L, 0);
		lua_pushboolean(L, 0);
		sandbox_error_free(&ferr);
	} /* stack: skip reason, saw_clean, saw_finding */
	if (lua_isstring(L, -3)) {
		res->status = PTEST_SKIP;
		res->detail = xstrdup(lua_tostring(L, -3));
	} else if (failed) {
		ptest_fail(res, "%s:%u: %s", err.file ? err.file : job->path, err.line, err.message);
	}
	if (failed)
		sandbox_error_free(&err);
	res->saw_clean = lua_toboolean(L, -2);
	res->saw_finding = lua_toboolean(L, -1);
	lua_pop(L, 3);
	res->seconds = now() - start;
}

/* Protected: loads the file in a fresh environment and runs its selected tests. */
static int file_protected(lua_State *L)
{
	struct lua_job *job = lua_touserdata(L, 1);
	struct sandbox_error err;
	engine_push_env(job->e);
	int env = lua_gettop(L);
	push_helpers(L, job, env);
	int helpers = lua_gettop(L);
	if (luaL_loadfilex(L, job->path, "t") != LUA_OK) {
		sandbox_error_parse(&err, lua_tostring(L, -1));
	} else {
		lua_pushvalue(L, env);
		lua_setupvalue(L, -2, 1);
		if (engine_pcall(job->e, 0, 1, &err)) {
			bool own = lua_istable(L, -1);
			int t = own ? lua_gettop(L) : env;
			size_t n;
			struct lua_test *v = collect(L, t, own ? "" : "test_", &n);
			for (size_t i = 0; i < n; i++) {
				if (ptest_selected(job->o, job->policy, v[i].name))
					run_test(L, job, t, helpers, &v[i]);
				free(v[i].name);
			}
			free(v);
			return 0;
		}
	}
	if (!ptest_selected(job->o, job->policy, "(load)")) {
		sandbox_error_free(&err);
		return 0;
	}
	struct ptest_result *res = ptest_add(job->r, job->policy, "(load)", job->path, err.line);
	ptest_fail(res, "%s:%u: %s", err.file ? err.file : job->path, err.line, err.message);
	sandbox_error_free(&err);
	return 0;
}

void ptest_lua_file(struct engine *e, const struct ptest_options *o, const char *policy,
                    const char *path, struct ptest_report *r)
{
	struct lua_job job = {e, o, policy, path, r};
	lua_State *L = engine_lua(e);
	struct sandbox_error err;
	if (!L) {
		ptest_fail(ptest_add(r, policy, "(load)", path, 0), "the policy sandbox is not running");
		return;
	}
	lua_pushcfunction(L, file_protected);
	lua_pushlightuserdata(L, &job);
	if (!engine_pcall(e, 1, 0, &err)) {
		ptest_fail(ptest_add(r, policy, "(load)", path, err.line), "%s:%u: %s",
		           err.file ? err.file : path, err.line, err.message);
		sandbox_error_free(&err);
	}
}
