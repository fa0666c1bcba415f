/*
 * Prefaulting ahead of a writer: a helper thread backs the pages of a large buffer that is
 * being filled front to back (the JSON tape) with memory, at most AHEAD_DISTANCE bytes past
 * the position the writer last reported, so the writer rarely stops on a page fault and the
 * buffer's unused end is never touched. Page faults are a large part of parsing a big plan
 * and would otherwise leave the second core idle.
 */
#ifndef MG_LOAD_AHEAD_H
#define MG_LOAD_AHEAD_H
#include <stddef.h>

#define AHEAD_MIN ((size_t)32 << 20)      /* smaller buffers are not worth a thread */
#define AHEAD_DISTANCE ((size_t)8 << 20)  /* how far past the writer pages are backed */

struct ahead;

/* Starts prefaulting base[0, len); NULL (nothing to do) when len is below AHEAD_MIN or no
 * thread can be made. */
struct ahead *ahead_start(void *base, size_t len);

/* The writer has filled, or backed itself, base[0, done): the helper works past it. Cheap;
 * call it every megabyte or so. */
void ahead_report(struct ahead *a, size_t done);

/* Stops the helper and frees a (NULL is fine). Call it before the buffer moves or is freed. */
void ahead_stop(struct ahead *a);

#endif
