/*
 * Diagnostics: errors and warnings with a file position, collected rather than printed.
 * Library code records them here; only the CLI prints them and chooses the exit code.
 */
#ifndef MG_UTIL_DIAG_H
#define MG_UTIL_DIAG_H
#include <stddef.h>

enum diag_kind {
	DIAG_INPUT,   /* an input could not be read or parsed: exit 2 */
	DIAG_USAGE,   /* bad command line or config: exit 2 */
	DIAG_POLICY,  /* a policy failed to load or run: exit 3 */
	DIAG_WARNING, /* reported, changes no exit code */
};

struct diag {
	enum diag_kind kind;
	char *file;    /* NULL when no file applies */
	unsigned line; /* 1-based; 0 when unknown */
	unsigned column;
	char *policy;  /* policy id for DIAG_POLICY, else NULL */
	char *message; /* lowercase, no final period */
};

struct diags {
	struct diag *v;
	size_t n, cap;
};

#define DIAGS_INIT {NULL, 0, 0}

/* Records a diagnostic; file and policy are copied and may be NULL. */
void diags_add(struct diags *d, enum diag_kind kind, const char *file, unsigned line,
               unsigned column, const char *policy, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
/* Counts the diagnostics of one kind. */
size_t diags_count(const struct diags *d, enum diag_kind kind);
/* Formats one diagnostic as "file:line:column: message" (parts omitted when unknown). */
char *diag_format(const struct diag *dg);
void diags_free(struct diags *d);

#endif
