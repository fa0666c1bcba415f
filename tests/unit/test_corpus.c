/* The shared corpus through the whole loading pipeline: every file of MANIFEST.tsv in
 * tfplan/, tfstate/, tfjson/, k8s/ and cloudformation/ loads (or is rejected) as its
 * `expected` column says, and the Kubernetes streams hold the documents SOURCES.md counts. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/docpos.h"
#include "load/json.h"
#include "load/load.h"
#include "report/model_json.h"
#include "util/xalloc.h"

/* SOURCES.md: 605 documents, and 4 more that are empty (stray "---"); PyYAML's load_all
 * agrees: 609 documents of which 4 are null. */
#define K8S_DOCUMENTS 605
#define K8S_EMPTY_DOCUMENTS 4

struct tally {
	size_t files, parsed, rejected, special, resources, failures;
	size_t k8s_documents, k8s_empty;
	size_t by_format[FORMAT_GENERIC + 1];
};

static bool in_scope(const char *rel)
{
	static const char *const dirs[] = {"tfplan/", "tfstate/", "tfjson/", "k8s/",
	                                   "cloudformation/"};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		if (strncmp(rel, dirs[i], strlen(dirs[i])) == 0)
			return true;
	}
	return false;
}

static void report(struct tally *t, const char *rel, const char *what)
{
	fprintf(stderr, "FAIL %s: %s\n", rel, what);
	t->failures++;
}

static size_t first_input_error(const struct model *m, const struct diag **out)
{
	*out = NULL;
	for (size_t i = 0; i < m->diags.n && !*out; i++) {
		if (m->diags.v[i].kind == DIAG_INPUT)
			*out = &m->diags.v[i];
	}
	return diags_count(&m->diags, DIAG_INPUT);
}

/* The special rows of MANIFEST.tsv (SOURCES.md) and what moongate decided for them. */
static void check_special(struct tally *t, const char *rel, const char *expected,
                          const struct model *m)
{
	size_t errors = diags_count(&m->diags, DIAG_INPUT);
	t->special++;
	if (errors) {
		report(t, rel, "special case rejected");
		return;
	}
	enum model_format f = m->ninputs ? m->inputs[0]->format : FORMAT_UNKNOWN;
	if (strstr(expected, "duplicate")) {
		/* last definition wins, with a warning naming the repeated logical id */
		if (m->nresources != 2 || diags_count(&m->diags, DIAG_WARNING) < 1)
			report(t, rel, "duplicates: want 2 resources and a warning");
	} else if (strncmp(expected, "empty file", 10) == 0) {
		if (m->ninputs != 1 || m->inputs[0]->doc.nroots != 0 || m->nresources != 0)
			report(t, rel, "empty stream: want one input without documents");
	} else if (strstr(expected, "not a CloudFormation template")) {
		if (f != FORMAT_GENERIC || m->nresources != 1)
			report(t, rel, "not a template: want one generic document");
	} else if (strstr(expected, "UTF-16LE")) {
		if (f != FORMAT_TFPLAN)
			report(t, rel, "UTF-16 plan: want it decoded as a plan");
	} else if (strstr(expected, "tagged node")) {
		if (f != FORMAT_CFN || m->nresources != 1)
			report(t, rel, "tagged key: want the template with its one resource");
	} else {
		report(t, rel, "unknown expectation");
	}
}

static void check_row(struct tally *t, const char *corpus, const char *rel,
                      const char *expected)
{
	char *path = testutil_join(corpus, rel);
	const char *paths[] = {path};
	struct model m;
	model_init(&m);
	load_paths(&m, paths, 1, NULL);
	const struct diag *err;
	size_t errors = first_input_error(&m, &err);
	t->files++;
	if (strcmp(expected, "parse ok") == 0) {
		if (errors)
			report(t, rel, err->message);
		t->parsed += errors == 0;
	} else if (strncmp(expected, "reject", 6) == 0) {
		if (errors != 1 || err->line == 0)
			report(t, rel, "want exactly one input error with a line");
		t->rejected += errors == 1;
	} else {
		check_special(t, rel, expected, &m);
	}
	for (size_t i = 0; i < m.ninputs; i++) {
		t->by_format[m.inputs[i]->format]++;
		if (strncmp(rel, "k8s/", 4) != 0)
			continue;
		const struct doc *doc = &m.inputs[i]->doc;
		t->k8s_documents += doc->nroots;
		for (uint32_t d = 0; d < doc->nroots; d++)
			t->k8s_empty += doc_type(doc, doc->roots[d]) == DOC_NULL;
	}
	t->resources += m.nresources;
	model_free(&m);
	free(path);
}

static void print_tally(const struct tally *t)
{
	fprintf(stderr, "corpus: %zu files, %zu parsed, %zu rejected as expected, %zu special, "
	                "%zu resources, %zu failures\n",
	        t->files, t->parsed, t->rejected, t->special, t->resources, t->failures);
	fprintf(stderr, "corpus: inputs by format:");
	for (int f = FORMAT_UNKNOWN; f <= FORMAT_GENERIC; f++)
		fprintf(stderr, " %s=%zu", model_format_name((enum model_format)f), t->by_format[f]);
	fprintf(stderr, "\ncorpus: k8s documents %zu non-empty, %zu empty\n",
	        t->k8s_documents - t->k8s_empty, t->k8s_empty);
}

static void test_manifest(void **state)
{
	(void)state;
	const char *corpus = testutil_corpus();
	if (!corpus)
		skip();
	char *manifest_path = testutil_join(corpus, "MANIFEST.tsv");
	char *text = testutil_read(manifest_path, NULL);
	assert_non_null(text);
	struct tally t;
	memset(&t, 0, sizeof t);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *fields[8];
		size_t n = 0;
		for (char *p = line; n < 8; n++) {
			fields[n] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (line[0] == '#' || n < 7 || !in_scope(fields[0]))
			continue;
		check_row(&t, corpus, fields[0], fields[7]);
	}
	print_tally(&t);
	assert_true(t.files > 900);
	assert_int_equal(t.failures, 0);
	assert_int_equal(t.k8s_documents - t.k8s_empty, K8S_DOCUMENTS);
	assert_int_equal(t.k8s_empty, K8S_EMPTY_DOCUMENTS);
	free(text);
	free(manifest_path);
}

/* The printed model is itself valid JSON (checked with moongate's own parser). */
static void assert_output_is_json(struct model *m)
{
	struct buf out = BUF_INIT;
	model_json_write(m, &out);
	struct doc doc;
	struct json_error err;
	doc_init(&doc, "parse-output.json");
	doc.src.len = out.len;
	doc.src.data = buf_detach(&out);
	if (!json_parse(&doc, NULL, &err))
		fail_msg("model output is not JSON at byte %u: %s", err.pos, err.message);
	assert_int_equal(doc.nroots, 1);
	doc_free(&doc);
}

static bool has_input(const struct model *m, const char *path)
{
	for (size_t i = 0; i < m->ninputs; i++) {
		if (strcmp(m->inputs[i]->doc.src.path, path) == 0)
			return true;
	}
	return false;
}

/* Both conformance suites, walked as directories: nothing crashes or hangs, JSONTestSuite's
 * y_ files load and its n_ files are input errors (a *.json file is JSON only), and the model
 * printed from everything that loaded is valid JSON. */
static void test_conformance_suites(void **state)
{
	(void)state;
	const char *corpus = testutil_corpus();
	if (!corpus)
		skip();
	static const char *const suites[] = {"jsontestsuite", "yaml-test-suite"};
	for (size_t s = 0; s < 2; s++) {
		char *dir = testutil_join(corpus, suites[s]);
		const char *paths[] = {dir};
		struct model m;
		model_init(&m);
		load_paths(&m, paths, 1, NULL);
		size_t yes = 0, no = 0;
		for (size_t i = 0; i < m.ninputs; i++)
			yes += strstr(m.inputs[i]->doc.src.path, "/y_") != NULL;
		for (size_t i = 0; i < m.diags.n; i++) {
			const struct diag *dg = &m.diags.v[i];
			assert_true(dg->kind != DIAG_INPUT || !dg->file || !strstr(dg->file, "/y_"));
			no += dg->kind == DIAG_INPUT && dg->file && strstr(dg->file, "/n_");
			assert_false(dg->file && strstr(dg->file, "/n_") && has_input(&m, dg->file));
		}
		fprintf(stderr, "%s: %zu inputs, %zu input errors, %zu resources\n", suites[s],
		        m.ninputs, diags_count(&m.diags, DIAG_INPUT), m.nresources);
		if (s == 0) {
			assert_int_equal(yes, 95);
			assert_int_equal(no, 188);
		}
		assert_output_is_json(&m);
		model_free(&m);
		free(dir);
	}
}

/* Positions printed by moongate parse (one sweep per file) agree with doc_position for every
 * resource of the Kubernetes and CloudFormation corpora. */
static void test_printed_positions(void **state)
{
	(void)state;
	const char *corpus = testutil_corpus();
	if (!corpus)
		skip();
	char *k8s = testutil_join(corpus, "k8s"), *cfn = testutil_join(corpus, "cloudformation");
	const char *paths[] = {k8s, cfn};
	struct model m;
	model_init(&m);
	load_paths(&m, paths, 2, NULL);
	struct buf out = BUF_INIT;
	model_json_write(&m, &out);
	struct doc printed;
	struct json_error err;
	doc_init(&printed, "parse-output.json");
	printed.src.len = out.len;
	printed.src.data = buf_detach(&out);
	assert_true(json_parse(&printed, NULL, &err));
	uint32_t list = doc_get(&printed, printed.roots[0], "resources");
	assert_int_equal(doc_node(&printed, list)->len, m.nresources);
	uint32_t item = doc_first(&printed, list);
	for (size_t i = 0; i < m.nresources; i++, item = doc_next(&printed, list, item)) {
		const struct model_resource *r = &m.resources[i];
		struct doc *doc = model_doc(&m, r);
		unsigned line, column;
		int64_t pline = 0, pcolumn = 0;
		doc_position(doc, doc_node(doc, r->node)->pos, &line, &column);
		assert_true(doc_int(&printed, doc_get(&printed, item, "line"), &pline));
		assert_true(doc_int(&printed, doc_get(&printed, item, "column"), &pcolumn));
		assert_int_equal(pline, line);
		assert_int_equal(pcolumn, column);
		assert_true(doc_streq(&printed, doc_get(&printed, item, "address"), r->address));
	}
	doc_free(&printed);
	model_free(&m);
	free(k8s);
	free(cfn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_manifest),
		cmocka_unit_test(test_conformance_suites),
		cmocka_unit_test(test_printed_positions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
