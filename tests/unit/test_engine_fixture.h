/*
 * Fixtures for the engine tests: policy roots written to temporary directories, models made
 * by hand from small JSON documents, and lookups in findings and diagnostics.
 */
#ifndef MG_TESTS_ENGINE_FIXTURE_H
#define MG_TESTS_ENGINE_FIXTURE_H
#define _XOPEN_SOURCE 700
#include "testutil.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/engine.h"
#include "load/json.h"
#include "model/model.h"
#include "util/xalloc.h"

/* A new empty directory; free with fx_rmrf. */
static inline char *fx_root(void)
{
	char tmpl[] = "/tmp/mg-engine-XXXXXX";
	char *dir = mkdtemp(tmpl);
	assert_non_null(dir);
	return xstrdup(dir);
}

/* Writes root/rel (creating directories) with the given text. */
static inline void fx_write(const char *root, const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(path, 0777);
		*p = '/';
	}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static inline int fx_unlink(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline void fx_rmrf(char *root)
{
	nftw(root, fx_unlink, 16, FTW_DEPTH | FTW_PHYS);
	free(root);
}

/* Parses json as the document of a new input of m; returns the input index. */
static inline size_t fx_input(struct model *m, const char *path, const char *json)
{
	struct doc d;
	doc_init(&d, path);
	d.src.data = xstrdup(json);
	d.src.len = strlen(json);
	struct json_error err;
	if (!json_parse(&d, NULL, &err))
		fail_msg("fixture json: %s at %u", err.message, err.pos);
	return model_add_input(m, &d, FORMAT_TFPLAN);
}

/* Adds a resource declared at `node` (a path from the document root) whose values are at
 * node.values (and after_unknown at node.unknown when present). */
static inline struct model_resource *fx_resource(struct model *m, size_t input, const char *address,
                                          const char *type, const char *node)
{
	struct doc *d = &m->inputs[input]->doc;
	uint32_t n = doc_path(d, d->roots[0], node);
	assert_int_not_equal(n, DOC_NONE);
	struct model_resource *r = model_add_resource(m, input);
	r->address = xstrdup(address);
	r->type = xstrdup(type);
	r->name = xstrdup(strrchr(address, '.') ? strrchr(address, '.') + 1 : address);
	r->format = FORMAT_TFPLAN;
	r->doc_root = d->roots[0];
	r->node = n;
	r->values = doc_get(d, n, "values");
	r->unknown = doc_get(d, n, "unknown");
	r->before = doc_get(d, n, "before");
	r->actions = ACTION_CREATE;
	return r;
}

static inline struct engine *fx_engine(const char *root, const struct config *cfg, struct diags *d)
{
	const char *dirs[1] = {root};
	struct engine_options opts = {
		.builtin = false,
		.policy_dirs = dirs,
		.npolicy_dirs = root ? 1 : 0,
		.config = cfg,
	};
	return engine_new(&opts, d);
}

static inline size_t fx_count(const struct findings *f, const char *policy)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		n += strcmp(f->v[i].policy, policy) == 0;
	return n;
}

/* The first finding of policy (on resource, when not NULL), or NULL. */
static inline const struct finding *fx_finding(const struct findings *f, const char *policy,
                                        const char *resource)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		if (strcmp(x->policy, policy) == 0 &&
		    (!resource || (x->resource && strcmp(x->resource, resource) == 0)))
			return x;
	}
	return NULL;
}

/* The first DIAG_POLICY diagnostic of policy, or NULL. */
static inline const struct diag *fx_diag(const struct diags *d, const char *policy)
{
	for (size_t i = 0; i < d->n; i++) {
		if (d->v[i].kind == DIAG_POLICY && d->v[i].policy && strcmp(d->v[i].policy, policy) == 0)
			return &d->v[i];
	}
	return NULL;
}

static inline void fx_print_diags(const struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		char *s = diag_format(&d->v[i]);
		fprintf(stderr, "diag: %s\n", s);
		free(s);
	}
}

#endif
