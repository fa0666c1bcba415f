/*
 * Waivers (see waiver.h): reading them from the config document, matching, expiry and the
 * unused ones.
 */
#include "govern/waiver.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "load/docpos.h"
#include "util/xalloc.h"

/* The string (or integer digits) at key of waiver object w, or NULL. */
static char *field(const struct doc *doc, uint32_t w, const char *key)
{
	uint32_t v = doc_get(doc, w, key);
	if (v == DOC_NONE)
		return NULL;
	enum doc_type t = doc_type(doc, v);
	return t == DOC_STRING || t == DOC_INT ? doc_strdup(doc, v, NULL) : NULL;
}

/* What to call a waiver in messages: its policy, else its resource, else its file. */
static const char *waiver_subject(const struct waiver *w)
{
	return w->policy ? w->policy : w->resource ? w->resource : w->file;
}

static void load_one(struct waiver *w, struct doc *doc, uint32_t node, const char *today)
{
	w->policy = field(doc, node, "policy");
	w->resource = field(doc, node, "resource");
	w->file = field(doc, node, "file");
	w->reason = field(doc, node, "reason");
	w->owner = field(doc, node, "owner");
	w->ticket = field(doc, node, "ticket");
	w->expires = field(doc, node, "expires");
	doc_position(doc, doc_node(doc, node)->pos, &w->line, &w->column);
	w->expired = w->expires && strcmp(w->expires, today) < 0;
}

void waivers_load(struct waivers *ws, const struct config *c, const char *today,
                  struct diags *d)
{
	memset(ws, 0, sizeof *ws);
	if (!c || c->waivers == DOC_NONE)
		return;
	struct doc *doc = (struct doc *)&c->doc; /* doc_position builds its line index lazily */
	ws->config_path = c->path;
	ws->v = xcalloc(doc_node(doc, c->waivers)->len + 1, sizeof *ws->v);
	for (uint32_t w = doc_first(doc, c->waivers); w != DOC_NONE;
	     w = doc_next(doc, c->waivers, w)) {
		struct waiver *x = &ws->v[ws->n++];
		load_one(x, doc, w, today);
		if (x->expired)
			diags_add(d, DIAG_WARNING, c->path, x->line, x->column, NULL,
			          "waiver for '%s' expired on %s and no longer applies",
			          waiver_subject(x), x->expires);
	}
}

/* A file pattern matches the path as given, or without a leading "./" on either side. */
static bool file_match(const char *pattern, const char *file)
{
	while (pattern[0] == '.' && pattern[1] == '/')
		pattern += 2;
	while (file[0] == '.' && file[1] == '/')
		file += 2;
	return fnmatch(pattern, file, 0) == 0;
}

bool waiver_match(const struct waiver *w, const struct finding *f)
{
	if (w->policy && (!f->policy || fnmatch(w->policy, f->policy, 0) != 0))
		return false;
	if (w->resource && (!f->resource || fnmatch(w->resource, f->resource, 0) != 0))
		return false;
	if (w->file && (!f->file || !file_match(w->file, f->file)))
		return false;
	return true;
}

struct waiver *waivers_find(struct waivers *ws, const struct finding *f)
{
	for (size_t i = 0; i < ws->n; i++) {
		if (!ws->v[i].expired && waiver_match(&ws->v[i], f))
			return &ws->v[i];
	}
	return NULL;
}

void waivers_report_unused(const struct waivers *ws, bool strict, struct diags *d)
{
	for (size_t i = 0; i < ws->n; i++) {
		const struct waiver *w = &ws->v[i];
		if (w->expired || w->uses)
			continue;
		diags_add(d, strict ? DIAG_USAGE : DIAG_WARNING, ws->config_path, w->line, w->column,
		          NULL, "waiver for '%s' matches nothing", waiver_subject(w));
	}
}

char *waiver_location(const struct waivers *ws, const struct waiver *w)
{
	return xasprintf("%s:%u", ws->config_path ? ws->config_path : "<config>", w->line);
}

void waivers_free(struct waivers *ws)
{
	for (size_t i = 0; i < ws->n; i++) {
		struct waiver *w = &ws->v[i];
		free(w->policy);
		free(w->resource);
		free(w->file);
		free(w->reason);
		free(w->owner);
		free(w->ticket);
		free(w->expires);
	}
	free(ws->v);
	memset(ws, 0, sizeof *ws);
}
