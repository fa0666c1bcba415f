/* Edit distance between short words, for "did you mean ...?" suggestions. */
#ifndef MG_UTIL_STRDIST_H
#define MG_UTIL_STRDIST_H
#include <stddef.h>

#define STRDIST_MAX_LEN 64

/* Levenshtein distance of a and b, or SIZE_MAX when either is longer than STRDIST_MAX_LEN
 * characters (too long to be a mistyped name). */
size_t strdist(const char *a, const char *b);

#endif
