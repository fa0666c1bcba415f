/* Unit tests for the file reader (load/text.c): file kinds, limits, encodings. */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load/text.h"
#include "util/xalloc.h"

/* A temporary directory for the test files, removed at the end. */
static char tmpdir[] = "/tmp/moongate-text-XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	int rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

/* Writes n bytes to a new file in tmpdir; returns its path (caller frees). */
static char *write_file(const char *name, const void *data, size_t n)
{
	char *path = testutil_join(tmpdir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
	return path;
}

/* Reads path with text_read; on success returns true and fills src. */
static bool read_path(const char *path, size_t max, struct doc_source *src, char *err)
{
	memset(src, 0, sizeof *src);
	err[0] = '\0';
	return text_read(src, path, max, err, 200);
}

static void test_plain_file(void **state)
{
	(void)state;
	char *path = write_file("plain.json", "{\"a\": 1}\n", 9);
	struct doc_source src;
	char err[200];
	assert_true(read_path(path, 0, &src, err));
	assert_int_equal(src.len, 9);
	assert_string_equal(src.data, "{\"a\": 1}\n");
	assert_int_equal(src.data[9], '\0');
	free(src.data);
	free(path);

	path = write_file("empty.json", "", 0);
	assert_true(read_path(path, 0, &src, err));
	assert_int_equal(src.len, 0);
	assert_int_equal(src.data[0], '\0');
	free(src.data);
	free(path);
}

static void test_not_regular(void **state)
{
	(void)state;
	struct doc_source src;
	char err[200];
	assert_false(read_path(tmpdir, 0, &src, err));
	assert_string_equal(err, "not a regular file (a directory)");
	assert_null(src.data);

	char *fifo = testutil_join(tmpdir, "fifo");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_false(read_path(fifo, 0, &src, err)); /* must not block waiting for a writer */
	assert_string_equal(err, "not a regular file (a FIFO)");
	free(fifo);

	if (access("/dev/null", R_OK) == 0) {
		assert_false(read_path("/dev/null", 0, &src, err));
		assert_string_equal(err, "not a regular file (a device)");
	}
}

static void test_missing(void **state)
{
	(void)state;
	struct doc_source src;
	char err[200];
	char *path = testutil_join(tmpdir, "no-such-file.json");
	assert_false(read_path(path, 0, &src, err));
	assert_string_equal(err, "cannot open: No such file or directory");
	free(path);
}

static void test_size_limit(void **state)
{
	(void)state;
	char data[1536];
	memset(data, ' ', sizeof data);
	char *path = write_file("big.json", data, sizeof data);
	struct doc_source src;
	char err[200];
	assert_false(read_path(path, 1024, &src, err));
	assert_string_equal(err, "file is 1.5 KB, over the 1 KB limit (--max-file-size)");
	assert_false(read_path(path, 100, &src, err));
	assert_string_equal(err, "file is 1.5 KB, over the 100 bytes limit (--max-file-size)");
	assert_true(read_path(path, 1536, &src, err));
	assert_int_equal(src.len, 1536);
	free(src.data);
	free(path);
}

static void test_utf8_bom(void **state)
{
	(void)state;
	char *path = write_file("bom.json", "\xef\xbb\xbf[\"\xc3\xa9\"]", 9);
	struct doc_source src;
	char err[200];
	assert_true(read_path(path, 0, &src, err));
	assert_int_equal(src.len, 6);
	assert_string_equal(src.data, "[\"\xc3\xa9\"]");
	free(src.data);
	free(path);
}

/* ["é😀"] in UTF-16, little- or big-endian, with a BOM. */
static const unsigned char utf16le[] = {0xFF, 0xFE, '[', 0, '"', 0, 0xE9, 0, 0x3D, 0xD8,
                                        0x00, 0xDE, '"', 0, ']', 0};
static const unsigned char utf16be[] = {0xFE, 0xFF, 0, '[', 0, '"', 0, 0xE9, 0xD8, 0x3D,
                                        0xDE, 0x00, 0, '"', 0, ']'};
static const char utf8_text[] = "[\"\xc3\xa9\xf0\x9f\x98\x80\"]";

static void test_utf16(void **state)
{
	(void)state;
	const unsigned char *inputs[] = {utf16le, utf16be};
	for (int k = 0; k < 2; k++) {
		char *path = write_file("u16.json", inputs[k], sizeof utf16le);
		struct doc_source src;
		char err[200];
		assert_true(read_path(path, 0, &src, err));
		assert_int_equal(src.len, strlen(utf8_text));
		assert_string_equal(src.data, utf8_text);
		free(src.data);
		free(path);
	}
}

static void test_utf16_invalid(void **state)
{
	(void)state;
	/* a high surrogate followed by 'x': unpaired, at byte offset 4 of the file */
	static const unsigned char lone[] = {0xFF, 0xFE, '[', 0, 0x3D, 0xD8, 'x', 0, ']', 0};
	/* a low surrogate first */
	static const unsigned char low[] = {0xFE, 0xFF, 0, '[', 0xDE, 0x00, 0, ']'};
	/* high surrogate as the last unit */
	static const unsigned char tail[] = {0xFF, 0xFE, '[', 0, 0x3D, 0xD8};
	static const unsigned char odd[] = {0xFF, 0xFE, '[', 0, ']'};
	struct doc_source src;
	char err[200];
	char *path = write_file("lone.json", lone, sizeof lone);
	assert_false(read_path(path, 0, &src, err));
	assert_string_equal(err, "invalid UTF-16 at byte offset 4: unpaired surrogate");
	assert_null(src.data);
	free(path);
	path = write_file("low.json", low, sizeof low);
	assert_false(read_path(path, 0, &src, err));
	assert_string_equal(err, "invalid UTF-16 at byte offset 4: unpaired surrogate");
	free(path);
	path = write_file("tail.json", tail, sizeof tail);
	assert_false(read_path(path, 0, &src, err));
	assert_string_equal(err, "invalid UTF-16 at byte offset 4: unpaired surrogate");
	free(path);
	path = write_file("odd.json", odd, sizeof odd);
	assert_false(read_path(path, 0, &src, err));
	assert_string_equal(err, "invalid UTF-16 at byte offset 4: odd number of bytes");
	free(path);
}

/* UTF-32 and BOM-less UTF-16 stay as they are: the parser rejects them with its message. */
static void test_not_decoded(void **state)
{
	(void)state;
	static const unsigned char utf32le[] = {0xFF, 0xFE, 0, 0, '[', 0, 0, 0, ']', 0, 0, 0};
	static const unsigned char nobom[] = {'[', 0, ']', 0};
	const unsigned char *inputs[] = {utf32le, nobom};
	size_t sizes[] = {sizeof utf32le, sizeof nobom};
	for (int k = 0; k < 2; k++) {
		char *path = write_file("raw.json", inputs[k], sizes[k]);
		struct doc_source src;
		char err[200];
		assert_true(read_path(path, 0, &src, err));
		assert_int_equal(src.len, sizes[k]);
		assert_memory_equal(src.data, inputs[k], sizes[k]);
		free(src.data);
		free(path);
	}
}

static void test_decode_buffer(void **state)
{
	(void)state;
	char err[200];
	size_t len = sizeof utf16le;
	char *data = xmalloc(len + 1);
	memcpy(data, utf16le, len);
	data[len] = '\0';
	assert_true(text_decode(&data, &len, err, sizeof err));
	assert_int_equal(len, strlen(utf8_text));
	assert_string_equal(data, utf8_text);
	free(data);

	len = 4;
	data = xstrdup("abcd");
	assert_true(text_decode(&data, &len, err, sizeof err));
	assert_string_equal(data, "abcd");
	free(data);
}

static void test_corpus_utf16_plan(void **state)
{
	(void)state;
	const char *corpus = testutil_corpus();
	if (!corpus)
		skip();
	char *p16 = testutil_join(corpus, "tfplan/checkov__plan_encodings_win_utf16le_bom.json");
	struct doc_source src;
	char err[200];
	assert_true(read_path(p16, 0, &src, err));
	assert_true(src.len > 1000);
	assert_int_equal(src.data[0], '{');
	assert_null(memchr(src.data, '\0', src.len));
	free(src.data);
	free(p16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_file),
		cmocka_unit_test(test_not_regular),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_utf8_bom),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_utf16_invalid),
		cmocka_unit_test(test_not_decoded),
		cmocka_unit_test(test_decode_buffer),
		cmocka_unit_test(test_corpus_utf16_plan),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
