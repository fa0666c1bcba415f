/* moongate.json_decode: JSON text (an ECS container_definitions, an IAM policy document) to
 * Lua values with the same representation as resource values (luadoc.h). */
#ifndef MG_ENGINE_MOD_JSON_H
#define MG_ENGINE_MOD_JSON_H
#include <lua.h>

/* json_decode(s): the value, or nil and "line:column: message" when s is not JSON. */
int mod_json_decode(lua_State *L);

#endif
