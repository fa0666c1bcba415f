/*
 * Host allocations. Every function aborts with a message on out-of-memory, so callers never
 * check for NULL. (The Lua allocator is separate: it returns NULL and enforces a budget.)
 */
#ifndef MG_UTIL_XALLOC_H
#define MG_UTIL_XALLOC_H
#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grows *ptr (an array of *cap elements of elem_size) to hold at least need elements. */
void xgrow(void **ptr, size_t *cap, size_t need, size_t elem_size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
