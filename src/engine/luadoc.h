/*
 * Conversions between parsed documents (load/doc.h) and Lua values: the bridge that turns a
 * resource's attributes into ordinary Lua tables, and Lua tables back into JSON text.
 *
 * Representation: objects and arrays are tables (arrays 1-based); JSON integers are Lua
 * integers, other numbers floats; null is nil (an object member that is null is absent; an
 * array element that is null leaves a hole, so element indexes match the document). Values
 * unknown until apply are the light userdata sentinel (luadoc_push_unknown).
 */
#ifndef MG_ENGINE_LUADOC_H
#define MG_ENGINE_LUADOC_H
#include <stdbool.h>
#include <stdint.h>

#include <lua.h>

#include "load/doc.h"

/* Pushes node of doc as a Lua value (nil for DOC_NONE). unknown is the matching node of a
 * plan's after_unknown tree (true where the value is unknown), or DOC_NONE. Runs with the
 * collector stopped; may raise a memory error. */
void luadoc_push(lua_State *L, const struct doc *doc, uint32_t node, uint32_t unknown);
/* Pushes the moongate.unknown sentinel. */
void luadoc_push_unknown(lua_State *L);
bool luadoc_is_unknown(lua_State *L, int idx);
/* Pushes the value at idx as JSON text: object keys sorted, empty tables as [], the unknown
 * sentinel, functions and other host values as null. */
void luadoc_push_json(lua_State *L, int idx);

#endif
