/* Helpers shared by the unit tests (see testutil.h). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load/json.h"
#include "load/normalise.h"
#include "util/xalloc.h"

const char *testutil_corpus(void)
{
	static int warned;
	const char *dir = getenv("MOONGATE_CORPUS");
	struct stat st;
	if (dir && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return dir;
	if (!warned++)
		fprintf(stderr, "SKIPPED: the shared corpus (../shared/corpus) is absent; "
		                "corpus tests do not run in this checkout\n");
	return NULL;
}

const char *testutil_source_dir(void)
{
	const char *dir = getenv("MOONGATE_SOURCE_DIR");
	return dir ? dir : ".";
}

char *testutil_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = xmalloc((size_t)n + 1);
	size_t got = fread(p, 1, (size_t)n, f);
	fclose(f);
	p[got] = '\0';
	if (len)
		*len = got;
	return p;
}

char *testutil_join(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

size_t testutil_load_tf(struct model *m, const char *name, enum model_format fmt,
                        const char *text)
{
	struct doc d;
	doc_init(&d, name);
	d.src.data = xstrdup(text);
	d.src.len = strlen(text);
	for (char *p = d.src.data; *p; p++) {
		if (*p == '\'')
			*p = '"';
	}
	struct json_error err;
	if (!json_parse(&d, NULL, &err))
		fail_msg("json: %s at %u", err.message, err.pos);
	size_t in = model_add_input(m, &d, fmt);
	uint32_t root = m->inputs[in]->doc.roots[0];
	if (fmt == FORMAT_TFPLAN)
		tfplan_normalise(m, in, root);
	else if (fmt == FORMAT_TFSTATE)
		tfstate_normalise(m, in, root);
	else
		tfjson_normalise(m, in, root);
	return in;
}

const struct model_resource *testutil_resource(const struct model *m, const char *address)
{
	for (size_t i = 0; i < m->nresources; i++) {
		if (strcmp(m->resources[i].address, address) == 0)
			return &m->resources[i];
	}
	fail_msg("no resource '%s'", address);
	return NULL;
}

void testutil_assert_region(const struct model *m, const char *address, const char *region,
                            const char *source)
{
	const struct model_resource *r = testutil_resource(m, address);
	assert_int_equal(r->region_state, REGION_KNOWN);
	assert_string_equal(r->region, region);
	assert_string_equal(r->region_source, source);
}

void testutil_assert_unknown(const struct model *m, const char *address, const char *why)
{
	const struct model_resource *r = testutil_resource(m, address);
	assert_int_equal(r->region_state, REGION_UNKNOWN);
	assert_null(r->region);
	assert_string_equal(r->region_source, why);
}
