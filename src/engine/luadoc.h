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
/*
 * Shared stores and per-policy views. A store holds one object or array of a document for
 * the whole engine run, shared by every policy: scalar members as raw fields, built on
 * first read; objects and arrays as child stores. Policies never see a store: each policy
 * sees views, empty tables whose locked metatable reads through to the store, and reading
 * an object or array member gives this policy's view of the child store (the same table on
 * every read in one policy run). Any write, pairs(), next(), rawget(), rawlen(), rawset()
 * or JSON encoding first copies every member into the view and replaces its metatable by
 * one that reads nothing (still locked): from then on it is the policy's own table, and nothing it does reaches another policy.
 * A policy reading r.values.region does not pay for the whole attribute tree, and the next
 * policy reading it pays for no conversion at all.
 * Two cheaper forms for what one policy alone reads: the first view of a document store is
 * young (it holds its store and shares one metatable with a C __index; the store's own view
 * metatable is made when a second policy views it), and a leaf (an object or list of at
 * most 4 scalars) is copied whole into the first policy that reads it, becoming a store
 * when a second one does.
 *
 * A store's kind says how it builds a member it lacks: build(store, key) returns nil, a
 * scalar (kept in the store) or a new store (kept as its child); keys(store) returns the
 * list of every key, for copying into a view.
 */
struct luadoc_kind {
	lua_CFunction build;
	lua_CFunction keys;
};
/* True when the value at idx is a store. */
bool luadoc_is_store(lua_State *L, int idx);
/* Makes the table at idx a store of kind (NULL: a plain store, which builds nothing: every
 * member is set when it is made). */
void luadoc_make_store(lua_State *L, int idx, const struct luadoc_kind *kind);
/* Pushes node (with after_unknown node unknown) as a store holds it: a new store for an
 * object or array, else the value (nil for DOC_NONE). ref is the index of the document
 * reference (luadoc_push_docref); nil when it was invalidated. */
void luadoc_push_shared(lua_State *L, int ref, uint32_t node, uint32_t unknown);
/* Pushes the running policy's view of the store at idx; true when it was made now. Outside
 * a policy run (no luadoc_views_begin), every call makes a new view. */
bool luadoc_push_view(lua_State *L, int store);
/* Pushes a new view of the store at idx, whoever asks again. */
void luadoc_push_new_view(lua_State *L, int store);
/* Pushes a new plain store holding what the table at idx holds now. The table must hold no
 * table: a view would hand it out to be written into. */
void luadoc_push_frozen(lua_State *L, int idx);
/* Prepares a new state for views; call it first, before any coroutine is made. */
void luadoc_init(lua_State *L);
/* Starts a policy run: views are never shared between two runs. Returns what to give
 * luadoc_views_end, which puts back the views of the run this one was nested in. */
lua_Integer luadoc_views_begin(lua_State *L);
void luadoc_views_end(lua_State *L, lua_Integer saved);
/* Pushes the store the view at idx reads, or read before it was copied, and returns its
 * index; returns 0 (nothing pushed) for any other value. */
int luadoc_push_origin(lua_State *L, int idx);
/* The document and node (and, when unknown is not NULL, the after_unknown node) that the
 * view at idx reads while it is still a view (not written into, not iterated); NULL for any
 * other value. */
const struct doc *luadoc_view_node(lua_State *L, int idx, uint32_t *node, uint32_t *unknown);
/* Pushes node (with after_unknown node unknown) of the document the view at idx reads, as a
 * read of it gives: a scalar, nil, the unknown sentinel, or a new view of its own (a copy for
 * a leaf), apart from the members of the view at idx. nil when idx holds no view. */
void luadoc_push_node(lua_State *L, int view, uint32_t node, uint32_t unknown);
/* Copies the view at idx into the table itself, as pairs() does first; no-op for any other
 * value. */
void luadoc_touch(lua_State *L, int idx);
/* Pushes the list of the raw keys of the store at idx (hidden keys left out). */
void luadoc_push_raw_keys(lua_State *L, int store);
/* Pushes a new document reference (a userdata) for stores of doc. */
void luadoc_push_docref(lua_State *L, const struct doc *doc);
/* Invalidates the document reference at idx: its stores build nothing more. */
void luadoc_docref_invalidate(lua_State *L, int idx);
/* next, rawget, rawlen and rawset that copy views first (for policy sandboxes). */
extern const struct luaL_Reg luadoc_raw_funcs[];

/* Pushes the moongate.unknown sentinel. */
void luadoc_push_unknown(lua_State *L);
bool luadoc_is_unknown(lua_State *L, int idx);
/* Pushes the value at idx as JSON text: object keys sorted, empty tables as [], the unknown
 * sentinel, functions and other host values as null. */
void luadoc_push_json(lua_State *L, int idx);

#endif
