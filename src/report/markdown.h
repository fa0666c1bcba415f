/*
 * Markdown summary for $GITHUB_STEP_SUMMARY and merge-request comments: the verdict, counts by
 * severity and by area (a policy id's first segment), a table of findings, each policy's
 * remediation in a collapsed <details>, and the errors. Text from inputs and policies is
 * escaped so it can neither break the table nor inject markup.
 */
#ifndef MG_REPORT_MARKDOWN_H
#define MG_REPORT_MARKDOWN_H
#include "report/report.h"

/* Rows of the findings table; the rest are counted in a note (summaries are size-limited). */
#define REPORT_MARKDOWN_MAX_ROWS 500

void report_markdown_write(const struct report_ctx *ctx, struct buf *out);

#endif
