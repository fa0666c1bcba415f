/*
 * The built-in policy pack and its library, compiled into the binary from policies/ by
 * cmake/embed_policies.cmake. Ids are paths under policies/ without ".lua": policies
 * ("residency/allowed-regions") and library modules ("lib/regions") alike.
 */
#ifndef MG_ENGINE_BUILTIN_H
#define MG_ENGINE_BUILTIN_H
#include <stddef.h>

struct mg_builtin {
	const char *id;     /* "residency/allowed-regions", "lib/regions" */
	const char *path;   /* "policies/residency/allowed-regions.lua", for messages */
	const char *source; /* NUL-terminated Lua source */
	size_t len;
};

extern const struct mg_builtin mg_builtins[]; /* terminated by an entry with id NULL */
extern const size_t mg_builtins_count;

#endif
