/*
 * The parsed form of one input file: a flat array of nodes in document order (a "tape"),
 * shared by the JSON and YAML loaders and read by every normaliser and by the Lua bridge.
 *
 * Layout. A container node is followed by its children; every node records `next`, the index
 * one past its whole subtree, so siblings are reached without recursion:
 *     for (uint32_t c = i + 1; c < doc->nodes[i].next; c = doc->nodes[c].next) ...
 * An object's children alternate key (always a string node), value, key, value...; its `len`
 * is the number of pairs. An array's `len` is its number of elements.
 * Scalars keep their text in doc->text at [text, text+len): for JSON that is the source buffer
 * itself (strings between the quotes, still escaped when DOC_ESCAPED is set; numbers as
 * written), for YAML plain UTF-8: the source too when the block-style parser read it (the
 * texts that differ from the source follow its NUL), else an arena. `pos` is always the byte offset of the node in
 * the source (doc->src), which gives line:column on demand (doc_position, load/docpos.h).
 *
 * Documents: a JSON file has one root; a YAML stream has one root per document, listed in
 * `roots`. Ownership: the doc owns nodes, text and roots; doc_free releases everything.
 */
#ifndef MG_LOAD_DOC_H
#define MG_LOAD_DOC_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define DOC_NONE UINT32_MAX /* "no such node" */

enum doc_type {
	DOC_NULL,
	DOC_FALSE,
	DOC_TRUE,
	DOC_INT,    /* fits a 64-bit integer */
	DOC_FLOAT,  /* any other number */
	DOC_STRING,
	DOC_ARRAY,
	DOC_OBJECT,
};

enum doc_flags {
	DOC_ESCAPED = 1, /* string text holds JSON backslash escapes: decode with doc_string */
};

/* 16 bytes: a scalar's subtree is itself, so the end of a subtree is only stored for arrays
 * and objects, in the place of the text offset only scalars have (doc_end reads either). */
struct doc_node {
	uint8_t type;  /* enum doc_type */
	uint8_t flags; /* enum doc_flags */
	uint16_t reserved;
	uint32_t pos;  /* byte offset in the source */
	uint32_t len;  /* scalars: text length; arrays: elements; objects: pairs */
	union {
		uint32_t text;  /* scalars: offset of the text in doc->text */
		uint32_t after; /* arrays and objects: index one past the subtree */
	};
};

static inline bool doc_is_container(const struct doc_node *nd)
{
	return nd->type == DOC_ARRAY || nd->type == DOC_OBJECT;
}

/* Source bytes [start, end) given back to the system once parsed (doc_release in
 * load/docpos.h): they read as zeros, and positions step over them with this summary. */
struct doc_hole {
	uint32_t start, end;
	uint32_t newlines; /* line breaks in [start, end) */
	uint32_t tail;     /* characters after the last of them (all characters when none) */
};

/* The bytes of a file as read, with a lazily built index of line starts. */
struct doc_source {
	char *path;        /* as given on the command line; "-" for stdin shows as "<stdin>" */
	char *data;        /* decoded UTF-8 (a BOM removed, UTF-16 converted), NUL-terminated */
	size_t len;
	struct doc_hole *holes; /* in source order; none unless doc_release was called */
	size_t nholes;
	uint32_t *lines;   /* offsets of line starts, built on first doc_position call */
	size_t nlines;
	uint32_t *colmarks; /* column (in characters) at every DOC_COLMARK-th byte (or at the end
	                       of the hole holding it), built on the first position asked deep
	                       inside a long line (one-line plans) */
	size_t ncolmarks;
};

#define DOC_COLMARK 65536

/* A key repeated in one object or mapping, found while parsing. The tape keeps both pairs;
 * readers (doc_get, the Lua tables) see the last value. */
struct doc_dup {
	uint32_t pos;   /* byte offset of the repeated key */
	uint32_t first; /* byte offset of the first key of that name */
	char *key;      /* the key's text, cut to at most DOC_DUP_KEY_MAX bytes */
	bool cut;       /* the key was longer than that */
};

#define DOC_MAX_DUPS 100    /* duplicate keys kept with their position; the rest are counted */
#define DOC_DUP_KEY_MAX 80

/* A byte range [start, end) of the source, with the UTF-8 continuation bytes inside it. */
struct doc_span {
	uint32_t start, end;
	uint32_t cont;
};

struct doc {
	struct doc_source src;
	const char *text;      /* scalar text: src.data for JSON and block-style YAML, else the
	                          arena */
	char *arena;           /* owned text arena (YAML), or NULL */
	struct doc_node *nodes;
	uint32_t n, cap;
	bool ascii;            /* the source is all ASCII (known after a JSON parse; else false) */
	struct doc_span *skips; /* objects the last JSON parse kept empty (json_options.skip_keys),
	                           from '{' to '}' inclusive, in source order */
	uint32_t nskips;
	uint32_t *roots;       /* one root node index per document */
	uint32_t nroots;
	struct doc_dup *dups;  /* duplicate keys of the last parse, the first DOC_MAX_DUPS found */
	uint32_t ndups;
	uint32_t ndups_total;  /* all duplicate keys found, recorded or not */
};

/* Index one past the subtree of node i (i + 1 for a scalar). */
static inline uint32_t doc_end(const struct doc *doc, uint32_t i)
{
	const struct doc_node *nd = &doc->nodes[i];
	return doc_is_container(nd) ? nd->after : i + 1;
}

/* --- building (used by the loaders) --- */
void doc_init(struct doc *doc, const char *path);
/* doc_init, with a copy of data[0, len) (NUL-terminated) as the source. */
void doc_init_text(struct doc *doc, const char *path, const char *data, size_t len);
/* Makes room for n nodes in all (a big tape is offered huge pages: see util/pages.h). */
void doc_reserve(struct doc *doc, size_t n);
/* Appends a node and returns its index; the caller fills `next` (and `len`) when it closes. */
uint32_t doc_push(struct doc *doc, enum doc_type type, uint32_t pos);
void doc_add_root(struct doc *doc, uint32_t node);
void doc_free(struct doc *doc);
/* Records every key of object obj (a closed object on the tape) that repeats an earlier key
 * of the same object, comparing decoded text. Linear in the number of pairs. */
void doc_check_keys(struct doc *doc, uint32_t obj);
/* Forgets the duplicate keys recorded so far (a parser calls it before it starts). */
void doc_clear_dups(struct doc *doc);

struct diags;
/* Adds one warning per recorded duplicate key to diags, in source order, as
 * "duplicate key 'name' (the last value is used; first at line L)" at the repeated key, then
 * "N more duplicate keys" when more were found than recorded. */
void doc_report_duplicates(struct doc *doc, struct diags *diags);

/* --- reading --- */
static inline const struct doc_node *doc_node(const struct doc *doc, uint32_t i)
{
	return &doc->nodes[i];
}
static inline enum doc_type doc_type(const struct doc *doc, uint32_t i)
{
	return (enum doc_type)doc->nodes[i].type;
}
/* The value for key in object obj (the last one when a key repeats), or DOC_NONE. Also
 * DOC_NONE when obj is DOC_NONE or not an object, so lookups chain safely. */
uint32_t doc_get(const struct doc *doc, uint32_t obj, const char *key);
/* True when key node k of object obj repeats later in it: readers see the last value only. */
bool doc_key_hidden(const struct doc *doc, uint32_t obj, uint32_t k);
/* Follows a dotted path of keys and array indexes: "change.after.tags.Name", "rule.0.id". */
uint32_t doc_path(const struct doc *doc, uint32_t node, const char *path);
/* The 1-based number of the document whose root is node root (roots are in tape order, so
 * a binary search), or 0 when root is no document's root. */
uint32_t doc_root_number(const struct doc *doc, uint32_t root);
/* Element idx of array arr, or DOC_NONE. */
uint32_t doc_index(const struct doc *doc, uint32_t arr, uint32_t idx);
/* First child (first key of an object, first element of an array), or DOC_NONE if empty. */
uint32_t doc_first(const struct doc *doc, uint32_t node);
/* Sibling after child c inside container parent, or DOC_NONE at the end. For objects, step
 * from a key to its value with c + 1 and from a value to the next key with doc_next. */
uint32_t doc_next(const struct doc *doc, uint32_t parent, uint32_t c);

/* True when node i is a string equal to s. */
bool doc_streq(const struct doc *doc, uint32_t i, const char *s);
/* The decoded text of a string node (or the raw text of a number), newly allocated; NULL
 * when i is DOC_NONE or not a scalar. out_len, if not NULL, receives the length (the text
 * may hold NUL bytes from "\u0000"). */
char *doc_strdup(const struct doc *doc, uint32_t i, size_t *out_len);
/* Integer value of a DOC_INT node; false if i is not an integer node. */
bool doc_int(const struct doc *doc, uint32_t i, int64_t *out);
/* Numeric value of a DOC_INT or DOC_FLOAT node; false otherwise. */
bool doc_number(const struct doc *doc, uint32_t i, double *out);
/* Boolean value of DOC_TRUE / DOC_FALSE; false if not a boolean. */
bool doc_bool(const struct doc *doc, uint32_t i, bool *out);

/* True when a and b hold the same parse: nodes (type, flags, position, length, subtree, text
 * as bytes), roots, the ascii flag and duplicate keys. For comparing two parsers. */
bool doc_same(const struct doc *a, const struct doc *b);

/* Decodes a JSON string body (without quotes) into out (at least len bytes + 1); returns the
 * decoded length. The input must already be validated. */
size_t doc_unescape_json(const char *s, size_t len, char *out);

#endif
