/*
 * Markdown summary (see markdown.h), GitHub-flavoured: pipe tables, <details>. Three
 * escapings: text (markdown punctuation backslash-escaped, HTML characters as entities, line
 * breaks as <br>), code spans (fenced with more backticks than the text holds), and HTML
 * inside <summary>.
 */
#include "report/markdown.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/sarif.h"
#include "util/xalloc.h"

/* Appends the UTF-8 character at *s (advancing it), or U+FFFD for an invalid byte or a
 * control character no renderer shows. */
static void md_char(struct buf *b, const char **s)
{
	uint32_t cp;
	size_t len = report_sarif_utf8_decode(*s, strlen(*s), &cp);
	if ((cp == 0xfffd && len == 1) || cp < 0x20 || cp == 0x7f)
		buf_adds(b, "\xef\xbf\xbd");
	else
		buf_add(b, *s, len);
	*s += len - 1;
}

/* Text in a table cell or paragraph: nothing in it is read as markup. */
static void md_text(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '\n': buf_adds(b, "<br>"); break;
		case '\r': break;
		case '|': case '\\': case '`': case '*': case '_': case '[': case ']': case '~':
			buf_addc(b, '\\');
			buf_addc(b, *s);
			break;
		case '\t': buf_addc(b, ' '); break;
		default: md_char(b, &s);
		}
	}
}

/* Hard-wrapped policy text as paragraphs: wrapped lines joined, blank lines kept. */
static void md_paragraphs(struct buf *b, const char *s)
{
	char *text = report_sarif_unwrap(s);
	for (char *p = text; *p;) {
		char *end = strstr(p, "\n\n");
		if (end)
			*end = '\0';
		if (*p == '#')
			buf_addc(b, '\\'); /* not a heading */
		md_text(b, p);
		if (!end)
			break;
		buf_adds(b, "\n\n");
		p = end + 2;
	}
	free(text);
}

/* A code span in a table cell: fenced by one backtick more than the longest run inside;
 * '|' is escaped (GFM reads it as a cell end even there), line breaks become spaces. */
static void md_code(struct buf *b, const char *s)
{
	size_t run = 0, longest = 0;
	for (const char *p = s; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	bool pad = *s == '`' || (*s && s[strlen(s) - 1] == '`');
	for (size_t i = 0; i <= longest; i++)
		buf_addc(b, '`');
	if (pad)
		buf_addc(b, ' ');
	for (; *s; s++) {
		if (*s == '|')
			buf_adds(b, "\\|");
		else if (*s == '\n' || *s == '\r' || *s == '\t')
			buf_addc(b, ' ');
		else
			md_char(b, &s);
	}
	if (pad)
		buf_addc(b, ' ');
	for (size_t i = 0; i <= longest; i++)
		buf_addc(b, '`');
}

/* Text inside an HTML element (<summary>), where markdown is not read. */
static void md_html(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\n': case '\r': case '\t': buf_addc(b, ' '); break;
		default: md_char(b, &s);
		}
	}
}

/* Findings that fail the run: at or above the threshold and enforced (advisory never is,
 * soft not under --override-soft). */
static size_t count_failing(const struct report_ctx *ctx)
{
	const struct findings *f = ctx->findings;
	bool soft_off = ctx->gov && ctx->gov->override_soft;
	size_t n = 0;
	for (size_t i = 0; f && i < f->n; i++) {
		enum enforcement e = f->v[i].enforcement;
		n += (int)f->v[i].severity >= ctx->fail_on && e != ENFORCE_ADVISORY &&
		     !(e == ENFORCE_SOFT && soft_off);
	}
	return n;
}

static size_t count_errors(const struct diags *d)
{
	size_t n = 0;
	for (size_t i = 0; d && i < d->n; i++)
		n += d->v[i].kind != DIAG_WARNING;
	return n;
}

static void md_heading(struct buf *b, const struct report_ctx *ctx)
{
	size_t n = ctx->findings ? ctx->findings->n : 0;
	size_t failing = count_failing(ctx);
	size_t errors = count_errors(ctx->diags);
	if (n == 0)
		buf_adds(b, "## moongate: no findings\n\n");
	else
		buf_addf(b, "## moongate: %zu finding%s\n\n", n, n == 1 ? "" : "s");
	buf_addf(b, "**Result: %s**", errors ? "error" : failing ? "failed" : "passed");
	if (errors)
		buf_addf(b, " (%zu error%s)", errors, errors == 1 ? "" : "s");
	else if (failing)
		buf_addf(b, " (%zu finding%s at or above %s)", failing, failing == 1 ? "" : "s",
		         severity_name((enum severity)ctx->fail_on));
	buf_addf(b, ". Checked %zu file%s, %zu resource%s with %zu polic%s.\n\n", ctx->files,
	         ctx->files == 1 ? "" : "s", ctx->resources, ctx->resources == 1 ? "" : "s",
	         ctx->policies, ctx->policies == 1 ? "y" : "ies");
}

static void md_by_severity(struct buf *b, const struct findings *f)
{
	size_t counts[SEV_COUNT] = {0};
	for (size_t i = 0; f && i < f->n; i++)
		counts[f->v[i].severity % SEV_COUNT]++;
	buf_adds(b, "| Severity | Findings |\n|---|---:|\n");
	for (int s = SEV_CRITICAL; s >= SEV_INFO; s--)
		buf_addf(b, "| %s | %zu |\n", severity_name((enum severity)s), counts[s]);
	buf_addc(b, '\n');
}

struct area_count {
	char *area;
	size_t n;
};

static int cmp_area(const void *a, const void *b)
{
	return strcmp(((const struct area_count *)a)->area, ((const struct area_count *)b)->area);
}

/* Findings per area: the policy id's first segment ("residency"). */
static void md_by_area(struct buf *b, const struct findings *f)
{
	struct area_count *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; f && i < f->n; i++) {
		const char *id = f->v[i].policy ? f->v[i].policy : "moongate";
		size_t len = strcspn(id, "/"), k;
		for (k = 0; k < n; k++)
			if (strlen(v[k].area) == len && memcmp(v[k].area, id, len) == 0)
				break;
		if (k == n) {
			xgrow((void **)&v, &cap, n + 1, sizeof *v);
			v[n++] = (struct area_count){xstrndup(id, len), 0};
		}
		v[k].n++;
	}
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_area);
	buf_adds(b, "| Area | Findings |\n|---|---:|\n");
	for (size_t k = 0; k < n; k++) {
		buf_adds(b, "| ");
		md_text(b, v[k].area);
		buf_addf(b, " | %zu |\n", v[k].n);
		free(v[k].area);
	}
	buf_addc(b, '\n');
	free(v);
}

static void md_location(struct buf *b, const struct finding *f)
{
	if (!f->file) {
		buf_adds(b, " |");
		return;
	}
	char *loc;
	if (f->line && f->column)
		loc = xasprintf("%s:%u:%u", f->file, f->line, f->column);
	else if (f->line)
		loc = xasprintf("%s:%u", f->file, f->line);
	else
		loc = xstrdup(f->file);
	md_code(b, loc);
	buf_adds(b, " |");
	free(loc);
}

static void md_findings_table(struct buf *b, const struct findings *f)
{
	size_t n = f ? f->n : 0;
	if (n == 0)
		return;
	buf_adds(b, "### Findings\n\n| Severity | Policy | Resource | Location | Message |\n"
	            "|---|---|---|---|---|\n");
	for (size_t i = 0; i < n && i < REPORT_MARKDOWN_MAX_ROWS; i++) {
		const struct finding *x = &f->v[i];
		buf_addf(b, "| %s | ", severity_name(x->severity));
		md_code(b, x->policy ? x->policy : "moongate");
		buf_adds(b, " | ");
		if (x->resource)
			md_code(b, x->resource);
		buf_adds(b, " | ");
		md_location(b, x);
		buf_addc(b, ' ');
		md_text(b, x->message ? x->message : "");
		if (x->cannot_verify)
			buf_adds(b, " (cannot verify)");
		buf_adds(b, " |\n");
	}
	if (n > REPORT_MARKDOWN_MAX_ROWS)
		buf_addf(b, "\n%zu more finding%s not shown: see the SARIF or JSON report.\n",
		         n - REPORT_MARKDOWN_MAX_ROWS, n - REPORT_MARKDOWN_MAX_ROWS == 1 ? "" : "s");
	buf_addc(b, '\n');
}

/* Findings set aside by a waiver or an inline suppression, with who and why. */
static void md_waived(struct buf *b, const struct report_ctx *ctx)
{
	const struct findings *w = ctx->gov ? ctx->gov->waived : NULL;
	if (!w || w->n == 0)
		return;
	buf_adds(b, "### Waived and suppressed\n\n| Policy | Resource | Location | Reason | By |\n"
	            "|---|---|---|---|---|\n");
	for (size_t i = 0; i < w->n && i < REPORT_MARKDOWN_MAX_ROWS; i++) {
		const struct finding *x = &w->v[i];
		buf_adds(b, "| ");
		md_code(b, x->policy ? x->policy : "moongate");
		buf_adds(b, " | ");
		if (x->resource)
			md_code(b, x->resource);
		buf_adds(b, " | ");
		md_location(b, x);
		buf_addc(b, ' ');
		md_text(b, x->justification ? x->justification : "");
		buf_adds(b, x->status == FINDING_SUPPRESSED ? " | inline " : " | waiver ");
		if (x->suppressed_by)
			md_code(b, x->suppressed_by);
		buf_adds(b, " |\n");
	}
	if (w->n > REPORT_MARKDOWN_MAX_ROWS)
		buf_addf(b, "\n%zu more not shown: see the SARIF or JSON report.\n",
		         w->n - REPORT_MARKDOWN_MAX_ROWS);
	buf_addc(b, '\n');
}

static void md_policy_details(struct buf *b, const struct report_rule *r)
{
	buf_adds(b, "<details>\n<summary><b>");
	md_html(b, r->id);
	buf_addf(b, "</b> (%s): %zu finding%s", severity_name(r->severity), r->findings,
	         r->findings == 1 ? "" : "s");
	if (strcmp(r->title, r->id) != 0) {
		buf_adds(b, ": ");
		md_html(b, r->title);
	}
	buf_adds(b, "</summary>\n\n");
	if (r->description && *r->description) {
		md_paragraphs(b, r->description);
		buf_adds(b, "\n\n");
	}
	buf_adds(b, "**Remediation:** ");
	md_paragraphs(b, r->remediation && *r->remediation ? r->remediation
	                                                   : "see the policy's description");
	buf_adds(b, "\n\n</details>\n\n");
}

static void md_policies(struct buf *b, const struct report_ctx *ctx)
{
	struct report_rules rules;
	report_sarif_rules_init(&rules, ctx);
	bool any = false;
	for (size_t i = 0; i < rules.n; i++) {
		if (rules.v[i].findings == 0)
			continue;
		if (!any)
			buf_adds(b, "### Policies\n\n");
		any = true;
		md_policy_details(b, &rules.v[i]);
	}
	report_sarif_rules_free(&rules);
}

static void md_errors(struct buf *b, const struct diags *d)
{
	if (!d || d->n == 0)
		return;
	buf_adds(b, "### Errors and warnings\n\n");
	for (size_t i = 0; i < d->n; i++) {
		char *line = diag_format(&d->v[i]);
		buf_adds(b, "- ");
		md_text(b, line);
		buf_addc(b, '\n');
		free(line);
	}
	buf_addc(b, '\n');
}

void report_markdown_write(const struct report_ctx *ctx, struct buf *out)
{
	md_heading(out, ctx);
	md_by_severity(out, ctx->findings);
	if (ctx->findings && ctx->findings->n > 0)
		md_by_area(out, ctx->findings);
	md_findings_table(out, ctx->findings);
	md_waived(out, ctx);
	md_policies(out, ctx);
	md_errors(out, ctx->diags);
}
