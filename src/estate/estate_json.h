/*
 * The estate as JSON (`moongate report --format json`), the data behind the HTML page:
 * version 1, documented in docs/estate-report.md and docs/estate-report.schema.json. Keys come
 * in a fixed order and the time is written only when SOURCE_DATE_EPOCH fixes it, so the same
 * input gives byte-identical output.
 */
#ifndef MG_ESTATE_ESTATE_JSON_H
#define MG_ESTATE_ESTATE_JSON_H
#include "estate/estate.h"
#include "util/buf.h"

void estate_json_write(const struct estate *es, struct buf *out);

#endif
