/*
 * The Lua sandbox: one lua_State per engine with an allocator that enforces a memory cap, a
 * count hook that enforces an instruction budget and a wall-clock deadline per policy run,
 * and a template of the allowed globals from which every policy gets its own _ENV.
 *
 * Budgets: sandbox_begin arms them; once exceeded, the hook raises on every later check so a
 * pcall inside a policy cannot swallow the overrun. sandbox_pcall classifies what went wrong.
 */
#ifndef MG_ENGINE_SANDBOX_H
#define MG_ENGINE_SANDBOX_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <lua.h>

#include "util/slab.h"

enum sandbox_trip {
	SANDBOX_RUNNING,      /* no budget exceeded */
	SANDBOX_INSTRUCTIONS, /* the instruction budget is spent */
	SANDBOX_TIMEOUT,      /* the wall-clock deadline has passed */
};

struct sandbox {
	lua_State *L;
	struct slab slab;       /* where the Lua heap lives */
	size_t used, limit;     /* bytes allocated by Lua, and the cap */
	bool refused;           /* an allocation was refused by the cap (vs. a real malloc failure) */
	uint64_t count, budget; /* instructions run since sandbox_begin, and the budget */
	double timeout;         /* seconds */
	struct timespec deadline;
	enum sandbox_trip tripped;
	void *host;             /* the engine that owns the sandbox, for C callbacks */
	/* PCRE2 limits of moongate.regex (steps, depth, heap in KiB); 0: the MOD_REGEX_* default */
	uint32_t regex_match, regex_depth, regex_heap_kib;
	/* Called on every new line of Lua code run while set (coverage); NULL: no line hook. */
	void (*line_hook)(void *ud, lua_State *L, lua_Debug *ar);
	void *line_ud;
};

/* A failed protected call, split for a diagnostic. Strings are owned (free with
 * sandbox_error_free); file is the chunk name of the first position, or NULL. */
struct sandbox_error {
	char *message;
	char *file;
	unsigned line;
	char *traceback;
};

/* Creates the state and its globals template in protected mode. False (with err filled)
 * when even that fails. */
bool sandbox_open(struct sandbox *sb, size_t memory_limit, void *host, struct sandbox_error *err);
void sandbox_close(struct sandbox *sb);
/* The sandbox of a state (the allocator's user data). */
struct sandbox *sandbox_from(lua_State *L);

/* Arms the budgets for one policy run. */
void sandbox_begin(struct sandbox *sb, uint64_t budget, double timeout);
/* lua_pcall with a traceback handler. On failure the stack is as before the function and
 * its arguments were pushed, err is filled and false is returned. A budget overrun swallowed
 * by the policy still counts as a failure. */
bool sandbox_pcall(struct sandbox *sb, int nargs, int nresults, struct sandbox_error *err);
void sandbox_error_free(struct sandbox_error *err);
/* Fills err from a Lua error text "chunk:line: message\nstack traceback:...". */
void sandbox_error_parse(struct sandbox_error *err, const char *text);

/* Pushes a fresh _ENV: a copy of the allowed globals (library tables as views of one shared
 * store each, moongate copied whole: writes stay in this environment), _G pointing at itself and a `load` bound
 * to it. `require` is the
 * caller's to set. */
void sandbox_new_env(lua_State *L);

#endif
