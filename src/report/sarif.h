/*
 * SARIF 2.1.0 reporter (GitHub code scanning, Azure DevOps, VS Code viewers): one rule per
 * policy, one result per finding with physical and logical locations and a partial
 * fingerprint that survives line shifts, diagnostics as tool execution notifications.
 *
 * The module also provides what the other CI reporters share: the list of rules a report
 * describes (from the engine, else from the findings), UTF-8 decoding that never trusts its
 * input, and repository-relative paths.
 */
#ifndef MG_REPORT_SARIF_H
#define MG_REPORT_SARIF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/report.h"

/* One policy as a report describes it. Strings are borrowed from the engine or from the
 * findings of the report_ctx the rules were built from: they live as long as those do. */
struct report_rule {
	const char *id;
	const char *title;       /* never NULL (the id when nothing better is known) */
	const char *description; /* may be NULL */
	const char *remediation; /* may be NULL */
	const char *tags;        /* comma-separated, may be "" */
	const char *types;       /* comma-separated globs, "" for every type; NULL: not known */
	const char *references;  /* newline-separated, may be "" */
	enum severity severity;  /* the policy's severity; without an engine the highest found */
	size_t findings;         /* how many findings of the report name this rule */
};

struct report_rules {
	struct report_rule *v; /* sorted by id */
	size_t n;
};

/* Builds the rules of a report: every enabled policy of ctx->engine, plus every policy named
 * by a finding (policies the engine does not know, or all of them when engine is NULL). */
void report_sarif_rules_init(struct report_rules *rules, const struct report_ctx *ctx);
/* The index of the rule with that id, or SIZE_MAX. */
size_t report_sarif_rule_index(const struct report_rules *rules, const char *id);
void report_sarif_rules_free(struct report_rules *rules);

/* Decodes one UTF-8 character of s[0, n) (n > 0) into *cp and returns its length; for an
 * invalid, overlong, surrogate or truncated sequence sets *cp to U+FFFD and returns 1. */
size_t report_sarif_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Joins hard-wrapped text (Lua long strings): a single line break and the indentation after
 * it become one space, a blank line stays "\n\n"; ends are trimmed. New string. */
char *report_sarif_unwrap(const char *text);

/* True for a name that is no path ("<stdin>"): reports give it no file location. */
bool report_sarif_pseudo_file(const char *file);

/* The repository root holding path: the nearest directory above it with a .git entry, else
 * the current directory. Absolute, without a trailing slash (except "/"). New string. */
char *report_sarif_repo_root(const char *path);
/* path relative to root ("dir/plan.json") when it lies under root, else NULL. A relative path
 * is taken relative to the current directory, or to root when cwd_is_root. New string. */
char *report_sarif_relative(const char *path, const char *root, int cwd_is_root);

/* 64-bit FNV-1a over the fields, each followed by a 0 byte (NULL hashes as a lone 0xff),
 * as 16 lowercase hex digits in out (17 bytes). The partialFingerprints "moongate/v1". */
void report_sarif_fingerprint(const char *const *fields, size_t n, char out[17]);

struct report_sarif_options {
	const char *root; /* repository root for artifact URIs; NULL: discover per file
	                     (relative inputs are then taken relative to root) */
};

void report_sarif_write(const struct report_ctx *ctx, struct buf *out);
void report_sarif_write_opts(const struct report_ctx *ctx, const struct report_sarif_options *o,
                             struct buf *out);

#endif
