/*
 * Advice to the kernel about big buffers. On virtual machines a page fault can cost ten
 * microseconds or more (12 us per 4 KiB page on the benchmark machine, bench/README.md), so
 * first-touch memory is a large part of reading, parsing and reporting on big inputs:
 * transparent huge pages (MADV_HUGEPAGE, for systems where they are opt-in) back 2 MiB per
 * fault, and MADV_POPULATE_WRITE backs a whole range in one call. Advisory: does nothing
 * where unsupported, and nothing on buffers below PAGES_HUGE_MIN. The whole pages of a live
 * buffer that nothing will read again can be given back (pages_discard).
 */
#ifndef MG_UTIL_PAGES_H
#define MG_UTIL_PAGES_H
#include <stdbool.h>
#include <stddef.h>

/* Below this size the advice is not given: faults cost less than the calls. */
#define PAGES_HUGE_MIN ((size_t)1 << 20)

/* Offers the whole pages of p[0, len) huge pages. */
void pages_advise_huge(void *p, size_t len);
/* Backs the whole pages of p[0, len) with memory now, in one call. */
void pages_populate(void *p, size_t len);
/* Both: for a big buffer about to be written from start to end. */
void pages_prefault(void *p, size_t len);

/* The whole pages inside p[0, len) as offsets [*from, *to) from p; false when there are none. */
bool pages_inside(const void *p, size_t len, size_t *from, size_t *to);
/* Gives the whole pages of p[0, len) back to the system: they read as zeros afterwards. For
 * memory of a live allocation that nothing will read again. */
void pages_discard(void *p, size_t len);

#endif
