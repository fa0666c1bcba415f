/*
 * The estate as one self-contained HTML page (`moongate report --html FILE`): inline CSS, SVG
 * drawn here and a few lines of inline JavaScript for the findings filters; a Content
 * Security Policy of default-src 'none' keeps the browser from fetching anything. Every text
 * from inputs, policies and the config is escaped.
 */
#ifndef MG_ESTATE_ESTATE_HTML_H
#define MG_ESTATE_ESTATE_HTML_H
#include "estate/estate.h"
#include "util/buf.h"

void estate_html_write(const struct estate *es, struct buf *out);
/* Appends s with &, <, >, " and ' escaped, and control characters other than tab and newline
 * as U+FFFD (not allowed in HTML). */
void estate_html_escape(struct buf *out, const char *s);

#endif
