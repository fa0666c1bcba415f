/*
 * A small-block allocator for a caller that passes each block's size back when it frees or
 * resizes it, as Lua's allocator does. Blocks of up to SLAB_MAX bytes are carved from chunks
 * (64 KiB for the first megabyte, then 2 MiB offered huge pages) in size classes of 8 bytes,
 * with no header; a freed block waits on its class's list for the next allocation of that
 * class. Larger blocks go to malloc.
 *
 * Compared with malloc on the Lua heap: no per-block header (a 56-byte table takes 56 bytes,
 * not 64), freed blocks of a class are reused last-in first-out without bin searches, and
 * objects allocated together sit together. Memory of a class is never given to another class;
 * chunks are returned only by slab_release. One slab per thread (no locking).
 *
 * Built with AddressSanitizer, every chunk comes from malloc (LeakSanitizer scans it) and freed
 * blocks and unused chunk space are poisoned, so a read of a freed Lua object is still reported.
 */
#ifndef MG_UTIL_SLAB_H
#define MG_UTIL_SLAB_H
#include <stddef.h>

#define SLAB_MAX 512  /* the largest size served from chunks */
#define SLAB_ALIGN 8  /* the alignment of every small block (Lua needs 8) */

struct slab {
	void *free[SLAB_MAX / SLAB_ALIGN]; /* freed blocks of each class, linked by their first word */
	char *next, *end;                  /* the unused rest of the newest chunk */
	void *chunks;                      /* every chunk, linked by its first word */
	size_t nchunks;
	size_t live;                       /* bytes in blocks handed out and not freed (small and large) */
};

#define SLAB_INIT {{NULL}, NULL, NULL, NULL, 0, 0}

/* A block of size bytes (size > 0), or NULL when memory is exhausted. */
void *slab_alloc(struct slab *s, size_t size);
/* Frees p, a block of size bytes from this slab (NULL is ignored). */
void slab_free(struct slab *s, void *p, size_t size);
/* realloc for a block of osize bytes: p itself when both sizes share a class, else a new block
 * with the contents copied and p freed. NULL (p untouched) when memory is exhausted. */
void *slab_realloc(struct slab *s, void *p, size_t osize, size_t nsize);
/* Returns every chunk to malloc; blocks still live become invalid. The slab is empty after. */
void slab_release(struct slab *s);

#endif
