/*
 * Terminal rendering of the estate. Columns are measured in code points (region and location
 * names may be UTF-8); text from inputs goes through report_text_add_safe so it cannot drive
 * the terminal. A bar's length is value / maximum of the chart times the bar width.
 */
#include "estate/estate_term.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/text.h"
#include "util/xalloc.h"

#define BOLD "\033[1m"
#define BAR_COLOR "\033[36m"
#define RESET "\033[0m"

/* The width of s in columns: one per code point. */
static size_t columns(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += (*p & 0xc0) != 0x80;
	return n;
}

/* Appends s, cut or padded with spaces to exactly width columns. */
static void add_cell(struct buf *out, const char *s, size_t width)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	struct buf cell = BUF_INIT;
	while (*p && n < width) {
		const unsigned char *start = p++;
		while ((*p & 0xc0) == 0x80)
			p++;
		buf_add(&cell, start, (size_t)(p - start));
		n++;
	}
	report_text_add_safe(out, buf_str(&cell));
	buf_free(&cell);
	for (; n < width; n++)
		buf_addc(out, ' ');
}

/* A table column: s cut to width - 1 columns, then padded, so columns never touch. */
static void add_column(struct buf *out, const char *s, size_t width)
{
	add_cell(out, s, width - 1);
	buf_addc(out, ' ');
}

static void heading(struct buf *out, const struct estate_term_options *o, const char *text)
{
	buf_adds(out, o->color ? BOLD : "");
	buf_adds(out, text);
	buf_adds(out, o->color ? RESET "\n" : "\n");
}

/* A bar of value / max over width columns: full blocks and one eighth-block partial. */
static void add_bar(struct buf *out, const struct estate_term_options *o, double value,
                    double max, size_t width)
{
	static const char *const eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
	size_t units = max > 0 ? (size_t)(value / max * (double)(width * 8) + 0.5) : 0;
	if (units > width * 8)
		units = width * 8;
	if (o->ascii)
		units = units / 8 * 8 + (units % 8 >= 4 ? 8 : 0);
	if (value > 0 && units == 0)
		units = 1;
	size_t used = 0;
	buf_adds(out, o->color ? BAR_COLOR : "");
	for (; units >= 8; units -= 8, used++)
		buf_adds(out, o->ascii ? "#" : "█");
	if (units > 0) {
		buf_adds(out, o->ascii ? "#" : eighths[units]);
		used++;
	}
	buf_adds(out, o->color ? RESET : "");
	for (; used < width; used++)
		buf_addc(out, ' ');
}

static size_t bar_width(const struct estate_term_options *o, size_t fixed)
{
	size_t width = o->width < 40 ? 40 : o->width;
	return width > fixed + 10 ? width - fixed : 10;
}

static void write_cells(const struct estate *es, const struct estate_term_options *o,
                        struct buf *out)
{
	size_t max = 0;
	for (size_t i = 0; i < es->ncells; i++)
		max = es->cells[i].resources > max ? es->cells[i].resources : max;
	/* "  " cloud(11) region(20) location(17) bar " " count(5) "  AI n (pct)" */
	size_t bw = bar_width(o, 2 + 11 + 20 + 17 + 1 + 5 + 16);
	heading(out, o, "Inventory by jurisdiction, cloud and region (AI endpoints)");
	for (size_t i = 0; i < es->ncells; i++) {
		const struct estate_cell *c = &es->cells[i];
		if (i == 0 || strcmp(es->cells[i - 1].jurisdiction, c->jurisdiction) != 0) {
			buf_adds(out, o->color ? BOLD : "");
			add_cell(out, c->jurisdiction, columns(c->jurisdiction));
			buf_adds(out, o->color ? RESET "\n" : "\n");
		}
		buf_adds(out, "  ");
		add_column(out, c->cloud, 11);
		add_column(out, c->region, 20);
		add_column(out, c->location ? c->location : "", 17);
		add_bar(out, o, (double)c->resources, (double)max, bw);
		buf_addf(out, " %5zu", c->resources);
		if (c->ai)
			buf_addf(out, "  AI %zu (%.0f%%)", c->ai, 100.0 * (double)c->ai / (double)c->resources);
		buf_addc(out, '\n');
	}
	if (es->ncells == 0)
		buf_adds(out, "  no resources\n");
	buf_addc(out, '\n');
}

static void write_shares(const struct estate_shares *s, const char *title, const char *unit,
                         const struct estate_term_options *o, struct buf *out)
{
	char line[160];
	snprintf(line, sizeof line, "%s: HHI %.0f, effective number of vendors %.2f", title,
	         s->hhi, s->effective);
	heading(out, o, line);
	struct buf *tails = xcalloc(s->n + 1, sizeof *tails);
	size_t tail_cols = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct estate_vendor *v = &s->v[i];
		buf_addf(&tails[i], "  %zu %s%s", v->count, unit, v->count == 1 ? "" : "s");
		if (v->clouds)
			buf_addf(&tails[i], " on %s", v->clouds);
		size_t n = columns(buf_str(&tails[i]));
		tail_cols = n > tail_cols ? n : tail_cols;
	}
	tail_cols = tail_cols > 30 ? 30 : tail_cols;
	size_t bw = bar_width(o, 2 + 19 + 8 + tail_cols);
	for (size_t i = 0; i < s->n; i++) {
		buf_adds(out, "  ");
		add_column(out, s->v[i].name, 19);
		add_bar(out, o, s->v[i].share, s->v[0].share, bw);
		buf_addf(out, " %6.1f%%", 100 * s->v[i].share);
		add_cell(out, buf_str(&tails[i]), columns(buf_str(&tails[i])) > 30 ? 30
		                                   : columns(buf_str(&tails[i])));
		buf_addc(out, '\n');
		buf_free(&tails[i]);
	}
	free(tails);
	if (s->n == 0)
		buf_addf(out, "  no %ss\n", unit);
	buf_addc(out, '\n');
}

static void add_place(struct buf *out, const char *cloud, const char *region)
{
	report_text_add_safe(out, cloud ? cloud : "?");
	if (region) {
		buf_addc(out, ' ');
		report_text_add_safe(out, region);
	}
}

static void write_flows(const struct estate *es, const struct estate_term_options *o,
                        struct buf *out)
{
	heading(out, o, "Flows found by the egress policies (price per GB of the sending side)");
	for (size_t i = 0; i < es->nflows; i++) {
		const struct estate_flow *f = &es->flows[i];
		buf_adds(out, "  ");
		add_place(out, f->from_cloud, f->from_region);
		buf_adds(out, o->ascii ? " -> " : " → ");
		add_place(out, f->to_cloud, f->to_region);
		if (strcmp(f->kind, "internet") != 0) {
			buf_adds(out, " (");
			report_text_add_safe(out, f->service);
			buf_addc(out, ')');
		}
		buf_adds(out, "  ");
		report_text_add_safe(out, f->price ? f->price : "price unknown");
		buf_addf(out, "  %zu finding%s\n", f->count, f->count == 1 ? "" : "s");
	}
	if (es->nflows == 0)
		buf_adds(out, "  none\n");
	buf_addc(out, '\n');
}

static void write_findings(const struct estate *es, const struct estate_term_options *o,
                           struct buf *out)
{
	size_t by_sev[SEV_COUNT] = {0};
	size_t n = es->findings ? es->findings->n : 0;
	for (size_t i = 0; i < n; i++) {
		unsigned s = (unsigned)es->findings->v[i].severity;
		if (s < SEV_COUNT)
			by_sev[s]++;
	}
	buf_addf(out, "%sFindings: %zu%s", o->color ? BOLD : "", n, o->color ? RESET : "");
	const char *sep = " (";
	for (int s = SEV_CRITICAL; s >= SEV_INFO; s--) {
		if (by_sev[s]) {
			buf_addf(out, "%s%zu %s", sep, by_sev[s], severity_name((enum severity)s));
			sep = ", ";
		}
	}
	buf_adds(out, n ? "); moongate check lists them\n" : "\n");
}

void estate_term_write(const struct estate *es, const struct estate_term_options *o,
                       struct buf *out)
{
	buf_addf(out, "Estate: %zu resource%s in %zu input%s, %zu AI endpoint%s, %zu flow%s\n\n",
	         es->resources, es->resources == 1 ? "" : "s", es->ninputs,
	         es->ninputs == 1 ? "" : "s", es->ai, es->ai == 1 ? "" : "s", es->nflows,
	         es->nflows == 1 ? "" : "s");
	write_cells(es, o, out);
	write_shares(&es->clouds, "Cloud vendors by weighted resources", "resource", o, out);
	write_shares(&es->models, "AI model vendors by endpoints", "endpoint", o, out);
	write_flows(es, o, out);
	write_findings(es, o, out);
}
