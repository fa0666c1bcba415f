/*
 * Private to the engine: the engine, its policies and the state of one run, shared by
 * engine.c, policyload.c, policyrun.c, rtable.c and result.c.
 *
 * Lua objects a policy keeps between load and run are registry references (LUA_NOREF when
 * absent). Per-run tables (resource cache, model) are created for one policy and released
 * when it ends, so nothing one policy builds is seen by another.
 */
#ifndef MG_ENGINE_ENGINE_INT_H
#define MG_ENGINE_ENGINE_INT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "engine/sandbox.h"

struct policy {
	struct policy_info info; /* every string owned */
	char **globs;            /* the `types` globs; none: every type */
	size_t nglobs;
	bool has_check, has_evaluate, include_destroyed;
	int check_line;          /* where check is defined, for result errors */
	int evaluate_line;       /* where evaluate is defined */
	int ref_table;           /* the table the policy returned */
	int ref_params;          /* ctx.params: defaults <- global params <- policy params */
	int ref_configured;      /* set of the param names that came from the config */
};

struct engine {
	struct sandbox sb;
	char **roots;            /* organisation policy roots, in search order */
	size_t nroots;
	bool builtin;
	uint64_t budget;
	double timeout;
	size_t max_findings;
	const struct config *config;
	struct policy *policies; /* sorted by id */
	size_t npolicies;
	struct run *run;         /* the run in progress, for the Lua callbacks */
	int ref_pack_modules;    /* the module cache the built-in policies share, or LUA_NOREF
	                            until the first is loaded (policyload.c) */
	struct engine_options opts; /* as given, policy_dirs = roots: what a twin is made with */
	struct engine **twins;   /* opts.lanes - 1 engines loading the same policies, made on the
	                            first run with lanes (lanes.c); NULL: could not be */
	bool twins_tried;        /* that first run happened */
	struct lane_prep *prep;  /* helper threads making the twins (engine_prepare_lanes), or
	                            NULL */
};

/* One engine_run: indexes over the model built once, and the policy being run. */
struct run {
	struct engine *e;
	struct model *m;
	struct findings *out;
	struct diags *d;
	const char **types;      /* distinct resource types, sorted */
	size_t ntypes;
	uint32_t *rtype;         /* resource -> index into types */
	size_t *type_first;      /* per type t: its resources are type_members[type_first[t] ..
	                            type_first[t + 1]), in model order */
	uint32_t *type_members;
	bool *glob_hit;          /* scratch for model.by_type: per type, matches the glob */
	size_t *by_address;      /* resource indexes sorted by address */
	unsigned *line, *column; /* resource declaration positions, computed on first use */
	struct policy *p;        /* the policy running */
	size_t nfound;           /* findings p has reported so far */
	bool in_evaluate;        /* p's evaluate is running (else its check) */
	bool *matched;           /* per type: matches p's globs */
	int ref_model;           /* p's model table, or LUA_NOREF until first use */
	lua_Integer saved_views;       /* the views p's run replaced (luadoc_views_begin) */
	int ref_stores;          /* [index + 1] -> resource store, shared by the run's policies
	                            (LUA_NOREF until the first policy) */
	int ref_docrefs;         /* [input + 1] -> document reference of the run's stores */
	uint32_t serial;         /* this run among the state's runs (resource stores name it) */
};

/* engine.c: runs p alone over run (its budgets armed, its errors reported to run->d). */
void run_policy(struct engine *e, struct run *run, struct policy *p);

/* policyload.c */
void policyload_all(struct engine *e, struct diags *d);
void policyload_free(struct engine *e, struct policy *p);
/* Converts a failed protected call into a DIAG_POLICY for p (what: "loading", "checking
 * 'addr'", ...). */
void policyload_report(const struct policy *p, const char *what, struct sandbox_error *err,
                       struct diags *d);

/* run.c */
void run_init(struct run *run, struct engine *e, struct model *m, struct findings *out,
              struct diags *d);
void run_free(struct run *run);
/* Sets run->matched[t] for every type t that p's globs select (all types without globs). */
void run_match_types(struct run *run, const struct policy *p);
/* Declaration position of resource i (0, 0 when unknown). */
void run_position(struct run *run, size_t i, unsigned *line, unsigned *column);
/* The index of the resource with that address, or SIZE_MAX. */
size_t run_find(const struct run *run, const char *address);
/* Marks in run->glob_hit the types glob matches; returns how many and, in *only, the last
 * one matched (the type to walk when it is the only one). */
size_t run_match_glob(struct run *run, const char *glob, size_t *only);
/* True when p sees resource i at all (destroy-only resources need include_destroyed). */
bool run_visible(const struct run *run, size_t i);

/* rtable.c: Lua views of resources and of the model, for the running policy */
void rtable_begin(lua_State *L, struct run *run);
void rtable_end(lua_State *L, struct run *run);
/* Releases what the run's resource tables shared across policies (after the last one). */
void rtable_free_run(lua_State *L, struct run *run);
void rtable_push_resource(lua_State *L, struct run *run, size_t i);
/* The resource index of the resource table at idx, or SIZE_MAX. */
size_t rtable_index(lua_State *L, struct run *run, int idx);
void rtable_push_model(lua_State *L, struct run *run);
/* Pushes the ctx table of the running policy. */
void rtable_push_ctx(lua_State *L, struct run *run);

/* lanes.c: runs e's policies over m on opts.lanes threads, results in policy order; false
 * (nothing done) when the model is too small or there are no lanes. */
bool lanes_run(struct engine *e, struct model *m, struct findings *out, struct diags *d);
/* lanes.c: waits for the threads of engine_prepare_lanes, if any. */
void lanes_join_prep(struct engine *e);

/* result.c: converts what check/evaluate returned (at idx) into findings; raises on a
 * malformed result. resource: the resource checked, or SIZE_MAX for evaluate. */
void result_collect(lua_State *L, struct run *run, int idx, size_t resource);

#endif
