/* Unit tests for the model as JSON (report/model_json.c). */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "load/load.h"
#include "report/model_json.h"

static void test_small_model(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	const char *pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\n"
	                  " \"metadata\":{\"name\":\"w\\u00e9b\"},\"n\":[1,-2.5e3,true,null]}";
	const char *cfn = "{\"Resources\":{\"B\":{\"Type\":\"AWS::S3::Bucket\","
	                  "\"Properties\":{\"Tags\":{\"a\":\"x\\\"y\",\"a\":\"z\"}}}}}";
	load_buffer(&m, "pod.json", pod, strlen(pod), NULL);
	load_buffer(&m, "t.json", cfn, strlen(cfn), NULL);
	struct buf out = BUF_INIT;
	model_json_write(&m, &out);
	assert_string_equal(buf_str(&out),
		"{\"version\":1,\"inputs\":["
		"{\"file\":\"pod.json\",\"format\":\"kubernetes\",\"documents\":1,\"resources\":1},"
		"{\"file\":\"t.json\",\"format\":\"cloudformation\",\"documents\":1,\"resources\":1}],"
		"\"resources\":["
		"{\"address\":\"Pod/default/w\xc3\xa9" "b\",\"type\":\"Pod\",\"name\":\"w\xc3\xa9" "b\","
		"\"provider\":\"kubernetes\",\"cloud\":\"kubernetes\",\"format\":\"kubernetes\","
		"\"mode\":null,\"module\":null,\"region\":null,\"region_state\":\"none\","
		"\"region_source\":null,\"actions\":null,\"file\":\"pod.json\",\"line\":1,"
		"\"column\":1,\"values\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
		"\"metadata\":{\"name\":\"w\xc3\xa9" "b\"},\"n\":[1,-2.5e3,true,null]}},"
		"{\"address\":\"B\",\"type\":\"AWS::S3::Bucket\",\"name\":\"B\","
		"\"provider\":\"cloudformation\",\"cloud\":\"aws\",\"format\":\"cloudformation\","
		"\"mode\":null,\"module\":null,\"region\":null,\"region_state\":\"unknown\","
		"\"region_source\":\"chosen at deploy time\",\"actions\":null,\"file\":\"t.json\","
		"\"line\":1,\"column\":19,\"values\":{\"Tags\":{\"a\":\"z\"}}}]}\n");
	buf_free(&out);
	model_free(&m);
}

/* Optional members and actions, on a resource filled by hand. */
static void test_plan_fields(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	const char *text = "{\"x\":{\"after\":{\"id\":\"a\\nb\"},\"u\":{\"id\":true}}}";
	load_buffer(&m, "plain.json", text, strlen(text), NULL);
	assert_int_equal(m.nresources, 1);
	struct model_resource *r = &m.resources[0];
	struct doc *doc = model_doc(&m, r);
	r->values = doc_path(doc, r->doc_root, "x.after");
	r->unknown = doc_path(doc, r->doc_root, "x.u");
	r->actions = ACTION_DELETE | ACTION_CREATE;
	struct buf out = BUF_INIT;
	model_json_write(&m, &out);
	assert_non_null(strstr(buf_str(&out),
		"\"actions\":[\"create\",\"delete\"],\"file\":\"plain.json\",\"line\":1,"
		"\"column\":1,\"values\":{\"id\":\"a\\nb\"},\"unknown\":{\"id\":true}}"));
	assert_null(strstr(buf_str(&out), "\"before\""));
	buf_free(&out);
	model_free(&m);
}

/* Scalars spelled the YAML way come out as JSON. */
static void test_yaml_scalars(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	const char *text = "a: 0x1F\nb: +12\nc: .5\nd: .inf\ne: ~\nf: 'q\"'\ng: 1.0\nh: -.Inf\ni: .NaN\n";
	load_buffer(&m, "s.yaml", text, strlen(text), NULL);
	assert_int_equal(diags_count(&m.diags, DIAG_INPUT), 0);
	struct buf out = BUF_INIT;
	model_json_write_node(&m.inputs[0]->doc, m.inputs[0]->doc.roots[0], &out);
	assert_string_equal(buf_str(&out),
		"{\"a\":31,\"b\":12,\"c\":0.5,\"d\":\".inf\",\"e\":null,\"f\":\"q\\\"\",\"g\":1.0,"
		"\"h\":\"-.inf\",\"i\":\".nan\"}");
	buf_free(&out);
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_model),
		cmocka_unit_test(test_plan_fields),
		cmocka_unit_test(test_yaml_scalars),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
