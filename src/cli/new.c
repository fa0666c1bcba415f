/*
 * `moongate new policy ID [--dir DIR]`: writes a working policy skeleton with a fixture
 * case that passes, one that fails and a Lua test file, so that `moongate test DIR` passes
 * on it right away.
 */
#include <stddef.h>
#include <string.h>

#include "cli/cli.h"
#include "testing/ptest.h"

struct new_opts {
	const char *dir;
};

#define NEW_OPT(field) offsetof(struct new_opts, field)

const struct option cli_new_options[] = {
	{"dir", 'd', OPTION_STRING, NEW_OPT(dir), "DIR", NULL,
	 "the policy root to write into (default: the current directory)"},
	{NULL, 0, 0, 0, NULL, NULL, NULL},
};

int cli_new(const struct cli_command *cmd, int argc, char **argv)
{
	struct new_opts o = {0};
	struct option_list operands = {0};
	struct diags d = DIAGS_INIT;
	int rc = EXIT_CLEAN;
	if (!cli_parse_args(cmd, argc, argv, &o, &operands, &rc))
		goto out;
	if (operands.n != 2 || strcmp(operands.v[0], "policy") != 0) {
		diags_add(&d, DIAG_USAGE, NULL, 0, 0, NULL,
		          "expected 'policy ID', as in: moongate new policy acme/tagging");
	} else if (ptest_new_policy(o.dir ? o.dir : ".", operands.v[1], &d)) {
		printf("wrote %s/%s.lua, its tests in %s.tests/ and %s_test.lua\n",
		       o.dir ? o.dir : ".", operands.v[1], operands.v[1], operands.v[1]);
	}
	cli_print_diags(&d, false);
	rc = cli_diags_exit(&d);
out:
	diags_free(&d);
	option_list_free(&operands);
	return rc;
}
