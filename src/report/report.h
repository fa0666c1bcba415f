/*
 * What every reporter receives: the sorted findings, the diagnostics, the loaded policies and
 * the run's counts. One reporter per output format, each `void report_<fmt>_write(const
 * struct report_ctx *, struct buf *out)`, chosen from a table by --format.
 */
#ifndef MG_REPORT_REPORT_H
#define MG_REPORT_REPORT_H
#include <stdbool.h>
#include <stddef.h>

#include "engine/engine.h"
#include "engine/finding.h"
#include "model/model.h"
#include "util/buf.h"
#include "util/diag.h"

/* One policy that ran, for auditors: where it came from and a hash of its content. */
struct report_policy_hash {
	const char *id;     /* borrowed from the engine */
	const char *file;   /* the policy file ("policies/..." for a built-in) */
	bool builtin;
	char sha256[65];    /* of the file's bytes (a built-in: its embedded source) */
};

/* What governance did to the run (docs/governance.md); reporters that know it show it. */
struct report_governance {
	const struct findings *waived; /* waived (config) and suppressed (inline) findings, sorted */
	bool show_waived;              /* text: list them (--show-waived) */
	bool override_soft;            /* --override-soft: soft enforcement did not fail the run */
	bool baseline_used;            /* a baseline was applied */
	size_t baselined;              /* findings the baseline already knew (not reported) */
	size_t baseline_fixed;         /* baseline entries no finding matches any more */
	const char *config;            /* the config file used, or NULL */
	const char *profile;           /* the --profile selected, or NULL */
	const struct report_policy_hash *policy_set; /* enabled policies, sorted by id */
	size_t npolicy_set;
};

struct report_ctx {
	const struct findings *findings; /* sorted (findings_sort) */
	const struct diags *diags;       /* input, usage, policy errors and warnings */
	const struct engine *engine;     /* for policy metadata (rules); may be NULL */
	const struct model *model;       /* inputs and resources; may be NULL */
	size_t files, resources, policies;
	int fail_on;                     /* enum severity or SEV_NEVER */
	bool color;                      /* text only: ANSI colours */
	bool changed_only;               /* --changed-only: unchanged plan resources are not shown */
	const struct report_governance *gov; /* may be NULL: nothing waived, no baseline */
};

typedef void (*report_write_fn)(const struct report_ctx *ctx, struct buf *out);

#endif
