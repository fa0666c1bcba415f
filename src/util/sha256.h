/*
 * SHA-256 (FIPS 180-4), for the content hashes of policy files in reports: auditors compare
 * them with `sha256sum` of the files that should have run.
 */
#ifndef MG_UTIL_SHA256_H
#define MG_UTIL_SHA256_H
#include <stddef.h>

/* The digest of data[0, len) as 64 lowercase hex digits and a NUL in out. */
#define SHA256_HEX 65 /* 64 lowercase hex digits and the NUL */

void sha256_hex(const void *data, size_t len, char out[SHA256_HEX]);

#endif
