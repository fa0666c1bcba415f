/*
 * Table-driven command-line options. Each subcommand describes its options in one table
 * (long name, short name, argument, help) whose entries store into a field of the command's
 * own options struct by offset; options_parse fills that struct and collects the operands,
 * and options_help prints the command's help from the same table.
 */
#ifndef MG_CLI_OPTIONS_H
#define MG_CLI_OPTIONS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/diag.h"

enum option_type {
	OPTION_FLAG,   /* bool, set to true */
	OPTION_STRING, /* const char *, the last one given wins */
	OPTION_LIST,   /* struct option_list, every one given is appended */
};

/* The values of a repeatable option; the strings point into argv. */
struct option_list {
	const char **v;
	size_t n, cap;
};

struct option {
	const char *name;             /* long name without "--"; NULL ends a table */
	char short_name;              /* 0 when there is none */
	enum option_type type;
	size_t offset;                /* of the field in the command's options struct */
	const char *arg;              /* the argument's name in help ("FILE"), NULL for a flag */
	const char *const *choices;   /* NULL-terminated allowed values, or NULL for any */
	const char *help;             /* one line */
};

enum options_result {
	OPTIONS_OK,
	OPTIONS_HELP,  /* --help or -h was given: print the help, exit 0 */
	OPTIONS_ERROR, /* a usage error was recorded in d */
};

/* Parses argv[0, argc) (without the command name) against table into dst. Options and
 * operands may be mixed; "--" ends the options; "-" is an operand. Operands go to operands
 * (pointing into argv). Errors become DIAG_USAGE diagnostics, with a suggestion when an
 * unknown long option is close to a known one. */
enum options_result options_parse(const struct option *table, void *dst, int argc,
                                  char **argv, struct option_list *operands, struct diags *d);
/* Prints "usage: moongate COMMAND SYNOPSIS", the summary and one line per option. */
void options_help(FILE *out, const char *command, const char *synopsis, const char *summary,
                  const struct option *table);
void option_list_add(struct option_list *l, const char *s);
void option_list_free(struct option_list *l);

/* The candidate closest to word by edit distance, or NULL when none is close enough to be
 * a plausible typo. candidates is read through get(i) for i in [0, n). */
const char *options_suggest(const char *word, const char *(*get)(const void *ctx, size_t i),
                            const void *ctx, size_t n);

#endif
