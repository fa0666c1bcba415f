/*
 * Reading input files: a path or "-" (stdin) into a doc_source as NUL-terminated UTF-8.
 * A UTF-8 BOM is dropped; UTF-16LE/BE with a BOM is converted to UTF-8 (PowerShell writes
 * plans that way). Everything else must already be UTF-8 (the parsers validate it).
 */
#ifndef MG_LOAD_TEXT_H
#define MG_LOAD_TEXT_H
#include <stdbool.h>
#include <stddef.h>

#include "load/doc.h"

#define TEXT_DEFAULT_MAX_SIZE ((size_t)1 << 30) /* 1 GiB */

/* Fills src->data/len from path ("-" reads stdin; src->path must already be set). On failure
 * returns false with a message in err (lowercase, no final period, without the file name). */
bool text_read(struct doc_source *src, const char *path, size_t max_size, char *err,
               size_t errlen);

/* Normalises the encoding of a malloc'd, NUL-terminated buffer in place, as text_read does:
 * drops a UTF-8 BOM, converts UTF-16LE/BE with a BOM to UTF-8 (the buffer may be replaced),
 * leaves anything else alone. On failure (an unpaired surrogate, an odd byte count) returns
 * false with a message giving the byte offset, and leaves *data and *len unchanged. */
bool text_decode(char **data, size_t *len, char *err, size_t errlen);

#endif
