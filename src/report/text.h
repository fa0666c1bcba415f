/*
 * The text report: findings grouped by file, one line each, in the form
 *     file:line:column: severity [policy] resource: message
 * then a summary line with the counts. ANSI colours only when ctx->color is set.
 */
#ifndef MG_REPORT_TEXT_H
#define MG_REPORT_TEXT_H
#include "report/report.h"

void report_text_write(const struct report_ctx *ctx, struct buf *out);
/* Appends s with control characters made visible (\n, \t, \x1b), C1 controls and the
 * U+2028/U+2029 separators as \u0085 and \u2028, and each byte of invalid UTF-8 as \xff: a
 * line stays one line, and text from inputs or policies cannot drive the terminal. */
void report_text_add_safe(struct buf *out, const char *s);

#endif
