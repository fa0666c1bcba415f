/*
 * The built-in policy pack and its library, compiled into the binary from policies/ by
 * cmake/embed_policies.cmake. Ids are paths under policies/ without ".lua": policies
 * ("residency/allowed-regions") and library modules ("lib/regions") alike.
 */
#ifndef MG_ENGINE_BUILTIN_H
#define MG_ENGINE_BUILTIN_H
#include <stddef.h>

#include <lua.h>

struct mg_builtin {
	const char *id;       /* "residency/allowed-regions", "lib/regions" */
	const char *path;     /* "policies/residency/allowed-regions.lua", for messages */
	const char *source;   /* NUL-terminated Lua source */
	size_t len;
	const char *bytecode; /* the source compiled at build time, named "@" path */
	size_t bytecode_len;  /* 0 when the source does not compile */
	const char *sha256;   /* of the source, 64 hex digits */
};

extern const struct mg_builtin mg_builtins[]; /* terminated by an entry with id NULL */
extern const size_t mg_builtins_count;

/* The built-in with this id, or NULL. */
const struct mg_builtin *builtin_find(const char *id);

/* Pushes the chunk of b as lua_load does and returns its status: the bytecode when the
 * running Lua accepts it, else the source compiled now (its errors as for any policy). */
int builtin_load(lua_State *L, const struct mg_builtin *b);

#endif
