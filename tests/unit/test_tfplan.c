/* Unit tests for the Terraform plan normaliser (load/tfplan.c) and its region resolution.
 * Plans are written inline with ' for " to stay readable; load() swaps them back. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "load/json.h"
#include "load/normalise.h"
#include "model/region.h"

/* Parses text (with ' standing for ") into m as plan.json. */
static size_t load(struct model *m, const char *text)
{
	return testutil_load_tf(m, "plan.json", FORMAT_TFPLAN, text);
}

#define AWS "'provider_name':'registry.terraform.io/hashicorp/aws'"

/* Aliases, var.region, module inheritance, count/for_each addresses. */
static const char aliases_plan[] =
	"{'format_version':'1.2','variables':{'region':{'value':'eu-west-1'}},"
	"'resource_changes':["
	"{'address':'aws_s3_bucket.a','mode':'managed','type':'aws_s3_bucket','name':'a'," AWS ","
	" 'change':{'actions':['create'],'before':null,'after':{'bucket':'a'},"
	"  'after_unknown':{'region':true,'arn':true}}},"
	"{'address':'aws_s3_bucket.b[\\'x\\']','mode':'managed','type':'aws_s3_bucket','name':'b',"
	" 'index':'x'," AWS ",'change':{'actions':['create'],'before':null,'after':{}}},"
	"{'address':'module.net[0].aws_vpc.main[1]','module_address':'module.net[0]',"
	" 'mode':'managed','type':'aws_vpc','name':'main','index':1," AWS ","
	" 'change':{'actions':['create'],'before':null,'after':{'cidr_block':'10.0.0.0/16'}}}"
	"],"
	"'configuration':{'provider_config':{"
	" 'aws':{'name':'aws','full_name':'registry.terraform.io/hashicorp/aws',"
	"  'expressions':{'region':{'references':['var.region']}}},"
	" 'aws.us':{'name':'aws','alias':'us','expressions':{'region':{'constant_value':'us-east-1'}}}},"
	" 'root_module':{'resources':["
	"  {'address':'aws_s3_bucket.a','mode':'managed','type':'aws_s3_bucket','name':'a',"
	"   'provider_config_key':'aws','expressions':{'bucket':{'constant_value':'a'}}},"
	"  {'address':'aws_s3_bucket.b','mode':'managed','type':'aws_s3_bucket','name':'b',"
	"   'provider_config_key':'aws.us','expressions':{}}],"
	"  'module_calls':{'net':{'source':'./net','module':{'resources':["
	"   {'address':'aws_vpc.main','mode':'managed','type':'aws_vpc','name':'main',"
	"    'provider_config_key':'module.net:aws','expressions':{}}]}}}}}}";

static void test_aliases_and_modules(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	load(&m, aliases_plan);
	assert_int_equal(m.nresources, 3);
	testutil_assert_region(&m, "aws_s3_bucket.a", "eu-west-1", "variable");
	testutil_assert_region(&m, "aws_s3_bucket.b[\"x\"]", "us-east-1", "provider");
	testutil_assert_region(&m, "module.net[0].aws_vpc.main[1]", "eu-west-1", "variable");
	const struct model_resource *vpc = testutil_resource(&m, "module.net[0].aws_vpc.main[1]");
	assert_string_equal(vpc->module, "module.net[0]");
	assert_string_equal(vpc->cloud, "aws");
	assert_string_equal(vpc->mode, "managed");
	assert_string_equal(vpc->name, "main");
	assert_int_equal(vpc->actions, ACTION_CREATE);
	assert_null(testutil_resource(&m, "aws_s3_bucket.a")->module);
	model_free(&m);
}

/* Terraform 0.12: short provider names and "module:provider" keys, nested modules. */
static const char old_plan[] =
	"{'format_version':'0.1','terraform_version':'0.12.29',"
	"'resource_changes':["
	"{'address':'module.a.module.b.aws_sqs_queue.q','module_address':'module.a.module.b',"
	" 'mode':'managed','type':'aws_sqs_queue','name':'q','provider_name':'aws',"
	" 'change':{'actions':['create'],'before':null,'after':{'name':'q'}}},"
	"{'address':'module.a.aws_sqs_queue.p','module_address':'module.a',"
	" 'mode':'managed','type':'aws_sqs_queue','name':'p','provider_name':'aws',"
	" 'change':{'actions':['create'],'before':null,'after':{'name':'p'}}}],"
	"'configuration':{'provider_config':{"
	" 'a:aws':{'name':'aws','expressions':{'region':{'constant_value':'ap-south-1'}}}},"
	" 'root_module':{'module_calls':{'a':{'module':{"
	"  'resources':[{'address':'aws_sqs_queue.p','mode':'managed','type':'aws_sqs_queue',"
	"   'name':'p','provider_config_key':'a:aws'}],"
	"  'module_calls':{'b':{'module':{'resources':[{'address':'aws_sqs_queue.q',"
	"   'mode':'managed','type':'aws_sqs_queue','name':'q','provider_config_key':'b:aws'}]}}}"
	"}}}}}}";

static void test_old_keys(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	load(&m, old_plan);
	testutil_assert_region(&m, "module.a.aws_sqs_queue.p", "ap-south-1", "provider");
	testutil_assert_region(&m, "module.a.module.b.aws_sqs_queue.q", "ap-south-1", "provider");
	assert_string_equal(testutil_resource(&m, "module.a.aws_sqs_queue.p")->provider, "aws");
	assert_string_equal(testutil_resource(&m, "module.a.aws_sqs_queue.p")->cloud, "aws");
	model_free(&m);
}

/* A provider configured inside a module from a module variable set by the caller. */
static const char module_var_plan[] =
	"{'format_version':'1.2','variables':{'home':{'value':'eu-north-1'}},"
	"'resource_changes':["
	"{'address':'module.m.aws_sns_topic.t','module_address':'module.m','mode':'managed',"
	" 'type':'aws_sns_topic','name':'t'," AWS ",'change':{'actions':['create'],"
	" 'before':null,'after':{}}},"
	"{'address':'module.d.aws_sns_topic.t','module_address':'module.d','mode':'managed',"
	" 'type':'aws_sns_topic','name':'t'," AWS ",'change':{'actions':['create'],"
	" 'before':null,'after':{}}}],"
	"'configuration':{'provider_config':{"
	" 'module.m:aws':{'name':'aws','module_address':'module.m',"
	"  'expressions':{'region':{'references':['var.where']}}},"
	" 'module.d:aws':{'name':'aws','module_address':'module.d',"
	"  'expressions':{'region':{'references':['var.where']}}}},"
	" 'root_module':{'module_calls':{"
	"  'm':{'expressions':{'where':{'references':['var.home']}},'module':{"
	"   'resources':[{'mode':'managed','type':'aws_sns_topic','name':'t',"
	"    'provider_config_key':'module.m:aws'}]}},"
	"  'd':{'module':{'variables':{'where':{'default':'eu-south-2'}},"
	"   'resources':[{'mode':'managed','type':'aws_sns_topic','name':'t',"
	"    'provider_config_key':'module.d:aws'}]}}}}}}";

static void test_module_variables(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	load(&m, module_var_plan);
	testutil_assert_region(&m, "module.m.aws_sns_topic.t", "eu-north-1", "variable");
	testutil_assert_region(&m, "module.d.aws_sns_topic.t", "eu-south-2", "variable");
	model_free(&m);
}

/* Deletes, replacements, unknowns, data sources, ARN, zone, global and missing config. */
static const char misc_plan[] =
	"{'format_version':'1.2',"
	"'resource_changes':["
	"{'address':'aws_instance.gone','mode':'managed','type':'aws_instance','name':'gone'," AWS ","
	" 'change':{'actions':['delete'],'before':{'region':'sa-east-1','id':'i-1'},'after':null,"
	"  'after_unknown':{}}},"
	"{'address':'aws_instance.swap','mode':'managed','type':'aws_instance','name':'swap'," AWS ","
	" 'change':{'actions':['delete','create'],'before':{},"
	"  'after':{'availability_zone':'us-west-2-lax-1a'},'after_unknown':{'region':true}}},"
	"{'address':'aws_kms_key.k','mode':'managed','type':'aws_kms_key','name':'k'," AWS ","
	" 'change':{'actions':['update'],'before':{},"
	"  'after':{'arn':'arn:aws:kms:eu-west-3:123456789012:key/x'},'after_unknown':{}}},"
	"{'address':'aws_iam_role.r','mode':'managed','type':'aws_iam_role','name':'r'," AWS ","
	" 'change':{'actions':['no-op'],'before':{},'after':{'arn':'arn:aws:iam::1:role/r'}}},"
	"{'address':'aws_sqs_queue.q','mode':'managed','type':'aws_sqs_queue','name':'q'," AWS ","
	" 'change':{'actions':['create'],'before':null,'after':{},'after_unknown':{'region':true}}},"
	"{'address':'aws_sqs_queue.set','mode':'managed','type':'aws_sqs_queue','name':'set'," AWS ","
	" 'change':{'actions':['create'],'before':null,'after':{},'after_unknown':{'region':true}}},"
	"{'address':'data.aws_caller_identity.me','mode':'data','type':'aws_caller_identity',"
	" 'name':'me'," AWS ",'change':{'actions':['read'],'before':null,'after':{}}},"
	"{'address':'random_id.x','mode':'managed','type':'random_id','name':'x',"
	" 'provider_name':'registry.terraform.io/hashicorp/random',"
	" 'change':{'actions':['create'],'before':null,'after':{}}}],"
	"'configuration':{'root_module':{'resources':["
	" {'mode':'managed','type':'aws_sqs_queue','name':'set','provider_config_key':'aws',"
	"  'expressions':{'region':{'references':['aws_s3_bucket.b.region']}}},"
	" {'mode':'managed','type':'aws_sqs_queue','name':'q','provider_config_key':'aws'},"
	" {'mode':'data','type':'aws_caller_identity','name':'me','provider_config_key':'aws'}]}}}";

static void test_misc(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	load(&m, misc_plan);
	assert_int_equal(m.nresources, 8);
	const struct model_resource *gone = testutil_resource(&m, "aws_instance.gone");
	assert_int_equal(gone->actions, ACTION_DELETE);
	assert_int_equal(gone->values, gone->before);
	testutil_assert_region(&m, "aws_instance.gone", "sa-east-1", "attribute");
	assert_int_equal(testutil_resource(&m, "aws_instance.swap")->actions, ACTION_DELETE | ACTION_CREATE);
	testutil_assert_region(&m, "aws_instance.swap", "us-west-2", "availability_zone");
	testutil_assert_region(&m, "aws_kms_key.k", "eu-west-3", "arn");
	testutil_assert_region(&m, "aws_iam_role.r", "global", "global");
	assert_int_equal(testutil_resource(&m, "aws_iam_role.r")->actions, ACTION_NOOP);
	testutil_assert_unknown(&m, "aws_sqs_queue.q", REGION_WHY_UNSET);
	testutil_assert_unknown(&m, "aws_sqs_queue.set", REGION_WHY_APPLY);
	const struct model_resource *me = testutil_resource(&m, "data.aws_caller_identity.me");
	assert_string_equal(me->mode, "data");
	assert_int_equal(me->actions, ACTION_READ);
	testutil_assert_unknown(&m, "data.aws_caller_identity.me", REGION_WHY_UNSET);
	const struct model_resource *rnd = testutil_resource(&m, "random_id.x");
	assert_null(rnd->cloud);
	assert_int_equal(rnd->region_state, REGION_NONE);
	model_free(&m);
}

/* Azure: location spelling, children through references, chains; Google zones. */
static const char azure_plan[] =
	"{'format_version':'1.2',"
	"'resource_changes':["
	"{'address':'azurerm_cognitive_account.ai','mode':'managed',"
	" 'type':'azurerm_cognitive_account','name':'ai',"
	" 'provider_name':'registry.terraform.io/hashicorp/azurerm',"
	" 'change':{'actions':['create'],'before':null,'after':{'location':'Sweden Central'}}},"
	"{'address':'azurerm_cognitive_deployment.gpt','mode':'managed',"
	" 'type':'azurerm_cognitive_deployment','name':'gpt',"
	" 'provider_name':'registry.terraform.io/hashicorp/azurerm',"
	" 'change':{'actions':['create'],'before':null,'after':{'name':'gpt'},"
	"  'after_unknown':{'cognitive_account_id':true}}},"
	"{'address':'azurerm_network_security_rule.r','mode':'managed',"
	" 'type':'azurerm_network_security_rule','name':'r','provider_name':'azurerm',"
	" 'change':{'actions':['create'],'before':null,'after':{}}},"
	"{'address':'azurerm_network_security_group.g[0]','mode':'managed',"
	" 'type':'azurerm_network_security_group','name':'g','index':0,'provider_name':'azurerm',"
	" 'change':{'actions':['create'],'before':null,'after':{},'after_unknown':{'location':true}}},"
	"{'address':'azurerm_resource_group.rg','mode':'managed','type':'azurerm_resource_group',"
	" 'name':'rg','provider_name':'azurerm',"
	" 'change':{'actions':['create'],'before':null,'after':{'location':'WESTEUROPE'}}},"
	"{'address':'azurerm_role_assignment.ra','mode':'managed','type':'azurerm_role_assignment',"
	" 'name':'ra','provider_name':'azurerm',"
	" 'change':{'actions':['create'],'before':null,'after':{}}},"
	"{'address':'google_compute_instance.vm','mode':'managed','type':'google_compute_instance',"
	" 'name':'vm','provider_name':'registry.terraform.io/hashicorp/google',"
	" 'change':{'actions':['create'],'before':null,'after':{'zone':'europe-west4-b'}}},"
	"{'address':'google_storage_bucket.b','mode':'managed','type':'google_storage_bucket',"
	" 'name':'b','provider_name':'registry.terraform.io/hashicorp/google-beta',"
	" 'change':{'actions':['create'],'before':null,'after':{'location':'EU'}}},"
	"{'address':'google_pubsub_topic.t','mode':'managed','type':'google_pubsub_topic',"
	" 'name':'t','provider_name':'registry.terraform.io/hashicorp/google',"
	" 'change':{'actions':['create'],'before':null,'after':{}}}],"
	"'configuration':{'provider_config':{'google':{'name':'google',"
	"  'expressions':{'zone':{'constant_value':'us-east1-c'}}}},"
	" 'root_module':{'resources':["
	" {'mode':'managed','type':'azurerm_cognitive_deployment','name':'gpt',"
	"  'provider_config_key':'azurerm','expressions':{'cognitive_account_id':"
	"  {'references':['azurerm_cognitive_account.ai.id','azurerm_cognitive_account.ai']}}},"
	" {'mode':'managed','type':'azurerm_network_security_rule','name':'r',"
	"  'provider_config_key':'azurerm','expressions':{"
	"  'resource_group_name':{'references':['azurerm_resource_group.rg.name']},"
	"  'network_security_group_name':{'references':['azurerm_network_security_group.g[0].name']}}},"
	" {'mode':'managed','type':'azurerm_network_security_group','name':'g',"
	"  'provider_config_key':'azurerm','expressions':{"
	"  'location':{'references':['azurerm_resource_group.rg.location','azurerm_resource_group.rg']}}},"
	" {'mode':'managed','type':'azurerm_role_assignment','name':'ra',"
	"  'provider_config_key':'azurerm','expressions':{"
	"  'scope':{'references':['azurerm_resource_group.rg.id']}}},"
	" {'mode':'managed','type':'google_pubsub_topic','name':'t','provider_config_key':'google'}"
	"]}}}";

static void test_azure_and_google(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	load(&m, azure_plan);
	testutil_assert_region(&m, "azurerm_cognitive_account.ai", "swedencentral", "attribute");
	testutil_assert_region(&m, "azurerm_cognitive_deployment.gpt", "swedencentral", "parent");
	testutil_assert_region(&m, "azurerm_network_security_group.g[0]", "westeurope", "parent");
	testutil_assert_region(&m, "azurerm_network_security_rule.r", "westeurope", "parent");
	testutil_assert_region(&m, "azurerm_resource_group.rg", "westeurope", "attribute");
	testutil_assert_unknown(&m, "azurerm_role_assignment.ra", REGION_WHY_PARENT);
	assert_string_equal(testutil_resource(&m, "azurerm_network_security_rule.r")->cloud, "azure");
	testutil_assert_region(&m, "google_compute_instance.vm", "europe-west4", "zone");
	testutil_assert_region(&m, "google_storage_bucket.b", "EU", "attribute");
	assert_string_equal(testutil_resource(&m, "google_storage_bucket.b")->cloud, "gcp");
	testutil_assert_region(&m, "google_pubsub_topic.t", "us-east1", "provider");
	model_free(&m);
}

/* Modern keys already name the configuration a module uses ("aws.backup" passed in); an
 * entry without expressions only records a module's requirement and defers to its caller;
 * a Google region set from an unknown value is unknown until apply. */
static const char passed_plan[] =
	"{'format_version':'1.2',"
	"'resource_changes':["
	"{'address':'module.c.aws_sqs_queue.q','module_address':'module.c','mode':'managed',"
	" 'type':'aws_sqs_queue','name':'q'," AWS ",'change':{'actions':['create'],"
	" 'before':null,'after':{}}},"
	"{'address':'module.c.module.g.aws_sqs_queue.r','module_address':'module.c.module.g',"
	" 'mode':'managed','type':'aws_sqs_queue','name':'r'," AWS ",'change':{'actions':['create'],"
	" 'before':null,'after':{}}},"
	"{'address':'google_compute_subnetwork.s','mode':'managed','type':'google_compute_subnetwork',"
	" 'name':'s','provider_name':'registry.terraform.io/hashicorp/google',"
	" 'change':{'actions':['create'],'before':null,'after':{},'after_unknown':{'region':true}}}],"
	"'configuration':{'provider_config':{"
	" 'aws':{'name':'aws','expressions':{'region':{'constant_value':'eu-west-1'}}},"
	" 'aws.backup':{'name':'aws','alias':'backup',"
	"  'expressions':{'region':{'constant_value':'eu-west-2'}}},"
	" 'module.c.module.g:aws':{'name':'aws','module_address':'module.c.module.g'},"
	" 'google':{'name':'google','expressions':{'region':{'constant_value':'europe-west1'}}}},"
	" 'root_module':{'resources':[{'mode':'managed','type':'google_compute_subnetwork',"
	"  'name':'s','provider_config_key':'google','expressions':{'region':"
	"  {'references':['google_compute_network.n.region']}}}],"
	"  'module_calls':{'c':{'module':{"
	"  'resources':[{'mode':'managed','type':'aws_sqs_queue','name':'q',"
	"   'provider_config_key':'aws.backup'}],"
	"  'module_calls':{'g':{'module':{'resources':[{'mode':'managed','type':'aws_sqs_queue',"
	"   'name':'r','provider_config_key':'module.c.module.g:aws'}]}}}}}}}}}";

static void test_passed_providers(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	load(&m, passed_plan);
	testutil_assert_region(&m, "module.c.aws_sqs_queue.q", "eu-west-2", "provider");
	testutil_assert_region(&m, "module.c.module.g.aws_sqs_queue.r", "eu-west-1", "provider");
	testutil_assert_unknown(&m, "google_compute_subnetwork.s", REGION_WHY_APPLY);
	model_free(&m);
}

/* No resource_changes: planned_values with child modules; drift links; sensitive. */
static const char planned_plan[] =
	"{'format_version':'1.0',"
	"'planned_values':{'root_module':{"
	" 'resources':[{'address':'aws_s3_bucket.r','mode':'managed','type':'aws_s3_bucket',"
	"  'name':'r'," AWS ",'values':{'region':'eu-west-1'},'sensitive_values':{}}],"
	" 'child_modules':[{'address':'module.a','resources':[],'child_modules':["
	"  {'address':'module.a.module.b','resources':[{'address':'module.a.module.b.aws_s3_bucket.n',"
	"   'mode':'managed','type':'aws_s3_bucket','name':'n','provider_name':"
	"   'registry.opentofu.org/hashicorp/aws','values':{'region':'eu-west-2'}}]}]}]}},"
	"'resource_drift':[{'address':'aws_s3_bucket.r','change':{'actions':['update']}}]}";

static void test_planned_values(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	load(&m, planned_plan);
	assert_int_equal(m.nresources, 2);
	const struct model_resource *r = testutil_resource(&m, "aws_s3_bucket.r");
	assert_int_equal(r->actions, 0);
	assert_int_not_equal(r->sensitive, DOC_NONE);
	assert_int_not_equal(r->drift, DOC_NONE);
	testutil_assert_region(&m, "aws_s3_bucket.r", "eu-west-1", "attribute");
	const struct model_resource *n = testutil_resource(&m, "module.a.module.b.aws_s3_bucket.n");
	assert_string_equal(n->module, "module.a.module.b");
	assert_string_equal(n->cloud, "aws");
	assert_int_equal(n->drift, DOC_NONE);
	testutil_assert_region(&m, "module.a.module.b.aws_s3_bucket.n", "eu-west-2", "attribute");
	model_free(&m);
}

/* Odd input: wrong types everywhere must not crash and yields no resources. */
static void test_odd_shapes(void **state)
{
	(void)state;
	static const char *const odd[] = {
		"[]", "{}", "{'resource_changes':5}", "{'resource_changes':[1,'x',null,{}]}",
		"{'resource_changes':[{'type':'aws_x','name':'n','change':[]}],"
		" 'configuration':{'provider_config':[],'root_module':7}}",
		"{'planned_values':{'root_module':{'child_modules':[[],{'resources':{}}]}}}",
	};
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		struct model m;
		model_init(&m);
		load(&m, odd[i]);
		assert_true(m.nresources <= 1);
		model_free(&m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aliases_and_modules),
		cmocka_unit_test(test_old_keys),
		cmocka_unit_test(test_module_variables),
		cmocka_unit_test(test_misc),
		cmocka_unit_test(test_azure_and_google),
		cmocka_unit_test(test_passed_providers),
		cmocka_unit_test(test_planned_values),
		cmocka_unit_test(test_odd_shapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
