/* Unit tests for Terraform source locations (tfsrc/tfmap.c): addresses through local
 * modules, instance keys, attribute paths, remote and broken modules, cycles, suppressions,
 * and the example project with its plan. */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "govern/suppress.h"
#include "load/load.h"
#include "report/sarif.h"
#include "report/text.h"
#include "tfsrc/tfmap.h"
#include "util/xalloc.h"

#define PROJECT "tests/data/tfsrc/project"

/* Paths are relative to the source directory, as a user in the repository would give them. */
static int setup(void **state)
{
	(void)state;
	return chdir(testutil_source_dir());
}

/* Looks address/path up and checks file:line (file NULL: expects unmapped). */
static void expect(struct tfmap *m, const char *address, const char *path, const char *file,
                   unsigned line)
{
	struct tfmap_loc loc;
	bool ok = tfmap_lookup(m, address, path, &loc);
	if (!file) {
		if (ok)
			fail_msg("%s: mapped to %s:%u, expected unmapped", address, loc.file, loc.line);
		assert_non_null(loc.unmapped);
		assert_null(loc.block);
		return;
	}
	if (!ok)
		fail_msg("%s: unmapped (%s), expected %s:%u", address, loc.unmapped, file, line);
	assert_string_equal(loc.file, file);
	if (loc.line != line)
		fail_msg("%s %s: line %u, expected %u", address, path ? path : "", loc.line, line);
	assert_null(loc.unmapped);
}

/* The unmapped reason of address. */
static const char *why(struct tfmap *m, const char *address)
{
	struct tfmap_loc loc;
	assert_false(tfmap_lookup(m, address, NULL, &loc));
	assert_non_null(loc.unmapped);
	return loc.unmapped;
}

static void test_root_and_keys(void **state)
{
	(void)state;
	struct diags d = DIAGS_INIT;
	struct tfmap *m = tfmap_new(PROJECT, &d);
	expect(m, "aws_s3_bucket.dup", NULL, PROJECT "/a.tf", 2);
	expect(m, "aws_s3_bucket.dup[3]", NULL, PROJECT "/a.tf", 2);
	expect(m, "aws_s3_bucket.dup[3]#2", NULL, PROJECT "/a.tf", 2); /* repeated in a run */
	expect(m, "aws_s3_bucket.dup#x", NULL, NULL, 0);
	expect(m, "aws_s3_bucket.dup[\"a.b]\\\"c\"]", NULL, PROJECT "/a.tf", 2);
	expect(m, "data.aws_region.current", NULL, PROJECT "/b.tf", 6);
	expect(m, "data.aws_region.current[0]", "name", PROJECT "/b.tf", 6);
	expect(m, "aws_region.current", NULL, NULL, 0);   /* a data block is not a resource */
	expect(m, "aws_s3_bucket.hidden", NULL, NULL, 0); /* dot files are not read */
	expect(m, "aws_s3_bucket.json", NULL, NULL, 0);   /* nor .tf.json */
	assert_string_equal(why(m, "aws_s3_bucket.nope"),
	                    "no resource \"aws_s3_bucket\" \"nope\" block in '" PROJECT "'");
	assert_int_equal(d.n, 0);
	tfmap_free(m);
	diags_free(&d);
}

static void test_local_modules(void **state)
{
	(void)state;
	struct tfmap *m = tfmap_new("./" PROJECT "/", NULL);
	const char *one = PROJECT "/modules/one/main.tf";
	expect(m, "module.one[2].aws_security_group.sg", NULL, one, 5);
	expect(m, "module.one.aws_security_group.sg", "name", one, 6);
	expect(m, "module.one[0].aws_security_group.sg", "ingress.1.cidr_blocks.0", one, 13);
	expect(m, "module.one[0].aws_security_group.sg", "ingress.0.to_port", one, 8);
	expect(m, "module.one[0].aws_security_group.sg", "egress.0.cidr_blocks", one, 5);
	expect(m, "module.one[1].module.two.module.three.aws_subnet.deep[\"b\"]", "cidr_block",
	       PROJECT "/modules/two/three/main.tf", 3);
	expect(m, "module.loop.null_resource.x", NULL, PROJECT "/modules/loop/main.tf", 5);

	struct tfmap_loc loc;
	assert_true(tfmap_lookup(m, "module.one[0].aws_security_group.sg", "ingress.0.to_port",
	                         &loc));
	assert_false(loc.exact);
	assert_string_equal(loc.attr->path, "ingress.0");
	assert_int_equal(loc.column, 3);
	assert_true(tfmap_lookup(m, "module.one[0].aws_security_group.sg", "name", &loc));
	assert_true(loc.exact);
	assert_true(tfmap_lookup(m, "module.one[0].aws_security_group.sg", NULL, &loc));
	assert_null(loc.attr);
	assert_int_equal(loc.column, 1);
	tfmap_free(m);
}

static void test_unmapped_modules(void **state)
{
	(void)state;
	struct tfmap *m = tfmap_new(PROJECT, NULL);
	assert_string_equal(why(m, "module.git.aws_vpc.this"),
	                    "module 'git' has a remote source "
	                    "(git: git::https://example.com/infra/modules.git//vpc?ref=v1.2.0)");
	assert_string_equal(why(m, "module.registry[0].module.x.aws_instance.y"),
	                    "module 'registry' has a remote source (registry: hashicorp/consul/aws)");
	assert_string_equal(why(m, "module.computed.aws_instance.y"),
	                    "module 'computed' (" PROJECT "/a.tf:20) has no literal source");
	assert_string_equal(why(m, "module.missing.aws_instance.y"),
	                    "cannot read the directory '" PROJECT "/modules/none' of module 'missing'");
	assert_string_equal(why(m, "module.loop.module.again.null_resource.x"),
	                    "module 'again' (" PROJECT "/modules/loop/main.tf:1) includes itself");
	assert_string_equal(why(m, "module.nope.aws_instance.y"),
	                    "no module \"nope\" block in '" PROJECT "'");
	assert_string_equal(why(m, "module.one.module.two.aws_instance.y"),
	                    "no resource \"aws_instance\" \"y\" block in '" PROJECT "/modules/two'");
	tfmap_free(m);
}

static void test_bad_addresses(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "aws_s3_bucket", "aws_s3_bucket.", "module.one", "module.one.", "module..x.y",
		"aws_s3_bucket.dup[", "aws_s3_bucket.dup[\"x]", "aws_s3_bucket.dup[0]x",
		"aws_s3_bucket[0].dup", "aws_s3_bucket.dup.extra", "data.aws_region",
		"Deployment/default/web", "AWS::S3::Bucket",
	};
	struct tfmap *m = tfmap_new(PROJECT, NULL);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct tfmap_loc loc;
		if (tfmap_lookup(m, bad[i], NULL, &loc))
			fail_msg("'%s' mapped to %s:%u", bad[i], loc.file, loc.line);
		assert_non_null(loc.unmapped);
	}
	assert_string_equal(why(m, "module.one"), "'module.one' is not a Terraform resource address");
	tfmap_free(m);
}

static void test_ignores(void **state)
{
	(void)state;
	struct tfmap *m = tfmap_new(PROJECT, NULL);
	struct tfmap_loc loc;
	const struct hcl_ignore *ig[4];
	assert_true(tfmap_lookup(m, "data.aws_region.current", "name", &loc));
	assert_int_equal(tfmap_ignores(&loc, ig, 4), 1);
	assert_string_equal(ig[0]->policy, "residency/allowed-regions");
	assert_string_equal(ig[0]->until, "2027-01-31");
	assert_string_equal(ig[0]->reason, "region lookup only");
	assert_int_equal(ig[0]->line, 5);

	const char *sg = "module.one[0].aws_security_group.sg";
	assert_true(tfmap_lookup(m, sg, "ingress.1.cidr_blocks.0", &loc));
	assert_int_equal(tfmap_ignores(&loc, ig, 4), 1);
	assert_string_equal(ig[0]->policy, "egress/open-internet");
	assert_true(tfmap_lookup(m, sg, "ingress.0.from_port", &loc));
	assert_int_equal(tfmap_ignores(&loc, ig, 4), 0);
	assert_true(tfmap_lookup(m, sg, NULL, &loc));
	assert_int_equal(tfmap_ignores(&loc, ig, 4), 0);
	assert_false(tfmap_lookup(m, "aws_s3_bucket.none", NULL, &loc));
	assert_int_equal(tfmap_ignores(&loc, ig, 4), 0);
	/* the count is complete even when out is too small */
	assert_true(tfmap_lookup(m, "data.aws_region.current", NULL, &loc));
	assert_int_equal(tfmap_ignores(&loc, NULL, 0), 1);
	tfmap_free(m);
}

static void test_dir_has_tf(void **state)
{
	(void)state;
	assert_true(tfmap_dir_has_tf(PROJECT));
	assert_true(tfmap_dir_has_tf(PROJECT "/modules/two/three"));
	assert_false(tfmap_dir_has_tf("tests/data/tfsrc/project/modules"));
	assert_false(tfmap_dir_has_tf("tests/data/tfsrc/no-such-dir"));
}

/* Syntax problems in a source file are warnings naming the file; the rest still maps. */
static void test_warnings(void **state)
{
	(void)state;
	char dir[] = "/tmp/moongate-tfmap-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = testutil_join(dir, "main.tf");
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("resource \"a\" \"b\" {\n  x = \"open\n}\nresource \"a\" \"c\" {}\n", f);
	fclose(f);
	struct diags d = DIAGS_INIT;
	struct tfmap *m = tfmap_new(dir, &d);
	struct tfmap_loc loc;
	assert_true(tfmap_lookup(m, "a.c", NULL, &loc));
	assert_int_equal(loc.line, 4);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].kind, DIAG_WARNING);
	assert_string_equal(d.v[0].file, path);
	assert_int_equal(d.v[0].line, 2);
	assert_string_equal(d.v[0].message, "unterminated string");
	/* a directory is read once: a second lookup adds no warning */
	assert_true(tfmap_lookup(m, "a.b", "x", &loc));
	assert_int_equal(d.n, 1);
	tfmap_free(m);
	diags_free(&d);
	unlink(path);
	rmdir(dir);
	free(path);
}

/* Every resource change of the example plan, where its block is. */
static void test_example_project(void **state)
{
	(void)state;
	static const struct {
		const char *address, *path, *file;
		unsigned line;
	} cases[] = {
		{"aws_s3_bucket.logs[\"app\"]", NULL, "main.tf", 8},
		{"aws_s3_bucket.logs[\"audit\"]", "tags.Owner", "main.tf", 12},
		{"aws_s3_bucket_versioning.logs[\"audit\"]", "versioning_configuration.0.status",
		 "main.tf", 22},
		{"module.app[0].aws_security_group.web", NULL, "modules/app/main.tf", 9},
		{"module.app[1].aws_security_group.web", "egress.0.cidr_blocks.0",
		 "modules/app/main.tf", 27},
		{"module.app[1].aws_security_group.web", "ingress.0.cidr_blocks",
		 "modules/app/main.tf", 19},
		{"module.app[0].module.net.aws_subnet.this[\"a\"]", "map_public_ip_on_launch",
		 "modules/net/main.tf", 14},
		{"module.app[1].module.net.aws_subnet.this[\"b\"]", "tags.Name",
		 "modules/net/main.tf", 17},
		{"module.vpc.aws_vpc.this[0]", NULL, NULL, 0},
	};
	struct diags d = DIAGS_INIT;
	struct tfmap *m = tfmap_new("examples/terraform-project", &d);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *file = cases[i].file ? xasprintf("examples/terraform-project/%s", cases[i].file)
		                           : NULL;
		expect(m, cases[i].address, cases[i].path, file, cases[i].line);
		free(file);
	}
	struct tfmap_loc loc;
	const struct hcl_ignore *ig[2];
	assert_true(tfmap_lookup(m, "aws_s3_bucket_versioning.logs[\"app\"]", NULL, &loc));
	assert_int_equal(tfmap_ignores(&loc, ig, 2), 1);
	assert_string_equal(ig[0]->policy, "test/versioning");
	assert_int_equal(d.n, 0);
	tfmap_free(m);
	diags_free(&d);
}

/* A finding on resource address of the first input of m, at its plan position. */
static void add_finding(struct findings *fs, const struct model *m, const char *address,
                        const char *path)
{
	struct finding *f = findings_add(fs);
	f->policy = xstrdup("test/p");
	f->message = xstrdup("bad");
	f->resource = xstrdup(address);
	f->file = xstrdup(m->inputs[0]->doc.src.path);
	f->line = 1;
	f->column = 7;
	f->path = path ? xstrdup(path) : NULL;
}

/* Plan findings get their .tf location by default from the plan's directory; SARIF puts it
 * first and keeps the plan position as a related location, text shows both. */
static void test_annotate_and_report(void **state)
{
	(void)state;
	static const char *const plan[] = {"examples/terraform-project/plan-oneline.json"};
	struct model m;
	model_init(&m);
	load_paths(&m, plan, 1, NULL);
	assert_int_equal(m.ninputs, 1);
	assert_int_equal(m.inputs[0]->format, FORMAT_TFPLAN);
	struct findings fs = FINDINGS_INIT;
	add_finding(&fs, &m, "module.app[1].module.net.aws_subnet.this[\"b\"]",
	            "map_public_ip_on_launch");
	add_finding(&fs, &m, "module.vpc.aws_vpc.this[0]", NULL);
	add_finding(&fs, &m, "module.vpc.aws_vpc.this[1]", NULL);
	struct diags d = DIAGS_INIT;
	tfmap_annotate(&fs, &m, NULL, &d);
	assert_string_equal(fs.v[0].src_file, "examples/terraform-project/modules/net/main.tf");
	assert_int_equal(fs.v[0].src_line, 14);
	assert_int_equal(fs.v[0].src_column, 3);
	assert_null(fs.v[1].src_file);
	assert_int_equal(fs.v[1].src_line, 0);
	assert_int_equal(d.n, 1); /* one warning for both unmapped resources of module.vpc */
	assert_int_equal(d.v[0].kind, DIAG_WARNING);
	assert_non_null(strstr(d.v[0].message, "module 'vpc' has a remote source (registry: "));

	struct report_ctx ctx = {.findings = &fs, .diags = &d, .model = &m, .files = 1};
	struct report_sarif_options o = {.root = testutil_source_dir()};
	struct buf out = BUF_INIT;
	report_sarif_write_opts(&ctx, &o, &out);
	const char *sarif = buf_str(&out);
	const char *loc = strstr(sarif, "\"uri\": \"examples/terraform-project/modules/net/main.tf\"");
	const char *related = strstr(sarif, "\"relatedLocations\"");
	assert_non_null(loc);
	assert_non_null(related);
	assert_true(loc < related);
	const char *plan_uri =
		strstr(related, "\"uri\": \"examples/terraform-project/plan-oneline.json\"");
	assert_non_null(plan_uri);
	char *region = xstrndup(plan_uri, 300); /* the related location's own region */
	assert_non_null(strstr(region, "\"startLine\": 1,"));
	assert_non_null(strstr(region, "\"startColumn\": 7"));
	free(region);
	assert_non_null(strstr(loc, "\"startLine\": 14"));
	buf_free(&out);

	report_text_write(&ctx, &out);
	assert_non_null(strstr(buf_str(&out),
		"examples/terraform-project/modules/net/main.tf:14: info [test/p] "
		"module.app[1].module.net.aws_subnet.this[\"b\"]: bad "
		"(examples/terraform-project/plan-oneline.json:1:7)\n"));
	assert_non_null(strstr(buf_str(&out),
		"examples/terraform-project/plan-oneline.json:1:7: info [test/p] "
		"module.vpc.aws_vpc.this[0]: bad\n"));
	buf_free(&out);

	/* --tf-dir names the sources: a directory without them maps nothing */
	for (size_t i = 0; i < fs.n; i++) {
		free(fs.v[i].src_file);
		fs.v[i].src_file = NULL;
	}
	tfmap_annotate(&fs, &m, "examples/terraform-project/modules/net", &d);
	assert_null(fs.v[0].src_file);
	findings_free(&fs);
	diags_free(&d);
	model_free(&m);
}

static const char suppress_plan[] =
	"{\"format_version\": \"1.2\", \"resource_changes\": ["
	"{\"address\": \"module.one[0].aws_security_group.sg\", \"mode\": \"managed\","
	" \"type\": \"aws_security_group\", \"name\": \"sg\","
	" \"change\": {\"actions\": [\"create\"], \"after\": {\"name\": \"sg\"}}},"
	"{\"address\": \"aws_s3_bucket.dup\", \"mode\": \"managed\","
	" \"type\": \"aws_s3_bucket\", \"name\": \"dup\","
	" \"change\": {\"actions\": [\"create\"], \"after\": {\"bucket\": \"x\"}}}]}";

/* Findings on suppress_plan (as if it lay in the test project) after annotation on date
 * today; warnings land in d. */
static void annotate_on(const char *today, struct model *m, struct findings *fs,
                        struct diags *d)
{
	setenv("MOONGATE_TODAY", today, 1);
	model_init(m);
	load_buffer(m, PROJECT "/plan.json", suppress_plan, strlen(suppress_plan), NULL);
	const char *sg = "module.one[0].aws_security_group.sg";
	add_finding(fs, m, sg, "ingress.1.cidr_blocks.0");  /* egress/open-internet: covered */
	free(fs->v[0].policy);
	fs->v[0].policy = xstrdup("egress/open-internet");
	add_finding(fs, m, sg, "ingress.0.from_port");      /* not under the comment */
	free(fs->v[1].policy);
	fs->v[1].policy = xstrdup("egress/open-internet");
	add_finding(fs, m, "aws_s3_bucket.dup", NULL);      /* another block, same policy */
	free(fs->v[2].policy);
	fs->v[2].policy = xstrdup("egress/open-internet");
	add_finding(fs, m, "data.aws_region.current", NULL); /* until=2027-01-31 */
	free(fs->v[3].policy);
	fs->v[3].policy = xstrdup("residency/allowed-regions");
	tfmap_annotate(fs, m, NULL, d);
	unsetenv("MOONGATE_TODAY");
}

/* moongate:ignore comments in the sources by governance's rules: covering only their block
 * or attribute and policy, with an end date, and broken ones reported. */
static void test_inline_suppressions(void **state)
{
	(void)state;
	struct model m;
	struct findings fs = FINDINGS_INIT;
	struct diags d = DIAGS_INIT;
	annotate_on("2026-12-01", &m, &fs, &d);
	assert_int_equal(fs.n, 5); /* + the broken comment of b.tf */
	assert_int_equal(fs.v[0].status, FINDING_SUPPRESSED);
	assert_string_equal(fs.v[0].justification, "bastion");
	assert_string_equal(fs.v[0].suppressed_by, PROJECT "/modules/one/main.tf:12");
	assert_int_equal(fs.v[1].status, FINDING_OPEN);
	assert_int_equal(fs.v[2].status, FINDING_OPEN);
	assert_int_equal(fs.v[3].status, FINDING_SUPPRESSED);
	assert_string_equal(fs.v[3].suppressed_by, PROJECT "/b.tf:5");
	assert_string_equal(fs.v[3].waived_until, "2027-01-31");
	assert_null(fs.v[0].waived_until);
	assert_string_equal(fs.v[4].policy, SUPPRESS_POLICY);
	assert_string_equal(fs.v[4].file, PROJECT "/b.tf");
	assert_int_equal(fs.v[4].line, 8);
	assert_non_null(strstr(fs.v[4].message, "has no reason"));
	assert_int_equal(d.n, 0);
	findings_free(&fs);
	model_free(&m);

	annotate_on("2027-02-01", &m, &fs, &d);
	assert_int_equal(fs.v[0].status, FINDING_SUPPRESSED);
	assert_int_equal(fs.v[3].status, FINDING_OPEN); /* expired */
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].kind, DIAG_WARNING);
	assert_string_equal(d.v[0].file, PROJECT "/b.tf");
	assert_int_equal(d.v[0].line, 5);
	assert_non_null(strstr(d.v[0].message, "expired on 2027-01-31"));
	findings_free(&fs);
	diags_free(&d);
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_and_keys),
		cmocka_unit_test(test_local_modules),
		cmocka_unit_test(test_unmapped_modules),
		cmocka_unit_test(test_bad_addresses),
		cmocka_unit_test(test_ignores),
		cmocka_unit_test(test_dir_has_tf),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_example_project),
		cmocka_unit_test(test_annotate_and_report),
		cmocka_unit_test(test_inline_suppressions),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
