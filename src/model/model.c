/* The normalised resource model (see model.h). */
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void model_init(struct model *m)
{
	memset(m, 0, sizeof *m);
}

static void resource_free(struct model_resource *r)
{
	free(r->address);
	free(r->type);
	free(r->name);
	free(r->provider);
	free(r->cloud);
	free(r->mode);
	free(r->module);
	free(r->region);
	free(r->region_source);
}

void model_free(struct model *m)
{
	for (size_t i = 0; i < m->nresources; i++)
		resource_free(&m->resources[i]);
	for (size_t i = 0; i < m->ninputs; i++) {
		doc_free(&m->inputs[i]->doc);
		free(m->inputs[i]);
	}
	free(m->resources);
	free(m->inputs);
	diags_free(&m->diags);
	memset(m, 0, sizeof *m);
}

size_t model_add_input(struct model *m, struct doc *doc, enum model_format format)
{
	xgrow((void **)&m->inputs, &m->inputs_cap, m->ninputs + 1, sizeof *m->inputs);
	struct model_input *in = xcalloc(1, sizeof *in);
	in->doc = *doc;
	memset(doc, 0, sizeof *doc);
	in->format = format;
	in->first_resource = m->nresources;
	m->inputs[m->ninputs] = in;
	return m->ninputs++;
}

struct model_resource *model_add_resource(struct model *m, size_t input)
{
	xgrow((void **)&m->resources, &m->resources_cap, m->nresources + 1, sizeof *m->resources);
	struct model_resource *r = &m->resources[m->nresources++];
	memset(r, 0, sizeof *r);
	r->input = input;
	r->doc_root = r->node = r->values = r->before = r->unknown = r->sensitive = DOC_NONE;
	r->drift = DOC_NONE;
	m->inputs[input]->resource_count++;
	return r;
}

bool model_resource_unchanged(const struct model_resource *r)
{
	return r->format == FORMAT_TFPLAN && !(r->actions & (ACTION_CREATE | ACTION_UPDATE));
}

struct doc *model_doc(struct model *m, const struct model_resource *r)
{
	return &m->inputs[r->input]->doc;
}

const char *model_format_name(enum model_format f)
{
	static const char *const names[] = {
		[FORMAT_UNKNOWN] = "unknown", [FORMAT_TFPLAN] = "tfplan",
		[FORMAT_TFSTATE] = "tfstate", [FORMAT_TFJSON] = "tfjson",
		[FORMAT_K8S] = "kubernetes", [FORMAT_CFN] = "cloudformation",
		[FORMAT_GENERIC] = "generic",
	};
	return names[f];
}
