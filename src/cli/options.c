/*
 * Table-driven option parsing and help (see options.h). A command's options struct is
 * filled through the offsets in its table; nothing here knows any command.
 */
#include "cli/options.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/strdist.h"
#include "util/xalloc.h"

void option_list_add(struct option_list *l, const char *s)
{
	xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = s;
}

void option_list_free(struct option_list *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

static const struct option *find_long(const struct option *table, const char *name, size_t len)
{
	for (const struct option *o = table; o->name; o++) {
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	}
	return NULL;
}

static const struct option *find_short(const struct option *table, char c)
{
	for (const struct option *o = table; o->name; o++) {
		if (o->short_name && o->short_name == c)
			return o;
	}
	return NULL;
}

static const char *long_name_at(const void *ctx, size_t i)
{
	return ((const struct option *)ctx)[i].name;
}

static size_t table_size(const struct option *table)
{
	size_t n = 0;
	while (table[n].name)
		n++;
	return n;
}

/* Checks value against the option's choices and stores it into dst. */
static bool store(const struct option *o, void *dst, const char *value, struct diags *d)
{
	char *field = (char *)dst + o->offset;
	if (o->type == OPTION_FLAG) {
		*(bool *)field = true;
		return true;
	}
	if (o->choices) {
		size_t i = 0;
		while (o->choices[i] && strcmp(o->choices[i], value) != 0)
			i++;
		if (!o->choices[i]) {
			struct buf allowed = BUF_INIT;
			for (size_t k = 0; o->choices[k]; k++)
				buf_addf(&allowed, "%s'%s'", k ? ", " : "", o->choices[k]);
			diags_add(d, DIAG_USAGE, NULL, 0, 0, NULL,
			          "invalid value '%s' for '--%s': expected one of %s", value, o->name,
			          buf_str(&allowed));
			buf_free(&allowed);
			return false;
		}
	}
	if (o->type == OPTION_STRING)
		*(const char **)field = value;
	else
		option_list_add((struct option_list *)field, value);
	return true;
}

/* Parses one "--name[=value]" at argv[*i], consuming the next argument as its value when
 * the option takes one and no "=" was given. */
static enum options_result parse_long(const struct option *table, void *dst, int argc,
                                      char **argv, int *i, struct diags *d)
{
	const char *name = argv[*i] + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	if (len == 4 && strncmp(name, "help", 4) == 0)
		return OPTIONS_HELP;
	const struct option *o = find_long(table, name, len);
	if (!o) {
		char *word = xstrndup(name, len);
		const char *s = options_suggest(word, long_name_at, table, table_size(table));
		if (s)
			diags_add(d, DIAG_USAGE, NULL, 0, 0, NULL,
			          "unknown option '--%s'; did you mean '--%s'?", word, s);
		else
			diags_add(d, DIAG_USAGE, NULL, 0, 0, NULL, "unknown option '--%s'", word);
		free(word);
		return OPTIONS_ERROR;
	}
	if (o->type == OPTION_FLAG && eq) {
		diags_add(d, DIAG_USAGE, NULL, 0, 0, NULL, "option '--%s' takes no argument", o->name);
		return OPTIONS_ERROR;
	}
	const char *value = eq ? eq + 1 : NULL;
	if (o->type != OPTION_FLAG && !value) {
		if (*i + 1 >= argc) {
			diags_add(d, DIAG_USAGE, NULL, 0, 0, NULL, "option '--%s' needs an argument",
			          o->name);
			return OPTIONS_ERROR;
		}
		value = argv[++*i];
	}
	return store(o, dst, value, d) ? OPTIONS_OK : OPTIONS_ERROR;
}

/* Parses a cluster of short options ("-q", "-qo FILE", "-oFILE") at argv[*i]. */
static enum options_result parse_short(const struct option *table, void *dst, int argc,
                                       char **argv, int *i, struct diags *d)
{
	for (const char *p = argv[*i] + 1; *p; p++) {
		if (*p == 'h')
			return OPTIONS_HELP;
		const struct option *o = find_short(table, *p);
		if (!o) {
			diags_add(d, DIAG_USAGE, NULL, 0, 0, NULL, "unknown option '-%c'", *p);
			return OPTIONS_ERROR;
		}
		if (o->type == OPTION_FLAG) {
			store(o, dst, NULL, d);
			continue;
		}
		const char *value = p[1] ? p + 1 : NULL;
		if (!value && *i + 1 >= argc) {
			diags_add(d, DIAG_USAGE, NULL, 0, 0, NULL, "option '-%c' needs an argument", *p);
			return OPTIONS_ERROR;
		}
		if (!value)
			value = argv[++*i];
		return store(o, dst, value, d) ? OPTIONS_OK : OPTIONS_ERROR;
	}
	return OPTIONS_OK;
}

enum options_result options_parse(const struct option *table, void *dst, int argc,
                                  char **argv, struct option_list *operands, struct diags *d)
{
	bool only_operands = false;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		enum options_result r = OPTIONS_OK;
		if (only_operands || a[0] != '-' || a[1] == '\0')
			option_list_add(operands, a);
		else if (strcmp(a, "--") == 0)
			only_operands = true;
		else if (a[1] == '-')
			r = parse_long(table, dst, argc, argv, &i, d);
		else
			r = parse_short(table, dst, argc, argv, &i, d);
		if (r != OPTIONS_OK)
			return r;
	}
	return OPTIONS_OK;
}

void options_help(FILE *out, const char *command, const char *synopsis, const char *summary,
                  const struct option *table)
{
	fprintf(out, "usage: moongate %s%s%s\n\n%s\n", command, *synopsis ? " " : "", synopsis,
	        summary);
	fprintf(out, "\noptions:\n");
	for (const struct option *o = table; o->name; o++) {
		char left[64];
		char shortpart[8] = "    ";
		if (o->short_name)
			snprintf(shortpart, sizeof shortpart, "-%c, ", o->short_name);
		snprintf(left, sizeof left, "%s--%s%s%s", shortpart, o->name, o->arg ? " " : "",
		         o->arg ? o->arg : "");
		fprintf(out, "  %-30s %s\n", left, o->help);
	}
	fprintf(out, "  %-30s %s\n", "-h, --help", "show this help");
}

/* A candidate's distance to word: against the whole of it, or against its last path
 * component ("allowed-regions" for "residency/allowed-regions"). */
static size_t candidate_distance(const char *word, const char *candidate)
{
	size_t whole = strdist(word, candidate);
	const char *slash = strrchr(candidate, '/');
	if (!slash || strchr(word, '/'))
		return whole;
	size_t tail = strdist(word, slash + 1);
	return tail < whole ? tail : whole;
}

const char *options_suggest(const char *word, const char *(*get)(const void *ctx, size_t i),
                            const void *ctx, size_t n)
{
	size_t len = strlen(word);
	size_t limit = len / 3 > 2 ? len / 3 : 2;
	if (limit >= len)
		limit = len ? len - 1 : 0;
	const char *best = NULL;
	size_t best_d = limit + 1;
	for (size_t i = 0; i < n; i++) {
		const char *c = get(ctx, i);
		size_t dd = candidate_distance(word, c);
		if (dd < best_d) {
			best = c;
			best_d = dd;
		}
	}
	return best;
}
