/*
 * What check and evaluate return, turned into findings (docs/policy-guide.md "Results"):
 * nil/false/{} pass; a string is one finding; a table with `message` is one finding; any
 * other table is a list of strings and finding tables. A malformed result raises an error
 * at the policy's check/evaluate line. Every field is validated before the finding is
 * added, so no host memory is held across a call that can raise.
 */
#include "engine/engine_int.h"

#include <stdio.h>
#include <string.h>

#include <lauxlib.h>

#include "load/docpos.h"
#include "util/xalloc.h"

#define MESSAGE_CAP 4096 /* bytes of a finding message kept; longer ones are cut */

/* The fields of one finding, read from the Lua stack (strings owned by Lua). */
struct raw_finding {
	const char *message;
	const char *path;
	const char *address;  /* when resource was given as an address */
	size_t resource;      /* model index, or SIZE_MAX */
	bool has_severity;
	enum severity severity;
	bool cannot_verify;
};

/* Raises at the line of the function that returned the bad result. */
static int result_error(lua_State *L, struct run *run, const char *fmt, const char *arg)
{
	const struct policy *p = run->p;
	int line = run->in_evaluate ? p->evaluate_line : p->check_line;
	lua_pushfstring(L, "%s:%d: ", p->info.file, line);
	lua_pushfstring(L, fmt, arg);
	lua_concat(L, 2);
	return lua_error(L);
}

static void locate(struct run *run, struct finding *f, size_t i, const char *path)
{
	const struct model_resource *r = &run->m->resources[i];
	struct doc *doc = model_doc(run->m, r);
	f->file = doc->src.path ? xstrdup(doc->src.path) : NULL;
	run_position(run, i, &f->line, &f->column);
	uint32_t node = path && *path ? doc_path(doc, r->values, path) : DOC_NONE;
	if (node == DOC_NONE || !doc->src.data)
		return;
	uint32_t target = doc_node(doc, node)->pos;
	uint32_t from = r->node != DOC_NONE ? doc_node(doc, r->node)->pos : 0;
	if (f->line && target >= from)
		doc_advance(doc, from, target, &f->line, &f->column);
	else
		doc_position(doc, target, &f->line, &f->column);
}

/* A copy of message cut to MESSAGE_CAP bytes at a UTF-8 character boundary, with a note of
 * the full length (messages end at an embedded NUL, as C strings do). */
static char *message_copy(const char *message)
{
	size_t len = strlen(message);
	if (len <= MESSAGE_CAP)
		return xstrdup(message);
	size_t cut = MESSAGE_CAP;
	while (cut > 0 && ((unsigned char)message[cut] & 0xC0) == 0x80)
		cut--;
	return xasprintf("%.*s\u2026 (truncated, %zu bytes)", (int)cut, message, len);
}

static void add_finding(struct run *run, const struct raw_finding *raw)
{
	const struct policy *p = run->p;
	struct finding *f = findings_add(run->out);
	f->policy = xstrdup(p->info.id);
	f->message = message_copy(raw->message);
	f->cannot_verify = raw->cannot_verify;
	if (raw->has_severity)
		f->severity = raw->severity;
	else
		f->severity = raw->cannot_verify ? SEV_LOW : p->info.severity;
	f->path = raw->path ? xstrdup(raw->path) : NULL;
	f->title = xstrdup(p->info.title);
	f->remediation = p->info.remediation ? xstrdup(p->info.remediation) : NULL;
	if (raw->resource != SIZE_MAX) {
		const struct model_resource *r = &run->m->resources[raw->resource];
		f->resource = r->address ? xstrdup(r->address) : NULL;
		f->type = r->type ? xstrdup(r->type) : NULL;
		locate(run, f, raw->resource, raw->path);
	} else if (raw->address) {
		f->resource = xstrdup(raw->address);
	}
}

/* Reads field name of the finding table at t onto the stack; returns its type. */
static int field(lua_State *L, int t, const char *name)
{
	lua_pushstring(L, name);
	return lua_rawget(L, t);
}

static void read_resource(lua_State *L, struct run *run, int v, struct raw_finding *raw)
{
	if (lua_type(L, v) == LUA_TTABLE) {
		raw->resource = rtable_index(L, run, v);
		if (raw->resource == SIZE_MAX)
			result_error(L, run, "finding resource %s is not a resource of this run", "table");
	} else if (lua_type(L, v) == LUA_TSTRING) {
		raw->resource = run_find(run, lua_tostring(L, v));
		raw->address = lua_tostring(L, v);
	} else if (lua_type(L, v) != LUA_TNIL) {
		result_error(L, run, "finding resource must be a resource table or an address, got %s",
		             luaL_typename(L, v));
	}
}

/* Validates the finding table at t (its fields stay on the stack until the caller pops). */
static void read_table(lua_State *L, struct run *run, int t, struct raw_finding *raw)
{
	if (field(L, t, "message") != LUA_TSTRING)
		result_error(L, run, "a finding needs a string message, got %s", luaL_typename(L, -1));
	raw->message = lua_tostring(L, -1);
	int v = field(L, t, "resource") == LUA_TNIL ? 0 : lua_gettop(L);
	if (v)
		read_resource(L, run, v, raw);
	int type = field(L, t, "path");
	if (type != LUA_TNIL && type != LUA_TSTRING)
		result_error(L, run, "finding path must be a string, got %s", luaL_typename(L, -1));
	raw->path = lua_tostring(L, -1);
	type = field(L, t, "severity");
	if (type != LUA_TNIL) {
		const char *s = lua_tostring(L, -1);
		if (type != LUA_TSTRING || !severity_parse(s, &raw->severity))
			result_error(L, run, "finding severity '%s' is not info, low, medium, high or critical",
			             s ? s : luaL_typename(L, -1));
		raw->has_severity = true;
	}
	field(L, t, "cannot_verify");
	raw->cannot_verify = lua_toboolean(L, -1);
}

static void collect_one(lua_State *L, struct run *run, int idx, size_t resource)
{
	struct raw_finding raw = {NULL, NULL, NULL, resource, false, SEV_INFO, false};
	int top = lua_gettop(L);
	luaL_checkstack(L, 8, "finding");
	if (lua_type(L, idx) == LUA_TSTRING)
		raw.message = lua_tostring(L, idx);
	else if (lua_type(L, idx) == LUA_TTABLE)
		read_table(L, run, idx, &raw);
	else
		result_error(L, run, "a result must be a message or a finding table, got %s",
		             luaL_typename(L, idx));
	if (run->nfound >= run->e->max_findings) {
		char limit[32];
		snprintf(limit, sizeof limit, "%zu", run->e->max_findings);
		result_error(L, run, "more than %s findings (raise it with --limit findings=N)", limit);
	}
	run->nfound++;
	add_finding(run, &raw);
	lua_settop(L, top);
}

void result_collect(lua_State *L, struct run *run, int idx, size_t resource)
{
	idx = lua_absindex(L, idx);
	int type = lua_type(L, idx);
	if (type == LUA_TNIL || (type == LUA_TBOOLEAN && !lua_toboolean(L, idx)))
		return;
	if (type != LUA_TTABLE) {
		collect_one(L, run, idx, resource);
		return;
	}
	lua_pushliteral(L, "message");
	bool single = lua_rawget(L, idx) != LUA_TNIL;
	lua_pop(L, 1);
	if (single) {
		collect_one(L, run, idx, resource);
		return;
	}
	lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
	for (lua_Integer i = 1; i <= n; i++) {
		int t = lua_rawgeti(L, idx, i);
		if (t != LUA_TNIL && !(t == LUA_TBOOLEAN && !lua_toboolean(L, -1)))
			collect_one(L, run, lua_gettop(L), resource);
		lua_pop(L, 1);
	}
}
