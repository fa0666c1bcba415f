/* `moongate list`: the loaded policies with id, severity and title, as text or JSON. */
#include <stddef.h>
#include <string.h>

#include "cli/cli.h"
#include "report/json.h"
#include "util/buf.h"

struct list_opts {
	struct setup_options setup;
	const char *format;
};

static const char *const format_names[] = {"text", "json", NULL};

#define LIST_OPT(field) offsetof(struct list_opts, field)

const struct option cli_list_options[] = {
	{"format", 'f', OPTION_STRING, LIST_OPT(format), "FORMAT", format_names,
	 "output format: text (default) or json"},
	SETUP_POLICY_OPTIONS(struct list_opts),
	{NULL, 0, 0, 0, NULL, NULL, NULL},
};

static void list_text(const struct engine *e, struct buf *out)
{
	size_t n = engine_policy_count(e), width = strlen("ID");
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(engine_policy(e, i)->id);
		width = len > width ? len : width;
	}
	size_t disabled = 0;
	buf_addf(out, "%-*s  %-8s  %s\n", (int)width, "ID", "SEVERITY", "TITLE");
	for (size_t i = 0; i < n; i++) {
		const struct policy_info *p = engine_policy(e, i);
		buf_addf(out, "%-*s  %-8s  %s%s\n", (int)width, p->id, severity_name(p->severity),
		         p->title ? p->title : "", p->enabled ? "" : " (disabled)");
		disabled += !p->enabled;
	}
	buf_addf(out, "%zu %s", n, n == 1 ? "policy" : "policies");
	if (disabled)
		buf_addf(out, ", %zu disabled", disabled);
	buf_addc(out, '\n');
}

static void list_json(const struct engine *e, struct buf *out)
{
	size_t n = engine_policy_count(e);
	buf_adds(out, "{\n  \"version\": 1,\n  \"policies\": [");
	for (size_t i = 0; i < n; i++) {
		const struct policy_info *p = engine_policy(e, i);
		buf_addf(out, "%s\n    {\"id\": ", i ? "," : "");
		report_json_string(out, p->id);
		buf_addf(out, ", \"severity\": \"%s\", \"title\": ", severity_name(p->severity));
		report_json_string(out, p->title);
		buf_addf(out, ", \"enabled\": %s, \"builtin\": %s, \"file\": ",
		         p->enabled ? "true" : "false", p->builtin ? "true" : "false");
		report_json_string(out, p->file);
		buf_adds(out, "}");
	}
	buf_adds(out, n ? "\n  ]\n}\n" : "]\n}\n");
}

int cli_list(const struct cli_command *cmd, int argc, char **argv)
{
	struct list_opts o = {0};
	struct option_list operands = {0};
	struct config cfg;
	struct engine *e = NULL;
	struct diags d = DIAGS_INIT;
	int rc = EXIT_CLEAN;
	config_init(&cfg);
	if (cli_parse_args(cmd, argc, argv, &o, &operands, &rc)) {
		if (operands.n)
			diags_add(&d, DIAG_USAGE, NULL, 0, 0, NULL, "list takes no operands ('%s')",
			          operands.v[0]);
		else
			setup_engine(&o.setup, &cfg, &e, &d);
		cli_print_diags(&d, false);
		struct buf out = BUF_INIT;
		if (e && o.format && strcmp(o.format, "json") == 0)
			list_json(e, &out);
		else if (e)
			list_text(e, &out);
		fwrite(buf_str(&out), 1, out.len, stdout);
		buf_free(&out);
		rc = cli_diags_exit(&d);
	}
	if (e)
		engine_free(e);
	config_free(&cfg);
	diags_free(&d);
	option_list_free(&operands);
	option_list_free(&o.setup.policy_dirs);
	return rc;
}
