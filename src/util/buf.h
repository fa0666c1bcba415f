/* A growable byte buffer, always NUL-terminated. Owns its data; free with buf_free. */
#ifndef MG_UTIL_BUF_H
#define MG_UTIL_BUF_H
#include <stddef.h>

struct buf {
	char *data; /* NULL until the first append */
	size_t len;
	size_t cap;
};

#define BUF_INIT {NULL, 0, 0}

void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends v in decimal (what "%llu" prints, without the formatting machinery). */
void buf_add_uint(struct buf *b, unsigned long long v);
/* Appends s as the inside of a JSON string (no quotes), escaping what JSON requires. */
void buf_add_json_escaped(struct buf *b, const char *s, size_t len);
/* Returns the data ("" when empty); the buffer stays usable. */
const char *buf_str(const struct buf *b);
/* Hands the data to the caller (who frees it) and resets the buffer. */
char *buf_detach(struct buf *b);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

#endif
