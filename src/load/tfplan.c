/*
 * Terraform plan normaliser (`terraform show -json` of a plan, format_version 0.1 to 1.2).
 * One resource per entry of resource_changes, destroyed and data resources included; a plan
 * without resource_changes falls back to planned_values (root module and child modules at
 * any depth). Regions come from model/region.c with the plan's configuration block; Azure
 * child resources take their parent's region in a final pass. Entries of resource_drift are
 * linked to their resource (model_resource.drift) rather than added as resources.
 */
#include "load/normalise.h"

#include <stdlib.h>
#include <string.h>

#include "load/docpos.h"
#include "model/region.h"
#include "util/xalloc.h"

struct plan_ctx {
	struct model *m;
	size_t input;
	struct doc *doc;
	uint32_t root;
	struct region_tfconfig config;
	struct region_pending *pending;
	size_t npending, pending_cap;
};

static unsigned parse_actions(const struct doc *doc, uint32_t list)
{
	static const struct {
		const char *name;
		unsigned bit;
	} names[] = {
		{"no-op", ACTION_NOOP},   {"create", ACTION_CREATE}, {"read", ACTION_READ},
		{"update", ACTION_UPDATE}, {"delete", ACTION_DELETE}, {"forget", ACTION_FORGET},
	};
	unsigned bits = 0;
	for (uint32_t e = doc_first(doc, list); e != DOC_NONE; e = doc_next(doc, list, e)) {
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
			if (doc_streq(doc, e, names[i].name))
				bits |= names[i].bit;
		}
	}
	return bits;
}

/* node itself, or DOC_NONE when it is absent or JSON null. */
static uint32_t non_null(const struct doc *doc, uint32_t node)
{
	return (node == DOC_NONE || doc_type(doc, node) == DOC_NULL) ? DOC_NONE : node;
}

static void warn(struct plan_ctx *ctx, uint32_t node, const char *message)
{
	unsigned line, column;
	doc_position(ctx->doc, doc_node(ctx->doc, node)->pos, &line, &column);
	diags_add(&ctx->m->diags, DIAG_WARNING, ctx->doc->src.path, line, column, NULL, "%s",
	          message);
}

/* Adds a resource from an object with address/mode/type/name/provider_name (a resource
 * change or a planned_values resource); NULL when type or name is missing. */
static struct model_resource *add_resource(struct plan_ctx *ctx, uint32_t e, const char *module)
{
	const struct doc *doc = ctx->doc;
	char *type = doc_strdup(doc, doc_get(doc, e, "type"), NULL);
	char *name = doc_strdup(doc, doc_get(doc, e, "name"), NULL);
	if (!type || !name) {
		free(type);
		free(name);
		warn(ctx, e, "plan resource without a type or name is ignored");
		return NULL;
	}
	struct model_resource *r = model_add_resource(ctx->m, ctx->input);
	r->type = type;
	r->name = name;
	r->mode = doc_strdup(doc, doc_get(doc, e, "mode"), NULL);
	if (!r->mode)
		r->mode = xstrdup("managed");
	char *given = doc_strdup(doc, doc_get(doc, e, "address"), NULL);
	r->address = region_complete_address(given, module, r->mode, type, name, doc,
	                                     doc_get(doc, e, "index"));
	free(given);
	r->provider = doc_strdup(doc, doc_get(doc, e, "provider_name"), NULL);
	r->cloud = region_cloud(r->provider) ? xstrdup(region_cloud(r->provider)) : NULL;
	r->module = (module && *module) ? xstrdup(module) : NULL;
	r->format = FORMAT_TFPLAN;
	r->doc_root = ctx->root;
	r->node = e;
	return r;
}

/* Resolves r's region; an Azure resource still unknown waits for its parent. */
static void resolve(struct plan_ctx *ctx, struct model_resource *r, uint32_t unknown)
{
	struct region_facts f = {ctx->doc, r->values, unknown, DOC_NONE, &ctx->config, NULL};
	f.config = region_tfconfig_resource(&ctx->config, r->module, r->mode, r->type, r->name);
	region_resolve(r, &f);
	if (r->region_state != REGION_UNKNOWN || !r->cloud || strcmp(r->cloud, "azure") != 0 ||
	    f.config == DOC_NONE)
		return;
	char **parents;
	size_t n = region_tfconfig_parents(&ctx->config, f.config, r->module, &parents);
	if (n == 0) {
		free(parents);
		return;
	}
	xgrow((void **)&ctx->pending, &ctx->pending_cap, ctx->npending + 1, sizeof *ctx->pending);
	ctx->pending[ctx->npending++] = (struct region_pending){
		(size_t)(r - ctx->m->resources), parents, n};
}

static void add_change(struct plan_ctx *ctx, uint32_t e)
{
	const struct doc *doc = ctx->doc;
	char *module = doc_strdup(doc, doc_get(doc, e, "module_address"), NULL);
	struct model_resource *r = add_resource(ctx, e, module);
	free(module);
	if (!r)
		return;
	uint32_t change = doc_get(doc, e, "change");
	r->actions = parse_actions(doc, doc_get(doc, change, "actions"));
	r->before = non_null(doc, doc_get(doc, change, "before"));
	uint32_t after = non_null(doc, doc_get(doc, change, "after"));
	r->values = after != DOC_NONE ? after : r->before;
	r->unknown = non_null(doc, doc_get(doc, change, "after_unknown"));
	r->sensitive = non_null(doc, doc_get(doc, change, "after_sensitive"));
	resolve(ctx, r, after != DOC_NONE ? r->unknown : DOC_NONE);
}

/* planned_values.root_module and its child_modules, for plans without resource_changes. */
static void walk_module(struct plan_ctx *ctx, uint32_t mod, unsigned depth)
{
	const struct doc *doc = ctx->doc;
	if (depth > 256)
		return;
	char *module = doc_strdup(doc, doc_get(doc, mod, "address"), NULL);
	uint32_t list = doc_get(doc, mod, "resources");
	for (uint32_t e = doc_first(doc, list); e != DOC_NONE; e = doc_next(doc, list, e)) {
		struct model_resource *r = add_resource(ctx, e, module);
		if (!r)
			continue;
		r->values = non_null(doc, doc_get(doc, e, "values"));
		r->sensitive = non_null(doc, doc_get(doc, e, "sensitive_values"));
		resolve(ctx, r, DOC_NONE);
	}
	free(module);
	uint32_t kids = doc_get(doc, mod, "child_modules");
	for (uint32_t c = doc_first(doc, kids); c != DOC_NONE; c = doc_next(doc, kids, c))
		walk_module(ctx, c, depth + 1);
}

struct by_address {
	const char *address;
	size_t resource;
};

static int by_address_cmp(const void *a, const void *b)
{
	return strcmp(((const struct by_address *)a)->address,
	              ((const struct by_address *)b)->address);
}

/* Links each resource_drift entry to the resource with the same address. */
static void link_drift(struct plan_ctx *ctx, size_t first)
{
	const struct doc *doc = ctx->doc;
	uint32_t list = doc_get(doc, ctx->root, "resource_drift");
	size_t n = ctx->m->nresources - first;
	if (doc_first(doc, list) == DOC_NONE || n == 0)
		return;
	struct by_address *index = xcalloc(n, sizeof *index);
	for (size_t i = 0; i < n; i++)
		index[i] = (struct by_address){ctx->m->resources[first + i].address, first + i};
	qsort(index, n, sizeof *index, by_address_cmp);
	for (uint32_t e = doc_first(doc, list); e != DOC_NONE; e = doc_next(doc, list, e)) {
		struct by_address want = {doc_strdup(doc, doc_get(doc, e, "address"), NULL), 0};
		const struct by_address *hit =
			want.address ? bsearch(&want, index, n, sizeof *index, by_address_cmp) : NULL;
		if (hit && ctx->m->resources[hit->resource].drift == DOC_NONE)
			ctx->m->resources[hit->resource].drift = e;
		free((char *)want.address);
	}
	free(index);
}

void tfplan_normalise(struct model *m, size_t input, uint32_t root)
{
	struct plan_ctx ctx = {m, input, &m->inputs[input]->doc, root, {0}, NULL, 0, 0};
	region_tfconfig_init(&ctx.config, ctx.doc, root);
	size_t first = m->nresources;
	uint32_t changes = doc_get(ctx.doc, root, "resource_changes");
	if (changes != DOC_NONE) {
		for (uint32_t e = doc_first(ctx.doc, changes); e != DOC_NONE;
		     e = doc_next(ctx.doc, changes, e))
			add_change(&ctx, e);
	} else {
		walk_module(&ctx, doc_path(ctx.doc, root, "planned_values.root_module"), 0);
	}
	link_drift(&ctx, first);
	region_resolve_parents(m, first, m->nresources - first, ctx.pending, ctx.npending);
	free(ctx.pending);
	region_tfconfig_free(&ctx.config);
}
