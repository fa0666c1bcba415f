/* Unit tests for the loading pipeline (load/load.c): walking, syntax choice, errors,
 * unique addresses. */
#include "testutil.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load/docpos.h"
#include "load/load.h"
#include "util/buf.h"
#include "util/xalloc.h"

#define POD(name) "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" name "\"}}"

static void write_file(const char *dir, const char *rel, const char *content)
{
	char *path = testutil_join(dir, rel);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
	free(path);
}

static void make_dir(const char *dir, const char *rel)
{
	char *path = testutil_join(dir, rel);
	assert_int_equal(mkdir(path, 0755), 0);
	free(path);
}

static size_t count_kind(const struct model *m, enum diag_kind kind, const char *needle)
{
	size_t n = 0;
	for (size_t i = 0; i < m->diags.n; i++)
		n += m->diags.v[i].kind == kind && strstr(m->diags.v[i].message, needle) != NULL;
	return n;
}

/* A tree with everything the walker must skip: only a.json, b.yaml, sub/d.yml load. */
static char *make_tree(void)
{
	char tmpl[] = "/tmp/mg-load-XXXXXX";
	char *root = xstrdup(mkdtemp(tmpl));
	make_dir(root, ".git");
	make_dir(root, ".terraform");
	make_dir(root, "node_modules");
	make_dir(root, "p.tests");
	make_dir(root, "sub");
	write_file(root, ".git/x.json", POD("git"));
	write_file(root, ".terraform/x.json", POD("tf"));
	write_file(root, "node_modules/x.json", POD("nm"));
	write_file(root, "p.tests/x.json", POD("tests"));
	write_file(root, ".moongate.yaml", "fail_on: high\n");
	write_file(root, ".moongate.yml", "fail_on: high\n");
	write_file(root, "c.txt", POD("txt"));
	write_file(root, "b.yaml", POD("b"));
	write_file(root, "a.json", POD("a"));
	write_file(root, "sub/d.yml", POD("d"));
	char *loop = testutil_join(root, "sub/loop");
	assert_int_equal(symlink(root, loop), 0);
	free(loop);
	char *fifo = testutil_join(root, "fifo.json");
	assert_int_equal(mkfifo(fifo, 0644), 0);
	free(fifo);
	char *dangling = testutil_join(root, "gone.json");
	assert_int_equal(symlink("/nonexistent/mg/x.json", dangling), 0);
	free(dangling);
	return root;
}

static void remove_tree(const char *root)
{
	char *cmd = xasprintf("rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static void test_walk(void **state)
{
	(void)state;
	char *root = make_tree();
	struct model m;
	model_init(&m);
	const char *paths[] = {root};
	load_paths(&m, paths, 1, NULL);
	assert_int_equal(diags_count(&m.diags, DIAG_INPUT), 0);
	assert_int_equal(m.ninputs, 3);
	const char *want[] = {"a.json", "b.yaml", "sub/d.yml"};
	for (size_t i = 0; i < 3; i++) {
		char *p = testutil_join(root, want[i]);
		assert_string_equal(m.inputs[i]->doc.src.path, p);
		free(p);
	}
	assert_int_equal(m.nresources, 3);
	assert_string_equal(m.resources[0].address, "Pod/default/a");
	assert_string_equal(m.resources[2].address, "Pod/default/d");
	assert_int_equal(count_kind(&m, DIAG_WARNING, "not a regular file"), 1);
	assert_int_equal(count_kind(&m, DIAG_WARNING, "skipped: no such file"), 1);
	assert_int_equal(diags_count(&m.diags, DIAG_WARNING), 2);
	model_free(&m);

	/* the same directory twice, and the loop's target named directly: entered once */
	char *via_loop = testutil_join(root, "sub/loop");
	const char *twice[] = {root, via_loop};
	model_init(&m);
	load_paths(&m, twice, 2, NULL);
	assert_int_equal(m.ninputs, 3);
	model_free(&m);
	free(via_loop);
	remove_tree(root);
	free(root);
}

static void test_explicit_paths(void **state)
{
	(void)state;
	char *root = make_tree();
	char *txt = testutil_join(root, "c.txt");
	char *cfg = testutil_join(root, ".moongate.yaml");
	const char *paths[] = {txt, "/nonexistent/mg/plan.json", cfg};
	struct model m;
	model_init(&m);
	load_paths(&m, paths, 3, NULL);
	/* named files load whatever their name; a missing one is an input error */
	assert_int_equal(m.ninputs, 2);
	assert_string_equal(m.inputs[0]->doc.src.path, txt);
	assert_int_equal(m.inputs[0]->format, FORMAT_K8S);
	assert_int_equal(diags_count(&m.diags, DIAG_INPUT), 1);
	assert_string_equal(m.diags.v[0].file, "/nonexistent/mg/plan.json");
	assert_string_equal(m.diags.v[0].message, "no such file or directory");
	model_free(&m);
	free(txt);
	free(cfg);
	remove_tree(root);
	free(root);
}

/* A file that cannot be read is an input error naming it; the others still load. Paths
 * under "." are shown without a "./" prefix. */
static void test_read_errors(void **state)
{
	(void)state;
	char *root = make_tree();
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(root), 0);
	write_file(root, "big.json",
	           "{\"padding\":\"0123456789012345678901234567890123456789"
	           "012345678901234567890123456789\"}");
	struct load_options opts;
	memset(&opts, 0, sizeof opts);
	opts.max_file_size = 64;
	struct model m;
	model_init(&m);
	const char *paths[] = {"."};
	load_paths(&m, paths, 1, &opts);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(m.ninputs, 3);
	assert_string_equal(m.inputs[0]->doc.src.path, "a.json");
	assert_string_equal(m.inputs[2]->doc.src.path, "sub/d.yml");
	assert_int_equal(diags_count(&m.diags, DIAG_INPUT), 1);
	for (size_t i = 0; i < m.diags.n; i++) {
		if (m.diags.v[i].kind == DIAG_INPUT) {
			assert_string_equal(m.diags.v[i].file, "big.json");
			assert_int_equal(m.diags.v[i].line, 0);
		}
	}
	model_free(&m);
	remove_tree(root);
	free(root);
}

static void test_stdin(void **state)
{
	(void)state;
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	const char *text = POD("from-stdin");
	assert_int_equal(write(fds[1], text, strlen(text)), (ssize_t)strlen(text));
	close(fds[1]);
	int saved = dup(0);
	assert_int_equal(dup2(fds[0], 0), 0);
	close(fds[0]);
	struct model m;
	model_init(&m);
	const char *paths[] = {"-"};
	load_paths(&m, paths, 1, NULL);
	dup2(saved, 0);
	close(saved);
	assert_int_equal(diags_count(&m.diags, DIAG_INPUT), 0);
	assert_int_equal(m.ninputs, 1);
	assert_string_equal(m.inputs[0]->doc.src.path, "<stdin>");
	assert_string_equal(m.resources[0].address, "Pod/default/from-stdin");
	model_free(&m);
}

/* Loads one buffer into a fresh model. */
static void load1(struct model *m, const char *name, const char *text)
{
	model_init(m);
	load_buffer(m, name, text, strlen(text), NULL);
}

static void test_json_errors(void **state)
{
	(void)state;
	struct model m;
	/* a *.json file is JSON only: a flow mapping that YAML would take is an error */
	load1(&m, "x.json", "{\n  a: 1}");
	assert_int_equal(diags_count(&m.diags, DIAG_INPUT), 1);
	assert_int_equal(m.diags.v[0].line, 2);
	assert_int_equal(m.diags.v[0].column, 3);
	assert_string_equal(m.diags.v[0].file, "x.json");
	assert_int_equal(m.ninputs, 0);
	assert_int_equal(m.nresources, 0);
	model_free(&m);

	load1(&m, "empty.json", "");
	assert_int_equal(diags_count(&m.diags, DIAG_INPUT), 1);
	assert_int_equal(m.diags.v[0].line, 1);
	model_free(&m);

	load1(&m, "tf.json", "terraform {\n}\n");
	assert_int_equal(diags_count(&m.diags, DIAG_INPUT), 1);
	model_free(&m);

	/* elsewhere, text that fails as JSON and as YAML reports the JSON error */
	load1(&m, "x.yaml", "[1, 2\n  }");
	assert_int_equal(diags_count(&m.diags, DIAG_INPUT), 1);
	assert_int_equal(m.diags.v[0].line, 2);
	assert_int_equal(m.ninputs, 0);
	model_free(&m);
}

static void test_yaml_choice(void **state)
{
	(void)state;
	struct model m;
	/* not JSON, but a YAML flow mapping */
	load1(&m, "x.yaml", "{apiVersion: v1, kind: Pod, metadata: {name: flow}}\n");
	assert_int_equal(diags_count(&m.diags, DIAG_INPUT), 0);
	assert_int_equal(m.nresources, 1);
	assert_string_equal(m.resources[0].address, "Pod/default/flow");
	model_free(&m);

	load1(&m, "bad.yaml", "a: 1\nb: [1, 2\nc: 3\n");
	assert_int_equal(diags_count(&m.diags, DIAG_INPUT), 1);
	assert_true(m.diags.v[0].line >= 2);
	assert_int_equal(m.ninputs, 0);
	model_free(&m);

	/* an input with a parse error adds nothing, not even the documents before it */
	load1(&m, "late.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\nx: [\n");
	assert_int_equal(diags_count(&m.diags, DIAG_INPUT), 1);
	assert_int_equal(m.nresources, 0);
	model_free(&m);

	/* a stream may mix formats: the input takes its first non-empty document's */
	load1(&m, "mix.yaml",
	      "---\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n---\nplain: doc\n");
	assert_int_equal(diags_count(&m.diags, DIAG_INPUT), 0);
	assert_int_equal(m.ninputs, 1);
	assert_int_equal(m.inputs[0]->format, FORMAT_K8S);
	assert_int_equal(m.nresources, 2);
	assert_int_equal(m.resources[0].format, FORMAT_K8S);
	assert_int_equal(m.resources[1].format, FORMAT_GENERIC);
	assert_string_equal(m.resources[1].address, "mix.yaml#3");
	model_free(&m);

	load1(&m, "empty.yaml", "");
	assert_int_equal(m.diags.n, 0);
	assert_int_equal(m.ninputs, 1);
	assert_int_equal(m.inputs[0]->format, FORMAT_UNKNOWN);
	assert_int_equal(m.nresources, 0);
	model_free(&m);
}

static void test_generic(void **state)
{
	(void)state;
	struct model m;
	load1(&m, "conf/app.json", "{\"replicas\":3}");
	assert_int_equal(m.nresources, 1);
	struct model_resource *r = &m.resources[0];
	assert_string_equal(r->address, "conf/app.json");
	assert_string_equal(r->type, "document");
	assert_null(r->provider);
	assert_null(r->cloud);
	assert_int_equal(r->region_state, REGION_NONE);
	assert_int_equal(r->values, m.inputs[0]->doc.roots[0]);
	assert_int_equal(m.inputs[0]->format, FORMAT_GENERIC);
	model_free(&m);
}

static void test_unique_addresses(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	const char *pod = POD("web");
	load_buffer(&m, "a.json", pod, strlen(pod), NULL);
	load_buffer(&m, "b.json", pod, strlen(pod), NULL);
	load_buffer(&m, "c.json", pod, strlen(pod), NULL);
	assert_int_equal(m.nresources, 3);
	assert_string_equal(m.resources[0].address, "Pod/default/web");
	assert_string_equal(m.resources[1].address, "Pod/default/web#2");
	assert_string_equal(m.resources[2].address, "Pod/default/web#3");

	/* CloudFormation ids shared by two files: every one of them names its file */
	const char *cfn = "{\"Resources\":{\"Bucket\":{\"Type\":\"AWS::S3::Bucket\"},"
	                  "\"Only\":{\"Type\":\"AWS::SNS::Topic\"}}}";
	load_buffer(&m, "one.json", cfn, strlen(cfn), NULL);
	assert_string_equal(m.resources[3].address, "Bucket");
	load_buffer(&m, "two.json", cfn, strlen(cfn), NULL);
	assert_int_equal(m.nresources, 7);
	assert_string_equal(m.resources[3].address, "one.json#Bucket");
	assert_string_equal(m.resources[4].address, "one.json#Only");
	assert_string_equal(m.resources[5].address, "two.json#Bucket");
	assert_string_equal(m.resources[6].address, "two.json#Only");
	model_free(&m);
}

/* Loads paths with `threads` threads, stdin fed with `in`, and describes the result: every
 * diagnostic, input and resource address in order. */
static char *load_summary(const char *const *paths, size_t npaths, unsigned threads,
                          const char *in)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], in, strlen(in)), (ssize_t)strlen(in));
	close(fds[1]);
	int saved = dup(0);
	assert_int_equal(dup2(fds[0], 0), 0);
	close(fds[0]);
	struct model m;
	model_init(&m);
	struct load_options o = {0};
	o.threads = threads;
	load_paths(&m, paths, npaths, &o);
	dup2(saved, 0);
	close(saved);
	char *out = xstrdup("");
	for (size_t i = 0; i < m.diags.n; i++) {
		char *d = diag_format(&m.diags.v[i]);
		char *next = xasprintf("%sdiag %d %s\n", out, (int)m.diags.v[i].kind, d);
		free(d);
		free(out);
		out = next;
	}
	for (size_t i = 0; i < m.ninputs; i++) {
		char *next = xasprintf("%sinput %s\n", out, m.inputs[i]->doc.src.path);
		free(out);
		out = next;
	}
	for (size_t i = 0; i < m.nresources; i++) {
		char *next = xasprintf("%sres %s\n", out, m.resources[i].address);
		free(out);
		out = next;
	}
	assert_int_equal(diags_count(&m.diags, DIAG_INPUT), 3 * 4);
	assert_int_equal(diags_count(&m.diags, DIAG_WARNING), 1);
	model_free(&m);
	return out;
}

/* A section of a plan: an object of n resources with non-ASCII values, one per line when
 * nl is "\n", on one line when it is "". */
static void add_section(struct buf *b, const char *key, size_t n, const char *nl)
{
	buf_addf(b, "  \"%s\": {%s    \"root_module\": {\"resources\": [%s", key, nl, nl);
	for (size_t i = 0; i < n; i++)
		buf_addf(b, "      {\"address\": \"aws_s3_bucket.s%zu\", \"values\": "
		         "{\"name\": \"s\u00e9-%zu \u00fc\"}}%s%s", i, i, i + 1 < n ? "," : "", nl);
	buf_addf(b, "    ]}%s  },%s", nl, nl);
}

/* A plan's planned_values and prior_state of a megabyte or more are given back after the
 * parse: the model is whole and every node's position is the one the full text gives, in
 * a pretty-printed plan and in one written on one line (as terraform show -json does). */
static void check_plan_release(const char *nl)
{
	struct buf b = {0};
	buf_addf(&b, "{%s  \"format_version\": \"1.2\",%s", nl, nl);
	add_section(&b, "planned_values", 16000, nl);
	buf_addf(&b, "  \"resource_changes\": [%s", nl);
	for (size_t i = 0; i < 40; i++)
		buf_addf(&b, "    {\"address\": \"aws_s3_bucket.r%zu\", \"mode\": \"managed\", "
		         "\"type\": \"aws_s3_bucket\", \"name\": \"r%zu\",%s     \"change\": "
		         "{\"actions\": [\"create\"], \"before\": null,%s      \"after\": "
		         "{\"bucket\": \"b\u00fccket-%zu\", \"region\": \"eu-west-1\"}}}%s%s",
		         i, i, nl, nl, i, i + 1 < 40 ? "," : "", nl);
	buf_addf(&b, "  ],%s", nl);
	add_section(&b, "prior_state", 16000, nl);
	buf_addf(&b, "  \"configuration\": {}%s}%s", nl, nl);
	struct model m;
	model_init(&m);
	load_buffer(&m, "plan.json", b.data, b.len, NULL);
	assert_int_equal(m.nresources, 40);
	assert_string_equal(m.resources[39].address, "aws_s3_bucket.r39");
	struct doc *doc = &m.inputs[0]->doc;
	assert_int_equal(doc->src.nholes, 2);
	unsigned want_line = 1, want_col = 1;
	size_t at = 0;
	for (uint32_t i = 0; i < doc->n; i++) { /* the tape is in source order */
		for (; at < doc->nodes[i].pos; at++) {
			if (b.data[at] == '\n')
				want_line++, want_col = 1;
			else if (((unsigned char)b.data[at] & 0xC0) != 0x80)
				want_col++;
		}
		unsigned line, col;
		doc_position(doc, doc->nodes[i].pos, &line, &col);
		assert_int_equal(line, want_line);
		assert_int_equal(col, want_col);
	}
	model_free(&m);
	free(b.data);
}

static void test_plan_release(void **state)
{
	(void)state;
	check_plan_release("\n");
	check_plan_release("");
}

/* Files read on several threads join the model exactly as on one: same diagnostics in the
 * same order, same inputs, same resources and addresses, stdin included. */
static void test_threads(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/mg-load-XXXXXX";
	char *root = xstrdup(mkdtemp(tmpl));
	for (int i = 0; i < 40; i++) {
		char name[32];
		snprintf(name, sizeof name, "f%02d.%s", i, i % 3 ? "yaml" : "json");
		const char *text = POD("same");
		if (i % 10 == 3)
			text = "{\"apiVersion\": \"v1\",\n  \"kind\": }";
		else if (i % 10 == 6)
			text = "kind: Pod\nmetadata: [1,\n";
		else if (i % 10 == 8)
			text = "\xff\xfe\x00\xd8";
		else if (i % 2)
			text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: odd\n";
		write_file(root, name, text);
	}
	char *dangling = testutil_join(root, "gone.json");
	assert_int_equal(symlink("/nonexistent/mg/x.json", dangling), 0);
	char *first = testutil_join(root, "f01.yaml");
	const char *paths[] = {root, "-", first};
	char *one = load_summary(paths, 3, 1, POD("stdin"));
	assert_non_null(strstr(one, "f03.json:2:11: expected a value"));
	assert_non_null(strstr(one, "res Pod/default/stdin\n"));
	assert_non_null(strstr(one, "res Pod/default/same#2\n"));
	for (unsigned t = 2; t <= 8; t *= 2) {
		for (int round = 0; round < 3; round++) {
			char *many = load_summary(paths, 3, t, POD("stdin"));
			assert_string_equal(one, many);
			free(many);
		}
	}
	free(one);
	free(first);
	free(dangling);
	remove_tree(root);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_explicit_paths),
		cmocka_unit_test(test_read_errors),
		cmocka_unit_test(test_stdin),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_yaml_choice),
		cmocka_unit_test(test_generic),
		cmocka_unit_test(test_unique_addresses),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_plan_release),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
