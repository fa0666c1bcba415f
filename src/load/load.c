/* Placeholder pipeline: replaced by the real one. */
#include "load/load.h"

void load_paths(struct model *m, const char *const *paths, size_t npaths,
                const struct load_options *opts)
{
	(void)m;
	(void)paths;
	(void)npaths;
	(void)opts;
}

void load_buffer(struct model *m, const char *name, const char *data, size_t len,
                 const struct load_options *opts)
{
	(void)m;
	(void)name;
	(void)data;
	(void)len;
	(void)opts;
}
