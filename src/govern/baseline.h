/*
 * Baselines: the findings a project already knows about, recorded once
 * (`--write-baseline FILE`) so that later runs (`--baseline FILE`) report only new ones.
 * A finding is identified by a fingerprint of its policy, file and resource, never its line
 * or message, so edits elsewhere in a file do not make known findings new again.
 *
 * The file is JSON: {"version": 1, "findings": [{"fingerprint", "policy", "file",
 * "resource"}, ...]}, one entry per distinct fingerprint, sorted. Reading it checks its shape
 * and reports problems as DIAG_USAGE with file:line:column.
 */
#ifndef MG_GOVERN_BASELINE_H
#define MG_GOVERN_BASELINE_H
#include <stdbool.h>
#include <stddef.h>

#include "engine/finding.h"
#include "util/buf.h"
#include "util/diag.h"

#define BASELINE_MAX_SIZE ((size_t)256 << 20)

struct baseline_entry {
	char fingerprint[17];
	bool seen; /* a finding of this run matched it */
};

struct baseline {
	struct baseline_entry *v; /* sorted by fingerprint */
	size_t n;
};

/* The fingerprint of f: 16 hex digits (a leading "./" of the file is ignored). */
void baseline_fingerprint(const struct finding *f, char out[17]);
/* Appends the baseline file for the findings fs (only those with status FINDING_OPEN). */
void baseline_format(const struct findings *fs, struct buf *out);
/* Reads path into b; false (with a DIAG_USAGE in d) when it cannot be read or is malformed. */
bool baseline_load(struct baseline *b, const char *path, struct diags *d);
/* Marks and returns the entry with f's fingerprint, or NULL. */
struct baseline_entry *baseline_find(struct baseline *b, const struct finding *f);
/* Entries no finding matched (fixed since the baseline was written). */
size_t baseline_unseen(const struct baseline *b);
void baseline_free(struct baseline *b);

#endif
