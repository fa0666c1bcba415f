/* Huge-page and populate advice for big buffers (see pages.h). */
#define _DEFAULT_SOURCE /* madvise */
#include "util/pages.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>

/* The whole pages of p[0, len) as [*start, *end); false when there are none or the buffer is
 * too small to advise. */
static bool whole_pages(void *p, size_t len, uintptr_t *start, uintptr_t *end)
{
	const uintptr_t page = 4096;
	if (len < PAGES_HUGE_MIN)
		return false;
	*start = ((uintptr_t)p + page - 1) & ~(page - 1);
	*end = ((uintptr_t)p + len) & ~(page - 1);
	return *end > *start;
}

void pages_advise_huge(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
	uintptr_t start, end;
	if (whole_pages(p, len, &start, &end))
		(void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
	(void)p;
	(void)len;
#endif
}

void pages_populate(void *p, size_t len)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t start, end;
	if (whole_pages(p, len, &start, &end))
		(void)madvise((void *)start, end - start, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)len;
#endif
}

void pages_prefault(void *p, size_t len)
{
	pages_advise_huge(p, len);
	pages_populate(p, len);
}
