/* The `moongate` table every policy sees: regex, glob, cidr, json_decode, unknown,
 * is_unknown, cannot_verify (docs/policy-guide.md "Host modules"). */
#ifndef MG_ENGINE_HOSTMODS_H
#define MG_ENGINE_HOSTMODS_H
#include <lua.h>

void hostmods_push(lua_State *L);

#endif
