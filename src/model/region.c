/*
 * Region resolution (see region.h). The string rules come first, then the plan
 * configuration walk (modules, provider keys, variables), then the per-cloud order and the
 * parent pass for child resources.
 */
#include "model/region.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

#define MAX_MODULE_DEPTH 64

/* ------------------------------------------------------------------ string rules */

static const char *last_segment(const char *provider)
{
	const char *slash = strrchr(provider, '/');
	const char *s = slash ? slash + 1 : provider;
	if (strncmp(s, "provider.", 9) == 0) /* 0.12 state: "provider.aws.west" */
		s += 9;
	return s;
}

/* True when the provider's last segment, up to an alias dot or quote, is name. */
static bool provider_is(const char *provider, const char *name)
{
	const char *s = last_segment(provider);
	size_t n = strlen(name);
	return strncmp(s, name, n) == 0 && (s[n] == '\0' || s[n] == '.' || s[n] == '"');
}

const char *region_cloud(const char *provider)
{
	static const struct {
		const char *name, *cloud;
	} clouds[] = {
		{"aws", "aws"},          {"awscc", "aws"},        {"azurerm", "azure"},
		{"azapi", "azure"},      {"azuread", "azure"},    {"google", "gcp"},
		{"google-beta", "gcp"},  {"kubernetes", "kubernetes"}, {"helm", "kubernetes"},
	};
	if (!provider)
		return NULL;
	for (size_t i = 0; i < sizeof clouds / sizeof clouds[0]; i++) {
		if (provider_is(provider, clouds[i].name))
			return clouds[i].cloud;
	}
	return NULL;
}

bool region_aws_global_type(const char *type)
{
	static const char *const prefixes[] = {
		"aws_iam_", "aws_route53_", "aws_cloudfront_", "aws_organizations_",
		"aws_budgets_", "aws_globalaccelerator_", "aws_shield_", "aws_waf_",
		"aws_route53domains_",
	};
	/* Route 53 Resolver is regional. */
	if (!type || strncmp(type, "aws_route53_resolver_", 21) == 0)
		return false;
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		if (strncmp(type, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	}
	return false;
}

char *region_azure_location(const char *location)
{
	if (!location)
		return NULL;
	char *out = xmalloc(strlen(location) + 1);
	size_t n = 0;
	for (const char *p = location; *p; p++) {
		if (*p != ' ')
			out[n++] = (char)tolower((unsigned char)*p);
	}
	out[n] = '\0';
	if (n == 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* Length of the AWS region at the start of s ("eu-west-1" of "eu-west-1a"), or 0: two
 * letters, one or more "-word" parts, then "-digits". */
static size_t aws_region_prefix(const char *s)
{
	size_t i = 0;
	while (islower((unsigned char)s[i]))
		i++;
	if (i != 2)
		return 0;
	size_t words = 0;
	while (s[i] == '-' && islower((unsigned char)s[i + 1])) {
		i++;
		while (islower((unsigned char)s[i]))
			i++;
		words++;
	}
	if (words == 0 || s[i] != '-' || !isdigit((unsigned char)s[i + 1]))
		return 0;
	i++;
	while (isdigit((unsigned char)s[i]))
		i++;
	return i;
}

char *region_from_availability_zone(const char *s)
{
	if (!s)
		return NULL;
	size_t n = aws_region_prefix(s);
	if (n == 0 || s[n] == '\0')
		return NULL;
	const char *rest = s + n;
	/* "a" (zone letter) or "-lax-1a" (Local Zone) */
	bool zone = islower((unsigned char)rest[0]) && rest[1] == '\0';
	bool local = rest[0] == '-' && islower((unsigned char)rest[1]);
	if (!zone && !local)
		return NULL;
	return xstrndup(s, n);
}

char *region_from_arn(const char *s)
{
	if (!s || strncmp(s, "arn:", 4) != 0)
		return NULL;
	const char *p = s;
	for (int field = 0; field < 3; field++) {
		p = strchr(p, ':');
		if (!p)
			return NULL;
		p++;
	}
	size_t n = strcspn(p, ":");
	if (n == 0 || p[n] != ':')
		return NULL;
	return xstrndup(p, n);
}

char *region_from_gcp_location(const char *s)
{
	if (!s || !*s)
		return NULL;
	size_t n = strlen(s);
	/* zone: "<region ending in a digit>-<letter>" */
	if (n > 3 && s[n - 2] == '-' && islower((unsigned char)s[n - 1]) &&
	    isdigit((unsigned char)s[n - 3]))
		return xstrndup(s, n - 2);
	return xstrdup(s);
}

void region_set(struct model_resource *r, enum region_state state, const char *region,
                const char *source)
{
	free(r->region);
	free(r->region_source);
	r->region_state = state;
	r->region = (state == REGION_KNOWN && region) ? xstrdup(region) : NULL;
	r->region_source = source ? xstrdup(source) : NULL;
}

/* ------------------------------------------------------------------ module paths */

struct slice {
	const char *s;
	size_t n;
};

/* p points at '[': returns the position after the matching ']' (quotes respected). */
static const char *skip_index(const char *p)
{
	bool quoted = false;
	for (p++; *p; p++) {
		if (quoted && *p == '\\' && p[1])
			p++;
		else if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == ']')
			return p + 1;
	}
	return p;
}

/* Splits "module.a[0].module.b" into its call names ("a", "b"); returns how many. */
static size_t module_names(const char *path, struct slice *out, size_t max)
{
	size_t k = 0;
	const char *p = path;
	while (p && k < max && strncmp(p, "module.", 7) == 0) {
		p += 7;
		size_t n = strcspn(p, ".[");
		out[k].s = p;
		out[k].n = n;
		k++;
		p += n;
		while (*p == '[')
			p = skip_index(p);
		if (*p == '.')
			p++;
	}
	return k;
}

static uint32_t get_slice(const struct doc *doc, uint32_t obj, struct slice key)
{
	char buf[256];
	if (key.n >= sizeof buf)
		return DOC_NONE;
	memcpy(buf, key.s, key.n);
	buf[key.n] = '\0';
	return doc_get(doc, obj, buf);
}

/* ------------------------------------------------------------------ plan configuration */

/* One configuration resource, keyed "a.b|managed|aws_x|name" (module call names, mode,
 * type, name). */
struct region_tfconfig_entry {
	char *key;
	uint32_t node;
};

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct region_tfconfig_entry *)a)->key,
	              ((const struct region_tfconfig_entry *)b)->key);
}

static char *config_key(const struct slice *names, size_t depth, const char *mode,
                        const char *type, const char *name)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < depth; i++)
		buf_addf(&b, "%s%.*s", i ? "." : "", (int)names[i].n, names[i].s);
	buf_addf(&b, "|%s|%s|%s", mode ? mode : "managed", type, name);
	return buf_detach(&b);
}

/* Adds the resources of module object mod (reached through names[0, depth)) and of the
 * modules it calls. Names point into the document's text (keys are never escaped here:
 * escaped ones are skipped). */
static void index_module(struct region_tfconfig *c, size_t *cap, uint32_t mod,
                         struct slice *names, size_t depth)
{
	const struct doc *doc = c->doc;
	uint32_t list = doc_get(doc, mod, "resources");
	for (uint32_t e = doc_first(doc, list); e != DOC_NONE; e = doc_next(doc, list, e)) {
		char *mode = doc_strdup(doc, doc_get(doc, e, "mode"), NULL);
		char *type = doc_strdup(doc, doc_get(doc, e, "type"), NULL);
		char *name = doc_strdup(doc, doc_get(doc, e, "name"), NULL);
		if (type && name) {
			xgrow((void **)&c->index, cap, c->nindex + 1, sizeof *c->index);
			c->index[c->nindex].key = config_key(names, depth, mode, type, name);
			c->index[c->nindex++].node = e;
		}
		free(mode);
		free(type);
		free(name);
	}
	uint32_t calls = doc_get(doc, mod, "module_calls");
	if (depth >= MAX_MODULE_DEPTH || calls == DOC_NONE || doc_type(doc, calls) != DOC_OBJECT)
		return;
	for (uint32_t k = doc_first(doc, calls); k != DOC_NONE; k = doc_next(doc, calls, k + 1)) {
		const struct doc_node *nd = doc_node(doc, k);
		if (nd->flags & DOC_ESCAPED)
			continue;
		names[depth] = (struct slice){doc->text + nd->text, nd->len};
		index_module(c, cap, doc_get(doc, k + 1, "module"), names, depth + 1);
	}
}

void region_tfconfig_init(struct region_tfconfig *c, const struct doc *doc, uint32_t plan)
{
	memset(c, 0, sizeof *c);
	c->doc = doc;
	c->variables = doc_get(doc, plan, "variables");
	uint32_t conf = doc_get(doc, plan, "configuration");
	c->provider_config = doc_get(doc, conf, "provider_config");
	c->root_module = doc_get(doc, conf, "root_module");
	struct slice names[MAX_MODULE_DEPTH];
	size_t cap = 0;
	index_module(c, &cap, c->root_module, names, 0);
	if (c->nindex > 0)
		qsort(c->index, c->nindex, sizeof *c->index, entry_cmp);
}

void region_tfconfig_free(struct region_tfconfig *c)
{
	for (size_t i = 0; i < c->nindex; i++)
		free(c->index[i].key);
	free(c->index);
	c->index = NULL;
	c->nindex = 0;
}

/* The module object at names[0, depth); *call receives the module call that made it
 * (DOC_NONE at the root). */
static uint32_t module_at(const struct region_tfconfig *c, const struct slice *names,
                         size_t depth, uint32_t *call)
{
	uint32_t mod = c->root_module;
	*call = DOC_NONE;
	for (size_t i = 0; i < depth && mod != DOC_NONE; i++) {
		*call = get_slice(c->doc, doc_get(c->doc, mod, "module_calls"), names[i]);
		mod = doc_get(c->doc, *call, "module");
	}
	return mod;
}

uint32_t region_tfconfig_resource(const struct region_tfconfig *c, const char *module,
                                  const char *mode, const char *type, const char *name)
{
	if (c->nindex == 0)
		return DOC_NONE;
	struct slice names[MAX_MODULE_DEPTH];
	size_t depth = module_names(module, names, MAX_MODULE_DEPTH);
	struct region_tfconfig_entry want = {config_key(names, depth, mode, type, name), 0};
	const struct region_tfconfig_entry *hit =
		bsearch(&want, c->index, c->nindex, sizeof *c->index, entry_cmp);
	free(want.key);
	return hit ? hit->node : DOC_NONE;
}

/* The single variable name all references of expr point at ("var.region" -> "region"), as
 * a slice into the document text; false when expr refers to anything else. */
static bool single_variable(const struct doc *doc, uint32_t refs, struct slice *var)
{
	bool found = false;
	for (uint32_t e = doc_first(doc, refs); e != DOC_NONE; e = doc_next(doc, refs, e)) {
		const struct doc_node *nd = doc_node(doc, e);
		const char *s = doc->text + nd->text;
		if (nd->type != DOC_STRING || (nd->flags & DOC_ESCAPED) || nd->len <= 4 ||
		    strncmp(s, "var.", 4) != 0)
			return false;
		struct slice v = {s + 4, nd->len - 4};
		if (found && (v.n != var->n || memcmp(v.s, var->s, v.n) != 0))
			return false;
		*var = v;
		found = true;
	}
	return found;
}

/* Resolves an expression ({"constant_value": ...} or {"references": ["var.x"]}) evaluated in
 * module names[0, depth) to a string node, following variables up through module calls.
 * *via_variable is set when a variable was followed. DOC_NONE when it cannot be known. */
static uint32_t resolve_expr(const struct region_tfconfig *c, uint32_t expr,
                             const struct slice *names, size_t depth, bool *via_variable)
{
	const struct doc *doc = c->doc;
	uint32_t constant = doc_get(doc, expr, "constant_value");
	if (constant != DOC_NONE)
		return doc_type(doc, constant) == DOC_STRING ? constant : DOC_NONE;
	struct slice var;
	if (!single_variable(doc, doc_get(doc, expr, "references"), &var))
		return DOC_NONE;
	*via_variable = true;
	if (depth == 0) {
		uint32_t v = doc_get(doc, get_slice(doc, c->variables, var), "value");
		return (v != DOC_NONE && doc_type(doc, v) == DOC_STRING) ? v : DOC_NONE;
	}
	uint32_t call;
	uint32_t mod = module_at(c, names, depth, &call);
	uint32_t arg = get_slice(doc, doc_get(doc, call, "expressions"), var);
	if (arg != DOC_NONE)
		return resolve_expr(c, arg, names, depth - 1, via_variable);
	uint32_t def = doc_get(doc, get_slice(doc, doc_get(doc, mod, "variables"), var), "default");
	return (def != DOC_NONE && doc_type(doc, def) == DOC_STRING) ? def : DOC_NONE;
}

/* A provider_config entry found for a resource, with the module it is declared in. */
struct provider_entry {
	uint32_t node;
	char *module_address;   /* owned: names may point into it */
	struct slice names[MAX_MODULE_DEPTH];
	size_t depth;
};

/* Looks key up in provider_config; the entry's module_address, when present, replaces the
 * module preset in pe. */
static bool try_key(const struct region_tfconfig *c, const char *key, struct provider_entry *pe)
{
	pe->node = doc_get(c->doc, c->provider_config, key);
	/* An entry without expressions only records a module's provider requirement: the
	 * configuration itself is inherited from the calling module. */
	if (doc_get(c->doc, pe->node, "expressions") == DOC_NONE)
		return false;
	char *addr = doc_strdup(c->doc, doc_get(c->doc, pe->node, "module_address"), NULL);
	if (addr) {
		free(pe->module_address);
		pe->module_address = addr;
		pe->depth = module_names(addr, pe->names, MAX_MODULE_DEPTH);
	}
	return true;
}

/* Tries "module.n1...module.nd:local" and the 0.12 spelling "nd:local". */
static bool try_module_keys(const struct region_tfconfig *c, const char *local, size_t d,
                            struct provider_entry *pe)
{
	struct buf k = BUF_INIT;
	for (size_t i = 0; i < d; i++)
		buf_addf(&k, "%smodule.%.*s", i ? "." : "", (int)pe->names[i].n, pe->names[i].s);
	buf_addf(&k, ":%s", local);
	pe->depth = d;
	bool ok = try_key(c, buf_str(&k), pe);
	if (!ok) {
		buf_reset(&k);
		buf_addf(&k, "%.*s:%s", (int)pe->names[d - 1].n, pe->names[d - 1].s, local);
		pe->depth = d;
		ok = try_key(c, buf_str(&k), pe);
	}
	buf_free(&k);
	return ok;
}

/* Finds the provider configuration for key used in module names[0, depth): the key itself,
 * then the same provider in each enclosing module, then the root's "aws.alias", then the
 * bare "aws". */
static bool find_provider(const struct region_tfconfig *c, const char *key,
                          const struct slice *names, size_t depth, struct provider_entry *pe)
{
	memcpy(pe->names, names, depth * sizeof *names);
	const char *colon = strchr(key, ':');
	const char *local = colon ? colon + 1 : key;
	pe->depth = colon ? depth : 0;
	if (try_key(c, key, pe))
		return true;
	for (size_t d = depth; d-- > 1;) {
		if (try_module_keys(c, local, d, pe))
			return true;
	}
	pe->depth = 0;
	if (try_key(c, local, pe))
		return true;
	char *bare = xstrndup(local, strcspn(local, "."));
	bool ok = try_key(c, bare, pe);
	free(bare);
	return ok;
}

/* ------------------------------------------------------------------ one resource */

/* The outcome of one resolution step. */
struct found {
	enum region_state state; /* REGION_NONE: this step says nothing */
	char *region;
	const char *source;
};

static void apply(struct model_resource *r, struct found *f)
{
	region_set(r, f->state, f->region, f->source);
	free(f->region);
	f->region = NULL;
}

static char *attr_string(const struct region_facts *f, const char *key)
{
	uint32_t v = doc_get(f->doc, f->values, key);
	if (v == DOC_NONE || doc_type(f->doc, v) != DOC_STRING || doc_node(f->doc, v)->len == 0)
		return NULL;
	return doc_strdup(f->doc, v, NULL);
}

static bool attr_unknown(const struct region_facts *f, const char *key)
{
	bool unknown = false;
	return doc_bool(f->doc, doc_get(f->doc, f->unknown, key), &unknown) && unknown;
}

/* True when key is unknown at plan time because the configuration sets it to a value not
 * yet known. An unknown attribute the configuration leaves alone is computed from the
 * provider, and resolution goes on; so it does when the configuration is missing. */
static bool unknown_until_apply(const struct region_facts *f, const char *key)
{
	if (f->config == DOC_NONE || !attr_unknown(f, key))
		return false;
	return doc_get(f->doc, doc_get(f->doc, f->config, "expressions"), key) != DOC_NONE;
}

/* The provider configuration's value for the first of attrs it sets. */
static struct found provider_region(const struct model_resource *r,
                                    const struct region_facts *f, const char *const *attrs)
{
	struct found out = {REGION_UNKNOWN, NULL, REGION_WHY_UNSET};
	if (!f->tfconfig || f->config == DOC_NONE) {
		if (f->no_provider_reason)
			out.source = f->no_provider_reason;
		return out;
	}
	const struct region_tfconfig *c = f->tfconfig;
	char *key = doc_strdup(c->doc, doc_get(c->doc, f->config, "provider_config_key"), NULL);
	struct slice names[MAX_MODULE_DEPTH];
	size_t depth = module_names(r->module, names, MAX_MODULE_DEPTH);
	struct provider_entry *pe = xcalloc(1, sizeof *pe);
	if (key && find_provider(c, key, names, depth, pe)) {
		uint32_t exprs = doc_get(c->doc, pe->node, "expressions");
		for (size_t i = 0; attrs[i]; i++) {
			uint32_t e = doc_get(c->doc, exprs, attrs[i]);
			if (e == DOC_NONE)
				continue;
			bool via_var = false;
			uint32_t v = resolve_expr(c, e, pe->names, pe->depth, &via_var);
			out.region = doc_strdup(c->doc, v, NULL);
			out.state = out.region ? REGION_KNOWN : REGION_UNKNOWN;
			out.source = out.region ? (via_var ? "variable" : "provider") : REGION_WHY_EXPR;
			if (out.region && strcmp(attrs[i], "zone") == 0) {
				char *reg = region_from_gcp_location(out.region);
				free(out.region);
				out.region = reg;
			}
			break;
		}
	}
	free(pe->module_address);
	free(pe);
	free(key);
	return out;
}

/* Region from "arn" or any "*_arn" attribute. */
static char *region_of_arns(const struct region_facts *f)
{
	char *arn = attr_string(f, "arn");
	char *reg = region_from_arn(arn);
	free(arn);
	const struct doc *doc = f->doc;
	if (f->values == DOC_NONE || doc_type(doc, f->values) != DOC_OBJECT)
		return reg;
	for (uint32_t k = doc_first(doc, f->values); !reg && k != DOC_NONE;
	     k = doc_next(doc, f->values, k + 1)) {
		const struct doc_node *nd = doc_node(doc, k);
		if (nd->len < 4 || memcmp(doc->text + nd->text + nd->len - 4, "_arn", 4) != 0)
			continue;
		char *s = doc_strdup(doc, doc_type(doc, k + 1) == DOC_STRING ? k + 1 : DOC_NONE, NULL);
		reg = region_from_arn(s);
		free(s);
	}
	return reg;
}

static void resolve_aws(struct model_resource *r, const struct region_facts *f)
{
	static const char *const attrs[] = {"region", NULL};
	char *v = attr_string(f, "region");
	struct found out = {REGION_KNOWN, v, "attribute"};
	if (!v && unknown_until_apply(f, "region"))
		out = (struct found){REGION_UNKNOWN, NULL, REGION_WHY_APPLY};
	else if (!v) {
		struct found prov = provider_region(r, f, attrs);
		out = prov;
		if (prov.state != REGION_KNOWN) {
			char *az = attr_string(f, "availability_zone");
			char *reg = region_of_arns(f);
			if (reg)
				out = (struct found){REGION_KNOWN, reg, "arn"};
			else if ((reg = region_from_availability_zone(az)) != NULL)
				out = (struct found){REGION_KNOWN, reg, "availability_zone"};
			else if (region_aws_global_type(r->type))
				out = (struct found){REGION_KNOWN, xstrdup("global"), "global"};
			else if (f->config == DOC_NONE && attr_unknown(f, "region"))
				out.source = REGION_WHY_APPLY;
			free(az);
		}
	}
	apply(r, &out);
}

static void resolve_gcp(struct model_resource *r, const struct region_facts *f)
{
	static const char *const keys[] = {"region", "location", "zone"};
	static const char *const attrs[] = {"region", "zone", NULL};
	for (size_t i = 0; i < 3; i++) {
		char *v = attr_string(f, keys[i]);
		if (v) {
			struct found out = {REGION_KNOWN, region_from_gcp_location(v),
			                    i == 2 ? "zone" : "attribute"};
			free(v);
			apply(r, &out);
			return;
		}
		if (unknown_until_apply(f, keys[i])) {
			region_set(r, REGION_UNKNOWN, NULL, REGION_WHY_APPLY);
			return;
		}
	}
	struct found out = provider_region(r, f, attrs);
	if (out.state != REGION_KNOWN && f->config == DOC_NONE &&
	    (attr_unknown(f, "region") || attr_unknown(f, "location") || attr_unknown(f, "zone")))
		out.source = REGION_WHY_APPLY;
	apply(r, &out);
}

static void resolve_azure(struct model_resource *r, const struct region_facts *f)
{
	char *v = attr_string(f, "location");
	struct found out = {REGION_KNOWN, region_azure_location(v), "attribute"};
	free(v);
	if (!out.region) {
		out.state = REGION_UNKNOWN;
		out.source = REGION_WHY_PARENT;
		if (attr_unknown(f, "location"))
			out.source = REGION_WHY_APPLY;
		else if (r->provider && provider_is(r->provider, "azuread"))
			out = (struct found){REGION_KNOWN, xstrdup("global"), "global"};
	}
	apply(r, &out);
}

void region_resolve(struct model_resource *r, const struct region_facts *f)
{
	static const struct {
		const char *cloud;
		void (*resolve)(struct model_resource *, const struct region_facts *);
	} rules[] = {
		{"aws", resolve_aws},
		{"azure", resolve_azure},
		{"gcp", resolve_gcp},
	};
	for (size_t i = 0; r->cloud && i < sizeof rules / sizeof rules[0]; i++) {
		if (strcmp(r->cloud, rules[i].cloud) == 0) {
			rules[i].resolve(r, f);
			return;
		}
	}
	region_set(r, REGION_NONE, NULL, NULL);
}

/* ------------------------------------------------------------------ addresses */

char *region_instance_address(const char *module, const char *mode, const char *type,
                              const char *name, const struct doc *doc, uint32_t index)
{
	struct buf b = BUF_INIT;
	if (module && *module)
		buf_addf(&b, "%s.", module);
	if (mode && strcmp(mode, "data") == 0)
		buf_adds(&b, "data.");
	buf_addf(&b, "%s.%s", type, name);
	size_t len;
	char *text = doc_strdup(doc, index, &len);
	if (text && doc_type(doc, index) == DOC_STRING) {
		buf_adds(&b, "[\"");
		buf_add_json_escaped(&b, text, len);
		buf_adds(&b, "\"]");
	} else if (text) {
		buf_addf(&b, "[%s]", text);
	}
	free(text);
	return buf_detach(&b);
}

char *region_complete_address(const char *given, const char *module, const char *mode,
                              const char *type, const char *name, const struct doc *doc,
                              uint32_t index)
{
	size_t mlen = module ? strlen(module) : 0;
	bool complete = given && *given;
	if (complete && index != DOC_NONE)
		complete = given[strlen(given) - 1] == ']';
	if (complete && mlen > 0)
		complete = strncmp(given, module, mlen) == 0 && given[mlen] == '.';
	if (complete)
		return xstrdup(given);
	return region_instance_address(module, mode, type, name, doc, index);
}

/* ------------------------------------------------------------------ parents */

char *region_reference_address(const char *ref, const char *module, bool allow_group)
{
	const char *p = ref;
	if (strncmp(p, "data.", 5) == 0)
		p += 5;
	size_t type_len = strcspn(p, ".");
	if (p[type_len] != '.' || !memchr(p, '_', type_len) || strncmp(p, "module.", 7) == 0)
		return NULL;
	if (!allow_group && strncmp(p, "azurerm_resource_group.", 23) == 0)
		return NULL;
	const char *end = p + type_len + 1;
	end += strcspn(end, ".[}");
	while (*end == '[')
		end = skip_index(end);
	if (module && *module)
		return xasprintf("%s.%.*s", module, (int)(end - ref), ref);
	return xstrndup(ref, (size_t)(end - ref));
}

/* Rank of an expression key: location first, then *_id, then the rest. */
static int parent_rank(const char *key, size_t len)
{
	if (len == 8 && memcmp(key, "location", 8) == 0)
		return 0;
	if (len > 3 && memcmp(key + len - 3, "_id", 3) == 0)
		return 1;
	return 2;
}

static void add_refs(const struct doc *doc, uint32_t refs, const char *module, bool group,
                     char ***out, size_t *n, size_t *cap)
{
	for (uint32_t e = doc_first(doc, refs); e != DOC_NONE; e = doc_next(doc, refs, e)) {
		char *s = doc_strdup(doc, doc_type(doc, e) == DOC_STRING ? e : DOC_NONE, NULL);
		char *addr = s ? region_reference_address(s, module, group) : NULL;
		free(s);
		if (!addr)
			continue;
		xgrow((void **)out, cap, *n + 1, sizeof **out);
		(*out)[(*n)++] = addr;
	}
}

size_t region_tfconfig_parents(const struct region_tfconfig *c, uint32_t config,
                               const char *module, char ***out)
{
	const struct doc *doc = c->doc;
	uint32_t exprs = doc_get(doc, config, "expressions");
	size_t n = 0, cap = 0;
	*out = NULL;
	for (int rank = 0; rank < 3 && exprs != DOC_NONE && doc_type(doc, exprs) == DOC_OBJECT;
	     rank++) {
		for (uint32_t k = doc_first(doc, exprs); k != DOC_NONE;
		     k = doc_next(doc, exprs, k + 1)) {
			const struct doc_node *nd = doc_node(doc, k);
			if (parent_rank(doc->text + nd->text, nd->len) != rank)
				continue;
			add_refs(doc, doc_get(doc, k + 1, "references"), module, rank == 0, out, &n,
			         &cap);
		}
	}
	return n;
}

struct addr_entry {
	const char *address;
	size_t resource;
};

static int addr_cmp(const void *a, const void *b)
{
	return strcmp(((const struct addr_entry *)a)->address,
	              ((const struct addr_entry *)b)->address);
}

/* The known region of the resource at address, or of all its instances ("x.y[0]",
 * "x.y[1]"...) when they agree; NULL otherwise. */
static const char *parent_region(const struct model *m, const struct addr_entry *index,
                                 size_t n, const char *address)
{
	size_t lo = 0, hi = n, len = strlen(address);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(index[mid].address, address) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	const char *region = NULL;
	for (size_t i = lo; i < n && strncmp(index[i].address, address, len) == 0; i++) {
		char next = index[i].address[len];
		if (next != '\0' && next != '[')
			continue;
		const struct model_resource *p = &m->resources[index[i].resource];
		if (p->region_state != REGION_KNOWN || (region && strcmp(region, p->region) != 0))
			return NULL;
		region = p->region;
		if (next == '\0')
			return region;
	}
	return region;
}

static bool resolve_one_parent(struct model *m, const struct addr_entry *index, size_t n,
                               struct region_pending *p)
{
	for (size_t j = 0; j < p->nparents; j++) {
		const char *reg = parent_region(m, index, n, p->parents[j]);
		if (reg) {
			char *copy = xstrdup(reg);
			region_set(&m->resources[p->resource], REGION_KNOWN, copy, "parent");
			free(copy);
			return true;
		}
	}
	return false;
}

void region_resolve_parents(struct model *m, size_t first, size_t count,
                            struct region_pending *pending, size_t npending)
{
	struct addr_entry *index = xcalloc(count ? count : 1, sizeof *index);
	size_t n = 0;
	for (size_t i = first; i < first + count; i++) {
		if (m->resources[i].address)
			index[n++] = (struct addr_entry){m->resources[i].address, i};
	}
	qsort(index, n, sizeof *index, addr_cmp);
	bool *done = xcalloc(npending ? npending : 1, sizeof *done);
	bool progress = true;
	while (progress) {
		progress = false;
		for (size_t i = 0; i < npending; i++) {
			if (!done[i] && resolve_one_parent(m, index, n, &pending[i]))
				done[i] = progress = true;
		}
	}
	for (size_t i = 0; i < npending; i++) {
		for (size_t j = 0; j < pending[i].nparents; j++)
			free(pending[i].parents[j]);
		free(pending[i].parents);
	}
	free(done);
	free(index);
}
