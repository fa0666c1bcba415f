/*
 * Generic normaliser: any JSON or YAML document no other format claims becomes one resource
 * of type "document" whose values are the whole document. Its address is the file's path,
 * with "#<n>" (1-based) for the n-th document of a stream that holds several.
 */
#include "load/normalise.h"

#include "util/xalloc.h"

void generic_normalise(struct model *m, size_t input, uint32_t root)
{
	const struct doc *doc = &m->inputs[input]->doc;
	char *address;
	if (doc->nroots > 1) {
		uint32_t n = doc_root_number(doc, root);
		address = xasprintf("%s#%u", doc->src.path, n ? n : doc->nroots + 1);
	} else {
		address = xstrdup(doc->src.path);
	}
	struct model_resource *r = model_add_resource(m, input);
	r->address = address;
	r->type = xstrdup("document");
	r->region_state = REGION_NONE;
	r->format = FORMAT_GENERIC;
	r->doc_root = root;
	r->node = root;
	r->values = root;
}
