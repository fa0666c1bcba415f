/* moongate.contains: plain-text search through the strings of a value. */
#ifndef MG_ENGINE_MOD_TEXT_H
#define MG_ENGINE_MOD_TEXT_H
#include <lua.h>

/* moongate.contains(value, text or {texts}): true when a string in value (value itself, or
 * any string value inside a table, keys left out) contains one of the texts. A value read
 * from a resource is searched in its document as parsed, without building Lua tables for it;
 * other tables are walked (each once). */
int mod_text_contains(lua_State *L);

#endif
