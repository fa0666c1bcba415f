/* Unit tests for the policy engine: results, values, config, dispatch, positions, load
 * errors and determinism (src/engine). */
#include "test_engine_fixture.h"

/* Two buckets and a key; the first bucket has an unknown attribute and a null. */
static const char plan_json[] =
	"{\"rc\": [\n"
	"  {\"address\": \"aws_s3_bucket.a\", \"values\": {\"bucket\": \"a\", \"acl\": \"private\",\n"
	"     \"tags\": {\"Owner\": \"x\"}, \"n\": 3, \"f\": 1.5, \"gone\": null,\n"
	"     \"list\": [1, null, 3], \"rules\": [{\"id\": \"r0\"}, {\"id\": \"r1\", \"open\": true}]},\n"
	"   \"unknown\": {\"arn\": true, \"tags\": {}, \"rules\": [false, {\"x\": true}]}},\n"
	"  {\"address\": \"aws_s3_bucket.b\", \"values\": {\"bucket\": \"b\", \"acl\": \"public-read\"}},\n"
	"  {\"address\": \"aws_kms_key.k\", \"values\": {\"rotation\": false}},\n"
	"  {\"address\": \"aws_s3_bucket.old\", \"values\": {\"bucket\": \"old\", \"acl\": \"public-read\"}}\n"
	"]}\n";

static void make_model(struct model *m)
{
	model_init(m);
	size_t in = fx_input(m, "plan.json", plan_json);
	fx_resource(m, in, "aws_s3_bucket.a", "aws_s3_bucket", "rc.0");
	fx_resource(m, in, "aws_s3_bucket.b", "aws_s3_bucket", "rc.1");
	fx_resource(m, in, "aws_kms_key.k", "aws_kms_key", "rc.2");
	fx_resource(m, in, "aws_s3_bucket.old", "aws_s3_bucket", "rc.3")->actions = ACTION_DELETE;
}

/* Loads root, runs it over the standard model; the caller frees everything. */
struct outcome {
	struct engine *e;
	struct model m;
	struct findings f;
	struct diags d;
};

static void run_root(struct outcome *o, const char *root, const struct config *cfg)
{
	memset(o, 0, sizeof *o);
	o->e = fx_engine(root, cfg, &o->d);
	make_model(&o->m);
	engine_run(o->e, &o->m, &o->f, &o->d);
	fx_print_diags(&o->d);
}

static void outcome_free(struct outcome *o)
{
	engine_free(o->e);
	model_free(&o->m);
	findings_free(&o->f);
	diags_free(&o->d);
}

#define POLICY_HEAD(types) \
	"return { title = 'T', severity = 'medium', description = 'D', remediation = 'R',\n" \
	"  types = " types ",\n"

static void test_result_forms(void **state)
{
	(void)state;
	char *root = fx_root();
	fx_write(root, "forms/string.lua", POLICY_HEAD("{'aws_s3_bucket'}")
	         "  check = function(r) return 'bucket ' .. r.values.bucket end }\n");
	fx_write(root, "forms/table.lua", POLICY_HEAD("{'aws_s3_bucket'}")
	         "  check = function(r) if r.values.acl == 'public-read' then\n"
	         "    return { message = 'public', path = 'acl', severity = 'critical' } end end }\n");
	fx_write(root, "forms/list.lua", POLICY_HEAD("{'aws_s3_bucket'}")
	         "  check = function(r) return { 'one', { message = 'two' }, nil } end }\n");
	fx_write(root, "forms/empty.lua", POLICY_HEAD("{'aws_s3_bucket'}")
	         "  check = function(r) if r.name == 'a' then return {} end return false end }\n");
	fx_write(root, "forms/by-address.lua", POLICY_HEAD("{}")
	         "  evaluate = function(m) return { { resource = 'aws_kms_key.k', message = 'k' },\n"
	         "    'run-wide', { resource = m.find('aws_s3_bucket.b'), message = 'b' } } end }\n");
	struct outcome o;
	run_root(&o, root, NULL);
	assert_int_equal(o.d.n, 0);
	assert_int_equal(engine_policy_count(o.e), 5);
	assert_int_equal(fx_count(&o.f, "forms/string"), 2); /* "old" is destroyed: skipped */
	const struct finding *x = fx_finding(&o.f, "forms/string", "aws_s3_bucket.a");
	assert_non_null(x);
	assert_string_equal(x->message, "bucket a");
	assert_int_equal(x->severity, SEV_MEDIUM);
	assert_string_equal(x->title, "T");
	assert_string_equal(x->remediation, "R");
	assert_string_equal(x->type, "aws_s3_bucket");
	assert_string_equal(x->file, "plan.json");
	assert_int_equal(x->line, 2);
	assert_int_equal(fx_count(&o.f, "forms/table"), 1);
	x = fx_finding(&o.f, "forms/table", NULL);
	assert_string_equal(x->resource, "aws_s3_bucket.b");
	assert_int_equal(x->severity, SEV_CRITICAL);
	assert_string_equal(x->path, "acl");
	assert_int_equal(fx_count(&o.f, "forms/list"), 4);
	assert_int_equal(fx_count(&o.f, "forms/empty"), 0);
	assert_int_equal(fx_count(&o.f, "forms/by-address"), 3);
	x = fx_finding(&o.f, "forms/by-address", "aws_kms_key.k");
	assert_non_null(x);
	assert_string_equal(x->type, "aws_kms_key");
	assert_int_equal(x->line, 7);
	assert_non_null(fx_finding(&o.f, "forms/by-address", "aws_s3_bucket.b"));
	for (size_t i = 0; i < o.f.n; i++) {
		if (strcmp(o.f.v[i].message, "run-wide") == 0) {
			assert_null(o.f.v[i].resource);
			assert_null(o.f.v[i].file);
		}
	}
	outcome_free(&o);
	fx_rmrf(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_result_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
