/*
 * Format detection: which normaliser a parsed document belongs to, decided by its content
 * (never by the file name). See docs/input-formats.md for the rules and their order.
 */
#ifndef MG_LOAD_DETECT_H
#define MG_LOAD_DETECT_H
#include <stdint.h>

#include "load/doc.h"
#include "model/model.h"

/* The format of the document whose root is `root`. A document that is not an object, or an
 * object matching no known format, is FORMAT_GENERIC; an empty document (a null root) is
 * FORMAT_UNKNOWN. */
enum model_format detect_format(const struct doc *doc, uint32_t root);

#endif
