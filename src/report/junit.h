/*
 * JUnit XML reporter (GitLab test reports, Jenkins, JUnit viewers), valid against Apache
 * Ant's JUnit schema: <testsuites> holding one <testsuite> per policy, one <testcase> per
 * (policy, resource) checked (a <failure> when the policy reported it, else a pass), policy
 * errors as <error> cases, and a last suite "moongate" for input errors and warnings.
 */
#ifndef MG_REPORT_JUNIT_H
#define MG_REPORT_JUNIT_H
#include "report/report.h"

struct report_junit_options {
	long long timestamp;  /* seconds since the epoch, written as UTC */
	const char *hostname; /* non-empty */
};

/* Writes with the current time (SOURCE_DATE_EPOCH when set, for reproducible reports) and
 * the host's name ("localhost" when unknown). */
void report_junit_write(const struct report_ctx *ctx, struct buf *out);
void report_junit_write_opts(const struct report_ctx *ctx, const struct report_junit_options *o,
                             struct buf *out);
/* Appends s escaped for XML text and attribute values (markup characters, line breaks,
 * invalid UTF-8 and characters XML forbids), as every JUnit report of moongate writes it. */
void report_junit_xml_escape(struct buf *b, const char *s);

#endif
