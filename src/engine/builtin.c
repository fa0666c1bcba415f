/* The built-in pack: finding an entry and loading its chunk (see builtin.h). */
#include "engine/builtin.h"

#include <string.h>

#include <lauxlib.h>

const struct mg_builtin *builtin_find(const char *id)
{
	for (size_t i = 0; mg_builtins[i].id; i++) {
		if (strcmp(mg_builtins[i].id, id) == 0)
			return &mg_builtins[i];
	}
	return NULL;
}

int builtin_load(lua_State *L, const struct mg_builtin *b)
{
	const char *name = lua_pushfstring(L, "@%s", b->path);
	if (b->bytecode_len &&
	    luaL_loadbufferx(L, b->bytecode, b->bytecode_len, name, "b") == LUA_OK) {
		lua_remove(L, -2);
		return LUA_OK;
	}
	if (b->bytecode_len)
		lua_pop(L, 1); /* a Lua that does not read this bytecode: compile the source */
	int status = luaL_loadbufferx(L, b->source, b->len, name, "t");
	lua_remove(L, -2);
	return status;
}
