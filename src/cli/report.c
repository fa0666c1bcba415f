/*
 * `moongate report [PATH...]`: the estate of the inputs (where everything runs, how
 * concentrated it is, what crosses clouds) with the findings, as one self-contained HTML page
 * (--html FILE), a terminal summary with bar charts, or JSON (--format json). The set-up is
 * check's: config -> engine -> load -> run -> sort; findings do not change the exit code.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/cli.h"
#include "estate/estate.h"
#include "estate/estate_html.h"
#include "estate/estate_json.h"
#include "estate/estate_term.h"
#include "load/load.h"
#include "util/xalloc.h"

struct report_opts {
	struct setup_options setup;
	const char *html;
	const char *format;
	const char *output;
	const char *color;
	const char *max_file_size;
	bool ascii;
	bool quiet;
};

static const char *const format_names[] = {"text", "json", NULL};
static const char *const color_names[] = {"auto", "always", "never", NULL};

#define REPORT_OPT(field) offsetof(struct report_opts, field)

const struct option cli_report_options[] = {
	{"html", 0, OPTION_STRING, REPORT_OPT(html), "FILE", NULL,
	 "write the estate as one self-contained HTML page to FILE"},
	{"format", 'f', OPTION_STRING, REPORT_OPT(format), "FORMAT", format_names,
	 "text (default without --html) or json"},
	{"output", 'o', OPTION_STRING, REPORT_OPT(output), "FILE",
	 NULL, "write the text or JSON summary to FILE instead of standard output"},
	{"ascii", 0, OPTION_FLAG, REPORT_OPT(ascii), NULL, NULL,
	 "draw the text bar charts with plain ASCII"},
	{"color", 0, OPTION_STRING, REPORT_OPT(color), "WHEN", color_names,
	 "colour text: auto (default: on a terminal, unless NO_COLOR), always, never"},
	SETUP_POLICY_OPTIONS(struct report_opts),
	SETUP_RUN_OPTIONS(struct report_opts),
	{"quiet", 'q', OPTION_FLAG, REPORT_OPT(quiet), NULL, NULL,
	 "do not print warnings"},
	{NULL, 0, 0, 0, NULL, NULL, NULL},
};

/* Everything one report run holds; report_run_free releases it. */
struct report_run {
	struct config config;
	struct engine *engine;
	struct model model;
	struct findings findings;
	struct diags diags;
	struct load_options load;
	struct estate estate;
};

/* auto: colour only on a terminal, when NO_COLOR is unset or empty and TERM is not dumb. */
static bool use_color(const struct report_opts *o)
{
	const char *when = o->color ? o->color : "auto";
	if (strcmp(when, "always") == 0)
		return true;
	if (strcmp(when, "never") == 0 || o->output)
		return false;
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	if ((no_color && *no_color) || (term && strcmp(term, "dumb") == 0))
		return false;
	return isatty(STDOUT_FILENO) == 1;
}

/* COLUMNS when it is a sensible number, else the terminal's width, else 80. */
static unsigned term_width(const struct report_opts *o)
{
	const char *columns = getenv("COLUMNS");
	if (columns && *columns) {
		char *end = NULL;
		long v = strtol(columns, &end, 10);
		if (end && !*end && v >= 20 && v <= 1000)
			return (unsigned)v;
	}
	struct winsize ws;
	if (!o->output && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

static void evaluate(struct report_run *run, const struct option_list *paths)
{
	static const char *const here[] = {"."};
	if (!run->engine)
		return;
	const char *const *v = paths->n ? paths->v : here;
	load_paths(&run->model, v, paths->n ? paths->n : 1, &run->load);
	cli_diags_append(&run->diags, &run->model.diags);
	engine_run(run->engine, &run->model, &run->findings, &run->diags);
	findings_sort(&run->findings);
	estate_collect(&run->estate, run->engine, &run->model, &run->findings, run->config.path,
	               &run->diags);
}

static void write_reports(const struct report_opts *o, struct report_run *run, struct diags *d)
{
	if (o->html) {
		struct buf page = BUF_INIT;
		estate_html_write(&run->estate, &page);
		cli_write_output(o->html, &page, d);
		buf_free(&page);
	}
	if (o->html && !o->format)
		return;
	struct buf out = BUF_INIT;
	if (o->format && strcmp(o->format, "json") == 0) {
		estate_json_write(&run->estate, &out);
	} else {
		struct estate_term_options to = {
			.width = term_width(o), .color = use_color(o), .ascii = o->ascii,
		};
		estate_term_write(&run->estate, &to, &out);
	}
	cli_write_output(o->output, &out, d);
	buf_free(&out);
}

static bool valid_values(const struct report_opts *o, struct report_run *run, int *rc)
{
	struct diags d = DIAGS_INIT;
	double seconds;
	if (o->max_file_size)
		setup_size(o->max_file_size, &run->load.max_file_size, &d, "max-file-size");
	if (o->setup.policy_timeout)
		setup_timeout(o->setup.policy_timeout, &seconds, &d);
	setup_limits(&o->setup, &run->load, NULL, &d);
	cli_print_diags(&d, false);
	bool ok = d.n == 0;
	diags_free(&d);
	if (!ok)
		*rc = EXIT_INPUT;
	return ok;
}

static void report_run_free(struct report_run *run)
{
	estate_free(&run->estate);
	if (run->engine)
		engine_free(run->engine);
	model_free(&run->model);
	findings_free(&run->findings);
	diags_free(&run->diags);
	config_free(&run->config);
}

int cli_report(const struct cli_command *cmd, int argc, char **argv)
{
	struct report_opts o = {0};
	struct option_list paths = {0};
	struct report_run run = {.diags = DIAGS_INIT};
	struct diags late = DIAGS_INIT; /* problems writing the reports */
	int rc = EXIT_CLEAN;
	config_init(&run.config);
	model_init(&run.model);
	if (cli_parse_args(cmd, argc, argv, &o, &paths, &rc) && valid_values(&o, &run, &rc)) {
		setup_engine(&o.setup, &run.config, &run.engine, &run.diags);
		setup_load_limits(&run.config, o.max_file_size, &o.setup, &run.load);
		evaluate(&run, &paths);
		cli_print_diags(&run.diags, o.quiet);
		if (run.engine)
			write_reports(&o, &run, &late);
		cli_print_diags(&late, false);
		rc = cli_diags_exit(&run.diags);
		if (rc == EXIT_CLEAN)
			rc = cli_diags_exit(&late);
	}
	diags_free(&late);
	report_run_free(&run);
	option_list_free(&paths);
	option_list_free(&o.setup.policy_dirs);
	option_list_free(&o.setup.limits);
	return rc;
}
