/*
 * The YAML loader (see yaml.h and docs/parsing-yaml.md). libyaml's event parser drives a
 * small state machine that appends nodes to the tape of load/doc.h:
 *   - scalar texts go to an arena owned by the doc (plain UTF-8, never escaped);
 *   - open sequences and mappings sit on a growable frame stack;
 *   - an alias copies the anchored subtree (an anchor is a contiguous tape range), within a
 *     budget of copied nodes, so an alias bomb fails instead of eating the machine;
 *   - merge keys (<<) are resolved when their mapping closes, by rewriting its pairs;
 *   - local tags become data: CloudFormation short forms their long forms, any other local
 *     tag a one-pair mapping keyed by the tag as written;
 *   - a mapping key that is not a scalar becomes a string: its compact JSON rendering.
 * libyaml marks count characters, not bytes; positions are converted with a cursor that moves
 * through the UTF-8 source (marks are nearly monotonic, so the cost stays linear).
 */
#include "load/yaml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "load/yamlblock.h"
#include "load/yamlnode.h"
#include "util/buf.h"
#include "util/xalloc.h"

#define YAML_DEFAULT_MAX_DEPTH 512
#define YAML_DEFAULT_MAX_DOCUMENTS 100000
#define YAML_MAX_KEY_BYTES 65536 /* a collection used as a key, rendered as JSON text */
#define YAML_MIN_ALIAS_NODES 1000000

/* A private node flag: this key is a merge key (<<). Merge keys never survive the rewrite of
 * their mapping, so the flag never reaches readers of the tape. */
#define MERGE_KEY_FLAG 0x80

struct anchor {
	char *name;
	uint32_t start, end; /* the anchored subtree: tape range [start, end) */
	struct doc_node *saved; /* its nodes, once the tape no longer holds them (a collection
	                           key turned into a string), else NULL */
};

struct frame {
	uint32_t node;      /* the container node */
	uint32_t wrapper;   /* the tag wrapper object around it, or DOC_NONE */
	char *anchor;       /* anchor to define when the container closes, or NULL */
	uint8_t kind;       /* DOC_ARRAY or DOC_OBJECT */
	bool want_value;    /* mapping: the next finished node is a value (else a key) */
	bool merge_pending; /* mapping: the value being read belongs to a merge key */
	bool has_merge;     /* mapping: holds merge keys to resolve on close */
};

struct yaml_state {
	struct doc *doc;
	struct yaml_error *err;
	yaml_parser_t parser;
	unsigned max_depth;
	uint32_t max_documents;
	uint32_t max_string;
	uint64_t alias_budget, alias_used;
	struct yamlnode_arena arena;
	struct frame *frames;
	size_t nframes, frames_cap;
	struct anchor *anchors;
	size_t nanchors, anchors_cap;
	uint32_t *slots; /* open addressing over anchors: index + 1, 0 = empty */
	size_t nslots;
	size_t cur_char, cur_byte, base_byte; /* mark conversion cursor */
	bool ascii;                           /* the source is all ASCII: a mark is a byte offset */
	uint32_t doc_start, roots_start;      /* tape and roots when the current document began */
	struct buf scratch;
};

/* ---------------------------------------------------------------- errors and positions */

static bool fail_at(struct yaml_state *st, uint32_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool fail_at(struct yaml_state *st, uint32_t pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->err->message, sizeof st->err->message, fmt, ap);
	va_end(ap);
	st->err->pos = pos;
	return false;
}

/* True when the eight bytes at p are ASCII. */
static bool ascii8(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, sizeof w);
	return (w & 0x8080808080808080u) == 0;
}

/* True when the n bytes at s are all ASCII. */
static bool all_ascii(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i + 8 <= n && ascii8(u + i))
		i += 8;
	while (i < n && u[i] < 0x80)
		i++;
	return i == n;
}

/* Byte offset of a libyaml character index. */
static uint32_t byte_at(struct yaml_state *st, size_t char_index)
{
	if (st->ascii)
		return (uint32_t)char_index;
	const unsigned char *s = (const unsigned char *)st->doc->src.data;
	size_t len = st->doc->src.len;
	while (st->cur_char < char_index && st->cur_byte < len) {
		if (char_index - st->cur_char >= 8 && len - st->cur_byte >= 8 &&
		    ascii8(s + st->cur_byte)) {
			st->cur_byte += 8; /* eight ASCII characters */
			st->cur_char += 8;
			continue;
		}
		st->cur_byte++;
		while (st->cur_byte < len && (s[st->cur_byte] & 0xC0) == 0x80)
			st->cur_byte++;
		st->cur_char++;
	}
	while (st->cur_char > char_index && st->cur_byte > st->base_byte) {
		st->cur_byte--;
		while (st->cur_byte > st->base_byte && (s[st->cur_byte] & 0xC0) == 0x80)
			st->cur_byte--;
		st->cur_char--;
	}
	return (uint32_t)st->cur_byte;
}

static uint32_t mark_pos(struct yaml_state *st, const yaml_mark_t *mark)
{
	return byte_at(st, mark->index);
}

/* libyaml's problem and context, as "did not find expected key while parsing a block
 * mapping"; reader errors (bad UTF-8, control characters) carry a byte offset already. */
static bool fail_libyaml(struct yaml_state *st)
{
	yaml_parser_t *p = &st->parser;
	const char *problem = p->problem ? p->problem : "invalid yaml";
	if (p->error == YAML_MEMORY_ERROR) {
		fprintf(stderr, "moongate: out of memory\n");
		abort();
	}
	if (p->error == YAML_READER_ERROR) {
		uint32_t pos = (uint32_t)p->problem_offset;
		if (p->problem_value >= 0 && p->problem_value < 0x100)
			return fail_at(st, pos, "%s (byte 0x%02x)", problem, (unsigned)p->problem_value);
		return fail_at(st, pos, "%s", problem);
	}
	uint32_t pos = mark_pos(st, &p->problem_mark);
	if (p->context)
		return fail_at(st, pos, "%s %s", problem, p->context);
	return fail_at(st, pos, "%s", problem);
}

/* ---------------------------------------------------------------- text */

static uint32_t push_text(struct yaml_state *st, enum doc_type type, uint32_t pos,
                          const char *s, size_t len)
{
	return yamlnode_push_text(st->doc, &st->arena, type, pos, s, len);
}

static uint32_t push_scalar(struct yaml_state *st, enum doc_type type, uint32_t pos,
                            const char *s, size_t len)
{
	return yamlnode_push_scalar(st->doc, &st->arena, type, pos, s, len);
}

/* ---------------------------------------------------------------- anchors */

static size_t hash_name(const char *s)
{
	size_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct anchor *anchor_find(struct yaml_state *st, const char *name)
{
	if (!st->nslots)
		return NULL;
	for (size_t i = hash_name(name) & (st->nslots - 1);; i = (i + 1) & (st->nslots - 1)) {
		uint32_t slot = st->slots[i];
		if (!slot)
			return NULL;
		if (strcmp(st->anchors[slot - 1].name, name) == 0)
			return &st->anchors[slot - 1];
	}
}

static void anchor_index(struct yaml_state *st, size_t a)
{
	size_t i = hash_name(st->anchors[a].name) & (st->nslots - 1);
	while (st->slots[i])
		i = (i + 1) & (st->nslots - 1);
	st->slots[i] = (uint32_t)a + 1;
}

/* Defines (or redefines: the later definition wins, as YAML says) an anchor. */
static void anchor_set(struct yaml_state *st, const char *name, uint32_t start, uint32_t end)
{
	struct anchor *a = anchor_find(st, name);
	if (a) {
		a->start = start;
		a->end = end;
		free(a->saved);
		a->saved = NULL;
		return;
	}
	if ((st->nanchors + 1) * 2 > st->nslots) {
		st->nslots = st->nslots ? st->nslots * 2 : 16;
		free(st->slots);
		st->slots = xcalloc(st->nslots, sizeof *st->slots);
		for (size_t i = 0; i < st->nanchors; i++)
			anchor_index(st, i);
	}
	xgrow((void **)&st->anchors, &st->anchors_cap, st->nanchors + 1, sizeof *st->anchors);
	st->anchors[st->nanchors] = (struct anchor){xstrdup(name), start, end, NULL};
	anchor_index(st, st->nanchors++);
}

/* Anchors live within one document. */
static void anchors_clear(struct yaml_state *st)
{
	for (size_t i = 0; i < st->nanchors; i++) {
		free(st->anchors[i].name);
		free(st->anchors[i].saved);
	}
	st->nanchors = 0;
	if (st->slots)
		memset(st->slots, 0, st->nslots * sizeof *st->slots);
}

/* ---------------------------------------------------------------- local tags */

/* CloudFormation's short-form intrinsic functions: !Name becomes {"Fn::Name": value}, except
 * the two that have no "Fn::" in their long form. */
static const char *const cfn_functions[] = {
	"And", "Base64", "Cidr", "Contains", "Equals", "FindInMap", "ForEach", "GetAtt",
	"GetAZs", "If", "ImportValue", "Join", "Length", "Not", "Or", "Select", "Split", "Sub",
	"ToJsonString", "Transform", "ValueOf", NULL,
};

static bool is_local_tag(const char *tag)
{
	return tag && tag[0] == '!' && tag[1] != '\0';
}

/* The key of the wrapper object for local tag (with its '!'), into b. */
static void wrapper_key(const char *tag, struct buf *b)
{
	const char *name = tag + 1;
	buf_reset(b);
	if (strcmp(name, "Ref") == 0 || strcmp(name, "Condition") == 0) {
		buf_adds(b, name);
		return;
	}
	if (yamlnode_text_is(name, strlen(name), cfn_functions)) {
		buf_adds(b, "Fn::");
		buf_adds(b, name);
		return;
	}
	buf_adds(b, tag);
}

/* Opens {"<key>": ...} for a locally tagged node; the caller closes it with close_wrapper. */
static uint32_t open_wrapper(struct yaml_state *st, const char *tag, uint32_t pos)
{
	uint32_t w = doc_push(st->doc, DOC_OBJECT, pos);
	wrapper_key(tag, &st->scratch);
	push_text(st, DOC_STRING, pos, buf_str(&st->scratch), st->scratch.len);
	return w;
}

static void close_wrapper(struct yaml_state *st, uint32_t w)
{
	st->doc->nodes[w].len = 1;
	st->doc->nodes[w].after = st->doc->n;
}

/* !GetAtt res.attr -> ["res", "attr"], split at the first '.'; without a '.' the scalar
 * stays a string. */
static void push_getatt(struct yaml_state *st, uint32_t pos, const char *s, size_t len)
{
	const char *dot = memchr(s, '.', len);
	if (!dot) {
		push_text(st, DOC_STRING, pos, s, len);
		return;
	}
	uint32_t arr = doc_push(st->doc, DOC_ARRAY, pos);
	uint32_t text = yamlnode_add(st->doc, &st->arena, s, len);
	uint32_t a = doc_push(st->doc, DOC_STRING, pos);
	st->doc->nodes[a].text = text;
	st->doc->nodes[a].len = (uint32_t)(dot - s);
	uint32_t b = doc_push(st->doc, DOC_STRING, pos);
	st->doc->nodes[b].text = text + (uint32_t)(dot - s) + 1;
	st->doc->nodes[b].len = (uint32_t)(len - (size_t)(dot - s) - 1);
	st->doc->nodes[arr].len = 2;
	st->doc->nodes[arr].after = st->doc->n;
}

/* ---------------------------------------------------------------- keys */

static void render_json(struct yaml_state *st, uint32_t i, struct buf *b)
{
	const struct doc *doc = st->doc;
	const struct doc_node *nd = &doc->nodes[i];
	if (b->len > YAML_MAX_KEY_BYTES)
		return; /* make_key refuses it: nested keys grow exponentially with escaping */
	switch ((enum doc_type)nd->type) {
	case DOC_NULL: buf_adds(b, "null"); break;
	case DOC_FALSE: buf_adds(b, "false"); break;
	case DOC_TRUE: buf_adds(b, "true"); break;
	case DOC_INT:
	case DOC_FLOAT: buf_add(b, doc->text + nd->text, nd->len); break;
	case DOC_STRING:
		buf_addc(b, '"');
		buf_add_json_escaped(b, doc->text + nd->text, nd->len);
		buf_addc(b, '"');
		break;
	case DOC_ARRAY:
	case DOC_OBJECT: {
		bool obj = nd->type == DOC_OBJECT;
		buf_addc(b, obj ? '{' : '[');
		for (uint32_t c = i + 1, k = 0; c < nd->after; c = doc_end(doc, c), k++) {
			if (k > 0)
				buf_addc(b, obj && k % 2 ? ':' : ',');
			render_json(st, c, b);
		}
		buf_addc(b, obj ? '}' : ']');
		break;
	}
	}
}

/* The tape is about to be cut at index `from`: anchors on nodes there or later keep a copy
 * of their nodes, so that aliases still find them. */
static void save_anchors_from(struct yaml_state *st, uint32_t from)
{
	for (size_t i = 0; i < st->nanchors; i++) {
		struct anchor *a = &st->anchors[i];
		if (a->start == DOC_NONE || a->saved || a->end <= from)
			continue;
		a->saved = xmalloc((size_t)(a->end - a->start) * sizeof *a->saved);
		memcpy(a->saved, &st->doc->nodes[a->start], (a->end - a->start) * sizeof *a->saved);
	}
}

/* Turns the finished node i, a mapping key, into a string node: a scalar keeps its text, a
 * collection becomes its compact JSON rendering. i must be the last subtree of the tape. */
static bool make_key(struct yaml_state *st, uint32_t i)
{
	struct doc_node *nd = &st->doc->nodes[i];
	if (nd->type == DOC_STRING)
		return true;
	if (nd->type != DOC_ARRAY && nd->type != DOC_OBJECT) {
		nd->type = DOC_STRING;
		return true;
	}
	uint32_t pos = nd->pos;
	buf_reset(&st->scratch);
	render_json(st, i, &st->scratch);
	if (st->scratch.len > YAML_MAX_KEY_BYTES)
		return fail_at(st, pos, "mapping key longer than %d bytes as text",
		               YAML_MAX_KEY_BYTES);
	save_anchors_from(st, i);
	st->doc->n = i;
	push_text(st, DOC_STRING, pos, buf_str(&st->scratch), st->scratch.len);
	return true;
}

/* ---------------------------------------------------------------- tree building */

static struct frame *top(struct yaml_state *st)
{
	return st->nframes ? &st->frames[st->nframes - 1] : NULL;
}

static bool in_key_position(struct yaml_state *st)
{
	struct frame *f = top(st);
	return f && f->kind == DOC_OBJECT && !f->want_value;
}

/* A merge value must be a mapping or a sequence of mappings. */
static bool check_merge_value(struct yaml_state *st, uint32_t v)
{
	const struct doc *doc = st->doc;
	if (doc->nodes[v].type == DOC_OBJECT)
		return true;
	if (doc->nodes[v].type == DOC_ARRAY) {
		for (uint32_t c = v + 1; c < doc->nodes[v].after; c = doc_end(doc, c)) {
			if (doc->nodes[c].type != DOC_OBJECT)
				return fail_at(st, doc->nodes[c].pos,
				               "merge key '<<' needs mappings, not a %s",
				               doc->nodes[c].type == DOC_ARRAY ? "sequence" : "scalar");
		}
		return true;
	}
	return fail_at(st, doc->nodes[v].pos,
	               "merge key '<<' needs a mapping or a sequence of mappings");
}

/* Node i (a whole subtree ending the tape) is finished: it becomes a key, a value, an
 * element or a document root, and anchor (if any) now names it. */
static bool node_done(struct yaml_state *st, uint32_t i, const char *anchor, bool merge_key)
{
	struct frame *f = top(st);
	bool key = f && f->kind == DOC_OBJECT && !f->want_value;
	if (key && !make_key(st, i))
		return false;
	if (anchor)
		anchor_set(st, anchor, i, st->doc->n);
	if (!f) {
		doc_add_root(st->doc, i);
		return true;
	}
	struct doc_node *nodes = st->doc->nodes;
	if (f->kind == DOC_ARRAY) {
		nodes[f->node].len++;
		return true;
	}
	if (key) {
		f->want_value = true;
		f->merge_pending = merge_key;
		if (merge_key)
			nodes[i].flags |= MERGE_KEY_FLAG;
		return true;
	}
	f->want_value = false;
	nodes[f->node].len++;
	if (f->merge_pending) {
		f->merge_pending = false;
		f->has_merge = true;
		return check_merge_value(st, i);
	}
	return true;
}

static bool on_scalar(struct yaml_state *st, yaml_event_t *ev)
{
	uint32_t pos = mark_pos(st, &ev->start_mark);
	const char *tag = (const char *)ev->data.scalar.tag;
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	if (len > st->max_string)
		return fail_at(st, pos, "string of %zu bytes exceeds the limit of %u bytes", len,
		               st->max_string);
	if (in_key_position(st)) {
		/* keys are strings as written; a tag on a key is dropped */
		uint32_t i = push_text(st, DOC_STRING, pos, s, len);
		bool merge = plain && !tag && len == 2 && memcmp(s, "<<", 2) == 0;
		return node_done(st, i, (const char *)ev->data.scalar.anchor, merge);
	}
	uint32_t i;
	if (is_local_tag(tag)) {
		i = open_wrapper(st, tag, pos);
		if (strcmp(tag, "!GetAtt") == 0)
			push_getatt(st, pos, s, len);
		else
			push_text(st, DOC_STRING, pos, s, len);
		close_wrapper(st, i);
	} else if (tag) {
		i = push_scalar(st, yamlnode_resolve_tagged(tag, s, len), pos, s, len);
	} else {
		i = push_scalar(st, plain ? yamlnode_resolve_plain(s, len) : DOC_STRING, pos, s, len);
	}
	return node_done(st, i, (const char *)ev->data.scalar.anchor, false);
}

static bool on_start(struct yaml_state *st, yaml_event_t *ev, enum doc_type kind)
{
	uint32_t pos = mark_pos(st, &ev->start_mark);
	bool seq = kind == DOC_ARRAY;
	const char *tag = (const char *)(seq ? ev->data.sequence_start.tag
	                                     : ev->data.mapping_start.tag);
	const char *anchor = (const char *)(seq ? ev->data.sequence_start.anchor
	                                        : ev->data.mapping_start.anchor);
	if (st->nframes >= st->max_depth)
		return fail_at(st, pos, "nesting deeper than %u levels", st->max_depth);
	uint32_t wrapper = DOC_NONE;
	if (is_local_tag(tag) && !in_key_position(st))
		wrapper = open_wrapper(st, tag, pos);
	xgrow((void **)&st->frames, &st->frames_cap, st->nframes + 1, sizeof *st->frames);
	struct frame *f = &st->frames[st->nframes++];
	memset(f, 0, sizeof *f);
	f->node = doc_push(st->doc, kind, pos);
	f->wrapper = wrapper;
	f->anchor = anchor ? xstrdup(anchor) : NULL;
	f->kind = (uint8_t)kind;
	return true;
}

struct key_set {
	uint32_t *slots; /* key node index + 1, 0 = empty */
	size_t mask;
};

/* Adds key node k unless an equal key is there; true when it was added. */
static bool key_set_add(struct yaml_state *st, struct key_set *set, uint32_t k)
{
	const struct doc_node *nd = &st->doc->nodes[k];
	const char *s = st->doc->text + nd->text;
	size_t h = 2166136261u;
	for (uint32_t j = 0; j < nd->len; j++)
		h = (h ^ (unsigned char)s[j]) * 16777619u;
	for (size_t i = h & set->mask;; i = (i + 1) & set->mask) {
		if (!set->slots[i]) {
			set->slots[i] = k + 1;
			return true;
		}
		const struct doc_node *o = &st->doc->nodes[set->slots[i] - 1];
		if (o->len == nd->len && memcmp(st->doc->text + o->text, s, nd->len) == 0)
			return false;
	}
}

/* Appends the subtree [from, doc_end(doc, from)) to out, renumbered as if out started at
 * tape index base. */
static void copy_subtree(const struct doc *doc, uint32_t from, struct doc_node **out,
                         size_t *n, size_t *cap, uint32_t base)
{
	uint32_t end = doc_end(doc, from);
	xgrow((void **)out, cap, *n + (end - from), sizeof **out);
	int64_t delta = (int64_t)base + (int64_t)*n - (int64_t)from;
	for (uint32_t i = from; i < end; i++) {
		struct doc_node nd = doc->nodes[i];
		if (doc_is_container(&nd))
			nd.after = (uint32_t)((int64_t)nd.after + delta);
		(*out)[(*n)++] = nd;
	}
}

/* Copies the pairs of merge source object src that set does not hold yet. */
static uint32_t merge_source(struct yaml_state *st, uint32_t src, struct key_set *set,
                             struct doc_node **out, size_t *n, size_t *cap, uint32_t base)
{
	const struct doc *doc = st->doc;
	uint32_t pairs = 0;
	for (uint32_t k = src + 1; k < doc->nodes[src].after; k = doc_end(doc, k + 1)) {
		if (!key_set_add(st, set, k))
			continue;
		copy_subtree(doc, k, out, n, cap, base);
		copy_subtree(doc, k + 1, out, n, cap, base);
		pairs++;
	}
	return pairs;
}

/* Resolves the merge keys of mapping m (the last subtree of the tape): each '<<' pair is
 * replaced, in place, by the merged pairs whose key is neither an explicit key of m nor
 * brought by an earlier merge. */
/* Where a pair kept by resolve_merges moved: old tape range [from, to) now starts at from+delta. */
struct shift {
	uint32_t from, to;
	int64_t delta;
};

/* Moves the anchors defined inside mapping m (old range (m, end)) along with their pairs; an
 * anchor inside a merge source, which the rewrite dropped, can no longer be aliased. */
static void remap_anchors(struct yaml_state *st, uint32_t m, uint32_t end,
                          const struct shift *sh, size_t nsh)
{
	for (size_t i = 0; i < st->nanchors; i++) {
		struct anchor *a = &st->anchors[i];
		if (a->start == DOC_NONE || a->saved || a->start <= m || a->start >= end)
			continue;
		size_t lo = 0, hi = nsh;
		while (lo < hi) { /* the last shift with from <= a->start */
			size_t mid = lo + (hi - lo) / 2;
			if (sh[mid].from <= a->start)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo > 0 && a->end <= sh[lo - 1].to) {
			a->start = (uint32_t)((int64_t)a->start + sh[lo - 1].delta);
			a->end = (uint32_t)((int64_t)a->end + sh[lo - 1].delta);
		} else {
			a->start = a->end = DOC_NONE;
		}
	}
}

static void resolve_merges(struct yaml_state *st, uint32_t m)
{
	struct doc *doc = st->doc;
	uint32_t end = doc->nodes[m].after;
	struct key_set set = {NULL, 0};
	size_t size = 16;
	while (size < (size_t)(end - m) * 2)
		size *= 2;
	set.slots = xcalloc(size, sizeof *set.slots);
	set.mask = size - 1;
	for (uint32_t k = m + 1; k < end; k = doc_end(doc, k + 1)) {
		if (!(doc->nodes[k].flags & MERGE_KEY_FLAG))
			key_set_add(st, &set, k);
	}
	struct doc_node *out = NULL;
	size_t n = 0, cap = 0, nsh = 0, shcap = 0;
	struct shift *sh = NULL;
	uint32_t pairs = 0;
	for (uint32_t k = m + 1; k < end; k = doc_end(doc, k + 1)) {
		uint32_t v = k + 1;
		if (!(doc->nodes[k].flags & MERGE_KEY_FLAG)) {
			xgrow((void **)&sh, &shcap, nsh + 1, sizeof *sh);
			sh[nsh++] = (struct shift){k, doc_end(doc, v), (int64_t)m + 1 + (int64_t)n - k};
			copy_subtree(doc, k, &out, &n, &cap, m + 1);
			copy_subtree(doc, v, &out, &n, &cap, m + 1);
			pairs++;
		} else if (doc->nodes[v].type == DOC_OBJECT) {
			pairs += merge_source(st, v, &set, &out, &n, &cap, m + 1);
		} else {
			for (uint32_t c = v + 1; c < doc->nodes[v].after; c = doc_end(doc, c))
				pairs += merge_source(st, c, &set, &out, &n, &cap, m + 1);
		}
	}
	if (n)
		memcpy(&doc->nodes[m + 1], out, n * sizeof *out);
	doc->n = m + 1 + (uint32_t)n;
	doc->nodes[m].after = doc->n;
	doc->nodes[m].len = pairs;
	remap_anchors(st, m, end, sh, nsh);
	free(sh);
	free(out);
	free(set.slots);
}

static bool on_end(struct yaml_state *st)
{
	struct frame f = st->frames[--st->nframes];
	struct doc_node *nd = &st->doc->nodes[f.node];
	nd->after = st->doc->n;
	if (f.has_merge)
		resolve_merges(st, f.node);
	if (f.kind == DOC_OBJECT)
		doc_check_keys(st->doc, f.node); /* after the merge: merged keys never repeat */
	uint32_t result = f.node;
	if (f.wrapper != DOC_NONE) {
		close_wrapper(st, f.wrapper);
		result = f.wrapper;
	}
	bool ok = node_done(st, result, f.anchor, false);
	free(f.anchor);
	return ok;
}

/* An alias copies its anchor's subtree, within the alias budget. */
static bool on_alias(struct yaml_state *st, yaml_event_t *ev)
{
	uint32_t pos = mark_pos(st, &ev->start_mark);
	const char *name = (const char *)ev->data.alias.anchor;
	struct anchor *a = anchor_find(st, name);
	if (!a)
		return fail_at(st, pos, "undefined alias '*%s'", name);
	if (a->start == DOC_NONE || (!a->saved && a->end > st->doc->n))
		return fail_at(st, pos, "alias '*%s' refers to a node inside a merge source ('<<')",
		               name);
	uint32_t count = a->end - a->start;
	st->alias_used += count;
	if (st->alias_used > st->alias_budget)
		return fail_at(st, pos, "alias '*%s' exceeds the limit of %llu nodes added by "
		               "aliases", name, (unsigned long long)st->alias_budget);
	struct doc *doc = st->doc;
	if ((uint64_t)doc->n + count >= UINT32_MAX)
		return fail_at(st, pos, "document too large");
	uint32_t start = a->start, dest = doc->n;
	doc_reserve(doc, (size_t)doc->n + count);
	memcpy(&doc->nodes[dest], a->saved ? a->saved : &doc->nodes[start],
	       count * sizeof *doc->nodes);
	for (uint32_t i = dest; i < dest + count; i++) {
		if (doc_is_container(&doc->nodes[i]))
			doc->nodes[i].after += dest - start;
	}
	doc->n += count;
	return node_done(st, dest, NULL, false);
}

static bool on_document_start(struct yaml_state *st, yaml_event_t *ev)
{
	if (st->doc->nroots >= st->max_documents)
		return fail_at(st, mark_pos(st, &ev->start_mark),
		               "more than %u documents in one stream", st->max_documents);
	st->doc_start = st->doc->n;
	st->roots_start = st->doc->nroots;
	anchors_clear(st);
	return true;
}

/* Handles one event; false on error (err filled). *done is set at the end of the stream. */
static bool on_event(struct yaml_state *st, yaml_event_t *ev, bool *done)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT: return on_document_start(st, ev);
	case YAML_SCALAR_EVENT: return on_scalar(st, ev);
	case YAML_SEQUENCE_START_EVENT: return on_start(st, ev, DOC_ARRAY);
	case YAML_MAPPING_START_EVENT: return on_start(st, ev, DOC_OBJECT);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT: return on_end(st);
	case YAML_ALIAS_EVENT: return on_alias(st, ev);
	case YAML_STREAM_END_EVENT: *done = true; return true;
	default: return true;
	}
}

/* The limits of opts, defaults in place of zeros. */
static struct yamlblock_limits limits_of(const struct yaml_options *opts)
{
	struct yamlblock_limits lim = {YAML_DEFAULT_MAX_DEPTH, YAML_DEFAULT_MAX_DOCUMENTS,
	                               YAML_DEFAULT_MAX_STRING};
	if (opts && opts->max_depth)
		lim.max_depth = opts->max_depth;
	if (opts && opts->max_documents)
		lim.max_documents = opts->max_documents;
	if (opts && opts->max_string)
		lim.max_string = opts->max_string;
	return lim;
}

static void state_init(struct yaml_state *st, struct doc *doc, const struct yaml_options *opts,
                       const struct yamlblock_limits *lim, struct yaml_error *err)
{
	memset(st, 0, sizeof *st);
	st->doc = doc;
	st->err = err;
	st->max_depth = lim->max_depth;
	st->max_documents = lim->max_documents;
	st->max_string = lim->max_string;
	doc_clear_dups(doc);
	if (opts && opts->max_alias_nodes)
		st->alias_budget = opts->max_alias_nodes;
	else
		st->alias_budget = doc->src.len > YAML_MIN_ALIAS_NODES ? doc->src.len
		                                                       : YAML_MIN_ALIAS_NODES;
	if (doc->src.len >= 3 && memcmp(doc->src.data, "\xEF\xBB\xBF", 3) == 0)
		st->base_byte = st->cur_byte = 3; /* libyaml does not count a BOM */
	st->ascii = all_ascii(doc->src.data, doc->src.len); /* a BOM is not */
	yamlnode_arena_init(doc, &st->arena);
	/* about one node per 16 bytes of YAML: reserve once instead of growing by copies */
	doc_reserve(doc, doc->src.len / 16 + 16);
	yaml_parser_initialize(&st->parser);
	yaml_parser_set_input_string(&st->parser, (const unsigned char *)doc->src.data,
	                             doc->src.len);
}

static void state_free(struct yaml_state *st)
{
	for (size_t i = 0; i < st->nframes; i++)
		free(st->frames[i].anchor);
	free(st->frames);
	anchors_clear(st);
	free(st->anchors);
	free(st->slots);
	buf_free(&st->scratch);
	yaml_parser_delete(&st->parser);
}

bool yaml_parse(struct doc *doc, const struct yaml_options *opts, struct yaml_error *err)
{
	struct yamlblock_limits lim = limits_of(opts);
	if (!(opts && opts->libyaml_only) && yamlblock_parse(doc, &lim))
		return true;
	struct yaml_state st;
	state_init(&st, doc, opts, &lim, err);
	doc->ascii = st.ascii; /* else columns are counted in characters */
	bool ok = true, done = false;
	while (ok && !done) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&st.parser, &ev)) {
			ok = fail_libyaml(&st);
			break;
		}
		ok = on_event(&st, &ev, &done);
		yaml_event_delete(&ev);
	}
	if (!ok) { /* drop the document that failed */
		doc->n = st.doc_start;
		doc->nroots = st.roots_start;
	}
	state_free(&st);
	return ok;
}
