/*
 * The loading pipeline: paths -> read -> detect -> parse (JSON | YAML) -> normalise, into
 * one model. Directories are walked recursively (skipping .git, .terraform, node_modules;
 * taking *.json, *.yaml, *.yml); "-" is stdin. Detection is by content, not by file name.
 * Every problem becomes a diagnostic in m->diags with file:line:column; one bad file never
 * stops the others.
 */
#ifndef MG_LOAD_LOAD_H
#define MG_LOAD_LOAD_H
#include <stddef.h>

#include "load/json.h"
#include "load/yaml.h"
#include "model/model.h"

/* Files are read and parsed on up to this many threads by default (one per core), and on
 * never more than LOAD_MAX_THREADS. The result never depends on the number. */
#define LOAD_AUTO_THREADS 2
#define LOAD_MAX_THREADS 64

struct load_options {
	size_t max_file_size;     /* 0: TEXT_DEFAULT_MAX_SIZE */
	unsigned threads;         /* threads reading and parsing files; 0: automatic */
	struct json_options json;
	struct yaml_options yaml;
};

/* Loads every path into m. opts may be NULL for defaults. */
void load_paths(struct model *m, const char *const *paths, size_t npaths,
                const struct load_options *opts);
/* Loads one in-memory buffer as if it were the file `name` (used by tests and fuzzers). */
void load_buffer(struct model *m, const char *name, const char *data, size_t len,
                 const struct load_options *opts);

#endif
