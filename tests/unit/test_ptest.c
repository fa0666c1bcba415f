/* Unit tests for policy tests (src/testing): the outcome of every kind of case and Lua test
 * under tests/data/ptest/root, the reports, -k selection, and `new policy` skeletons that
 * pass their own tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testing/ptest.h"
#include "testutil.h"
#include "util/xalloc.h"

static char *data_root(void)
{
	return testutil_join(testutil_source_dir(), "tests/data/ptest/root");
}

static void run_root(const char *root, const char *pattern, bool coverage,
                     struct ptest_report *r, struct diags *d)
{
	const char *roots[] = {root};
	struct ptest_options o = {.roots = roots, .nroots = 1, .pattern = pattern,
	                          .coverage = coverage};
	ptest_run(&o, r, d);
}

static const struct ptest_result *find(const struct ptest_report *r, const char *name)
{
	for (size_t i = 0; i < r->nresults; i++) {
		if (strcmp(r->results[i].name, name) == 0)
			return &r->results[i];
	}
	fail_msg("no test named '%s'", name);
	return NULL;
}

static void assert_detail(const struct ptest_result *t, const char *needle)
{
	assert_non_null(t->detail);
	if (!strstr(t->detail, needle))
		fail_msg("'%s' not in:\n%s", needle, t->detail);
}

static void test_outcomes(void **state)
{
	(void)state;
	char *root = data_root();
	struct ptest_report r;
	struct diags d = DIAGS_INIT;
	run_root(root, NULL, false, &r, &d);
	assert_int_equal(d.n, 0);
	assert_int_equal(r.passed, 8);
	assert_int_equal(r.failed, 7);
	assert_int_equal(r.skipped, 2);
	assert_int_equal(find(&r, "pass-private")->status, PTEST_PASS);
	assert_true(find(&r, "pass-private")->saw_clean);
	assert_true(find(&r, "fail-public")->saw_finding);
	assert_int_equal(find(&r, "param-config")->status, PTEST_PASS);
	assert_detail(find(&r, "wrong-expectation"), "- missing    high aws_s3_bucket.other");
	assert_detail(find(&r, "bad-expect"), "bad-expect/expect.yaml:4: unknown key");
	assert_detail(find(&r, "missing-expect"), "missing-expect/expect.yaml:1:");
	assert_detail(find(&r, "policy-error"), "bucket-acl.lua:12:");
	assert_detail(find(&r, "(load)"), "broken_test.lua:4:");
	assert_int_equal(find(&r, "fails_on_purpose")->line, 36);
	assert_detail(find(&r, "fails_on_purpose"), "bucket-acl_test.lua:38: expect_none");
	assert_int_equal(find(&r, "unknown_acl_cannot_be_verified")->status, PTEST_PASS);
	assert_int_equal(find(&r, "skipped")->status, PTEST_SKIP);
	assert_string_equal(find(&r, "skipped_for_now")->detail, "grants are not modelled yet");
	ptest_report_free(&r);
	diags_free(&d);
	free(root);
}

static void test_selection_and_reports(void **state)
{
	(void)state;
	char *root = data_root();
	struct ptest_report r;
	struct diags d = DIAGS_INIT;
	struct buf out = BUF_INIT;
	run_root(root, "demo/bucket-acl p*", false, &r, &d);
	/* param-config, pass-private, policy-error, public_read_is_reported, private_passes,
	 * params_override */
	assert_int_equal(r.nresults, 6);
	ptest_write_text(&r, &out);
	assert_non_null(strstr(buf_str(&out), "\n5 passed, 1 failed\n"));
	ptest_report_free(&r);
	buf_reset(&out);
	run_root(root, "skip", false, &r, &d);
	ptest_write_text(&r, &out);
	assert_non_null(strstr(buf_str(&out), "0 passed, 0 failed, 2 skipped\n"));
	buf_reset(&out);
	ptest_write_junit(&r, &out);
	assert_non_null(strstr(buf_str(&out), "<skipped message=\"grants are not modelled yet\"/>"));
	ptest_report_free(&r);
	buf_free(&out);
	diags_free(&d);
	free(root);
}

static void test_missing_root(void **state)
{
	(void)state;
	struct ptest_report r;
	struct diags d = DIAGS_INIT;
	run_root("/nonexistent/policies", NULL, false, &r, &d);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].kind, DIAG_USAGE);
	assert_int_equal(r.nresults, 0);
	ptest_report_free(&r);
	diags_free(&d);
}

static void test_new_policy(void **state)
{
	(void)state;
	char dir[] = "/tmp/moongate-ptest-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct diags d = DIAGS_INIT;
	assert_true(ptest_new_policy(dir, "acme/ai/tagging", &d));
	struct ptest_report r;
	run_root(dir, NULL, true, &r, &d);
	assert_int_equal(d.n, 0);
	assert_int_equal(r.failed, 0);
	assert_int_equal(r.passed, 5);
	assert_int_equal(r.ncover, 1);
	assert_true(r.cover[0].has_pass && r.cover[0].has_fail);
	assert_int_equal(r.cover[0].hit_lines, r.cover[0].code_lines);
	assert_true(r.cover[0].code_lines > 5);
	ptest_report_free(&r);
	assert_false(ptest_new_policy(dir, "acme/ai/tagging", &d)); /* never overwrites */
	assert_false(ptest_new_policy(dir, "../x", &d));
	assert_false(ptest_new_policy(dir, "lib/x", &d));
	assert_int_equal(d.n, 3);
	diags_free(&d);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_selection_and_reports),
		cmocka_unit_test(test_missing_root),
		cmocka_unit_test(test_new_policy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
