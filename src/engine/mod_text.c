/* moongate.contains (see mod_text.h). */
#define _GNU_SOURCE /* memmem */
#include "engine/mod_text.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "engine/luadoc.h"
#include "load/doc.h"

#define TEXT_MAX_DEPTH 1000 /* nesting of plain tables searched */

/* A hash of two bytes into 512 bits: a string position whose bit is clear starts no text. */
static unsigned pair_bit(const char *p)
{
	return ((unsigned char)p[0] * 33u + (unsigned char)p[1]) & 511u;
}

/* True when one of the texts occurs in s. With texts of two bytes or more, one pass over s
 * checks each position's first two bytes against all texts at once. */
static bool has_text(const struct mod_texts *t, const char *s, size_t len)
{
	if (len < t->shortest)
		return false;
	if (t->shortest < 2) {
		for (size_t i = 0; i < t->n; i++)
			if (t->len[i] <= len && memmem(s, len, t->s[i], t->len[i]))
				return true;
		return false;
	}
	for (size_t i = 0; i + t->shortest <= len; i++) {
		unsigned bit = pair_bit(s + i);
		if (!(t->pairs[bit >> 6] >> (bit & 63) & 1))
			continue;
		for (size_t k = 0; k < t->n; k++)
			if (t->len[k] <= len - i && memcmp(s + i, t->s[k], t->len[k]) == 0)
				return true;
	}
	return false;
}

static bool doc_string_has(const struct doc *doc, uint32_t node, const struct mod_texts *t)
{
	const struct doc_node *nd = doc_node(doc, node);
	if (!(nd->flags & DOC_ESCAPED))
		return has_text(t, doc->text + nd->text, nd->len);
	size_t len;
	char *s = doc_strdup(doc, node, &len);
	bool found = has_text(t, s, len);
	free(s);
	return found;
}

/* The strings of the subtree of node, object keys left out (and values a repeated key
 * hides, as readers never see them). */
bool mod_text_in_doc(const struct doc *doc, uint32_t node, const struct mod_texts *t)
{
	const struct doc_node *nd = doc_node(doc, node);
	if (nd->type == DOC_STRING)
		return doc_string_has(doc, node, t);
	if (nd->type == DOC_ARRAY) {
		for (uint32_t c = node + 1; c < nd->after; c = doc_end(doc, c))
			if (mod_text_in_doc(doc, c, t))
				return true;
	} else if (nd->type == DOC_OBJECT) {
		for (uint32_t k = node + 1; k < nd->after; k = doc_end(doc, k + 1)) {
			if (!doc_key_hidden(doc, node, k) && mod_text_in_doc(doc, k + 1, t))
				return true;
		}
	}
	return false;
}

static bool value_has(lua_State *L, int idx, const struct mod_texts *t, int seen, int depth);

/* A table: through its document when it is a view, else member by member (once each). */
static bool table_has(lua_State *L, int idx, const struct mod_texts *t, int seen, int depth)
{
	uint32_t node;
	const struct doc *doc = luadoc_view_node(L, idx, &node, NULL);
	if (doc)
		return mod_text_in_doc(doc, node, t);
	if (depth > TEXT_MAX_DEPTH)
		luaL_error(L, "moongate.contains: tables nested deeper than %d levels", TEXT_MAX_DEPTH);
	lua_pushvalue(L, idx);
	if (lua_rawget(L, seen) != LUA_TNIL) {
		lua_pop(L, 1);
		return false;
	}
	lua_pop(L, 1);
	lua_pushvalue(L, idx);
	lua_pushboolean(L, 1);
	lua_rawset(L, seen);
	luadoc_touch(L, idx);
	luaL_checkstack(L, 4, "moongate.contains");
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (value_has(L, lua_gettop(L), t, seen, depth + 1)) {
			lua_pop(L, 2);
			return true;
		}
		lua_pop(L, 1);
	}
	return false;
}

static bool value_has(lua_State *L, int idx, const struct mod_texts *t, int seen, int depth)
{
	if (lua_type(L, idx) == LUA_TSTRING) {
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);
		return has_text(t, s, len);
	}
	return lua_type(L, idx) == LUA_TTABLE && table_has(L, lua_absindex(L, idx), t, seen, depth);
}

bool mod_text_in_value(lua_State *L, int idx, const struct mod_texts *t)
{
	idx = lua_absindex(L, idx);
	if (t->n == 0 || lua_type(L, idx) == LUA_TSTRING)
		return t->n > 0 && value_has(L, idx, t, 0, 0);
	uint32_t node;
	const struct doc *doc = luadoc_view_node(L, idx, &node, NULL);
	if (doc)
		return mod_text_in_doc(doc, node, t);
	if (lua_type(L, idx) != LUA_TTABLE)
		return false;
	lua_newtable(L); /* the plain tables seen */
	bool found = table_has(L, idx, t, lua_gettop(L), 0);
	lua_pop(L, 1);
	return found;
}

void mod_text_read(lua_State *L, int idx, struct mod_texts *t, const char *fname)
{
	idx = lua_absindex(L, idx);
	bool one = lua_type(L, idx) == LUA_TSTRING;
	if (!one)
		luaL_checktype(L, idx, LUA_TTABLE);
	t->n = one ? 1 : (size_t)lua_rawlen(L, idx);
	t->s = lua_newuserdatauv(L, (t->n + 1) * (sizeof *t->s + sizeof *t->len), 0);
	t->len = (size_t *)(void *)(t->s + t->n + 1);
	t->shortest = SIZE_MAX;
	memset(t->pairs, 0, sizeof t->pairs);
	for (size_t i = 0; i < t->n; i++) {
		if (!one && lua_rawgeti(L, idx, (lua_Integer)i + 1) != LUA_TSTRING)
			luaL_error(L, "%s: text %d is not a string", fname, (int)i + 1);
		t->s[i] = lua_tolstring(L, one ? idx : -1, &t->len[i]);
		if (!one)
			lua_pop(L, 1); /* still referenced by the argument */
		if (t->len[i] < t->shortest)
			t->shortest = t->len[i];
		if (t->len[i] >= 2) {
			unsigned bit = pair_bit(t->s[i]);
			t->pairs[bit >> 6] |= (uint64_t)1 << (bit & 63);
		}
	}
}

int mod_text_contains(lua_State *L)
{
	luaL_checkany(L, 1);
	lua_settop(L, 2);
	struct mod_texts t;
	mod_text_read(L, 2, &t, "moongate.contains");
	lua_pushboolean(L, mod_text_in_value(L, 1, &t));
	return 1;
}
