/*
 * Indexes over the model for one engine run: distinct resource types (each policy's globs
 * are matched once per type, not once per resource), addresses sorted for model.find, and
 * declaration positions computed in one pass over each input (a column count from the line
 * start per resource would rescan single-line plans of tens of megabytes).
 */
#include "engine/engine_int.h"

#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "engine/mod_glob.h"
#include "load/docpos.h"
#include "util/xalloc.h"

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *type_of(const struct model_resource *r)
{
	return r->type ? r->type : "";
}

/* Groups the resources by type (a counting sort keeps model order within a type), so a
 * lookup by type walks only that type's resources. */
static void group_types(struct run *run)
{
	size_t n = run->m->nresources;
	run->type_first = xcalloc(run->ntypes + 2, sizeof *run->type_first);
	run->type_members = xmalloc((n + 1) * sizeof *run->type_members);
	for (size_t i = 0; i < n; i++)
		run->type_first[run->rtype[i] + 2]++;
	for (size_t t = 2; t < run->ntypes + 2; t++)
		run->type_first[t] += run->type_first[t - 1];
	for (size_t i = 0; i < n; i++)
		run->type_members[run->type_first[run->rtype[i] + 1]++] = (uint32_t)i;
	run->glob_hit = xcalloc(run->ntypes + 1, sizeof *run->glob_hit);
}

static void index_types(struct run *run)
{
	struct model *m = run->m;
	const char **all = xmalloc((m->nresources + 1) * sizeof *all);
	for (size_t i = 0; i < m->nresources; i++)
		all[i] = type_of(&m->resources[i]);
	qsort(all, m->nresources, sizeof *all, cmp_strp);
	size_t n = 0;
	for (size_t i = 0; i < m->nresources; i++) {
		if (n == 0 || strcmp(all[n - 1], all[i]) != 0)
			all[n++] = all[i];
	}
	run->types = all;
	run->ntypes = n;
	run->rtype = xmalloc((m->nresources + 1) * sizeof *run->rtype);
	for (size_t i = 0; i < m->nresources; i++) {
		const char *t = type_of(&m->resources[i]);
		const char **hit = bsearch(&t, all, n, sizeof *all, cmp_strp);
		run->rtype[i] = (uint32_t)(hit - all);
	}
}

/* An address and its resource; equal addresses keep model order. */
struct addr_ref {
	const char *address;
	size_t index;
};

static int cmp_addr(const void *a, const void *b)
{
	const struct addr_ref *x = a, *y = b;
	int c = strcmp(x->address, y->address);
	if (c)
		return c;
	return (x->index > y->index) - (x->index < y->index);
}

static void index_addresses(struct run *run)
{
	struct model *m = run->m;
	struct addr_ref *refs = xmalloc((m->nresources + 1) * sizeof *refs);
	for (size_t i = 0; i < m->nresources; i++) {
		refs[i].address = m->resources[i].address ? m->resources[i].address : "";
		refs[i].index = i;
	}
	qsort(refs, m->nresources, sizeof *refs, cmp_addr);
	run->by_address = xmalloc((m->nresources + 1) * sizeof *run->by_address);
	for (size_t i = 0; i < m->nresources; i++)
		run->by_address[i] = refs[i].index;
	free(refs);
}

void run_init(struct run *run, struct engine *e, struct model *m, struct findings *out,
              struct diags *d)
{
	memset(run, 0, sizeof *run);
	run->e = e;
	run->m = m;
	run->out = out;
	run->d = d;
	static _Atomic uint32_t runs;
	run->serial = ++runs;
	run->ref_stores = run->ref_docrefs = LUA_NOREF;
	index_types(run);
	group_types(run);
	index_addresses(run);
	run->matched = xcalloc(run->ntypes + 1, sizeof *run->matched);
}

void run_match_types(struct run *run, const struct policy *p)
{
	for (size_t t = 0; t < run->ntypes; t++) {
		bool hit = p->nglobs == 0;
		for (size_t g = 0; g < p->nglobs && !hit; g++)
			hit = mod_glob_match(p->globs[g], run->types[t]);
		run->matched[t] = hit;
	}
}

void run_free(struct run *run)
{
	free(run->types);
	free(run->rtype);
	free(run->type_first);
	free(run->type_members);
	free(run->glob_hit);
	free(run->by_address);
	free(run->line);
	free(run->column);
	free(run->matched);
	memset(run, 0, sizeof *run);
}

struct pos_ref {
	uint32_t pos;
	size_t index;
};

static int cmp_pos(const void *a, const void *b)
{
	const struct pos_ref *x = a, *y = b;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Positions of every resource of input k, in one forward scan of its source. */
static void positions_of_input(struct run *run, size_t k, struct pos_ref *tmp)
{
	struct model_input *in = run->m->inputs[k];
	struct doc *doc = &in->doc;
	size_t n = 0;
	for (size_t i = in->first_resource; i < in->first_resource + in->resource_count; i++) {
		uint32_t node = run->m->resources[i].node;
		if (node == DOC_NONE || node >= doc->n || !doc->src.data)
			continue;
		tmp[n].pos = doc_node(doc, node)->pos;
		tmp[n].index = i;
		n++;
	}
	qsort(tmp, n, sizeof *tmp, cmp_pos);
	unsigned line = 1, col = 1;
	size_t at = 0;
	for (size_t j = 0; j < n; j++) {
		size_t target = tmp[j].pos < doc->src.len ? tmp[j].pos : doc->src.len;
		if (target > at) {
			doc_advance(doc, at, target, &line, &col);
			at = target;
		}
		run->line[tmp[j].index] = line;
		run->column[tmp[j].index] = col;
	}
}

void run_position(struct run *run, size_t i, unsigned *line, unsigned *column)
{
	if (!run->line) {
		size_t n = run->m->nresources + 1;
		run->line = xcalloc(n, sizeof *run->line);
		run->column = xcalloc(n, sizeof *run->column);
		struct pos_ref *tmp = xmalloc(n * sizeof *tmp);
		for (size_t k = 0; k < run->m->ninputs; k++)
			positions_of_input(run, k, tmp);
		free(tmp);
	}
	*line = run->line[i];
	*column = run->column[i];
}

size_t run_find(const struct run *run, const char *address)
{
	size_t lo = 0, hi = run->m->nresources;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *a = run->m->resources[run->by_address[mid]].address;
		int c = strcmp(a ? a : "", address);
		if (c == 0)
			return run->by_address[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

size_t run_match_glob(struct run *run, const char *glob, size_t *only)
{
	size_t hits = 0;
	for (size_t t = 0; t < run->ntypes; t++) {
		run->glob_hit[t] = mod_glob_match(glob, run->types[t]);
		if (run->glob_hit[t]) {
			hits++;
			*only = t;
		}
	}
	return hits;
}

bool run_visible(const struct run *run, size_t i)
{
	unsigned a = run->m->resources[i].actions;
	bool destroy_only = (a & ACTION_DELETE) && !(a & ACTION_CREATE);
	return !destroy_only || run->p->include_destroyed;
}
