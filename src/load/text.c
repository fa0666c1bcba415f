/*
 * Reading input files into a doc_source: the whole file in one NUL-terminated buffer, then
 * the encoding normalised to UTF-8 (a UTF-8 BOM dropped, UTF-16 with a BOM converted).
 * Only regular files and stdin are read, so a FIFO or a device can never block or flood
 * the run; sizes are checked before reading.
 */
#include "load/text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/pages.h"
#include "util/xalloc.h"

/* Offsets in the tape are 32-bit: text of 4 GiB or more cannot be represented. */
#define TEXT_OFFSET_LIMIT ((uint64_t)UINT32_MAX)

/* Formats a byte count for a message: "812 bytes", "3.5 KB", "2.1 GB", "1 GB". */
static void format_size(uint64_t n, char *out, size_t outlen)
{
	static const char *const units[] = {"KB", "MB", "GB", "TB"};
	if (n < 1024) {
		snprintf(out, outlen, "%llu bytes", (unsigned long long)n);
		return;
	}
	double v = (double)n / 1024;
	size_t u = 0;
	while (v >= 1024 && u + 1 < sizeof units / sizeof *units) {
		v /= 1024;
		u++;
	}
	if (v == (double)(uint64_t)v)
		snprintf(out, outlen, "%.0f %s", v, units[u]);
	else
		snprintf(out, outlen, "%.1f %s", v, units[u]);
}

/* Refuses a file of `size` bytes over max_size or too big for 32-bit offsets. */
static bool check_size(uint64_t size, size_t max_size, const char *what, char *err,
                       size_t errlen)
{
	char have[32], limit[32];
	format_size(size, have, sizeof have);
	if (size > max_size) {
		format_size(max_size, limit, sizeof limit);
		snprintf(err, errlen, "%s is %s, over the %s limit (--max-file-size)", what, have,
		         limit);
		return false;
	}
	if (size >= TEXT_OFFSET_LIMIT) {
		snprintf(err, errlen, "%s is %s; files of 4 GB or more are not supported", what, have);
		return false;
	}
	return true;
}

/* The same limits for a stream, whose total size is unknown while reading. */
static bool check_stream_size(uint64_t size, size_t max_size, char *err, size_t errlen)
{
	char limit[32];
	if (size > max_size) {
		format_size(max_size, limit, sizeof limit);
		snprintf(err, errlen, "standard input is over the %s limit (--max-file-size)", limit);
		return false;
	}
	if (size >= TEXT_OFFSET_LIMIT) {
		snprintf(err, errlen, "standard input is 4 GB or more, which is not supported");
		return false;
	}
	return true;
}

/* Reads until end of file into a growing buffer (stdin). */
static bool read_stream(int fd, size_t max_size, char **data, size_t *len, char *err,
                        size_t errlen)
{
	size_t cap = 0, n = 0;
	char *buf = NULL;
	for (;;) {
		xgrow((void **)&buf, &cap, n + 65536 + 1, 1);
		ssize_t got = read(fd, buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			snprintf(err, errlen, "cannot read: %s", strerror(errno));
			free(buf);
			return false;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (!check_stream_size(n, max_size, err, errlen)) {
			free(buf);
			return false;
		}
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return true;
}

/* Reads exactly `size` bytes (fewer if the file shrank meanwhile) of a regular file. */
static bool read_exact(int fd, size_t size, char **data, size_t *len, char *err,
                       size_t errlen)
{
	char *buf = xmalloc(size + 1);
	size_t n = 0;
	pages_prefault(buf, size);
	while (n < size) {
		ssize_t got = read(fd, buf + n, size - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			snprintf(err, errlen, "cannot read: %s", strerror(errno));
			free(buf);
			return false;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return true;
}

static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "a special file";
}

/* Opens path without blocking (a FIFO would wait for a writer), refuses anything but a
 * regular file within the limits, and reads it. */
static bool read_file(const char *path, size_t max_size, char **data, size_t *len, char *err,
                      size_t errlen)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return false;
	}
	struct stat st;
	bool ok = false;
	if (fstat(fd, &st) != 0)
		snprintf(err, errlen, "cannot stat: %s", strerror(errno));
	else if (!S_ISREG(st.st_mode))
		snprintf(err, errlen, "not a regular file (%s)", file_kind(st.st_mode));
	else if (check_size((uint64_t)st.st_size, max_size, "file", err, errlen))
		ok = read_exact(fd, (size_t)st.st_size, data, len, err, errlen);
	close(fd);
	return ok;
}

/* Decodes UTF-16 units from s[0, n) (n even) into out; big-endian when be. Returns the
 * UTF-8 length, or SIZE_MAX with *bad at the offset (in s) of an unpaired surrogate. */
static size_t utf16_to_utf8(const unsigned char *s, size_t n, bool be, char *out, size_t *bad)
{
	char *o = out;
	for (size_t i = 0; i < n; i += 2) {
		unsigned u = be ? (unsigned)s[i] << 8 | s[i + 1] : (unsigned)s[i + 1] << 8 | s[i];
		unsigned cp = u;
		if (u >= 0xD800 && u < 0xE000) {
			unsigned lo = 0;
			if (u < 0xDC00 && i + 3 < n)
				lo = be ? (unsigned)s[i + 2] << 8 | s[i + 3] : (unsigned)s[i + 3] << 8 | s[i + 2];
			if (lo < 0xDC00 || lo >= 0xE000) {
				*bad = i;
				return SIZE_MAX;
			}
			cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			i += 2;
		}
		if (cp < 0x80) {
			*o++ = (char)cp;
		} else if (cp < 0x800) {
			*o++ = (char)(0xC0 | cp >> 6);
			*o++ = (char)(0x80 | (cp & 0x3F));
		} else if (cp < 0x10000) {
			*o++ = (char)(0xE0 | cp >> 12);
			*o++ = (char)(0x80 | (cp >> 6 & 0x3F));
			*o++ = (char)(0x80 | (cp & 0x3F));
		} else {
			*o++ = (char)(0xF0 | cp >> 18);
			*o++ = (char)(0x80 | (cp >> 12 & 0x3F));
			*o++ = (char)(0x80 | (cp >> 6 & 0x3F));
			*o++ = (char)(0x80 | (cp & 0x3F));
		}
	}
	return (size_t)(o - out);
}

/* Replaces the UTF-16 text in *data (after its 2-byte BOM) by UTF-8. Offsets in messages
 * count from the start of the file, BOM included. */
static bool convert_utf16(char **data, size_t *len, bool be, char *err, size_t errlen)
{
	const unsigned char *s = (const unsigned char *)*data + 2;
	size_t n = *len - 2;
	if (n % 2) {
		snprintf(err, errlen, "invalid UTF-16 at byte offset %zu: odd number of bytes",
		         *len - 1);
		return false;
	}
	char *out = xmalloc(n / 2 * 3 + 1);
	size_t bad = 0;
	size_t olen = utf16_to_utf8(s, n, be, out, &bad);
	if (olen == SIZE_MAX) {
		snprintf(err, errlen, "invalid UTF-16 at byte offset %zu: unpaired surrogate", bad + 2);
		free(out);
		return false;
	}
	if (!check_size(olen, SIZE_MAX, "text converted to UTF-8", err, errlen)) {
		free(out);
		return false;
	}
	out[olen] = '\0';
	free(*data);
	*data = out;
	*len = olen;
	return true;
}

bool text_decode(char **data, size_t *len, char *err, size_t errlen)
{
	const unsigned char *s = (const unsigned char *)*data;
	size_t n = *len;
	if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
		memmove(*data, *data + 3, n - 3 + 1);
		*len = n - 3;
		return true;
	}
	if (n >= 4 && s[0] == 0xFF && s[1] == 0xFE && !s[2] && !s[3])
		return true; /* UTF-32LE: not decoded, the parser explains */
	if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE)
		return convert_utf16(data, len, false, err, errlen);
	if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF)
		return convert_utf16(data, len, true, err, errlen);
	return true;
}

bool text_read(struct doc_source *src, const char *path, size_t max_size, char *err,
               size_t errlen)
{
	char *data = NULL;
	size_t len = 0;
	bool ok;
	if (max_size == 0)
		max_size = TEXT_DEFAULT_MAX_SIZE;
	if (strcmp(path, "-") == 0)
		ok = read_stream(STDIN_FILENO, max_size, &data, &len, err, errlen);
	else
		ok = read_file(path, max_size, &data, &len, err, errlen);
	if (ok && !text_decode(&data, &len, err, errlen)) {
		free(data);
		ok = false;
	}
	if (!ok)
		return false;
	free(src->data);
	src->data = data;
	src->len = len;
	return true;
}
