/* Huge-page and populate advice for big buffers (see pages.h). */
#define _DEFAULT_SOURCE /* madvise */
#include "util/pages.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

static uintptr_t page_size(void)
{
	static uintptr_t size;
	if (!size) {
		long n = sysconf(_SC_PAGESIZE);
		size = n > 0 ? (uintptr_t)n : 4096;
	}
	return size;
}

bool pages_inside(const void *p, size_t len, size_t *from, size_t *to)
{
	const uintptr_t page = page_size(), at = (uintptr_t)p;
	uintptr_t start = (at + page - 1) & ~(page - 1);
	uintptr_t end = (at + len) & ~(page - 1);
	if (end <= start)
		return false;
	*from = (size_t)(start - at);
	*to = (size_t)(end - at);
	return true;
}

/* The whole pages of p[0, len) as [*start, *end); false when there are none or the buffer is
 * too small to advise. */
static bool whole_pages(void *p, size_t len, uintptr_t *start, uintptr_t *end)
{
	size_t from, to;
	if (len < PAGES_HUGE_MIN || !pages_inside(p, len, &from, &to))
		return false;
	*start = (uintptr_t)p + from;
	*end = (uintptr_t)p + to;
	return true;
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

void pages_discard(void *p, size_t len)
{
#ifdef MADV_DONTNEED
	size_t from, to;
	if (pages_inside(p, len, &from, &to))
		(void)madvise((char *)p + from, to - from, MADV_DONTNEED);
#else
	(void)p;
	(void)len;
#endif
}
