/*
 * `moongate parse PATH...`: the resource model of the inputs as JSON on standard output
 * (report/model_json.h), the loading diagnostics on standard error.
 */
#include <stddef.h>

#include "cli/cli.h"
#include "load/load.h"
#include "report/model_json.h"

struct parse_opts {
	const char *max_file_size;
};

const struct option cli_parse_options[] = {
	{"max-file-size", 0, OPTION_STRING, offsetof(struct parse_opts, max_file_size), "SIZE",
	 NULL, "refuse input files larger than SIZE (default 1G; K, M, G suffixes)"},
	{NULL, 0, 0, 0, NULL, NULL, NULL},
};

int cli_parse(const struct cli_command *cmd, int argc, char **argv)
{
	struct parse_opts o = {0};
	struct option_list paths = {0};
	struct load_options lo = {0};
	struct diags d = DIAGS_INIT;
	int rc = EXIT_CLEAN;
	if (!cli_parse_args(cmd, argc, argv, &o, &paths, &rc)) {
		option_list_free(&paths);
		return rc;
	}
	if (paths.n == 0)
		diags_add(&d, DIAG_USAGE, NULL, 0, 0, NULL, "parse needs at least one PATH");
	else if (o.max_file_size)
		setup_size(o.max_file_size, &lo.max_file_size, &d, "max-file-size");
	if (d.n == 0) {
		struct model m;
		struct buf out = BUF_INIT;
		model_init(&m);
		load_paths(&m, paths.v, paths.n, &lo);
		cli_diags_append(&d, &m.diags);
		model_json_write(&m, &out);
		fwrite(buf_str(&out), 1, out.len, stdout);
		buf_free(&out);
		model_free(&m);
	}
	cli_print_diags(&d, false);
	rc = cli_diags_exit(&d);
	diags_free(&d);
	option_list_free(&paths);
	return rc;
}
