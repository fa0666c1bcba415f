/*
 * Governance: what happens to findings between the engine and the reporters, the same for
 * every input format (docs/governance.md). In one place, gov_apply
 *   - sets each finding's enforcement level from the config (and its profile);
 *   - sets aside findings covered by an inline suppression (suppress.h) or a config waiver
 *     (waiver.h), keeping their reason, and reports expired and unused waivers;
 *   - writes a baseline and/or drops the findings a baseline already knows (baseline.h).
 * The exit code then counts only what is left open (gov_fails).
 */
#ifndef MG_GOVERN_GOV_H
#define MG_GOVERN_GOV_H
#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "engine/engine.h"
#include "report/report.h"
#include "engine/finding.h"
#include "model/model.h"
#include "util/diag.h"

#define GOV_TODAY_ENV "MOONGATE_TODAY" /* YYYY-MM-DD: the date expiries are judged against */

struct gov_options {
	const struct config *config; /* waivers and enforcement; NULL for none */
	struct model *model;         /* inputs for inline suppressions; NULL for none */
	const char *today;           /* YYYY-MM-DD (gov_today) */
	bool strict_waivers;         /* an unused waiver is an error, not a warning */
	const char *baseline;        /* baseline file to apply, or NULL */
	const char *write_baseline;  /* file to record the open findings in, or NULL; when set,
	                                that file is the baseline applied */
};

struct gov_result {
	struct findings waived;  /* waived and suppressed findings, sorted; owned */
	bool baseline_used;      /* a baseline was applied */
	size_t baselined;        /* findings dropped because the baseline knows them */
	size_t baseline_fixed;   /* baseline entries no finding matched any more */
};

/* Today as YYYY-MM-DD: MOONGATE_TODAY when set (an invalid value is a DIAG_USAGE in d and
 * false), else the system's date in UTC. */
bool gov_today(char out[11], struct diags *d);
/* Applies governance to fs (sorted on return); what is set aside moves to r. Problems go to
 * d: expired waivers and suppressions (warnings), unused waivers (warnings, DIAG_USAGE when
 * strict), baseline files that cannot be read or written (DIAG_USAGE). */
void gov_apply(const struct gov_options *o, struct findings *fs, struct gov_result *r,
               struct diags *d);
/* True when open finding f fails the run: hard at or above fail_on, soft likewise unless
 * overridden, advisory never. */
bool gov_fails(const struct finding *f, int fail_on, bool override_soft);
void gov_result_free(struct gov_result *r);
/* The enabled policies of e with the SHA-256 of each one's source; a file that cannot be
 * read any more gets an empty hash. New array in *out (free it), *n entries. */
void gov_policy_set(const struct engine *e, struct report_policy_hash **out, size_t *n);

#endif
