/* Unit tests for the huge-page restart decision (util/heap.c). */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "util/heap.h"

static const char madvise_mode[] = "always [madvise] never\n";

static void test_decision(void **state)
{
	(void)state;
	assert_true(heap_wants_restart(madvise_mode, NULL, HEAP_HUGE_MIN));
	assert_true(heap_wants_restart(madvise_mode, "glibc.malloc.arena_max=2", HEAP_HUGE_MIN));
	assert_false(heap_wants_restart(madvise_mode, NULL, HEAP_HUGE_MIN - 1)); /* small input */
	/* the system backs every heap with huge pages already, or never does */
	assert_false(heap_wants_restart("[always] madvise never\n", NULL, HEAP_HUGE_MIN));
	assert_false(heap_wants_restart("always madvise [never]\n", NULL, HEAP_HUGE_MIN));
	assert_false(heap_wants_restart(NULL, NULL, HEAP_HUGE_MIN));
	/* the tunable named already, whatever its value: also what stops a second restart */
	assert_false(heap_wants_restart(madvise_mode, "glibc.malloc.hugetlb=0", HEAP_HUGE_MIN));
	assert_false(heap_wants_restart(madvise_mode, "a=1:glibc.malloc.hugetlb=1", HEAP_HUGE_MIN));
}

static void test_tunables(void **state)
{
	(void)state;
	char *v = heap_tunables(NULL);
	assert_string_equal(v, "glibc.malloc.hugetlb=1");
	free(v);
	v = heap_tunables("");
	assert_string_equal(v, "glibc.malloc.hugetlb=1");
	free(v);
	v = heap_tunables("glibc.malloc.arena_max=2");
	assert_string_equal(v, "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");
	assert_false(heap_wants_restart(madvise_mode, v, HEAP_HUGE_MIN));
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decision),
		cmocka_unit_test(test_tunables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
