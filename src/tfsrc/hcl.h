/*
 * A small HCL block scanner for Terraform sources: finds the top-level `resource "T" "N"`,
 * `data "T" "N"` and `module "M"` blocks of a .tf file with their positions, the literal
 * `source` of module blocks, the position of every attribute and nested block written inside
 * them, and the `# moongate:ignore` comments on the line before a block or an attribute.
 *
 * Not an evaluator: expressions are skipped, honouring quoted strings with escapes and
 * `${...}` / `%{...}` templates (nested braces and quotes inside), heredocs (`<<EOF`,
 * `<<-EOF`) and the three comment styles (`#`, `//` and block comments). Bad syntax never stops the
 * scan: it is reported as a warning and the scanner resynchronises at the next line.
 *
 * Ownership: an hcl_file owns every block, attribute, suppression and string in it.
 */
#ifndef MG_TFSRC_HCL_H
#define MG_TFSRC_HCL_H
#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"

/* One `# moongate:ignore <policy-id> [until=YYYY-MM-DD] -- <reason>` comment. */
struct hcl_ignore {
	char *text;     /* everything after the keyword, trimmed: what governance parses */
	char *policy;   /* the policy id, or NULL when the comment names none */
	char *until;    /* "YYYY-MM-DD" as written, or NULL */
	char *reason;   /* the text after "--", or NULL when missing (itself worth reporting) */
	char *problem;  /* what is malformed ("missing reason", ...), or NULL when well-formed */
	unsigned line, column; /* 1-based position of the comment */
};

struct hcl_ignores {
	struct hcl_ignore *v;
	size_t n, cap;
};

/* An attribute, object key or nested block inside a top-level block. */
struct hcl_attr {
	/* Dotted path from the block body: "acl", "tags.Owner", "network_acls.0.default_action",
	 * "ingress.1.cidr_blocks". Every nested block occurrence carries its index among the
	 * blocks of that name in the same body (dynamic "x" blocks count as x blocks). */
	char *path;
	bool is_block;         /* a nested block (the path ends with its index) */
	unsigned line, column; /* 1-based position of the name */
	struct hcl_ignores ignores;
};

enum hcl_block_kind { HCL_RESOURCE, HCL_DATA, HCL_MODULE };

struct hcl_block {
	enum hcl_block_kind kind;
	char *type;            /* resource or data type; NULL for a module */
	char *name;
	char *source;          /* module: the `source` string when written as a literal, else NULL */
	unsigned line, column; /* 1-based position of the block keyword */
	struct hcl_attr *attrs; /* in source order */
	size_t nattrs, cap;
	struct hcl_ignores ignores;
};

struct hcl_file {
	struct hcl_block *v;   /* top-level blocks in source order */
	size_t n, cap;
};

#define HCL_FILE_INIT {NULL, 0, 0}

/* Scans text[0..len) (need not be NUL-terminated) into f, appending blocks. Syntax problems
 * become DIAG_WARNING entries of d naming path (may be NULL: then nothing is recorded).
 * Linear in len; nesting deeper than HCL_MAX_DEPTH is skipped without being recorded. */
void hcl_scan(struct hcl_file *f, const char *text, size_t len, const char *path,
              struct diags *d);
#define HCL_MAX_DEPTH 64

/* The attribute of b that best matches a dotted path ("tags.Owner", "ingress.1.from_port",
 * "network_acls.default_action"): the exact path when written, else the longest written
 * prefix of it; NULL when not even the first segment is written. An index may be omitted
 * after a nested block's name, meaning its first occurrence. *exact, if not NULL, tells
 * whether the whole path was found. */
const struct hcl_attr *hcl_block_attr(const struct hcl_block *b, const char *path, bool *exact);

/* True when a's path is path or a prefix of it, by the same rules as hcl_block_attr. */
bool hcl_attr_covers(const struct hcl_attr *a, const char *path);

void hcl_file_free(struct hcl_file *f);

#endif
