/*
 * --changed-only: keeps the findings of a plan's resources that the plan creates, updates or
 * replaces, so a pull request shows what it changes. Findings on the whole run, and on
 * resources of inputs other than plans, are kept. Every resource is still loaded and seen by
 * the policies; only the report is narrowed.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/xalloc.h"

/* The index of resources by address: pairs sorted by address, searched with bsearch. */
struct address_entry {
	const char *address;
	size_t resource;
};

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct address_entry *)a)->address,
	              ((const struct address_entry *)b)->address);
}

/* True when the finding's resource is a plan resource the plan leaves alone (no-op, read,
 * or delete without create). */
static bool unchanged(const struct finding *f, const struct model *m,
                      const struct address_entry *index, size_t n)
{
	if (!f->resource)
		return false;
	struct address_entry key = {f->resource, 0};
	const struct address_entry *e = bsearch(&key, index, n, sizeof *index, cmp_entry);
	if (!e)
		return false;
	return model_resource_unchanged(&m->resources[e->resource]);
}

void changed_only(struct findings *fs, const struct model *m)
{
	struct address_entry *index = xcalloc(m->nresources + 1, sizeof *index);
	size_t n = 0;
	for (size_t i = 0; i < m->nresources; i++) {
		if (m->resources[i].address)
			index[n++] = (struct address_entry){m->resources[i].address, i};
	}
	qsort(index, n, sizeof *index, cmp_entry);
	struct findings kept = FINDINGS_INIT, dropped = FINDINGS_INIT;
	for (size_t i = 0; i < fs->n; i++)
		*findings_add(unchanged(&fs->v[i], m, index, n) ? &dropped : &kept) = fs->v[i];
	free(fs->v);
	*fs = kept;
	findings_free(&dropped);
	free(index);
}
