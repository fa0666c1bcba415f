/* Unit tests for the configuration file (config/config.c): a full valid file, every kind of
 * error with its position, discovery upwards with the .git stop, and policy lookup. */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "util/xalloc.h"

/* ---------------------------------------------------------------- helpers */

static char *temp_dir(void)
{
	char *dir = xstrdup("/tmp/moongate-config-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return dir;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void remove_tree(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* Loads text as a config file; returns config_load's verdict, diagnostics in d. */
static bool load_text(const char *text, struct config *c, struct diags *d)
{
	char *dir = temp_dir();
	char *path = xasprintf("%s/.moongate.yaml", dir);
	write_file(path, text);
	config_init(c);
	bool ok = config_load(c, path, d);
	free(path);
	remove_tree(dir);
	free(dir);
	return ok;
}

/* The first diagnostic as "line:column: message" (without the file). */
static char *first_error(const struct diags *d)
{
	assert_true(d->n > 0);
	assert_int_equal(d->v[0].kind, DIAG_USAGE);
	assert_non_null(d->v[0].file);
	assert_non_null(strstr(d->v[0].file, ".moongate.yaml"));
	return xasprintf("%u:%u: %s", d->v[0].line, d->v[0].column, d->v[0].message);
}

struct error_case {
	const char *yaml;
	const char *want; /* line:column: message of the first diagnostic */
};

/* ---------------------------------------------------------------- loading */

static void test_valid_file(void **state)
{
	(void)state;
	char *path = xasprintf("%s/tests/data/config/valid/.moongate.yaml", testutil_source_dir());
	struct config c;
	struct diags d = DIAGS_INIT;
	config_init(&c);
	bool ok = config_load(&c, path, &d);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s\n", d.v[i].message);
	assert_true(ok);
	assert_int_equal(d.n, 0);
	assert_string_equal(c.path, path);
	assert_int_equal(c.fail_on, SEV_MEDIUM);
	assert_int_equal(c.npolicy_paths, 2);
	char *dir = xasprintf("%s/tests/data/config/valid", testutil_source_dir());
	char *want = xasprintf("%s/org-policies", dir);
	assert_string_equal(c.policy_paths[0], want);
	assert_string_equal(c.policy_paths[1], "/opt/moongate/policies");
	char *baseline = xasprintf("%s/moongate-baseline.json", dir);
	assert_string_equal(c.baseline, baseline);
	double share;
	assert_true(doc_number(&c.doc, doc_get(&c.doc, c.params, "max_share"), &share));
	assert_true(share == 0.6);
	assert_true(doc_streq(&c.doc, doc_path(&c.doc, c.params, "allowed_jurisdictions.0"), "EU"));
	assert_int_equal(c.npolicies, 5);
	assert_string_equal(c.policies[0].id, "residency/allowed-regions");
	assert_int_equal(c.policies[0].severity, SEV_CRITICAL);
	assert_int_equal(c.policies[0].enabled, -1);
	assert_int_equal(c.policies[0].params, DOC_NONE);
	assert_int_equal(c.policies[0].line, 8);
	assert_true(doc_number(&c.doc, doc_get(&c.doc, c.policies[1].params, "max_share"), &share));
	assert_true(share == 0.7);
	assert_int_equal(c.policies[2].enabled, 0);
	assert_int_equal(doc_type(&c.doc, c.waivers), DOC_ARRAY);
	assert_int_equal(doc_node(&c.doc, c.waivers)->len, 2);
	assert_true(doc_streq(&c.doc, doc_path(&c.doc, c.waivers, "0.expires"), "2027-03-31"));
	assert_int_equal(doc_type(&c.doc, c.root), DOC_OBJECT);
	config_free(&c);
	assert_null(c.path);
	diags_free(&d);
	free(baseline);
	free(want);
	free(dir);
	free(path);
}

static void test_empty_files(void **state)
{
	(void)state;
	static const char *const texts[] = {"", "# nothing yet\n", "---\n", "{}\n"};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		struct config c;
		struct diags d = DIAGS_INIT;
		assert_true(load_text(texts[i], &c, &d));
		assert_int_equal(d.n, 0);
		assert_int_equal(c.fail_on, -1);
		assert_int_equal(c.npolicies, 0);
		assert_int_equal(c.params, DOC_NONE);
		assert_int_equal(c.waivers, DOC_NONE);
		assert_null(c.baseline);
		config_free(&c);
		diags_free(&d);
	}
}

static void test_fail_on_values(void **state)
{
	(void)state;
	static const struct {
		const char *yaml;
		int want;
	} cases[] = {
		{"fail_on: never\n", SEV_NEVER}, {"fail_on: info\n", SEV_INFO},
		{"fail_on: HIGH\n", SEV_HIGH}, {"fail_on: critical\n", SEV_CRITICAL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct config c;
		struct diags d = DIAGS_INIT;
		assert_true(load_text(cases[i].yaml, &c, &d));
		assert_int_equal(c.fail_on, cases[i].want);
		config_free(&c);
		diags_free(&d);
	}
}

static void test_errors(void **state)
{
	(void)state;
	static const struct error_case cases[] = {
		{"fail_on: low\nfail-on: high\n",
		 "2:1: unknown key 'fail-on' (did you mean 'fail_on'?)"},
		{"policies:\n  a/b:\n    enable: false\n",
		 "3:5: unknown key 'enable' (did you mean 'enabled'?)"},
		{"color: blue\n", "1:1: unknown key 'color' (expected fail_on, policy_paths, params, "
		                  "policies, waivers, baseline, profiles, limits)"},
		{"fail_on: mediumm\n",
		 "1:10: invalid fail_on 'mediumm' (expected info, low, medium, high, critical or "
		 "never)"},
		{"fail_on: 3\n", "1:10: 'fail_on' must be a string, not an integer"},
		{"fail_on: low\nfail_on: high\n", "2:1: duplicate key 'fail_on'"},
		{"policy_paths: ./p\n", "1:15: 'policy_paths' must be a list of strings, not a string"},
		{"policy_paths: [a, 1]\n", "1:19: 'policy_paths' must be a string, not an integer"},
		{"policy_paths: ['']\n", "1:16: empty path in 'policy_paths'"},
		{"params: [1]\n", "1:9: 'params' must be a mapping, not a list"},
		{"policies: [a]\n", "1:11: 'policies' must be a mapping, not a list"},
		{"policies:\n  a/b: off\n", "2:8: the settings of policy 'a/b' must be a mapping, not a "
		                           "string"},
		{"policies:\n  a/b: {enabled: yes}\n",
		 "2:18: 'enabled' must be true or false, not a string"},
		{"policies:\n  a/b: {severity: never}\n",
		 "2:19: invalid severity 'never' (expected info, low, medium, high, critical)"},
		{"policies:\n  a/b: {params: 2}\n", "2:17: 'params' must be a mapping, not an integer"},
		{"policies:\n  a/b: {}\n  a/b: {}\n", "3:3: duplicate policy 'a/b' in 'policies'"},
		{"waivers: {policy: x}\n", "1:10: 'waivers' must be a list of mappings, not a mapping"},
		{"waivers:\n  - x\n", "2:5: a waiver must be a mapping, not a string"},
		{"waivers:\n  - policy: a/b\n", "2:5: a waiver needs a 'reason'"},
		{"waivers:\n  - reason: because\n",
		 "2:5: a waiver needs at least one of 'policy', 'resource' or 'file'"},
		{"waivers:\n  - {policy: a, reason: r, expires: 2027-02-29}\n",
		 "2:37: invalid date '2027-02-29' in 'expires' (expected YYYY-MM-DD)"},
		{"waivers:\n  - {policy: a, reason: r, expires: 31/03/2027}\n",
		 "2:37: invalid date '31/03/2027' in 'expires' (expected YYYY-MM-DD)"},
		{"waivers:\n  - {policy: a, reason: ''}\n", "2:25: 'reason' must not be empty"},
		{"waivers:\n  - {policy: a, reason: r, owner: [x]}\n",
		 "2:35: 'owner' must be a string, not a list"},
		{"waivers:\n  - {policy: a, reason: r, until: 2027-01-01}\n",
		 "2:28: unknown key 'until' (expected policy, resource, file, reason, owner, ticket, "
		 "expires)"},
		{"baseline: 1\n", "1:11: 'baseline' must be a string, not an integer"},
		{"limits: [1]\n", "1:9: 'limits' must be a mapping, not a list"},
		{"limits: {a: 1}\nlimits: {b: 2}\n", "2:1: duplicate key 'limits'"},
		{"- fail_on\n", "1:1: a config file must be a mapping, not a list"},
		{"fail_on: low\n---\nx: 1\n", "3:1: a config file holds one document"},
		{"fail_on: [low\n", "2:1: did not find expected ',' or ']' while parsing a flow "
		                    "sequence"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct config c;
		struct diags d = DIAGS_INIT;
		bool ok = load_text(cases[i].yaml, &c, &d);
		if (ok)
			fail_msg("'%s' accepted", cases[i].yaml);
		char *got = first_error(&d);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("'%s':\n  want %s\n  got  %s", cases[i].yaml, cases[i].want, got);
		free(got);
		config_free(&c);
		diags_free(&d);
	}
}

/* The limits mapping is kept for the CLI to check and apply; none leaves it DOC_NONE. */
static void test_limits(void **state)
{
	(void)state;
	struct config c;
	struct diags d = DIAGS_INIT;
	assert_true(load_text("limits:\n  file-size: 200M\n  depth: 64\n", &c, &d));
	assert_int_equal(d.n, 0);
	assert_int_not_equal(c.limits, DOC_NONE);
	assert_int_equal(doc_type(&c.doc, c.limits), DOC_OBJECT);
	uint32_t v = doc_get(&c.doc, c.limits, "file-size");
	assert_int_not_equal(v, DOC_NONE);
	assert_true(doc_streq(&c.doc, v, "200M"));
	int64_t n = 0;
	assert_true(doc_int(&c.doc, doc_get(&c.doc, c.limits, "depth"), &n));
	assert_int_equal(n, 64);
	config_free(&c);
	assert_true(load_text("fail_on: high\n", &c, &d));
	assert_int_equal(c.limits, DOC_NONE);
	config_free(&c);
	diags_free(&d);
}

static void test_all_errors_reported(void **state)
{
	(void)state;
	struct config c;
	struct diags d = DIAGS_INIT;
	assert_false(load_text("fail_on: x\nparams: 1\nfoo: 2\n", &c, &d));
	assert_int_equal(d.n, 3);
	assert_int_equal(d.v[0].line, 1);
	assert_int_equal(d.v[1].line, 2);
	assert_int_equal(d.v[2].line, 3);
	char *s = diag_format(&d.v[2]);
	assert_non_null(strstr(s, "/.moongate.yaml:3:1: unknown key 'foo'"));
	free(s);
	config_free(&c);
	diags_free(&d);
}

static void test_unreadable(void **state)
{
	(void)state;
	struct config c;
	struct diags d = DIAGS_INIT;
	config_init(&c);
	assert_false(config_load(&c, "/nonexistent/.moongate.yaml", &d));
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].kind, DIAG_USAGE);
	assert_string_equal(d.v[0].file, "/nonexistent/.moongate.yaml");
	assert_non_null(strstr(d.v[0].message, "cannot read config"));
	config_free(&c);
	diags_free(&d);
}

/* ---------------------------------------------------------------- discovery */

static void test_find(void **state)
{
	(void)state;
	char *root = temp_dir();
	char *repo = xasprintf("%s/repo", root);
	char *deep = xasprintf("%s/repo/a/b", root);
	char *cmd = xasprintf("mkdir -p '%s' '%s/.git'", deep, repo);
	assert_int_equal(system(cmd), 0);
	/* nothing up to the .git directory: the search stops there, above stays unseen */
	char *above = xasprintf("%s/.moongate.yaml", root);
	write_file(above, "fail_on: low\n");
	assert_null(config_find(deep));
	/* .yml is found too; .yaml wins when both are there */
	char *yml = xasprintf("%s/a/.moongate.yml", repo);
	write_file(yml, "");
	char *got = config_find(deep);
	assert_string_equal(got, yml);
	free(got);
	char *yaml = xasprintf("%s/a/.moongate.yaml", repo);
	write_file(yaml, "");
	got = config_find(deep);
	assert_string_equal(got, yaml);
	free(got);
	/* the directory that holds .git is searched; a trailing slash does not matter */
	char *in_repo = xasprintf("%s/.moongate.yaml", repo);
	write_file(in_repo, "");
	char *repo_slash = xasprintf("%s/", repo);
	got = config_find(repo_slash);
	assert_string_equal(got, in_repo);
	free(got);
	/* without a .git (a file counts too, as in worktrees) the search goes on upwards */
	char *outside = xasprintf("%s/x/y", root);
	free(cmd);
	cmd = xasprintf("mkdir -p '%s'", outside);
	assert_int_equal(system(cmd), 0);
	got = config_find(outside);
	assert_string_equal(got, above);
	free(got);
	char *gitfile = xasprintf("%s/x/.git", root);
	write_file(gitfile, "gitdir: /elsewhere\n");
	assert_null(config_find(outside));
	remove_tree(root);
	free(gitfile);
	free(outside);
	free(repo_slash);
	free(in_repo);
	free(yaml);
	free(yml);
	free(above);
	free(cmd);
	free(deep);
	free(repo);
	free(root);
}

static void test_find_relative(void **state)
{
	(void)state;
	char *root = temp_dir();
	char *sub = xasprintf("%s/s", root);
	assert_int_equal(mkdir(sub, 0700), 0);
	char *git = xasprintf("%s/.git", root);
	assert_int_equal(mkdir(git, 0700), 0);
	char *cfg = xasprintf("%s/.moongate.yaml", root);
	write_file(cfg, "");
	char old[4096];
	assert_non_null(getcwd(old, sizeof old));
	assert_int_equal(chdir(sub), 0);
	char *got = config_find(".");
	assert_int_equal(chdir(old), 0);
	assert_non_null(got);
	assert_string_equal(got, cfg);
	free(got);
	remove_tree(root);
	free(cfg);
	free(git);
	free(sub);
	free(root);
}

/* ---------------------------------------------------------------- lookup */

static void test_policy_for(void **state)
{
	(void)state;
	struct config c;
	struct diags d = DIAGS_INIT;
	assert_true(load_text("policies:\n"
	                      "  ai/exact: {severity: low}\n"
	                      "  \"ai/*\": {severity: high}\n"
	                      "  \"*\": {severity: info}\n"
	                      "  \"ai/inv*\": {enabled: false}\n"
	                      "  \"egress/[ab]?\": {severity: medium}\n",
	                      &c, &d));
	const struct config_policy *p = config_policy_for(&c, "ai/exact");
	assert_non_null(p);
	assert_int_equal(p->severity, SEV_LOW); /* exact beats any glob, even a later one */
	p = config_policy_for(&c, "ai/invocation-logging");
	assert_string_equal(p->id, "ai/inv*"); /* the last matching glob */
	p = config_policy_for(&c, "ai/guardrails");
	assert_string_equal(p->id, "*"); /* the catch-all comes after ai/star */
	p = config_policy_for(&c, "egress/a1");
	assert_string_equal(p->id, "egress/[ab]?");
	p = config_policy_for(&c, "egress/c1");
	assert_string_equal(p->id, "*");
	config_free(&c);
	assert_true(load_text("policies:\n  \"ai/*\": {severity: high}\n", &c, &d));
	assert_null(config_policy_for(&c, "residency/allowed-regions"));
	p = config_policy_for(&c, "ai/x/y"); /* '*' crosses '/' */
	assert_non_null(p);
	assert_int_equal(p->line, 2);
	config_free(&c);
	diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_file),
		cmocka_unit_test(test_empty_files),
		cmocka_unit_test(test_fail_on_values),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_all_errors_reported),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_find_relative),
		cmocka_unit_test(test_policy_for),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
