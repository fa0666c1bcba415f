/*
 * `moongate check [PATH...]`: config -> engine (policies) -> load -> run -> sort -> report
 * -> exit code. Findings that were produced are always reported, whatever else failed.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "govern/gov.h"
#include "load/load.h"
#include "report/github.h"
#include "report/json.h"
#include "report/junit.h"
#include "report/markdown.h"
#include "report/report.h"
#include "report/sarif.h"
#include "report/text.h"
#include "tfsrc/tfmap.h"
#include "util/dirlist.h"
#include "util/xalloc.h"

struct check_opts {
	struct setup_options setup;
	struct option_list formats; /* FORMAT or FORMAT=FILE, repeatable */
	const char *output;
	const char *fail_on;
	const char *color;
	const char *max_file_size;
	bool quiet;
	bool changed_only;
	const char *tf_dir;
	bool show_waived;
	bool strict_waivers;
	bool override_soft;
	const char *baseline;
	const char *write_baseline;
};

static const char *const fail_on_names[] = {"info", "low", "medium", "high", "critical", "never",
                                            NULL};
static const char *const color_names[] = {"auto", "always", "never", NULL};

/* The reporters, one per --format value. */
static const struct {
	const char *name;
	report_write_fn write;
} reporters[] = {
	{"text", report_text_write},
	{"json", report_json_write},
	{"sarif", report_sarif_write},
	{"junit", report_junit_write},
	{"github", report_github_write},
	{"markdown", report_markdown_write},
};

#define NREPORTERS (sizeof reporters / sizeof reporters[0])

/* Named files of this many bytes or more likely give a model big enough for the policy
 * lanes (ENGINE_LANE_MIN resources): their Lua states are loaded while the input is read. */
#define CHECK_BIG_INPUT ((uint64_t)1 << 20)

#define CHECK_OPT(field) offsetof(struct check_opts, field)

const struct option cli_check_options[] = {
	{"format", 'f', OPTION_LIST, CHECK_OPT(formats), "FORMAT[=FILE]", NULL,
	 "text (default), json, sarif, junit, github or markdown; repeatable with =FILE"},
	{"output", 'o', OPTION_STRING, CHECK_OPT(output), "FILE", NULL,
	 "write the report to FILE instead of standard output"},
	{"fail-on", 0, OPTION_STRING, CHECK_OPT(fail_on), "SEVERITY", fail_on_names,
	 "exit 1 on findings at or above SEVERITY, or never (default low)"},
	{"color", 0, OPTION_STRING, CHECK_OPT(color), "WHEN", color_names,
	 "colour text: auto (default: on a terminal, unless NO_COLOR), always, never"},
	SETUP_POLICY_OPTIONS(struct check_opts),
	SETUP_RUN_OPTIONS(struct check_opts),
	{"changed-only", 0, OPTION_FLAG, CHECK_OPT(changed_only), NULL, NULL,
	 "report only resources a plan creates, updates or replaces"},
	{"tf-dir", 0, OPTION_STRING, CHECK_OPT(tf_dir), "DIR", NULL,
	 "point plan findings at the .tf sources under DIR (default: the plan's directory)"},
	{"profile", 0, OPTION_STRING, CHECK_OPT(setup.profile), "NAME", NULL,
	 "apply profile NAME of the config (fail_on, params, policies)"},
	{"show-waived", 0, OPTION_FLAG, CHECK_OPT(show_waived), NULL, NULL,
	 "list waived and suppressed findings too, with their reasons"},
	{"strict-waivers", 0, OPTION_FLAG, CHECK_OPT(strict_waivers), NULL, NULL,
	 "make a waiver that matches nothing an error"},
	{"override-soft", 0, OPTION_FLAG, CHECK_OPT(override_soft), NULL, NULL,
	 "do not fail on findings of soft-enforced policies"},
	{"baseline", 0, OPTION_STRING, CHECK_OPT(baseline), "FILE", NULL,
	 "report only findings not recorded in baseline FILE"},
	{"write-baseline", 0, OPTION_STRING, CHECK_OPT(write_baseline), "FILE", NULL,
	 "record the current findings in baseline FILE"},
	{"quiet", 'q', OPTION_FLAG, CHECK_OPT(quiet), NULL, NULL,
	 "do not print warnings"},
	{NULL, 0, 0, 0, NULL, NULL, NULL},
};

/* Where one report goes: a reporter, and a file or standard output (path NULL). */
struct report_target {
	report_write_fn write;
	const char *path; /* points into argv */
};

/* Everything one run holds; check_run_free releases it. */
struct check_run {
	struct config config;
	struct engine *engine;
	struct model model;
	struct findings findings;
	struct diags diags;
	struct load_options load;
	struct report_target *targets;
	size_t ntargets;
	int fail_on;
	struct gov_result gov;
	struct report_governance report_gov;
	char *config_shown; /* the config path as reports show it */
	struct report_policy_hash *policy_set;
};

static int fail_on_value(const struct check_opts *o, const struct config *cfg)
{
	enum severity s;
	if (o->fail_on && strcmp(o->fail_on, "never") == 0)
		return SEV_NEVER;
	if (o->fail_on && severity_parse(o->fail_on, &s))
		return (int)s;
	return cfg->fail_on >= 0 ? cfg->fail_on : SEV_LOW;
}

/* auto: colour only on a terminal, when NO_COLOR is unset or empty and TERM is not dumb. */
static bool use_color(const struct check_opts *o, const char *path)
{
	const char *when = o->color ? o->color : "auto";
	if (strcmp(when, "always") == 0)
		return true;
	if (strcmp(when, "never") == 0 || path)
		return false;
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	if ((no_color && *no_color) || (term && strcmp(term, "dumb") == 0))
		return false;
	return isatty(STDOUT_FILENO) == 1;
}

static size_t enabled_policies(const struct engine *e)
{
	size_t n = 0;
	for (size_t i = 0; e && i < engine_policy_count(e); i++)
		n += engine_policy(e, i)->enabled;
	return n;
}

static const char *reporter_name_at(const void *ctx, size_t i)
{
	(void)ctx;
	return reporters[i].name;
}

/* Turns one --format value, FORMAT or FORMAT=FILE, into a target; plain formats go to
 * --output (or standard output). */
static bool add_target(const char *value, const char *output, struct check_run *run,
                       struct diags *d)
{
	const char *eq = strchr(value, '=');
	size_t len = eq ? (size_t)(eq - value) : strlen(value);
	size_t i = 0;
	while (i < NREPORTERS && !(strlen(reporters[i].name) == len &&
	                           strncmp(reporters[i].name, value, len) == 0))
		i++;
	if (i < NREPORTERS && eq && !eq[1]) {
		diags_add(d, DIAG_USAGE, NULL, 0, 0, NULL, "'--format %s' needs a file after '='",
		          value);
		return false;
	}
	if (i == NREPORTERS) {
		char *name = xstrndup(value, len);
		const char *s = options_suggest(name, reporter_name_at, NULL, NREPORTERS);
		diags_add(d, DIAG_USAGE, NULL, 0, 0, NULL,
		          "unknown format '%s'%s%s%s: expected text, json, sarif, junit, github or "
		          "markdown", name, s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
		free(name);
		return false;
	}
	run->targets[run->ntargets].write = reporters[i].write;
	run->targets[run->ntargets++].path = eq ? eq + 1 : output;
	return true;
}

/* The report targets of --format and --output: text to standard output by default, and at
 * most one format without its own file. */
static bool parse_targets(const struct check_opts *o, struct check_run *run, struct diags *d)
{
	const struct option_list *f = &o->formats;
	size_t plain = 0;
	run->targets = xcalloc(f->n ? f->n : 1, sizeof *run->targets);
	if (f->n == 0)
		return add_target("text", o->output, run, d);
	for (size_t i = 0; i < f->n; i++) {
		if (!add_target(f->v[i], o->output, run, d))
			return false;
		plain += strchr(f->v[i], '=') == NULL;
	}
	if (plain > 1) {
		diags_add(d, DIAG_USAGE, NULL, 0, 0, NULL,
		          "only one --format can go to %s; give the others as FORMAT=FILE",
		          o->output ? "--output" : "standard output");
		return false;
	}
	return true;
}

static void report(const struct check_opts *o, struct check_run *run, struct diags *d)
{
	struct report_ctx ctx = {
		.findings = &run->findings, .diags = &run->diags, .engine = run->engine,
		.model = &run->model, .files = run->model.ninputs,
		.resources = run->model.nresources, .policies = enabled_policies(run->engine),
		.fail_on = run->fail_on, .gov = &run->report_gov, .changed_only = o->changed_only,
	};
	for (size_t i = 0; i < run->ntargets; i++) {
		struct buf out = BUF_INIT;
		ctx.color = use_color(o, run->targets[i].path);
		run->targets[i].write(&ctx, &out);
		cli_write_output(run->targets[i].path, &out, d);
		buf_free(&out);
	}
}

/* Loads the inputs and runs the policies; without an engine (a config error) nothing runs.
 * Findings on Terraform plans then get their .tf location (tf_dir, or each plan's directory
 * when it holds .tf files). */
static void evaluate(struct check_run *run, const struct option_list *paths,
                     bool changed, const char *tf_dir)
{
	static const char *const here[] = {"."};
	if (!run->engine)
		return;
	const char *const *v = paths->n ? paths->v : here;
	load_paths(&run->model, v, paths->n ? paths->n : 1, &run->load);
	cli_diags_append(&run->diags, &run->model.diags);
	engine_run(run->engine, &run->model, &run->findings, &run->diags);
	if (changed)
		changed_only(&run->findings, &run->model);
	tfmap_annotate(&run->findings, &run->model, tf_dir, &run->diags);
	findings_sort(&run->findings);
}

/* An absolute path as reports show it: relative to the current directory when it lies there
 * or in a directory above (a config found upwards: "../.moongate.yaml"), else as it is.
 * New string, NULL for NULL. */
static char *shown_path(const char *path)
{
	char cwd[4096];
	if (!path || path[0] != '/' || !getcwd(cwd, sizeof cwd))
		return path ? xstrdup(path) : NULL;
	const char *slash = strrchr(path, '/');
	size_t dir = slash == path ? 1 : (size_t)(slash - path);
	size_t n = strlen(cwd);
	if (strncmp(path, cwd, dir) != 0 || (cwd[dir] != '/' && cwd[dir] != '\0' && dir > 1))
		return xstrdup(path);
	struct buf up = BUF_INIT;
	if (strncmp(path, cwd, n) == 0 && path[n] == '/') {
		buf_adds(&up, path + n + 1);
		return buf_detach(&up);
	}
	for (size_t i = dir == 1 ? 0 : dir; i < n; i++) {
		if (cwd[i] == '/')
			buf_adds(&up, "../");
	}
	buf_adds(&up, slash + 1);
	return buf_detach(&up);
}

/* Waivers, inline suppressions, enforcement and the baseline (govern/gov.h), then what the
 * reporters are told of them. */
static void govern(const struct check_opts *o, struct check_run *run)
{
	char today[11];
	struct report_governance *rg = &run->report_gov;
	run->config_shown = shown_path(run->config.path);
	rg->config = run->config_shown;
	rg->profile = o->setup.profile;
	rg->show_waived = o->show_waived;
	rg->override_soft = o->override_soft;
	rg->waived = &run->gov.waived;
	gov_policy_set(run->engine, &run->policy_set, &rg->npolicy_set);
	rg->policy_set = run->policy_set;
	if (!run->engine || !gov_today(today, &run->diags))
		return;
	struct gov_options go = {
		.config = run->config.path ? &run->config : NULL, .model = &run->model,
		.today = today, .strict_waivers = o->strict_waivers,
		.baseline = o->baseline ? o->baseline : run->config.baseline,
		.write_baseline = o->write_baseline,
	};
	gov_apply(&go, &run->findings, &run->gov, &run->diags);
	rg->baseline_used = run->gov.baseline_used;
	rg->baselined = run->gov.baselined;
	rg->baseline_fixed = run->gov.baseline_fixed;
}

static int exit_code(const struct check_run *run, const struct diags *late)
{
	int rc = cli_diags_exit(&run->diags);
	if (rc == EXIT_CLEAN)
		rc = cli_diags_exit(late);
	for (size_t i = 0; rc == EXIT_CLEAN && i < run->findings.n; i++) {
		if (gov_fails(&run->findings.v[i], run->fail_on, run->report_gov.override_soft))
			rc = EXIT_FINDINGS;
	}
	return rc;
}

/* Closing the Lua state and freeing a big model take a noticeable part of a run (about
 * 0.2 s for an 80 MB plan) just before the process exits anyway, so a normal build leaves
 * that memory to the operating system. Sanitizer builds free everything, so that leak
 * checks keep their meaning. */
#if defined(__SANITIZE_ADDRESS__)
#define CHECK_FREE_ENGINE_AND_MODEL 1
#else
#define CHECK_FREE_ENGINE_AND_MODEL 0
#endif

static void check_run_free(struct check_run *run)
{
	if (CHECK_FREE_ENGINE_AND_MODEL && run->engine)
		engine_free(run->engine);
	if (CHECK_FREE_ENGINE_AND_MODEL)
		model_free(&run->model);
	findings_free(&run->findings);
	gov_result_free(&run->gov);
	free(run->config_shown);
	free(run->policy_set);
	diags_free(&run->diags);
	config_free(&run->config);
	free(run->targets);
}

/* Checks the option values the table cannot (sizes, seconds): a usage error stops the run
 * before anything is loaded. */
static bool valid_values(const struct check_opts *o, struct check_run *run, int *rc)
{
	struct diags d = DIAGS_INIT;
	double seconds;
	if (o->max_file_size)
		setup_size(o->max_file_size, &run->load.max_file_size, &d, "max-file-size");
	if (o->setup.policy_timeout)
		setup_timeout(o->setup.policy_timeout, &seconds, &d);
	setup_limits(&o->setup, &run->load, NULL, &d);
	if (o->tf_dir && !tfmap_dir_has_tf(o->tf_dir))
		diags_add(&d, DIAG_USAGE, NULL, 0, 0, NULL, "'--tf-dir %s': no *.tf files there",
		          o->tf_dir);
	if (d.n == 0)
		parse_targets(o, run, &d);
	cli_print_diags(&d, false);
	bool ok = d.n == 0;
	diags_free(&d);
	if (!ok)
		*rc = EXIT_INPUT;
	return ok;
}

int cli_check(const struct cli_command *cmd, int argc, char **argv)
{
	struct check_opts o = {0};
	struct option_list paths = {0};
	struct check_run run = {.diags = DIAGS_INIT};
	struct diags late = DIAGS_INIT; /* problems writing the report */
	int rc = EXIT_CLEAN;
	config_init(&run.config);
	model_init(&run.model);
	if (cli_parse_args(cmd, argc, argv, &o, &paths, &rc) && valid_values(&o, &run, &rc)) {
		setup_engine(&o.setup, &run.config, &run.engine, &run.diags);
		if (run.engine && dirlist_files_bytes(paths.v, paths.n, CHECK_BIG_INPUT) >= CHECK_BIG_INPUT)
			engine_prepare_lanes(run.engine); /* on the other cores while the input loads */
		setup_load_limits(&run.config, o.max_file_size, &o.setup, &run.load);
		run.fail_on = fail_on_value(&o, &run.config);
		evaluate(&run, &paths, o.changed_only, o.tf_dir);
		govern(&o, &run);
		cli_print_diags(&run.diags, o.quiet);
		report(&o, &run, &late);
		cli_print_diags(&late, false);
		rc = exit_code(&run, &late);
	}
	diags_free(&late);
	check_run_free(&run);
	option_list_free(&paths);
	option_list_free(&o.setup.policy_dirs);
	option_list_free(&o.setup.limits);
	option_list_free(&o.formats);
	return rc;
}
