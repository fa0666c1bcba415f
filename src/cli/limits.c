/*
 * --limit NAME=VALUE: every resource limit of a run in one table, each with its default and
 * where it applies. Loader limits go to the load options, policy limits to the engine options.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "config/config.h"
#include "load/doc.h"
#include "load/docpos.h"
#include "load/text.h"
#include "util/strdist.h"
#include "util/xalloc.h"

enum limit_kind { LIMIT_SIZE, LIMIT_COUNT };

struct limit_entry {
	const char *name;
	enum limit_kind kind;
	uint64_t max;        /* the largest value accepted */
	const char *deflt;   /* the default, for help and docs */
	void (*apply)(uint64_t v, struct load_options *lo, struct engine_options *eo);
};

static void set_file_size(uint64_t v, struct load_options *lo, struct engine_options *eo)
{
	(void)eo;
	if (lo)
		lo->max_file_size = (size_t)v;
}

static void set_depth(uint64_t v, struct load_options *lo, struct engine_options *eo)
{
	(void)eo;
	if (lo)
		lo->json.max_depth = lo->yaml.max_depth = (unsigned)v;
}

static void set_alias_nodes(uint64_t v, struct load_options *lo, struct engine_options *eo)
{
	(void)eo;
	if (lo)
		lo->yaml.max_alias_nodes = (uint32_t)v;
}

static void set_documents(uint64_t v, struct load_options *lo, struct engine_options *eo)
{
	(void)eo;
	if (lo)
		lo->yaml.max_documents = (uint32_t)v;
}

static void set_string_length(uint64_t v, struct load_options *lo, struct engine_options *eo)
{
	(void)eo;
	if (lo)
		lo->json.max_string = lo->yaml.max_string = (uint32_t)v;
}

static void set_lua_memory(uint64_t v, struct load_options *lo, struct engine_options *eo)
{
	(void)lo;
	if (eo)
		eo->memory_limit = (size_t)v;
}

static void set_instructions(uint64_t v, struct load_options *lo, struct engine_options *eo)
{
	(void)lo;
	if (eo)
		eo->instruction_budget = v;
}

static void set_findings(uint64_t v, struct load_options *lo, struct engine_options *eo)
{
	(void)lo;
	if (eo)
		eo->max_findings = (size_t)v;
}

static void set_regex_match(uint64_t v, struct load_options *lo, struct engine_options *eo)
{
	(void)lo;
	if (eo)
		eo->regex_match = (uint32_t)v;
}

static void set_regex_depth(uint64_t v, struct load_options *lo, struct engine_options *eo)
{
	(void)lo;
	if (eo)
		eo->regex_depth = (uint32_t)v;
}

/* PCRE2 counts its heap limit in KiB: a size is rounded up to whole KiB. */
static void set_regex_heap(uint64_t v, struct load_options *lo, struct engine_options *eo)
{
	(void)lo;
	if (eo)
		eo->regex_heap_kib = (uint32_t)((v + 1023) / 1024);
}

static const struct limit_entry limits[] = {
	{"file-size", LIMIT_SIZE, UINT32_MAX, "1G", set_file_size},
	{"depth", LIMIT_COUNT, 100000, "512", set_depth},
	{"alias-nodes", LIMIT_COUNT, UINT32_MAX, "1000000 (or the file size)", set_alias_nodes},
	{"documents", LIMIT_COUNT, UINT32_MAX, "100000", set_documents},
	{"string-length", LIMIT_SIZE, UINT32_MAX, "64M", set_string_length},
	{"lua-memory", LIMIT_SIZE, SIZE_MAX, "1G", set_lua_memory},
	{"instructions", LIMIT_COUNT, UINT64_MAX / 2, "1073741824", set_instructions},
	{"findings", LIMIT_COUNT, SIZE_MAX, "100000", set_findings},
	{"regex-match", LIMIT_COUNT, UINT32_MAX, "1000000", set_regex_match},
	{"regex-depth", LIMIT_COUNT, UINT32_MAX, "10000", set_regex_depth},
	{"regex-heap", LIMIT_SIZE, (uint64_t)UINT32_MAX * 1024, "20000K", set_regex_heap},
};

static const struct limit_entry *find_limit(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
		if (strlen(limits[i].name) == len && strncmp(limits[i].name, name, len) == 0)
			return &limits[i];
	}
	return NULL;
}

/* A usage error at the option (file NULL) or at file:line:column of the config. */
struct limit_site {
	const char *file;
	unsigned line, column;
	const char *shown; /* "--limit depth=3" or "limits: depth" */
};

static const char *const limit_names =
	"file-size, depth, alias-nodes, documents, string-length, lua-memory, instructions, "
	"findings, regex-match, regex-depth, regex-heap";

/* Parses value for limit l and applies it; false with a usage error at site. */
static bool apply_value(const struct limit_entry *l, const char *value,
                        const struct limit_site *at, struct load_options *lo,
                        struct engine_options *eo, struct diags *d)
{
	size_t size = 0;
	uint64_t v = 0;
	if (l->kind == LIMIT_SIZE) {
		if (!at->file) {
			if (!setup_size(value, &size, d, "limit"))
				return false;
		} else if (!setup_size(value, &size, NULL, "limit")) {
			diags_add(d, DIAG_USAGE, at->file, at->line, at->column, NULL,
			          "invalid value '%s' for '%s' (a size: K, M, G suffixes)", value, at->shown);
			return false;
		}
		v = size;
	} else {
		char *end = NULL;
		errno = 0;
		v = value[0] >= '0' && value[0] <= '9' ? strtoull(value, &end, 10) : 0;
		if (!end || *end || errno || v == 0) {
			diags_add(d, DIAG_USAGE, at->file, at->line, at->column, NULL,
			          "invalid '%s': %s takes a positive whole number", at->shown, l->name);
			return false;
		}
	}
	if (v > l->max) {
		diags_add(d, DIAG_USAGE, at->file, at->line, at->column, NULL, "invalid '%s': at most %llu",
		          at->shown, (unsigned long long)l->max);
		return false;
	}
	l->apply(v, lo, eo);
	return true;
}

/* Parses one NAME=VALUE; false with a usage error naming the limits when it is wrong. */
static bool parse_one(const char *arg, struct load_options *lo, struct engine_options *eo,
                      struct diags *d)
{
	const char *eq = strchr(arg, '=');
	const struct limit_entry *l = eq ? find_limit(arg, (size_t)(eq - arg)) : NULL;
	if (!l) {
		diags_add(d, DIAG_USAGE, NULL, 0, 0, NULL,
		          "invalid '--limit %s': expected NAME=VALUE with NAME one of %s", arg,
		          limit_names);
		return false;
	}
	char *shown = xasprintf("--limit %s", arg);
	struct limit_site at = {NULL, 0, 0, shown};
	bool ok = apply_value(l, eq + 1, &at, lo, eo, d);
	free(shown);
	return ok;
}

void setup_load_limits(struct config *cfg, const char *max_file_size,
                       const struct setup_options *o, struct load_options *lo)
{
	struct diags seen = DIAGS_INIT;
	setup_config_limits(cfg, lo, NULL, &seen);
	if (max_file_size)
		setup_size(max_file_size, &lo->max_file_size, &seen, "max-file-size");
	setup_limits(o, lo, NULL, &seen);
	diags_free(&seen);
}

bool setup_limits(const struct setup_options *o, struct load_options *lo,
                  struct engine_options *eo, struct diags *d)
{
	bool ok = true;
	for (size_t i = 0; i < o->limits.n; i++)
		ok = parse_one(o->limits.v[i], lo, eo, d) && ok;
	return ok;
}

/* "unknown limit 'lua-memroy' (did you mean 'lua-memory'?)", or the list of names. */
static void unknown_limit(const char *name, const struct limit_site *at, struct diags *d)
{
	const char *best = NULL;
	size_t best_dist = 3;
	for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
		size_t dist = strdist(name, limits[i].name);
		if (dist < best_dist) {
			best_dist = dist;
			best = limits[i].name;
		}
	}
	if (best)
		diags_add(d, DIAG_USAGE, at->file, at->line, at->column, NULL,
		          "unknown limit '%s' (did you mean '%s'?)", name, best);
	else
		diags_add(d, DIAG_USAGE, at->file, at->line, at->column, NULL,
		          "unknown limit '%s' (expected %s)", name, limit_names);
}

/* The text of a scalar limit value (a string or a whole number), or NULL. */
static char *scalar_text(const struct doc *doc, uint32_t v)
{
	int64_t n;
	if (doc_type(doc, v) == DOC_STRING)
		return doc_strdup(doc, v, NULL);
	if (doc_int(doc, v, &n))
		return xasprintf("%lld", (long long)n);
	return NULL;
}

static bool config_one(struct config *cfg, uint32_t k, struct load_options *lo,
                       struct engine_options *eo, struct diags *d)
{
	struct doc *doc = &cfg->doc;
	char *name = doc_strdup(doc, k, NULL);
	char *value = scalar_text(doc, k + 1);
	struct limit_site at = {cfg->path, 0, 0, NULL};
	const struct limit_entry *l = find_limit(name, strlen(name));
	doc_position(doc, doc_node(doc, l && value ? k + 1 : k)->pos, &at.line, &at.column);
	char *shown = xasprintf("limits: %s", name);
	at.shown = shown;
	bool ok = false;
	if (!l)
		unknown_limit(name, &at, d);
	else if (!value)
		diags_add(d, DIAG_USAGE, at.file, at.line, at.column, NULL,
		          "'%s' must be a number or a size", shown);
	else
		ok = apply_value(l, value, &at, lo, eo, d);
	free(shown);
	free(value);
	free(name);
	return ok;
}

bool setup_config_limits(struct config *cfg, struct load_options *lo, struct engine_options *eo,
                         struct diags *d)
{
	if (!cfg->path || cfg->limits == DOC_NONE)
		return true;
	bool ok = true;
	const struct doc *doc = &cfg->doc;
	for (uint32_t k = doc_first(doc, cfg->limits); k != DOC_NONE;
	     k = doc_next(doc, cfg->limits, k + 1))
		ok = config_one(cfg, k, lo, eo, d) && ok;
	return ok;
}
