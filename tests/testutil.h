/* Helpers shared by the unit tests. */
#ifndef MG_TESTS_TESTUTIL_H
#define MG_TESTS_TESTUTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* The shared corpus directory, or NULL (with a loud note on stderr) when it is absent:
 * tests that need it then call skip(). */
const char *testutil_corpus(void);
/* The repository's source directory (MOONGATE_SOURCE_DIR). */
const char *testutil_source_dir(void);
/* Reads a whole file into a new NUL-terminated buffer; NULL if it cannot be read. */
char *testutil_read(const char *path, size_t *len);
/* Joins a directory and a name into a new string. */
char *testutil_join(const char *dir, const char *name);

#endif
