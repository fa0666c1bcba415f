/*
 * Fixture cases: <id>.tests/<case>/ holds input files, an optional config.yaml and
 * expect.yaml:
 *     findings:                       # or `findings: []`, or `findings: none`
 *       - policy: residency/allowed-regions   # optional; must be the case's policy
 *         resource: aws_s3_bucket.logs        # absent or null: a finding on the whole run
 *         severity: high                      # optional
 *         message: "outside the allowed"      # optional PCRE2 pattern, searched
 *         line: 12                            # optional
 *     skip: "reason"                  # optional: the case is reported skipped
 * The case's policy alone runs over the inputs; its findings must pair one to one with the
 * expected ones (the most specific expectations are paired first).
 */
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "engine/testrun.h"
#include "load/docpos.h"
#include "load/load.h"
#include "load/text.h"
#include "load/yaml.h"
#include "testing/ptest_int.h"
#include "util/buf.h"
#include "util/dirlist.h"
#include "util/xalloc.h"

#define EXPECT_MAX_SIZE ((size_t)1 << 20)

struct expect {
	char *resource;      /* NULL: on the run */
	int severity;        /* -1: any */
	char *message;       /* pattern or NULL */
	pcre2_code *re;
	unsigned line;       /* 0: any */
	unsigned at;         /* its line in expect.yaml */
};

struct expects {
	struct expect *v;
	size_t n;
	char *skip;
};

static void expects_free(struct expects *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free(x->v[i].resource);
		free(x->v[i].message);
		pcre2_code_free(x->v[i].re);
	}
	free(x->v);
	free(x->skip);
}

static unsigned line_of(struct doc *doc, uint32_t node)
{
	unsigned line, column;
	doc_position(doc, doc_node(doc, node)->pos, &line, &column);
	return line;
}

/* Fails t with "path:line: message" for node. */
static bool bad(struct ptest_result *t, struct doc *doc, uint32_t node, const char *msg,
                const char *arg)
{
	ptest_fail(t, "%s:%u: %s%s%s%s", doc->src.path, node == DOC_NONE ? 1 : line_of(doc, node),
	           msg, arg ? " '" : "", arg ? arg : "", arg ? "'" : "");
	return false;
}

static bool scalar_string(struct doc *doc, uint32_t v, char **out)
{
	if (doc_type(doc, v) == DOC_NULL) {
		*out = NULL;
		return true;
	}
	if (doc_type(doc, v) != DOC_STRING)
		return false;
	*out = doc_strdup(doc, v, NULL);
	return true;
}

static bool compile(struct expect *x, struct ptest_result *t, struct doc *doc, uint32_t v)
{
	int code;
	PCRE2_SIZE off;
	x->re = pcre2_compile((PCRE2_SPTR)x->message, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &code,
	                      &off, NULL);
	if (x->re)
		return true;
	PCRE2_UCHAR text[256];
	pcre2_get_error_message(code, text, sizeof text);
	char *msg = xasprintf("invalid message pattern at offset %zu: %s", (size_t)off, text);
	bad(t, doc, v, msg, NULL);
	free(msg);
	return false;
}

/* One member of an expected finding. */
static bool read_member(struct expect *x, const char *policy, struct ptest_result *t,
                        struct doc *doc, uint32_t k)
{
	uint32_t v = k + 1;
	char *s = NULL;
	int64_t n;
	enum severity sev;
	if (doc_streq(doc, k, "line")) {
		if (!doc_int(doc, v, &n) || n < 1 || n > 100000000)
			return bad(t, doc, v, "line must be a positive integer", NULL);
		x->line = (unsigned)n;
		return true;
	}
	if (!scalar_string(doc, v, &s))
		return bad(t, doc, v, "expected a string or null", NULL);
	bool ok = true;
	if (doc_streq(doc, k, "policy")) {
		ok = !s || strcmp(s, policy) == 0 || bad(t, doc, v, "the case belongs to policy", policy);
		free(s);
	} else if (doc_streq(doc, k, "resource")) {
		x->resource = s;
	} else if (doc_streq(doc, k, "severity")) {
		ok = (s && severity_parse(s, &sev)) || bad(t, doc, v, "unknown severity", s);
		x->severity = ok ? (int)sev : -1;
		free(s);
	} else if (doc_streq(doc, k, "message")) {
		x->message = s;
		ok = !s || compile(x, t, doc, v);
	} else {
		free(s);
		return bad(t, doc, k, "unknown key (expected policy, resource, severity, message or "
		                      "line)", NULL);
	}
	return ok;
}

static bool read_finding(struct expects *xs, const char *policy, struct ptest_result *t,
                         struct doc *doc, uint32_t item)
{
	if (doc_type(doc, item) != DOC_OBJECT)
		return bad(t, doc, item, "a finding must be a mapping", NULL);
	struct expect *x = &xs->v[xs->n++];
	memset(x, 0, sizeof *x);
	x->severity = -1;
	x->at = line_of(doc, item);
	for (uint32_t k = doc_first(doc, item); k != DOC_NONE; k = doc_next(doc, item, k + 1)) {
		if (!read_member(x, policy, t, doc, k))
			return false;
	}
	return true;
}

static bool read_findings(struct expects *xs, const char *policy, struct ptest_result *t,
                          struct doc *doc, uint32_t list)
{
	enum doc_type type = doc_type(doc, list);
	if (type == DOC_NULL || (type == DOC_STRING && doc_streq(doc, list, "none")))
		return true;
	if (type != DOC_ARRAY)
		return bad(t, doc, list, "findings must be a list, [] or none", NULL);
	xs->v = xcalloc(doc_node(doc, list)->len + 1, sizeof *xs->v);
	for (uint32_t i = doc_first(doc, list); i != DOC_NONE; i = doc_next(doc, list, i)) {
		if (!read_finding(xs, policy, t, doc, i))
			return false;
	}
	return true;
}

static bool read_top(struct expects *xs, const char *policy, struct ptest_result *t,
                     struct doc *doc)
{
	uint32_t root = doc->nroots ? doc->roots[0] : DOC_NONE;
	if (root == DOC_NONE || doc_type(doc, root) != DOC_OBJECT)
		return bad(t, doc, root, "expected a mapping with a 'findings' key", NULL);
	bool seen = false;
	for (uint32_t k = doc_first(doc, root); k != DOC_NONE; k = doc_next(doc, root, k + 1)) {
		if (doc_streq(doc, k, "findings")) {
			seen = true;
			if (!read_findings(xs, policy, t, doc, k + 1))
				return false;
		} else if (doc_streq(doc, k, "skip")) {
			if (!scalar_string(doc, k + 1, &xs->skip) || !xs->skip)
				return bad(t, doc, k + 1, "skip must be a string (the reason)", NULL);
		} else {
			return bad(t, doc, k, "unknown key (expected findings or skip)", NULL);
		}
	}
	return seen || bad(t, doc, root, "no 'findings' key (use 'findings: []' for none)", NULL);
}

static void yaml_failed(struct ptest_result *t, struct doc *doc, const struct yaml_error *yerr)
{
	unsigned line, column;
	doc_position(doc, yerr->pos, &line, &column);
	ptest_fail(t, "%s:%u:%u: %s", doc->src.path, line, column, yerr->message);
}

/* Reads dir/expect.yaml; false (t failed with file:line) when absent or invalid. */
static bool read_expect(const char *dir, const char *policy, struct expects *xs,
                        struct ptest_result *t)
{
	char *path = xasprintf("%s/expect.yaml", dir);
	struct doc doc;
	char err[256];
	struct yaml_error yerr;
	bool ok = false;
	doc_init(&doc, path);
	if (!text_read(&doc.src, path, EXPECT_MAX_SIZE, err, sizeof err))
		ptest_fail(t, "%s:1: cannot read the expected findings: %s", path, err);
	else if (!yaml_parse(&doc, NULL, &yerr))
		yaml_failed(t, &doc, &yerr);
	else
		ok = read_top(xs, policy, t, &doc);
	doc_free(&doc);
	free(path);
	return ok;
}

bool ptest_fixture_config(const char *dir, char **config)
{
	char *path = xasprintf("%s/config.yaml", dir);
	FILE *f = fopen(path, "rb");
	if (f) {
		fclose(f);
		*config = path;
		return true;
	}
	free(path);
	return false;
}

/* ---- running and comparing -------------------------------------------------------- */

static bool is_input(const char *name)
{
	static const char *const reserved[] = {"expect.yaml", "config.yaml", "README.md", NULL};
	for (size_t i = 0; reserved[i]; i++) {
		if (strcmp(name, reserved[i]) == 0)
			return false;
	}
	return name[0] != '.';
}

/* The case's input paths, sorted; *n may be 0. */
static char **case_inputs(const char *dir, size_t *n)
{
	size_t count;
	char **names = dirlist_read(dir, true, &count);
	char **v = xcalloc(count + 1, sizeof *v);
	*n = 0;
	for (size_t i = 0; names && i < count; i++) {
		if (is_input(names[i]))
			v[(*n)++] = xasprintf("%s/%s", dir, names[i]);
	}
	dirlist_free(names, count);
	return v;
}

static bool matches(const struct expect *x, const struct finding *f, pcre2_match_data *md)
{
	if ((x->resource == NULL) != (f->resource == NULL))
		return false;
	if (x->resource && strcmp(x->resource, f->resource) != 0)
		return false;
	if (x->severity >= 0 && x->severity != (int)f->severity)
		return false;
	if (x->line && x->line != f->line)
		return false;
	return !x->re || pcre2_match(x->re, (PCRE2_SPTR)f->message, PCRE2_ZERO_TERMINATED, 0, 0,
	                             md, NULL) >= 0;
}

/* How specific an expectation is: the most specific ones are paired first, so that a loose
 * pattern does not take the finding a precise one needs. */
static size_t weight(const struct expect *x)
{
	return (x->line ? 100000 : 0) + (x->severity >= 0 ? 50000 : 0) +
	       (x->message ? strlen(x->message) : 0);
}

static void describe_expect(struct ptest_result *t, const struct expect *x)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "- missing    %s %s", x->severity >= 0 ? severity_name((enum severity)x->severity)
	                                                 : "(any severity)",
	         x->resource ? x->resource : "(run)");
	if (x->message)
		buf_addf(&b, " message ~ /%s/", x->message);
	if (x->line)
		buf_addf(&b, " at line %u", x->line);
	buf_addf(&b, " (expect.yaml:%u)", x->at);
	ptest_fail(t, "%s", buf_str(&b));
	buf_free(&b);
}

static void describe_finding(struct ptest_result *t, const char *what, const struct finding *f)
{
	ptest_fail(t, "%s %s %s \"%s\"%s (line %u)", what, severity_name(f->severity),
	           f->resource ? f->resource : "(run)", f->message,
	           f->cannot_verify ? " [cannot verify]" : "", f->line);
}

/* Pairs expectations with findings one to one; every unpaired one is a diff line. */
static void compare(const struct expects *xs, const struct findings *fs, struct ptest_result *t)
{
	bool *taken = xcalloc(fs->n + 1, sizeof *taken);
	size_t *order = xcalloc(xs->n + 1, sizeof *order);
	for (size_t i = 0; i < xs->n; i++)
		order[i] = i;
	for (size_t i = 1; i < xs->n; i++) { /* insertion sort: a handful of expectations */
		size_t k = order[i], j = i;
		for (; j > 0 && weight(&xs->v[order[j - 1]]) < weight(&xs->v[k]); j--)
			order[j] = order[j - 1];
		order[j] = k;
	}
	pcre2_match_data *md = pcre2_match_data_create(16, NULL);
	for (size_t i = 0; i < xs->n; i++) {
		const struct expect *x = &xs->v[order[i]];
		size_t j = 0;
		while (j < fs->n && (taken[j] || !matches(x, &fs->v[j], md)))
			j++;
		if (j < fs->n)
			taken[j] = true;
		else
			describe_expect(t, x);
	}
	for (size_t j = 0; j < fs->n; j++) {
		if (!taken[j])
			describe_finding(t, "+ unexpected", &fs->v[j]);
	}
	if (t->status == PTEST_FAIL && fs->n) {
		ptest_fail(t, "all findings of %s:", fs->v[0].policy);
		for (size_t j = 0; j < fs->n; j++)
			describe_finding(t, "           ", &fs->v[j]);
	}
	pcre2_match_data_free(md);
	free(order);
	free(taken);
}

static void fail_diags(struct ptest_result *t, const struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		if (d->v[i].kind == DIAG_WARNING)
			continue;
		char *msg = diag_format(&d->v[i]);
		ptest_fail(t, "%s", msg);
		free(msg);
	}
}

/* Loads the inputs and runs the policy; false (t failed) on an input or policy error. */
static bool evaluate(struct engine *e, const char *policy, const char *dir, struct findings *fs,
                     struct ptest_result *t)
{
	size_t n;
	char **inputs = case_inputs(dir, &n);
	struct model m;
	struct diags d = DIAGS_INIT;
	model_init(&m);
	if (n == 0)
		ptest_fail(t, "%s: the case has no input file", dir);
	else
		load_paths(&m, (const char *const *)inputs, n, NULL);
	fail_diags(t, &m.diags);
	if (t->status != PTEST_FAIL && !engine_run_only(e, policy, &m, fs, &d))
		ptest_fail(t, "policy '%s' is not loaded (see its error above)", policy);
	fail_diags(t, &d);
	diags_free(&d);
	model_free(&m);
	for (size_t i = 0; i < n; i++)
		free(inputs[i]);
	free(inputs);
	return t->status != PTEST_FAIL;
}

void ptest_fixture_run(struct engine *e, const char *policy, const char *dir,
                       struct ptest_result *t)
{
	struct expects xs = {NULL, 0, NULL};
	struct findings fs = FINDINGS_INIT;
	if (!read_expect(dir, policy, &xs, t)) {
		expects_free(&xs);
		return;
	}
	if (xs.skip) {
		t->status = PTEST_SKIP;
		t->detail = xstrdup(xs.skip);
	} else if (evaluate(e, policy, dir, &fs, t)) {
		findings_sort(&fs);
		compare(&xs, &fs, t);
		t->saw_clean = t->status == PTEST_PASS && xs.n == 0;
		t->saw_finding = t->status == PTEST_PASS && xs.n > 0;
	}
	findings_free(&fs);
	expects_free(&xs);
}
