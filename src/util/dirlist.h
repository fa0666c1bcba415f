/* Listing a directory in a stable order, so every walk is deterministic. */
#ifndef MG_UTIL_DIRLIST_H
#define MG_UTIL_DIRLIST_H
#include <stdbool.h>
#include <stddef.h>

/* The entry names of dir sorted bytewise, without "." and ".." (and, unless hidden is true,
 * without any name starting with '.'). NULL with errno set when dir cannot be opened;
 * otherwise a non-NULL array of *n names to release with dirlist_free. */
char **dirlist_read(const char *dir, bool hidden, size_t *n);
void dirlist_free(char **names, size_t n);

#endif
