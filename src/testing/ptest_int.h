/*
 * Private to the policy test runner: the pieces ptest.c drives (fixture cases, Lua test
 * files, coverage) and the result helpers they share.
 */
#ifndef MG_TESTING_PTEST_INT_H
#define MG_TESTING_PTEST_INT_H
#include <stdbool.h>
#include <stdio.h>

#include <lua.h>

#include "engine/engine.h"
#include "testing/ptest.h"

/* Appends a passing result; strings are copied. */
struct ptest_result *ptest_add(struct ptest_report *r, const char *policy, const char *name,
                               const char *file, unsigned line);
/* Marks t failed and appends one line to its detail. */
void ptest_fail(struct ptest_result *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* True when -k selects the test (no pattern selects all). */
bool ptest_selected(const struct ptest_options *o, const char *policy, const char *name);

/* ptest_fixture.c: runs the case directory dir of policy under e into t. */
void ptest_fixture_run(struct engine *e, const char *policy, const char *dir,
                       struct ptest_result *t);
/* True when the case directory has its own config.yaml (path in *config, to free). */
bool ptest_fixture_config(const char *dir, char **config);

/* ptest_lua.c: runs the test functions of the Lua test file path (for policy) under e. */
void ptest_lua_file(struct engine *e, const struct ptest_options *o, const char *policy,
                    const char *path, struct ptest_report *r);

/* ptest_cover.c: lines run, per chunk; the line hook of every engine the tests use. */
struct ptest_cov;
struct ptest_cov *ptest_cov_new(void);
void ptest_cov_hook(void *ud, lua_State *L, lua_Debug *ar);
/* Adds one coverage row per policy loaded in e (the root's policies). */
void ptest_cov_collect(struct ptest_cov *c, struct engine *e, struct ptest_report *r);
void ptest_cov_free(struct ptest_cov *c);

#endif
