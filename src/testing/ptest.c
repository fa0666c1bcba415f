/*
 * The policy test runner (see ptest.h): walks each root for <id>.tests/<case>/ directories
 * and <id>_test.lua files, loads the root's policies into one engine (and one more per case
 * that brings its own config.yaml), and runs every selected test, in id order, cases first.
 */
#include "testing/ptest.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/config.h"
#include "engine/mod_glob.h"
#include "testing/ptest_int.h"
#include "util/dirlist.h"
#include "util/xalloc.h"

#define WALK_MAX_DEPTH 32

enum unit_kind { UNIT_CASE, UNIT_LUA };

/* A test source found under a root: one case directory or one Lua test file. */
struct unit {
	enum unit_kind kind;
	char *policy;
	char *name;   /* case name, or the file name */
	char *path;
};

struct units {
	struct unit *v;
	size_t n, cap;
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void add_unit(struct units *u, enum unit_kind kind, const char *policy, const char *name,
                     const char *path)
{
	xgrow((void **)&u->v, &u->cap, u->n + 1, sizeof *u->v);
	u->v[u->n++] = (struct unit){kind, xstrdup(policy), xstrdup(name), xstrdup(path)};
}

/* The cases of <policy>.tests: each subdirectory, in name order. */
static void add_cases(struct units *u, const char *dir, const char *policy)
{
	size_t n;
	char **names = dirlist_read(dir, false, &n);
	for (size_t i = 0; names && i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		if (is_dir(path))
			add_unit(u, UNIT_CASE, policy, names[i], path);
		free(path);
	}
	dirlist_free(names, n);
}

/* rel: the path of dir under the root ("" at the root). */
static void walk(struct units *u, const char *dir, const char *rel, int depth)
{
	size_t n = 0;
	char **names = depth <= WALK_MAX_DEPTH ? dirlist_read(dir, false, &n) : NULL;
	for (size_t i = 0; names && i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		char *sub = *rel ? xasprintf("%s/%s", rel, names[i]) : xstrdup(names[i]);
		if (is_dir(path) && ends_with(sub, ".tests")) {
			sub[strlen(sub) - 6] = '\0';
			add_cases(u, path, sub);
		} else if (is_dir(path) && !(!*rel && strcmp(names[i], "lib") == 0)) {
			walk(u, path, sub, depth + 1);
		} else if (ends_with(sub, "_test.lua")) {
			sub[strlen(sub) - 9] = '\0';
			add_unit(u, UNIT_LUA, sub, names[i], path);
		}
		free(path);
		free(sub);
	}
	dirlist_free(names, n);
}

static int cmp_unit(const void *a, const void *b)
{
	const struct unit *x = a, *y = b;
	int c = strcmp(x->policy, y->policy);
	if (c)
		return c;
	if (x->kind != y->kind)
		return x->kind == UNIT_CASE ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void units_free(struct units *u)
{
	for (size_t i = 0; i < u->n; i++) {
		free(u->v[i].policy);
		free(u->v[i].name);
		free(u->v[i].path);
	}
	free(u->v);
}

/* ---- results ---------------------------------------------------------------------- */

struct ptest_result *ptest_add(struct ptest_report *r, const char *policy, const char *name,
                               const char *file, unsigned line)
{
	xgrow((void **)&r->results, &r->cap, r->nresults + 1, sizeof *r->results);
	struct ptest_result *t = &r->results[r->nresults++];
	memset(t, 0, sizeof *t);
	t->policy = xstrdup(policy);
	t->name = xstrdup(name);
	t->file = xstrdup(file);
	t->line = line;
	return t;
}

void ptest_fail(struct ptest_result *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct buf b = BUF_INIT;
	if (t->detail) {
		buf_adds(&b, t->detail);
		buf_addc(&b, '\n');
		free(t->detail);
	}
	char line[4096];
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	buf_adds(&b, line);
	t->detail = buf_detach(&b);
	t->status = PTEST_FAIL;
}

char *ptest_full_name(const struct ptest_result *t)
{
	return xasprintf("%s %s", t->policy, t->name);
}

bool ptest_selected(const struct ptest_options *o, const char *policy, const char *name)
{
	if (!o->pattern || !*o->pattern)
		return true;
	char *full = xasprintf("%s %s", policy, name);
	bool glob = strpbrk(o->pattern, "*?[") != NULL;
	bool hit = glob ? mod_glob_match(o->pattern, full) : strstr(full, o->pattern) != NULL;
	free(full);
	return hit;
}

/* ---- running ---------------------------------------------------------------------- */

/* One root under test: its engine without a case config, and the coverage state. */
struct root_run {
	const struct ptest_options *o;
	const char *root;
	struct engine *engine;
	struct ptest_cov *cov;
	struct diags *d;
};

static struct engine *new_engine(struct root_run *rr, const struct config *cfg, struct diags *d)
{
	const char *roots[] = {rr->root};
	struct engine_options eo = {
		.builtin = false, .policy_dirs = roots, .npolicy_dirs = 1, .config = cfg,
		.timeout = rr->o->timeout,
		.line_hook = rr->cov ? ptest_cov_hook : NULL, .line_ud = rr->cov,
	};
	return engine_new(&eo, d);
}

/* A case with its own config.yaml runs on an engine loaded with that config. */
static void run_case(struct root_run *rr, const struct unit *u, struct ptest_result *t)
{
	char *config_path = NULL;
	if (!ptest_fixture_config(u->path, &config_path)) {
		ptest_fixture_run(rr->engine, u->policy, u->path, t);
		return;
	}
	struct config cfg;
	struct diags d = DIAGS_INIT;
	config_init(&cfg);
	if (config_load(&cfg, config_path, &d)) {
		struct engine *e = new_engine(rr, &cfg, &d);
		for (size_t i = 0; i < d.n; i++) {
			if (d.v[i].policy && strcmp(d.v[i].policy, u->policy) == 0) {
				char *msg = diag_format(&d.v[i]);
				ptest_fail(t, "%s", msg);
				free(msg);
			}
		}
		if (t->status != PTEST_FAIL)
			ptest_fixture_run(e, u->policy, u->path, t);
		engine_free(e);
	}
	for (size_t i = 0; i < d.n; i++) { /* the case's config.yaml itself */
		if (d.v[i].kind != DIAG_USAGE)
			continue;
		char *msg = diag_format(&d.v[i]);
		ptest_fail(t, "%s", msg);
		free(msg);
	}
	diags_free(&d);
	config_free(&cfg);
	free(config_path);
}

static void run_units(struct root_run *rr, const struct units *u, struct ptest_report *r)
{
	for (size_t i = 0; i < u->n; i++) {
		const struct unit *x = &u->v[i];
		if (x->kind == UNIT_LUA) {
			ptest_lua_file(rr->engine, rr->o, x->policy, x->path, r);
			continue;
		}
		if (!ptest_selected(rr->o, x->policy, x->name))
			continue;
		run_case(rr, x, ptest_add(r, x->policy, x->name, x->path, 0));
	}
}

static char *strip_slashes(const char *dir)
{
	char *s = xstrdup(dir);
	size_t n = strlen(s);
	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
	return s;
}

static void run_root(const struct ptest_options *o, const char *dir, struct ptest_report *r,
                     struct diags *d)
{
	char *root = strip_slashes(dir);
	if (!is_dir(root)) {
		diags_add(d, DIAG_USAGE, root, 0, 0, NULL, "cannot read policy directory: %s",
		          errno ? strerror(errno) : "not a directory");
		free(root);
		return;
	}
	struct units u = {NULL, 0, 0};
	walk(&u, root, "", 0);
	qsort(u.v, u.n, sizeof *u.v, cmp_unit);
	struct root_run rr = {.o = o, .root = root, .d = d};
	rr.cov = o->coverage ? ptest_cov_new() : NULL;
	rr.engine = new_engine(&rr, NULL, d);
	run_units(&rr, &u, r);
	if (rr.cov)
		ptest_cov_collect(rr.cov, rr.engine, r);
	engine_free(rr.engine);
	ptest_cov_free(rr.cov);
	units_free(&u);
	free(root);
}

void ptest_run(const struct ptest_options *o, struct ptest_report *r, struct diags *d)
{
	memset(r, 0, sizeof *r);
	r->coverage = o->coverage;
	for (size_t i = 0; i < o->nroots; i++)
		run_root(o, o->roots[i], r, d);
	for (size_t i = 0; i < r->nresults; i++) {
		enum ptest_status s = r->results[i].status;
		r->passed += s == PTEST_PASS;
		r->failed += s == PTEST_FAIL;
		r->skipped += s == PTEST_SKIP;
	}
}

void ptest_report_free(struct ptest_report *r)
{
	for (size_t i = 0; i < r->nresults; i++) {
		free(r->results[i].policy);
		free(r->results[i].name);
		free(r->results[i].file);
		free(r->results[i].detail);
	}
	free(r->results);
	for (size_t i = 0; i < r->ncover; i++) {
		free(r->cover[i].policy);
		free(r->cover[i].file);
		free(r->cover[i].missed);
	}
	free(r->cover);
	memset(r, 0, sizeof *r);
}
