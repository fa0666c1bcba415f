/* Shell-style globs for policy `types`, model.by_type and moongate.glob. */
#ifndef MG_ENGINE_MOD_GLOB_H
#define MG_ENGINE_MOD_GLOB_H
#include <stdbool.h>

#include <lua.h>

/* True when s matches pattern: `*` any run of bytes (including none), `?` one byte,
 * `[abc]`, `[a-z]`, `[!x]` or `[^x]` one byte of (or not of) a set, `\` quotes the next
 * character. A `[` without a closing `]` is literal. `/` and `.` are ordinary bytes. */
bool mod_glob_match(const char *pattern, const char *s);
/* moongate.glob(pattern, s) */
int mod_glob_lua(lua_State *L);

#endif
