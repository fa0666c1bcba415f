/*
 * Fuzz target: the YAML loader, with small limits so alias and document bombs hit them
 * quickly; every node is then read back. Whenever the block-style fast path reads the input,
 * libyaml must accept it too and give the same tape.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "load/docpos.h"
#include "load/yaml.h"
#include "load/yamlblock.h"

/* Aborts when the fast path reads the input and libyaml's tape differs. */
static void compare_parsers(const uint8_t *data, size_t size, struct yaml_options opts)
{
	struct doc fast, slow;
	doc_init_text(&fast, "fuzz.yaml", (const char *)data, size);
	struct yamlblock_limits lim = {opts.max_depth, opts.max_documents, YAML_DEFAULT_MAX_STRING};
	if (yamlblock_parse(&fast, &lim)) {
		struct yaml_error err;
		doc_init_text(&slow, "fuzz.yaml", (const char *)data, size);
		opts.libyaml_only = true;
		if (!yaml_parse(&slow, &opts, &err) || !doc_same(&fast, &slow))
			abort();
		doc_free(&slow);
	}
	doc_free(&fast);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > UINT32_MAX / 2)
		return 0;
	struct doc doc;
	doc_init_text(&doc, "fuzz.yaml", (const char *)data, size);
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
	compare_parsers(data, size, opts);
	return 0;
}
