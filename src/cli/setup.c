/*
 * What the subcommands share: parsing a command's options with --help and usage errors
 * handled the same way everywhere, printing diagnostics and deriving the exit code from
 * them, and building the engine from the config file and the policy options.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/cpus.h"
#include "util/xalloc.h"

bool cli_parse_args(const struct cli_command *cmd, int argc, char **argv, void *dst,
                       struct option_list *operands, int *exit_code)
{
	struct diags d = DIAGS_INIT;
	enum options_result r = options_parse(cmd->options, dst, argc, argv, operands, &d);
	if (r == OPTIONS_HELP) {
		options_help(stdout, cmd->name, cmd->synopsis, cmd->summary, cmd->options);
		*exit_code = EXIT_CLEAN;
	} else if (r == OPTIONS_ERROR) {
		cli_print_diags(&d, false);
		fprintf(stderr, "moongate: run 'moongate %s --help' for the options\n", cmd->name);
		*exit_code = EXIT_INPUT;
	}
	diags_free(&d);
	return r == OPTIONS_OK;
}

/* Writes s to stderr with control characters other than newline and tab shown as \xHH:
 * messages quote input text, which must not drive the terminal. */
static void put_safe(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
			fprintf(stderr, "\\x%02x", *p);
		else
			fputc(*p, stderr);
	}
}

void cli_print_diags(const struct diags *d, bool quiet)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct diag *dg = &d->v[i];
		if (quiet && dg->kind == DIAG_WARNING)
			continue;
		char *line = diag_format(dg);
		fputs(dg->file ? "" : "moongate: ", stderr);
		put_safe(line);
		fputc('\n', stderr);
		free(line);
	}
}

int cli_diags_exit(const struct diags *d)
{
	if (diags_count(d, DIAG_INPUT) || diags_count(d, DIAG_USAGE))
		return EXIT_INPUT;
	if (diags_count(d, DIAG_POLICY))
		return EXIT_POLICY;
	return EXIT_CLEAN;
}

void cli_diags_append(struct diags *dst, const struct diags *src)
{
	for (size_t i = 0; i < src->n; i++) {
		const struct diag *s = &src->v[i];
		diags_add(dst, s->kind, s->file, s->line, s->column, s->policy, "%s", s->message);
	}
}

bool setup_config(const struct setup_options *o, struct config *cfg, struct diags *d)
{
	if (o->no_config)
		return true;
	char *path = NULL;
	if (o->config) {
		path = xstrdup(o->config);
	} else {
		char cwd[PATH_MAX];
		if (getcwd(cwd, sizeof cwd))
			path = config_find(cwd);
	}
	if (!path)
		return true;
	bool ok = config_load(cfg, path, d);
	free(path);
	return ok;
}

/* The policy roots: every --policy in order, then the config's policy_paths, each once. */
static const char **policy_roots(const struct setup_options *o, const struct config *cfg,
                                 size_t *n)
{
	const char **v = xcalloc(o->policy_dirs.n + cfg->npolicy_paths + 1, sizeof *v);
	*n = 0;
	for (size_t i = 0; i < o->policy_dirs.n + cfg->npolicy_paths; i++) {
		const char *dir = i < o->policy_dirs.n ? o->policy_dirs.v[i]
		                                      : cfg->policy_paths[i - o->policy_dirs.n];
		size_t k = 0;
		while (k < *n && strcmp(v[k], dir) != 0)
			k++;
		if (k == *n)
			v[(*n)++] = dir;
	}
	return v;
}

bool setup_engine(const struct setup_options *o, struct config *cfg, struct engine **engine,
                  struct diags *d)
{
	*engine = NULL;
	struct engine_options eo = {0};
	if (o->policy_timeout && !setup_timeout(o->policy_timeout, &eo.timeout, d))
		return false;
	if (!setup_config(o, cfg, d))
		return false;
	if (!setup_config_limits(cfg, NULL, &eo, d) || !setup_limits(o, NULL, &eo, d))
		return false;
	if (o->profile && !config_use_profile(cfg, o->profile, d))
		return false;
	const char **roots = policy_roots(o, cfg, &eo.npolicy_dirs);
	eo.policy_dirs = roots;
	eo.builtin = !o->no_builtin;
	eo.config = cfg->path ? cfg : NULL;
	eo.lanes = cpus_usable(); /* the engine caps it at ENGINE_MAX_LANES */
	*engine = engine_new(&eo, d);
	free(roots);
	return true;
}

bool setup_timeout(const char *text, double *out, struct diags *d)
{
	char *end = NULL;
	errno = 0;
	double v = strtod(text, &end);
	if (errno || end == text || *end || !(v > 0) || v > 86400) {
		diags_add(d, DIAG_USAGE, NULL, 0, 0, NULL,
		          "invalid value '%s' for '--policy-timeout': expected seconds (0 < s <= 86400)",
		          text);
		return false;
	}
	*out = v;
	return true;
}

bool setup_size(const char *text, size_t *out, struct diags *d, const char *option)
{
	static const struct { char suffix; unsigned shift; } units[] = {
		{'\0', 0}, {'K', 10}, {'k', 10}, {'M', 20}, {'m', 20}, {'G', 30}, {'g', 30},
	};
	char *end = NULL;
	errno = 0;
	unsigned long long v = text[0] >= '0' && text[0] <= '9' ? strtoull(text, &end, 10) : 0;
	for (size_t i = 0; end && !errno && i < sizeof units / sizeof units[0]; i++) {
		bool fits = v <= (SIZE_MAX >> units[i].shift);
		if (end[0] == units[i].suffix && (!end[0] || !end[1]) && fits && v > 0) {
			*out = (size_t)v << units[i].shift;
			return true;
		}
	}
	if (d)
		diags_add(d, DIAG_USAGE, NULL, 0, 0, NULL,
		          "invalid value '%s' for '--%s': expected a size such as 1048576, 512K, 64M, 2G",
		          text, option);
	return false;
}

/* Records "cannot write 'path': reason" with the system's reason in lowercase. */
static void write_failed(const char *path, int err, struct diags *d)
{
	char reason[128];
	snprintf(reason, sizeof reason, "%s", strerror(err));
	reason[0] = (char)tolower((unsigned char)reason[0]);
	diags_add(d, DIAG_USAGE, NULL, 0, 0, NULL, "cannot write '%s': %s", path, reason);
}

void cli_write_output(const char *path, const struct buf *out, struct diags *d)
{
	if (!path) {
		fwrite(buf_str(out), 1, out->len, stdout);
		return;
	}
	FILE *f = fopen(path, "wb");
	if (!f) {
		write_failed(path, errno, d);
		return;
	}
	size_t written = fwrite(buf_str(out), 1, out->len, f);
	int err = written == out->len ? 0 : errno;
	if (fclose(f) != 0 && !err)
		err = errno;
	if (err || written != out->len)
		write_failed(path, err ? err : EIO, d);
}
