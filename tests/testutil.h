/* Helpers shared by the unit tests. */
#ifndef MG_TESTS_TESTUTIL_H
#define MG_TESTS_TESTUTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/model.h"

/* The shared corpus directory, or NULL (with a loud note on stderr) when it is absent:
 * tests that need it then call skip(). */
const char *testutil_corpus(void);
/* The repository's source directory (MOONGATE_SOURCE_DIR). */
const char *testutil_source_dir(void);
/* Reads a whole file into a new NUL-terminated buffer; NULL if it cannot be read. */
char *testutil_read(const char *path, size_t *len);
/* Joins a directory and a name into a new string. */
char *testutil_join(const char *dir, const char *name);

/* Parses text (a JSON document where ' stands for ") as the Terraform input `name` of format
 * fmt (plan, state or .tf.json) into m and normalises it; a parse error fails the test.
 * Returns the input's index. */
size_t testutil_load_tf(struct model *m, const char *name, enum model_format fmt,
                        const char *text);
/* The resource of m with that address; fails the test when there is none. */
const struct model_resource *testutil_resource(const struct model *m, const char *address);
/* The resource's region is known: region, resolved by source. */
void testutil_assert_region(const struct model *m, const char *address, const char *region,
                            const char *source);
/* The resource's region is unknown, for the reason why. */
void testutil_assert_unknown(const struct model *m, const char *address, const char *why);

#endif
