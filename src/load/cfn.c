/*
 * CloudFormation normaliser: one resource per entry of the template's Resources mapping,
 * addressed by its logical id (the loader prefixes "<file>#" when two files of a run share
 * an id). A template's region is chosen when it is deployed, so it is unknown unless the
 * resource is a global service or its properties name a zone or a regional ARN literally.
 */
#include "load/normalise.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "load/docpos.h"
#include "model/region.h"
#include "util/xalloc.h"

#define CFN_REGION_DEPLOY "chosen at deploy time"

/* Services whose resources are global (facts/cloud-ai-facts.md §2): "AWS::<service>::". */
static const char *const global_services[] = {
	"Budgets", "CloudFront", "GlobalAccelerator", "IAM", "Organizations", "Route53",
	"Shield", "WAF",
};

static bool global_type(const char *type)
{
	if (strncmp(type, "AWS::", 5) != 0)
		return false;
	const char *svc = type + 5;
	size_t n = strcspn(svc, ":");
	for (size_t i = 0; i < sizeof global_services / sizeof global_services[0]; i++) {
		if (strlen(global_services[i]) == n && strncmp(svc, global_services[i], n) == 0)
			return true;
	}
	return false;
}

/* The region named by a literal AvailabilityZone or, failing that, by the first literal
 * top-level property that is a regional ARN; NULL when the properties name none. */
static char *region_in_properties(const struct doc *doc, uint32_t props, const char **source)
{
	uint32_t zone = doc_get(doc, props, "AvailabilityZone");
	char *region = NULL;
	if (zone != DOC_NONE && doc_type(doc, zone) == DOC_STRING) {
		char *az = doc_strdup(doc, zone, NULL);
		region = region_from_availability_zone(az);
		free(az);
	}
	if (region) {
		*source = "availability_zone";
		return region;
	}
	for (uint32_t k = doc_first(doc, props); k != DOC_NONE && !region;
	     k = doc_next(doc, props, k + 1)) {
		if (doc_type(doc, k + 1) != DOC_STRING)
			continue;
		char *s = doc_strdup(doc, k + 1, NULL);
		if (strncmp(s, "arn:", 4) == 0)
			region = region_from_arn(s);
		free(s);
	}
	*source = "arn";
	return region;
}

static void resolve_region(const struct doc *doc, struct model_resource *r, uint32_t props)
{
	const char *source = NULL;
	if (global_type(r->type)) {
		region_set(r, REGION_KNOWN, "global", "global");
		return;
	}
	char *region = region_in_properties(doc, props, &source);
	if (region)
		region_set(r, REGION_KNOWN, region, source);
	else
		region_set(r, REGION_UNKNOWN, NULL, CFN_REGION_DEPLOY);
	free(region);
}

/* A warning at the position of node; the message names the logical id (may be NULL). */
static void warn_at(struct model *m, size_t input, uint32_t node, const char *what,
                    const char *id)
{
	struct doc *doc = &m->inputs[input]->doc;
	unsigned line, column;
	doc_position(doc, doc_node(doc, node)->pos, &line, &column);
	if (id)
		diags_add(&m->diags, DIAG_WARNING, doc->src.path, line, column, NULL,
		          "resource '%s': %s", id, what);
	else
		diags_add(&m->diags, DIAG_WARNING, doc->src.path, line, column, NULL, "%s", what);
}

/* One entry of Resources: key node k, its definition at k + 1. */
static void add_entry(struct model *m, size_t input, uint32_t root, uint32_t res, uint32_t k)
{
	const struct doc *doc = &m->inputs[input]->doc;
	char *id = doc_strdup(doc, k, NULL);
	uint32_t def = k + 1;
	uint32_t type = doc_get(doc, def, "Type");
	if (!id) {
		/* a key that is not a string (YAML allows it): nothing can name it */
		warn_at(m, input, k, "resource with a non-string logical id skipped", NULL);
	} else if (doc_get(doc, res, id) != def) {
		/* defined again later: the parser has warned, the last definition is used */
	} else if (strncmp(id, "Fn::ForEach::", 13) == 0) {
		warn_at(m, input, k, "Fn::ForEach loops are not expanded: skipped", id);
	} else if (type == DOC_NONE || doc_type(doc, type) != DOC_STRING) {
		warn_at(m, input, k, "no Type: skipped", id);
	} else {
		uint32_t props = doc_get(doc, def, "Properties");
		struct model_resource *r = model_add_resource(m, input);
		r->address = xstrdup(id);
		r->name = xstrdup(id);
		r->type = doc_strdup(doc, type, NULL);
		r->provider = xstrdup("cloudformation");
		r->cloud = xstrdup("aws");
		r->format = FORMAT_CFN;
		r->doc_root = root;
		r->node = def;
		r->values = props;
		resolve_region(doc, r, props);
	}
	free(id);
}

void cfn_normalise(struct model *m, size_t input, uint32_t root)
{
	const struct doc *doc = &m->inputs[input]->doc;
	uint32_t res = doc_get(doc, root, "Resources");
	if (res == DOC_NONE || doc_type(doc, res) != DOC_OBJECT) {
		warn_at(m, input, res == DOC_NONE ? root : res,
		        "template has no Resources mapping", NULL);
		return;
	}
	for (uint32_t k = doc_first(doc, res); k != DOC_NONE; k = doc_next(doc, res, k + 1))
		add_entry(m, input, root, res, k);
}
