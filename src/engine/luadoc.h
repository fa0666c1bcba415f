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
#include <lauxlib.h>

#include "load/doc.h"

/* Pushes node of doc as a Lua value (nil for DOC_NONE). unknown is the matching node of a
 * plan's after_unknown tree (true where the value is unknown), or DOC_NONE. Runs with the
 * collector stopped; may raise a memory error. */
void luadoc_push(lua_State *L, const struct doc *doc, uint32_t node, uint32_t unknown);
/* Lazy objects. A large object (a resource's `values`, `before`...) is pushed as an empty
 * table whose members are built one at a time on first read, through a locked metatable:
 * a policy reading r.values.region does not pay for the whole attribute tree. Any write,
 * pairs(), next(), rawget(), rawlen(), rawset() or JSON encoding first builds every member
 * (reusing those already read, so identity holds) and drops the metatable: from then on it
 * is a plain table. ref is the document reference (luadoc_push_docref) the table reads
 * from; when the ref is invalidated (the run that made it ended), unread members read as
 * nil. Pushes a plain table (luadoc_push) for small objects and any other value. */
void luadoc_push_lazy(lua_State *L, int ref, uint32_t node, uint32_t unknown);
/* Pushes a new document reference (a userdata) for lazy objects of doc. */
void luadoc_push_docref(lua_State *L, const struct doc *doc);
/* Invalidates the document reference at idx: its lazy objects read nothing more. */
void luadoc_docref_invalidate(lua_State *L, int idx);
/* Builds every member of the lazy object at idx (no-op for any other value). */
void luadoc_touch(lua_State *L, int idx);
/* next, rawget, rawlen and rawset that build lazy objects first (for policy sandboxes). */
extern const struct luaL_Reg luadoc_raw_funcs[];

/* Pushes the moongate.unknown sentinel. */
void luadoc_push_unknown(lua_State *L);
bool luadoc_is_unknown(lua_State *L, int idx);
/* Pushes the value at idx as JSON text: object keys sorted, empty tables as [], the unknown
 * sentinel, functions and other host values as null. */
void luadoc_push_json(lua_State *L, int idx);

#endif
