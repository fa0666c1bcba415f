/*
 * The loading pipeline (see load.h and docs/input-formats.md): expands paths into files
 * (directories walked in sorted order, each directory entered once), reads each file, picks
 * the syntax (JSON or YAML), detects the format of every document and hands it to its
 * normaliser. Afterwards every address in the model is made unique.
 */
#include "load/load.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load/detect.h"
#include "load/normalise.h"
#include "load/text.h"
#include "util/dirlist.h"
#include "util/xalloc.h"

/* A directory already entered during this walk (symbolic links must not loop). */
struct dir_id {
	dev_t dev;
	ino_t ino;
};

struct loader {
	struct model *m;
	struct load_options opts; /* with defaults filled in */
	struct dir_id *visited;
	size_t nvisited, visited_cap;
};

static void (*const normalisers[])(struct model *, size_t, uint32_t) = {
	[FORMAT_TFPLAN] = tfplan_normalise,   [FORMAT_TFSTATE] = tfstate_normalise,
	[FORMAT_TFJSON] = tfjson_normalise,   [FORMAT_K8S] = k8s_normalise,
	[FORMAT_CFN] = cfn_normalise,         [FORMAT_GENERIC] = generic_normalise,
};

static void loader_init(struct loader *ld, struct model *m, const struct load_options *opts)
{
	memset(ld, 0, sizeof *ld);
	ld->m = m;
	if (opts)
		ld->opts = *opts;
	if (ld->opts.max_file_size == 0)
		ld->opts.max_file_size = TEXT_DEFAULT_MAX_SIZE;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Forgets a failed parse (nodes, roots, arena) but keeps the source bytes. */
static void doc_clear_tape(struct doc *doc)
{
	free(doc->nodes);
	free(doc->roots);
	free(doc->arena);
	doc->nodes = NULL;
	doc->roots = NULL;
	doc->arena = NULL;
	doc->text = NULL;
	doc->n = doc->cap = doc->nroots = 0;
}

/* strerror(err), lowercased as diagnostics are. */
static void describe_errno(int err, char *out, size_t len)
{
	snprintf(out, len, "%s", strerror(err));
	if (out[0] >= 'A' && out[0] <= 'Z' && !(out[1] >= 'A' && out[1] <= 'Z'))
		out[0] = (char)(out[0] - 'A' + 'a');
}

/* --- parsing --- */

struct parse_error {
	uint32_t pos;
	char message[200];
};

static bool parse_json(struct doc *doc, const struct load_options *o, struct parse_error *pe)
{
	struct json_error err = {0, ""};
	if (json_parse(doc, &o->json, &err))
		return true;
	pe->pos = err.pos;
	snprintf(pe->message, sizeof pe->message, "%s", err.message);
	return false;
}

static bool parse_yaml(struct doc *doc, const struct load_options *o, struct parse_error *pe)
{
	struct yaml_error err = {0, ""};
	if (yaml_parse(doc, &o->yaml, &err))
		return true;
	pe->pos = err.pos;
	snprintf(pe->message, sizeof pe->message, "%s", err.message);
	return false;
}

/* Chooses the syntax: a file named *.json is JSON and nothing else; otherwise text that
 * starts with '{' or '[' is JSON, or YAML when it is not JSON (a flow mapping), and the JSON
 * error is the one reported; anything else is YAML. */
static bool parse_doc(struct doc *doc, const struct load_options *o, struct parse_error *pe)
{
	const char *p = doc->src.data;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	bool json_name = has_suffix(doc->src.path, ".json");
	if (!json_name && *p != '{' && *p != '[')
		return parse_yaml(doc, o, pe);
	if (parse_json(doc, o, pe))
		return true;
	if (json_name)
		return false;
	doc_clear_tape(doc);
	struct parse_error yaml_err;
	if (parse_yaml(doc, o, &yaml_err))
		return true;
	doc_clear_tape(doc);
	return false;
}

/* Hands every non-empty document of input `in` to its format's normaliser. The input's
 * format is that of its first non-empty document. */
static void normalise_input(struct model *m, size_t in)
{
	struct model_input *input = m->inputs[in];
	for (uint32_t d = 0; d < input->doc.nroots; d++) {
		uint32_t root = input->doc.roots[d];
		enum model_format f = detect_format(&input->doc, root);
		if (f == FORMAT_UNKNOWN)
			continue;
		if (input->format == FORMAT_UNKNOWN)
			input->format = f;
		normalisers[f](m, in, root);
	}
}

/* Parses a read doc and adds it to the model (taking it over), or records the parse error
 * with its position and frees it: an input that does not parse adds nothing. */
static void load_doc(struct model *m, struct doc *doc, const struct load_options *o)
{
	struct parse_error pe = {0, ""};
	if (!parse_doc(doc, o, &pe)) {
		unsigned line, column;
		doc_position(doc, pe.pos, &line, &column);
		diags_add(&m->diags, DIAG_INPUT, doc->src.path, line, column, NULL, "%s",
		          pe.message);
		doc_free(doc);
		return;
	}
	size_t in = model_add_input(m, doc, FORMAT_UNKNOWN);
	normalise_input(m, in);
}

/* Reads one file (or "-", stdin) and loads it. */
static void load_file(struct loader *ld, const char *path)
{
	struct doc doc;
	bool is_stdin = strcmp(path, "-") == 0;
	doc_init(&doc, is_stdin ? "<stdin>" : path);
	char err[256];
	if (!text_read(&doc.src, path, ld->opts.max_file_size, err, sizeof err)) {
		diags_add(&ld->m->diags, DIAG_INPUT, doc.src.path, 0, 0, NULL, "%s", err);
		doc_free(&doc);
		return;
	}
	load_doc(ld->m, &doc, &ld->opts);
}

/* --- walking directories --- */

static bool skipped_dir(const char *name)
{
	return strcmp(name, ".git") == 0 || strcmp(name, ".terraform") == 0 ||
	       strcmp(name, "node_modules") == 0 || has_suffix(name, ".tests");
}

static bool input_name(const char *name)
{
	if (strcmp(name, ".moongate.yaml") == 0 || strcmp(name, ".moongate.yml") == 0)
		return false;
	return has_suffix(name, ".json") || has_suffix(name, ".yaml") || has_suffix(name, ".yml");
}

/* Records directory st as entered; false if it already was (a link loop or a repeat). */
static bool visit_dir(struct loader *ld, const struct stat *st)
{
	for (size_t i = 0; i < ld->nvisited; i++) {
		if (ld->visited[i].dev == st->st_dev && ld->visited[i].ino == st->st_ino)
			return false;
	}
	xgrow((void **)&ld->visited, &ld->visited_cap, ld->nvisited + 1, sizeof *ld->visited);
	ld->visited[ld->nvisited].dev = st->st_dev;
	ld->visited[ld->nvisited].ino = st->st_ino;
	ld->nvisited++;
	return true;
}

static char *join_path(const char *dir, const char *name)
{
	if (strcmp(dir, ".") == 0)
		return xstrdup(name);
	size_t n = strlen(dir);
	return xasprintf("%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
}

static void walk_dir(struct loader *ld, const char *dir, const struct stat *st);

/* One entry met while walking: directories recurse, input files load, the rest is skipped
 * (non-regular files with an input name with a warning). */
static void walk_entry(struct loader *ld, const char *path, const char *name)
{
	struct stat st;
	char why[128];
	if (stat(path, &st) != 0) {
		describe_errno(errno, why, sizeof why);
		diags_add(&ld->m->diags, DIAG_WARNING, path, 0, 0, NULL, "skipped: %s", why);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		if (!skipped_dir(name))
			walk_dir(ld, path, &st);
		return;
	}
	if (!input_name(name))
		return;
	if (!S_ISREG(st.st_mode)) {
		diags_add(&ld->m->diags, DIAG_WARNING, path, 0, 0, NULL,
		          "skipped: not a regular file");
		return;
	}
	load_file(ld, path);
}

static void walk_dir(struct loader *ld, const char *dir, const struct stat *st)
{
	if (!visit_dir(ld, st))
		return;
	size_t n = 0;
	char **names = dirlist_read(dir, true, &n);
	if (!names) {
		char why[128];
		describe_errno(errno, why, sizeof why);
		diags_add(&ld->m->diags, DIAG_INPUT, dir, 0, 0, NULL, "cannot read directory: %s",
		          why);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char *path = join_path(dir, names[i]);
		walk_entry(ld, path, names[i]);
		free(path);
	}
	dirlist_free(names, n);
}

/* A path from the command line: named files are read whatever their name or type (a pipe
 * from process substitution included); directories are walked. */
static void load_path(struct loader *ld, const char *path)
{
	struct stat st;
	if (strcmp(path, "-") == 0) {
		load_file(ld, path);
		return;
	}
	if (stat(path, &st) != 0) {
		char why[128];
		describe_errno(errno, why, sizeof why);
		diags_add(&ld->m->diags, DIAG_INPUT, path, 0, 0, NULL, "%s", why);
		return;
	}
	if (S_ISDIR(st.st_mode))
		walk_dir(ld, path, &st);
	else
		load_file(ld, path);
}

/* --- unique addresses --- */

/* An open-addressing set of resource indexes keyed by their current address. */
struct addr_set {
	size_t *slots; /* resource index + 1; 0 is empty */
	size_t mask;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static void addr_set_init(struct addr_set *set, size_t n)
{
	size_t cap = 16;
	while (cap < 2 * n + 2)
		cap *= 2;
	set->slots = xcalloc(cap, sizeof *set->slots);
	set->mask = cap - 1;
}

/* The resource holding address a, or SIZE_MAX; inserts `self` when absent and self is not
 * SIZE_MAX. */
static size_t addr_set_find(struct addr_set *set, const struct model *m, const char *a,
                            size_t self)
{
	size_t i = (size_t)hash_str(a) & set->mask;
	while (set->slots[i]) {
		size_t r = set->slots[i] - 1;
		if (strcmp(m->resources[r].address, a) == 0)
			return r;
		i = (i + 1) & set->mask;
	}
	if (self != SIZE_MAX)
		set->slots[i] = self + 1;
	return SIZE_MAX;
}

/* CloudFormation logical ids that clash across files become "<file>#<id>", all of them. */
static void prefix_cfn_clashes(struct model *m)
{
	struct addr_set set;
	addr_set_init(&set, m->nresources);
	bool *clash = xcalloc(m->nresources + 1, sizeof *clash);
	for (size_t i = 0; i < m->nresources; i++) {
		size_t j = addr_set_find(&set, m, m->resources[i].address, i);
		if (j != SIZE_MAX)
			clash[i] = clash[j] = true;
	}
	for (size_t i = 0; i < m->nresources; i++) {
		struct model_resource *r = &m->resources[i];
		if (!clash[i] || r->format != FORMAT_CFN)
			continue;
		char *a = xasprintf("%s#%s", m->inputs[r->input]->doc.src.path, r->address);
		free(r->address);
		r->address = a;
	}
	free(clash);
	free(set.slots);
}

/* Any address seen before gets the first free "#2", "#3"... suffix, in model order. */
static void suffix_repeats(struct model *m)
{
	struct addr_set set;
	addr_set_init(&set, m->nresources * 2);
	for (size_t i = 0; i < m->nresources; i++) {
		struct model_resource *r = &m->resources[i];
		if (addr_set_find(&set, m, r->address, i) == SIZE_MAX)
			continue;
		char *base = r->address;
		r->address = NULL;
		for (unsigned k = 2; !r->address; k++) {
			char *cand = xasprintf("%s#%u", base, k);
			if (addr_set_find(&set, m, cand, SIZE_MAX) == SIZE_MAX)
				r->address = cand;
			else
				free(cand);
		}
		free(base);
		addr_set_find(&set, m, r->address, i);
	}
	free(set.slots);
}

static void make_addresses_unique(struct model *m)
{
	for (size_t i = 0; i < m->nresources; i++) {
		if (!m->resources[i].address)
			m->resources[i].address = xasprintf("#%zu", i + 1);
	}
	prefix_cfn_clashes(m);
	suffix_repeats(m);
}

/* --- entry points --- */

void load_paths(struct model *m, const char *const *paths, size_t npaths,
                const struct load_options *opts)
{
	struct loader ld;
	loader_init(&ld, m, opts);
	for (size_t i = 0; i < npaths; i++)
		load_path(&ld, paths[i]);
	free(ld.visited);
	make_addresses_unique(m);
}

void load_buffer(struct model *m, const char *name, const char *data, size_t len,
                 const struct load_options *opts)
{
	struct loader ld;
	loader_init(&ld, m, opts);
	struct doc doc;
	doc_init(&doc, name);
	doc.src.data = xmalloc(len + 1);
	memcpy(doc.src.data, data, len);
	doc.src.data[len] = '\0';
	doc.src.len = len;
	load_doc(m, &doc, &ld.opts);
	make_addresses_unique(m);
}
