/* Unit tests for format detection by content (load/detect.c). */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "load/detect.h"
#include "load/json.h"

static const struct {
	const char *json;
	enum model_format want;
} cases[] = {
	{"{\"format_version\":\"1.2\",\"planned_values\":{}}", FORMAT_TFPLAN},
	{"{\"format_version\":\"0.1\",\"resource_changes\":[]}", FORMAT_TFPLAN},
	{"{\"format_version\":\"1.0\",\"configuration\":{}}", FORMAT_TFPLAN},
	{"{\"format_version\":\"1.0\",\"prior_state\":{}}", FORMAT_TFPLAN},
	{"{\"format_version\":\"1.0\",\"resource_drift\":[]}", FORMAT_TFPLAN},
	{"{\"planned_values\":{}}", FORMAT_GENERIC},
	{"{\"format_version\":\"1.0\",\"values\":{\"root_module\":{}}}", FORMAT_TFSTATE},
	{"{\"values\":{\"root_module\":{}}}", FORMAT_TFSTATE},
	{"{\"version\":4,\"terraform_version\":\"1.5.0\",\"resources\":[]}", FORMAT_TFSTATE},
	{"{\"version\":3,\"resources\":[]}", FORMAT_GENERIC},
	{"{\"version\":4}", FORMAT_GENERIC},
	{"{\"format_version\":\"1.0\"}", FORMAT_TFSTATE},
	{"{\"format_version\":\"1.0\",\"terraform_version\":\"1.5.0\"}", FORMAT_TFSTATE},
	{"{\"format_version\":\"1.0\",\"other\":1}", FORMAT_GENERIC},
	{"{\"resource\":{\"aws_s3_bucket\":{\"b\":{}}}}", FORMAT_TFJSON},
	{"{\"terraform\":{},\"provider\":{\"aws\":{}}}", FORMAT_TFJSON},
	{"{\"module\":{\"m\":{\"source\":\"./m\"}},\"locals\":{}}", FORMAT_TFJSON},
	{"{\"data\":{}}", FORMAT_TFJSON},
	{"{\"//\":\"generated\",\"provider\":{}}", FORMAT_TFJSON},
	{"{\"//\":\"generated\"}", FORMAT_GENERIC},
	{"{\"variable\":{\"x\":{}},\"output\":{}}", FORMAT_GENERIC},
	{"{\"resource\":{},\"metadata\":1}", FORMAT_GENERIC},
	{"{}", FORMAT_GENERIC},
	{"{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}", FORMAT_K8S},
	{"{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[]}", FORMAT_K8S},
	{"{\"apiVersion\":1,\"kind\":\"Pod\"}", FORMAT_GENERIC},
	{"{\"apiVersion\":\"v1\"}", FORMAT_GENERIC},
	{"{\"kind\":\"Pod\"}", FORMAT_GENERIC},
	{"{\"AWSTemplateFormatVersion\":\"2010-09-09\"}", FORMAT_CFN},
	{"{\"Resources\":{\"B\":{\"Type\":\"AWS::S3::Bucket\"}}}", FORMAT_CFN},
	{"{\"Resources\":{\"B\":{\"Type\":\"AWS::S3::Bucket\"},\"C\":{}}}", FORMAT_CFN},
	{"{\"Resources\":{\"C\":{},\"D\":{\"Type\":{\"Rain::Module\":\"m.yml\"}}}}", FORMAT_GENERIC},
	{"{\"Resources\":{\"B\":{\"Kind\":\"x\"}}}", FORMAT_GENERIC},
	{"{\"Resources\":{}}", FORMAT_GENERIC},
	{"{\"Resources\":[{\"Type\":\"x\"}]}", FORMAT_GENERIC},
	{"{\"format_version\":\"1\",\"planned_values\":{},\"apiVersion\":\"v1\",\"kind\":\"x\"}",
	 FORMAT_TFPLAN},
	{"{\"apiVersion\":\"v1\",\"kind\":\"x\",\"AWSTemplateFormatVersion\":\"1\"}", FORMAT_K8S},
	{"[1,2]", FORMAT_GENERIC},
	{"\"text\"", FORMAT_GENERIC},
	{"42", FORMAT_GENERIC},
	{"null", FORMAT_UNKNOWN},
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct doc doc;
		struct json_error err;
		doc_init(&doc, "case.json");
		doc.src.data = strdup(cases[i].json);
		doc.src.len = strlen(cases[i].json);
		if (!json_parse(&doc, NULL, &err))
			fail_msg("case %zu does not parse: %s", i, err.message);
		enum model_format got = detect_format(&doc, doc.roots[0]);
		if (got != cases[i].want)
			fail_msg("case %zu %s: got %s, want %s", i, cases[i].json,
			         model_format_name(got), model_format_name(cases[i].want));
		doc_free(&doc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
