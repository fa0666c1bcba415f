/* The estate: SHA-256 vectors, the inventory, shares, HHI and flows of a hand-made model, and
 * what the JSON, HTML and terminal writers make of it. */
#include "test_engine_fixture.h"

#include "estate/estate.h"
#include "estate/estate_html.h"
#include "estate/estate_json.h"
#include "estate/estate_term.h"
#include "util/buf.h"

static const char plan_json[] =
	"{\"rc\": [\n"
	"{\"values\": {\"bucket\": \"a\"}},\n"
	"{\"values\": {\"function_name\": \"f\"}},\n"
	"{\"values\": {\"foundation_model\": \"eu.anthropic.claude-3-7-sonnet-20250219-v1:0\"}},\n"
	"{\"values\": {\"model\": [{\"format\": \"OpenAI\", \"name\": \"gpt-4o\"}]}},\n"
	"{\"values\": {\"name\": \"b\"}},\n"
	"{\"values\": {\"name\": \"ami\"}}\n"
	"]}\n";

static const struct {
	const char *address, *type, *cloud, *region, *mode;
} resources[] = {
	{"aws_s3_bucket.docs", "aws_s3_bucket", "aws", "eu-west-1", "managed"},
	{"aws_lambda_function.<chat>", "aws_lambda_function", "aws", "eu-west-1", "managed"},
	{"aws_bedrockagent_agent.support", "aws_bedrockagent_agent", "aws", "eu-west-1", "managed"},
	{"azurerm_cognitive_deployment.gpt", "azurerm_cognitive_deployment", "azure", "westeurope",
	 "managed"},
	{"google_storage_bucket.b", "google_storage_bucket", "gcp", "us-central1", "managed"},
	{"data.aws_ami.ubuntu", "aws_ami", "aws", "eu-west-1", "data"},
};

struct fixture {
	struct engine *e;
	struct model m;
	struct findings f;
	struct estate es;
	struct diags d;
};

static void add_finding(struct findings *fs, const char *policy, const char *resource,
                        const char *message)
{
	struct finding *f = findings_add(fs);
	f->policy = xstrdup(policy);
	f->severity = SEV_MEDIUM;
	f->resource = xstrdup(resource);
	f->message = xstrdup(message);
}

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	fx->d = (struct diags)DIAGS_INIT;
	struct engine_options eo = {.builtin = true};
	fx->e = engine_new(&eo, &fx->d);
	model_init(&fx->m);
	size_t in = fx_input(&fx->m, "plan.json", plan_json);
	for (size_t i = 0; i < sizeof resources / sizeof resources[0]; i++) {
		char *node = xasprintf("rc.%zu", i);
		struct model_resource *r = fx_resource(&fx->m, in, resources[i].address,
		                                       resources[i].type, node);
		r->cloud = xstrdup(resources[i].cloud);
		r->region = xstrdup(resources[i].region);
		r->region_state = REGION_KNOWN;
		r->mode = xstrdup(resources[i].mode);
		free(node);
	}
	add_finding(&fx->f, "egress/cross-cloud-ai", "aws_lambda_function.<chat>",
	            "aws_lambda_function.<chat> (aws in eu-west-1) calls Azure OpenAI at "
	            "x.openai.azure.com (azure) through environment.0.variables.E");
	add_finding(&fx->f, "egress/open-internet", "aws_s3_bucket.docs", "open");
	add_finding(&fx->f, "egress/open-internet", "aws_s3_bucket.docs", "open again");
	fx->f.v[2].cannot_verify = true; /* undecided: no flow */
	findings_sort(&fx->f);
	assert_true(estate_collect(&fx->es, fx->e, &fx->m, &fx->f, NULL, &fx->d));
	fx_print_diags(&fx->d);
	assert_int_equal(fx->d.n, 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	estate_free(&fx->es);
	findings_free(&fx->f);
	model_free(&fx->m);
	engine_free(fx->e);
	diags_free(&fx->d);
	free(fx);
	return 0;
}

static void test_inventory(void **state)
{
	const struct estate *es = &((struct fixture *)*state)->es;
	assert_int_equal(es->ncells, 3);
	assert_int_equal(es->resources, 5); /* the data source does not count */
	assert_string_equal(es->cells[0].jurisdiction, "EU");
	assert_string_equal(es->cells[0].cloud, "aws");
	assert_string_equal(es->cells[0].region, "eu-west-1");
	assert_string_equal(es->cells[0].country, "IE");
	assert_int_equal(es->cells[0].resources, 3);
	assert_int_equal(es->cells[0].ai, 1);
	assert_string_equal(es->cells[1].cloud, "azure");
	assert_int_equal(es->cells[1].ai, 1);
	assert_string_equal(es->cells[2].jurisdiction, "US");
	assert_string_equal(es->cells[2].region, "us-central1");
	assert_int_equal(es->ai, 2);
}

static void test_shares(void **state)
{
	const struct estate *es = &((struct fixture *)*state)->es;
	/* weights of concentration/cloud-provider: data 3, compute 2, ai 3 */
	double aws = 3 + 2 + 3, azure = 3, gcp = 3, total = aws + azure + gcp;
	double hhi = (100 * aws / total) * (100 * aws / total) +
	             2 * (100 * azure / total) * (100 * azure / total);
	assert_int_equal(es->clouds.n, 3);
	assert_string_equal(es->clouds.v[0].key, "aws");
	assert_int_equal(es->clouds.v[0].count, 3);
	assert_float_equal(es->clouds.v[0].weight, aws, 1e-9);
	assert_float_equal(es->clouds.v[0].share, aws / total, 1e-9);
	assert_string_equal(es->clouds.v[1].key, "azure"); /* ties in key order */
	assert_float_equal(es->clouds.hhi, hhi, 1e-6);
	assert_float_equal(es->clouds.effective, 10000.0 / hhi, 1e-9);
	assert_int_equal(es->models.n, 2);
	assert_string_equal(es->models.v[0].key, "anthropic");
	assert_string_equal(es->models.v[0].clouds, "aws");
	assert_string_equal(es->models.v[1].key, "openai");
	assert_float_equal(es->models.hhi, 5000, 1e-6);
}

static void test_flows(void **state)
{
	const struct estate *es = &((struct fixture *)*state)->es;
	assert_int_equal(es->nflows, 2);
	const struct estate_flow *x = &es->flows[0];
	assert_string_equal(x->to_cloud, "azure");
	assert_string_equal(x->from_region, "eu-west-1");
	assert_string_equal(x->service, "Azure OpenAI");
	assert_string_equal(x->host, "x.openai.azure.com");
	assert_null(x->to_region);
	assert_string_equal(x->price, "$0.09/GB");
	assert_float_equal(x->usd_per_gb, 0.09, 1e-9);
	x = &es->flows[1];
	assert_string_equal(x->kind, "internet");
	assert_int_equal(x->count, 1);
	assert_int_equal(x->nresources, 1);
	assert_string_equal(x->resources[0], "aws_s3_bucket.docs");
}

static void test_json(void **state)
{
	const struct estate *es = &((struct fixture *)*state)->es;
	struct buf out = BUF_INIT;
	estate_json_write(es, &out);
	assert_non_null(strstr(buf_str(&out), "\"hhi\": 4183.7,"));
	assert_non_null(strstr(buf_str(&out), "\"effective_vendors\": 2.39,"));
	assert_non_null(strstr(buf_str(&out), "\"resources\": [\"aws_lambda_function.<chat>\"]"));
	buf_free(&out);
}

static void test_html_escapes(void **state)
{
	const struct estate *es = &((struct fixture *)*state)->es;
	struct buf out = BUF_INIT;
	estate_html_write(es, &out);
	const char *page = buf_str(&out);
	assert_null(strstr(page, "<chat>"));
	assert_non_null(strstr(page, "aws_lambda_function.&lt;chat&gt;"));
	assert_null(strstr(page, "src="));
	assert_null(strstr(page, "http://"));
	assert_null(strstr(page, "https://"));
	assert_non_null(strstr(page, "default-src 'none'"));
	assert_non_null(strstr(page, "<b class=\"hhi\">4184</b>"));
	buf_free(&out);
	estate_html_escape(&out, "a&b\"'\x01");
	assert_string_equal(buf_str(&out), "a&amp;b&quot;&#39;\xef\xbf\xbd");
	buf_free(&out);
}

/* Every line of the ASCII rendering fits the width and is plain ASCII. */
static void test_term_width(void **state)
{
	const struct estate *es = &((struct fixture *)*state)->es;
	struct estate_term_options o = {.width = 100, .ascii = true};
	struct buf out = BUF_INIT;
	estate_term_write(es, &o, &out);
	const char *s = buf_str(&out);
	size_t col = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		assert_true(*p < 0x80);
		col = *p == '\n' ? 0 : col + 1;
		assert_true(col <= 100);
	}
	assert_non_null(strstr(s, "HHI 4184, effective number of vendors 2.39"));
	assert_null(strstr(s, "\033["));
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_inventory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shares, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_html_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_term_width, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
