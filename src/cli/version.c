/* `moongate version`: moongate's version and the libraries it was built with. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <lua.h>
#include <pcre2.h>
#include <stddef.h>
#include <yaml.h>

#include "cli/cli.h"

const struct option cli_version_options[] = {
	{NULL, 0, 0, 0, NULL, NULL, NULL},
};

int cli_version(const struct cli_command *cmd, int argc, char **argv)
{
	struct option_list operands = {0};
	int rc = EXIT_CLEAN;
	bool ok = cli_parse_args(cmd, argc, argv, NULL, &operands, &rc);
	if (ok && operands.n) {
		fprintf(stderr, "moongate: version takes no operands ('%s')\n", operands.v[0]);
		rc = EXIT_INPUT;
	} else if (ok) {
		char pcre[32] = "";
		pcre2_config(PCRE2_CONFIG_VERSION, pcre);
		printf("moongate %s\n", MOONGATE_VERSION);
		printf("built with %s, libyaml %s, PCRE2 %s\n", LUA_RELEASE, yaml_get_version_string(),
		       pcre);
	}
	option_list_free(&operands);
	return rc;
}
