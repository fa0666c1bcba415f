/* Unit tests for the region string rules and addresses (model/region.c). */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "model/region.h"

/* Asserts that got (a new string or NULL) equals want (or is NULL), then frees it. */
static void check(char *got, const char *want)
{
	if (want) {
		assert_non_null(got);
		assert_string_equal(got, want);
	} else {
		assert_null(got);
	}
	free(got);
}

static void test_cloud(void **state)
{
	(void)state;
	assert_string_equal(region_cloud("registry.terraform.io/hashicorp/aws"), "aws");
	assert_string_equal(region_cloud("registry.opentofu.org/hashicorp/aws"), "aws");
	assert_string_equal(region_cloud("aws"), "aws"); /* 0.12 short name */
	assert_string_equal(region_cloud("hashicorp/awscc"), "aws");
	assert_string_equal(region_cloud("registry.terraform.io/azure/azapi"), "azure");
	assert_string_equal(region_cloud("registry.terraform.io/hashicorp/azuread"), "azure");
	assert_string_equal(region_cloud("azurerm"), "azure");
	assert_string_equal(region_cloud("registry.terraform.io/hashicorp/google-beta"), "gcp");
	assert_string_equal(region_cloud("google"), "gcp");
	assert_string_equal(region_cloud("registry.terraform.io/hashicorp/helm"), "kubernetes");
	assert_null(region_cloud("registry.terraform.io/hashicorp/random"));
	assert_null(region_cloud("registry.terraform.io/example/awsome")); /* not a prefix match */
	assert_null(region_cloud(NULL));
}

static void test_azure_location(void **state)
{
	(void)state;
	check(region_azure_location("West Europe"), "westeurope");
	check(region_azure_location("WESTEUROPE"), "westeurope");
	check(region_azure_location("germanywestcentral"), "germanywestcentral");
	check(region_azure_location(" "), NULL);
}

static void test_availability_zone(void **state)
{
	(void)state;
	check(region_from_availability_zone("eu-west-1a"), "eu-west-1");
	check(region_from_availability_zone("us-west-2-lax-1a"), "us-west-2");
	check(region_from_availability_zone("us-gov-west-1b"), "us-gov-west-1");
	check(region_from_availability_zone("eu-west-1"), NULL);     /* a region, not a zone */
	check(region_from_availability_zone("use1-az1"), NULL);      /* a zone id */
	check(region_from_availability_zone("europe-west4-b"), NULL); /* GCP */
}

static void test_arn(void **state)
{
	(void)state;
	check(region_from_arn("arn:aws:kms:eu-west-3:123456789012:key/abc"), "eu-west-3");
	check(region_from_arn("arn:aws-cn:ec2:cn-north-1:1:instance/i-1"), "cn-north-1");
	check(region_from_arn("arn:aws:s3:::my-bucket"), NULL);
	check(region_from_arn("arn:aws:iam::123456789012:role/x"), NULL);
	check(region_from_arn("arn:aws:kms"), NULL);
	check(region_from_arn("eu-west-1"), NULL);
}

static void test_gcp_location(void **state)
{
	(void)state;
	check(region_from_gcp_location("us-central1-a"), "us-central1");
	check(region_from_gcp_location("europe-west4"), "europe-west4");
	check(region_from_gcp_location("EU"), "EU");
	check(region_from_gcp_location("EUR4"), "EUR4");
	check(region_from_gcp_location("asia1"), "asia1");
	check(region_from_gcp_location("global"), "global");
	check(region_from_gcp_location(""), NULL);
}

static void test_global_types(void **state)
{
	(void)state;
	assert_true(region_aws_global_type("aws_iam_role"));
	assert_true(region_aws_global_type("aws_route53_zone"));
	assert_true(region_aws_global_type("aws_cloudfront_distribution"));
	assert_true(region_aws_global_type("aws_waf_web_acl"));
	assert_true(region_aws_global_type("aws_organizations_account"));
	assert_false(region_aws_global_type("aws_route53_resolver_endpoint"));
	assert_false(region_aws_global_type("aws_wafv2_web_acl"));
	assert_false(region_aws_global_type("aws_wafregional_web_acl"));
	assert_false(region_aws_global_type("aws_s3_bucket"));
}

static void test_references(void **state)
{
	(void)state;
	check(region_reference_address("azurerm_cognitive_account.ai.id", NULL, false),
	      "azurerm_cognitive_account.ai");
	check(region_reference_address("azurerm_subnet.s[0].id", NULL, false), "azurerm_subnet.s[0]");
	check(region_reference_address("data.azurerm_key_vault.kv.id", NULL, false),
	      "data.azurerm_key_vault.kv");
	check(region_reference_address("azurerm_virtual_network.v", "module.net[\"a.b\"]", false),
	      "module.net[\"a.b\"].azurerm_virtual_network.v");
	check(region_reference_address("azurerm_resource_group.rg.name", NULL, false), NULL);
	check(region_reference_address("azurerm_resource_group.rg.location", NULL, true),
	      "azurerm_resource_group.rg");
	check(region_reference_address("var.location", NULL, true), NULL);
	check(region_reference_address("local.my_location", NULL, true), NULL);
	check(region_reference_address("module.net.subnet_id", NULL, true), NULL);
	check(region_reference_address("each.value", NULL, true), NULL);
}

static void test_addresses(void **state)
{
	(void)state;
	struct doc d;
	doc_init(&d, "x.json");
	d.text = "0k\"q";
	uint32_t num = doc_push(&d, DOC_INT, 0);
	d.nodes[num].text = 0;
	d.nodes[num].len = 1;
	uint32_t str = doc_push(&d, DOC_STRING, 1);
	d.nodes[str].text = 1;
	d.nodes[str].len = 3; /* k"q, stored unescaped */
	check(region_instance_address("module.a[1]", "data", "aws_x", "y", &d, num),
	      "module.a[1].data.aws_x.y[0]");
	check(region_instance_address(NULL, "managed", "aws_x", "y", &d, str),
	      "aws_x.y[\"k\\\"q\"]");
	check(region_instance_address(NULL, "managed", "aws_x", "y", &d, DOC_NONE), "aws_x.y");
	/* Terraform 0.12.0 wrote "null_resource.baz" for module.m's baz[0] */
	check(region_complete_address("null_resource.baz", "module.m", "managed", "null_resource",
	                              "baz", &d, num),
	      "module.m.null_resource.baz[0]");
	check(region_complete_address("module.m.null_resource.baz[\"x\"]", "module.m", "managed",
	                              "null_resource", "baz", &d, str),
	      "module.m.null_resource.baz[\"x\"]");
	d.text = NULL;
	doc_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cloud),
		cmocka_unit_test(test_azure_location),
		cmocka_unit_test(test_availability_zone),
		cmocka_unit_test(test_arn),
		cmocka_unit_test(test_gcp_location),
		cmocka_unit_test(test_global_types),
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
