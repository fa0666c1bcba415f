/*
 * `moongate test [PATH...]`: runs the policy tests under the policy roots given (default:
 * the config's policy_paths, else ".") and reports them as text, JSON or JUnit XML.
 * Exit: 0 all passed, 1 a test failed, 2 usage error or a root that cannot be read.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "testing/ptest.h"
#include "util/buf.h"

struct test_opts {
	struct setup_options setup; /* --config, --no-config, --policy-timeout */
	const char *format;
	const char *output;
	const char *pattern;
	bool coverage;
};

static const char *const format_names[] = {"text", "json", "junit", NULL};

#define TEST_OPT(field) offsetof(struct test_opts, field)

const struct option cli_test_options[] = {
	{"format", 'f', OPTION_STRING, TEST_OPT(format), "FORMAT", format_names,
	 "output format: text (default), json or junit"},
	{"keyword", 'k', OPTION_STRING, TEST_OPT(pattern), "PATTERN", NULL,
	 "run only tests whose 'policy name' contains PATTERN (or matches it as a glob)"},
	{"coverage", 0, OPTION_FLAG, TEST_OPT(coverage), NULL, NULL,
	 "report per policy a passing and a failing test and the lines no test ran"},
	{"output", 'o', OPTION_STRING, TEST_OPT(output), "FILE", NULL,
	 "write the report to FILE instead of standard output"},
	{"config", 'c', OPTION_STRING, TEST_OPT(setup.config), "FILE", NULL,
	 "take the default policy roots from FILE instead of the .moongate.yaml found from here"},
	{"no-config", 0, OPTION_FLAG, TEST_OPT(setup.no_config), NULL, NULL, "read no config file"},
	{"policy-timeout", 0, OPTION_STRING, TEST_OPT(setup.policy_timeout), "SECONDS", NULL,
	 "wall-clock limit per policy run (default 10)"},
	{NULL, 0, 0, 0, NULL, NULL, NULL},
};

/* The roots: the operands, else the config's policy_paths, else ".". False on a config
 * error (in d). */
static bool default_roots(const struct test_opts *o, struct config *cfg,
                          struct option_list *roots, struct diags *d)
{
	if (roots->n)
		return true;
	bool ok = setup_config(&o->setup, cfg, d);
	for (size_t i = 0; ok && i < cfg->npolicy_paths; i++)
		option_list_add(roots, cfg->policy_paths[i]);
	if (ok && roots->n == 0)
		option_list_add(roots, ".");
	return ok;
}

static void write_report(const struct test_opts *o, const struct ptest_report *r,
                         struct diags *d)
{
	struct buf out = BUF_INIT;
	const char *format = o->format ? o->format : "text";
	if (strcmp(format, "json") == 0)
		ptest_write_json(r, &out);
	else if (strcmp(format, "junit") == 0)
		ptest_write_junit(r, &out);
	else
		ptest_write_text(r, &out);
	cli_write_output(o->output, &out, d);
	buf_free(&out);
}

int cli_test(const struct cli_command *cmd, int argc, char **argv)
{
	struct test_opts o = {0};
	struct option_list roots = {0};
	struct diags d = DIAGS_INIT;
	struct config cfg;
	struct ptest_report r = {0};
	int rc = EXIT_CLEAN;
	config_init(&cfg);
	if (!cli_parse_args(cmd, argc, argv, &o, &roots, &rc))
		goto out;
	struct ptest_options po = {.pattern = o.pattern, .coverage = o.coverage};
	if ((o.setup.policy_timeout && !setup_timeout(o.setup.policy_timeout, &po.timeout, &d)) ||
	    !default_roots(&o, &cfg, &roots, &d)) {
		cli_print_diags(&d, false);
		rc = EXIT_INPUT;
		goto out;
	}
	po.roots = roots.v;
	po.nroots = roots.n;
	ptest_run(&po, &r, &d);
	write_report(&o, &r, &d);
	cli_print_diags(&d, false);
	rc = r.failed ? EXIT_FINDINGS : EXIT_CLEAN;
	if (diags_count(&d, DIAG_USAGE) || diags_count(&d, DIAG_INPUT))
		rc = EXIT_INPUT;
out:
	ptest_report_free(&r);
	diags_free(&d);
	config_free(&cfg);
	option_list_free(&roots);
	return rc;
}
