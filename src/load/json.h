/*
 * The JSON loader: validates RFC 8259 text and builds the node tape of load/doc.h in one
 * pass, keeping byte offsets (no copy of the strings). See docs/parsing-json.md for the
 * decisions on implementation-defined input.
 */
#ifndef MG_LOAD_JSON_H
#define MG_LOAD_JSON_H
#include <stdbool.h>
#include <stdint.h>

#include "load/doc.h"

struct json_error {
	uint32_t pos;      /* byte offset of the error in doc->src.data */
	char message[160]; /* lowercase, no final period: "expected ',' or '}' after an object member" */
};

struct json_options {
	unsigned max_depth;  /* nesting limit; 0 means the default (512) */
	uint32_t max_string; /* bytes of one string or key, as written between the quotes;
	                        0 means the default (JSON_DEFAULT_MAX_STRING) */
	/* Keys of the root object (NULL-terminated; NULL: none) whose object values are only
	 * validated: the tape holds an empty object for each and doc->skipped is set. Armed
	 * once the root has shown the key skip_after; keys before it are never skipped. */
	const char *const *skip_keys;
	const char *skip_after;
};

#define JSON_DEFAULT_MAX_STRING (64u << 20) /* 64 MiB */

/* Parses doc->src.data[0, doc->src.len) into doc (one root). On failure returns false, fills
 * err, and leaves doc with no roots. opts may be NULL. */
bool json_parse(struct doc *doc, const struct json_options *opts, struct json_error *err);

/* Validates data[0, len) exactly as json_parse does (same verdict, message and position),
 * without building a tape. data[len] must be a NUL byte, as in every doc_source. */
bool json_validate(const char *data, size_t len, const struct json_options *opts,
                   struct json_error *err);

#endif
