/* Region resolution over every real plan of the shared corpus, checked against the facts
 * TFPLAN_CATALOG.tsv records for each plan: the number of resource_changes, the constant
 * region of each provider configuration, and the location/region values on resources. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "load/json.h"
#include "load/normalise.h"
#include "load/text.h"
#include "model/region.h"
#include "util/xalloc.h"

enum column {
	COL_FILE = 0,
	COL_CHANGES = 5,
	COL_REGIONS = 10,
	COL_LOCATIONS = 11,
	NCOLS = 12,
};

struct tally {
	size_t plans, resources, region_checks, location_checks, failures;
	size_t by_state[3];
};

/* Splits line at tabs into cols (in place); returns the number of columns. */
static size_t split_tabs(char *line, char **cols, size_t max)
{
	size_t n = 0;
	line[strcspn(line, "\r\n")] = '\0';
	for (char *p = line; n < max; p++) {
		cols[n++] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p = '\0';
	}
	return n;
}

static bool load_plan(struct model *m, const char *path)
{
	struct doc d;
	char err[256];
	struct json_error jerr;
	doc_init(&d, path);
	if (!text_read(&d.src, path, TEXT_DEFAULT_MAX_SIZE, err, sizeof err) ||
	    !json_parse(&d, NULL, &jerr)) {
		print_error("cannot load %s\n", path);
		doc_free(&d);
		return false;
	}
	size_t in = model_add_input(m, &d, FORMAT_TFPLAN);
	tfplan_normalise(m, in, m->inputs[in]->doc.roots[0]);
	return true;
}

/* Provider local name of a resource ("aws" of ".../hashicorp/aws"). */
static const char *local_name(const struct model_resource *r)
{
	const char *slash = r->provider ? strrchr(r->provider, '/') : NULL;
	return slash ? slash + 1 : (r->provider ? r->provider : "");
}

/* True when the resource carries a region of its own in its values. */
static bool has_own_region(struct model *m, const struct model_resource *r)
{
	static const char *const keys[] = {"region", "location", "zone", "availability_zone"};
	const struct doc *doc = model_doc(m, r);
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		uint32_t v = doc_get(doc, r->values, keys[i]);
		if (v != DOC_NONE && doc_type(doc, v) == DOC_STRING && doc_node(doc, v)->len > 0)
			return true;
	}
	return false;
}

/* For provider `name`, the constants of its configurations ("aws='x'; aws.east='y'") into
 * out; false when one of them is not a constant or when the default (unaliased)
 * configuration is not listed: then nothing can be asserted. */
static bool provider_constants(const char *exprs, const char *name, char **out, size_t *n)
{
	size_t len = strlen(name);
	bool unaliased = false, constant = true;
	*n = 0;
	for (const char *p = exprs; *p && constant;) {
		size_t seg = strcspn(p, ";");
		if (strncmp(p, name, len) == 0 && (p[len] == '=' || p[len] == '.' || p[len] == '-')) {
			const char *q = memchr(p, '\'', seg);
			const char *end = q ? memchr(q + 1, '\'', seg - (size_t)(q + 1 - p)) : NULL;
			constant = end && !(p[len] == '-' && p[len + 1] == '>') && *n < 8;
			if (constant)
				out[(*n)++] = xstrndup(q + 1, (size_t)(end - q - 1));
			unaliased = unaliased || p[len] == '=';
		}
		p += seg;
		while (*p == ';' || *p == ' ')
			p++;
	}
	if (!unaliased || !constant) {
		while (*n > 0)
			free(out[--*n]);
		return false;
	}
	return true;
}

static void check_provider_regions(struct model *m, const char *exprs, struct tally *t)
{
	for (size_t i = 0; i < m->nresources; i++) {
		const struct model_resource *r = &m->resources[i];
		char *consts[8];
		size_t n;
		if (!r->cloud || strcmp(r->cloud, "kubernetes") == 0 || has_own_region(m, r))
			continue;
		bool ok = provider_constants(exprs, local_name(r), consts, &n);
		if (ok && strcmp(r->cloud, "azure") != 0) {
			bool match = false;
			for (size_t j = 0; j < n; j++)
				match = match || (r->region && strcmp(r->region, consts[j]) == 0);
			if (!match) {
				print_error("%s: region %s (%s), expected %s\n", r->address,
				            r->region ? r->region : "-", r->region_source, consts[0]);
				t->failures++;
			}
			t->region_checks++;
		}
		for (size_t j = 0; ok && j < n; j++)
			free(consts[j]);
	}
}

/* True when some resource's region is value, after the cloud's spelling rules. */
static bool region_present(const struct model *m, const char *value)
{
	char *az = region_azure_location(value);
	char *gcp = region_from_gcp_location(value);
	bool found = false;
	for (size_t i = 0; i < m->nresources && !found; i++) {
		const char *reg = m->resources[i].region;
		found = reg && (strcasecmp(reg, value) == 0 || (az && strcmp(reg, az) == 0) ||
		                (gcp && strcmp(reg, gcp) == 0));
	}
	free(az);
	free(gcp);
	return found;
}

static void check_locations(const struct model *m, char *list, const char *file,
                            struct tally *t)
{
	for (char *v = strtok(list, ","); v; v = strtok(NULL, ",")) {
		if (!region_present(m, v)) {
			print_error("%s: location %s not among the resolved regions\n", file, v);
			t->failures++;
		}
		t->location_checks++;
	}
}

static void check_row(const char *corpus, char **cols, struct tally *t)
{
	char *path = testutil_join(corpus, cols[COL_FILE]);
	struct model m;
	model_init(&m);
	assert_true(load_plan(&m, path));
	long changes = strtol(cols[COL_CHANGES], NULL, 10);
	if (changes > 0 && (size_t)changes != m.nresources) {
		print_error("%s: %zu resources, catalog says %ld\n", path, m.nresources, changes);
		t->failures++;
	}
	check_provider_regions(&m, cols[COL_REGIONS], t);
	check_locations(&m, cols[COL_LOCATIONS], cols[COL_FILE], t);
	t->plans++;
	t->resources += m.nresources;
	for (size_t i = 0; i < m.nresources; i++)
		t->by_state[m.resources[i].region_state]++;
	model_free(&m);
	free(path);
}

static void test_catalog(void **state)
{
	(void)state;
	const char *corpus = testutil_corpus();
	if (!corpus)
		skip();
	char *catalog = testutil_join(corpus, "TFPLAN_CATALOG.tsv");
	FILE *f = fopen(catalog, "r");
	assert_non_null(f);
	struct tally t = {0};
	char line[65536];
	while (fgets(line, sizeof line, f)) {
		char *cols[NCOLS + 1];
		if (line[0] == '#' || split_tabs(line, cols, NCOLS + 1) < NCOLS)
			continue;
		check_row(corpus, cols, &t);
	}
	fclose(f);
	free(catalog);
	printf("corpus regions: %zu plans, %zu resources (%zu known, %zu unknown, %zu none), "
	       "%zu provider-region checks, %zu location checks\n",
	       t.plans, t.resources, t.by_state[REGION_KNOWN], t.by_state[REGION_UNKNOWN],
	       t.by_state[REGION_NONE], t.region_checks, t.location_checks);
	assert_int_equal(t.failures, 0);
	assert_true(t.plans >= 200);
	assert_true(t.region_checks > 0 && t.location_checks > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
