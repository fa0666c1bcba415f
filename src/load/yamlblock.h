/*
 * The fast path of the YAML loader: a parser for the block-style YAML that Kubernetes and
 * most CI manifests are written in, which writes the tape of load/doc.h directly, several
 * times faster than libyaml's event parser. It reads a stream only when every document
 * stays inside its subset:
 *   - block mappings and sequences (indentless sequences under a key included), keys that are
 *     single-line plain or quoted scalars without escapes;
 *   - values that are single-line plain, single-quoted or double-quoted scalars (escapes
 *     \\ \" \/ \n \t \r), or the empty flow collections [] and {};
 *   - comments, empty documents and `---` markers;
 *   - text of printable ASCII, line feeds and UTF-8 characters other than line breaks.
 * Anything else (tabs, CR, anchors, aliases, tags, merge keys, flow collections with
 * content, block or multi-line scalars, directives, `...`, explicit keys, and every syntax
 * error) makes it decline the whole stream, leaving the doc as it found it, and
 * yaml_parse reads the stream with libyaml. Where it reads a stream, the tape (nodes, their
 * positions, texts, roots and duplicate keys) is the one libyaml's parse gives; the tests
 * compare both on the yaml-test-suite and the YAML files of the corpus.
 */
#ifndef MG_LOAD_YAMLBLOCK_H
#define MG_LOAD_YAMLBLOCK_H
#include <stdbool.h>
#include <stdint.h>

#include "load/doc.h"

struct yamlblock_limits {
	unsigned max_depth;     /* collections nested deeper decline */
	uint32_t max_documents; /* more documents decline */
	uint32_t max_string;    /* a longer scalar or key declines */
};

/* A stream of this size or more is parsed in two halves on two threads (when the process
 * may use two processors), split at a `---` line near its middle; the halves' tapes are
 * joined into the one the whole stream gives. */
#define YAMLBLOCK_SPLIT_MIN ((size_t)1 << 20)

/* Parses doc->src into doc (one root per document, duplicate keys recorded) and returns
 * true, or returns false with doc unchanged when the stream leaves the subset above. On
 * success doc->text is doc->src.data: texts are read in the source, and the few that differ
 * from it (unescaped, rewritten) follow its NUL, for which doc->src.data may have moved. */
bool yamlblock_parse(struct doc *doc, const struct yamlblock_limits *lim);

#endif
