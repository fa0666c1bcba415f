/*
 * Waivers: the accepted exceptions of the config file's `waivers:` list (docs/governance.md).
 * Each is read once from the config document into plain strings, matched against findings
 * by policy, resource and file globs, and afterwards reported when it expired or matched
 * nothing. Ownership: a waiver list owns all its strings; waivers_free releases them.
 */
#ifndef MG_GOVERN_WAIVER_H
#define MG_GOVERN_WAIVER_H
#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "engine/finding.h"
#include "util/diag.h"

struct waiver {
	char *policy;    /* policy id or glob, or NULL for any */
	char *resource;  /* resource address or glob, or NULL for any */
	char *file;      /* input file glob, or NULL for any */
	char *reason;
	char *owner;     /* may be NULL */
	char *ticket;    /* may be NULL (an integer ticket is kept as its digits) */
	char *expires;   /* YYYY-MM-DD, or NULL */
	unsigned line, column; /* of the waiver in the config file */
	bool expired;    /* expires lies before today: the waiver no longer applies */
	size_t uses;     /* findings it waived */
};

struct waivers {
	struct waiver *v;
	size_t n;
	const char *config_path; /* borrowed from the config */
};

/* Reads the config's waivers (already validated by config_load); today is YYYY-MM-DD. Every
 * expired waiver is a DIAG_WARNING at its file:line. c may be NULL (no waivers). */
void waivers_load(struct waivers *ws, const struct config *c, const char *today,
                  struct diags *d);
/* True when w covers f: every field it has matches (globs: `*` also crosses `/`). */
bool waiver_match(const struct waiver *w, const struct finding *f);
/* The first applicable (unexpired) waiver covering f, or NULL. */
struct waiver *waivers_find(struct waivers *ws, const struct finding *f);
/* Reports every unexpired waiver that matched nothing: a DIAG_WARNING, or DIAG_USAGE when
 * strict (--strict-waivers). */
void waivers_report_unused(const struct waivers *ws, bool strict, struct diags *d);
/* "file:line" of w, new string. */
char *waiver_location(const struct waivers *ws, const struct waiver *w);
void waivers_free(struct waivers *ws);

#endif
