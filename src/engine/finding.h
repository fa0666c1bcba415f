/*
 * Findings: what policies report. The engine produces them, governance (waivers) marks them,
 * reporters print them. Ownership: a findings list owns every string of every finding.
 */
#ifndef MG_ENGINE_FINDING_H
#define MG_ENGINE_FINDING_H
#include <stdbool.h>
#include <stddef.h>

enum severity { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL };
#define SEV_COUNT 5
#define SEV_NEVER 99 /* a fail threshold no finding reaches (--fail-on never) */

/* What governance decided about a finding (docs/governance.md). Only open findings count
 * for the exit code; waived and suppressed ones are listed apart with their reason. */
enum finding_status {
	FINDING_OPEN,
	FINDING_WAIVED,     /* a config waiver matched: SARIF suppression kind "external" */
	FINDING_SUPPRESSED, /* an inline comment, annotation or tag: kind "inSource" */
};

/* Enforcement level of a policy, apart from severity (config `enforcement`). */
enum enforcement {
	ENFORCE_HARD,     /* fails the run at or above fail_on (the default) */
	ENFORCE_SOFT,     /* like hard, unless --override-soft */
	ENFORCE_ADVISORY, /* never fails the run */
};

struct finding {
	char *policy;        /* "residency/allowed-regions" */
	enum severity severity;
	char *message;
	char *resource;      /* address, or NULL for a finding on the whole run */
	char *type;          /* resource type, or NULL */
	char *file;          /* input path as given, or NULL */
	unsigned line, column; /* 1-based; 0 when unknown */
	char *src_file;      /* Terraform plans and states: the .tf file declaring the resource
	                        (tfsrc/tfmap.h), or NULL when unmapped */
	unsigned src_line, src_column; /* there: of the attribute when path is written, else of
	                                  the block; 0 when unmapped */
	char *path;          /* offending attribute path ("values.tags.Name"), or NULL */
	bool cannot_verify;  /* the policy could not decide (values unknown until apply) */
	char *remediation;   /* the policy's remediation text, or NULL */
	char *title;         /* the policy's title, or NULL */
	enum finding_status status;
	enum enforcement enforcement;
	char *justification; /* waived/suppressed: the reason given, else NULL */
	char *suppressed_by; /* waived/suppressed: "file:line" of the waiver or comment, else NULL */
	char *waiver_owner;  /* waived: the waiver's owner, else NULL */
	char *waiver_ticket; /* waived: the waiver's ticket, else NULL */
	char *waived_until;  /* waived/suppressed: the expires / until date, else NULL */
};

struct findings {
	struct finding *v;
	size_t n, cap;
};

#define FINDINGS_INIT {NULL, 0, 0}

/* Appends a zeroed finding and returns it (valid until the next findings_add). */
struct finding *findings_add(struct findings *f);
/* Sorts by file, line, policy, resource, message: the order every report uses. */
void findings_sort(struct findings *f);
void findings_free(struct findings *f);

const char *severity_name(enum severity s);
/* "hard", "soft", "advisory". */
const char *enforcement_name(enum enforcement e);
/* Parses an enforcement name (exact, lowercase); false when s names none. */
bool enforcement_parse(const char *s, enum enforcement *out);
/* Parses "info".."critical" (case-insensitive); false when s names no severity. */
bool severity_parse(const char *s, enum severity *out);

#endif
