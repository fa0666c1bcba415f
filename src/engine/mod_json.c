/*
 * moongate.json_decode (see mod_json.h). The parsed document lives in a userdata whose __gc
 * frees it, so a memory error while building the tables cannot leak it.
 */
#include "engine/mod_json.h"

#include <string.h>

#include <lauxlib.h>

#include "engine/luadoc.h"
#include "load/docpos.h"
#include "load/json.h"

static int doc_gc(lua_State *L)
{
	doc_free(lua_touserdata(L, 1));
	return 0;
}

int mod_json_decode(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	struct doc *d = lua_newuserdatauv(L, sizeof *d, 0);
	memset(d, 0, sizeof *d);
	if (luaL_newmetatable(L, "moongate.doc")) {
		lua_pushcfunction(L, doc_gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_setmetatable(L, -2);
	doc_init_text(d, "<json_decode>", s, len);
	struct json_error err;
	if (!json_parse(d, NULL, &err) || d->nroots == 0) {
		unsigned line = 0, col = 0;
		doc_position(d, err.pos, &line, &col);
		lua_pushnil(L);
		lua_pushfstring(L, "%d:%d: %s", (int)line, (int)col, err.message);
		doc_free(d);
		return 2;
	}
	luadoc_push(L, d, d->roots[0], DOC_NONE);
	doc_free(d);
	return 1;
}
