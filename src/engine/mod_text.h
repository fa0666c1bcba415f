/* moongate.contains: plain-text search through the strings of a value. */
#ifndef MG_ENGINE_MOD_TEXT_H
#define MG_ENGINE_MOD_TEXT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lua.h>

#include "load/doc.h"

/* The texts searched for: a string or a list of strings given by a policy. */
struct mod_texts {
	const char **s;
	size_t *len;
	size_t n;
	size_t shortest;
	uint64_t pairs[8]; /* a bit per hash of the first two bytes of every text */
};

/* Reads the texts at idx (a string or a list of strings) into t, in a userdata it pushes;
 * the strings stay referenced by idx. Raises "fname: text N is not a string". */
void mod_text_read(lua_State *L, int idx, struct mod_texts *t, const char *fname);
/* True when a string in the value at idx (itself, or inside it, keys left out) contains one
 * of t: views through their documents, other tables walked (each once). */
bool mod_text_in_value(lua_State *L, int idx, const struct mod_texts *t);
/* True when a string of the subtree at node contains one of t (keys and the values a
 * repeated key hides left out). */
bool mod_text_in_doc(const struct doc *doc, uint32_t node, const struct mod_texts *t);

/* moongate.contains(value, text or {texts}): true when a string in value (value itself, or
 * any string value inside a table, keys left out) contains one of the texts. A value read
 * from a resource is searched in its document as parsed, without building Lua tables for it;
 * other tables are walked (each once). */
int mod_text_contains(lua_State *L);

#endif
