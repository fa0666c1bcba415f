/* Unit tests for governance (src/govern): inline suppression parsing and binding, waivers
 * with expiry and unused ones, enforcement levels, profiles, baselines and today's date. */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "govern/baseline.h"
#include "govern/gov.h"
#include "govern/suppress.h"
#include "govern/waiver.h"
#include "load/load.h"
#include "report/json.h"
#include "report/sarif.h"
#include "report/text.h"
#include "util/xalloc.h"
#include "util/isodate.h"

/* ---------------------------------------------------------------- helpers */

static char *temp_file(const char *name, const char *text)
{
	char *dir = xstrdup("/tmp/moongate-govern-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/%s", dir, name);
	free(dir);
	if (text) {
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		fputs(text, f);
		fclose(f);
	}
	return path;
}

static void remove_temp(char *path)
{
	char *cmd = xasprintf("rm -rf \"$(dirname '%s')\"", path);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(path);
}

static void load_config(struct config *c, const char *text)
{
	char *path = temp_file(".moongate.yaml", text);
	struct diags d = DIAGS_INIT;
	config_init(c);
	assert_true(config_load(c, path, &d));
	assert_int_equal(d.n, 0);
	diags_free(&d);
	remove_temp(path);
}

static struct finding *add_finding(struct findings *fs, const char *policy, const char *resource,
                                   const char *file, unsigned line, enum severity sev)
{
	struct finding *f = findings_add(fs);
	f->policy = xstrdup(policy);
	f->resource = resource ? xstrdup(resource) : NULL;
	f->file = file ? xstrdup(file) : NULL;
	f->line = line;
	f->severity = sev;
	f->message = xstrdup("m");
	return f;
}

/* The diagnostic whose message contains text, or NULL. */
static const struct diag *diag_with(const struct diags *d, const char *text)
{
	for (size_t i = 0; i < d->n; i++) {
		if (strstr(d->v[i].message, text))
			return &d->v[i];
	}
	return NULL;
}

static const struct finding *finding_of(const struct findings *fs, const char *policy,
                                        const char *resource)
{
	for (size_t i = 0; i < fs->n; i++) {
		if (strcmp(fs->v[i].policy, policy) == 0 &&
		    (!resource || (fs->v[i].resource && strcmp(fs->v[i].resource, resource) == 0)))
			return &fs->v[i];
	}
	return NULL;
}

/* ---------------------------------------------------------------- suppression text */

static void test_parse(void **state)
{
	(void)state;
	char **ids, *until, *reason;
	suppress_parse(" a/b, c/* until=2027-01-31 -- kept on purpose  ", &ids, &until, &reason);
	assert_string_equal(ids[0], "a/b");
	assert_string_equal(ids[1], "c/*");
	assert_null(ids[2]);
	assert_string_equal(until, "2027-01-31");
	assert_string_equal(reason, "kept on purpose");
	for (size_t i = 0; ids[i]; i++)
		free(ids[i]);
	free(ids);
	free(until);
	free(reason);

	suppress_parse(" a/b --   ", &ids, &until, &reason);
	assert_string_equal(ids[0], "a/b");
	assert_null(until);
	assert_null(reason);
	free(ids[0]);
	free(ids);

	suppress_parse("a/b until= -- r", &ids, &until, &reason);
	assert_string_equal(ids[0], "a/b");
	assert_null(ids[1]);
	assert_string_equal(until, ""); /* an empty date: reported as invalid */
	assert_false(isodate_valid(until));
	free(ids[0]);
	free(ids);
	free(until);
	free(reason);

	suppress_parse("", &ids, &until, &reason);
	assert_null(ids[0]);
	assert_null(reason);
	free(ids);
}

static const char manifests[] =
	"# moongate:ignore t/label -- legacy\n"          /* 1 */
	"---\n"                                            /* 2 */
	"apiVersion: v1\n"                                 /* 3 */
	"kind: ConfigMap\n"                                /* 4 */
	"metadata: {name: legacy}\n"                       /* 5 */
	"---\n"                                            /* 6 */
	"apiVersion: apps/v1\n"                            /* 7 */
	"kind: Deployment\n"                               /* 8 */
	"metadata:\n"                                      /* 9 */
	"  name: web\n"                                    /* 10 */
	"  annotations:\n"                                 /* 11 */
	"    moongate.io/ignore: \"t/label -- chart owned\"\n" /* 12 */
	"spec:\n"                                          /* 13 */
	"  replicas: 1 # moongate:ignore t/replicas -- staging\n" /* 14 */
	"  paused: false #moongate:ignore t/paused\n"      /* 15 */
	"  note: \"a#moongate:ignore t/x -- not a comment\"\n"; /* 16 */

static void test_scan_and_bind(void **state)
{
	(void)state;
	struct model m;
	struct suppressions s = {0};
	struct findings problems = FINDINGS_INIT;
	struct diags d = DIAGS_INIT;
	model_init(&m);
	load_buffer(&m, "k8s.yaml", manifests, strlen(manifests), NULL);
	assert_int_equal(m.nresources, 2);
	suppress_scan(&s, &m, "2026-06-01", &problems, &d);
	/* three comments (line 16 is inside a string) and one annotation */
	assert_int_equal(s.n, 4);
	assert_int_equal(s.v[0].line, 1);
	assert_int_equal(s.v[0].target, 3); /* past the '---' to the document */
	assert_int_equal(s.v[1].target, 14); /* after a value: its own line */
	assert_false(s.v[2].usable);          /* no reason */
	assert_int_equal(problems.n, 1);
	assert_string_equal(problems.v[0].policy, SUPPRESS_POLICY);
	assert_int_equal(problems.v[0].line, 15);
	assert_non_null(strstr(problems.v[0].message, "has no reason"));
	assert_int_equal(s.v[3].kind, SUPPRESS_ANNOTATION);
	assert_int_equal(s.v[3].line, 12);

	struct findings fs = FINDINGS_INIT;
	/* the ConfigMap (declared on line 3) and the Deployment's replicas line */
	add_finding(&fs, "t/label", m.resources[0].address, "k8s.yaml", 5, SEV_LOW);
	add_finding(&fs, "t/replicas", m.resources[1].address, "k8s.yaml", 14, SEV_LOW);
	add_finding(&fs, "t/replicas", m.resources[1].address, "k8s.yaml", 13, SEV_LOW);
	add_finding(&fs, "t/label", m.resources[1].address, "k8s.yaml", 9, SEV_LOW);
	add_finding(&fs, "t/paused", m.resources[1].address, "k8s.yaml", 15, SEV_LOW);
	assert_ptr_equal(suppress_find(&s, &m, &fs.v[0]), &s.v[0]);
	assert_ptr_equal(suppress_find(&s, &m, &fs.v[1]), &s.v[1]);
	assert_null(suppress_find(&s, &m, &fs.v[2]));    /* another line */
	assert_ptr_equal(suppress_find(&s, &m, &fs.v[3]), &s.v[3]);
	assert_null(suppress_find(&s, &m, &fs.v[4]));    /* no reason: does not apply */
	findings_free(&fs);
	findings_free(&problems);
	suppress_free(&s);
	diags_free(&d);
	model_free(&m);
}

static void test_expired_suppression(void **state)
{
	(void)state;
	static const char text[] = "a: 1 # moongate:ignore t/x until=2026-01-31 -- until the move\n";
	struct model m;
	struct suppressions s = {0};
	struct findings problems = FINDINGS_INIT;
	struct diags d = DIAGS_INIT;
	model_init(&m);
	load_buffer(&m, "g.yaml", text, strlen(text), NULL);
	suppress_scan(&s, &m, "2026-01-31", &problems, &d); /* the last day still counts */
	assert_true(s.v[0].usable);
	suppress_free(&s);
	suppress_scan(&s, &m, "2026-02-01", &problems, &d);
	assert_false(s.v[0].usable);
	assert_int_equal(problems.n, 0);
	const struct diag *w = diag_with(&d, "expired on 2026-01-31");
	assert_non_null(w);
	assert_int_equal(w->kind, DIAG_WARNING);
	assert_string_equal(w->file, "g.yaml");
	assert_int_equal(w->line, 1);
	suppress_free(&s);
	diags_free(&d);
	model_free(&m);
}

static void test_terraform_tag(void **state)
{
	(void)state;
	static const char plan[] =
		"{\"format_version\": \"1.2\", \"terraform_version\": \"1.6.0\", \"resource_changes\": [\n"
		"{\"address\": \"aws_s3_bucket.a\", \"mode\": \"managed\", \"type\": \"aws_s3_bucket\",\n"
		" \"name\": \"a\", \"provider_name\": \"registry.terraform.io/hashicorp/aws\",\n"
		" \"change\": {\"actions\": [\"create\"], \"before\": null, \"after\": {\"tags\":\n"
		"  {\"moongate-ignore\": \"t/encryption -- public dataset\"}}}}]}\n";
	struct model m;
	struct suppressions s = {0};
	struct findings problems = FINDINGS_INIT;
	struct diags d = DIAGS_INIT;
	model_init(&m);
	load_buffer(&m, "plan.json", plan, strlen(plan), NULL);
	assert_int_equal(m.nresources, 1);
	suppress_scan(&s, &m, "2026-06-01", &problems, &d);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.v[0].kind, SUPPRESS_TAG);
	assert_int_equal(s.v[0].line, 5);
	struct findings fs = FINDINGS_INIT;
	add_finding(&fs, "t/encryption", "aws_s3_bucket.a", "plan.json", 2, SEV_HIGH);
	add_finding(&fs, "t/other", "aws_s3_bucket.a", "plan.json", 2, SEV_HIGH);
	assert_non_null(suppress_find(&s, &m, &fs.v[0]));
	assert_null(suppress_find(&s, &m, &fs.v[1]));
	findings_free(&fs);
	suppress_free(&s);
	diags_free(&d);
	model_free(&m);
}

static void test_cloudformation(void **state)
{
	(void)state;
	static const char text[] =
		"AWSTemplateFormatVersion: '2010-09-09'\n"
		"Resources:\n"
		"  # moongate:ignore t/label -- predates labels\n"   /* 3 */
		"  Logs:\n"                                          /* 4: the logical id */
		"    Type: AWS::S3::Bucket\n"                        /* 5: the resource node */
		"  Data:\n"
		"    Type: AWS::S3::Bucket\n"
		"    Properties:\n"
		"      Tags:\n"
		"        - {Key: moongate-ignore, Value: 't/label -- data bucket'}\n" /* 10 */
		"  Other:\n"
		"    Type: AWS::S3::Bucket\n";
	struct model m;
	struct suppressions s = {0};
	struct findings problems = FINDINGS_INIT;
	struct diags d = DIAGS_INIT;
	model_init(&m);
	load_buffer(&m, "cfn.yaml", text, strlen(text), NULL);
	assert_int_equal(m.nresources, 3);
	suppress_scan(&s, &m, "2026-06-01", &problems, &d);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.v[1].kind, SUPPRESS_TAG);
	assert_int_equal(s.v[1].line, 10);
	struct findings fs = FINDINGS_INIT;
	add_finding(&fs, "t/label", "Logs", "cfn.yaml", 5, SEV_LOW);
	add_finding(&fs, "t/label", "Data", "cfn.yaml", 7, SEV_LOW);
	add_finding(&fs, "t/label", "Other", "cfn.yaml", 12, SEV_LOW);
	assert_ptr_equal(suppress_find(&s, &m, &fs.v[0]), &s.v[0]);
	assert_ptr_equal(suppress_find(&s, &m, &fs.v[1]), &s.v[1]);
	assert_null(suppress_find(&s, &m, &fs.v[2]));
	findings_free(&fs);
	suppress_free(&s);
	diags_free(&d);
	model_free(&m);
}

/* ---------------------------------------------------------------- waivers */

static const char waiver_config[] =
	"waivers:\n"
	"  - policy: t/*\n"                   /* 2: matches */
	"    resource: aws_s3_bucket.logs*\n"
	"    reason: logs are public\n"
	"    owner: platform\n"
	"    expires: 2099-12-31\n"
	"  - policy: t/old\n"                 /* 7: expired */
	"    reason: migration\n"
	"    expires: 2020-01-01\n"
	"  - file: other/*.yaml\n"            /* 10: unused */
	"    reason: never here\n";

static void test_waivers(void **state)
{
	(void)state;
	struct config c;
	load_config(&c, waiver_config);
	struct findings fs = FINDINGS_INIT;
	add_finding(&fs, "t/public", "aws_s3_bucket.logs[0]", "plan.json", 10, SEV_HIGH);
	add_finding(&fs, "t/public", "aws_s3_bucket.data", "plan.json", 20, SEV_HIGH);
	add_finding(&fs, "t/old", "aws_s3_bucket.data", "plan.json", 20, SEV_HIGH);
	struct gov_options o = {.config = &c, .today = "2026-06-01"};
	struct gov_result r;
	struct diags d = DIAGS_INIT;
	gov_apply(&o, &fs, &r, &d);

	assert_int_equal(fs.n, 2);
	assert_int_equal(r.waived.n, 1);
	const struct finding *w = &r.waived.v[0];
	assert_int_equal(w->status, FINDING_WAIVED);
	assert_string_equal(w->resource, "aws_s3_bucket.logs[0]");
	assert_string_equal(w->justification, "logs are public");
	assert_non_null(strstr(w->suppressed_by, ".moongate.yaml:2"));
	assert_string_equal(w->waiver_owner, "platform");
	assert_null(w->waiver_ticket);
	assert_string_equal(w->waived_until, "2099-12-31");
	assert_non_null(finding_of(&fs, "t/old", NULL)); /* its waiver expired */

	const struct diag *expired = diag_with(&d, "expired on 2020-01-01");
	assert_non_null(expired);
	assert_int_equal(expired->kind, DIAG_WARNING);
	assert_int_equal(expired->line, 7);
	const struct diag *unused = diag_with(&d, "waiver for 'other/*.yaml' matches nothing");
	assert_non_null(unused);
	assert_int_equal(unused->kind, DIAG_WARNING);
	assert_int_equal(unused->line, 10);
	assert_int_equal(d.n, 2);
	diags_free(&d);
	gov_result_free(&r);

	o.strict_waivers = true;
	gov_apply(&o, &fs, &r, &d);
	unused = diag_with(&d, "matches nothing");
	assert_non_null(unused);
	assert_int_equal(unused->kind, DIAG_USAGE);
	diags_free(&d);
	gov_result_free(&r);
	findings_free(&fs);
	config_free(&c);
}

static void test_waiver_match(void **state)
{
	(void)state;
	struct waiver w = {.file = "./dir/*.json"};
	struct finding f = {.policy = "a/b", .file = "dir/plan.json"};
	assert_true(waiver_match(&w, &f));
	w.resource = "x.*";
	assert_false(waiver_match(&w, &f)); /* the finding has no resource */
	f.resource = "x.y";
	assert_true(waiver_match(&w, &f));
	w.policy = "a/*";
	assert_true(waiver_match(&w, &f));
	w.policy = "b/*";
	assert_false(waiver_match(&w, &f));
}

/* ---------------------------------------------------------------- enforcement, profiles */

static const char profile_config[] =
	"fail_on: high\n"
	"policies:\n"
	"  t/soft: {enforcement: soft}\n"
	"  t/adv: {enforcement: advisory}\n"
	"profiles:\n"
	"  prod:\n"
	"    fail_on: low\n"
	"    policies:\n"
	"      t/adv: {enforcement: hard}\n"
	"  dev: {fail_on: never}\n";

static void test_enforcement_and_profiles(void **state)
{
	(void)state;
	struct config c;
	struct diags d = DIAGS_INIT;
	load_config(&c, profile_config);
	assert_int_equal(c.fail_on, SEV_HIGH);
	assert_int_equal(config_enforcement(&c, "t/soft"), ENFORCE_SOFT);
	assert_int_equal(config_enforcement(&c, "t/adv"), ENFORCE_ADVISORY);
	assert_int_equal(config_enforcement(&c, "t/other"), ENFORCE_HARD);

	struct finding f = {.severity = SEV_HIGH, .enforcement = ENFORCE_SOFT};
	assert_true(gov_fails(&f, SEV_HIGH, false));
	assert_false(gov_fails(&f, SEV_HIGH, true));
	f.enforcement = ENFORCE_ADVISORY;
	assert_false(gov_fails(&f, SEV_INFO, false));
	f.enforcement = ENFORCE_HARD;
	assert_true(gov_fails(&f, SEV_HIGH, true));
	assert_false(gov_fails(&f, SEV_CRITICAL, false));
	f.status = FINDING_WAIVED;
	assert_false(gov_fails(&f, SEV_HIGH, false));

	assert_false(config_use_profile(&c, "stage", &d));
	assert_non_null(diag_with(&d, "unknown profile 'stage' (the config has 'prod', 'dev')"));
	assert_true(config_use_profile(&c, "prod", &d));
	assert_int_equal(c.fail_on, SEV_LOW);
	assert_int_equal(config_enforcement(&c, "t/adv"), ENFORCE_HARD);
	assert_int_equal(config_enforcement(&c, "t/soft"), ENFORCE_SOFT);
	assert_non_null(config_profile_policy_for(&c, "t/adv"));
	diags_free(&d);
	config_free(&c);
}

static void test_profile_errors(void **state)
{
	(void)state;
	struct config c;
	struct diags d = DIAGS_INIT;
	char *path = temp_file(".moongate.yaml",
	                       "profiles:\n  prod:\n    fail_on: sometimes\n    waivers: []\n"
	                       "  dev: 3\npolicies:\n  a/b: {enforcement: strict}\n");
	config_init(&c);
	assert_false(config_load(&c, path, &d));
	assert_non_null(diag_with(&d, "invalid fail_on 'sometimes'"));
	assert_non_null(diag_with(&d, "unknown key 'waivers'"));
	assert_non_null(diag_with(&d, "profile 'dev' must be a mapping, not an integer"));
	const struct diag *e = diag_with(&d, "invalid enforcement 'strict'");
	assert_non_null(e);
	assert_int_equal(e->line, 7);
	diags_free(&d);
	config_free(&c);
	remove_temp(path);
}

/* ---------------------------------------------------------------- baselines */

static void test_baseline_round_trip(void **state)
{
	(void)state;
	char *path = temp_file("baseline.json", NULL);
	struct findings fs = FINDINGS_INIT;
	add_finding(&fs, "t/a", "r.one", "./plan.json", 10, SEV_HIGH);
	add_finding(&fs, "t/a", "r.one", "plan.json", 12, SEV_HIGH); /* same fingerprint */
	add_finding(&fs, "t/b", "r.two", "plan.json", 30, SEV_LOW);
	struct gov_options o = {.today = "2026-06-01", .write_baseline = path};
	struct gov_result r;
	struct diags d = DIAGS_INIT;
	gov_apply(&o, &fs, &r, &d);
	assert_int_equal(d.n, 0);
	assert_true(r.baseline_used);
	assert_int_equal(r.baselined, 3);
	assert_int_equal(fs.n, 0);
	gov_result_free(&r);

	struct baseline b;
	assert_true(baseline_load(&b, path, &d));
	assert_int_equal(b.n, 2);
	baseline_free(&b);

	/* lines and messages move, one finding is fixed, one is new */
	add_finding(&fs, "t/a", "r.one", "plan.json", 99, SEV_HIGH)->message[0] = 'x';
	add_finding(&fs, "t/c", "r.one", "plan.json", 10, SEV_HIGH);
	o.write_baseline = NULL;
	o.baseline = path;
	gov_apply(&o, &fs, &r, &d);
	assert_int_equal(d.n, 0);
	assert_int_equal(fs.n, 1);
	assert_string_equal(fs.v[0].policy, "t/c");
	assert_int_equal(r.baselined, 1);
	assert_int_equal(r.baseline_fixed, 1);
	gov_result_free(&r);
	findings_free(&fs);
	remove_temp(path);
}

static void test_baseline_errors(void **state)
{
	(void)state;
	static const struct {
		const char *text, *message;
		unsigned line;
	} cases[] = {
		{"{\"version\": 2, \"findings\": []}", "expected an object with \"version\": 1", 1},
		{"{\"version\": 1}", "\"findings\" must be a list", 1},
		{"{\"version\": 1, \"findings\": [\n {\"fingerprint\": \"xyz\"}]}",
		 "every entry needs a \"fingerprint\" of 16 hex digits", 2},
		{"{\"version\": 1,\n \"findings\": [}", "baseline: ", 2},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *path = temp_file("baseline.json", cases[i].text);
		struct baseline b;
		struct diags d = DIAGS_INIT;
		assert_false(baseline_load(&b, path, &d));
		assert_int_equal(d.n, 1);
		assert_int_equal(d.v[0].kind, DIAG_USAGE);
		assert_non_null(strstr(d.v[0].message, cases[i].message));
		assert_int_equal(d.v[0].line, cases[i].line);
		diags_free(&d);
		remove_temp(path);
	}
	struct baseline b;
	struct diags d = DIAGS_INIT;
	assert_false(baseline_load(&b, "/nonexistent/baseline.json", &d));
	assert_non_null(diag_with(&d, "cannot read baseline"));
	diags_free(&d);
}

/* ---------------------------------------------------------------- today */

static void test_today(void **state)
{
	(void)state;
	char today[11];
	struct diags d = DIAGS_INIT;
	setenv(GOV_TODAY_ENV, "2027-02-28", 1);
	assert_true(gov_today(today, &d));
	assert_string_equal(today, "2027-02-28");
	setenv(GOV_TODAY_ENV, "2027-02-29", 1);
	assert_false(gov_today(today, &d));
	assert_non_null(diag_with(&d, "invalid MOONGATE_TODAY '2027-02-29'"));
	unsetenv(GOV_TODAY_ENV);
	assert_true(gov_today(today, &d));
	assert_true(isodate_valid(today));
	diags_free(&d);
}

/* ---------------------------------------------------------------- reports */

/* Reports of one open, one waived and one suppressed finding: SARIF suppressions, JSON
 * kinds and counts, text with and without --show-waived. */
static void test_waived_reports(void **state)
{
	(void)state;
	struct findings open = FINDINGS_INIT, waived = FINDINGS_INIT;
	add_finding(&open, "t/a", "r.open", "plan.json", 3, SEV_HIGH);
	struct finding *w = add_finding(&waived, "t/a", "r.waived", "plan.json", 5, SEV_HIGH);
	w->status = FINDING_WAIVED;
	w->justification = xstrdup("accepted risk");
	w->suppressed_by = xstrdup(".moongate.yaml:7");
	w->waiver_owner = xstrdup("platform");
	struct finding *s = add_finding(&waived, "t/a", "r.inline", "plan.json", 9, SEV_HIGH);
	s->status = FINDING_SUPPRESSED;
	s->justification = xstrdup("staging only");
	s->suppressed_by = xstrdup("plan.json:8");
	struct report_governance g = {.waived = &waived, .show_waived = true};
	struct report_ctx ctx = {.findings = &open, .fail_on = SEV_LOW, .gov = &g};
	struct report_sarif_options so = {.root = "/repo"};
	struct buf out = BUF_INIT;

	report_sarif_write_opts(&ctx, &so, &out);
	const char *sarif = buf_str(&out);
	assert_non_null(strstr(sarif, "\"kind\": \"external\""));
	assert_non_null(strstr(sarif, "\"justification\": \"accepted risk\""));
	assert_non_null(strstr(sarif, "\"owner\": \"platform\""));
	assert_non_null(strstr(sarif, "\"kind\": \"inSource\""));
	assert_non_null(strstr(sarif, "\"justification\": \"staging only\""));
	/* the open finding has no suppressions: exactly two of them in the log */
	const char *p = strstr(sarif, "\"suppressions\"");
	assert_non_null(p);
	p = strstr(p + 1, "\"suppressions\"");
	assert_non_null(p);
	assert_null(strstr(p + 1, "\"suppressions\""));

	buf_reset(&out);
	report_json_write(&ctx, &out);
	assert_non_null(strstr(buf_str(&out), "\"kind\": \"waiver\""));
	assert_non_null(strstr(buf_str(&out), "\"kind\": \"inline\""));
	assert_non_null(strstr(buf_str(&out), "\"waived\": 2"));

	buf_reset(&out);
	report_text_write(&ctx, &out);
	assert_non_null(strstr(buf_str(&out),
	                       "  waived by .moongate.yaml:7 (owner platform): accepted risk\n"));
	assert_non_null(strstr(buf_str(&out), "  suppressed by plan.json:8: staging only\n"));
	assert_non_null(strstr(buf_str(&out), "2 waived or suppressed"));
	g.show_waived = false;
	buf_reset(&out);
	report_text_write(&ctx, &out);
	assert_null(strstr(buf_str(&out), "accepted risk"));
	buf_free(&out);
	findings_free(&open);
	findings_free(&waived);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_scan_and_bind),
		cmocka_unit_test(test_expired_suppression),
		cmocka_unit_test(test_terraform_tag),
		cmocka_unit_test(test_cloudformation),
		cmocka_unit_test(test_waivers),
		cmocka_unit_test(test_waiver_match),
		cmocka_unit_test(test_enforcement_and_profiles),
		cmocka_unit_test(test_profile_errors),
		cmocka_unit_test(test_baseline_round_trip),
		cmocka_unit_test(test_baseline_errors),
		cmocka_unit_test(test_today),
		cmocka_unit_test(test_waived_reports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
