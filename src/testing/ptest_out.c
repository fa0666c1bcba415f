/*
 * Reports of a policy test run: text (one line per test, the diff indented under a
 * failure, the closing count, the coverage table), JSON and JUnit XML.
 */
#include <stdlib.h>
#include <string.h>

#include "report/junit.h"
#include "testing/ptest_int.h"
#include "util/xalloc.h"

static const char *const status_word[] = {
	[PTEST_PASS] = "ok  ", [PTEST_FAIL] = "FAIL", [PTEST_SKIP] = "skip",
};

static void add_indented(struct buf *out, const char *text)
{
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		buf_adds(out, "    ");
		buf_add(out, p, len);
		buf_addc(out, '\n');
		p += len + (nl != NULL);
	}
}

static void coverage_text(const struct ptest_report *r, struct buf *out)
{
	unsigned code = 0, hit = 0;
	buf_addf(out, "\n%-36s %-4s %-4s %6s  %s\n", "policy", "pass", "fail", "lines", "not run");
	for (size_t i = 0; i < r->ncover; i++) {
		const struct ptest_cover *c = &r->cover[i];
		double pct = c->code_lines ? 100.0 * c->hit_lines / c->code_lines : 100.0;
		buf_addf(out, "%-36s %-4s %-4s %5.1f%%  %s\n", c->policy, c->has_pass ? "yes" : "NO",
		         c->has_fail ? "yes" : "NO", pct, c->missed);
		code += c->code_lines;
		hit += c->hit_lines;
	}
	buf_addf(out, "total: %u of %u policy lines run (%.1f%%)\n", hit, code,
	         code ? 100.0 * hit / code : 100.0);
}

void ptest_write_text(const struct ptest_report *r, struct buf *out)
{
	for (size_t i = 0; i < r->nresults; i++) {
		const struct ptest_result *t = &r->results[i];
		buf_addf(out, "%s %s %s\n", status_word[t->status], t->policy, t->name);
		if (t->detail && t->status != PTEST_PASS)
			add_indented(out, t->detail);
	}
	buf_addf(out, "%zu passed, %zu failed", r->passed, r->failed);
	if (r->skipped)
		buf_addf(out, ", %zu skipped", r->skipped);
	buf_addc(out, '\n');
	if (r->coverage)
		coverage_text(r, out);
}

static void json_str(struct buf *out, const char *s)
{
	if (!s) {
		buf_adds(out, "null");
		return;
	}
	buf_addc(out, '"');
	buf_add_json_escaped(out, s, strlen(s));
	buf_addc(out, '"');
}

static void json_result(struct buf *out, const struct ptest_result *t)
{
	static const char *const names[] = {"pass", "fail", "skip"};
	buf_adds(out, "{\"policy\": ");
	json_str(out, t->policy);
	buf_adds(out, ", \"name\": ");
	json_str(out, t->name);
	buf_adds(out, ", \"file\": ");
	json_str(out, t->file);
	if (t->line)
		buf_addf(out, ", \"line\": %u", t->line);
	else
		buf_adds(out, ", \"line\": null");
	buf_addf(out, ", \"status\": \"%s\", \"detail\": ", names[t->status]);
	json_str(out, t->detail);
	buf_addf(out, ", \"seconds\": %.6f}", t->seconds);
}

static void json_cover(struct buf *out, const struct ptest_cover *c)
{
	buf_adds(out, "{\"policy\": ");
	json_str(out, c->policy);
	buf_adds(out, ", \"file\": ");
	json_str(out, c->file);
	buf_addf(out, ", \"has_pass\": %s, \"has_fail\": %s, \"lines\": %u, \"lines_run\": %u, "
	         "\"not_run\": ", c->has_pass ? "true" : "false", c->has_fail ? "true" : "false",
	         c->code_lines, c->hit_lines);
	json_str(out, c->missed);
	buf_addc(out, '}');
}

void ptest_write_json(const struct ptest_report *r, struct buf *out)
{
	buf_adds(out, "{\"version\": 1, \"tests\": [");
	for (size_t i = 0; i < r->nresults; i++) {
		buf_adds(out, i ? ",\n  " : "\n  ");
		json_result(out, &r->results[i]);
	}
	buf_addf(out, "%s], \"summary\": {\"passed\": %zu, \"failed\": %zu, \"skipped\": %zu}",
	         r->nresults ? "\n" : "", r->passed, r->failed, r->skipped);
	if (r->coverage) {
		buf_adds(out, ", \"coverage\": [");
		for (size_t i = 0; i < r->ncover; i++) {
			buf_adds(out, i ? ",\n  " : "\n  ");
			json_cover(out, &r->cover[i]);
		}
		buf_adds(out, r->ncover ? "\n]" : "]");
	}
	buf_adds(out, "}\n");
}

static void xml_attr(struct buf *out, const char *name, const char *value)
{
	buf_addf(out, " %s=\"", name);
	report_junit_xml_escape(out, value);
	buf_addc(out, '"');
}

static void junit_case(struct buf *out, const struct ptest_result *t)
{
	buf_adds(out, "    <testcase");
	xml_attr(out, "name", t->name);
	xml_attr(out, "classname", t->policy);
	buf_addf(out, " time=\"%.6f\"", t->seconds);
	if (t->status == PTEST_PASS) {
		buf_adds(out, "/>\n");
		return;
	}
	if (t->status == PTEST_SKIP) {
		buf_adds(out, ">\n      <skipped");
		xml_attr(out, "message", t->detail ? t->detail : "skipped");
		buf_adds(out, "/>\n    </testcase>\n");
		return;
	}
	buf_adds(out, ">\n      <failure");
	xml_attr(out, "message", "policy test failed");
	xml_attr(out, "type", "failure");
	buf_adds(out, ">");
	report_junit_xml_escape(out, t->detail ? t->detail : "");
	buf_adds(out, "</failure>\n    </testcase>\n");
}

/* One suite per policy: the results are in policy order. */
static void junit_suite(struct buf *out, const struct ptest_report *r, size_t from, size_t to,
                        int id)
{
	size_t failures = 0, skipped = 0;
	double seconds = 0;
	for (size_t i = from; i < to; i++) {
		failures += r->results[i].status == PTEST_FAIL;
		skipped += r->results[i].status == PTEST_SKIP;
		seconds += r->results[i].seconds;
	}
	buf_adds(out, "  <testsuite");
	xml_attr(out, "name", r->results[from].policy);
	buf_addf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"%.6f\""
	         " id=\"%d\" package=\"moongate\" hostname=\"localhost\""
	         " timestamp=\"1970-01-01T00:00:00\">\n", to - from, failures, skipped, seconds, id);
	buf_adds(out, "    <properties/>\n");
	for (size_t i = from; i < to; i++)
		junit_case(out, &r->results[i]);
	buf_adds(out, "    <system-out/>\n    <system-err/>\n  </testsuite>\n");
}

void ptest_write_junit(const struct ptest_report *r, struct buf *out)
{
	buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
	int id = 0;
	for (size_t i = 0; i < r->nresults;) {
		size_t j = i + 1;
		while (j < r->nresults && strcmp(r->results[j].policy, r->results[i].policy) == 0)
			j++;
		junit_suite(out, r, i, j, id++);
		i = j;
	}
	buf_adds(out, "</testsuites>\n");
}
