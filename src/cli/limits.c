/*
 * --limit NAME=VALUE: every resource limit of a run in one table, each with its default and
 * where it applies. Loader limits go to the load options, policy limits to the engine options.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "load/text.h"

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

static const struct limit_entry limits[] = {
	{"file-size", LIMIT_SIZE, UINT32_MAX, "1G", set_file_size},
	{"depth", LIMIT_COUNT, 100000, "512", set_depth},
	{"alias-nodes", LIMIT_COUNT, UINT32_MAX, "1000000 (or the file size)", set_alias_nodes},
	{"documents", LIMIT_COUNT, UINT32_MAX, "100000", set_documents},
	{"lua-memory", LIMIT_SIZE, SIZE_MAX, "1G", set_lua_memory},
	{"instructions", LIMIT_COUNT, UINT64_MAX / 2, "1073741824", set_instructions},
	{"findings", LIMIT_COUNT, SIZE_MAX, "100000", set_findings},
};

static const struct limit_entry *find_limit(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
		if (strlen(limits[i].name) == len && strncmp(limits[i].name, name, len) == 0)
			return &limits[i];
	}
	return NULL;
}

/* Parses one NAME=VALUE; false with a usage error naming the limits when it is wrong. */
static bool parse_one(const char *arg, struct load_options *lo, struct engine_options *eo,
                      struct diags *d)
{
	const char *eq = strchr(arg, '=');
	const struct limit_entry *l = eq ? find_limit(arg, (size_t)(eq - arg)) : NULL;
	if (!l) {
		diags_add(d, DIAG_USAGE, NULL, 0, 0, NULL,
		          "invalid '--limit %s': expected NAME=VALUE with NAME one of file-size, "
		          "depth, alias-nodes, documents, lua-memory, instructions, findings", arg);
		return false;
	}
	size_t size = 0;
	uint64_t v = 0;
	if (l->kind == LIMIT_SIZE) {
		if (!setup_size(eq + 1, &size, d, "limit"))
			return false;
		v = size;
	} else {
		char *end = NULL;
		errno = 0;
		v = eq[1] >= '0' && eq[1] <= '9' ? strtoull(eq + 1, &end, 10) : 0;
		if (!end || *end || errno || v == 0) {
			diags_add(d, DIAG_USAGE, NULL, 0, 0, NULL,
			          "invalid '--limit %s': %s takes a positive whole number", arg, l->name);
			return false;
		}
	}
	if (v > l->max) {
		diags_add(d, DIAG_USAGE, NULL, 0, 0, NULL, "invalid '--limit %s': at most %llu", arg,
		          (unsigned long long)l->max);
		return false;
	}
	l->apply(v, lo, eo);
	return true;
}

bool setup_limits(const struct setup_options *o, struct load_options *lo,
                  struct engine_options *eo, struct diags *d)
{
	bool ok = true;
	for (size_t i = 0; i < o->limits.n; i++)
		ok = parse_one(o->limits.v[i], lo, eo, d) && ok;
	return ok;
}
