/*
 * Policy tests (`moongate test`): finds the tests under policy roots, runs them and reports.
 * Two kinds of test exist beside a policy <root>/<id>.lua (see docs/policy-testing.md):
 *   fixture cases  <id>.tests/<case>/ with input files, an optional config.yaml and an
 *                  expect.yaml listing the exact findings of that policy;
 *   Lua test files <id>_test.lua returning a table of test functions that build inputs in
 *                  Lua, run a policy and assert on its findings.
 * Each root's policies are loaded from the root's sources (never the embedded copies).
 * Nothing here prints: results go into a ptest_report, writers fill a buf.
 * Ownership: a report owns every string of its results and coverage rows.
 */
#ifndef MG_TESTING_PTEST_H
#define MG_TESTING_PTEST_H
#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/diag.h"

enum ptest_status { PTEST_PASS, PTEST_FAIL, PTEST_SKIP };

struct ptest_result {
	char *policy;            /* id of the policy under test */
	char *name;              /* case directory name or test function name */
	char *file;              /* the case directory or the test file */
	unsigned line;           /* where the test function is defined; 0 for a case */
	enum ptest_status status;
	char *detail;            /* why it failed or was skipped (several lines), or NULL */
	bool saw_clean;          /* the test ran the policy and expected no finding */
	bool saw_finding;        /* the test ran the policy and expected findings */
	double seconds;
};

/* Coverage of one policy file. */
struct ptest_cover {
	char *policy;
	char *file;
	bool has_pass, has_fail;  /* a passing test expecting none / expecting findings */
	unsigned code_lines, hit_lines;
	char *missed;             /* lines with code no test ran: "12, 15-18", or "" */
};

struct ptest_report {
	struct ptest_result *results;
	size_t nresults, cap;
	struct ptest_cover *cover; /* by policy id; filled when coverage was asked for */
	size_t ncover, cover_cap;
	bool coverage;
	size_t passed, failed, skipped;
};

struct ptest_options {
	const char *const *roots; /* policy roots to test */
	size_t nroots;
	const char *pattern;      /* -k: substring or glob over "policy name"; NULL: all */
	bool coverage;
	double timeout;           /* seconds per policy run; 0: the engine's default */
};

/* Runs every selected test under the roots. Problems that stop a root altogether (it cannot
 * be read) are DIAG_USAGE in d; policy load errors are DIAG_POLICY in d and fail that
 * policy's tests. */
void ptest_run(const struct ptest_options *o, struct ptest_report *r, struct diags *d);
void ptest_report_free(struct ptest_report *r);

/* "residency/allowed-regions fail-eu-west-2": the name -k matches and reports show. */
char *ptest_full_name(const struct ptest_result *t);

/* Reports: one line per test, a diff under each failure, then "N passed, N failed"
 * (", N skipped" when any); the coverage table follows when present. */
void ptest_write_text(const struct ptest_report *r, struct buf *out);
void ptest_write_json(const struct ptest_report *r, struct buf *out);
/* JUnit XML: one testsuite per policy, one testcase per test. */
void ptest_write_junit(const struct ptest_report *r, struct buf *out);

/* `moongate new policy`: writes dir/<id>.lua, dir/<id>.tests/{pass,fail}/ and
 * dir/<id>_test.lua. False with a DIAG_USAGE in d when the id is not valid or a file
 * exists already (nothing is overwritten). */
bool ptest_new_policy(const char *dir, const char *id, struct diags *d);

#endif
