/*
 * The normalised model as JSON: what `moongate parse` prints. One compact line, keys in a
 * fixed order (docs/input-formats.md, "moongate parse"):
 *   {"version":1,
 *    "inputs":[{"file","format","documents","resources"}],
 *    "resources":[{"address","type","name","provider","cloud","format","mode","module",
 *                  "region","region_state","region_source","actions","file","line","column",
 *                  "values","before"?,"unknown"?,"sensitive"?}]}
 * Absent fields are null; before/unknown/sensitive appear only when the input has them.
 * Document values keep their keys in document order (a repeated key once, its last value),
 * numbers as written when that is valid JSON, strings re-escaped.
 */
#ifndef MG_REPORT_MODEL_JSON_H
#define MG_REPORT_MODEL_JSON_H
#include <stdint.h>

#include "load/doc.h"
#include "model/model.h"
#include "util/buf.h"

/* Appends the model, followed by a newline, to out. Linear in the size of the inputs: the
 * positions of all resources are computed in one sweep per file. */
void model_json_write(struct model *m, struct buf *out);
/* Appends the JSON of the subtree at node (null for DOC_NONE) to out. */
void model_json_write_node(const struct doc *doc, uint32_t node, struct buf *out);

#endif
