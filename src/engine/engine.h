/*
 * The policy engine: loads Lua 5.4 policies (the built-in pack and organisation policy roots)
 * into one sandboxed Lua state and runs them over a model (on a big model, on several threads
 * with a state each: engine_options.lanes). Policy errors and budget overruns
 * become DIAG_POLICY diagnostics naming the policy, file:line and a traceback; every other
 * policy still runs. The Lua API policies see is documented in docs/policy-guide.md.
 */
#ifndef MG_ENGINE_ENGINE_H
#define MG_ENGINE_ENGINE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "engine/finding.h"
#include "model/model.h"
#include "util/sha256.h"
#include "util/diag.h"

#define ENGINE_DEFAULT_MEMORY_LIMIT ((size_t)1 << 30)  /* bytes for the whole Lua state */
#define ENGINE_DEFAULT_INSTRUCTIONS ((uint64_t)1 << 30) /* VM instructions per policy run */
#define ENGINE_DEFAULT_TIMEOUT 10.0 /* wall seconds per policy run */
#define ENGINE_DEFAULT_MAX_FINDINGS 100000 /* findings of one policy in one run */
#define ENGINE_MAX_LANES 8     /* threads running policies */
#define ENGINE_LANE_MIN 500    /* resources a model needs before its policies use lanes */

struct lua_State;
struct lua_Debug;

struct engine_options {
	bool builtin;                   /* load the built-in pack (--no-builtin clears it) */
	const char *const *policy_dirs; /* organisation policy roots (--policy, policy_paths) */
	size_t npolicy_dirs;
	size_t memory_limit;            /* 0: ENGINE_DEFAULT_MEMORY_LIMIT */
	uint64_t instruction_budget;    /* 0: ENGINE_DEFAULT_INSTRUCTIONS */
	double timeout;                 /* wall seconds per policy (--policy-timeout); 0: 10 s */
	size_t max_findings;            /* per policy per run; 0: ENGINE_DEFAULT_MAX_FINDINGS. A
	                                   policy reporting more fails (its first ones are kept) */
	uint32_t regex_match;           /* PCRE2 steps per match; 0: MOD_REGEX_MATCH_LIMIT */
	uint32_t regex_depth;           /* PCRE2 backtracking depth; 0: MOD_REGEX_DEPTH_LIMIT */
	uint32_t regex_heap_kib;        /* PCRE2 heap per match in KiB; 0: MOD_REGEX_HEAP_LIMIT */
	const struct config *config;    /* params and per-policy settings, or NULL */
	/* Threads running the policies of a model of ENGINE_LANE_MIN resources or more (0 or 1:
	 * one; at most ENGINE_MAX_LANES). Each extra lane is a Lua state of its own that loads
	 * the same policies on the first such run, so config must then outlive the engine.
	 * Results are the same as on one thread; budgets and the memory limit are per lane. */
	unsigned lanes;
	/* Coverage (moongate test): called on every new line of Lua run, loading included. */
	void (*line_hook)(void *ud, struct lua_State *L, struct lua_Debug *ar);
	void *line_ud;
};

/* What list and explain show of a loaded policy. All strings owned by the engine. */
struct policy_info {
	const char *id;          /* "residency/allowed-regions" */
	const char *file;        /* "policies/residency/allowed-regions.lua" or the org file path */
	bool builtin;
	bool enabled;            /* after config */
	enum severity severity;  /* after config */
	const char *title;
	const char *description;
	const char *remediation; /* may be NULL */
	const char *tags;        /* comma-separated, may be "" */
	const char *types;       /* comma-separated globs, "" for all */
	const char *references;  /* newline-separated, may be "" */
	const char *params_json; /* the effective params as a JSON object, keys sorted */
	const char *defaults_json; /* the policy's own defaults as a JSON object, keys sorted */
	char sha256[SHA256_HEX]; /* of the source that was loaded; "" if it could not be read */
};

struct engine;

/* Creates an engine and loads every policy. Load errors go to d (DIAG_POLICY with the file
 * and line; an unreadable policy directory is DIAG_USAGE); the engine is still returned with
 * the policies that loaded. opts is copied; opts->config is read only during this call
 * unless opts->lanes > 1 (see there). */
struct engine *engine_new(const struct engine_options *opts, struct diags *d);
size_t engine_policy_count(const struct engine *e);
const struct policy_info *engine_policy(const struct engine *e, size_t i); /* sorted by id */
/* Runs every enabled policy over m, appending findings (unsorted) and DIAG_POLICY diagnostics.
 * Policies run in id order, each over its resources in model order. A policy that fails is
 * stopped and reported (message: "error while checking 'addr': ..." plus a traceback); the
 * findings it produced before failing are kept. May be called again with another model. */
void engine_run(struct engine *e, struct model *m, struct findings *out, struct diags *d);
/* Starts loading the policies of the extra lanes (engine_options.lanes) on helper threads,
 * so that they are ready when the policies of a big model run: call it before loading an
 * input that will likely give one. engine_run (when it uses the lanes) and engine_free wait
 * for them. No-op with one lane, or when they were made already. */
void engine_prepare_lanes(struct engine *e);
/* Releases everything, closing the Lua state (lua_close walks the whole heap: a CLI that is
 * about to exit may skip this). */
void engine_free(struct engine *e);

#endif
