/*
 * Inline suppressions (see suppress.h): comments found with PCRE2 in the raw text of every
 * input, annotations and tags read from resource values, and matching them to findings.
 */
#define _GNU_SOURCE /* memmem */
#include "govern/suppress.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <fnmatch.h>
#include <limits.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "govern/gov.h"
#include "load/docpos.h"
#include "util/isodate.h"
#include "util/xalloc.h"

#define SUPPRESS_KEYWORD "moongate:ignore"

/* A comment `# moongate:ignore ...` at the start of a line or after a blank; group 1 is the
 * text after the keyword. */
static const char comment_pattern[] = "(?:^|[ \\t])#[ \\t]*moongate:ignore(?![\\w:-])([^\\n]*)$";

static char *trimmed(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* Splits head (before "--") into ids and an until= date at blanks and commas. */
static void parse_head(const char *head, size_t n, char ***ids, char **until)
{
	size_t count = 0;
	*ids = xcalloc(n / 2 + 2, sizeof **ids);
	for (size_t i = 0; i < n;) {
		while (i < n && (isspace((unsigned char)head[i]) || head[i] == ','))
			i++;
		size_t start = i;
		while (i < n && !isspace((unsigned char)head[i]) && head[i] != ',')
			i++;
		if (i == start)
			continue;
		if (i - start >= 6 && strncmp(head + start, "until=", 6) == 0) {
			free(*until);
			*until = xstrndup(head + start + 6, i - start - 6);
		} else {
			(*ids)[count++] = xstrndup(head + start, i - start);
		}
	}
}

void suppress_parse(const char *text, char ***ids, char **until, char **reason)
{
	const char *sep = strstr(text, "--");
	size_t head = sep ? (size_t)(sep - text) : strlen(text);
	*until = NULL;
	*reason = NULL;
	parse_head(text, head, ids, until);
	if (sep) {
		*reason = trimmed(sep + 2, strlen(sep + 2));
		if (!**reason) {
			free(*reason);
			*reason = NULL;
		}
	}
}

static void free_ids(char **ids)
{
	for (size_t i = 0; ids && ids[i]; i++)
		free(ids[i]);
	free(ids);
}

/* Records a broken suppression as a finding of SUPPRESS_POLICY. */
static void add_problem(struct findings *problems, const struct suppression *x,
                        const char *message)
{
	struct finding *f = findings_add(problems);
	f->policy = xstrdup(SUPPRESS_POLICY);
	f->severity = SEV_LOW;
	f->message = xstrdup(message);
	f->resource = x->resource ? xstrdup(x->resource) : NULL;
	f->file = x->file ? xstrdup(x->file) : NULL;
	f->line = x->line;
	f->title = xstrdup("Suppressions name a policy and give a reason");
	f->remediation = xstrdup("write '# moongate:ignore <policy-id> -- <reason>'");
}

/* Checks a parsed suppression: usable, or a problem finding / an expiry warning. */
void suppress_validate(struct suppression *x, const char *until, const char *today,
                       struct findings *problems, struct diags *d)
{
	char msg[256];
	const char *first = x->ids[0] ? x->ids[0] : "";
	x->usable = false;
	if (!x->ids[0]) {
		add_problem(problems, x, "suppression names no policy id");
	} else if (!x->reason) {
		snprintf(msg, sizeof msg, "suppression of '%s' has no reason: write '-- <reason>' after "
		         "the policy id", first);
		add_problem(problems, x, msg);
	} else if (until && !isodate_valid(until)) {
		snprintf(msg, sizeof msg, "suppression of '%s' has an invalid date '%s' (expected "
		         "until=YYYY-MM-DD)", first, until);
		add_problem(problems, x, msg);
	} else if (until && strcmp(until, today) < 0) {
		diags_add(d, DIAG_WARNING, x->file, x->line, 0, NULL,
		          "suppression of '%s' expired on %s and no longer applies", first, until);
	} else {
		x->usable = true;
	}
}

static struct suppression *add(struct suppressions *s, enum suppress_kind kind, size_t input,
                               const char *file, unsigned line)
{
	xgrow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v);
	struct suppression *x = &s->v[s->n++];
	memset(x, 0, sizeof *x);
	x->kind = kind;
	x->input = input;
	x->file = file ? xstrdup(file) : NULL;
	x->line = line;
	return x;
}

/* Parses text into x and validates it. */
static void fill(struct suppression *x, const char *text, const char *today,
                 struct findings *problems, struct diags *d)
{
	suppress_parse(text, &x->ids, &x->until, &x->reason);
	suppress_validate(x, x->until, today, problems, d);
}

/* ---------------------------------------------------------------- comments */

/* True when the line [p, end) holds nothing a comment could cover: blanks, a comment, or a
 * document marker. */
static bool skippable_line(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	if (p == end || *p == '#')
		return true;
	return end - p >= 3 && strncmp(p, "---", 3) == 0;
}

/* The line a comment alone on line `line` (ending at eol) covers, or 0 at the end. */
static unsigned covered_line(const char *data, size_t len, size_t eol, unsigned line)
{
	size_t p = eol;
	while (p < len) {
		p++; /* past the newline */
		line++;
		const char *nl = memchr(data + p, '\n', len - p);
		size_t end = nl ? (size_t)(nl - data) : len;
		if (!skippable_line(data + p, data + end))
			return line;
		p = end;
	}
	return 0;
}

/* One comment match at [start, end) (the '#' or the blank before it) of input i. */
static void add_comment(struct suppressions *s, struct model *m, size_t i, size_t hash,
                        const char *text, const char *today, struct findings *problems,
                        struct diags *d)
{
	struct doc *doc = &m->inputs[i]->doc;
	const char *data = doc->src.data;
	unsigned line, column;
	doc_position(doc, (uint32_t)hash, &line, &column);
	size_t bol = hash;
	while (bol > 0 && data[bol - 1] != '\n')
		bol--;
	bool alone = true;
	for (size_t k = bol; k < hash; k++)
		alone = alone && (data[k] == ' ' || data[k] == '\t');
	const char *nl = memchr(data + hash, '\n', doc->src.len - hash);
	size_t eol = nl ? (size_t)(nl - data) : doc->src.len;
	struct suppression *x = add(s, SUPPRESS_COMMENT, i, doc->src.path, line);
	x->target = alone ? covered_line(data, doc->src.len, eol, line) : line;
	fill(x, text, today, problems, d);
}

/* Finds every suppression comment of input i. */
static void scan_comments(struct suppressions *s, struct model *m, size_t i, pcre2_code *re,
                          pcre2_match_data *md, const char *today, struct findings *problems,
                          struct diags *d)
{
	const struct doc_source *src = &m->inputs[i]->doc.src;
	enum model_format f = m->inputs[i]->format;
	if (f == FORMAT_TFPLAN || f == FORMAT_TFSTATE || f == FORMAT_TFJSON)
		return; /* JSON only: no comments (a plan of 80 MB is not searched) */
	if (!src->data || !memmem(src->data, src->len, SUPPRESS_KEYWORD, strlen(SUPPRESS_KEYWORD)))
		return;
	size_t off = 0;
	while (off < src->len && pcre2_match(re, (PCRE2_SPTR)src->data, src->len, off, 0, md,
	                                     NULL) >= 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		size_t hash = ov[0];
		while (src->data[hash] != '#')
			hash++;
		char *text = xstrndup(src->data + ov[2], ov[3] - ov[2]);
		add_comment(s, m, i, hash, text, today, problems, d);
		free(text);
		off = ov[1] > off ? ov[1] : off + 1;
	}
}

/* ---------------------------------------------------------------- annotations and tags */

/* Adds the suppression written in string node v for resource r, if v is one. */
static void add_value(struct suppressions *s, struct model *m, const struct model_resource *r,
                      uint32_t v, enum suppress_kind kind, const char *today,
                      struct findings *problems, struct diags *d)
{
	struct doc *doc = model_doc(m, r);
	if (v == DOC_NONE || doc_type(doc, v) != DOC_STRING)
		return;
	unsigned line, column;
	doc_position(doc, doc_node(doc, v)->pos, &line, &column);
	char *text = doc_strdup(doc, v, NULL);
	struct suppression *x = add(s, kind, r->input, doc->src.path, line);
	x->resource = xstrdup(r->address);
	fill(x, text, today, problems, d);
	free(text);
}

/* CloudFormation: the Value of the {Key: moongate-ignore, Value: ...} entry of Tags. */
static uint32_t cfn_tag(const struct doc *doc, uint32_t tags)
{
	if (tags == DOC_NONE || doc_type(doc, tags) != DOC_ARRAY)
		return DOC_NONE;
	for (uint32_t t = doc_first(doc, tags); t != DOC_NONE; t = doc_next(doc, tags, t)) {
		if (doc_streq(doc, doc_get(doc, t, "Key"), "moongate-ignore"))
			return doc_get(doc, t, "Value");
	}
	return DOC_NONE;
}

static void scan_resource(struct suppressions *s, struct model *m, const struct model_resource *r,
                          const char *today, struct findings *problems, struct diags *d)
{
	static const char *const tag_keys[] = {"tags", "labels", "tags_all"};
	const struct doc *doc = model_doc(m, r);
	if (r->values == DOC_NONE)
		return;
	if (r->format == FORMAT_K8S) {
		uint32_t ann = doc_path(doc, r->values, "metadata.annotations");
		add_value(s, m, r, doc_get(doc, ann, "moongate.io/ignore"), SUPPRESS_ANNOTATION, today,
		          problems, d);
		return;
	}
	if (r->format == FORMAT_CFN) {
		add_value(s, m, r, cfn_tag(doc, doc_get(doc, r->values, "Tags")), SUPPRESS_TAG, today,
		          problems, d);
		return;
	}
	for (size_t k = 0; k < sizeof tag_keys / sizeof tag_keys[0]; k++) {
		uint32_t v = doc_get(doc, doc_get(doc, r->values, tag_keys[k]), "moongate-ignore");
		if (v != DOC_NONE) {
			add_value(s, m, r, v, SUPPRESS_TAG, today, problems, d);
			return; /* tags_all repeats tags */
		}
	}
}

void suppress_scan(struct suppressions *s, struct model *m, const char *today,
                   struct findings *problems, struct diags *d)
{
	int err;
	PCRE2_SIZE erroff;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)comment_pattern, PCRE2_ZERO_TERMINATED,
	                               PCRE2_MULTILINE, &err, &erroff, NULL);
	pcre2_match_data *md = re ? pcre2_match_data_create_from_pattern(re, NULL) : NULL;
	if (!md)
		abort(); /* a constant pattern; only out-of-memory gets here */
	for (size_t i = 0; i < m->ninputs; i++)
		scan_comments(s, m, i, re, md, today, problems, d);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	for (size_t i = 0; i < m->nresources; i++)
		scan_resource(s, m, &m->resources[i], today, problems, d);
}

/* ---------------------------------------------------------------- matching */

bool suppress_names(const struct suppression *x, const char *policy)
{
	for (size_t i = 0; x->ids[i]; i++) {
		if (fnmatch(x->ids[i], policy, 0) == 0)
			return true;
	}
	return false;
}

/* The lines declaring resource address in input i: from the key naming it (a CloudFormation
 * logical id, a .tf.json name), when there is one, to its node. Both 0 when not found. */
static void declared_lines(struct model *m, size_t i, const char *address, unsigned lines[2])
{
	const struct model_input *in = m->inputs[i];
	unsigned column;
	lines[0] = lines[1] = 0;
	for (size_t k = in->first_resource; address && k < in->first_resource + in->resource_count;
	     k++) {
		const struct model_resource *r = &m->resources[k];
		if (r->node == DOC_NONE || strcmp(r->address, address) != 0)
			continue;
		struct doc *doc = model_doc(m, r);
		doc_position(doc, doc_node(doc, r->node)->pos, &lines[1], &column);
		lines[0] = lines[1];
		uint32_t key = r->node - 1;
		if (r->node > 0 && doc_type(doc, key) == DOC_STRING && doc_end(doc, key) == r->node)
			doc_position(doc, doc_node(doc, key)->pos, &lines[0], &column);
		return;
	}
}

static bool covers(const struct suppression *x, struct model *m, const struct finding *f,
                   unsigned decl[2])
{
	if (!x->usable || !suppress_names(x, f->policy) || !f->file || !x->file ||
	    strcmp(x->file, f->file) != 0)
		return false;
	if (x->kind != SUPPRESS_COMMENT)
		return f->resource && strcmp(x->resource, f->resource) == 0;
	if (x->target && x->target == f->line)
		return true;
	if (decl[0] == UINT_MAX)
		declared_lines(m, x->input, f->resource, decl);
	return x->target && decl[0] <= x->target && x->target <= decl[1];
}

const struct suppression *suppress_find(const struct suppressions *s, struct model *m,
                                        const struct finding *f)
{
	unsigned decl[2] = {UINT_MAX, 0}; /* looked up on first need */
	if (!f->policy || strcmp(f->policy, SUPPRESS_POLICY) == 0)
		return NULL;
	for (size_t i = 0; i < s->n; i++) {
		if (covers(&s->v[i], m, f, decl))
			return &s->v[i];
	}
	return NULL;
}

void suppress_free(struct suppressions *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].file);
		free(s->v[i].resource);
		free(s->v[i].reason);
		free(s->v[i].until);
		free_ids(s->v[i].ids);
	}
	free(s->v);
	memset(s, 0, sizeof *s);
}
