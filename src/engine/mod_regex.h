/*
 * moongate.regex: PCRE2 regular expressions for policies. Patterns are compiled once and
 * cached in C by pattern text (JIT-compiled, when available, once a pattern has run often); every match runs under match, depth and
 * heap limits so a catastrophic pattern raises "regex match limit exceeded" instead of
 * hanging (count hooks do not fire inside C functions).
 */
#ifndef MG_ENGINE_MOD_REGEX_H
#define MG_ENGINE_MOD_REGEX_H
#include <lua.h>

#define MOD_REGEX_MATCH_LIMIT 1000000u /* backtracking steps per match */
#define MOD_REGEX_DEPTH_LIMIT 10000u
#define MOD_REGEX_HEAP_LIMIT 20000u    /* KiB */
#define MOD_REGEX_CACHE_MAX 1024       /* compiled patterns kept; the cache is flushed beyond */

/* Pushes the moongate.regex table (match, test, find); its functions share one cache owned
 * by the state (freed by the cache userdata's __gc). */
void mod_regex_push(lua_State *L);

#endif
