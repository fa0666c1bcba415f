/*
 * GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` line per finding
 * (by severity: critical/high, medium, low/info) and per diagnostic, which the runner turns
 * into annotations on the pull request's files. Values are escaped as the runner requires.
 */
#ifndef MG_REPORT_GITHUB_H
#define MG_REPORT_GITHUB_H
#include "report/report.h"

/* File paths are made relative to the repository root (the directory holding .git above the
 * first reported file, else the current directory), as annotations need; files outside it
 * stay as given. */
void report_github_write(const struct report_ctx *ctx, struct buf *out);
/* The same with the repository root given; relative inputs are taken relative to it. */
void report_github_write_root(const struct report_ctx *ctx, const char *root, struct buf *out);

#endif
