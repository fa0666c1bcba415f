/* Listing a directory in a stable order, so every walk is deterministic; sizing named files. */
#ifndef MG_UTIL_DIRLIST_H
#define MG_UTIL_DIRLIST_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The entry names of dir sorted bytewise, without "." and ".." (and, unless hidden is true,
 * without any name starting with '.'). NULL with errno set when dir cannot be opened;
 * otherwise a non-NULL array of *n names to release with dirlist_free. */
char **dirlist_read(const char *dir, bool hidden, size_t *n);
void dirlist_free(char **names, size_t n);
/* The bytes of the regular files among paths (directories and anything else count 0),
 * added up until they reach enough. */
uint64_t dirlist_files_bytes(const char *const *paths, size_t n, uint64_t enough);

#endif
