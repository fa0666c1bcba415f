/* Unit tests for the Terraform state normaliser (load/tfstate.c). States are written inline
 * with ' for " to stay readable; load() swaps them back. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "load/json.h"
#include "load/normalise.h"
#include "model/region.h"

/* Parses text (with ' standing for ") into m as terraform.tfstate. */
static void load(struct model *m, const char *text)
{
	testutil_load_tf(m, "terraform.tfstate", FORMAT_TFSTATE, text);
}

static const char raw_state[] =
	"{'version':4,'terraform_version':'1.9.0','serial':3,'lineage':'x','outputs':{},"
	"'resources':["
	"{'mode':'managed','type':'aws_instance','name':'web',"
	" 'provider':'provider[\\'registry.terraform.io/hashicorp/aws\\']','instances':["
	"  {'index_key':0,'schema_version':1,'attributes':{'availability_zone':'eu-west-1b'}},"
	"  {'index_key':1,'schema_version':1,'attributes':{'arn':"
	"   'arn:aws:ec2:eu-west-1:1:instance/i-2'}}]},"
	"{'module':'module.kv[\\'a\\']','mode':'data','type':'aws_region','name':'here',"
	" 'provider':'module.kv[\\'a\\'].provider[\\'registry.terraform.io/hashicorp/aws\\'].west',"
	" 'instances':[{'schema_version':0,'attributes':{'name':'us-east-2','region':'us-east-2'}}]},"
	"{'mode':'managed','type':'aws_sqs_queue','name':'q','provider':'provider.aws',"
	" 'instances':[{'index_key':'blue','attributes':{'name':'q'}}]},"
	"{'mode':'managed','type':'null_resource','name':'n','provider':'provider.null',"
	" 'instances':[]},"
	"{'mode':'managed','type':'azurerm_cognitive_account','name':'ai',"
	" 'provider':'provider[\\'registry.terraform.io/hashicorp/azurerm\\']','instances':["
	"  {'attributes':{'id':'/subscriptions/1/resourceGroups/rg/providers/"
	"Microsoft.CognitiveServices/accounts/ai','location':'francecentral'}}]},"
	"{'mode':'managed','type':'azurerm_cognitive_deployment','name':'gpt',"
	" 'provider':'provider[\\'registry.terraform.io/hashicorp/azurerm\\']','instances':["
	"  {'attributes':{'cognitive_account_id':'/subscriptions/1/resourceGroups/RG/providers/"
	"Microsoft.CognitiveServices/accounts/ai','name':'gpt'}}]}"
	"]}";

static void test_raw_v4(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	load(&m, raw_state);
	assert_int_equal(m.nresources, 6);
	testutil_assert_region(&m, "aws_instance.web[0]", "eu-west-1", "availability_zone");
	testutil_assert_region(&m, "aws_instance.web[1]", "eu-west-1", "arn");
	const struct model_resource *here = testutil_resource(&m, "module.kv[\"a\"].data.aws_region.here");
	assert_string_equal(here->mode, "data");
	assert_string_equal(here->module, "module.kv[\"a\"]");
	assert_string_equal(here->provider, "registry.terraform.io/hashicorp/aws");
	testutil_assert_region(&m, "module.kv[\"a\"].data.aws_region.here", "us-east-2", "attribute");
	const struct model_resource *q = testutil_resource(&m, "aws_sqs_queue.q[\"blue\"]");
	assert_string_equal(q->provider, "aws");
	assert_string_equal(q->cloud, "aws");
	assert_int_equal(q->region_state, REGION_UNKNOWN);
	assert_string_equal(q->region_source, REGION_WHY_STATE);
	assert_int_equal(q->format, FORMAT_TFSTATE);
	assert_int_not_equal(q->values, DOC_NONE);
	testutil_assert_region(&m, "azurerm_cognitive_account.ai", "francecentral", "attribute");
	testutil_assert_region(&m, "azurerm_cognitive_deployment.gpt", "francecentral", "parent");
	model_free(&m);
}

static const char show_state[] =
	"{'format_version':'1.0','terraform_version':'1.9.0','values':{'root_module':{"
	" 'resources':[{'address':'google_compute_instance.vm','mode':'managed',"
	"  'type':'google_compute_instance','name':'vm',"
	"  'provider_name':'registry.terraform.io/hashicorp/google',"
	"  'values':{'zone':'europe-west3-c'},'sensitive_values':{}}],"
	" 'child_modules':[{'address':'module.a','child_modules':[{'address':'module.a.module.b',"
	"  'resources':[{'address':'module.a.module.b.azurerm_subnet.s[\\'x\\']','mode':'managed',"
	"   'type':'azurerm_subnet','name':'s','index':'x','provider_name':"
	"   'registry.terraform.io/hashicorp/azurerm','values':{'name':'s'}}]}]}]}}}";

static void test_show_json(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	load(&m, show_state);
	assert_int_equal(m.nresources, 2);
	testutil_assert_region(&m, "google_compute_instance.vm", "europe-west3", "zone");
	assert_int_not_equal(testutil_resource(&m, "google_compute_instance.vm")->sensitive, DOC_NONE);
	const struct model_resource *s = testutil_resource(&m, "module.a.module.b.azurerm_subnet.s[\"x\"]");
	assert_string_equal(s->module, "module.a.module.b");
	assert_int_equal(s->region_state, REGION_UNKNOWN);
	assert_string_equal(s->region_source, REGION_WHY_PARENT);
	assert_int_equal(s->actions, 0);
	model_free(&m);
}

static void test_empty_and_odd(void **state)
{
	(void)state;
	static const char *const odd[] = {
		"{'format_version':'1.0'}", "[]", "{'version':4,'resources':{}}",
		"{'version':4,'resources':[{'type':'aws_x','name':'n','instances':[{}]}]}",
		"{'values':{'root_module':{'resources':[{'type':5}],'child_modules':{}}}}",
	};
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		struct model m;
		model_init(&m);
		load(&m, odd[i]);
		assert_int_equal(m.nresources, i == 3 ? 1 : 0);
		model_free(&m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raw_v4),
		cmocka_unit_test(test_show_json),
		cmocka_unit_test(test_empty_and_odd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
