/*
 * The policy engine (see engine.h): owns the sandbox and the loaded policies, and runs each
 * enabled policy, in id order, over the resources its `types` select. A policy that fails is
 * reported and stopped; the findings it produced before failing are kept (they are true
 * findings, and the run exits 3 anyway); every other policy still runs.
 */
#include "engine/engine.h"

#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "engine/engine_int.h"
#include "util/xalloc.h"

struct run_job {
	struct run *run;
	struct sandbox_error err;
	bool failed;           /* err holds the error of one call */
	char *what;            /* what the failed call was doing */
};

/* Calls the function at fn with (arg, ctx); collects its result. False when it failed. */
static bool call_policy(lua_State *L, struct run_job *job, int fn, int ctx, size_t resource)
{
	struct run *run = job->run;
	lua_pushvalue(L, fn);
	if (resource != SIZE_MAX)
		rtable_push_resource(L, run, resource);
	else
		rtable_push_model(L, run);
	lua_pushvalue(L, ctx);
	if (!sandbox_pcall(&run->e->sb, 2, 1, &job->err)) {
		const char *addr = resource != SIZE_MAX ? run->m->resources[resource].address : NULL;
		job->what = addr ? xasprintf("checking '%s'", addr) : xstrdup("evaluating the model");
		job->failed = true;
		return false;
	}
	result_collect(L, run, -1, resource);
	lua_pop(L, 1);
	return true;
}

/* Protected: one policy over the run (argument: the job). */
static int run_protected(lua_State *L)
{
	struct run_job *job = lua_touserdata(L, 1);
	struct run *run = job->run;
	const struct policy *p = run->p;
	rtable_begin(L, run);
	rtable_push_ctx(L, run);
	int ctx = lua_gettop(L);
	lua_rawgeti(L, LUA_REGISTRYINDEX, p->ref_table);
	lua_getfield(L, -1, "check");
	int check = lua_gettop(L);
	lua_getfield(L, -2, "evaluate");
	int evaluate = lua_gettop(L);
	for (size_t i = 0; p->has_check && i < run->m->nresources; i++) {
		if (!run->matched[run->rtype[i]] || !run_visible(run, i))
			continue;
		if (!call_policy(L, job, check, ctx, i))
			return 0;
	}
	run->in_evaluate = true;
	if (p->has_evaluate)
		call_policy(L, job, evaluate, ctx, SIZE_MAX);
	return 0;
}

void run_policy(struct engine *e, struct run *run, struct policy *p)
{
	lua_State *L = e->sb.L;
	run->p = p;
	run->nfound = 0;
	run->in_evaluate = false;
	run_match_types(run, p);
	run->ref_model = LUA_NOREF;
	run->saved_views = 0;
	struct run_job job = {.run = run};
	sandbox_begin(&e->sb, e->budget, e->timeout);
	lua_pushcfunction(L, run_protected);
	lua_pushlightuserdata(L, &job);
	struct sandbox_error err;
	bool ok = sandbox_pcall(&e->sb, 1, 0, &err);
	if (job.failed)
		policyload_report(p, job.what, &job.err, run->d);
	else if (!ok)
		policyload_report(p, "running", &err, run->d);
	sandbox_error_free(&err);
	sandbox_error_free(&job.err);
	free(job.what);
	rtable_end(L, run);
	run->p = NULL;
}

static char *strip_slashes(const char *dir)
{
	char *s = xstrdup(dir);
	size_t n = strlen(s);
	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
	return s;
}

struct engine *engine_new(const struct engine_options *opts, struct diags *d)
{
	struct engine *e = xcalloc(1, sizeof *e);
	e->builtin = opts->builtin;
	e->budget = opts->instruction_budget ? opts->instruction_budget : ENGINE_DEFAULT_INSTRUCTIONS;
	e->timeout = opts->timeout > 0 ? opts->timeout : ENGINE_DEFAULT_TIMEOUT;
	e->max_findings = opts->max_findings ? opts->max_findings : ENGINE_DEFAULT_MAX_FINDINGS;
	e->config = opts->config;
	e->ref_pack_modules = LUA_NOREF;
	e->roots = xcalloc(opts->npolicy_dirs + 1, sizeof *e->roots);
	for (size_t i = 0; i < opts->npolicy_dirs; i++)
		e->roots[e->nroots++] = strip_slashes(opts->policy_dirs[i]);
	size_t limit = opts->memory_limit ? opts->memory_limit : ENGINE_DEFAULT_MEMORY_LIMIT;
	struct sandbox_error err;
	if (!sandbox_open(&e->sb, limit, e, &err)) {
		diags_add(d, DIAG_POLICY, NULL, 0, 0, NULL, "cannot start the policy sandbox: %s",
		          err.message);
		sandbox_error_free(&err);
		sandbox_close(&e->sb);
		return e;
	}
	e->sb.line_hook = opts->line_hook;
	e->sb.line_ud = opts->line_ud;
	e->sb.regex_match = opts->regex_match;
	e->sb.regex_depth = opts->regex_depth;
	e->sb.regex_heap_kib = opts->regex_heap_kib;
	e->opts = *opts;
	e->opts.policy_dirs = (const char *const *)e->roots;
	e->opts.lanes = opts->lanes > ENGINE_MAX_LANES ? ENGINE_MAX_LANES : opts->lanes;
	if (e->opts.lanes > 1)
		e->twins = xcalloc(e->opts.lanes - 1, sizeof *e->twins);
	policyload_all(e, d);
	e->config = NULL; /* read only while loading */
	return e;
}

size_t engine_policy_count(const struct engine *e)
{
	return e->npolicies;
}

const struct policy_info *engine_policy(const struct engine *e, size_t i)
{
	return i < e->npolicies ? &e->policies[i].info : NULL;
}

void engine_run(struct engine *e, struct model *m, struct findings *out, struct diags *d)
{
	if (!e->sb.L || lanes_run(e, m, out, d))
		return;
	struct run run;
	run_init(&run, e, m, out, d);
	e->run = &run;
	for (size_t i = 0; i < e->npolicies; i++) {
		if (e->policies[i].info.enabled)
			run_policy(e, &run, &e->policies[i]);
	}
	e->run = NULL;
	rtable_free_run(e->sb.L, &run);
	run_free(&run);
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	lanes_join_prep(e);
	for (size_t l = 0; e->twins && l + 1 < e->opts.lanes; l++)
		engine_free(e->twins[l]);
	free(e->twins);
	for (size_t i = 0; i < e->npolicies; i++)
		policyload_free(e, &e->policies[i]);
	free(e->policies);
	for (size_t i = 0; i < e->nroots; i++)
		free(e->roots[i]);
	free(e->roots);
	sandbox_close(&e->sb);
	free(e);
}
