/*
 * GitHub workflow commands (see github.h): `::CMD file=F,line=L,col=C,title=T::MESSAGE`.
 * The runner decodes %25, %0D and %0A in the message, and additionally %3A and %2C in
 * property values, whose raw ':' and ',' would end the value. A plan finding mapped to its
 * .tf source annotates the .tf line; its message names the plan position.
 */
#include "report/github.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "report/sarif.h"
#include "util/xalloc.h"

static const char *const github_commands[SEV_COUNT] = {"notice", "notice", "warning", "error",
                                                       "error"};

/* Appends s escaped as a command's data (property values too when property). */
static void github_escape(struct buf *b, const char *s, bool property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': buf_adds(b, "%25"); break;
		case '\r': buf_adds(b, "%0D"); break;
		case '\n': buf_adds(b, "%0A"); break;
		case ':':
			if (property)
				buf_adds(b, "%3A");
			else
				buf_addc(b, ':');
			break;
		case ',':
			if (property)
				buf_adds(b, "%2C");
			else
				buf_addc(b, ',');
			break;
		default:
			if ((unsigned char)*s < 0x20 || *s == 0x7f) /* ESC and the like stay inert */
				buf_addf(b, "\\x%02x", (unsigned char)*s);
			else
				buf_addc(b, *s);
		}
	}
}

/* Where annotation paths start from; the last file's path (findings come sorted by file). */
struct github_paths {
	char *root;
	bool cwd_is_root;
	const char *last_file;
	char *last_path;
};

/* file relative to the repository root, or as given when it lies outside. */
static const char *github_path(struct github_paths *p, const char *file)
{
	if (p->last_file && strcmp(p->last_file, file) == 0)
		return p->last_path;
	free(p->last_path);
	p->last_file = file;
	p->last_path = report_sarif_relative(file, p->root, p->cwd_is_root);
	if (!p->last_path)
		p->last_path = xstrdup(file);
	return p->last_path;
}

/* "::CMD file=F,line=L,col=C,title=T::" with the parts that are known. */
static void github_command(struct buf *b, struct github_paths *paths, const char *cmd,
                           const char *file, unsigned line, unsigned column, const char *title)
{
	buf_addf(b, "::%s ", cmd);
	if (file && !report_sarif_pseudo_file(file)) {
		buf_adds(b, "file=");
		github_escape(b, github_path(paths, file), true);
		if (line)
			buf_addf(b, ",line=%u", line);
		if (line && column)
			buf_addf(b, ",col=%u", column);
		buf_addc(b, ',');
	}
	buf_adds(b, "title=");
	github_escape(b, title, true);
	buf_adds(b, "::");
}

static void github_finding(struct buf *b, struct github_paths *paths, const struct finding *f)
{
	const char *policy = f->policy ? f->policy : "moongate";
	const char *message = f->message ? f->message : "";
	char *title = xasprintf("%s (%s)", policy, severity_name(f->severity));
	struct buf text = BUF_INIT;
	if (f->resource && !strstr(message, f->resource))
		buf_addf(&text, "%s: ", f->resource);
	buf_adds(&text, message);
	if (f->cannot_verify)
		buf_adds(&text, " (cannot verify: unknown until apply)");
	if (f->src_file && f->file)
		buf_addf(&text, " (plan: %s:%u:%u)", github_path(paths, f->file), f->line, f->column);
	if (f->remediation && *f->remediation) {
		char *remediation = report_sarif_unwrap(f->remediation);
		buf_addf(&text, "\nremediation: %s", remediation);
		free(remediation);
	}
	if (f->src_file)
		github_command(b, paths, github_commands[f->severity % SEV_COUNT], f->src_file,
		               f->src_line, f->src_column, title);
	else
		github_command(b, paths, github_commands[f->severity % SEV_COUNT], f->file, f->line,
		               f->column, title);
	github_escape(b, buf_str(&text), false);
	buf_addc(b, '\n');
	buf_free(&text);
	free(title);
}

static void github_diag(struct buf *b, struct github_paths *paths, const struct diag *d)
{
	static const char *const titles[] = {"moongate: input error", "moongate: usage error",
	                                      "moongate: policy error", "moongate: warning"};
	struct buf text = BUF_INIT;
	if (d->policy)
		buf_addf(&text, "policy '%s': ", d->policy);
	buf_adds(&text, d->message ? d->message : "");
	github_command(b, paths, d->kind == DIAG_WARNING ? "warning" : "error", d->file, d->line,
	               d->column, titles[d->kind % 4]);
	github_escape(b, buf_str(&text), false);
	buf_addc(b, '\n');
	buf_free(&text);
}

/* The first file the report names, or "." */
static const char *first_file(const struct report_ctx *ctx)
{
	for (size_t i = 0; ctx->diags && i < ctx->diags->n; i++) {
		const char *file = ctx->diags->v[i].file;
		if (file && !report_sarif_pseudo_file(file))
			return file;
	}
	for (size_t i = 0; ctx->findings && i < ctx->findings->n; i++) {
		const char *file = ctx->findings->v[i].file;
		if (file && !report_sarif_pseudo_file(file))
			return file;
	}
	return ".";
}

void report_github_write_root(const struct report_ctx *ctx, const char *root, struct buf *out)
{
	struct github_paths paths = {.cwd_is_root = root != NULL};
	paths.root = root ? xstrdup(root) : report_sarif_repo_root(first_file(ctx));
	for (size_t i = 0; ctx->diags && i < ctx->diags->n; i++)
		github_diag(out, &paths, &ctx->diags->v[i]);
	for (size_t i = 0; ctx->findings && i < ctx->findings->n; i++)
		github_finding(out, &paths, &ctx->findings->v[i]);
	free(paths.root);
	free(paths.last_path);
}

void report_github_write(const struct report_ctx *ctx, struct buf *out)
{
	report_github_write_root(ctx, NULL, out);
}
