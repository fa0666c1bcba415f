/*
 * GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` line per finding
 * (by severity: critical/high, medium, low/info) and per diagnostic, which the runner turns
 * into annotations on the pull request's files. Values are escaped as the runner requires.
 */
#ifndef MG_REPORT_GITHUB_H
#define MG_REPORT_GITHUB_H
#include "report/report.h"

void report_github_write(const struct report_ctx *ctx, struct buf *out);

#endif
