/*
 * The moongate command line: one entry per subcommand (main.c holds the table), one file per
 * subcommand, and what they share: the exit codes, printing diagnostics, and turning the
 * config file and the policy options into an engine (setup.c).
 */
#ifndef MG_CLI_CLI_H
#define MG_CLI_CLI_H
#include <stdbool.h>
#include <stddef.h>

#include "cli/options.h"
#include "config/config.h"
#include "engine/engine.h"
#include "load/load.h"
#include "util/buf.h"
#include "util/diag.h"

/* Exit codes (a contract: scripts and CI depend on them). */
enum cli_exit {
	EXIT_CLEAN = 0,    /* no finding at or above the fail threshold */
	EXIT_FINDINGS = 1, /* findings at or above it */
	EXIT_INPUT = 2,    /* usage error, or input that could not be read or parsed */
	EXIT_POLICY = 3,   /* a policy failed to load or run */
};

struct cli_command {
	const char *name;
	int (*run)(const struct cli_command *cmd, int argc, char **argv); /* argv without the name */
	const struct option *options;
	const char *synopsis; /* "[options] [PATH...]" */
	const char *summary;  /* one line */
};

/* The subcommand handlers and their option tables (one file each). */
int cli_check(const struct cli_command *cmd, int argc, char **argv);
int cli_list(const struct cli_command *cmd, int argc, char **argv);
int cli_explain(const struct cli_command *cmd, int argc, char **argv);
int cli_parse(const struct cli_command *cmd, int argc, char **argv);
int cli_version(const struct cli_command *cmd, int argc, char **argv);
int cli_test(const struct cli_command *cmd, int argc, char **argv);
int cli_new(const struct cli_command *cmd, int argc, char **argv);
int cli_help(const struct cli_command *cmd, int argc, char **argv);
int cli_report(const struct cli_command *cmd, int argc, char **argv);
extern const struct option cli_check_options[];
extern const struct option cli_list_options[];
extern const struct option cli_explain_options[];
extern const struct option cli_parse_options[];
extern const struct option cli_version_options[];
extern const struct option cli_test_options[];
extern const struct option cli_new_options[];
extern const struct option cli_help_options[];
extern const struct option cli_report_options[];

/* main.c: the command table. */
const struct cli_command *cli_command_find(const char *name);
size_t cli_command_count(void);
const struct cli_command *cli_command_at(size_t i);
void cli_usage(FILE *out);

/* Parses a command's options; on --help prints the help and sets *exit_code to 0, on a
 * usage error prints it with a hint and sets *exit_code to EXIT_INPUT. True to go on. */
bool cli_parse_args(const struct cli_command *cmd, int argc, char **argv, void *dst,
                       struct option_list *operands, int *exit_code);
/* Prints diagnostics to stderr, one per line ("moongate: " when no file applies). Warnings
 * are left out when quiet. */
void cli_print_diags(const struct diags *d, bool quiet);
/* The exit code the diagnostics alone call for: EXIT_INPUT wins over EXIT_POLICY. */
int cli_diags_exit(const struct diags *d);
/* Writes out to the file path, or to stdout when path is NULL; a file that cannot be
 * written is a DIAG_USAGE in d. */
void cli_write_output(const char *path, const struct buf *out, struct diags *d);
/* Appends every diagnostic of src to dst. */
void cli_diags_append(struct diags *dst, const struct diags *src);

/* changed.c: drops the findings of plan resources that the plan does not create, update or
 * replace (--changed-only). Order is kept. */
void changed_only(struct findings *fs, const struct model *m);

/* What check, list and explain share: where policies and settings come from. */
struct setup_options {
	const char *config;             /* --config FILE */
	bool no_config;                 /* --no-config */
	struct option_list policy_dirs; /* --policy DIR, repeatable */
	bool no_builtin;
	const char *policy_timeout;     /* --policy-timeout SECONDS */
	const char *profile;            /* --profile NAME: a profile of the config, or NULL */
	struct option_list limits;      /* --limit NAME=VALUE, repeatable (limits.c) */
};

/* The option rows of struct setup_options in the options struct T of a command (member
 * `setup`): where the config and the policies come from. */
#define SETUP_POLICY_OPTIONS(T)                                                                 \
	{"config", 'c', OPTION_STRING, offsetof(T, setup.config), "FILE", NULL,                   \
	 "use FILE instead of the .moongate.yaml found from here"},                                \
	{"no-config", 0, OPTION_FLAG, offsetof(T, setup.no_config), NULL, NULL,                   \
	 "read no config file"},                                                                   \
	{"policy", 'p', OPTION_LIST, offsetof(T, setup.policy_dirs), "DIR", NULL,                 \
	 "load policies from DIR too (repeatable; ids are paths under DIR)"},                      \
	{"no-builtin", 0, OPTION_FLAG, offsetof(T, setup.no_builtin), NULL, NULL,                 \
	 "do not load the built-in policy pack"}
/* The option rows of a command that loads inputs and runs the policies (T as above, with a
 * max_file_size member). */
#define SETUP_RUN_OPTIONS(T)                                                                    \
	{"policy-timeout", 0, OPTION_STRING, offsetof(T, setup.policy_timeout), "SECONDS", NULL,  \
	 "wall-clock limit per policy (default 10)"},                                              \
	{"max-file-size", 0, OPTION_STRING, offsetof(T, max_file_size), "SIZE", NULL,             \
	 "refuse input files larger than SIZE (default 1G; K, M, G suffixes)"},                    \
	{"limit", 0, OPTION_LIST, offsetof(T, setup.limits), "NAME=VALUE", NULL,                  \
	 "set a limit (repeatable): file-size, depth, alias-nodes, documents, string-length, "    \
	 "lua-memory, instructions, findings, regex-match, regex-depth, regex-heap"}

/* Reads the config named by --config, or the one found from the current directory (none
 * with --no-config). False only when a config file exists but cannot be used. */
bool setup_config(const struct setup_options *o, struct config *cfg, struct diags *d);
/* Loads the config (--config, else found from the cwd), then the engine with its policies.
 * Config errors are DIAG_USAGE in d and return false (no engine); policy load errors are
 * DIAG_POLICY in d and the engine is still made. *engine is NULL when false. */
bool setup_engine(const struct setup_options *o, struct config *cfg, struct engine **engine,
                  struct diags *d);
/* Applies every --limit NAME=VALUE to the load options and/or the engine options (either may
 * be NULL: only the limits that apply there are set); false with usage errors in d. */
bool setup_limits(const struct setup_options *o, struct load_options *lo,
                  struct engine_options *eo, struct diags *d);
/* Applies the limits mapping of the config (before the --limit flags, which win); errors at
 * the config's file:line:column, an unknown name with a did-you-mean. */
bool setup_config_limits(struct config *cfg, struct load_options *lo, struct engine_options *eo,
                         struct diags *d);
/* Parses --policy-timeout; false with a usage error in d when it is not a positive number. */
bool setup_timeout(const char *text, double *out, struct diags *d);
/* Parses a size such as 1048576, 512K, 64M, 2G. */
bool setup_size(const char *text, size_t *out, struct diags *d, const char *option);

/* The loader limits of the config, then those of --max-file-size and --limit again (a flag
 * wins). Errors are dropped: they were reported when the engine was set up. */
void setup_load_limits(struct config *cfg, const char *max_file_size,
                       const struct setup_options *o, struct load_options *lo);

#endif
