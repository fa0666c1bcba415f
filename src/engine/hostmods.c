/* The moongate host table (see hostmods.h): one entry per module or function. */
#include "engine/hostmods.h"

#include <lauxlib.h>

#include "engine/luadoc.h"
#include "engine/mod_cidr.h"
#include "engine/mod_glob.h"
#include "engine/mod_json.h"
#include "engine/mod_query.h"
#include "engine/mod_regex.h"
#include "engine/mod_text.h"

static int host_is_unknown(lua_State *L)
{
	lua_pushboolean(L, luadoc_is_unknown(L, 1));
	return 1;
}

/* cannot_verify(message [, path]): { message =, path =, cannot_verify = true } */
static int host_cannot_verify(lua_State *L)
{
	luaL_checkstring(L, 1);
	luaL_optstring(L, 2, NULL);
	lua_settop(L, 2); /* without a path, index 2 is nil, not the table made next */
	lua_createtable(L, 0, 3);
	lua_pushvalue(L, 1);
	lua_setfield(L, -2, "message");
	lua_pushvalue(L, 2);
	lua_setfield(L, -2, "path");
	lua_pushboolean(L, 1);
	lua_setfield(L, -2, "cannot_verify");
	return 1;
}

static const luaL_Reg host_funcs[] = {
	{"glob", mod_glob_lua},
	{"json_decode", mod_json_decode},
	{"is_unknown", host_is_unknown},
	{"cannot_verify", host_cannot_verify},
	{"contains", mod_text_contains},
	{"query", mod_query_lua},
	{NULL, NULL},
};

static const struct {
	const char *name;
	void (*push)(lua_State *L);
} host_tables[] = {
	{"regex", mod_regex_push},
	{"cidr", mod_cidr_push},
	{"unknown", luadoc_push_unknown},
};

void hostmods_push(lua_State *L)
{
	luaL_newlib(L, host_funcs);
	for (size_t i = 0; i < sizeof host_tables / sizeof host_tables[0]; i++) {
		host_tables[i].push(L);
		lua_setfield(L, -2, host_tables[i].name);
	}
}
