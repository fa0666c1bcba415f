/*
 * Baselines (see baseline.h): fingerprints, writing the file, and reading it back.
 */
#include "govern/baseline.h"

#include <stdlib.h>
#include <string.h>

#include "load/docpos.h"
#include "load/json.h"
#include "load/text.h"
#include "report/json.h"
#include "report/sarif.h"
#include "util/xalloc.h"

static const char *plain_file(const char *file)
{
	while (file && file[0] == '.' && file[1] == '/')
		file += 2;
	return file;
}

void baseline_fingerprint(const struct finding *f, char out[17])
{
	const char *fields[] = {"moongate/baseline/v1", f->policy, plain_file(f->file), f->resource};
	report_sarif_fingerprint(fields, sizeof fields / sizeof fields[0], out);
}

struct keyed {
	char fingerprint[17];
	const struct finding *f;
};

static int cmp_keyed(const void *a, const void *b)
{
	return strcmp(((const struct keyed *)a)->fingerprint, ((const struct keyed *)b)->fingerprint);
}

static void format_entry(struct buf *out, const struct keyed *k, bool first)
{
	buf_addf(out, "%s\n    {\"fingerprint\": \"%s\", \"policy\": ", first ? "" : ",",
	         k->fingerprint);
	report_json_string(out, k->f->policy);
	buf_adds(out, ", \"file\": ");
	report_json_string(out, plain_file(k->f->file));
	buf_adds(out, ", \"resource\": ");
	report_json_string(out, k->f->resource);
	buf_adds(out, "}");
}

void baseline_format(const struct findings *fs, struct buf *out)
{
	struct keyed *v = xcalloc(fs->n + 1, sizeof *v);
	size_t n = 0, written = 0;
	for (size_t i = 0; i < fs->n; i++) {
		if (fs->v[i].status != FINDING_OPEN)
			continue;
		baseline_fingerprint(&fs->v[i], v[n].fingerprint);
		v[n++].f = &fs->v[i];
	}
	qsort(v, n, sizeof *v, cmp_keyed);
	buf_adds(out, "{\n  \"version\": 1,\n  \"findings\": [");
	for (size_t i = 0; i < n; i++) {
		if (i && strcmp(v[i].fingerprint, v[i - 1].fingerprint) == 0)
			continue;
		format_entry(out, &v[i], written++ == 0);
	}
	buf_adds(out, written ? "\n  ]\n}\n" : "]\n}\n");
	free(v);
}

/* ---------------------------------------------------------------- reading */

static void bad(struct diags *d, struct doc *doc, uint32_t node, const char *msg)
{
	unsigned line = 0, column = 0;
	if (node != DOC_NONE)
		doc_position(doc, doc_node(doc, node)->pos, &line, &column);
	diags_add(d, DIAG_USAGE, doc->src.path, line, column, NULL, "baseline: %s", msg);
}

static bool is_fingerprint(const struct doc *doc, uint32_t v)
{
	if (v == DOC_NONE || doc_type(doc, v) != DOC_STRING || doc_node(doc, v)->len != 16)
		return false;
	const char *s = doc->text + doc_node(doc, v)->text;
	for (int i = 0; i < 16; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return true;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct baseline_entry *)a)->fingerprint,
	              ((const struct baseline_entry *)b)->fingerprint);
}

/* Reads the entries of the parsed file; false with a diagnostic on a wrong shape. */
static bool read_entries(struct baseline *b, struct doc *doc, struct diags *d)
{
	uint32_t root = doc->roots[0];
	uint32_t list = doc_get(doc, root, "findings");
	int64_t version = 0;
	if (doc_type(doc, root) != DOC_OBJECT || !doc_int(doc, doc_get(doc, root, "version"), &version) ||
	    version != 1) {
		bad(d, doc, root, "expected an object with \"version\": 1");
		return false;
	}
	if (list == DOC_NONE || doc_type(doc, list) != DOC_ARRAY) {
		bad(d, doc, list == DOC_NONE ? root : list, "\"findings\" must be a list");
		return false;
	}
	b->v = xcalloc(doc_node(doc, list)->len + 1, sizeof *b->v);
	for (uint32_t e = doc_first(doc, list); e != DOC_NONE; e = doc_next(doc, list, e)) {
		uint32_t fp = doc_get(doc, e, "fingerprint");
		if (!is_fingerprint(doc, fp)) {
			bad(d, doc, e, "every entry needs a \"fingerprint\" of 16 hex digits");
			return false;
		}
		memcpy(b->v[b->n++].fingerprint, doc->text + doc_node(doc, fp)->text, 16);
	}
	qsort(b->v, b->n, sizeof *b->v, cmp_entry);
	return true;
}

bool baseline_load(struct baseline *b, const char *path, struct diags *d)
{
	struct doc doc;
	char err[256];
	struct json_error jerr;
	bool ok = false;
	memset(b, 0, sizeof *b);
	doc_init(&doc, path);
	if (!text_read(&doc.src, path, BASELINE_MAX_SIZE, err, sizeof err)) {
		diags_add(d, DIAG_USAGE, path, 0, 0, NULL, "cannot read baseline: %s", err);
	} else if (!json_parse(&doc, NULL, &jerr)) {
		unsigned line, column;
		doc_position(&doc, jerr.pos, &line, &column);
		diags_add(d, DIAG_USAGE, path, line, column, NULL, "baseline: %s", jerr.message);
	} else {
		ok = read_entries(b, &doc, d);
	}
	doc_free(&doc);
	if (!ok)
		baseline_free(b);
	return ok;
}

struct baseline_entry *baseline_find(struct baseline *b, const struct finding *f)
{
	struct baseline_entry key = {{0}, false};
	baseline_fingerprint(f, key.fingerprint);
	struct baseline_entry *e = b->n ? bsearch(&key, b->v, b->n, sizeof *b->v, cmp_entry) : NULL;
	if (e)
		e->seen = true;
	return e;
}

size_t baseline_unseen(const struct baseline *b)
{
	size_t n = 0;
	for (size_t i = 0; i < b->n; i++)
		n += !b->v[i].seen;
	return n;
}

void baseline_free(struct baseline *b)
{
	free(b->v);
	memset(b, 0, sizeof *b);
}
