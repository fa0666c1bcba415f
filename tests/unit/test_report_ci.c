/*
 * Unit tests for the CI reporters: SARIF, JUnit, GitHub workflow commands and markdown.
 * Exact output for small hand-made runs, escaping, fingerprints, paths and determinism.
 *
 * Run as `test_report_ci --emit DIR` it writes the reports of its sample runs to DIR instead,
 * for tests/scripts/ci_formats.sh to validate against the official schemas.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp, realpath */
#include "testutil.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/engine.h"
#include "load/load.h"
#include "report/github.h"
#include "report/junit.h"
#include "report/markdown.h"
#include "report/sarif.h"
#include "util/xalloc.h"

/* ---- sample runs ---------------------------------------------------------------------- */

struct run {
	struct findings findings;
	struct diags diags;
	struct model model;
	struct report_ctx ctx;
};

static struct finding *add(struct run *r, const char *policy, enum severity sev,
                           const char *message, const char *resource, const char *file,
                           unsigned line, unsigned column)
{
	struct finding *f = findings_add(&r->findings);
	f->policy = xstrdup(policy);
	f->severity = sev;
	f->message = xstrdup(message);
	f->resource = resource ? xstrdup(resource) : NULL;
	f->file = file ? xstrdup(file) : NULL;
	f->line = line;
	f->column = column;
	return f;
}

static void run_init(struct run *r)
{
	memset(r, 0, sizeof *r);
	model_init(&r->model);
	r->ctx.findings = &r->findings;
	r->ctx.diags = &r->diags;
	r->ctx.fail_on = SEV_LOW;
}

static void run_finish(struct run *r, size_t files, size_t resources, size_t policies)
{
	findings_sort(&r->findings);
	r->ctx.files = files;
	r->ctx.resources = resources;
	r->ctx.policies = policies;
}

static void run_free(struct run *r)
{
	findings_free(&r->findings);
	diags_free(&r->diags);
	model_free(&r->model);
}

/* One high finding with everything known. */
static void sample_one(struct run *r)
{
	run_init(r);
	struct finding *f = add(r, "residency/allowed-regions", SEV_HIGH,
	                        "aws_s3_bucket.logs is in us-east-1", "aws_s3_bucket.logs",
	                        "plan.json", 12, 5);
	f->type = xstrdup("aws_s3_bucket");
	f->path = xstrdup("region");
	f->title = xstrdup("Resources stay in allowed regions");
	f->remediation = xstrdup("Move the bucket to an EU region");
	run_finish(r, 1, 3, 1);
}

/* Several policies and severities, a finding on no resource, an input error, a warning. */
static void sample_mixed(struct run *r)
{
	run_init(r);
	struct finding *f = add(r, "residency/allowed-regions", SEV_CRITICAL, "region us-east-1",
	                        "aws_s3_bucket.logs", "plan.json", 12, 5);
	f->remediation = xstrdup("Move it");
	add(r, "residency/allowed-regions", SEV_HIGH, "replica region us-west-2",
	    "aws_s3_bucket.logs", "plan.json", 30, 0);
	add(r, "egress/open-internet", SEV_MEDIUM, "egress to 0.0.0.0/0", "aws_security_group.web",
	    "plan.json", 40, 0);
	f = add(r, "ai/invocation-logging", SEV_LOW, "logging unknown until apply", NULL, NULL, 0,
	        0);
	f->cannot_verify = true;
	add(r, "concentration/cloud-provider", SEV_INFO, "aws holds 100% of resources", NULL,
	    "k8s/app.yaml", 0, 0);
	diags_add(&r->diags, DIAG_INPUT, "bad.yaml", 3, 7, NULL, "mapping values are not allowed");
	diags_add(&r->diags, DIAG_WARNING, NULL, 0, 0, NULL, "waiver for 'x' matches nothing");
	diags_add(&r->diags, DIAG_POLICY, "org/acme/tags.lua", 9, 0, "acme/tags",
	          "attempt to index a nil value");
	run_finish(r, 3, 10, 5);
}

/* Text that needs escaping in every format. */
static void sample_nasty(struct run *r)
{
	run_init(r);
	struct finding *f = add(r, "acme/odd", SEV_MEDIUM,
	                        "50% <b>&\"q\" 'a'</b> | pipe\r\nline2 \x01 bad\xff utf8 \xc3\xa9",
	                        "res|name`x", "dir,a:b/plan file.json", 2, 3);
	f->remediation = xstrdup("use *this* [link](x) & <that>");
	run_finish(r, 1, 1, 1);
}

static char *render(report_write_fn fn, const struct report_ctx *ctx)
{
	struct buf b = BUF_INIT;
	fn(ctx, &b);
	return buf_detach(&b);
}

static void sarif_at_repo(const struct report_ctx *ctx, struct buf *out)
{
	struct report_sarif_options o = {.root = "/repo"};
	report_sarif_write_opts(ctx, &o, out);
}

static void github_at_repo(const struct report_ctx *ctx, struct buf *out)
{
	report_github_write_root(ctx, "/repo", out);
}

static void junit_fixed(const struct report_ctx *ctx, struct buf *out)
{
	struct report_junit_options o = {.timestamp = 1790000000, .hostname = "ci-runner"};
	report_junit_write_opts(ctx, &o, out);
}

/* ---- GitHub --------------------------------------------------------------------------- */

static void test_github_exact(void **state)
{
	(void)state;
	struct run r;
	sample_mixed(&r);
	char *out = render(github_at_repo, &r.ctx);
	assert_string_equal(
		out,
		"::error file=bad.yaml,line=3,col=7,title=moongate%3A input error::"
		"mapping values are not allowed\n"
		"::warning title=moongate%3A warning::waiver for 'x' matches nothing\n"
		"::error file=org/acme/tags.lua,line=9,title=moongate%3A policy error::"
		"policy 'acme/tags': attempt to index a nil value\n"
		"::notice title=ai/invocation-logging (low)::logging unknown until apply"
		" (cannot verify: unknown until apply)\n"
		"::notice file=k8s/app.yaml,title=concentration/cloud-provider (info)::"
		"aws holds 100%25 of resources\n"
		"::error file=plan.json,line=12,col=5,title=residency/allowed-regions (critical)::"
		"aws_s3_bucket.logs: region us-east-1%0Aremediation: Move it\n"
		"::error file=plan.json,line=30,title=residency/allowed-regions (high)::"
		"aws_s3_bucket.logs: replica region us-west-2\n"
		"::warning file=plan.json,line=40,title=egress/open-internet (medium)::"
		"aws_security_group.web: egress to 0.0.0.0/0\n");
	free(out);
	run_free(&r);
}

static void test_github_escaping(void **state)
{
	(void)state;
	struct run r;
	sample_nasty(&r);
	char *out = render(github_at_repo, &r.ctx);
	assert_string_equal(out, "::warning file=dir%2Ca%3Ab/plan file.json,line=2,col=3,"
	                         "title=acme/odd (medium)::res|name`x: 50%25 <b>&\"q\" 'a'</b> | "
	                         "pipe%0D%0Aline2 \\x01 bad\xff utf8 \xc3\xa9%0Aremediation: use "
	                         "*this* [link](x) & <that>\n");
	free(out);
	run_free(&r);
}

/* Annotation paths are relative to the repository root, whatever the current directory. */
static void test_github_paths(void **state)
{
	(void)state;
	struct run r;
	run_init(&r);
	add(&r, "p/x", SEV_HIGH, "m", NULL, "/repo/infra/tfplan.json", 3, 0);
	add(&r, "p/x", SEV_HIGH, "m", NULL, "infra/../infra/./main.tf.json", 4, 0);
	add(&r, "p/x", SEV_HIGH, "m", NULL, "/elsewhere/x.json", 5, 0);
	run_finish(&r, 3, 0, 1);
	char *out = render(github_at_repo, &r.ctx);
	assert_string_equal(out, "::error file=/elsewhere/x.json,line=5,title=p/x (high)::m\n"
	                         "::error file=infra/tfplan.json,line=3,title=p/x (high)::m\n"
	                         "::error file=infra/main.tf.json,line=4,title=p/x (high)::m\n");
	free(out);
	run_free(&r);
}

/* Standard input has a name but no path: no file location in SARIF or annotations. */
static void test_stdin_has_no_location(void **state)
{
	(void)state;
	struct run r;
	run_init(&r);
	add(&r, "p/x", SEV_MEDIUM, "m", "Namespace/batch", "<stdin>", 3, 1);
	run_finish(&r, 1, 1, 1);
	char *out = render(github_at_repo, &r.ctx);
	assert_string_equal(out, "::warning title=p/x (medium)::Namespace/batch: m\n");
	free(out);
	out = render(sarif_at_repo, &r.ctx);
	assert_null(strstr(out, "physicalLocation"));
	assert_non_null(strstr(out, "\"fullyQualifiedName\": \"Namespace/batch\""));
	free(out);
	run_free(&r);
}

/* ---- SARIF ---------------------------------------------------------------------------- */

static void test_sarif_exact(void **state)
{
	(void)state;
	struct run r;
	sample_one(&r);
	char *out = render(sarif_at_repo, &r.ctx);
	char fp[17];
	const char *fields[] = {"residency/allowed-regions", "plan.json", "aws_s3_bucket.logs",
	                        "region"};
	report_sarif_fingerprint(fields, 4, fp);
	char *expected = xasprintf(
		"{\n"
		"  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
		"  \"version\": \"2.1.0\",\n"
		"  \"runs\": [\n"
		"    {\n"
		"      \"tool\": {\n"
		"        \"driver\": {\n"
		"          \"name\": \"moongate\",\n"
		"          \"version\": \"%s\",\n"
		"          \"semanticVersion\": \"%s\",\n"
		"          \"informationUri\": \"https://github.com/moongate/moongate\",\n"
		"          \"rules\": [\n"
		"            {\n"
		"              \"id\": \"residency/allowed-regions\",\n"
		"              \"name\": \"ResidencyAllowedRegions\",\n"
		"              \"shortDescription\": {\n"
		"                \"text\": \"Resources stay in allowed regions\"\n"
		"              },\n"
		"              \"fullDescription\": {\n"
		"                \"text\": \"Resources stay in allowed regions\"\n"
		"              },\n"
		"              \"help\": {\n"
		"                \"text\": \"Remediation: Move the bucket to an EU region\"\n"
		"              },\n"
		"              \"defaultConfiguration\": {\n"
		"                \"level\": \"error\"\n"
		"              },\n"
		"              \"properties\": {\n"
		"                \"tags\": [\n"
		"                  \"security\",\n"
		"                  \"residency\"\n"
		"                ],\n"
		"                \"security-severity\": \"8.0\",\n"
		"                \"precision\": \"high\",\n"
		"                \"severity\": \"high\"\n"
		"              }\n"
		"            }\n"
		"          ]\n"
		"        }\n"
		"      },\n"
		"      \"invocations\": [\n"
		"        {\n"
		"          \"executionSuccessful\": true\n"
		"        }\n"
		"      ],\n"
		"      \"originalUriBaseIds\": {\n"
		"        \"%%SRCROOT%%\": {\n"
		"          \"uri\": \"file:///repo/\"\n"
		"        }\n"
		"      },\n"
		"      \"columnKind\": \"unicodeCodePoints\",\n"
		"      \"results\": [\n"
		"        {\n"
		"          \"ruleId\": \"residency/allowed-regions\",\n"
		"          \"ruleIndex\": 0,\n"
		"          \"level\": \"error\",\n"
		"          \"message\": {\n"
		"            \"text\": \"aws_s3_bucket.logs is in us-east-1\"\n"
		"          },\n"
		"          \"locations\": [\n"
		"            {\n"
		"              \"physicalLocation\": {\n"
		"                \"artifactLocation\": {\n"
		"                  \"uri\": \"plan.json\",\n"
		"                  \"uriBaseId\": \"%%SRCROOT%%\"\n"
		"                },\n"
		"                \"region\": {\n"
		"                  \"startLine\": 12,\n"
		"                  \"startColumn\": 5\n"
		"                }\n"
		"              },\n"
		"              \"logicalLocations\": [\n"
		"                {\n"
		"                  \"fullyQualifiedName\": \"aws_s3_bucket.logs\",\n"
		"                  \"kind\": \"resource\"\n"
		"                }\n"
		"              ]\n"
		"            }\n"
		"          ],\n"
		"          \"partialFingerprints\": {\n"
		"            \"moongate/v1\": \"%s\"\n"
		"          },\n"
		"          \"properties\": {\n"
		"            \"severity\": \"high\",\n"
		"            \"resourceType\": \"aws_s3_bucket\",\n"
		"            \"attributePath\": \"region\"\n"
		"          }\n"
		"        }\n"
		"      ]\n"
		"    }\n"
		"  ]\n"
		"}\n",
		MOONGATE_VERSION, MOONGATE_VERSION, fp);
	assert_string_equal(out, expected);
	free(expected);
	free(out);
	run_free(&r);
}

/* The value of the n-th (0-based) "moongate/v1" fingerprint in a SARIF log. */
static char *nth_fingerprint(const char *sarif, int n)
{
	const char *p = sarif;
	for (int i = 0; i <= n; i++) {
		p = strstr(p, "\"moongate/v1\": \"");
		assert_non_null(p);
		p += strlen("\"moongate/v1\": \"");
	}
	return xstrndup(p, 16);
}

static char *fingerprint_of(const char *policy, const char *resource, const char *file,
                            unsigned line)
{
	struct run r;
	run_init(&r);
	add(&r, policy, SEV_HIGH, "message", resource, file, line, 1);
	run_finish(&r, 1, 1, 1);
	char *out = render(sarif_at_repo, &r.ctx);
	char *fp = nth_fingerprint(out, 0);
	free(out);
	run_free(&r);
	return fp;
}

static void test_sarif_fingerprints(void **state)
{
	(void)state;
	char *base = fingerprint_of("p/x", "aws_s3_bucket.a", "plan.json", 10);
	char *shifted = fingerprint_of("p/x", "aws_s3_bucket.a", "plan.json", 250);
	char *dotted = fingerprint_of("p/x", "aws_s3_bucket.a", "./plan.json", 10);
	char *other_res = fingerprint_of("p/x", "aws_s3_bucket.b", "plan.json", 10);
	char *other_pol = fingerprint_of("p/y", "aws_s3_bucket.a", "plan.json", 10);
	char *other_file = fingerprint_of("p/x", "aws_s3_bucket.a", "other.json", 10);
	assert_string_equal(base, shifted);
	assert_string_equal(base, dotted); /* the repository-relative path counts, not the spelling */
	assert_string_not_equal(base, other_res);
	assert_string_not_equal(base, other_pol);
	assert_string_not_equal(base, other_file);
	assert_int_equal(strspn(base, "0123456789abcdef"), 16);
	/* field boundaries count: ("ab","c") differs from ("a","bc"), NULL from "" */
	char a[17], b[17], c[17], d[17];
	report_sarif_fingerprint((const char *[]){"ab", "c"}, 2, a);
	report_sarif_fingerprint((const char *[]){"a", "bc"}, 2, b);
	report_sarif_fingerprint((const char *[]){"a", NULL}, 2, c);
	report_sarif_fingerprint((const char *[]){"a", ""}, 2, d);
	assert_string_not_equal(a, b);
	assert_string_not_equal(c, d);
	/* FNV-1a 64 of "a" then the 0 separator, computed independently */
	uint64_t h = 0xcbf29ce484222325u;
	h = (h ^ 'a') * 0x100000001b3u;
	h = (h ^ 0) * 0x100000001b3u;
	char want[17];
	snprintf(want, sizeof want, "%016llx", (unsigned long long)h);
	report_sarif_fingerprint((const char *[]){"a"}, 1, a);
	assert_string_equal(a, want);
	free(base);
	free(shifted);
	free(dotted);
	free(other_res);
	free(other_pol);
	free(other_file);
}

static void test_sarif_mixed(void **state)
{
	(void)state;
	struct run r;
	sample_mixed(&r);
	char *out = render(sarif_at_repo, &r.ctx);
	/* rules sorted by id, results point at them by index */
	const char *ids[] = {"ai/invocation-logging", "concentration/cloud-provider",
	                     "egress/open-internet", "residency/allowed-regions"};
	const char *prev = out;
	for (int i = 0; i < 4; i++) {
		char *needle = xasprintf("\"id\": \"%s\"", ids[i]);
		const char *at = strstr(out, needle);
		assert_non_null(at);
		assert_true(at > prev);
		prev = at;
		free(needle);
	}
	assert_non_null(strstr(out, "\"ruleId\": \"egress/open-internet\",\n"
	                            "          \"ruleIndex\": 2,\n"
	                            "          \"level\": \"warning\""));
	assert_non_null(strstr(out, "\"ruleIndex\": 0,\n          \"level\": \"note\""));
	assert_non_null(strstr(out, "\"security-severity\": \"9.5\"")); /* critical seen */
	assert_non_null(strstr(out, "\"executionSuccessful\": false"));
	assert_non_null(strstr(out, "\"id\": \"input-error\""));
	assert_non_null(strstr(out, "\"associatedRule\": {\n"));
	assert_non_null(strstr(out, "\"uri\": \"bad.yaml\""));
	assert_non_null(strstr(out, "\"uri\": \"k8s/app.yaml\""));
	assert_non_null(strstr(out, "\"cannotVerify\": true"));
	/* a finding on the run, no file: no locations at all */
	const char *ai = strstr(out, "\"text\": \"logging unknown until apply\"");
	assert_non_null(ai);
	const char *next = strstr(ai, "\"partialFingerprints\"");
	assert_non_null(next);
	char *between = xstrndup(ai, (size_t)(next - ai));
	assert_null(strstr(between, "locations"));
	free(between);
	free(out);
	run_free(&r);
}

static void test_sarif_escaping(void **state)
{
	(void)state;
	struct run r;
	sample_nasty(&r);
	char *out = render(sarif_at_repo, &r.ctx);
	assert_non_null(strstr(out, "\"text\": \"50% <b>&\\\"q\\\" 'a'</b> | pipe\\r\\nline2 "
	                            "\\u0001 bad\\ufffd utf8 \xc3\xa9\""));
	assert_non_null(strstr(out, "\"uri\": \"dir%2Ca%3Ab/plan%20file.json\""));
	assert_non_null(strstr(out, "\"fullyQualifiedName\": \"res|name`x\""));
	free(out);
	run_free(&r);
}

static void test_sarif_paths(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/mg-sarif-XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	char real[PATH_MAX];
	assert_non_null(realpath(tmpl, real));
	char *repo = xasprintf("%s/repo", real), *git = xasprintf("%s/repo/.git", real);
	char *sub = xasprintf("%s/repo/sub", real), *file = xasprintf("%s/repo/sub/plan.json", real);
	char *outside = xasprintf("%s/elsewhere.json", real);
	assert_int_equal(mkdir(repo, 0700), 0);
	assert_int_equal(mkdir(git, 0700), 0);
	assert_int_equal(mkdir(sub, 0700), 0);
	FILE *fp = fopen(file, "w");
	assert_non_null(fp);
	fclose(fp);
	char *root = report_sarif_repo_root(file);
	assert_string_equal(root, repo);
	free(root);
	root = report_sarif_repo_root(sub); /* a directory finds its own repository too */
	assert_string_equal(root, repo);
	char *rel = report_sarif_relative(file, root, 0);
	assert_string_equal(rel, "sub/plan.json");
	free(rel);
	assert_null(report_sarif_relative(outside, root, 0));
	rel = report_sarif_relative("./a/../b//c.json", "/r", 1);
	assert_string_equal(rel, "b/c.json");
	free(rel);
	assert_null(report_sarif_relative("../x.json", "/r", 1));
	rmdir(git);
	unlink(file);
	rmdir(sub);
	rmdir(repo);
	rmdir(real);
	free(root);
	free(repo);
	free(git);
	free(sub);
	free(file);
	free(outside);
}

static void test_sarif_outside_root(void **state)
{
	(void)state;
	struct run r;
	run_init(&r);
	add(&r, "p/x", SEV_LOW, "m", "a.b", "/elsewhere/plan.json", 1, 0);
	run_finish(&r, 1, 1, 1);
	char *out = render(sarif_at_repo, &r.ctx);
	/* outside the root: an absolute URI, and no uriBaseId after it */
	assert_non_null(strstr(out, "\"uri\": \"file:///elsewhere/plan.json\"\n"));
	free(out);
	run_free(&r);
}

static void test_utf8_decode(void **state)
{
	(void)state;
	uint32_t cp;
	assert_int_equal(report_sarif_utf8_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(report_sarif_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(report_sarif_utf8_decode("\xc0\xaf", 2, &cp), 1); /* overlong */
	assert_int_equal(cp, 0xfffd);
	assert_int_equal(report_sarif_utf8_decode("\xed\xa0\x80", 3, &cp), 1); /* surrogate */
	assert_int_equal(cp, 0xfffd);
	assert_int_equal(report_sarif_utf8_decode("\xe2\x82", 2, &cp), 1); /* truncated */
	assert_int_equal(report_sarif_utf8_decode("\xe2\x82\xac", 2, &cp), 1); /* past n */
}

static void test_unwrap(void **state)
{
	(void)state;
	char *s = report_sarif_unwrap("\n  Move the bucket to\n  an EU region.\n\n  Or waive it. \n");
	assert_string_equal(s, "Move the bucket to an EU region.\n\nOr waive it.");
	free(s);
	s = report_sarif_unwrap(" \n ");
	assert_string_equal(s, "");
	free(s);
}

/* ---- JUnit ---------------------------------------------------------------------------- */

static void test_junit_exact(void **state)
{
	(void)state;
	struct run r;
	sample_one(&r);
	char *out = render(junit_fixed, &r.ctx);
	assert_string_equal(
		out,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites>\n"
		"  <testsuite name=\"residency/allowed-regions\" package=\"residency\" id=\"0\""
		" timestamp=\"2026-09-21T14:13:20\" hostname=\"ci-runner\" tests=\"1\" failures=\"1\""
		" errors=\"0\" skipped=\"0\" time=\"0\">\n"
		"    <properties>\n"
		"      <property name=\"severity\" value=\"high\"/>\n"
		"      <property name=\"title\" value=\"Resources stay in allowed regions\"/>\n"
		"    </properties>\n"
		"    <testcase name=\"aws_s3_bucket.logs\" classname=\"residency.allowed-regions\""
		" time=\"0\">\n"
		"      <failure message=\"aws_s3_bucket.logs is in us-east-1\" type=\"high\">"
		"[high] aws_s3_bucket.logs is in us-east-1&#10;"
		"resource: aws_s3_bucket.logs (aws_s3_bucket)&#10;"
		"location: plan.json:12:5&#10;"
		"attribute: region&#10;"
		"&#10;remediation: Move the bucket to an EU region</failure>\n"
		"    </testcase>\n"
		"    <system-out></system-out>\n"
		"    <system-err></system-err>\n"
		"  </testsuite>\n"
		"  <testsuite name=\"moongate\" package=\"moongate\" id=\"1\""
		" timestamp=\"2026-09-21T14:13:20\" hostname=\"ci-runner\" tests=\"0\" failures=\"0\""
		" errors=\"0\" skipped=\"0\" time=\"0\">\n"
		"    <properties>\n"
		"      <property name=\"files\" value=\"1\"/>\n"
		"      <property name=\"resources\" value=\"3\"/>\n"
		"      <property name=\"policies\" value=\"1\"/>\n"
		"      <property name=\"fail-on\" value=\"low\"/>\n"
		"    </properties>\n"
		"    <system-out></system-out>\n"
		"    <system-err></system-err>\n"
		"  </testsuite>\n"
		"</testsuites>\n");
	free(out);
	run_free(&r);
}

/* Counts the occurrences of needle in s. */
static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void test_junit_mixed(void **state)
{
	(void)state;
	struct run r;
	sample_mixed(&r);
	char *out = render(junit_fixed, &r.ctx);
	/* two findings on one resource share one case (the schema allows one failure) */
	assert_non_null(strstr(out, "name=\"residency/allowed-regions\" package=\"residency\" "
	                            "id=\"3\""));
	assert_non_null(strstr(out, "failure message=\"region us-east-1\" type=\"critical\">"
	                            "[critical] region us-east-1&#10;"));
	assert_non_null(strstr(out, "&#10;[high] replica region us-west-2&#10;"));
	assert_int_equal(count(out, "<testsuite "), 5); /* 4 policies + the run */
	assert_int_equal(count(out, "<failure "), 4);
	/* the input error, and the error of a policy the report has no rule for, in the run
	 * suite */
	assert_non_null(strstr(out, "name=\"moongate\" package=\"moongate\" id=\"4\" "
	                            "timestamp=\"2026-09-21T14:13:20\" hostname=\"ci-runner\" "
	                            "tests=\"2\" failures=\"0\" errors=\"2\""));
	assert_non_null(strstr(out, "type=\"policy-error\">org/acme/tags.lua:9: policy "
	                            "&apos;acme/tags&apos;: attempt to index a nil value</error>"));
	assert_non_null(strstr(out, "<testcase name=\"bad.yaml\" classname=\"moongate\" time=\"0\">\n"
	                            "      <error message=\"mapping values are not allowed\" "
	                            "type=\"input-error\">bad.yaml:3:7: mapping values are not "
	                            "allowed</error>"));
	assert_non_null(strstr(out, "<system-err>warning: waiver for &apos;x&apos; matches nothing&#10;"
	                            "</system-err>"));
	assert_non_null(strstr(out, "<testcase name=\"k8s/app.yaml\" "
	                            "classname=\"concentration.cloud-provider\""));
	assert_non_null(strstr(out, "<testcase name=\"run\" classname=\"ai.invocation-logging\""));
	free(out);
	run_free(&r);
}

static void test_junit_escaping(void **state)
{
	(void)state;
	struct run r;
	sample_nasty(&r);
	char *out = render(junit_fixed, &r.ctx);
	assert_non_null(strstr(out, "<failure message=\"50% &lt;b&gt;&amp;&quot;q&quot; "
	                            "&apos;a&apos;&lt;/b&gt; | pipe&#13;&#10;line2 \xef\xbf\xbd bad"
	                            "\xef\xbf\xbd utf8 \xc3\xa9\" type=\"medium\">"));
	assert_non_null(strstr(out, "remediation: use *this* [link](x) &amp; &lt;that&gt;</failure>"));
	assert_null(strchr(out, '\x01'));
	assert_null(strchr(out, '\xff'));
	free(out);
	run_free(&r);
}

/* Passing cases come from the model's resources the policy's types select. */
static void test_junit_passing_from_model(void **state)
{
	(void)state;
	struct run r;
	run_init(&r);
	struct doc doc;
	doc_init(&doc, "plan.json");
	size_t in = model_add_input(&r.model, &doc, FORMAT_TFPLAN);
	const char *res[][2] = {{"aws_s3_bucket.a", "aws_s3_bucket"},
	                        {"aws_s3_bucket.b", "aws_s3_bucket"},
	                        {"aws_s3_bucket.gone", "aws_s3_bucket"},
	                        {"aws_instance.c", "aws_instance"}};
	for (int i = 0; i < 4; i++) {
		struct model_resource *m = model_add_resource(&r.model, in);
		m->address = xstrdup(res[i][0]);
		m->type = xstrdup(res[i][1]);
		m->actions = i == 2 ? ACTION_DELETE : ACTION_CREATE;
	}
	add(&r, "p/buckets", SEV_HIGH, "bad", "aws_s3_bucket.a", "plan.json", 5, 0);
	run_finish(&r, 1, 4, 1);
	r.ctx.model = &r.model;
	/* without an engine the policy's types are not known: only the failing case */
	char *out = render(junit_fixed, &r.ctx);
	assert_non_null(strstr(out, "tests=\"1\" failures=\"1\""));
	free(out);
	run_free(&r);
}

/* ---- markdown ------------------------------------------------------------------------- */

static void test_markdown_exact(void **state)
{
	(void)state;
	struct run r;
	sample_one(&r);
	char *out = render(report_markdown_write, &r.ctx);
	assert_string_equal(
		out,
		"## moongate: 1 finding\n\n"
		"**Result: failed** (1 finding at or above low). Checked 1 file, 3 resources with 1 "
		"policy.\n\n"
		"| Severity | Findings |\n|---|---:|\n"
		"| critical | 0 |\n| high | 1 |\n| medium | 0 |\n| low | 0 |\n| info | 0 |\n\n"
		"| Area | Findings |\n|---|---:|\n| residency | 1 |\n\n"
		"### Findings\n\n"
		"| Severity | Policy | Resource | Location | Message |\n"
		"|---|---|---|---|---|\n"
		"| high | `residency/allowed-regions` | `aws_s3_bucket.logs` | `plan.json:12:5` |"
		" aws\\_s3\\_bucket.logs is in us-east-1 |\n\n"
		"### Policies\n\n"
		"<details>\n"
		"<summary><b>residency/allowed-regions</b> (high): 1 finding: Resources stay in "
		"allowed regions</summary>\n\n"
		"**Remediation:** Move the bucket to an EU region\n\n"
		"</details>\n\n");
	free(out);
	run_free(&r);
}

static void test_markdown_escaping(void **state)
{
	(void)state;
	struct run r;
	sample_nasty(&r);
	char *out = render(report_markdown_write, &r.ctx);
	assert_non_null(strstr(out, "| medium | `acme/odd` | ``res\\|name`x`` | "
	                            "`dir,a:b/plan file.json:2:3` | 50% &lt;b&gt;&amp;\"q\" 'a'&lt;/b&gt; "
	                            "\\| pipe<br>line2 "));
	assert_non_null(strstr(out, "**Remediation:** use \\*this\\* \\[link\\](x) &amp; &lt;that&gt;"));
	/* every table row has exactly the 6 unescaped pipes of 5 cells */
	const char *row = strstr(out, "| medium | `acme");
	const char *end = strchr(row, '\n');
	size_t pipes = 0;
	for (const char *p = row; p < end; p++)
		pipes += *p == '|' && p[-1] != '\\';
	assert_int_equal(pipes, 6);
	free(out);
	run_free(&r);
}

static void test_markdown_mixed(void **state)
{
	(void)state;
	struct run r;
	sample_mixed(&r);
	char *out = render(report_markdown_write, &r.ctx);
	assert_non_null(strstr(out, "**Result: error** (2 errors)"));
	assert_non_null(strstr(out, "| critical | 1 |\n| high | 1 |\n| medium | 1 |\n| low | 1 |\n"
	                            "| info | 1 |\n"));
	assert_non_null(strstr(out, "| ai | 1 |\n| concentration | 1 |\n| egress | 1 |\n"
	                            "| residency | 2 |\n"));
	assert_non_null(strstr(out, "(cannot verify) |"));
	assert_non_null(strstr(out, "- bad.yaml:3:7: mapping values are not allowed\n"));
	assert_non_null(strstr(out, "- warning: waiver for 'x' matches nothing\n"));
	assert_int_equal(count(out, "<details>"), 4);
	free(out);
	run_free(&r);
}

static void test_markdown_row_limit(void **state)
{
	(void)state;
	struct run r;
	run_init(&r);
	for (int i = 0; i < REPORT_MARKDOWN_MAX_ROWS + 7; i++) {
		char res[32];
		snprintf(res, sizeof res, "r.n%04d", i);
		add(&r, "p/x", SEV_MEDIUM, "m", res, "f.json", (unsigned)i + 1, 0);
	}
	run_finish(&r, 1, REPORT_MARKDOWN_MAX_ROWS + 7, 1);
	char *out = render(report_markdown_write, &r.ctx);
	assert_int_equal(count(out, "| medium | `p/x`"), REPORT_MARKDOWN_MAX_ROWS);
	assert_non_null(strstr(out, "\n7 more findings not shown"));
	free(out);
	run_free(&r);
}

/* ---- with the real engine and the built-in policies ----------------------------------- */

/* The built-in pack over examples/multi-cloud/plan.json; returns the engine (caller frees). */
static struct engine *sample_engine(struct run *r)
{
	run_init(r);
	struct engine_options eo = {.builtin = true};
	struct engine *e = engine_new(&eo, &r->diags);
	assert_non_null(e);
	char *plan = testutil_join(testutil_source_dir(), "examples/multi-cloud/plan.json");
	const char *paths[] = {plan};
	load_paths(&r->model, paths, 1, NULL);
	assert_int_equal(r->model.diags.n, 0);
	engine_run(e, &r->model, &r->findings, &r->diags);
	run_finish(r, r->model.ninputs, r->model.nresources, engine_policy_count(e));
	r->ctx.engine = e;
	r->ctx.model = &r->model;
	free(plan);
	return e;
}

static void test_real_engine(void **state)
{
	(void)state;
	struct run r;
	struct engine *e = sample_engine(&r);
	assert_true(r.findings.n > 0);
	size_t enabled = 0;
	for (size_t i = 0; i < engine_policy_count(e); i++)
		enabled += engine_policy(e, i)->enabled;

	/* SARIF: one rule per enabled policy, with the engine's title */
	char *out = render(sarif_at_repo, &r.ctx);
	assert_int_equal(count(out, "\"security-severity\""), enabled);
	const struct policy_info *p0 = engine_policy(e, 0);
	char *title = xasprintf("\"shortDescription\": {\n                \"text\": \"%s\"", p0->title);
	assert_non_null(strstr(out, title));
	assert_int_equal(count(out, "\"ruleId\""), r.findings.n);
	free(title);
	free(out);

	/* JUnit: one suite per enabled policy plus the run; passing cases from the model */
	out = render(junit_fixed, &r.ctx);
	assert_int_equal(count(out, "<testsuite "), enabled + 1);
	size_t cases = count(out, "<testcase "), failures = count(out, "<failure ");
	assert_true(failures > 0 && failures <= r.findings.n);
	assert_true(cases > failures); /* some resources pass some policies */
	free(out);

	engine_free(e);
	run_free(&r);
}

/* ---- every format --------------------------------------------------------------------- */

static const struct {
	const char *name;
	report_write_fn fn;
} formats[] = {
	{"sarif", sarif_at_repo},
	{"junit", junit_fixed},
	{"github", github_at_repo},
	{"markdown", report_markdown_write},
};

static void test_deterministic_and_empty(void **state)
{
	(void)state;
	struct run r, empty;
	sample_mixed(&r);
	run_init(&empty);
	run_finish(&empty, 0, 0, 0);
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		char *a = render(formats[i].fn, &r.ctx), *b = render(formats[i].fn, &r.ctx);
		assert_string_equal(a, b);
		free(a);
		free(b);
		a = render(formats[i].fn, &empty.ctx);
		assert_non_null(a);
		free(a);
	}
	struct report_ctx bare = {0}; /* no findings, no diags, no engine, no model */
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
		free(render(formats[i].fn, &bare));
	run_free(&r);
	run_free(&empty);
}

/* ---- --emit DIR: sample reports for the schema validators ----------------------------- */

static int emit_run(const char *dir, const char *name, const struct report_ctx *ctx)
{
	static const char *const ext[] = {"sarif", "xml", "txt", "md"};
	static const report_write_fn writers[] = {report_sarif_write, report_junit_write,
	                                          report_github_write, report_markdown_write};
	for (size_t i = 0; i < 4; i++) {
		char *path = xasprintf("%s/%s.%s", dir, name, ext[i]);
		char *out = render(writers[i], ctx);
		FILE *f = fopen(path, "wb");
		bool ok = f && fputs(out, f) >= 0;
		if (f && fclose(f) != 0)
			ok = false;
		if (!ok)
			fprintf(stderr, "test_report_ci: cannot write '%s'\n", path);
		free(out);
		free(path);
		if (!ok)
			return 1;
	}
	return 0;
}

static int emit(const char *dir)
{
	void (*samples[])(struct run *) = {sample_one, sample_mixed, sample_nasty};
	const char *names[] = {"one", "mixed", "nasty"};
	int rc = 0;
	for (size_t s = 0; s < 3; s++) {
		struct run r;
		samples[s](&r);
		rc |= emit_run(dir, names[s], &r.ctx);
		run_free(&r);
	}
	struct run r;
	struct engine *e = sample_engine(&r);
	rc |= emit_run(dir, "engine", &r.ctx);
	engine_free(e);
	run_free(&r);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--emit") == 0)
		return emit(argv[2]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_github_exact),
		cmocka_unit_test(test_github_escaping),
		cmocka_unit_test(test_github_paths),
		cmocka_unit_test(test_stdin_has_no_location),
		cmocka_unit_test(test_sarif_exact),
		cmocka_unit_test(test_sarif_fingerprints),
		cmocka_unit_test(test_sarif_mixed),
		cmocka_unit_test(test_sarif_escaping),
		cmocka_unit_test(test_sarif_paths),
		cmocka_unit_test(test_sarif_outside_root),
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_unwrap),
		cmocka_unit_test(test_junit_exact),
		cmocka_unit_test(test_junit_mixed),
		cmocka_unit_test(test_junit_escaping),
		cmocka_unit_test(test_junit_passing_from_model),
		cmocka_unit_test(test_markdown_exact),
		cmocka_unit_test(test_markdown_escaping),
		cmocka_unit_test(test_markdown_mixed),
		cmocka_unit_test(test_markdown_row_limit),
		cmocka_unit_test(test_deterministic_and_empty),
		cmocka_unit_test(test_real_engine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
