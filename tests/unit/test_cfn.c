/* Unit tests for the CloudFormation normaliser (load/cfn.c), through the loader. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "load/docpos.h"
#include "load/load.h"

static void load1(struct model *m, const char *name, const char *text)
{
	model_init(m);
	load_buffer(m, name, text, strlen(text), NULL);
	assert_int_equal(diags_count(&m->diags, DIAG_INPUT), 0);
}

static const struct model_resource *find(const struct model *m, const char *address)
{
	for (size_t i = 0; i < m->nresources; i++) {
		if (strcmp(m->resources[i].address, address) == 0)
			return &m->resources[i];
	}
	fail_msg("no resource %s", address);
	return NULL;
}

static const char template_json[] =
	"{\"AWSTemplateFormatVersion\":\"2010-09-09\",\"Resources\":{"
	"\"Bucket\":{\"Type\":\"AWS::S3::Bucket\",\"Properties\":{\"BucketName\":\"b\"}},"
	"\"Topic\":{\"Type\":\"AWS::SNS::Topic\"},"
	"\"Subnet\":{\"Type\":\"AWS::EC2::Subnet\",\"Properties\":{\"AvailabilityZone\":\"eu-west-1a\"}},"
	"\"Picked\":{\"Type\":\"AWS::EC2::Subnet\",\"Properties\":{\"AvailabilityZone\":"
	"{\"Fn::Select\":[0,{\"Fn::GetAZs\":\"\"}]}}},"
	"\"Table\":{\"Type\":\"AWS::DynamoDB::Table\",\"Properties\":{\"SSESpecification\":{},"
	"\"KmsKey\":\"arn:aws:kms:eu-central-1:111122223333:key/abc\"}},"
	"\"Role\":{\"Type\":\"AWS::IAM::Role\",\"Properties\":{}},"
	"\"Resolver\":{\"Type\":\"AWS::Route53Resolver::ResolverRule\"},"
	"\"NoType\":{\"Properties\":{}}"
	"}}";

static void test_fields(void **state)
{
	(void)state;
	struct model m;
	load1(&m, "stack.json", template_json);
	assert_int_equal(m.inputs[0]->format, FORMAT_CFN);
	assert_int_equal(m.nresources, 7);
	const struct model_resource *r = find(&m, "Bucket");
	assert_string_equal(r->type, "AWS::S3::Bucket");
	assert_string_equal(r->name, "Bucket");
	assert_string_equal(r->provider, "cloudformation");
	assert_string_equal(r->cloud, "aws");
	assert_int_equal(r->format, FORMAT_CFN);
	struct doc *doc = &m.inputs[0]->doc;
	uint32_t root = doc->roots[0];
	assert_int_equal(r->values, doc_path(doc, root, "Resources.Bucket.Properties"));
	assert_int_equal(r->node, doc_path(doc, root, "Resources.Bucket"));
	assert_int_equal(r->doc_root, root);
	assert_int_equal(find(&m, "Topic")->values, DOC_NONE);
	assert_int_equal(diags_count(&m.diags, DIAG_WARNING), 1);
	assert_non_null(strstr(m.diags.v[0].message, "NoType"));
	model_free(&m);
}

static void assert_region(const struct model_resource *r, enum region_state st,
                          const char *region, const char *source)
{
	assert_int_equal(r->region_state, st);
	if (region)
		assert_string_equal(r->region, region);
	else
		assert_null(r->region);
	assert_string_equal(r->region_source, source);
}

static void test_regions(void **state)
{
	(void)state;
	struct model m;
	load1(&m, "stack.json", template_json);
	assert_region(find(&m, "Bucket"), REGION_UNKNOWN, NULL, "chosen at deploy time");
	assert_region(find(&m, "Topic"), REGION_UNKNOWN, NULL, "chosen at deploy time");
	assert_region(find(&m, "Subnet"), REGION_KNOWN, "eu-west-1", "availability_zone");
	assert_region(find(&m, "Picked"), REGION_UNKNOWN, NULL, "chosen at deploy time");
	assert_region(find(&m, "Table"), REGION_KNOWN, "eu-central-1", "arn");
	assert_region(find(&m, "Role"), REGION_KNOWN, "global", "global");
	assert_region(find(&m, "Resolver"), REGION_UNKNOWN, NULL, "chosen at deploy time");
	model_free(&m);
}

static void test_duplicates(void **state)
{
	(void)state;
	struct model m;
	load1(&m, "dup.json",
	      "{\"Resources\":{\"T\":{\"Type\":\"AWS::SNS::Topic\",\"Properties\":{\"N\":1}},"
	      "\"Q\":{\"Type\":\"AWS::SQS::Queue\"},"
	      "\"T\":{\"Type\":\"AWS::SNS::Topic\",\"Properties\":{\"N\":2}}}}");
	assert_int_equal(m.nresources, 2);
	assert_string_equal(m.resources[0].address, "Q");
	const struct model_resource *t = find(&m, "T");
	int64_t n = 0;
	assert_true(doc_int(&m.inputs[0]->doc, doc_get(&m.inputs[0]->doc, t->values, "N"), &n));
	assert_int_equal(n, 2);
	/* one warning, the parser's, at the second definition */
	assert_int_equal(diags_count(&m.diags, DIAG_WARNING), 1);
	assert_int_equal(m.diags.v[0].line, 1);
	assert_non_null(strstr(m.diags.v[0].message, "duplicate key 'T'"));
	model_free(&m);
}

static void test_yaml_template(void **state)
{
	(void)state;
	struct model m;
	load1(&m, "t.yaml",
	      "AWSTemplateFormatVersion: \"2010-09-09\"\n"
	      "Resources:\n"
	      "  Vpc:\n"
	      "    Type: AWS::EC2::VPC\n"
	      "    Properties:\n"
	      "      CidrBlock: !Ref Cidr\n");
	assert_int_equal(m.nresources, 1);
	const struct model_resource *r = &m.resources[0];
	assert_string_equal(r->address, "Vpc");
	struct doc *doc = &m.inputs[0]->doc;
	unsigned line, column;
	doc_position(doc, doc_node(doc, r->node)->pos, &line, &column);
	assert_int_equal(line, 4);
	model_free(&m);
}

/* Entries moongate cannot expand are reported and skipped; the template is still one. */
static void test_skipped_entries(void **state)
{
	(void)state;
	struct model m;
	load1(&m, "ext.yaml",
	      "Transform: AWS::LanguageExtensions\n"
	      "Resources:\n"
	      "  Fn::ForEach::Buckets:\n"
	      "    - Name\n"
	      "    - [a, b]\n"
	      "    - ${Name}Bucket:\n"
	      "        Type: AWS::S3::Bucket\n"
	      "  Storage:\n"
	      "    Type: !Rain::Module ./bucket.yml\n"
	      "  Queue:\n"
	      "    Type: AWS::SQS::Queue\n");
	assert_int_equal(m.inputs[0]->format, FORMAT_CFN);
	assert_int_equal(m.nresources, 1);
	assert_string_equal(m.resources[0].address, "Queue");
	assert_int_equal(diags_count(&m.diags, DIAG_WARNING), 2);
	assert_non_null(strstr(m.diags.v[0].message, "Fn::ForEach loops are not expanded"));
	assert_int_equal(m.diags.v[0].line, 3);
	assert_non_null(strstr(m.diags.v[1].message, "'Storage': no Type"));
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_regions),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_yaml_template),
		cmocka_unit_test(test_skipped_entries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
