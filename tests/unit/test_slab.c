/* The small-block allocator behind the Lua heap (util/slab.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <lauxlib.h>
#include <lualib.h>

#include "util/slab.h"

/* A freed block is the next one handed out in its class; other classes do not take it. */
static void test_reuse(void **state)
{
	(void)state;
	struct slab s = SLAB_INIT;
	char *a = slab_alloc(&s, 40), *b = slab_alloc(&s, 40);
	assert_non_null(a);
	assert_ptr_not_equal(a, b);
	slab_free(&s, a, 40);
	char *c = slab_alloc(&s, 48);
	assert_ptr_not_equal(c, a);
	assert_ptr_equal(slab_alloc(&s, 33), a); /* 33 and 40 round to the same class */
	assert_int_equal(s.live, 40 + 40 + 48);
	slab_free(&s, a, 33);
	slab_free(&s, b, 40);
	slab_free(&s, c, 48);
	assert_int_equal(s.live, 0);
	slab_release(&s);
}

/* Blocks are 8-byte aligned, disjoint and keep what was written, across many chunks of both
 * sizes. */
static void test_many(void **state)
{
	(void)state;
	enum { N = 20000 };
	static unsigned char *p[N];
	struct slab s = SLAB_INIT;
	for (size_t i = 0; i < N; i++) {
		size_t size = 1 + i % SLAB_MAX;
		p[i] = slab_alloc(&s, size);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % SLAB_ALIGN, 0);
		memset(p[i], (int)(i & 0xFF), size);
	}
	for (size_t i = 0; i < N; i++) {
		size_t size = 1 + i % SLAB_MAX;
		for (size_t j = 0; j < size; j++)
			assert_int_equal(p[i][j], i & 0xFF);
		slab_free(&s, p[i], size);
	}
	assert_int_equal(s.live, 0);
	assert_true(s.nchunks > 16); /* past the first megabyte (2 MiB chunks, but with ASan) */
	slab_release(&s);
	assert_null(s.chunks);
}

/* Within a class a resize keeps the block; across classes, and to and from large blocks,
 * the contents move with it. */
static void test_resize(void **state)
{
	(void)state;
	struct slab s = SLAB_INIT;
	char *p = slab_realloc(&s, NULL, 0, 20);
	memcpy(p, "abcdefghijklmnopqrs", 20);
	assert_ptr_equal(slab_realloc(&s, p, 20, 24), p);
	char *q = slab_realloc(&s, p, 24, 100);
	assert_string_equal(q, "abcdefghijklmnopqrs");
	char *big = slab_realloc(&s, q, 100, 5000);
	assert_string_equal(big, "abcdefghijklmnopqrs");
	big = slab_realloc(&s, big, 5000, 9000);
	assert_string_equal(big, "abcdefghijklmnopqrs");
	char *small = slab_realloc(&s, big, 9000, 20);
	assert_string_equal(small, "abcdefghijklmnopqrs");
	assert_int_equal(s.live, 24);
	slab_free(&s, small, 20);
	assert_int_equal(s.live, 0);
	slab_release(&s);
}

static void *lua_slab_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	if (nsize == 0) {
		slab_free(ud, ptr, ptr ? osize : 0);
		return NULL;
	}
	return slab_realloc(ud, ptr, ptr ? osize : 0, nsize);
}

/* Lua frees every block with the size it was given: after lua_close nothing is live. */
static void test_lua_heap(void **state)
{
	(void)state;
	struct slab s = SLAB_INIT;
	lua_State *L = lua_newstate(lua_slab_alloc, &s);
	assert_non_null(L);
	luaL_openlibs(L);
	const char *script =
		"local t = {}\n"
		"for i = 1, 20000 do t[i] = { i, tostring(i), name = 'n' .. i } end\n"
		"for i = 1, 20000, 2 do t[i] = nil end\n"
		"local co = coroutine.wrap(function(a) local s = string.rep(a, 3000) "
		"coroutine.yield(#s) end)\n"
		"assert(co('xy') == 6000)\n"
		"local parts = {} for i = 1, 5000 do parts[#parts + 1] = ('%05d'):format(i) end\n"
		"assert(#table.concat(parts) == 25000)\n"
		"collectgarbage() return tonumber(t[20000][2])";
	assert_int_equal(luaL_dostring(L, script), LUA_OK);
	assert_int_equal(lua_tointeger(L, -1), 20000);
	assert_true(s.live > 0);
	lua_close(L);
	assert_int_equal(s.live, 0);
	slab_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reuse),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_lua_heap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
