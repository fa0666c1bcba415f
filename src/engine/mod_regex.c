/*
 * moongate.regex (see mod_regex.h): a chained hash map from pattern text to compiled code
 * and its match data, living in a userdata that is the upvalue of every regex function.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "engine/mod_regex.h"

#include <pcre2.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "engine/sandbox.h"
#include "util/xalloc.h"

struct rx_entry {
	struct rx_entry *next;
	uint64_t hash;
	char *pattern;
	size_t len;
	pcre2_code *code;
	pcre2_match_data *md;
	uint32_t uses; /* matches run so far; the JIT compiles at RX_JIT_AFTER */
};

/* A pattern is matched by the interpreter until it has run this many times, then JIT-compiled:
 * a JIT compile costs about as much as a few hundred short interpreted matches, and a run on
 * one small file uses most patterns once or twice. */
#define RX_JIT_AFTER 64

struct rx_cache {
	struct rx_entry **buckets;
	size_t nbuckets, count;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit_stack;
	uint32_t match, depth, heap; /* the limits set on mctx */
};

static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static void cache_flush(struct rx_cache *c)
{
	for (size_t i = 0; i < c->nbuckets; i++) {
		struct rx_entry *e = c->buckets[i];
		while (e) {
			struct rx_entry *next = e->next;
			pcre2_match_data_free(e->md);
			pcre2_code_free(e->code);
			free(e->pattern);
			free(e);
			e = next;
		}
		c->buckets[i] = NULL;
	}
	c->count = 0;
}

static int cache_gc(lua_State *L)
{
	struct rx_cache *c = lua_touserdata(L, 1);
	if (c->buckets) {
		cache_flush(c);
		free(c->buckets);
	}
	pcre2_match_context_free(c->mctx);
	pcre2_jit_stack_free(c->jit_stack);
	memset(c, 0, sizeof *c);
	return 0;
}

static struct rx_entry *cache_find(struct rx_cache *c, const char *p, size_t len, uint64_t h)
{
	for (struct rx_entry *e = c->buckets[h & (c->nbuckets - 1)]; e; e = e->next) {
		if (e->hash == h && e->len == len && memcmp(e->pattern, p, len) == 0)
			return e;
	}
	return NULL;
}

static void cache_insert(struct rx_cache *c, struct rx_entry *e)
{
	if (c->count >= MOD_REGEX_CACHE_MAX)
		cache_flush(c);
	size_t b = e->hash & (c->nbuckets - 1);
	e->next = c->buckets[b];
	c->buckets[b] = e;
	c->count++;
}

/* The compiled code for the pattern argument; raises with PCRE2's message on a bad one. */
static struct rx_entry *regex_get(lua_State *L, int arg)
{
	struct rx_cache *c = lua_touserdata(L, lua_upvalueindex(1));
	size_t len;
	const char *p = luaL_checklstring(L, arg, &len);
	uint64_t h = hash_bytes(p, len);
	struct rx_entry *e = cache_find(c, p, len, h);
	if (e)
		return e;
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)p, len, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
	                                 &errcode, &erroff, NULL);
	if (!code) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(errcode, msg, sizeof msg);
		luaL_error(L, "invalid regex '%s': %s at offset %d", p, (const char *)msg, (int)erroff);
		return NULL;
	}
	e = xcalloc(1, sizeof *e);
	e->hash = h;
	e->pattern = xstrndup(p, len);
	e->len = len;
	e->code = code;
	e->md = pcre2_match_data_create_from_pattern(code, NULL);
	cache_insert(c, e);
	return e;
}

/* Sets the sandbox's PCRE2 limits (or the defaults) on the match context when they changed. */
static void apply_limits(struct rx_cache *c, const struct sandbox *sb)
{
	uint32_t match = sb->regex_match ? sb->regex_match : MOD_REGEX_MATCH_LIMIT;
	uint32_t depth = sb->regex_depth ? sb->regex_depth : MOD_REGEX_DEPTH_LIMIT;
	uint32_t heap = sb->regex_heap_kib ? sb->regex_heap_kib : MOD_REGEX_HEAP_LIMIT;
	if (match != c->match)
		pcre2_set_match_limit(c->mctx, c->match = match);
	if (depth != c->depth)
		pcre2_set_depth_limit(c->mctx, c->depth = depth);
	if (heap != c->heap)
		pcre2_set_heap_limit(c->mctx, c->heap = heap);
}

/* Runs the match; returns true on a match, false on none, raises on limits and errors. The
 * JIT ignores the depth and heap limits: when either is set, matching is interpreted. */
static bool regex_exec(lua_State *L, struct rx_entry *e, const char *s, size_t len, size_t start)
{
	struct rx_cache *c = lua_touserdata(L, lua_upvalueindex(1));
	const struct sandbox *sb = sandbox_from(L);
	apply_limits(c, sb);
	uint32_t options = sb->regex_depth || sb->regex_heap_kib ? PCRE2_NO_JIT : 0;
	if (e->uses < RX_JIT_AFTER && ++e->uses == RX_JIT_AFTER)
		pcre2_jit_compile(e->code, PCRE2_JIT_COMPLETE); /* stays interpreted without a JIT */
	int rc = pcre2_match(e->code, (PCRE2_SPTR)s, len, start, options, e->md, c->mctx);
	if (rc >= 0)
		return true;
	switch (rc) {
	case PCRE2_ERROR_NOMATCH:
	case PCRE2_ERROR_PARTIAL:
		return false;
	case PCRE2_ERROR_MATCHLIMIT:
	case PCRE2_ERROR_DEPTHLIMIT:
	case PCRE2_ERROR_HEAPLIMIT:
	case PCRE2_ERROR_JIT_STACKLIMIT:
		luaL_error(L, "regex match limit exceeded");
		return false;
	default: {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(rc, msg, sizeof msg);
		luaL_error(L, "regex match failed: %s", (const char *)msg);
		return false;
	}
	}
}

/* match(s, pattern): the captures (unset ones nil), or the whole match when there are none. */
static int regex_match(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	struct rx_entry *e = regex_get(L, 2);
	if (!regex_exec(L, e, s, len, 0)) {
		lua_pushnil(L);
		return 1;
	}
	uint32_t ngroups = 0;
	pcre2_pattern_info(e->code, PCRE2_INFO_CAPTURECOUNT, &ngroups);
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(e->md);
	uint32_t first = ngroups ? 1 : 0, last = ngroups ? ngroups : 0;
	luaL_checkstack(L, (int)(last - first + 1), "too many captures");
	for (uint32_t g = first; g <= last; g++) {
		if (ov[2 * g] == PCRE2_UNSET)
			lua_pushnil(L);
		else
			lua_pushlstring(L, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
	}
	return (int)(last - first + 1);
}

static int regex_test(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	struct rx_entry *e = regex_get(L, 2);
	lua_pushboolean(L, regex_exec(L, e, s, len, 0));
	return 1;
}

/* find(s, pattern [, init]): 1-based start and end of the first match, or nil. */
static int regex_find(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	struct rx_entry *e = regex_get(L, 2);
	lua_Integer init = luaL_optinteger(L, 3, 1);
	if (init < 1)
		init = 1;
	if ((size_t)init > len + 1 || !regex_exec(L, e, s, len, (size_t)init - 1)) {
		lua_pushnil(L);
		return 1;
	}
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(e->md);
	lua_pushinteger(L, (lua_Integer)ov[0] + 1);
	lua_pushinteger(L, (lua_Integer)ov[1]);
	return 2;
}

static const luaL_Reg regex_funcs[] = {
	{"match", regex_match},
	{"test", regex_test},
	{"find", regex_find},
	{NULL, NULL},
};

void mod_regex_push(lua_State *L)
{
	luaL_newlibtable(L, regex_funcs);
	struct rx_cache *c = lua_newuserdatauv(L, sizeof *c, 0);
	memset(c, 0, sizeof *c);
	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, cache_gc);
	lua_setfield(L, -2, "__gc");
	lua_setmetatable(L, -2);
	c->nbuckets = 256;
	c->buckets = xcalloc(c->nbuckets, sizeof *c->buckets);
	c->mctx = pcre2_match_context_create(NULL);
	apply_limits(c, sandbox_from(L));
	c->jit_stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	if (c->jit_stack)
		pcre2_jit_stack_assign(c->mctx, NULL, c->jit_stack);
	luaL_setfuncs(L, regex_funcs, 1);
}
