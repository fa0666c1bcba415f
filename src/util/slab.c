/* Size-class chunks for small blocks whose size the caller remembers (see slab.h). */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "util/slab.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util/pages.h"

#define CHUNK_SIZE (64 * 1024)
#define HUGE_CHUNK ((size_t)2 << 20)
#define SMALL_CHUNKS 16         /* a heap of up to 1 MiB never asks for huge pages */
#define CHUNK_HEAD (2 * SLAB_ALIGN) /* the link to the previous chunk, and the chunk's size */

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLAB_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SLAB_ASAN 1
#endif

/* Huge chunks are mapped with mmap, where LeakSanitizer does not look for pointers: under
 * the sanitizers every chunk comes from malloc, so the blocks Lua reaches through the heap
 * are not reported as leaks. */
#ifdef SLAB_ASAN
#define HUGE_CHUNKS 0
#else
#define HUGE_CHUNKS 1
#endif

#ifdef SLAB_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* The class of a small size: its rounded size is (class + 1) * SLAB_ALIGN. */
static size_t class_of(size_t size)
{
	return (size - 1) / SLAB_ALIGN;
}

static size_t rounded(size_t size)
{
	return (class_of(size) + 1) * SLAB_ALIGN;
}

/* A huge-page-sized chunk, aligned so the kernel can back it with one huge page (a 4 KiB
 * page fault costs about 12 us on virtual machines; a 2 MiB chunk is backed at once), or
 * NULL. */
static char *huge_chunk(void)
{
	char *p = mmap(NULL, 2 * HUGE_CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	               -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	char *c = (char *)(((uintptr_t)p + HUGE_CHUNK - 1) & ~(uintptr_t)(HUGE_CHUNK - 1));
	if (c > p)
		munmap(p, (size_t)(c - p));
	munmap(c + HUGE_CHUNK, (size_t)(p + 2 * HUGE_CHUNK - (c + HUGE_CHUNK)));
	pages_advise_huge(c, HUGE_CHUNK);
	return c;
}

/* Starts a new chunk (the first SMALL_CHUNKS from malloc, then huge ones); what was left of
 * the previous one is given to the free lists. */
static int new_chunk(struct slab *s)
{
	size_t size = HUGE_CHUNKS && s->nchunks >= SMALL_CHUNKS ? HUGE_CHUNK : CHUNK_SIZE;
	char *c = size == CHUNK_SIZE ? malloc(CHUNK_SIZE) : huge_chunk();
	if (!c)
		return 0;
	while (s->end - s->next >= SLAB_ALIGN) {
		size_t left = (size_t)(s->end - s->next);
		size_t n = left < SLAB_MAX ? left : SLAB_MAX;
		s->live += n;
		UNPOISON(s->next, n);
		slab_free(s, s->next, n);
		s->next += n;
	}
	memcpy(c, &s->chunks, sizeof s->chunks);
	memcpy(c + sizeof s->chunks, &size, sizeof size);
	s->chunks = c;
	s->nchunks++;
	s->next = c + CHUNK_HEAD;
	s->end = c + size;
	POISON(s->next, (size_t)(s->end - s->next));
	return 1;
}

static void *small_alloc(struct slab *s, size_t size)
{
	size_t k = class_of(size), n = rounded(size);
	void *p = s->free[k];
	if (p) {
		UNPOISON(p, n);
		memcpy(&s->free[k], p, sizeof p);
	} else {
		if ((size_t)(s->end - s->next) < n && !new_chunk(s))
			return NULL;
		p = s->next;
		s->next += n;
		UNPOISON(p, n);
	}
	s->live += n;
	return p;
}

void *slab_alloc(struct slab *s, size_t size)
{
	if (size <= SLAB_MAX)
		return small_alloc(s, size);
	void *p = malloc(size);
	if (p)
		s->live += size;
	return p;
}

void slab_free(struct slab *s, void *p, size_t size)
{
	if (!p)
		return;
	if (size > SLAB_MAX) {
		free(p);
		s->live -= size;
		return;
	}
	size_t k = class_of(size);
	memcpy(p, &s->free[k], sizeof p);
	s->free[k] = p;
	s->live -= rounded(size);
	POISON(p, rounded(size));
}

void *slab_realloc(struct slab *s, void *p, size_t osize, size_t nsize)
{
	if (!p)
		return slab_alloc(s, nsize);
	if (osize > SLAB_MAX && nsize > SLAB_MAX) {
		void *q = realloc(p, nsize);
		if (q)
			s->live = s->live - osize + nsize;
		return q;
	}
	if (osize <= SLAB_MAX && nsize <= SLAB_MAX && class_of(osize) == class_of(nsize))
		return p;
	void *q = slab_alloc(s, nsize);
	if (!q)
		return NULL;
	memcpy(q, p, osize < nsize ? osize : nsize);
	slab_free(s, p, osize);
	return q;
}

void slab_release(struct slab *s)
{
	void *c = s->chunks;
	while (c) {
		void *prev;
		size_t size;
		UNPOISON(c, CHUNK_HEAD);
		memcpy(&prev, c, sizeof prev);
		memcpy(&size, (char *)c + sizeof prev, sizeof size);
		if (size == CHUNK_SIZE) {
			UNPOISON(c, CHUNK_SIZE);
			free(c);
		} else {
			munmap(c, size);
		}
		c = prev;
	}
	memset(s, 0, sizeof *s);
}
