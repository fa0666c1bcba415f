/*
 * The text report (see text.h). Findings arrive sorted by file, so a group ends where the
 * file changes; a blank line separates groups. Run-wide findings (no file) come first.
 * A plan finding mapped to its Terraform source leads with the .tf file:line and ends with
 * the plan position in parentheses.
 */
#include "report/text.h"

#include <stdint.h>
#include <string.h>

#define ANSI_RESET "\033[0m"
#define ANSI_BOLD "\033[1m"

/* Colour per severity, indexed by enum severity. */
static const char *const severity_colors[SEV_COUNT] = {
	"\033[2m",    /* info: dim */
	"\033[36m",   /* low: cyan */
	"\033[33m",   /* medium: yellow */
	"\033[1;31m", /* high: bold red */
	"\033[1;35m", /* critical: bold magenta */
};

/* Length of the well-formed UTF-8 character at p (1 to 4) with its code point in *cp, or 0
 * when the bytes there are not one (overlong, surrogate, truncated, beyond U+10FFFF). */
static size_t utf8_char(const unsigned char *p, uint32_t *cp)
{
	size_t n = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 0;
	if (n == 0 || p[0] > 0xF4)
		return 0;
	uint32_t c = p[0] & (0x7Fu >> n);
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3Fu);
	}
	static const uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
	if (c < least[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

void report_text_add_safe(struct buf *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		uint32_t cp = 0;
		size_t n;
		if (*p == '\n')
			buf_adds(out, "\\n");
		else if (*p == '\t')
			buf_adds(out, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			buf_addf(out, "\\x%02x", *p);
		else if (*p < 0x80)
			buf_addc(out, (char)*p);
		else if ((n = utf8_char(p, &cp)) == 0)
			buf_addf(out, "\\x%02x", *p); /* a byte of invalid UTF-8 */
		else if (cp <= 0x9F || cp == 0x2028 || cp == 0x2029) {
			buf_addf(out, "\\u%04x", (unsigned)cp); /* C1 controls, line separators */
			p += n - 1;
		} else {
			buf_add(out, (const char *)p, n);
			p += n - 1;
		}
	}
}

static bool same_file(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* file, file:line or file:line:column. */
static void write_position(const char *file, unsigned line, unsigned column, struct buf *out)
{
	report_text_add_safe(out, file);
	if (line)
		buf_addf(out, ":%u", line);
	if (line && column)
		buf_addf(out, ":%u", column);
}

static void write_location(const struct finding *f, bool color, struct buf *out)
{
	if (!f->file && !f->src_file)
		return;
	if (color)
		buf_adds(out, ANSI_BOLD);
	if (f->src_file)
		write_position(f->src_file, f->src_line, 0, out);
	else
		write_position(f->file, f->line, f->column, out);
	buf_adds(out, color ? ":" ANSI_RESET " " : ": ");
}

static void write_finding(const struct finding *f, bool color, struct buf *out)
{
	write_location(f, color, out);
	const char *sev = severity_name(f->severity);
	if (color && (unsigned)f->severity < SEV_COUNT)
		buf_addf(out, "%s%s" ANSI_RESET, severity_colors[f->severity], sev);
	else
		buf_adds(out, sev);
	if (f->cannot_verify)
		buf_adds(out, " (cannot verify)");
	if (f->enforcement != ENFORCE_HARD)
		buf_addf(out, " (%s)", enforcement_name(f->enforcement));
	buf_adds(out, " [");
	report_text_add_safe(out, f->policy ? f->policy : "?");
	buf_adds(out, "] ");
	const char *msg = f->message ? f->message : "";
	/* Messages usually name their resource first; then it is not written twice. */
	if (f->resource && strncmp(msg, f->resource, strlen(f->resource)) != 0) {
		report_text_add_safe(out, f->resource);
		buf_adds(out, ": ");
	}
	report_text_add_safe(out, msg);
	if (f->src_file && f->file) {
		buf_adds(out, " (");
		write_position(f->file, f->line, f->column, out);
		buf_addc(out, ')');
	}
	buf_addc(out, '\n');
}

static void count_severities(const struct findings *fs, size_t counts[SEV_COUNT])
{
	memset(counts, 0, SEV_COUNT * sizeof counts[0]);
	for (size_t i = 0; i < fs->n; i++) {
		if ((unsigned)fs->v[i].severity < SEV_COUNT)
			counts[fs->v[i].severity]++;
	}
}

/* Files that hold at least one finding (the findings are sorted by file). */
static size_t files_with_findings(const struct findings *fs)
{
	size_t n = 0;
	for (size_t i = 0; i < fs->n; i++) {
		const char *file = fs->v[i].file;
		if (file && (i == 0 || !same_file(file, fs->v[i - 1].file)))
			n++;
	}
	return n;
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* What governance set aside, in the summary line: waived, baselined, overridden. */
static void write_governance_summary(const struct report_governance *g, struct buf *out)
{
	if (!g)
		return;
	if (g->waived && g->waived->n)
		buf_addf(out, ", %zu waived or suppressed", g->waived->n);
	if (g->baseline_used)
		buf_addf(out, ", %zu in the baseline, %zu baseline %s fixed", g->baselined,
		         g->baseline_fixed, plural(g->baseline_fixed, "entry", "entries"));
	if (g->override_soft)
		buf_adds(out, ", soft enforcement overridden");
}

/* " (owner x, ticket y, until z)" for what a waiver or suppression names. */
static void write_waiver_details(const struct finding *f, struct buf *out)
{
	const char *labels[] = {"owner ", "ticket ", "until "};
	const char *values[] = {f->waiver_owner, f->waiver_ticket, f->waived_until};
	const char *sep = " (";
	for (size_t i = 0; i < 3; i++) {
		if (!values[i])
			continue;
		buf_adds(out, sep);
		buf_adds(out, labels[i]);
		report_text_add_safe(out, values[i]);
		sep = ", ";
	}
	if (sep[0] == ',')
		buf_addc(out, ')');
}

/* --show-waived: each set-aside finding with who set it aside and why. */
static void write_waived(const struct report_ctx *ctx, struct buf *out)
{
	const struct findings *w = ctx->gov ? ctx->gov->waived : NULL;
	if (!w || !w->n || !ctx->gov->show_waived)
		return;
	for (size_t i = 0; i < w->n; i++) {
		const struct finding *f = &w->v[i];
		write_finding(f, ctx->color, out);
		buf_addf(out, "  %s by ", f->status == FINDING_SUPPRESSED ? "suppressed" : "waived");
		report_text_add_safe(out, f->suppressed_by ? f->suppressed_by : "?");
		write_waiver_details(f, out);
		buf_adds(out, ": ");
		report_text_add_safe(out, f->justification ? f->justification : "");
		buf_addc(out, '\n');
	}
	buf_addc(out, '\n');
}

static void write_summary(const struct report_ctx *ctx, struct buf *out)
{
	const struct findings *fs = ctx->findings;
	if (ctx->color)
		buf_adds(out, ANSI_BOLD);
	if (fs->n == 0) {
		buf_addf(out, "no findings in %zu %s", ctx->files, plural(ctx->files, "file", "files"));
	} else {
		size_t counts[SEV_COUNT];
		count_severities(fs, counts);
		buf_addf(out, "%zu %s (", fs->n, plural(fs->n, "finding", "findings"));
		const char *sep = "";
		for (int s = SEV_COUNT - 1; s >= 0; s--) {
			if (counts[s]) {
				buf_addf(out, "%s%zu %s", sep, counts[s], severity_name((enum severity)s));
				sep = ", ";
			}
		}
		buf_addf(out, ") in %zu of %zu %s", files_with_findings(fs), ctx->files,
		         plural(ctx->files, "file", "files"));
	}
	buf_addf(out, ", %zu %s, %zu %s", ctx->resources,
	         plural(ctx->resources, "resource", "resources"), ctx->policies,
	         plural(ctx->policies, "policy", "policies"));
	size_t errors = ctx->diags ? ctx->diags->n - diags_count(ctx->diags, DIAG_WARNING) : 0;
	if (errors)
		buf_addf(out, ", %zu %s", errors, plural(errors, "error", "errors"));
	write_governance_summary(ctx->gov, out);
	buf_adds(out, ctx->color ? ANSI_RESET "\n" : "\n");
}

void report_text_write(const struct report_ctx *ctx, struct buf *out)
{
	const struct findings *fs = ctx->findings;
	for (size_t i = 0; i < fs->n; i++) {
		if (i > 0 && !same_file(fs->v[i].file, fs->v[i - 1].file))
			buf_addc(out, '\n');
		write_finding(&fs->v[i], ctx->color, out);
	}
	if (fs->n)
		buf_addc(out, '\n');
	write_waived(ctx, out);
	write_summary(ctx, out);
}
