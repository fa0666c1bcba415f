/*
 * Positions in a document's source: the 1-based line and column (in characters, as editors
 * and SARIF count them) of byte offsets, and the release of source pages nothing reads again.
 *
 * A released range ("hole", doc_release) reads as zeros and is never read: positions step
 * over it with its summary (struct doc_hole), so every position outside a hole is the one the
 * full text gives. An offset inside a hole counts as the hole's start.
 */
#ifndef MG_LOAD_DOCPOS_H
#define MG_LOAD_DOCPOS_H
#include <stddef.h>
#include <stdint.h>

#include "load/doc.h"

/* Line and column of byte offset pos (past the end: of the end). The indexes are built on
 * the first call, under a lock: callers on several threads may ask in the same document. */
void doc_position(struct doc *doc, uint32_t pos, unsigned *line, unsigned *column);

/* Moves (*line, *column), the position of byte from, to byte to (from <= to <= src.len).
 * Linear in to - from less the holes between them. Reads only the document. */
void doc_advance(const struct doc *doc, size_t from, size_t to, unsigned *line,
                 unsigned *column);

/* Gives the whole pages inside source bytes [start, end) back to the system and records them
 * as a hole: for bytes nothing reads again (the inside of an object the JSON parse skipped).
 * cont is the number of UTF-8 continuation bytes in [start, end) when the caller knows it
 * (the parser counts them), which spares counting the characters of a hole without line
 * breaks; DOC_CONT_UNKNOWN otherwise. Call in source order, before the document is shared
 * with other threads. Returns the bytes given back (0 when the range holds no whole page). */
#define DOC_CONT_UNKNOWN UINT32_MAX
size_t doc_release(struct doc *doc, uint32_t start, uint32_t end, uint32_t cont);

#endif
