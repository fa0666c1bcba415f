/*
 * The YAML loader: reads a YAML stream with libyaml into the node tape of load/doc.h, one
 * root per document. YAML 1.2 core-schema scalars, anchors and aliases with an expansion
 * limit, merge keys, and local tags kept as data (CloudFormation short forms become their
 * long forms: !Ref x -> {"Ref": "x"}). Block-style streams are read by a faster parser that
 * gives the same tape (load/yamlblock.h). See docs/input-formats.md.
 */
#ifndef MG_LOAD_YAML_H
#define MG_LOAD_YAML_H
#include <stdbool.h>
#include <stdint.h>

#include "load/doc.h"

struct yaml_error {
	uint32_t pos;      /* byte offset of the problem in doc->src.data */
	char message[200]; /* lowercase, no final period */
};

struct yaml_options {
	unsigned max_depth;       /* nesting limit; 0 means the default (512) */
	uint32_t max_alias_nodes; /* nodes that alias expansion may add; 0 means the default */
	uint32_t max_documents;   /* 0 means the default */
	uint32_t max_string;      /* bytes of one scalar or key after unescaping; 0 means the
	                             default (YAML_DEFAULT_MAX_STRING) */
	bool libyaml_only;        /* read every stream with libyaml, never with the block-style
	                             fast path (load/yamlblock.h): for comparing the two */
};

#define YAML_DEFAULT_MAX_STRING (64u << 20) /* 64 MiB */

/* Parses doc->src.data into doc (one root per document). On failure returns false and fills
 * err; documents before the error are kept. opts may be NULL. doc->src.data may be moved
 * (see yamlblock_parse): hold no pointer into it across the call. */
bool yaml_parse(struct doc *doc, const struct yaml_options *opts, struct yaml_error *err);

#endif
