/*
 * Fuzz target: the JSON loader. Parses the input into a node tape, checks that the validator
 * gives the same verdict, then walks every node through doc_position and doc_strdup, which
 * the normalisers and reports depend on.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "load/docpos.h"
#include "load/json.h"

static void walk_nodes(struct doc *doc)
{
	for (uint32_t i = 0; i < doc->n; i++) {
		unsigned line, column;
		doc_position(doc, doc->nodes[i].pos, &line, &column);
		size_t len;
		free(doc_strdup(doc, i, &len));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > UINT32_MAX / 2)
		return 0;
	struct doc doc;
	doc_init_text(&doc, "fuzz.json", (const char *)data, size);
	struct json_options opts = {.max_depth = 64};
	struct json_error err;
	bool ok = json_parse(&doc, &opts, &err);
	struct json_error verr;
	bool valid = json_validate(doc.src.data, size, &opts, &verr);
	if (ok != valid)
		abort(); /* the validator and the parser disagree */
	if (ok)
		walk_nodes(&doc);
	else if (err.pos > size || verr.pos != err.pos)
		abort(); /* error positions must agree and lie inside the input */
	doc_free(&doc);
	return 0;
}
