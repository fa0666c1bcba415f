/*
 * Finding the bytes of JSON string text that need a closer look: '"', '\\', a control
 * character (< 0x20, NUL included) or a non-ASCII byte (>= 0x80). Used by the JSON parser
 * to skip plain string bytes and by the report writers to copy them in one piece.
 */
#ifndef MG_UTIL_TEXTSCAN_H
#define MG_UTIL_TEXTSCAN_H
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* High bit set in each byte of x that needs a closer look. The lowest flagged byte is exact
 * (a borrow can only flag bytes above a byte that is flagged anyway). */
static inline uint64_t textscan_special(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
	return (((q - ones) & ~q) | ((b - ones) & ~b) | ((x - ones * 0x20) & ~x) | x) & high;
}

/* The first byte at or after p that needs a closer look. *end must be a NUL byte (it stops
 * the scan); no byte at or past end + 1 is read. Sixteen bytes at a time with SSE2 (a signed
 * compare below 0x20 flags control characters and non-ASCII bytes alike), then eight, then
 * one. */
static inline const unsigned char *textscan_plain(const unsigned char *p,
                                                  const unsigned char *end)
{
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
	const __m128i space = _mm_set1_epi8(0x20);
	while (end - p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote),
		                                      _mm_cmpeq_epi8(x, backslash)),
		                         _mm_cmplt_epi8(x, space));
		unsigned mask = (unsigned)_mm_movemask_epi8(m);
		if (mask)
			return p + __builtin_ctz(mask);
		p += 16;
	}
#endif
	while (end - p >= 8) {
		uint64_t x;
		memcpy(&x, p, sizeof x);
		uint64_t m = textscan_special(x);
		if (m) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return p + (__builtin_ctzll(m) >> 3);
#else
			break;
#endif
		}
		p += 8;
	}
	while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
		p++;
	return p;
}

#endif
