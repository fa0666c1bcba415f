/* `moongate explain ID`: everything about one policy; an unknown id suggests a close one. */
#include <stddef.h>
#include <string.h>

#include "cli/cli.h"
#include "util/buf.h"

struct explain_opts {
	struct setup_options setup;
};

const struct option cli_explain_options[] = {
	SETUP_POLICY_OPTIONS(struct explain_opts),
	{NULL, 0, 0, 0, NULL, NULL, NULL},
};

/* Appends a multi-line text block, each line indented by two spaces. */
static void add_block(struct buf *out, const char *heading, const char *text)
{
	if (!text || !*text)
		return;
	buf_addf(out, "\n%s:\n", heading);
	const char *p = text;
	while (*p == '\n')
		p++;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len || (nl && nl[1]))
			buf_addf(out, len ? "  %.*s\n" : "\n", (int)len, p);
		p += len + (nl != NULL);
	}
}

/* A comma-separated list shown with spaces, or `none` when empty. */
static void add_list(struct buf *out, const char *label, const char *csv, const char *none)
{
	buf_addf(out, "%-12s ", label);
	if (!csv || !*csv) {
		buf_addf(out, "%s\n", none);
		return;
	}
	for (const char *p = csv; *p; p++) {
		if (*p == ',')
			buf_adds(out, ", ");
		else
			buf_addc(out, *p);
	}
	buf_addc(out, '\n');
}

static void explain(const struct policy_info *p, struct buf *out)
{
	buf_addf(out, "%s\n%s\n\n", p->id, p->title ? p->title : "");
	buf_addf(out, "%-12s %s\n", "severity:", severity_name(p->severity));
	buf_addf(out, "%-12s %s\n", "enabled:", p->enabled ? "yes" : "no");
	buf_addf(out, "%-12s %s%s\n", "file:", p->file ? p->file : "",
	         p->builtin ? " (built in)" : "");
	add_list(out, "tags:", p->tags, "none");
	add_list(out, "types:", p->types, "every resource");
	buf_addf(out, "%-12s %s\n", "params:", p->params_json ? p->params_json : "{}");
	buf_addf(out, "%-12s %s\n", "defaults:", p->defaults_json ? p->defaults_json : "{}");
	add_block(out, "description", p->description);
	add_block(out, "remediation", p->remediation);
	add_block(out, "references", p->references);
}

static const char *policy_id_at(const void *ctx, size_t i)
{
	return engine_policy(ctx, i)->id;
}

static int explain_id(const struct engine *e, const char *id, struct diags *d)
{
	size_t n = engine_policy_count(e);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(engine_policy(e, i)->id, id) == 0) {
			struct buf out = BUF_INIT;
			explain(engine_policy(e, i), &out);
			fwrite(buf_str(&out), 1, out.len, stdout);
			buf_free(&out);
			return EXIT_CLEAN;
		}
	}
	const char *s = options_suggest(id, policy_id_at, e, n);
	if (s)
		diags_add(d, DIAG_USAGE, NULL, 0, 0, NULL, "unknown policy '%s'; did you mean '%s'?",
		          id, s);
	else
		diags_add(d, DIAG_USAGE, NULL, 0, 0, NULL,
		          "unknown policy '%s'; 'moongate list' shows the policies", id);
	return EXIT_INPUT;
}

int cli_explain(const struct cli_command *cmd, int argc, char **argv)
{
	struct explain_opts o = {0};
	struct option_list ids = {0};
	struct config cfg;
	struct engine *e = NULL;
	struct diags d = DIAGS_INIT;
	int rc = EXIT_CLEAN;
	config_init(&cfg);
	if (cli_parse_args(cmd, argc, argv, &o, &ids, &rc)) {
		if (ids.n != 1)
			diags_add(&d, DIAG_USAGE, NULL, 0, 0, NULL, "explain takes one policy id");
		else
			setup_engine(&o.setup, &cfg, &e, &d);
		int found = e ? explain_id(e, ids.v[0], &d) : EXIT_INPUT;
		cli_print_diags(&d, false);
		rc = cli_diags_exit(&d);
		if (rc == EXIT_CLEAN)
			rc = found;
	}
	if (e)
		engine_free(e);
	config_free(&cfg);
	diags_free(&d);
	option_list_free(&ids);
	option_list_free(&o.setup.policy_dirs);
	return rc;
}
