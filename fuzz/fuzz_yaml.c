/*
 * Fuzz target: the YAML loader (libyaml events into the node tape), with small limits so
 * alias and document bombs hit them quickly; every node is then read back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "load/docpos.h"
#include "load/yaml.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > UINT32_MAX / 2)
		return 0;
	struct doc doc;
	doc_init(&doc, "fuzz.yaml");
	doc.src.data = xmalloc(size + 1);
	memcpy(doc.src.data, data, size);
	doc.src.data[size] = '\0';
	doc.src.len = size;
	struct yaml_options opts = {.max_depth = 64, .max_alias_nodes = 10000,
	                            .max_documents = 1000};
	struct yaml_error err;
	if (!yaml_parse(&doc, &opts, &err) && err.pos > size)
		abort(); /* an error position outside the input */
	for (uint32_t i = 0; i < doc.n; i++) {
		unsigned line, column;
		if (doc_end(&doc, i) <= i || doc_end(&doc, i) > doc.n)
			abort(); /* a broken tape */
		doc_position(&doc, doc.nodes[i].pos, &line, &column);
		free(doc_strdup(&doc, i, NULL));
	}
	doc_free(&doc);
	return 0;
}
