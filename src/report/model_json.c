/*
 * The model as JSON (see model_json.h): the inputs, then every resource with its core
 * fields and its document values re-serialised from the node tape.
 */
#include "report/model_json.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/docpos.h"
#include "util/xalloc.h"

static void write_string(struct buf *out, const char *s, size_t len)
{
	buf_addc(out, '"');
	buf_add_json_escaped(out, s, len);
	buf_addc(out, '"');
}

static void write_cstr(struct buf *out, const char *s)
{
	if (s)
		write_string(out, s, strlen(s));
	else
		buf_adds(out, "null");
}

/* A scalar's text, decoded; *owned is set when the caller must free it. */
static const char *scalar_text(const struct doc *doc, uint32_t i, size_t *len, char **owned)
{
	const struct doc_node *nd = doc_node(doc, i);
	*owned = NULL;
	if (!(nd->flags & DOC_ESCAPED)) {
		*len = nd->len;
		return doc->text + nd->text;
	}
	*owned = doc_strdup(doc, i, len);
	return *owned;
}

static void write_string_node(const struct doc *doc, uint32_t i, struct buf *out)
{
	char *owned;
	size_t len;
	const char *s = scalar_text(doc, i, &len, &owned);
	write_string(out, s, len);
	free(owned);
}

static bool skip_digits(const char **p, const char *end)
{
	const char *start = *p;
	while (*p < end && **p >= '0' && **p <= '9')
		(*p)++;
	return *p > start;
}

/* True when s[0, len) is a number in RFC 8259 syntax. */
static bool json_number_syntax(const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if (p >= end || *p < '1' || *p > '9' || !skip_digits(&p, end))
		return false;
	if (p < end && *p == '.') {
		p++;
		if (!skip_digits(&p, end))
			return false;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (!skip_digits(&p, end))
			return false;
	}
	return p == end;
}

/* The shortest %g form that reads back as the same double. */
static void write_double(struct buf *out, double v)
{
	char tmp[40];
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	buf_adds(out, tmp);
}

/* Numbers as written when that is JSON (always, for JSON input); YAML spellings such as
 * 0x1F or +1.5 are rewritten; what JSON cannot hold becomes a string in YAML's spelling:
 * ".inf", "-.inf", ".nan". */
static void write_number(const struct doc *doc, uint32_t i, struct buf *out)
{
	const struct doc_node *nd = doc_node(doc, i);
	const char *s = doc->text + nd->text;
	int64_t iv;
	double dv;
	if (json_number_syntax(s, nd->len))
		buf_add(out, s, nd->len);
	else if (nd->type == DOC_INT && doc_int(doc, i, &iv))
		buf_addf(out, "%" PRId64, iv);
	else if (!doc_number(doc, i, &dv))
		write_string(out, s, nd->len);
	else if (isfinite(dv))
		write_double(out, dv);
	else
		write_cstr(out, isnan(dv) ? ".nan" : dv > 0 ? ".inf" : "-.inf");
}

static bool keys_equal(const struct doc *doc, uint32_t a, uint32_t b)
{
	const struct doc_node *na = doc_node(doc, a), *nb = doc_node(doc, b);
	if (!((na->flags | nb->flags) & DOC_ESCAPED))
		return na->len == nb->len &&
		       memcmp(doc->text + na->text, doc->text + nb->text, na->len) == 0;
	size_t la, lb;
	char *sa = doc_strdup(doc, a, &la), *sb = doc_strdup(doc, b, &lb);
	bool eq = la == lb && memcmp(sa, sb, la) == 0;
	free(sa);
	free(sb);
	return eq;
}

/* True when key k of object obj appears again later (the later value wins). */
static bool repeated_later(const struct doc *doc, uint32_t obj, uint32_t k)
{
	for (uint32_t j = doc_next(doc, obj, k + 1); j != DOC_NONE; j = doc_next(doc, obj, j + 1)) {
		if (keys_equal(doc, k, j))
			return true;
	}
	return false;
}

static void write_object(const struct doc *doc, uint32_t obj, struct buf *out)
{
	bool first = true;
	buf_addc(out, '{');
	for (uint32_t k = doc_first(doc, obj); k != DOC_NONE; k = doc_next(doc, obj, k + 1)) {
		if (repeated_later(doc, obj, k))
			continue;
		if (!first)
			buf_addc(out, ',');
		first = false;
		write_string_node(doc, k, out);
		buf_addc(out, ':');
		model_json_write_node(doc, k + 1, out);
	}
	buf_addc(out, '}');
}

static void write_array(const struct doc *doc, uint32_t arr, struct buf *out)
{
	buf_addc(out, '[');
	for (uint32_t c = doc_first(doc, arr); c != DOC_NONE; c = doc_next(doc, arr, c)) {
		if (c != arr + 1)
			buf_addc(out, ',');
		model_json_write_node(doc, c, out);
	}
	buf_addc(out, ']');
}

void model_json_write_node(const struct doc *doc, uint32_t node, struct buf *out)
{
	if (node == DOC_NONE) {
		buf_adds(out, "null");
		return;
	}
	switch (doc_type(doc, node)) {
	case DOC_NULL: buf_adds(out, "null"); break;
	case DOC_FALSE: buf_adds(out, "false"); break;
	case DOC_TRUE: buf_adds(out, "true"); break;
	case DOC_INT:
	case DOC_FLOAT: write_number(doc, node, out); break;
	case DOC_STRING: write_string_node(doc, node, out); break;
	case DOC_ARRAY: write_array(doc, node, out); break;
	case DOC_OBJECT: write_object(doc, node, out); break;
	}
}

/* Terraform's names for the change actions, in a fixed order. */
static const struct {
	unsigned bit;
	const char *name;
} action_names[] = {
	{ACTION_NOOP, "no-op"},   {ACTION_CREATE, "create"}, {ACTION_READ, "read"},
	{ACTION_UPDATE, "update"}, {ACTION_DELETE, "delete"}, {ACTION_FORGET, "forget"},
};

static void write_actions(unsigned actions, struct buf *out)
{
	if (!actions) {
		buf_adds(out, "null");
		return;
	}
	bool first = true;
	buf_addc(out, '[');
	for (size_t i = 0; i < sizeof action_names / sizeof action_names[0]; i++) {
		if (!(actions & action_names[i].bit))
			continue;
		if (!first)
			buf_addc(out, ',');
		first = false;
		write_cstr(out, action_names[i].name);
	}
	buf_addc(out, ']');
}

static const char *region_state_name(enum region_state s)
{
	switch (s) {
	case REGION_KNOWN: return "known";
	case REGION_UNKNOWN: return "unknown";
	case REGION_NONE: break;
	}
	return "none";
}

/* "key": followed by a string or null. */
static void write_field(struct buf *out, const char *key, const char *value)
{
	buf_addf(out, ",\"%s\":", key);
	write_cstr(out, value);
}

/* 1-based line and column of a resource's declaration; line 0 when it has none. */
struct position {
	unsigned line, column;
};

static uint32_t node_pos(const struct model *m, size_t i)
{
	const struct model_resource *r = &m->resources[i];
	return doc_node(&m->inputs[r->input]->doc, r->node)->pos;
}

/* A resource's declaration offset, sorted by input then offset for the sweep below. */
struct pos_key {
	size_t input;
	uint32_t pos;
	size_t resource;
};

static int compare_keys(const void *a, const void *b)
{
	const struct pos_key *x = a, *y = b;
	if (x->input != y->input)
		return x->input < y->input ? -1 : 1;
	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	return 0;
}

/* Positions of every resource in one forward sweep per input, counted as doc_position
 * counts them (columns in characters): linear in the input however many resources share a
 * line, as they all do in a plan written on one line. */
static struct position *compute_positions(const struct model *m)
{
	struct position *out = xcalloc(m->nresources + 1, sizeof *out);
	struct pos_key *keys = xmalloc((m->nresources + 1) * sizeof *keys);
	size_t n = 0;
	for (size_t i = 0; i < m->nresources; i++) {
		if (m->resources[i].node == DOC_NONE)
			continue;
		keys[n].input = m->resources[i].input;
		keys[n].pos = node_pos(m, i);
		keys[n++].resource = i;
	}
	qsort(keys, n, sizeof *keys, compare_keys);
	size_t at = 0, input = SIZE_MAX;
	unsigned line = 1, column = 1;
	for (size_t k = 0; k < n; k++) {
		if (keys[k].input != input) {
			input = keys[k].input;
			at = 0;
			line = column = 1;
		}
		if (keys[k].pos > at) {
			doc_advance(&m->inputs[input]->doc, at, keys[k].pos, &line, &column);
			at = keys[k].pos;
		}
		out[keys[k].resource].line = line;
		out[keys[k].resource].column = column;
	}
	free(keys);
	return out;
}

static void write_position(const struct model *m, const struct model_resource *r,
                           const struct position *pos, struct buf *out)
{
	write_field(out, "file", m->inputs[r->input]->doc.src.path);
	if (pos->line == 0)
		buf_adds(out, ",\"line\":null,\"column\":null");
	else
		buf_addf(out, ",\"line\":%u,\"column\":%u", pos->line, pos->column);
}

/* An optional document member: written only when the resource has it. */
static void write_optional(const struct doc *doc, const char *key, uint32_t node,
                           struct buf *out)
{
	if (node == DOC_NONE)
		return;
	buf_addf(out, ",\"%s\":", key);
	model_json_write_node(doc, node, out);
}

static void write_resource(const struct model *m, const struct model_resource *r,
                           const struct position *pos, struct buf *out)
{
	const struct doc *doc = &m->inputs[r->input]->doc;
	buf_adds(out, "{\"address\":");
	write_cstr(out, r->address);
	write_field(out, "type", r->type);
	write_field(out, "name", r->name);
	write_field(out, "provider", r->provider);
	write_field(out, "cloud", r->cloud);
	write_field(out, "format", model_format_name(r->format));
	write_field(out, "mode", r->mode);
	write_field(out, "module", r->module);
	write_field(out, "region", r->region);
	write_field(out, "region_state", region_state_name(r->region_state));
	write_field(out, "region_source", r->region_source);
	buf_adds(out, ",\"actions\":");
	write_actions(r->actions, out);
	write_position(m, r, pos, out);
	buf_adds(out, ",\"values\":");
	model_json_write_node(doc, r->values, out);
	write_optional(doc, "before", r->before, out);
	write_optional(doc, "unknown", r->unknown, out);
	write_optional(doc, "sensitive", r->sensitive, out);
	buf_addc(out, '}');
}

static void write_input(const struct model_input *in, struct buf *out)
{
	buf_adds(out, "{\"file\":");
	write_cstr(out, in->doc.src.path);
	write_field(out, "format", model_format_name(in->format));
	buf_addf(out, ",\"documents\":%" PRIu32 ",\"resources\":%zu}", in->doc.nroots,
	         in->resource_count);
}

void model_json_write(struct model *m, struct buf *out)
{
	buf_adds(out, "{\"version\":1,\"inputs\":[");
	for (size_t i = 0; i < m->ninputs; i++) {
		if (i)
			buf_addc(out, ',');
		write_input(m->inputs[i], out);
	}
	buf_adds(out, "],\"resources\":[");
	struct position *pos = compute_positions(m);
	for (size_t i = 0; i < m->nresources; i++) {
		if (i)
			buf_addc(out, ',');
		write_resource(m, &m->resources[i], &pos[i], out);
	}
	free(pos);
	buf_adds(out, "]}\n");
}
