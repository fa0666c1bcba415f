/* `moongate help [COMMAND]`: the overview, or one command's help from its option table. */
#include <stddef.h>

#include "cli/cli.h"

const struct option cli_help_options[] = {
	{NULL, 0, 0, 0, NULL, NULL, NULL},
};

static const char *command_name_at(const void *ctx, size_t i)
{
	(void)ctx;
	return cli_command_at(i)->name;
}

int cli_help(const struct cli_command *cmd, int argc, char **argv)
{
	struct option_list names = {0};
	int rc = EXIT_CLEAN;
	if (!cli_parse_args(cmd, argc, argv, NULL, &names, &rc)) {
		option_list_free(&names);
		return rc;
	}
	if (names.n == 0) {
		cli_usage(stdout);
	} else if (names.n > 1) {
		fprintf(stderr, "moongate: help takes at most one command\n");
		rc = EXIT_INPUT;
	} else {
		const struct cli_command *c = cli_command_find(names.v[0]);
		const char *s = c ? NULL
		                  : options_suggest(names.v[0], command_name_at, NULL,
		                                    cli_command_count());
		if (c)
			options_help(stdout, c->name, c->synopsis, c->summary, c->options);
		else if (s)
			fprintf(stderr, "moongate: unknown command '%s'; did you mean '%s'?\n",
			        names.v[0], s);
		else
			fprintf(stderr, "moongate: unknown command '%s'\n", names.v[0]);
		rc = c ? EXIT_CLEAN : EXIT_INPUT;
	}
	option_list_free(&names);
	return rc;
}
