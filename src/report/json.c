/*
 * The JSON report, version 1 (see json.h and docs/json-report.md). Every key is always
 * written, null where it does not apply, in the order of the schema.
 */
#include "report/json.h"

#include <stdint.h>
#include <string.h>

#include "util/textscan.h"

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, no surrogates, at most
 * U+10FFFF), or 0 when the bytes there are not one. */
static size_t utf8_sequence(const unsigned char *s)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
	         : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	}
	if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) ||
	    (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
		return 0;
	return n;
}

void report_json_string(struct buf *out, const char *s)
{
	if (!s) {
		buf_adds(out, "null");
		return;
	}
	buf_addc(out, '"');
	const unsigned char *p = (const unsigned char *)s, *run = p; /* run: not yet written */
	const unsigned char *end = p + strlen(s);
	for (;;) {
		p = textscan_plain(p, end);
		unsigned char c = *p;
		size_t n = c >= 0x80 ? utf8_sequence(p) : 0;
		if (n) {
			p += n;
			continue;
		}
		buf_add(out, run, (size_t)(p - run));
		if (!c)
			break;
		if (c >= 0x80)
			buf_adds(out, "\\ufffd");
		else
			buf_add_json_escaped(out, (const char *)p, 1);
		run = ++p;
	}
	buf_addc(out, '"');
}

/* A 1-based position, or null when unknown (0). */
static void write_position(struct buf *out, unsigned v)
{
	if (v)
		buf_add_uint(out, v);
	else
		buf_adds(out, "null");
}

static void write_key(struct buf *out, int indent, const char *key, bool first)
{
	static const char spaces[] = "                ";
	if (!first)
		buf_addc(out, ',');
	buf_addc(out, '\n');
	buf_add(out, spaces, (size_t)indent < sizeof spaces - 1 ? (size_t)indent : sizeof spaces - 1);
	buf_addc(out, '"');
	buf_adds(out, key);
	buf_adds(out, "\": ");
}

static void write_string_member(struct buf *out, int indent, const char *key, const char *v)
{
	write_key(out, indent, key, false);
	report_json_string(out, v);
}

/* The .tf location of a mapped plan finding, or null. */
static void write_source(struct buf *out, const struct finding *f)
{
	write_key(out, 6, "source", false);
	if (!f->src_file) {
		buf_adds(out, "null");
		return;
	}
	buf_adds(out, "{");
	write_key(out, 8, "file", true);
	report_json_string(out, f->src_file);
	write_key(out, 8, "line", false);
	write_position(out, f->src_line);
	write_key(out, 8, "column", false);
	write_position(out, f->src_line ? f->src_column : 0);
	buf_adds(out, "\n      }");
}

/* null for an open finding; else how it was set aside, why and where that is written. */
static void write_suppression(struct buf *out, const struct finding *f)
{
	write_key(out, 6, "suppression", false);
	if (f->status == FINDING_OPEN) {
		buf_adds(out, "null");
		return;
	}
	buf_adds(out, "{");
	write_key(out, 8, "kind", true);
	report_json_string(out, f->status == FINDING_SUPPRESSED ? "inline" : "waiver");
	write_string_member(out, 8, "justification", f->justification ? f->justification : "");
	write_string_member(out, 8, "source", f->suppressed_by);
	write_string_member(out, 8, "owner", f->waiver_owner);
	write_string_member(out, 8, "ticket", f->waiver_ticket);
	write_string_member(out, 8, "expires", f->waived_until);
	buf_adds(out, "\n      }");
}

static void write_finding(struct buf *out, const struct finding *f)
{
	buf_adds(out, "{");
	write_key(out, 6, "policy", true);
	report_json_string(out, f->policy);
	write_string_member(out, 6, "severity", severity_name(f->severity));
	write_string_member(out, 6, "message", f->message ? f->message : "");
	write_string_member(out, 6, "resource", f->resource);
	write_string_member(out, 6, "type", f->type);
	write_string_member(out, 6, "file", f->file);
	write_key(out, 6, "line", false);
	write_position(out, f->line);
	write_key(out, 6, "column", false);
	write_position(out, f->line ? f->column : 0);
	write_source(out, f);
	write_string_member(out, 6, "path", f->path);
	write_key(out, 6, "cannot_verify", false);
	buf_adds(out, f->cannot_verify ? "true" : "false");
	write_string_member(out, 6, "title", f->title);
	write_string_member(out, 6, "remediation", f->remediation);
	write_string_member(out, 6, "enforcement", enforcement_name(f->enforcement));
	write_suppression(out, f);
	buf_adds(out, "\n    }");
}

static const char *diag_kind_name(enum diag_kind k)
{
	static const char *const names[] = {
		[DIAG_INPUT] = "input", [DIAG_USAGE] = "usage",
		[DIAG_POLICY] = "policy", [DIAG_WARNING] = "warning",
	};
	return names[k];
}

static void write_diag(struct buf *out, const struct diag *dg)
{
	buf_adds(out, "{");
	write_key(out, 6, "kind", true);
	report_json_string(out, diag_kind_name(dg->kind));
	write_string_member(out, 6, "file", dg->file);
	write_key(out, 6, "line", false);
	write_position(out, dg->line);
	write_key(out, 6, "column", false);
	write_position(out, dg->line ? dg->column : 0);
	write_string_member(out, 6, "policy", dg->policy);
	write_string_member(out, 6, "message", dg->message);
	buf_adds(out, "\n    }");
}

/* The "findings" or the "waived" array (fs NULL: empty). */
static void write_findings(struct buf *out, const char *key, const struct findings *fs)
{
	static const struct findings none = FINDINGS_INIT;
	if (!fs)
		fs = &none;
	write_key(out, 2, key, false);
	buf_adds(out, "[");
	for (size_t i = 0; i < fs->n; i++) {
		buf_addf(out, "%s\n    ", i ? "," : "");
		write_finding(out, &fs->v[i]);
	}
	buf_adds(out, fs->n ? "\n  ]" : "]");
}

/* The "errors" (warnings false) or "warnings" (true) array. */
static void write_diags(struct buf *out, const struct diags *d, bool warnings)
{
	write_key(out, 2, warnings ? "warnings" : "errors", false);
	buf_adds(out, "[");
	size_t written = 0;
	for (size_t i = 0; d && i < d->n; i++) {
		if ((d->v[i].kind == DIAG_WARNING) != warnings)
			continue;
		buf_addf(out, "%s\n    ", written++ ? "," : "");
		write_diag(out, &d->v[i]);
	}
	buf_adds(out, written ? "\n  ]" : "]");
}

static void write_summary(struct buf *out, const struct report_ctx *ctx)
{
	size_t counts[SEV_COUNT] = {0};
	for (size_t i = 0; i < ctx->findings->n; i++) {
		if ((unsigned)ctx->findings->v[i].severity < SEV_COUNT)
			counts[ctx->findings->v[i].severity]++;
	}
	size_t warnings = ctx->diags ? diags_count(ctx->diags, DIAG_WARNING) : 0;
	size_t errors = ctx->diags ? ctx->diags->n - warnings : 0;
	write_key(out, 2, "summary", false);
	buf_adds(out, "{");
	write_key(out, 4, "files", true);
	buf_add_uint(out, ctx->files);
	write_key(out, 4, "resources", false);
	buf_add_uint(out, ctx->resources);
	write_key(out, 4, "policies", false);
	buf_add_uint(out, ctx->policies);
	write_key(out, 4, "findings", false);
	buf_add_uint(out, ctx->findings->n);
	write_key(out, 4, "by_severity", false);
	buf_adds(out, "{");
	for (int s = SEV_COUNT - 1; s >= 0; s--)
		buf_addf(out, "\"%s\": %zu%s", severity_name((enum severity)s), counts[s],
		         s ? ", " : "}");
	write_key(out, 4, "errors", false);
	buf_add_uint(out, errors);
	write_key(out, 4, "warnings", false);
	buf_add_uint(out, warnings);
	write_string_member(out, 4, "fail_on", severity_name((enum severity)ctx->fail_on));
	buf_adds(out, "\n  }");
}

static void write_count_or_null(struct buf *out, const char *key, bool known, size_t n)
{
	write_key(out, 4, key, false);
	if (known)
		buf_add_uint(out, n);
	else
		buf_adds(out, "null");
}

/* The policies that ran: id, file, built in or not, SHA-256 of the source. */
static void write_policy_set(struct buf *out, const struct report_governance *g)
{
	write_key(out, 4, "policies", false);
	buf_adds(out, "[");
	for (size_t i = 0; i < g->npolicy_set; i++) {
		const struct report_policy_hash *p = &g->policy_set[i];
		buf_adds(out, i ? ",\n      {\"id\": " : "\n      {\"id\": ");
		report_json_string(out, p->id);
		buf_adds(out, ", \"file\": ");
		report_json_string(out, p->file);
		buf_addf(out, ", \"builtin\": %s, \"sha256\": ", p->builtin ? "true" : "false");
		report_json_string(out, p->sha256[0] ? p->sha256 : NULL);
		buf_adds(out, "}");
	}
	buf_adds(out, g->npolicy_set ? "\n    ]" : "]");
}

/* What governance used and did: config file, profile, baseline counts, soft override. */
static void write_governance(struct buf *out, const struct report_governance *g)
{
	static const struct report_governance none;
	if (!g)
		g = &none;
	write_key(out, 2, "governance", false);
	buf_adds(out, "{");
	write_key(out, 4, "config", true);
	report_json_string(out, g->config);
	write_string_member(out, 4, "profile", g->profile);
	write_count_or_null(out, "waived", true, g->waived ? g->waived->n : 0);
	write_count_or_null(out, "baselined", g->baseline_used, g->baselined);
	write_count_or_null(out, "baseline_fixed", g->baseline_used, g->baseline_fixed);
	write_key(out, 4, "override_soft", false);
	buf_adds(out, g->override_soft ? "true" : "false");
	write_policy_set(out, g);
	buf_adds(out, "\n  }");
}

void report_json_write(const struct report_ctx *ctx, struct buf *out)
{
	buf_adds(out, "{");
	write_key(out, 2, "version", true);
	buf_adds(out, "1");
	write_findings(out, "findings", ctx->findings);
	write_findings(out, "waived", ctx->gov ? ctx->gov->waived : NULL);
	write_diags(out, ctx->diags, false);
	write_diags(out, ctx->diags, true);
	write_summary(out, ctx);
	write_governance(out, ctx->gov);
	buf_adds(out, "\n}\n");
}
