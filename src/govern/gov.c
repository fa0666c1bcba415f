/*
 * Governance (see gov.h): enforcement, suppressions, waivers and baselines applied to the
 * findings of one run.
 */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */
#include "govern/gov.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "govern/baseline.h"
#include "govern/suppress.h"
#include "govern/waiver.h"
#include "util/isodate.h"
#include "util/buf.h"
#include "util/xalloc.h"

bool gov_today(char out[11], struct diags *d)
{
	const char *env = getenv(GOV_TODAY_ENV);
	if (env && *env) {
		if (isodate_valid(env)) {
			memcpy(out, env, 11);
			return true;
		}
		diags_add(d, DIAG_USAGE, NULL, 0, 0, NULL,
		          "invalid %s '%s' (expected a date YYYY-MM-DD)", GOV_TODAY_ENV, env);
		return false;
	}
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
	return true;
}

bool gov_fails(const struct finding *f, int fail_on, bool override_soft)
{
	if (f->status != FINDING_OPEN || f->enforcement == ENFORCE_ADVISORY)
		return false;
	if (f->enforcement == ENFORCE_SOFT && override_soft)
		return false;
	return (int)f->severity >= fail_on;
}

/* Marks f as set aside with reason, by what is written at file:line. */
static void set_aside(struct finding *f, enum finding_status status, const char *reason,
                      char *where)
{
	f->status = status;
	f->justification = xstrdup(reason ? reason : "");
	f->suppressed_by = where;
}

/* Suppressions first (they sit next to what they cover), then waivers. */
static void mark(struct finding *f, const struct suppressions *sups, struct model *m,
                 struct waivers *ws)
{
	if (f->status != FINDING_OPEN)
		return; /* already suppressed in its Terraform source (tfmap_annotate) */
	const struct suppression *s = m ? suppress_find(sups, m, f) : NULL;
	if (s) {
		set_aside(f, FINDING_SUPPRESSED, s->reason, xasprintf("%s:%u", s->file, s->line));
		f->waived_until = s->until ? xstrdup(s->until) : NULL;
		return;
	}
	struct waiver *w = waivers_find(ws, f);
	if (w) {
		w->uses++;
		set_aside(f, FINDING_WAIVED, w->reason, waiver_location(ws, w));
		f->waiver_owner = w->owner ? xstrdup(w->owner) : NULL;
		f->waiver_ticket = w->ticket ? xstrdup(w->ticket) : NULL;
		f->waived_until = w->expires ? xstrdup(w->expires) : NULL;
	}
}

/* Moves the findings of fs that keep(f) refuses to out, keeping order. */
static void move_out(struct findings *fs, struct findings *out, bool baselined,
                     struct baseline *b)
{
	size_t kept = 0;
	for (size_t i = 0; i < fs->n; i++) {
		struct finding *f = &fs->v[i];
		bool leave = baselined ? baseline_find(b, f) != NULL : f->status != FINDING_OPEN;
		if (leave)
			*findings_add(out) = *f;
		else
			fs->v[kept++] = *f;
	}
	fs->n = kept;
}

/* Writes the open findings of fs to path; false with a DIAG_USAGE when it cannot. */
static bool write_baseline(const struct findings *fs, const char *path, struct diags *d)
{
	struct buf out = BUF_INIT;
	baseline_format(fs, &out);
	errno = 0;
	FILE *f = fopen(path, "wb");
	bool ok = f && fwrite(buf_str(&out), 1, out.len, f) == out.len;
	if (f && fclose(f) != 0)
		ok = false;
	if (!ok) {
		char reason[128];
		snprintf(reason, sizeof reason, "%s", strerror(errno ? errno : EIO));
		reason[0] = (char)tolower((unsigned char)reason[0]);
		diags_add(d, DIAG_USAGE, NULL, 0, 0, NULL, "cannot write baseline '%s': %s", path,
		          reason);
	}
	buf_free(&out);
	return ok;
}

/* Writes and/or applies the baseline: known findings leave fs and are counted. */
static void apply_baseline(const struct gov_options *o, struct findings *fs,
                           struct gov_result *r, struct diags *d)
{
	const char *path = o->write_baseline ? o->write_baseline : o->baseline;
	if (!path || (o->write_baseline && !write_baseline(fs, o->write_baseline, d)))
		return;
	struct baseline b;
	if (!baseline_load(&b, path, d))
		return;
	struct findings known = FINDINGS_INIT;
	move_out(fs, &known, true, &b);
	r->baseline_used = true;
	r->baselined = known.n;
	r->baseline_fixed = baseline_unseen(&b);
	findings_free(&known);
	baseline_free(&b);
}

void gov_apply(const struct gov_options *o, struct findings *fs, struct gov_result *r,
               struct diags *d)
{
	struct suppressions sups = {0};
	struct waivers ws;
	struct findings problems = FINDINGS_INIT;
	memset(r, 0, sizeof *r);
	if (o->model)
		suppress_scan(&sups, o->model, o->today, &problems, d);
	waivers_load(&ws, o->config, o->today, d);
	for (size_t i = 0; i < fs->n; i++) {
		if (o->config)
			fs->v[i].enforcement = config_enforcement(o->config, fs->v[i].policy);
		mark(&fs->v[i], &sups, o->model, &ws);
	}
	for (size_t i = 0; i < problems.n; i++)
		*findings_add(fs) = problems.v[i];
	free(problems.v);
	waivers_report_unused(&ws, o->strict_waivers, d);
	move_out(fs, &r->waived, false, NULL);
	apply_baseline(o, fs, r, d);
	findings_sort(fs);
	findings_sort(&r->waived);
	waivers_free(&ws);
	suppress_free(&sups);
}

void gov_result_free(struct gov_result *r)
{
	findings_free(&r->waived);
	memset(r, 0, sizeof *r);
}

void gov_policy_set(const struct engine *e, struct report_policy_hash **out, size_t *n)
{
	size_t count = e ? engine_policy_count(e) : 0;
	*out = xcalloc(count + 1, sizeof **out);
	*n = 0;
	for (size_t i = 0; i < count; i++) {
		const struct policy_info *p = engine_policy(e, i);
		if (!p->enabled)
			continue;
		struct report_policy_hash *h = &(*out)[(*n)++];
		h->id = p->id;
		h->file = p->file;
		h->builtin = p->builtin;
		memcpy(h->sha256, p->sha256, sizeof h->sha256);
	}
}
