/*
 * The Lua sandbox (see sandbox.h): the capped allocator, the budget hook, the traceback
 * handler and the allowlisted globals every policy environment is copied from.
 */
#include "engine/sandbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "engine/hostmods.h"
#include "engine/luadoc.h"
#include "util/slab.h"
#include "util/xalloc.h"

#define HOOK_EVERY 1000 /* instructions between two budget checks */
#define TEMPLATE_KEY "moongate.template"
#define LOAD_KEY "moongate.load"

/* Base functions a policy may use as they are; load, require, print, collectgarbage,
 * setmetatable and xpcall are replaced, dofile and loadfile are left out. */
static const char *const allowed_base[] = {
	"assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall", "rawequal",
	"rawget", "rawlen", "rawset", "select", "tonumber", "tostring", "type", "_VERSION",
	"string", "table", "math", "utf8", "coroutine", NULL,
};

static const luaL_Reg allowed_libs[] = {
	{"_G", luaopen_base},
	{LUA_TABLIBNAME, luaopen_table},
	{LUA_STRLIBNAME, luaopen_string},
	{LUA_MATHLIBNAME, luaopen_math},
	{LUA_UTF8LIBNAME, luaopen_utf8},
	{LUA_COLIBNAME, luaopen_coroutine},
	{NULL, NULL},
};

/* Refuses growth beyond the cap and says so in `refused`; a free never fails, nor a shrink
 * unless the machine is out of memory. Blocks come from the sandbox's slab (see slab.h). */
static void *sandbox_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct sandbox *sb = ud;
	size_t old = ptr ? osize : 0;
	if (nsize == 0) {
		slab_free(&sb->slab, ptr, old);
		sb->used -= old;
		return NULL;
	}
	if (nsize > old && nsize - old > sb->limit - sb->used) {
		sb->refused = true;
		return NULL;
	}
	void *p = slab_realloc(&sb->slab, ptr, old, nsize);
	if (!p)
		return NULL;
	sb->used = sb->used - old + nsize;
	return p;
}

static bool past_deadline(const struct sandbox *sb)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec != sb->deadline.tv_sec)
		return now.tv_sec > sb->deadline.tv_sec;
	return now.tv_nsec > sb->deadline.tv_nsec;
}

/* Raises at the position of the running Lua function (luaL_error would name its caller). */
static void budget_hook(lua_State *L, lua_Debug *ar)
{
	struct sandbox *sb = sandbox_from(L);
	if (ar->event == LUA_HOOKLINE) {
		if (sb->line_hook)
			sb->line_hook(sb->line_ud, L, ar);
		return;
	}
	/* Every coroutine has its own hook, copied from the thread that created it. */
	int every = lua_gethookcount(L);
	sb->count += (uint64_t)every;
	if (sb->tripped == SANDBOX_RUNNING) {
		if (sb->count > sb->budget)
			sb->tripped = SANDBOX_INSTRUCTIONS;
		else if (past_deadline(sb))
			sb->tripped = SANDBOX_TIMEOUT;
		else {
			if (every != HOOK_EVERY) /* a coroutine created after an earlier trip */
				lua_sethook(L, budget_hook, lua_gethookmask(L), HOOK_EVERY);
			return;
		}
	}
	/* From now on raise at every instruction of this thread: an error caught by a pcall,
	 * an xpcall or a coroutine.resume is raised again at the next instruction of its caller;
	 * other threads raise at their next count event. */
	if (every != 1)
		lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
	const char *what = sb->tripped == SANDBOX_TIMEOUT ? "time limit exceeded"
	                                                  : "instruction budget exceeded";
	if (lua_getstack(L, 0, ar) && lua_getinfo(L, "Sl", ar) && ar->currentline > 0)
		lua_pushfstring(L, "%s:%d: %s", ar->short_src, ar->currentline, what);
	else
		lua_pushstring(L, what);
	lua_error(L);
}

/* Like lua.c's msghandler: non-string errors through __tostring, then a traceback. */
static int sandbox_msghandler(lua_State *L)
{
	const char *msg = lua_tostring(L, 1);
	if (!msg) {
		if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
			msg = lua_tostring(L, -1);
		else
			msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
	}
	luaL_traceback(L, L, msg, 1);
	return 1;
}

/* collectgarbage("count") only: a policy must not stop or drive the collector. */
static int sandbox_collectgarbage(lua_State *L)
{
	const char *opt = luaL_optstring(L, 1, "collect");
	if (strcmp(opt, "count") != 0)
		return luaL_error(L, "collectgarbage('%s') is not allowed in a policy", opt);
	int kb = lua_gc(L, LUA_GCCOUNT);
	int b = lua_gc(L, LUA_GCCOUNTB);
	lua_pushnumber(L, (lua_Number)kb + (lua_Number)b / 1024);
	return 1;
}

/* print writes to stderr: standard output belongs to the reports. */
static int sandbox_print(lua_State *L)
{
	int n = lua_gettop(L);
	for (int i = 1; i <= n; i++) {
		size_t len;
		const char *s = luaL_tolstring(L, i, &len);
		if (i > 1)
			fputc('\t', stderr);
		fwrite(s, 1, len, stderr);
		lua_pop(L, 1);
	}
	fputc('\n', stderr);
	return 0;
}

/* setmetatable without __gc: finalizers run with hooks off, so a looping one would escape
 * the budgets. A metatable with __metatable stays locked, as in stock Lua. */
static int sandbox_setmetatable(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	int t = lua_type(L, 2);
	luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
	if (t == LUA_TTABLE) {
		lua_pushliteral(L, "__gc");
		if (lua_rawget(L, 2) != LUA_TNIL)
			return luaL_error(L, "__gc metamethods are not allowed in policies");
		lua_pop(L, 1);
	}
	if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
		return luaL_error(L, "cannot change a protected metatable");
	lua_settop(L, 2);
	lua_setmetatable(L, 1);
	return 1;
}

/* xpcall(f, handler, ...) that calls the handler after unwinding, with hooks on: Lua runs a
 * message handler with hooks off when the error comes from the budget hook, so a looping
 * handler would escape the budgets. */
static int sandbox_xpcall(lua_State *L)
{
	int n = lua_gettop(L);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	luaL_checkany(L, 1);
	lua_pushvalue(L, 1);
	for (int i = 3; i <= n; i++)
		lua_pushvalue(L, i);
	if (lua_pcall(L, n - 2, LUA_MULTRET, 0) == LUA_OK) {
		lua_pushboolean(L, 1);
		lua_insert(L, n + 1);
		return lua_gettop(L) - n;
	}
	lua_pushvalue(L, 2);
	lua_insert(L, -2);
	lua_pcall(L, 1, 1, 0); /* an error in the handler is the result, as in stock Lua */
	lua_pushboolean(L, 0);
	lua_insert(L, -2);
	return 2;
}

/* load(chunk [, chunkname [, mode [, env]]]) with text mode forced and, without an explicit
 * env, the environment of the policy that calls it. Upvalues: env, the original load. */
static int sandbox_load(lua_State *L)
{
	bool has_env = lua_gettop(L) >= 4;
	lua_settop(L, 4);
	lua_pushvalue(L, lua_upvalueindex(2));
	lua_pushvalue(L, 1);
	lua_pushvalue(L, 2);
	lua_pushliteral(L, "t");
	if (has_env)
		lua_pushvalue(L, 4);
	else
		lua_pushvalue(L, lua_upvalueindex(1));
	lua_call(L, 4, LUA_MULTRET);
	return lua_gettop(L) - 4;
}

/* True when the table at idx holds no table. */
static bool is_flat(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		bool table = lua_type(L, -1) == LUA_TTABLE;
		lua_pop(L, 1);
		if (table) {
			lua_pop(L, 1);
			return false;
		}
	}
	return true;
}

/* Replaces the flat tables of the template at the top (string, math...) by stores
 * (luadoc.h): environments get views of them instead of copies. moongate, which holds
 * tables, is still copied whole into each environment. */
static void freeze_libraries(lua_State *L)
{
	int t = lua_gettop(L);
	lua_pushnil(L);
	while (lua_next(L, t)) {
		if (lua_type(L, -1) == LUA_TTABLE && is_flat(L, -1)) {
			luadoc_push_frozen(L, -1);
			lua_pushvalue(L, -3);
			lua_insert(L, -2);
			lua_rawset(L, t); /* replacing an existing key keeps lua_next valid */
		}
		lua_pop(L, 1);
	}
}

/* Copies the globals table at the top into a new template table. */
static void build_template(lua_State *L)
{
	int g = lua_gettop(L);
	lua_createtable(L, 0, 32);
	for (int i = 0; allowed_base[i]; i++) {
		lua_getfield(L, g, allowed_base[i]);
		lua_setfield(L, -2, allowed_base[i]);
	}
	luaL_setfuncs(L, luadoc_raw_funcs, 0); /* next, rawget...: copy views first */
	lua_pushcfunction(L, sandbox_collectgarbage);
	lua_setfield(L, -2, "collectgarbage");
	lua_pushcfunction(L, sandbox_print);
	lua_setfield(L, -2, "print");
	lua_pushcfunction(L, sandbox_setmetatable);
	lua_setfield(L, -2, "setmetatable");
	lua_pushcfunction(L, sandbox_xpcall);
	lua_setfield(L, -2, "xpcall");
	hostmods_push(L);
	lua_setfield(L, -2, "moongate");
	freeze_libraries(L);
}

/* Protected setup: libraries, the locked string metatable, the template. */
static int sandbox_setup(lua_State *L)
{
	luadoc_init(L);
	for (const luaL_Reg *lib = allowed_libs; lib->func; lib++) {
		luaL_requiref(L, lib->name, lib->func, 1);
		lua_pop(L, 1);
	}
	lua_pushglobaltable(L);
	lua_getfield(L, -1, LUA_STRLIBNAME);
	lua_pushnil(L);
	lua_setfield(L, -2, "dump"); /* also gone from ("").dump */
	lua_pop(L, 1);
	lua_pushliteral(L, "");
	lua_getmetatable(L, -1);
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable"); /* getmetatable("") is false */
	lua_pop(L, 2);
	lua_getfield(L, -1, "load");
	lua_setfield(L, LUA_REGISTRYINDEX, LOAD_KEY);
	build_template(L);
	lua_setfield(L, LUA_REGISTRYINDEX, TEMPLATE_KEY);
	return 0;
}

static void error_set(struct sandbox_error *err, const char *msg)
{
	memset(err, 0, sizeof *err);
	err->message = xstrdup(msg);
}

bool sandbox_open(struct sandbox *sb, size_t memory_limit, void *host, struct sandbox_error *err)
{
	memset(sb, 0, sizeof *sb);
	sb->limit = memory_limit;
	sb->host = host;
	sb->budget = UINT64_MAX;
	sb->timeout = 0;
	sb->L = lua_newstate(sandbox_alloc, sb);
	if (!sb->L) {
		error_set(err, "cannot create the lua state: out of memory");
		return false;
	}
	lua_sethook(sb->L, budget_hook, LUA_MASKCOUNT, HOOK_EVERY);
	lua_gc(sb->L, LUA_GCGEN, 0, 0);
	sandbox_begin(sb, UINT64_MAX, 0);
	lua_pushcfunction(sb->L, sandbox_setup);
	return sandbox_pcall(sb, 0, 0, err);
}

void sandbox_close(struct sandbox *sb)
{
	if (sb->L)
		lua_close(sb->L);
	sb->L = NULL;
	slab_release(&sb->slab);
}

struct sandbox *sandbox_from(lua_State *L)
{
	void *ud;
	lua_getallocf(L, &ud);
	return ud;
}

void sandbox_begin(struct sandbox *sb, uint64_t budget, double timeout)
{
	sb->count = 0;
	sb->budget = budget;
	sb->timeout = timeout;
	sb->tripped = SANDBOX_RUNNING;
	if (sb->L)
		lua_sethook(sb->L, budget_hook, LUA_MASKCOUNT | (sb->line_hook ? LUA_MASKLINE : 0),
		            HOOK_EVERY);
	clock_gettime(CLOCK_MONOTONIC, &sb->deadline);
	if (timeout <= 0)
		timeout = 1e9; /* no deadline */
	double whole = (double)(time_t)timeout;
	sb->deadline.tv_sec += (time_t)timeout;
	sb->deadline.tv_nsec += (long)((timeout - whole) * 1e9);
	if (sb->deadline.tv_nsec >= 1000000000L) {
		sb->deadline.tv_sec++;
		sb->deadline.tv_nsec -= 1000000000L;
	}
}

/* Splits "chunk:line: message\nstack traceback:\n..." into err. */
void sandbox_error_parse(struct sandbox_error *err, const char *s)
{
	memset(err, 0, sizeof *err);
	const char *tb = strstr(s, "\nstack traceback:");
	size_t mlen = tb ? (size_t)(tb - s) : strlen(s);
	const char *colon = memchr(s, ':', mlen);
	while (colon) {
		const char *p = colon + 1;
		unsigned line = 0;
		while (p < s + mlen && *p >= '0' && *p <= '9')
			line = line * 10 + (unsigned)(*p++ - '0');
		if (p > colon + 1 && p < s + mlen && *p == ':') {
			err->file = xstrndup(s, (size_t)(colon - s));
			err->line = line;
			p += (p[1] == ' ') ? 2 : 1;
			mlen -= (size_t)(p - s);
			s = p;
			break;
		}
		colon = memchr(colon + 1, ':', mlen - (size_t)(colon + 1 - s));
	}
	err->message = xstrndup(s, mlen);
	err->traceback = tb ? xstrdup(tb + 1) : NULL;
}

static void error_budget(struct sandbox *sb, struct sandbox_error *err)
{
	free(err->message);
	if (sb->tripped == SANDBOX_TIMEOUT)
		err->message = xasprintf("time limit exceeded (%g s)", sb->timeout);
	else
		err->message = xasprintf("instruction budget exceeded (%llu instructions)",
		                         (unsigned long long)sb->budget);
}

bool sandbox_pcall(struct sandbox *sb, int nargs, int nresults, struct sandbox_error *err)
{
	lua_State *L = sb->L;
	int base = lua_gettop(L) - nargs;
	lua_pushcfunction(L, sandbox_msghandler);
	lua_insert(L, base);
	sb->refused = false;
	int status = lua_pcall(L, nargs, nresults, base);
	lua_remove(L, base);
	memset(err, 0, sizeof *err);
	if (status == LUA_OK && sb->tripped == SANDBOX_RUNNING)
		return true;
	if (status == LUA_OK) {
		lua_pop(L, nresults);
		error_set(err, "");
	} else if (status == LUA_ERRMEM) {
		if (sb->refused)
			err->message = xasprintf("memory limit exceeded (%zu bytes)", sb->limit);
		else
			err->message = xstrdup("out of memory");
	} else {
		const char *s = lua_tostring(L, -1);
		sandbox_error_parse(err, s ? s : "error in error handling");
	}
	if (status != LUA_OK)
		lua_pop(L, 1);
	if (sb->tripped != SANDBOX_RUNNING)
		error_budget(sb, err);
	lua_gc(L, LUA_GCRESTART);
	if (status == LUA_ERRMEM)
		lua_gc(L, LUA_GCCOLLECT);
	return false;
}

void sandbox_error_free(struct sandbox_error *err)
{
	free(err->message);
	free(err->file);
	free(err->traceback);
	memset(err, 0, sizeof *err);
}

/* Copies the table at src into a new table at the top, nested tables copied too. */
static void copy_table(lua_State *L, int src)
{
	src = lua_absindex(L, src);
	lua_createtable(L, 0, 16);
	lua_pushnil(L);
	while (lua_next(L, src)) { /* stack: copy, k, v */
		if (lua_type(L, -1) == LUA_TTABLE) {
			copy_table(L, -1);
			lua_replace(L, -2);
		}
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, -4);
	}
}

void sandbox_new_env(lua_State *L)
{
	luaL_checkstack(L, 8, "environment");
	lua_getfield(L, LUA_REGISTRYINDEX, TEMPLATE_KEY);
	lua_createtable(L, 0, 48);
	lua_pushnil(L);
	while (lua_next(L, -3)) { /* stack: template, env, key, value */
		if (lua_type(L, -1) == LUA_TTABLE) { /* each environment its own library tables */
			if (luadoc_is_store(L, -1))
				luadoc_push_new_view(L, -1);
			else
				copy_table(L, -1);
			lua_replace(L, -2);
		}
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, -4);
	}
	lua_remove(L, -2);
	lua_pushvalue(L, -1);
	lua_setfield(L, -2, "_G");
	lua_pushvalue(L, -1);
	lua_getfield(L, LUA_REGISTRYINDEX, LOAD_KEY);
	lua_pushcclosure(L, sandbox_load, 2);
	lua_setfield(L, -2, "load");
}
