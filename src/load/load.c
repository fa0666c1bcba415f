/*
 * The loading pipeline (see load.h and docs/input-formats.md): expands paths into files
 * (directories walked in sorted order, each directory entered once), reads each file, picks
 * the syntax (JSON or YAML), detects the format of every document and hands it to its
 * normaliser. Afterwards every address in the model is made unique.
 */
#include "load/load.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load/detect.h"
#include "load/docpos.h"
#include "load/normalise.h"
#include "load/text.h"
#include "util/cpus.h"
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
	struct load_item *items; /* the walk's files and diagnostics, in order */
	size_t nitems, items_cap;
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
	free(doc->skips);
	doc->skips = NULL;
	doc->nskips = 0;
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

/*
 * Sections of a Terraform plan that nothing reads when it has resource_changes: planned_values
 * and prior_state repeat the after and before of every change and are half of a big plan.
 * `terraform show -json` writes format_version first; after it they are only validated (the
 * tape and the time to build it shrink by about half). A plan without resource_changes falls
 * back to planned_values (tfplan.c): it is parsed again whole. Otherwise the pages of the
 * skipped sections are given back (a big plan's peak memory shrinks by their size).
 */
static const char *const plan_repeats[] = {"planned_values", "prior_state", NULL};

/* Skipped sections smaller than this keep their pages: the saving would not pay the call. */
#define LOAD_RELEASE_MIN ((size_t)1 << 20)

static bool parse_json(struct doc *doc, const struct load_options *o, struct parse_error *pe)
{
	struct json_error err = {0, ""};
	struct json_options jo = o->json;
	jo.skip_keys = plan_repeats;
	jo.skip_after = "format_version";
	bool ok = json_parse(doc, &jo, &err);
	if (ok && doc->nskips && doc_get(doc, doc->roots[0], "resource_changes") == DOC_NONE)
		ok = json_parse(doc, &o->json, &err);
	if (ok) {
		for (uint32_t k = 0; k < doc->nskips; k++) {
			const struct doc_span *sk = &doc->skips[k]; /* its braces hold no UTF-8 */
			if (sk->end - sk->start >= LOAD_RELEASE_MIN)
				doc_release(doc, sk->start + 1, sk->end - 1, sk->cont);
		}
		return true;
	}
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

/* --- one file, independently of the model --- */

/* One entry of the walk, in walk order: a file to load, or only diagnostics met while
 * walking (path NULL). Preparing a file (reading and parsing it) touches nothing but its
 * item, so files are prepared on any thread; they join the model in walk order. */
struct load_item {
	char *path;         /* the file as named ("-": stdin), or NULL */
	struct diags diags; /* this item's diagnostics, in order */
	struct doc doc;     /* the parsed file when parsed */
	bool parsed;
	bool main_only;     /* stdin: read by the main thread only */
	bool done;          /* prepared (guarded by the pool's lock once threads run) */
};

/* Parses a read doc; on failure records the error with its position in diags and frees
 * the doc. */
static bool parse_item_doc(struct doc *doc, const struct load_options *o, struct diags *diags)
{
	struct parse_error pe = {0, ""};
	if (parse_doc(doc, o, &pe)) {
		doc_report_duplicates(doc, diags);
		return true;
	}
	unsigned line, column;
	doc_position(doc, pe.pos, &line, &column);
	diags_add(diags, DIAG_INPUT, doc->src.path, line, column, NULL, "%s", pe.message);
	doc_free(doc);
	return false;
}

/* Reads and parses the file of an item (or "-", stdin). */
static void prepare_item(struct load_item *it, const struct load_options *o)
{
	bool is_stdin = strcmp(it->path, "-") == 0;
	doc_init(&it->doc, is_stdin ? "<stdin>" : it->path);
	char err[256];
	if (!text_read(&it->doc.src, it->path, o->max_file_size, err, sizeof err)) {
		diags_add(&it->diags, DIAG_INPUT, it->doc.src.path, 0, 0, NULL, "%s", err);
		doc_free(&it->doc);
		return;
	}
	it->parsed = parse_item_doc(&it->doc, o, &it->diags);
}

/* Moves an item's diagnostics to the end of m->diags. */
static void move_diags(struct model *m, struct diags *from)
{
	struct diags *to = &m->diags;
	if (from->n)
		xgrow((void **)&to->v, &to->cap, to->n + from->n, sizeof *to->v);
	for (size_t i = 0; i < from->n; i++)
		to->v[to->n++] = from->v[i];
	free(from->v);
	from->v = NULL;
	from->n = from->cap = 0;
}

/* Adds a prepared item to the model: its diagnostics, then its documents' resources. */
static void finish_item(struct model *m, struct load_item *it)
{
	move_diags(m, &it->diags);
	if (it->parsed) {
		size_t in = model_add_input(m, &it->doc, FORMAT_UNKNOWN);
		normalise_input(m, in);
	}
	free(it->path);
	it->path = NULL;
}

/* --- walking directories into items --- */

static struct load_item *add_item(struct loader *ld, const char *path)
{
	xgrow((void **)&ld->items, &ld->items_cap, ld->nitems + 1, sizeof *ld->items);
	struct load_item *it = &ld->items[ld->nitems++];
	memset(it, 0, sizeof *it);
	it->path = path ? xstrdup(path) : NULL;
	return it;
}

/* Records a diagnostic met while walking, in its place among the files. */
static void walk_diag(struct loader *ld, enum diag_kind kind, const char *file,
                      const char *msg)
{
	struct load_item *it = add_item(ld, NULL);
	diags_add(&it->diags, kind, file, 0, 0, NULL, "%s", msg);
}

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

/* One entry met while walking: directories recurse, input files are listed, the rest is
 * skipped (non-regular files with an input name with a warning). */
static void walk_entry(struct loader *ld, const char *path, const char *name)
{
	struct stat st;
	char why[160];
	if (stat(path, &st) != 0) {
		char e[128];
		describe_errno(errno, e, sizeof e);
		snprintf(why, sizeof why, "skipped: %s", e);
		walk_diag(ld, DIAG_WARNING, path, why);
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
		walk_diag(ld, DIAG_WARNING, path, "skipped: not a regular file");
		return;
	}
	add_item(ld, path);
}

static void walk_dir(struct loader *ld, const char *dir, const struct stat *st)
{
	if (!visit_dir(ld, st))
		return;
	size_t n = 0;
	char **names = dirlist_read(dir, true, &n);
	if (!names) {
		char why[128], msg[160];
		describe_errno(errno, why, sizeof why);
		snprintf(msg, sizeof msg, "cannot read directory: %s", why);
		walk_diag(ld, DIAG_INPUT, dir, msg);
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
static void walk_path(struct loader *ld, const char *path)
{
	struct stat st;
	if (strcmp(path, "-") == 0) {
		add_item(ld, path)->main_only = true;
		return;
	}
	if (stat(path, &st) != 0) {
		char why[128];
		describe_errno(errno, why, sizeof why);
		walk_diag(ld, DIAG_INPUT, path, why);
		return;
	}
	if (S_ISDIR(st.st_mode))
		walk_dir(ld, path, &st);
	else
		add_item(ld, path);
}

/* --- preparing items on several threads --- */

/* Items are claimed in list order through `next`; the main thread adds them to the model
 * in the same order, preparing items itself while the one it needs is not ready. Stdin is
 * only ever read by the main thread. */
struct pool {
	struct load_item *items;
	size_t n;
	const struct load_options *opts;
	atomic_size_t next;
	pthread_mutex_t lock;
	pthread_cond_t ready;
};

/* Claims and prepares one item; false when none is left. Items without a file, and stdin
 * unless on_main, are left as they are. */
static bool pool_work(struct pool *p, bool on_main)
{
	size_t i = atomic_fetch_add(&p->next, 1);
	if (i >= p->n)
		return false;
	struct load_item *it = &p->items[i];
	if (!it->path || (it->main_only && !on_main))
		return true;
	prepare_item(it, p->opts);
	pthread_mutex_lock(&p->lock);
	it->done = true;
	pthread_cond_broadcast(&p->ready);
	pthread_mutex_unlock(&p->lock);
	return true;
}

static void *pool_worker(void *arg)
{
	struct pool *p = arg;
	while (pool_work(p, false))
		continue;
	return NULL;
}

/* Waits until item i is prepared, preparing others (or it) meanwhile on this, the main,
 * thread. Only the main thread ever prepares a main_only item. */
static void pool_wait(struct pool *p, size_t i)
{
	struct load_item *it = &p->items[i];
	if (!it->path)
		return;
	if (it->main_only) {
		if (!it->done)
			prepare_item(it, p->opts);
		it->done = true;
		return;
	}
	for (;;) {
		pthread_mutex_lock(&p->lock);
		bool done = it->done;
		pthread_mutex_unlock(&p->lock);
		if (done)
			return;
		if (!pool_work(p, true))
			break;
	}
	pthread_mutex_lock(&p->lock);
	while (!it->done)
		pthread_cond_wait(&p->ready, &p->lock);
	pthread_mutex_unlock(&p->lock);
}

/* The number of threads preparing files: opts->threads, or one per core up to
 * LOAD_AUTO_THREADS; never more than there are files. */
static size_t pool_threads(const struct load_options *o, size_t nfiles)
{
	size_t t = o->threads;
	if (t == 0) {
		t = cpus_usable();
		if (t > LOAD_AUTO_THREADS)
			t = LOAD_AUTO_THREADS;
	}
	if (t > LOAD_MAX_THREADS)
		t = LOAD_MAX_THREADS;
	return t < nfiles ? t : (nfiles ? nfiles : 1);
}

/* Prepares every item on the pool and adds them to the model in order. */
static void load_items(struct loader *ld)
{
	struct pool p = {ld->items, ld->nitems, &ld->opts, 0, PTHREAD_MUTEX_INITIALIZER,
	                 PTHREAD_COND_INITIALIZER};
	size_t nfiles = 0;
	for (size_t i = 0; i < ld->nitems; i++)
		nfiles += ld->items[i].path != NULL;
	size_t nthreads = pool_threads(&ld->opts, nfiles), started = 0;
	pthread_t tids[LOAD_MAX_THREADS];
	while (started + 1 < nthreads &&
	       pthread_create(&tids[started], NULL, pool_worker, &p) == 0)
		started++;
	for (size_t i = 0; i < ld->nitems; i++) {
		pool_wait(&p, i);
		finish_item(ld->m, &ld->items[i]);
	}
	for (size_t t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	pthread_mutex_destroy(&p.lock);
	pthread_cond_destroy(&p.ready);
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
		walk_path(&ld, paths[i]);
	free(ld.visited);
	load_items(&ld);
	free(ld.items);
	make_addresses_unique(m);
}

void load_buffer(struct model *m, const char *name, const char *data, size_t len,
                 const struct load_options *opts)
{
	struct loader ld;
	loader_init(&ld, m, opts);
	struct load_item it;
	memset(&it, 0, sizeof it);
	doc_init_text(&it.doc, name, data, len);
	it.parsed = parse_item_doc(&it.doc, &ld.opts, &it.diags);
	finish_item(m, &it);
	make_addresses_unique(m);
}
