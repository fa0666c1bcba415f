/* The example organisation root (examples/policies) over a small plan. */
#include "test_engine_fixture.h"

static const char plan_json[] =
	"{\"rc\": [\n"
	"{\"values\": {\"tags\": {\"owner\": \"a\", \"cost-center\": \"42\"}, \"tags_all\": {}}},\n"
	"{\"values\": {\"tags\": {\"owner\": \"a\"}, \"tags_all\": {\"owner\": \"a\"}}},\n"
	"{\"values\": {\"policy\": \"{}\"}},\n"
	"{\"values\": {\"tags\": {\"owner\": \"a\"}}, \"unknown\": {\"tags\": {\"cost-center\": true}}},\n"
	"{\"values\": {\"name\": \"x\"}, \"unknown\": {\"tags\": true}},\n"
	"{\"values\": {\"tags\": {\"owner\": \"b\", \"cost-center\": \"  \"}}},\n"
	"{\"values\": {\"labels\": {\"owner\": \"c\", \"cost-center\": \"7\"}}}\n"
	"]}\n";

static const struct {
	const char *address, *type, *cloud;
} resources[] = {
	{"aws_s3_bucket.ok", "aws_s3_bucket", "aws"},
	{"aws_s3_bucket.missing", "aws_s3_bucket", "aws"},
	{"aws_iam_policy.untaggable", "aws_iam_policy", "aws"},
	{"aws_instance.partly_unknown", "aws_instance", "aws"},
	{"aws_instance.unknown", "aws_instance", "aws"},
	{"azurerm_storage_account.blank", "azurerm_storage_account", "azure"},
	{"google_storage_bucket.ok", "google_storage_bucket", "gcp"},
};

static void test_required_tags(void **state)
{
	(void)state;
	char *root = testutil_join(testutil_source_dir(), "examples/policies");
	struct diags d = DIAGS_INIT;
	struct engine *e = fx_engine(root, NULL, &d);
	fx_print_diags(&d);
	assert_int_equal(d.n, 0);
	assert_int_equal(engine_policy_count(e), 1);
	assert_string_equal(engine_policy(e, 0)->id, "acme/required-tags");
	struct model m;
	model_init(&m);
	size_t in = fx_input(&m, "plan.json", plan_json);
	for (size_t i = 0; i < sizeof resources / sizeof resources[0]; i++) {
		char *node = xasprintf("rc.%zu", i);
		fx_resource(&m, in, resources[i].address, resources[i].type, node)->cloud =
			xstrdup(resources[i].cloud);
		free(node);
	}
	struct findings f = FINDINGS_INIT;
	engine_run(e, &m, &f, &d);
	fx_print_diags(&d);
	assert_int_equal(d.n, 0);
	assert_int_equal(f.n, 4);
	assert_null(fx_finding(&f, "acme/required-tags", "aws_s3_bucket.ok"));
	assert_null(fx_finding(&f, "acme/required-tags", "aws_iam_policy.untaggable"));
	assert_null(fx_finding(&f, "acme/required-tags", "google_storage_bucket.ok"));
	const struct finding *x = fx_finding(&f, "acme/required-tags", "aws_s3_bucket.missing");
	assert_non_null(x);
	assert_string_equal(x->message, "aws_s3_bucket.missing has no 'cost-center' tag");
	assert_int_equal(x->severity, SEV_MEDIUM);
	assert_string_equal(x->path, "tags");
	assert_int_equal(x->line, 3);
	x = fx_finding(&f, "acme/required-tags", "aws_instance.partly_unknown");
	assert_non_null(x);
	assert_true(x->cannot_verify);
	assert_int_equal(x->severity, SEV_LOW);
	assert_string_equal(x->path, "tags.cost-center");
	x = fx_finding(&f, "acme/required-tags", "aws_instance.unknown");
	assert_non_null(x);
	assert_true(x->cannot_verify);
	x = fx_finding(&f, "acme/required-tags", "azurerm_storage_account.blank");
	assert_non_null(x);
	assert_false(x->cannot_verify);
	assert_non_null(strstr(x->message, "'cost-center'"));
	findings_free(&f);
	model_free(&m);
	engine_free(e);
	diags_free(&d);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_required_tags),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
