/* Findings list, ordering and severities (see finding.h). */
#include "engine/finding.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"

static const char *const severity_names[SEV_COUNT] = {"info", "low", "medium", "high", "critical"};

struct finding *findings_add(struct findings *f)
{
	xgrow((void **)&f->v, &f->cap, f->n + 1, sizeof *f->v);
	struct finding *x = &f->v[f->n++];
	memset(x, 0, sizeof *x);
	return x;
}

/* NULL sorts before any string. */
static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct finding *a = pa, *b = pb;
	int c = cmp_str(a->file, b->file);
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if ((c = cmp_str(a->policy, b->policy)) != 0)
		return c;
	if ((c = cmp_str(a->resource, b->resource)) != 0)
		return c;
	if ((c = cmp_str(a->path, b->path)) != 0)
		return c;
	return cmp_str(a->message, b->message);
}

void findings_sort(struct findings *f)
{
	if (f->n > 1)
		qsort(f->v, f->n, sizeof *f->v, cmp_finding);
}

void findings_free(struct findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		struct finding *x = &f->v[i];
		free(x->policy);
		free(x->message);
		free(x->resource);
		free(x->type);
		free(x->file);
		free(x->src_file);
		free(x->path);
		free(x->remediation);
		free(x->title);
		free(x->justification);
		free(x->suppressed_by);
		free(x->waiver_owner);
		free(x->waiver_ticket);
		free(x->waived_until);
	}
	free(f->v);
	memset(f, 0, sizeof *f);
}

const char *severity_name(enum severity s)
{
	return (unsigned)s < SEV_COUNT ? severity_names[s] : "never";
}

bool severity_parse(const char *s, enum severity *out)
{
	for (int i = 0; i < SEV_COUNT; i++) {
		if (strcasecmp(s, severity_names[i]) == 0) {
			*out = (enum severity)i;
			return true;
		}
	}
	return false;
}

static const char *const enforcement_names[] = {"hard", "soft", "advisory"};

const char *enforcement_name(enum enforcement e)
{
	return (unsigned)e <= ENFORCE_ADVISORY ? enforcement_names[e] : "hard";
}

bool enforcement_parse(const char *s, enum enforcement *out)
{
	for (int i = 0; i <= ENFORCE_ADVISORY; i++) {
		if (strcmp(s, enforcement_names[i]) == 0) {
			*out = (enum enforcement)i;
			return true;
		}
	}
	return false;
}
