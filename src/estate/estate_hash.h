/*
 * SHA-256 (FIPS 180-4) of a byte string, as lowercase hex: the policy hashes of the estate
 * report's metadata, so a reader can tell which policy text produced a page.
 */
#ifndef MG_ESTATE_ESTATE_HASH_H
#define MG_ESTATE_ESTATE_HASH_H
#include <stddef.h>

#define ESTATE_HASH_HEX 65 /* 64 hex digits and the NUL */

/* Writes the SHA-256 of data[0, len) as 64 lowercase hex digits and a NUL into hex. */
void estate_hash_sha256(const void *data, size_t len, char hex[ESTATE_HASH_HEX]);

#endif
