/*
 * Coverage of policy files: the engine's line hook marks every line run, per chunk; at the
 * end each policy's code lines (engine_code_lines) are compared with the lines run, and the
 * tests tell whether the policy has a passing and a failing case.
 */
#include <stdlib.h>
#include <string.h>

#include <lua.h>

#include "engine/testrun.h"
#include "testing/ptest_int.h"
#include "util/buf.h"
#include "util/xalloc.h"

struct cov_file {
	char *source;        /* chunk name: "@policies/residency/allowed-regions.lua" */
	bool *hit;
	size_t n, cap;
};

struct ptest_cov {
	struct cov_file *v;
	size_t n, cap;
	size_t last;         /* the file of the previous line event */
};

struct ptest_cov *ptest_cov_new(void)
{
	return xcalloc(1, sizeof(struct ptest_cov));
}

static struct cov_file *file_for(struct ptest_cov *c, const char *source)
{
	if (c->last < c->n && strcmp(c->v[c->last].source, source) == 0)
		return &c->v[c->last];
	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->v[i].source, source) == 0) {
			c->last = i;
			return &c->v[i];
		}
	}
	xgrow((void **)&c->v, &c->cap, c->n + 1, sizeof *c->v);
	c->last = c->n;
	c->v[c->n] = (struct cov_file){xstrdup(source), NULL, 0, 0};
	return &c->v[c->n++];
}

void ptest_cov_hook(void *ud, lua_State *L, lua_Debug *ar)
{
	if (!lua_getinfo(L, "S", ar) || ar->currentline <= 0 || ar->source[0] != '@')
		return;
	struct cov_file *f = file_for(ud, ar->source);
	size_t line = (size_t)ar->currentline;
	if (line >= f->n) {
		xgrow((void **)&f->hit, &f->cap, line + 1, sizeof *f->hit);
		memset(f->hit + f->n, 0, (line + 1 - f->n) * sizeof *f->hit);
		f->n = line + 1;
	}
	f->hit[line] = true;
}

static bool was_hit(const struct cov_file *f, size_t k)
{
	return f && k < f->n && f->hit[k];
}

/* "12, 15-18": runs of code lines not hit (lines without code do not break a run). */
static char *missed_lines(const bool *code, size_t n, const struct cov_file *f, unsigned *ncode,
                          unsigned *nhit)
{
	struct buf b = BUF_INIT;
	*ncode = *nhit = 0;
	for (size_t k = 0; k < n; k++) {
		*ncode += code[k];
		*nhit += code[k] && was_hit(f, k);
	}
	for (size_t k = 0; k < n;) {
		if (!code[k] || was_hit(f, k)) {
			k++;
			continue;
		}
		size_t last = k, j = k + 1;
		for (; j < n && (!code[j] || !was_hit(f, j)); j++)
			last = code[j] ? j : last;
		buf_addf(&b, "%s%zu", b.len ? ", " : "", k);
		if (last > k)
			buf_addf(&b, "-%zu", last);
		k = j;
	}
	return b.data ? buf_detach(&b) : xstrdup("");
}

static void pass_fail(const struct ptest_report *r, const char *policy, struct ptest_cover *row)
{
	for (size_t i = 0; i < r->nresults; i++) {
		const struct ptest_result *t = &r->results[i];
		if (strcmp(t->policy, policy) != 0 || t->status != PTEST_PASS)
			continue;
		row->has_pass |= t->saw_clean;
		row->has_fail |= t->saw_finding;
	}
}

void ptest_cov_collect(struct ptest_cov *c, struct engine *e, struct ptest_report *r)
{
	for (size_t i = 0; i < engine_policy_count(e); i++) {
		const struct policy_info *in = engine_policy(e, i);
		bool *code;
		size_t n;
		if (!engine_code_lines(e, in->id, &code, &n))
			continue;
		char *source = xasprintf("@%s", in->file);
		const struct cov_file *f = NULL;
		for (size_t k = 0; k < c->n && !f; k++)
			f = strcmp(c->v[k].source, source) == 0 ? &c->v[k] : NULL;
		xgrow((void **)&r->cover, &r->cover_cap, r->ncover + 1, sizeof *r->cover);
		struct ptest_cover *row = &r->cover[r->ncover++];
		memset(row, 0, sizeof *row);
		row->policy = xstrdup(in->id);
		row->file = xstrdup(in->file);
		row->missed = missed_lines(code, n, f, &row->code_lines, &row->hit_lines);
		pass_fail(r, in->id, row);
		free(source);
		free(code);
	}
}

void ptest_cov_free(struct ptest_cov *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].source);
		free(c->v[i].hit);
	}
	free(c->v);
	free(c);
}
