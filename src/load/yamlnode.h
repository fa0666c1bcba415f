/*
 * Scalars and their text for the two YAML parsers (load/yaml.c with libyaml, load/yamlblock.c
 * for block-style streams): the text arena of a parse, the YAML 1.2 core-schema resolution of
 * plain scalars and the tape nodes of scalars. Both parsers build the same tape through it.
 */
#ifndef MG_LOAD_YAMLNODE_H
#define MG_LOAD_YAMLNODE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "load/doc.h"

/* The arena of a parse: scalar texts appended to doc->arena, each NUL-terminated. */
struct yamlnode_arena {
	size_t len, cap;
};

/* Starts a new arena for doc (its old one is freed); offset 0 holds the empty text. */
void yamlnode_arena_init(struct doc *doc, struct yamlnode_arena *a);
/* Appends s[0, len) and returns its offset. */
uint32_t yamlnode_add(struct doc *doc, struct yamlnode_arena *a, const char *s, size_t len);
/* Appends a scalar node of type with text s[0, len) as written; returns its index. */
uint32_t yamlnode_push_text(struct doc *doc, struct yamlnode_arena *a, enum doc_type type,
                            uint32_t pos, const char *s, size_t len);
/* Appends a scalar node of type with the text yamlnode_canonical gives. */
uint32_t yamlnode_push_scalar(struct doc *doc, struct yamlnode_arena *a, enum doc_type type,
                              uint32_t pos, const char *s, size_t len);

#define YAMLNODE_CANONICAL_MAX 40 /* bytes of a text yamlnode_canonical writes, at most */

/* The type and text a scalar of type (as resolved) is stored with: integers in decimal (one
 * beyond 64 bits becomes a float), .inf/.nan as strtod reads them. *out_len gets SIZE_MAX
 * when the text is s itself, else the length of the text written to out. */
enum doc_type yamlnode_canonical(enum doc_type type, const char *s, size_t len, char *out,
                                 size_t *out_len);

/* The core-schema type of a plain scalar. */
enum doc_type yamlnode_resolve_plain(const char *s, size_t len);
/* The type a standard tag asks for, checked against the text: a value the tag cannot read
 * (!!int foo) stays a string. Unknown and non-specific tags give strings. */
enum doc_type yamlnode_resolve_tagged(const char *tag, const char *s, size_t len);
/* True when s[0, len) is one of the NULL-terminated words. */
bool yamlnode_text_is(const char *s, size_t len, const char *const *words);

#endif
