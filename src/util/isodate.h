/* Calendar dates written YYYY-MM-DD (waiver and suppression expiry dates). */
#ifndef MG_UTIL_ISODATE_H
#define MG_UTIL_ISODATE_H
#include <stdbool.h>

/* True when s is exactly a real calendar date "YYYY-MM-DD" (leap years honoured). Such
 * strings compare in date order with strcmp. */
bool isodate_valid(const char *s);

#endif
