/*
 * Terraform JSON configuration normaliser (*.tf.json): one resource per
 * `resource.<type>.<name>` and `data.<type>.<name>` body. Every block level may be an object
 * or an array of objects, as the JSON syntax allows. values is the body itself, so its
 * strings are literals or "${...}" templates.
 *
 * Regions come from literals only: the body's region/location/zone, else the selected
 * provider block's region (or zone). "${var.x}" resolves through variable.x.default when
 * that is a literal; any other template is unknown. Azure resources without a location take
 * the region of the resource their templates reference (location first, then *_id).
 */
#include "load/normalise.h"

#include <stdlib.h>
#include <string.h>

#include "model/region.h"
#include "util/xalloc.h"

struct tfjson_ctx {
	struct model *m;
	size_t input;
	struct doc *doc;
	uint32_t root;
	struct region_pending *pending;
	size_t npending, pending_cap;
};

/* The objects of a block value: node itself when it is an object, or each object element
 * when it is an array. Start with *it = DOC_NONE; DOC_NONE at the end. */
static uint32_t next_object(const struct doc *doc, uint32_t node, uint32_t *it)
{
	if (node == DOC_NONE)
		return DOC_NONE;
	if (doc_type(doc, node) == DOC_OBJECT) {
		if (*it != DOC_NONE)
			return DOC_NONE;
		*it = node;
		return node;
	}
	if (doc_type(doc, node) != DOC_ARRAY)
		return DOC_NONE;
	uint32_t e = *it == DOC_NONE ? doc_first(doc, node) : doc_next(doc, node, *it);
	while (e != DOC_NONE && doc_type(doc, e) != DOC_OBJECT)
		e = doc_next(doc, node, e);
	*it = e;
	return e;
}

/* The first body of block `key` at top level whose labels are given: e.g. ("variable",
 * "region") or ("provider", "aws"). */
static uint32_t find_block(const struct tfjson_ctx *ctx, const char *key, const char *label,
                           const char *alias)
{
	const struct doc *doc = ctx->doc;
	for (uint32_t k = doc_first(doc, ctx->root); k != DOC_NONE;
	     k = doc_next(doc, ctx->root, k + 1)) {
		if (!doc_streq(doc, k, key))
			continue;
		uint32_t it = DOC_NONE, obj;
		while ((obj = next_object(doc, k + 1, &it)) != DOC_NONE) {
			uint32_t bit = DOC_NONE, body;
			uint32_t labelled = doc_get(doc, obj, label);
			while ((body = next_object(doc, labelled, &bit)) != DOC_NONE) {
				uint32_t a = doc_get(doc, body, "alias");
				if (alias ? doc_streq(doc, a, alias) : a == DOC_NONE)
					return body;
			}
		}
	}
	return DOC_NONE;
}

/* --- literals --- */

enum lit { LIT_ABSENT, LIT_KNOWN, LIT_UNKNOWN };

/* The literal string of attribute key of body, following "${var.x}" to its default. */
static enum lit literal(const struct tfjson_ctx *ctx, uint32_t body, const char *key,
                       char **out, bool *via_var)
{
	const struct doc *doc = ctx->doc;
	uint32_t v = doc_get(doc, body, key);
	*out = NULL;
	if (v == DOC_NONE || doc_type(doc, v) == DOC_NULL)
		return LIT_ABSENT;
	char *s = doc_strdup(doc, doc_type(doc, v) == DOC_STRING ? v : DOC_NONE, NULL);
	if (!s)
		return LIT_UNKNOWN;
	if (!strstr(s, "${") && !strstr(s, "%{")) {
		*out = s;
		return *s ? LIT_KNOWN : LIT_ABSENT;
	}
	size_t n = strlen(s);
	char *var = NULL;
	if (strncmp(s, "${var.", 6) == 0 && s[n - 1] == '}' && strcspn(s + 6, ".[}") == n - 7)
		var = xstrndup(s + 6, n - 7);
	free(s);
	if (!var)
		return LIT_UNKNOWN;
	uint32_t def = doc_get(doc, find_block(ctx, "variable", var, NULL), "default");
	free(var);
	if (def == DOC_NONE || doc_type(doc, def) != DOC_STRING)
		return LIT_UNKNOWN;
	*via_var = true;
	*out = doc_strdup(doc, def, NULL);
	return LIT_KNOWN;
}

/* --- providers --- */

/* Local name and alias from the body's "provider" ("aws.west" or "${aws.west}"), else the
 * type's prefix. */
static void provider_ref(const struct tfjson_ctx *ctx, uint32_t body, const char *type,
                         char **local, char **alias)
{
	char *p = doc_strdup(ctx->doc, doc_get(ctx->doc, body, "provider"), NULL);
	*alias = NULL;
	if (p) {
		const char *s = strncmp(p, "${", 2) == 0 ? p + 2 : p;
		size_t n = strcspn(s, ".}");
		*local = xstrndup(s, n);
		if (s[n] == '.')
			*alias = xstrndup(s + n + 1, strcspn(s + n + 1, "}"));
		free(p);
		return;
	}
	*local = xstrndup(type, strcspn(type, "_"));
}

/* terraform.required_providers.<local>.source, else the local name. */
static char *provider_name(const struct tfjson_ctx *ctx, const char *local)
{
	const struct doc *doc = ctx->doc;
	for (uint32_t k = doc_first(doc, ctx->root); k != DOC_NONE;
	     k = doc_next(doc, ctx->root, k + 1)) {
		if (!doc_streq(doc, k, "terraform"))
			continue;
		uint32_t it = DOC_NONE, t;
		while ((t = next_object(doc, k + 1, &it)) != DOC_NONE) {
			uint32_t rit = DOC_NONE, req;
			uint32_t rp = doc_get(doc, t, "required_providers");
			while ((req = next_object(doc, rp, &rit)) != DOC_NONE) {
				char *full = doc_strdup(doc, doc_get(doc, doc_get(doc, req, local), "source"),
				                        NULL);
				if (full)
					return full;
			}
		}
	}
	return xstrdup(local);
}

/* --- regions --- */

/* The first of attrs set in body; zones become regions. */
static enum lit first_literal(const struct tfjson_ctx *ctx, uint32_t body,
                              const char *const *attrs, char **out, const char **source)
{
	for (size_t i = 0; attrs[i]; i++) {
		bool via_var = false;
		enum lit l = literal(ctx, body, attrs[i], out, &via_var);
		if (l == LIT_ABSENT)
			continue;
		if (l == LIT_KNOWN && strcmp(attrs[i], "availability_zone") == 0) {
			char *reg = region_from_availability_zone(*out);
			free(*out);
			*out = reg;
			l = reg ? LIT_KNOWN : LIT_UNKNOWN;
		} else if (l == LIT_KNOWN && strcmp(attrs[i], "region") != 0) {
			char *reg = region_from_gcp_location(*out);
			free(*out);
			*out = reg;
		}
		*source = via_var ? "variable" : "attribute";
		return l;
	}
	return LIT_ABSENT;
}

/* Resolves an AWS or Google resource: its own attributes, then its provider block. */
static void resolve_configured(struct tfjson_ctx *ctx, struct model_resource *r,
                               uint32_t provider, bool gcp)
{
	static const char *const aws_own[] = {"region", NULL};
	static const char *const gcp_own[] = {"region", "location", "zone", NULL};
	static const char *const prov[] = {"region", "zone", NULL};
	char *reg = NULL;
	const char *source = NULL;
	enum lit l = first_literal(ctx, r->values, gcp ? gcp_own : aws_own, &reg, &source);
	if (l == LIT_ABSENT) {
		l = first_literal(ctx, provider, prov, &reg, &source);
		if (l == LIT_KNOWN && strcmp(source, "attribute") == 0)
			source = "provider";
		else if (l == LIT_UNKNOWN)
			source = REGION_WHY_EXPR;
	} else if (l == LIT_UNKNOWN) {
		source = REGION_WHY_VALUE;
	}
	if (l == LIT_ABSENT && !gcp && region_aws_global_type(r->type)) {
		reg = xstrdup("global");
		source = "global";
		l = LIT_KNOWN;
	}
	if (l == LIT_ABSENT)
		source = REGION_WHY_UNSET;
	region_set(r, l == LIT_KNOWN ? REGION_KNOWN : REGION_UNKNOWN, reg, source);
	free(reg);
}

/* The resource addresses referenced by "${...}" templates in the body's string values,
 * location first, then *_id, then the rest. */
static size_t template_parents(const struct tfjson_ctx *ctx, uint32_t body, char ***out)
{
	const struct doc *doc = ctx->doc;
	size_t n = 0, cap = 0;
	*out = NULL;
	for (int rank = 0; rank < 3 && doc_type(doc, body) == DOC_OBJECT; rank++) {
		for (uint32_t k = doc_first(doc, body); k != DOC_NONE; k = doc_next(doc, body, k + 1)) {
			char *key = doc_strdup(doc, k, NULL);
			size_t kl = strlen(key);
			int kr = strcmp(key, "location") == 0 ? 0
			         : (kl > 3 && strcmp(key + kl - 3, "_id") == 0) ? 1 : 2;
			free(key);
			char *s = kr == rank && doc_type(doc, k + 1) == DOC_STRING
			              ? doc_strdup(doc, k + 1, NULL) : NULL;
			const char *t = s ? strstr(s, "${") : NULL;
			char *addr = t ? region_reference_address(t + 2, NULL, rank == 0) : NULL;
			free(s);
			if (!addr)
				continue;
			xgrow((void **)out, &cap, n + 1, sizeof **out);
			(*out)[n++] = addr;
		}
	}
	return n;
}

static void resolve_azure(struct tfjson_ctx *ctx, struct model_resource *r)
{
	char *loc = NULL;
	bool via_var = false;
	enum lit l = literal(ctx, r->values, "location", &loc, &via_var);
	char *norm = region_azure_location(loc);
	free(loc);
	if (norm) {
		region_set(r, REGION_KNOWN, norm, via_var ? "variable" : "attribute");
		free(norm);
		return;
	}
	region_set(r, REGION_UNKNOWN, NULL, l == LIT_UNKNOWN ? REGION_WHY_VALUE : REGION_WHY_PARENT);
	char **parents;
	size_t n = template_parents(ctx, r->values, &parents);
	if (n == 0) {
		free(parents);
		return;
	}
	xgrow((void **)&ctx->pending, &ctx->pending_cap, ctx->npending + 1, sizeof *ctx->pending);
	ctx->pending[ctx->npending++] =
		(struct region_pending){(size_t)(r - ctx->m->resources), parents, n};
}

static void resolve(struct tfjson_ctx *ctx, struct model_resource *r, const char *local,
                    const char *alias)
{
	if (!r->cloud || strcmp(r->cloud, "kubernetes") == 0) {
		region_set(r, REGION_NONE, NULL, NULL);
	} else if (strcmp(r->cloud, "azure") == 0) {
		if (strcmp(local, "azuread") == 0)
			region_set(r, REGION_KNOWN, "global", "global");
		else
			resolve_azure(ctx, r);
	} else {
		uint32_t provider = find_block(ctx, "provider", local, alias);
		resolve_configured(ctx, r, provider, strcmp(r->cloud, "gcp") == 0);
	}
}

/* --- resources --- */

static void add_body(struct tfjson_ctx *ctx, bool data, uint32_t type_key, uint32_t name_key,
                     uint32_t body)
{
	const struct doc *doc = ctx->doc;
	struct model_resource *r = model_add_resource(ctx->m, ctx->input);
	r->type = doc_strdup(doc, type_key, NULL);
	r->name = doc_strdup(doc, name_key, NULL);
	r->mode = xstrdup(data ? "data" : "managed");
	r->address = xasprintf("%s%s.%s", data ? "data." : "", r->type, r->name);
	r->format = FORMAT_TFJSON;
	r->doc_root = ctx->root;
	r->node = body;
	r->values = body;
	char *local, *alias;
	provider_ref(ctx, body, r->type, &local, &alias);
	r->provider = provider_name(ctx, local);
	const char *cloud = region_cloud(r->provider);
	r->cloud = cloud ? xstrdup(cloud) : NULL;
	resolve(ctx, r, local, alias);
	free(local);
	free(alias);
}

/* One "resource" or "data" value: {type: {name: body}} at any array nesting of levels. */
static void add_block(struct tfjson_ctx *ctx, bool data, uint32_t value)
{
	const struct doc *doc = ctx->doc;
	uint32_t it = DOC_NONE, types;
	while ((types = next_object(doc, value, &it)) != DOC_NONE) {
		for (uint32_t t = doc_first(doc, types); t != DOC_NONE; t = doc_next(doc, types, t + 1)) {
			uint32_t nit = DOC_NONE, names;
			while ((names = next_object(doc, t + 1, &nit)) != DOC_NONE) {
				for (uint32_t n = doc_first(doc, names); n != DOC_NONE;
				     n = doc_next(doc, names, n + 1)) {
					uint32_t bit = DOC_NONE, body;
					while ((body = next_object(doc, n + 1, &bit)) != DOC_NONE)
						add_body(ctx, data, t, n, body);
				}
			}
		}
	}
}

void tfjson_normalise(struct model *m, size_t input, uint32_t root)
{
	struct tfjson_ctx ctx = {m, input, &m->inputs[input]->doc, root, NULL, 0, 0};
	size_t first = m->nresources;
	const struct doc *doc = ctx.doc;
	if (doc_type(doc, root) != DOC_OBJECT)
		return;
	for (uint32_t k = doc_first(doc, root); k != DOC_NONE; k = doc_next(doc, root, k + 1)) {
		if (doc_streq(doc, k, "resource"))
			add_block(&ctx, false, k + 1);
		else if (doc_streq(doc, k, "data"))
			add_block(&ctx, true, k + 1);
	}
	region_resolve_parents(m, first, m->nresources - first, ctx.pending, ctx.npending);
	free(ctx.pending);
}
