/*
 * Terraform state normaliser, for both spellings of a state: `terraform show -json` output
 * (values.root_module with child_modules) and the raw v4 terraform.tfstate
 * (resources[].instances[], addresses rebuilt from module, mode, type, name and index_key).
 * A state records no provider configuration, so a region comes from the resource's own
 * attributes (region, location, ARN, zone); Azure child resources take the region of the
 * resource whose "id" one of their "*_id" attributes holds.
 */
#include "load/normalise.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/region.h"
#include "util/xalloc.h"

struct state_ctx {
	struct model *m;
	size_t input;
	struct doc *doc;
	uint32_t root;
};

static struct model_resource *new_resource(struct state_ctx *ctx, uint32_t node)
{
	struct model_resource *r = model_add_resource(ctx->m, ctx->input);
	r->format = FORMAT_TFSTATE;
	r->doc_root = ctx->root;
	r->node = node;
	return r;
}

static void finish(struct state_ctx *ctx, struct model_resource *r)
{
	const char *cloud = region_cloud(r->provider);
	r->cloud = cloud ? xstrdup(cloud) : NULL;
	if (!r->mode)
		r->mode = xstrdup("managed");
	struct region_facts f = {ctx->doc, r->values, DOC_NONE, DOC_NONE, NULL, REGION_WHY_STATE};
	region_resolve(r, &f);
}

/* --- terraform show -json --- */

static void walk_module(struct state_ctx *ctx, uint32_t mod, unsigned depth)
{
	const struct doc *doc = ctx->doc;
	if (depth > 256)
		return;
	char *module = doc_strdup(doc, doc_get(doc, mod, "address"), NULL);
	uint32_t list = doc_get(doc, mod, "resources");
	for (uint32_t e = doc_first(doc, list); e != DOC_NONE; e = doc_next(doc, list, e)) {
		uint32_t type = doc_get(doc, e, "type"), name = doc_get(doc, e, "name");
		if (type == DOC_NONE || doc_type(doc, type) != DOC_STRING || name == DOC_NONE)
			continue;
		struct model_resource *r = new_resource(ctx, e);
		r->type = doc_strdup(doc, type, NULL);
		r->name = doc_strdup(doc, name, NULL);
		r->mode = doc_strdup(doc, doc_get(doc, e, "mode"), NULL);
		char *given = doc_strdup(doc, doc_get(doc, e, "address"), NULL);
		r->address = region_complete_address(given, module, r->mode, r->type, r->name, doc,
		                                     doc_get(doc, e, "index"));
		free(given);
		r->provider = doc_strdup(doc, doc_get(doc, e, "provider_name"), NULL);
		r->module = module ? xstrdup(module) : NULL;
		r->values = doc_get(doc, e, "values");
		r->sensitive = doc_get(doc, e, "sensitive_values");
		finish(ctx, r);
	}
	free(module);
	uint32_t kids = doc_get(doc, mod, "child_modules");
	for (uint32_t c = doc_first(doc, kids); c != DOC_NONE; c = doc_next(doc, kids, c))
		walk_module(ctx, c, depth + 1);
}

/* --- raw v4 terraform.tfstate --- */

/* The provider name inside `provider["registry.terraform.io/hashicorp/aws"].alias`, or the
 * 0.12 `provider.aws.alias` ("aws"), with any "module.x." prefix. */
static char *provider_of(const char *s)
{
	if (!s)
		return NULL;
	const char *p = strstr(s, "provider[\"");
	if (p) {
		p += 10;
		return xstrndup(p, strcspn(p, "\""));
	}
	p = strstr(s, "provider.");
	if (p) {
		p += 9;
		return xstrndup(p, strcspn(p, "."));
	}
	return xstrdup(s);
}

static void add_instances(struct state_ctx *ctx, uint32_t res)
{
	const struct doc *doc = ctx->doc;
	uint32_t type = doc_get(doc, res, "type"), name = doc_get(doc, res, "name");
	if (type == DOC_NONE || doc_type(doc, type) != DOC_STRING || name == DOC_NONE)
		return;
	char *provider = doc_strdup(doc, doc_get(doc, res, "provider"), NULL);
	uint32_t list = doc_get(doc, res, "instances");
	for (uint32_t e = doc_first(doc, list); e != DOC_NONE; e = doc_next(doc, list, e)) {
		struct model_resource *r = new_resource(ctx, e);
		r->type = doc_strdup(doc, type, NULL);
		r->name = doc_strdup(doc, name, NULL);
		r->mode = doc_strdup(doc, doc_get(doc, res, "mode"), NULL);
		if (!r->mode)
			r->mode = xstrdup("managed");
		r->module = doc_strdup(doc, doc_get(doc, res, "module"), NULL);
		r->provider = provider_of(provider);
		r->address = region_instance_address(r->module, r->mode, r->type, r->name, doc,
		                                     doc_get(doc, e, "index_key"));
		r->values = doc_get(doc, e, "attributes");
		if (r->values == DOC_NONE)
			r->values = doc_get(doc, e, "attributes_flat");
		finish(ctx, r);
	}
	free(provider);
}

/* --- Azure children: parent by id --- */

/* The address of the resource of [first, n) whose values.id equals id (Azure ids compare
 * case-insensitively), or NULL. */
static const char *resource_with_id(struct state_ctx *ctx, size_t first, const char *id)
{
	for (size_t i = first; i < ctx->m->nresources; i++) {
		struct model_resource *p = &ctx->m->resources[i];
		uint32_t v = doc_get(ctx->doc, p->values, "id");
		char *pid = doc_strdup(ctx->doc, v != DOC_NONE && doc_type(ctx->doc, v) == DOC_STRING
		                                     ? v : DOC_NONE, NULL);
		bool same = pid && strcasecmp(pid, id) == 0;
		free(pid);
		if (same)
			return p->address;
	}
	return NULL;
}

static size_t parents_by_id(struct state_ctx *ctx, size_t first, size_t i, char ***out)
{
	const struct doc *doc = ctx->doc;
	uint32_t values = ctx->m->resources[i].values;
	size_t n = 0, cap = 0;
	*out = NULL;
	if (values == DOC_NONE || doc_type(doc, values) != DOC_OBJECT)
		return 0;
	for (uint32_t k = doc_first(doc, values); k != DOC_NONE; k = doc_next(doc, values, k + 1)) {
		const struct doc_node *nd = doc_node(doc, k);
		const char *key = doc->text + nd->text;
		if (nd->len < 4 || memcmp(key + nd->len - 3, "_id", 3) != 0 ||
		    doc_streq(doc, k, "resource_group_id") || doc_type(doc, k + 1) != DOC_STRING)
			continue;
		char *id = doc_strdup(doc, k + 1, NULL);
		const char *addr = resource_with_id(ctx, first, id);
		free(id);
		if (!addr)
			continue;
		xgrow((void **)out, &cap, n + 1, sizeof **out);
		(*out)[n++] = xstrdup(addr);
	}
	return n;
}

static void resolve_children(struct state_ctx *ctx, size_t first)
{
	struct region_pending *pending = NULL;
	size_t np = 0, cap = 0;
	for (size_t i = first; i < ctx->m->nresources; i++) {
		struct model_resource *r = &ctx->m->resources[i];
		if (r->region_state != REGION_UNKNOWN || !r->cloud || strcmp(r->cloud, "azure") != 0)
			continue;
		char **parents;
		size_t n = parents_by_id(ctx, first, i, &parents);
		if (n == 0) {
			free(parents);
			continue;
		}
		xgrow((void **)&pending, &cap, np + 1, sizeof *pending);
		pending[np++] = (struct region_pending){i, parents, n};
	}
	region_resolve_parents(ctx->m, first, ctx->m->nresources - first, pending, np);
	free(pending);
}

void tfstate_normalise(struct model *m, size_t input, uint32_t root)
{
	struct state_ctx ctx = {m, input, &m->inputs[input]->doc, root};
	size_t first = m->nresources;
	uint32_t mod = doc_path(ctx.doc, root, "values.root_module");
	if (mod != DOC_NONE) {
		walk_module(&ctx, mod, 0);
	} else {
		uint32_t list = doc_get(ctx.doc, root, "resources");
		for (uint32_t e = doc_first(ctx.doc, list); e != DOC_NONE;
		     e = doc_next(ctx.doc, list, e))
			add_instances(&ctx, e);
	}
	resolve_children(&ctx, first);
}
