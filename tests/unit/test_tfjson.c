/* Unit tests for the Terraform JSON configuration normaliser (load/tfjson.c). Files are
 * written inline with ' for " to stay readable; load() swaps them back. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "load/json.h"
#include "load/normalise.h"
#include "model/region.h"

/* Parses text (with ' standing for ") into m as main.tf.json. */
static void load(struct model *m, const char *text)
{
	testutil_load_tf(m, "main.tf.json", FORMAT_TFJSON, text);
}

static const char aws_file[] =
	"{'terraform':{'required_providers':{'aws':{'source':'hashicorp/aws'}}},"
	"'variable':{'region':{'default':'eu-central-1'},'other':{}},"
	"'provider':{'aws':[{'region':'${var.region}'},"
	"  {'alias':'east','region':'us-east-1'},{'alias':'dyn','region':'${local.r}'},"
	"  {'alias':'none','region':'${var.other}'}]},"
	"'resource':{'aws_s3_bucket':{"
	"  'a':{'bucket':'a'},"
	"  'b':[{'bucket':'b','provider':'aws.east'}],"
	"  'c':{'provider':'${aws.dyn}'},"
	"  'd':{'provider':'aws.none'},"
	"  'e':{'region':'ap-south-2'}},"
	" 'aws_iam_role':{'r':{'name':'r','provider':'aws.missing'}}},"
	"'data':[{'aws_caller_identity':{'me':{}}}]}";

static void test_aws(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	load(&m, aws_file);
	assert_int_equal(m.nresources, 7);
	const struct model_resource *a = testutil_resource(&m, "aws_s3_bucket.a");
	assert_string_equal(a->provider, "hashicorp/aws");
	assert_string_equal(a->cloud, "aws");
	assert_string_equal(a->mode, "managed");
	assert_int_equal(a->format, FORMAT_TFJSON);
	assert_int_equal(a->values, a->node);
	testutil_assert_region(&m, "aws_s3_bucket.a", "eu-central-1", "variable");
	testutil_assert_region(&m, "aws_s3_bucket.b", "us-east-1", "provider");
	testutil_assert_unknown(&m, "aws_s3_bucket.c", REGION_WHY_EXPR);
	testutil_assert_unknown(&m, "aws_s3_bucket.d", REGION_WHY_EXPR);
	testutil_assert_region(&m, "aws_s3_bucket.e", "ap-south-2", "attribute");
	testutil_assert_region(&m, "aws_iam_role.r", "global", "global");
	assert_string_equal(testutil_resource(&m, "data.aws_caller_identity.me")->mode, "data");
	testutil_assert_region(&m, "data.aws_caller_identity.me", "eu-central-1", "variable");
	model_free(&m);
}

static const char azure_gcp_file[] =
	"{'variable':[{'loc':{'default':'North Europe'}}],"
	"'provider':[{'google':{'zone':'asia-east1-b'}}],"
	"'resource':[{'azurerm_cognitive_account':{'ai':{'location':'${var.loc}'}}},"
	" {'azurerm_cognitive_deployment':{'gpt':{"
	"  'cognitive_account_id':'${azurerm_cognitive_account.ai.id}'}}},"
	" {'azurerm_storage_account':{'sa':{'location':'${azurerm_resource_group.rg.location}'}}},"
	" {'azurerm_resource_group':{'rg':{'location':'West US 2'}}},"
	" {'azurerm_role_assignment':{'ra':{'scope':'${azurerm_resource_group.rg.id}'}}},"
	" {'google_storage_bucket':{'b':{'location':'US'}}},"
	" {'google_pubsub_topic':{'t':{}}},"
	" {'random_id':{'x':{}}}]}";

static void test_azure_and_google(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	load(&m, azure_gcp_file);
	assert_int_equal(m.nresources, 8);
	testutil_assert_region(&m, "azurerm_cognitive_account.ai", "northeurope", "variable");
	testutil_assert_region(&m, "azurerm_cognitive_deployment.gpt", "northeurope", "parent");
	testutil_assert_region(&m, "azurerm_storage_account.sa", "westus2", "parent");
	testutil_assert_region(&m, "azurerm_resource_group.rg", "westus2", "attribute");
	testutil_assert_unknown(&m, "azurerm_role_assignment.ra", REGION_WHY_PARENT);
	testutil_assert_region(&m, "google_storage_bucket.b", "US", "attribute");
	testutil_assert_region(&m, "google_pubsub_topic.t", "asia-east1", "provider");
	const struct model_resource *x = testutil_resource(&m, "random_id.x");
	assert_null(x->cloud);
	assert_int_equal(x->region_state, REGION_NONE);
	model_free(&m);
}

static void test_odd_shapes(void **state)
{
	(void)state;
	static const char *const odd[] = {
		"{}", "[]", "{'resource':5}", "{'resource':{'aws_x':7}}",
		"{'resource':{'aws_x':{'n':[1,null]}}}", "{'resource':[[{'aws_x':{}}]]}",
		"{'provider':7,'variable':[1],'resource':{'aws_x':{'n':{'region':'${var.r}'}}}}",
	};
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		struct model m;
		model_init(&m);
		load(&m, odd[i]);
		assert_int_equal(m.nresources, i == 6 ? 1 : 0);
		model_free(&m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aws),
		cmocka_unit_test(test_azure_and_google),
		cmocka_unit_test(test_odd_shapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
