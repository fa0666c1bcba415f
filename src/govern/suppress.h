/*
 * Inline suppressions (docs/governance.md): what the inputs themselves say should not be
 * reported.
 *   - comments `# moongate:ignore <policy-id>[,<policy-id>] [until=YYYY-MM-DD] -- <reason>`
 *     in YAML, CloudFormation and Kubernetes files, found in the raw text (libyaml drops
 *     comments) and bound by line: a comment alone on its line covers the next line that is
 *     not a comment, blank or `---` (a resource, a document or an attribute); a comment after
 *     a value covers its own line;
 *   - the Kubernetes annotation `moongate.io/ignore` and the tag or label `moongate-ignore`
 *     (Terraform tags/labels/tags_all, CloudFormation Tags), with the same text after the
 *     keyword, covering their resource.
 * A suppression without a reason, or with an invalid date, does not apply: it becomes a
 * finding of the pseudo-policy `moongate/suppression`. One past its `until` date it no
 * longer applies and the run warns.
 */
#ifndef MG_GOVERN_SUPPRESS_H
#define MG_GOVERN_SUPPRESS_H
#include <stdbool.h>
#include <stddef.h>

#include "engine/finding.h"
#include "model/model.h"
#include "util/diag.h"

#define SUPPRESS_POLICY "moongate/suppression" /* findings about broken suppressions */

enum suppress_kind { SUPPRESS_COMMENT, SUPPRESS_ANNOTATION, SUPPRESS_TAG };

struct suppression {
	enum suppress_kind kind;
	size_t input;      /* model input it is written in */
	char *file;        /* that input's path */
	unsigned line;     /* where it is written */
	unsigned target;   /* comments: the line covered; 0 otherwise */
	char *resource;    /* annotations and tags: the resource covered; NULL for comments */
	char **ids;        /* policy ids or globs, NULL-terminated */
	char *reason;
	char *until;       /* YYYY-MM-DD as written, or NULL */
	bool usable;       /* has ids and a reason, a valid date, and has not expired */
};

struct suppressions {
	struct suppression *v;
	size_t n, cap;
};

/* The parts of "<ids> [until=D] -- <reason>" (text after the keyword). New strings in the
 * out-parameters (NULL when absent; *ids NULL-terminated, possibly empty). */
void suppress_parse(const char *text, char ***ids, char **until, char **reason);
/* Collects the suppressions of every input and resource of m. Broken ones are added to
 * problems as SUPPRESS_POLICY findings, expired ones are DIAG_WARNINGs in d. */
void suppress_scan(struct suppressions *s, struct model *m, const char *today,
                   struct findings *problems, struct diags *d);
/* Validates parsed suppression x (ids, reason, file, line set; until may be NULL) by the
 * rules above: sets x->usable, or adds a SUPPRESS_POLICY finding to problems, or an expiry
 * warning to d. For suppressions written outside the inputs (Terraform sources). */
void suppress_validate(struct suppression *x, const char *until, const char *today,
                       struct findings *problems, struct diags *d);
/* True when one of x's ids (or globs) names policy. */
bool suppress_names(const struct suppression *x, const char *policy);
/* The first usable suppression covering f, or NULL. */
const struct suppression *suppress_find(const struct suppressions *s, struct model *m,
                                        const struct finding *f);
void suppress_free(struct suppressions *s);

#endif
