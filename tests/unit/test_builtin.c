/* Unit tests for the embedded built-in pack (engine/builtin.c, cmake/embed_policies.c):
 * every entry carries bytecode that this Lua loads as a binary chunk, named after its file,
 * with its line information kept, and the SHA-256 of its source. */
#include "testutil.h"

#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "engine/builtin.h"
#include "util/sha256.h"

static void test_entries(void **state)
{
	(void)state;
	assert_true(mg_builtins_count > 10);
	assert_null(mg_builtins[mg_builtins_count].id);
	for (size_t i = 0; i < mg_builtins_count; i++) {
		const struct mg_builtin *b = &mg_builtins[i];
		char hex[SHA256_HEX], path[512];
		sha256_hex(b->source, b->len, hex);
		assert_string_equal(b->sha256, hex);
		assert_int_equal(strlen(b->source), b->len);
		snprintf(path, sizeof path, "policies/%s.lua", b->id);
		assert_string_equal(b->path, path);
		assert_true(b->bytecode_len > 0);
		assert_ptr_equal(builtin_find(b->id), b);
	}
	assert_null(builtin_find("residency/no-such-policy"));
}

/* The bytecode is a binary chunk (a text-only load refuses it) with its source name and
 * its lines, so errors and tracebacks point into policies/ as from the source. */
static void test_bytecode(void **state)
{
	(void)state;
	lua_State *L = luaL_newstate();
	for (size_t i = 0; i < mg_builtins_count; i++) {
		const struct mg_builtin *b = &mg_builtins[i];
		assert_int_not_equal(luaL_loadbufferx(L, b->bytecode, b->bytecode_len, "x", "t"), LUA_OK);
		lua_settop(L, 0);
		assert_int_equal(builtin_load(L, b), LUA_OK);
		assert_int_equal(lua_gettop(L), 1);
		lua_Debug ar;
		assert_true(lua_getinfo(L, ">SL", &ar));
		char want[512];
		snprintf(want, sizeof want, "@%s", b->path);
		assert_string_equal(ar.source, want);
		lua_pushnil(L);
		assert_true(lua_next(L, -2)); /* at least one active line */
		lua_settop(L, 0);
	}
	lua_close(L);
}

/* Bytecode this Lua cannot read falls back to the source; a source that does not compile
 * reports its error at its line. */
static void test_fallback(void **state)
{
	(void)state;
	lua_State *L = luaL_newstate();
	struct mg_builtin bad = {"x/y", "policies/x/y.lua", "return 1 +", 10, "\x1bLuaX", 5, ""};
	assert_int_equal(builtin_load(L, &bad), LUA_ERRSYNTAX);
	assert_non_null(strstr(lua_tostring(L, -1), "policies/x/y.lua:1:"));
	lua_settop(L, 0);
	struct mg_builtin ok = {"x/z", "policies/x/z.lua", "return 42", 9, "\x1bLuaX", 5, ""};
	assert_int_equal(builtin_load(L, &ok), LUA_OK);
	lua_call(L, 0, 1);
	assert_int_equal(lua_tointeger(L, -1), 42);
	lua_close(L);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_bytecode),
		cmocka_unit_test(test_fallback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
