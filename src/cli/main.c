/*
 * moongate's entry point: the command table and the dispatch. A first argument that names
 * no command runs `check` on the arguments, so `moongate plan.json` checks plan.json.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "util/heap.h"

static const struct cli_command commands[] = {
	{"check", cli_check, cli_check_options, "[options] [PATH...]",
	 "check files and directories against the policies (the default command)"},
	{"list", cli_list, cli_list_options, "[options]",
	 "list the policies with their id, severity and title"},
	{"explain", cli_explain, cli_explain_options, "[options] POLICY-ID",
	 "show everything about one policy"},
	{"parse", cli_parse, cli_parse_options, "[options] PATH...",
	 "print the resource model of the inputs as JSON"},
	{"test", cli_test, cli_test_options, "[options] [POLICY-ROOT...]",
	 "run the policy tests (fixture cases and Lua test files) under policy roots"},
	{"new", cli_new, cli_new_options, "[options] policy ID",
	 "write a new policy with its tests, ready to edit"},
	{"report", cli_report, cli_report_options, "[options] [PATH...]",
	 "show the estate: inventory, vendor concentration and flows (terminal, HTML, JSON)"},
	{"version", cli_version, cli_version_options, "", "print the version"},
	{"help", cli_help, cli_help_options, "[COMMAND]", "show the help of moongate or a command"},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

const struct cli_command *cli_command_find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	}
	return NULL;
}

size_t cli_command_count(void)
{
	return NCOMMANDS;
}

const struct cli_command *cli_command_at(size_t i)
{
	return i < NCOMMANDS ? &commands[i] : NULL;
}

void cli_usage(FILE *out)
{
	fprintf(out, "usage: moongate [COMMAND] [options] [PATH...]\n\n"
	             "A policy-as-code linter for Terraform plans and state, .tf.json, Kubernetes\n"
	             "and CloudFormation. Without a command, moongate checks the PATHs (default \".\").\n\n"
	             "commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nRun 'moongate help COMMAND' for a command's options.\n"
	             "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input "
	             "error, 3 policy error.\n");
}

static const char *command_name_at(const void *ctx, size_t i)
{
	(void)ctx;
	return commands[i].name;
}

/* A word that is no command, no option and no existing path, but close to a command name,
 * is taken for a mistyped command rather than a missing file. */
static const char *mistyped_command(const char *word)
{
	struct stat st;
	if (strchr(word, '/') || strchr(word, '.') || stat(word, &st) == 0)
		return NULL;
	return options_suggest(word, command_name_at, NULL, NCOMMANDS);
}

static int dispatch(int argc, char **argv)
{
	const struct cli_command *check = cli_command_find("check");
	if (argc < 2)
		return check->run(check, 0, argv + argc);
	const char *first = argv[1];
	if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0) {
		cli_usage(stdout);
		return EXIT_CLEAN;
	}
	if (strcmp(first, "--version") == 0)
		return cli_version(cli_command_find("version"), 0, argv + argc);
	const struct cli_command *cmd = cli_command_find(first);
	if (cmd)
		return cmd->run(cmd, argc - 2, argv + 2);
	const char *typo = first[0] != '-' ? mistyped_command(first) : NULL;
	if (typo) {
		fprintf(stderr, "moongate: '%s' is neither a command nor a file; did you mean '%s'?\n",
		        first, typo);
		return EXIT_INPUT;
	}
	return check->run(check, argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
	heap_setup(argc, argv);
	int rc = dispatch(argc, argv);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "moongate: cannot write to standard output\n");
		return EXIT_INPUT;
	}
	return rc;
}
