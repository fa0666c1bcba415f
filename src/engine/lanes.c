/*
 * Running the policies of one engine_run on several threads (engine_options.lanes). Lane 0 is
 * the engine itself; every other lane is a twin engine with its own Lua state that loaded the
 * same policies (made on the first run big enough, kept for later runs). The lanes take
 * policies from one queue, the costliest first (the resources their types select, for check
 * and for evaluate; an evaluate policy without types costs the whole model), each into its
 * own findings and diagnostics;
 * the results are then appended in policy id order, as a run on one thread gives them.
 *
 * What the lanes share is read only: the model and its documents (doc_position builds its
 * index under a lock). A twin whose policies differ from the engine's (a policy file changed
 * between the loads) takes no part.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_int.h"
#include "load/docpos.h"
#include "util/xalloc.h"

/* Where one policy's results are in its lane's lists. */
struct slot {
	size_t lane;
	size_t fstart, fend; /* findings */
	size_t dstart, dend; /* diagnostics */
};

struct lane {
	struct engine *e;     /* NULL: takes no part */
	struct queue *q;
	struct findings out;
	struct diags d;
};

struct queue {
	struct model *m;
	size_t *order;        /* policy indexes, costliest first */
	size_t n;
	_Atomic size_t next;  /* the next entry of order to take */
	struct slot *slots;   /* per policy index */
};

/* True when twin loaded the policies e did, in the same order with the same settings. */
static bool same_policies(const struct engine *e, const struct engine *twin)
{
	if (!twin->sb.L || twin->npolicies != e->npolicies)
		return false;
	for (size_t i = 0; i < e->npolicies; i++) {
		const struct policy *a = &e->policies[i], *b = &twin->policies[i];
		if (strcmp(a->info.id, b->info.id) != 0 || a->info.enabled != b->info.enabled ||
		    strcmp(a->info.sha256, b->info.sha256) != 0)
			return false;
	}
	return true;
}

/* A twin of e, or NULL when it cannot load the same policies (its diagnostics are e's). */
static struct engine *twin_new(const struct engine *e)
{
	struct engine_options o = e->opts;
	o.lanes = 1;
	struct diags scratch = DIAGS_INIT;
	struct engine *twin = engine_new(&o, &scratch);
	diags_free(&scratch);
	if (!same_policies(e, twin)) {
		engine_free(twin);
		return NULL;
	}
	return twin;
}

/* A helper thread of engine_prepare_lanes, making twin l of e. */
struct lane_prep {
	struct engine *e;
	size_t l;
	pthread_t tid;
	bool started;
};

static void *prep_thread(void *arg)
{
	struct lane_prep *p = arg;
	p->e->twins[p->l] = twin_new(p->e);
	return NULL;
}

/* The twins only read what the engine loaded (options, policy ids and hashes), which the
 * engine's own runs leave alone: they may be made while it runs. */
void engine_prepare_lanes(struct engine *e)
{
	if (!e->sb.L || e->opts.lanes < 2 || e->opts.line_hook || e->twins_tried || e->prep)
		return;
	e->prep = xcalloc(e->opts.lanes - 1, sizeof *e->prep);
	for (size_t l = 0; l + 1 < e->opts.lanes; l++) {
		e->prep[l] = (struct lane_prep){.e = e, .l = l};
		e->prep[l].started = pthread_create(&e->prep[l].tid, NULL, prep_thread, &e->prep[l]) == 0;
	}
}

void lanes_join_prep(struct engine *e)
{
	if (!e->prep)
		return;
	for (size_t l = 0; l + 1 < e->opts.lanes; l++)
		if (e->prep[l].started)
			pthread_join(e->prep[l].tid, NULL);
	free(e->prep);
	e->prep = NULL;
}

/* Runs policies from the queue until it is empty. run: this lane's, made by run_init. */
static void run_lane(struct lane *ln, size_t index, struct run *run)
{
	struct queue *q = ln->q;
	size_t k;
	ln->e->run = run;
	while ((k = atomic_fetch_add(&q->next, 1)) < q->n) {
		size_t i = q->order[k];
		struct slot *s = &q->slots[i];
		s->lane = index;
		s->fstart = ln->out.n;
		s->dstart = ln->d.n;
		run_policy(ln->e, run, &ln->e->policies[i]);
		s->fend = ln->out.n;
		s->dend = ln->d.n;
	}
	ln->e->run = NULL;
	rtable_free_run(ln->e->sb.L, run);
	run_free(run);
}

struct lane_arg {
	struct lane *lanes;
	size_t index;
	struct engine *owner; /* lane 0's engine, whose twins[index - 1] this lane uses */
};

static void *lane_thread(void *arg)
{
	struct lane_arg *a = arg;
	struct lane *ln = &a->lanes[a->index];
	struct engine **twin = &a->owner->twins[a->index - 1];
	if (!*twin && !a->owner->twins_tried)
		*twin = twin_new(a->owner);
	ln->e = *twin;
	if (ln->e) {
		struct run run;
		run_init(&run, ln->e, ln->q->m, &ln->out, &ln->d);
		run_lane(ln, a->index, &run);
	}
	return NULL;
}

struct costed {
	size_t cost;  /* the resources the policy visits */
	size_t index; /* of the policy */
};

static int cmp_costed(const void *a, const void *b)
{
	const struct costed *x = a, *y = b;
	if (x->cost != y->cost)
		return x->cost < y->cost ? 1 : -1;
	return (x->index > y->index) - (x->index < y->index);
}

/* The resources a policy is expected to visit: its types' resources per check, and the
 * same again for evaluate when it names types (evaluate functions walk those, as a rule),
 * else the whole model. */
static size_t policy_cost(struct run *run, const struct policy *p)
{
	size_t matched = 0;
	run_match_types(run, p);
	for (size_t t = 0; t < run->ntypes; t++)
		if (run->matched[t])
			matched += run->type_first[t + 1] - run->type_first[t];
	size_t cost = p->has_check ? matched : 0;
	if (p->has_evaluate)
		cost += p->nglobs ? matched : run->m->nresources;
	return cost;
}

/* Fills q->order with the enabled policies of run's engine, costliest first. */
static void queue_fill(struct queue *q, struct run *run)
{
	struct engine *e = run->e;
	struct costed *c = xmalloc((e->npolicies + 1) * sizeof *c);
	q->n = 0;
	for (size_t i = 0; i < e->npolicies; i++)
		if (e->policies[i].info.enabled)
			c[q->n++] = (struct costed){policy_cost(run, &e->policies[i]), i};
	qsort(c, q->n, sizeof *c, cmp_costed);
	q->order = xmalloc((q->n + 1) * sizeof *q->order);
	for (size_t k = 0; k < q->n; k++)
		q->order[k] = c[k].index;
	free(c);
}

/* Moves the results of each policy, in id order, from the lanes to out and d. */
static void merge(struct engine *e, struct queue *q, struct lane *lanes, struct findings *out,
                  struct diags *d)
{
	for (size_t i = 0; i < e->npolicies; i++) {
		if (!e->policies[i].info.enabled)
			continue;
		const struct slot *s = &q->slots[i];
		struct lane *ln = &lanes[s->lane];
		for (size_t k = s->fstart; k < s->fend; k++)
			*findings_add(out) = ln->out.v[k];
		for (size_t k = s->dstart; k < s->dend; k++) {
			xgrow((void **)&d->v, &d->cap, d->n + 1, sizeof *d->v);
			d->v[d->n++] = ln->d.v[k];
		}
	}
}

bool lanes_run(struct engine *e, struct model *m, struct findings *out, struct diags *d)
{
	size_t nlanes = e->opts.lanes;
	if (nlanes < 2 || m->nresources < ENGINE_LANE_MIN || e->opts.line_hook)
		return false;
	lanes_join_prep(e);
	if (e->twins_tried && !e->twins[0])
		return false;
	struct queue q = {.m = m, .slots = xcalloc(e->npolicies + 1, sizeof *q.slots)};
	struct lane *lanes = xcalloc(nlanes, sizeof *lanes);
	struct lane_arg *args = xcalloc(nlanes, sizeof *args);
	pthread_t *tids = xcalloc(nlanes, sizeof *tids);
	bool *started = xcalloc(nlanes, sizeof *started);
	struct run run;
	lanes[0].e = e;
	run_init(&run, e, m, &lanes[0].out, &lanes[0].d);
	queue_fill(&q, &run);
	for (size_t l = 1; l < nlanes; l++) {
		lanes[l].q = &q;
		args[l] = (struct lane_arg){lanes, l, e};
		started[l] = pthread_create(&tids[l], NULL, lane_thread, &args[l]) == 0;
	}
	lanes[0].q = &q;
	run_lane(&lanes[0], 0, &run);
	for (size_t l = 1; l < nlanes; l++)
		if (started[l])
			pthread_join(tids[l], NULL);
	e->twins_tried = true;
	merge(e, &q, lanes, out, d);
	for (size_t l = 0; l < nlanes; l++) {
		free(lanes[l].out.v);
		free(lanes[l].d.v);
	}
	free(started);
	free(tids);
	free(args);
	free(lanes);
	free(q.order);
	free(q.slots);
	return true;
}
