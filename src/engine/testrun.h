/*
 * What `moongate test` needs of the engine beyond engine_run: running one policy alone (with
 * parameters overridden from Lua), a line hook for coverage, and the sandbox for Lua test
 * files. The engine keeps ownership of its state; nothing here outlives the engine.
 */
#ifndef MG_ENGINE_TESTRUN_H
#define MG_ENGINE_TESTRUN_H
#include <stdbool.h>

#include <lua.h>

#include "engine/engine.h"
#include "engine/sandbox.h"

/* Called on every new line of Lua code the engine runs (policies, libraries, test files). */
typedef void (*engine_line_fn)(void *ud, lua_State *L, lua_Debug *ar);

/* Runs the policy id alone over m, when it is enabled, appending its findings to out and
 * its errors (DIAG_POLICY) to d. False when no loaded policy has that id. */
bool engine_run_only(struct engine *e, const char *id, struct model *m, struct findings *out,
                     struct diags *d);
/* As engine_run_only, from inside a Lua call on the engine's state: the table at params_idx
 * (or nil) overrides ctx.params for this run only. May raise only on out-of-memory. */
bool engine_run_only_params(struct engine *e, const char *id, int params_idx, struct model *m,
                            struct findings *out, struct diags *d);
/* Sets (fn non-NULL) or clears the line hook; it takes effect at the next run. */
void engine_set_line_hook(struct engine *e, engine_line_fn fn, void *ud);
/* The engine's Lua state (NULL when the sandbox could not start) and a fresh sandboxed _ENV
 * pushed on it, as every policy gets. */
lua_State *engine_lua(struct engine *e);
void engine_push_env(struct engine *e);
/* Arms the sandbox budgets and calls the function below nargs arguments in protected mode,
 * as for a policy; false with err filled when it failed. */
bool engine_pcall(struct engine *e, int nargs, int nresults, struct sandbox_error *err);
/* The lines of policy id's file that hold code: those of its main chunk and of every
 * function of that file reachable from the policy's table (through tables and upvalues).
 * *lines[k] is true for line k; *n lines are allocated. False when id is not loaded. */
bool engine_code_lines(struct engine *e, const char *id, bool **lines, size_t *n);

#endif
