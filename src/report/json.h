/*
 * The JSON report, version 1 (docs/json-report.md, docs/report.schema.json): findings,
 * errors, warnings and a summary, two-space indented, keys in a fixed order and no
 * timestamps, so identical input gives byte-identical output.
 */
#ifndef MG_REPORT_JSON_H
#define MG_REPORT_JSON_H
#include "report/report.h"

void report_json_write(const struct report_ctx *ctx, struct buf *out);
/* Appends s as a JSON string literal with quotes, or null when s is NULL. Invalid UTF-8
 * bytes become U+FFFD, so the output is always valid JSON. */
void report_json_string(struct buf *out, const char *s);

#endif
