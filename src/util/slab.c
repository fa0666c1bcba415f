/* Size-class chunks for small blocks whose size the caller remembers (see slab.h). */
#include "util/slab.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE (64 * 1024)
#define CHUNK_HEAD SLAB_ALIGN /* the link to the previous chunk */

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLAB_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SLAB_ASAN 1
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

/* Starts a new chunk; what was left of the previous one is given to the free lists. */
static int new_chunk(struct slab *s)
{
	char *c = malloc(CHUNK_SIZE);
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
	s->chunks = c;
	s->next = c + CHUNK_HEAD;
	s->end = c + CHUNK_SIZE;
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
		UNPOISON(c, CHUNK_SIZE);
		memcpy(&prev, c, sizeof prev);
		free(c);
		c = prev;
	}
	memset(s, 0, sizeof *s);
}
