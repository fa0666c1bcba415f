/*
 * Terraform source locations (see tfmap.h). A directory is read once: its *.tf files in
 * name order, each scanned into blocks, and an index of (kind, type, name) -> first block
 * sorted for binary search. A lookup walks the address: every `module.NAME` step finds the
 * module block in the current directory and moves to its local source directory; the last
 * step finds the resource or data block there.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "tfsrc/tfmap.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "govern/gov.h"
#include "govern/suppress.h"
#include "load/text.h"
#include "util/buf.h"
#include "util/dirlist.h"
#include "util/xalloc.h"

#define TFMAP_MAX_FILE_SIZE ((size_t)64 << 20) /* a .tf file larger than this is skipped */

/* One declared block in a directory's index. */
struct tfentry {
	enum hcl_block_kind kind;
	const char *type;  /* "" for modules */
	const char *name;
	const char *file;  /* display path of its file */
	uint64_t order;    /* file index << 32 | block index: the first declaration wins */
	const struct hcl_block *block;
};

struct tfdir {
	char *path;             /* normalised display path ("." for the current directory) */
	char *real;             /* canonical path, or NULL when the directory cannot be read */
	char **files;           /* display paths of its *.tf files, sorted */
	struct hcl_file *hcl;   /* one per file */
	size_t nfiles;
	struct tfentry *index;  /* sorted by kind, type, name, order */
	size_t nindex;
};

struct tfmap {
	char *root;
	struct tfdir **dirs;    /* pointers, so that a directory never moves */
	size_t ndirs, cap;
	char **reasons;         /* unmapped reasons handed out by lookups */
	size_t nreasons, reasons_cap;
	struct diags *d;
};

/* ---------------------------------------------------------------- paths */

/* Joins base and rel (rel may be absolute) and folds "." and ".." segments lexically:
 * "infra" + "./modules/../net" is "infra/net", "." + "x" is "x". */
static char *path_join(const char *base, const char *rel)
{
	char *all = rel[0] == '/' ? xstrdup(rel) : xasprintf("%s/%s", base, rel);
	bool absolute = all[0] == '/';
	char **segs = xcalloc(strlen(all) / 2 + 2, sizeof *segs);
	size_t n = 0;
	for (char *save = NULL, *s = strtok_r(all, "/", &save); s; s = strtok_r(NULL, "/", &save)) {
		if (strcmp(s, ".") == 0)
			continue;
		if (strcmp(s, "..") == 0 && n > 0 && strcmp(segs[n - 1], "..") != 0)
			n--;
		else if (!(strcmp(s, "..") == 0 && absolute))
			segs[n++] = s;
	}
	struct buf b = BUF_INIT;
	if (absolute)
		buf_addc(&b, '/');
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&b, '/');
		buf_adds(&b, segs[i]);
	}
	if (b.len == 0)
		buf_addc(&b, '.');
	free(segs);
	free(all);
	return buf_detach(&b);
}

static char *file_path(const char *dir, const char *name)
{
	return strcmp(dir, ".") == 0 ? xstrdup(name) : xasprintf("%s/%s", dir, name);
}

static bool is_tf_name(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 3 && strcmp(name + n - 3, ".tf") == 0;
}

/* The *.tf file names of dir, sorted (*n is 0 when it cannot be read). */
static char **list_tf(const char *dir, size_t *n)
{
	size_t count;
	char **names = dirlist_read(dir, false, &count);
	*n = 0;
	for (size_t i = 0; names && i < count; i++) {
		if (is_tf_name(names[i]))
			names[(*n)++] = names[i];
		else
			free(names[i]);
	}
	return names;
}

bool tfmap_dir_has_tf(const char *dir)
{
	size_t n;
	char **names = list_tf(dir, &n);
	dirlist_free(names, n);
	return n > 0;
}

/* ---------------------------------------------------------------- directories */

static int cmp_entry(const void *pa, const void *pb)
{
	const struct tfentry *a = pa, *b = pb;
	int c;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if ((c = strcmp(a->type, b->type)) != 0 || (c = strcmp(a->name, b->name)) != 0)
		return c;
	return a->order < b->order ? -1 : a->order > b->order;
}

static void index_dir(struct tfdir *dir)
{
	size_t n = 0;
	for (size_t f = 0; f < dir->nfiles; f++)
		n += dir->hcl[f].n;
	dir->index = xcalloc(n ? n : 1, sizeof *dir->index);
	for (size_t f = 0; f < dir->nfiles; f++) {
		for (size_t i = 0; i < dir->hcl[f].n; i++) {
			const struct hcl_block *b = &dir->hcl[f].v[i];
			dir->index[dir->nindex++] = (struct tfentry){
				b->kind, b->type ? b->type : "", b->name, dir->files[f],
				(uint64_t)f << 32 | i, b};
		}
	}
	if (dir->nindex > 1)
		qsort(dir->index, dir->nindex, sizeof *dir->index, cmp_entry);
}

/* Reads and scans one file of dir into dir->hcl[i]. */
static void read_one(struct tfmap *m, struct tfdir *dir, size_t i)
{
	struct doc_source src = {0};
	char err[256];
	src.path = dir->files[i];
	if (!text_read(&src, dir->files[i], TFMAP_MAX_FILE_SIZE, err, sizeof err)) {
		if (m->d)
			diags_add(m->d, DIAG_WARNING, dir->files[i], 0, 0, NULL,
			          "cannot read Terraform source: %s", err);
		return;
	}
	hcl_scan(&dir->hcl[i], src.data, src.len, dir->files[i], m->d);
	free(src.data);
}

static void read_dir(struct tfmap *m, struct tfdir *dir)
{
	char real[PATH_MAX];
	size_t n;
	char **names = list_tf(dir->path, &n);
	if (realpath(dir->path, real))
		dir->real = xstrdup(real);
	dir->files = xcalloc(n ? n : 1, sizeof *dir->files);
	dir->hcl = xcalloc(n ? n : 1, sizeof *dir->hcl);
	dir->nfiles = n;
	for (size_t i = 0; i < n; i++) {
		dir->files[i] = file_path(dir->path, names[i]);
		free(names[i]);
		read_one(m, dir, i);
	}
	free(names);
	index_dir(dir);
}

/* The directory at normalised display path, read on first use. */
static struct tfdir *get_dir(struct tfmap *m, const char *path)
{
	for (size_t i = 0; i < m->ndirs; i++)
		if (strcmp(m->dirs[i]->path, path) == 0)
			return m->dirs[i];
	struct tfdir *dir = xcalloc(1, sizeof *dir);
	dir->path = xstrdup(path);
	read_dir(m, dir);
	xgrow((void **)&m->dirs, &m->cap, m->ndirs + 1, sizeof *m->dirs);
	m->dirs[m->ndirs++] = dir;
	return dir;
}

/* The first declaration of kind/type/name in dir, or NULL. */
static const struct tfentry *find_entry(const struct tfdir *dir, enum hcl_block_kind kind,
                                        const char *type, const char *name)
{
	struct tfentry key = {kind, type ? type : "", name, NULL, 0, NULL};
	size_t lo = 0, hi = dir->nindex;
	while (lo < hi) { /* the first entry not below key */
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_entry(&dir->index[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == dir->nindex)
		return NULL;
	const struct tfentry *e = &dir->index[lo];
	return e->kind == kind && strcmp(e->type, key.type) == 0 && strcmp(e->name, name) == 0
	               ? e
	               : NULL;
}

/* ---------------------------------------------------------------- addresses */

/* A resource address split into module steps and the resource itself. Names point into
 * the buffer `text` (a copy of the address with separators replaced by NULs). */
struct address {
	char *text;
	char **modules;
	size_t nmodules;
	bool data;
	char *type, *name;
};

/* Skips an instance key ("[0]", "[\"a.b]\"]") at *p; false when malformed. */
static bool skip_key(char **p)
{
	if (**p != '[')
		return true;
	(*p)++;
	if (**p == '"') {
		for ((*p)++; **p && **p != '"'; (*p)++)
			if (**p == '\\' && (*p)[1])
				(*p)++;
		if (**p != '"')
			return false;
		(*p)++;
	} else {
		while (**p >= '0' && **p <= '9')
			(*p)++;
	}
	if (**p != ']')
		return false;
	(*p)++;
	return true;
}

/* Reads a name up to ".", "[" or the end and cuts it off with a NUL, skipping its instance
 * key when keyed; *p then points past the "." that follows. *more tells whether one did. */
static char *take_name(char **p, bool keyed, bool *more, bool *ok)
{
	char *start = *p;
	while (**p && **p != '.' && **p != '[')
		(*p)++;
	char *end = *p;
	if (end == start || (keyed ? !skip_key(p) : **p == '['))
		*ok = false;
	char sep = **p;
	*end = '\0';
	*more = sep == '.';
	if (*more)
		(*p)++;
	else if (sep != '\0')
		*ok = false;
	return start;
}

static bool parse_address(const char *address, struct address *a)
{
	bool ok = true, more = true;
	size_t cap = 0;
	memset(a, 0, sizeof *a);
	a->text = xstrdup(address);
	char *hash = strrchr(a->text, '#'); /* "#2": the run's suffix for a repeated address */
	if (hash && hash[1] && strspn(hash + 1, "0123456789") == strlen(hash + 1))
		*hash = '\0';
	char *p = a->text;
	while (ok && more && strncmp(p, "module.", 7) == 0) {
		p += 7;
		xgrow((void **)&a->modules, &cap, a->nmodules + 1, sizeof *a->modules);
		a->modules[a->nmodules++] = take_name(&p, true, &more, &ok);
	}
	if (ok && more && strncmp(p, "data.", 5) == 0) {
		a->data = true;
		p += 5;
	}
	if (ok && more)
		a->type = take_name(&p, false, &more, &ok);
	if (ok && more)
		a->name = take_name(&p, true, &more, &ok);
	return ok && a->name && !more;
}

static void address_free(struct address *a)
{
	free(a->text);
	free(a->modules);
}

/* ---------------------------------------------------------------- lookups */

/* Keeps a reason string for the map's lifetime and returns it. */
static const char *reason(struct tfmap *m, char *text)
{
	xgrow((void **)&m->reasons, &m->reasons_cap, m->nreasons + 1, sizeof *m->reasons);
	m->reasons[m->nreasons++] = text;
	return text;
}

static bool is_local_source(const char *s)
{
	return strncmp(s, "./", 2) == 0 || strncmp(s, "../", 3) == 0 || strcmp(s, ".") == 0 ||
	       strcmp(s, "..") == 0 || strncmp(s, ".\\", 2) == 0 || strncmp(s, "..\\", 3) == 0 ||
	       s[0] == '/';
}

/* What kind of remote source s is, for the unmapped reason. */
static const char *remote_kind(const char *s)
{
	static const struct {
		const char *prefix, *kind;
	} kinds[] = {
		{"git::", "git"}, {"git@", "git"}, {"github.com/", "GitHub"},
		{"bitbucket.org/", "Bitbucket"}, {"hg::", "Mercurial"}, {"http://", "http"},
		{"https://", "http"}, {"s3::", "S3"}, {"gcs::", "GCS"},
	};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strncmp(s, kinds[i].prefix, strlen(kinds[i].prefix)) == 0)
			return kinds[i].kind;
	return strstr(s, "::") ? "remote" : "registry";
}

/* Moves *dir to the source directory of module block `name`; on failure returns the reason. */
static const char *enter_module(struct tfmap *m, struct tfdir **dir, const char *name,
                                char **seen, size_t *nseen)
{
	const struct tfentry *e = find_entry(*dir, HCL_MODULE, NULL, name);
	if (!e)
		return reason(m, xasprintf("no module \"%s\" block in '%s'", name, (*dir)->path));
	const char *src = e->block->source;
	if (!src)
		return reason(m, xasprintf("module '%s' (%s:%u) has no literal source", name, e->file,
		                           e->block->line));
	if (!is_local_source(src))
		return reason(m, xasprintf("module '%s' has a remote source (%s: %s)", name,
		                           remote_kind(src), src));
	char *child = path_join((*dir)->path, src);
	*dir = get_dir(m, child);
	free(child);
	if (!(*dir)->real)
		return reason(m, xasprintf("cannot read the directory '%s' of module '%s'",
		                           (*dir)->path, name));
	for (size_t i = 0; i < *nseen; i++)
		if (strcmp(seen[i], (*dir)->real) == 0)
			return reason(m, xasprintf("module '%s' (%s:%u) includes itself", name, e->file,
			                           e->block->line));
	seen[(*nseen)++] = (*dir)->real;
	return NULL;
}

/* Fills loc from block entry e and path. */
static void locate(const struct tfentry *e, const char *path, struct tfmap_loc *loc)
{
	loc->file = e->file;
	loc->block = e->block;
	loc->line = e->block->line;
	loc->column = e->block->column;
	loc->attr = path && *path ? hcl_block_attr(e->block, path, &loc->exact) : NULL;
	if (loc->attr) {
		loc->line = loc->attr->line;
		loc->column = loc->attr->column;
	}
}

bool tfmap_lookup(struct tfmap *m, const char *address, const char *path, struct tfmap_loc *loc)
{
	struct address a;
	memset(loc, 0, sizeof *loc);
	loc->path = path;
	if (!parse_address(address, &a)) {
		loc->unmapped = reason(m, xasprintf("'%s' is not a Terraform resource address", address));
		address_free(&a);
		return false;
	}
	struct tfdir *dir = get_dir(m, m->root);
	char **seen = xcalloc(a.nmodules + 1, sizeof *seen);
	size_t nseen = 0;
	if (dir->real)
		seen[nseen++] = dir->real;
	for (size_t i = 0; i < a.nmodules && !loc->unmapped; i++)
		loc->unmapped = enter_module(m, &dir, a.modules[i], seen, &nseen);
	if (!loc->unmapped) {
		const struct tfentry *e =
			find_entry(dir, a.data ? HCL_DATA : HCL_RESOURCE, a.type, a.name);
		if (e)
			locate(e, path, loc);
		else
			loc->unmapped = reason(m, xasprintf("no %s \"%s\" \"%s\" block in '%s'",
			                                    a.data ? "data" : "resource", a.type, a.name,
			                                    dir->path));
	}
	free(seen);
	address_free(&a);
	return loc->file != NULL;
}

size_t tfmap_ignores(const struct tfmap_loc *loc, const struct hcl_ignore **out, size_t max)
{
	size_t n = 0;
	if (!loc->block)
		return 0;
	for (size_t i = 0; i < loc->block->ignores.n; i++, n++)
		if (n < max)
			out[n] = &loc->block->ignores.v[i];
	for (size_t a = 0; loc->path && a < loc->block->nattrs; a++) {
		const struct hcl_attr *attr = &loc->block->attrs[a];
		if (!hcl_attr_covers(attr, loc->path))
			continue;
		for (size_t i = 0; i < attr->ignores.n; i++, n++)
			if (n < max)
				out[n] = &attr->ignores.v[i];
	}
	return n;
}

/* ---------------------------------------------------------------- findings */

/* The source maps of one run: one per directory, and which one each input uses. */
struct annotate {
	const struct model *model;
	struct tfmap **maps;     /* distinct directories */
	size_t nmaps;
	struct tfmap **by_input; /* per model input: its map, or NULL (not Terraform, no .tf) */
	const char **reported;   /* unmapped reasons already warned about */
	size_t nreported, reported_cap;
	struct suppressions sups; /* every moongate:ignore comment of the sources read */
	const struct hcl_ignore **keys; /* the comment each of sups.v was made from */
};

/* The directory of an input file, as written ("." for a bare name). */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

static struct tfmap *map_for_dir(struct annotate *an, const char *dir, struct diags *d)
{
	char *norm = path_join(".", dir);
	for (size_t i = 0; i < an->nmaps; i++) {
		if (strcmp(an->maps[i]->root, norm) == 0) {
			free(norm);
			return an->maps[i];
		}
	}
	free(norm);
	an->maps = xrealloc(an->maps, (an->nmaps + 1) * sizeof *an->maps);
	an->maps[an->nmaps] = tfmap_new(dir, d);
	return an->maps[an->nmaps++];
}

static void annotate_inputs(struct annotate *an, const char *tf_dir, struct diags *d)
{
	const struct model *m = an->model;
	an->by_input = xcalloc(m->ninputs ? m->ninputs : 1, sizeof *an->by_input);
	for (size_t i = 0; i < m->ninputs; i++) {
		const struct model_input *in = m->inputs[i];
		const char *path = in->doc.src.path;
		if ((in->format != FORMAT_TFPLAN && in->format != FORMAT_TFSTATE) || !path)
			continue;
		if (tf_dir) {
			an->by_input[i] = map_for_dir(an, tf_dir, d);
		} else if (strcmp(path, "-") != 0 && strcmp(path, "<stdin>") != 0) {
			char *dir = dir_of(path);
			if (tfmap_dir_has_tf(dir))
				an->by_input[i] = map_for_dir(an, dir, d);
			free(dir);
		}
	}
}

/* The map of the input a finding's file names, or NULL. */
static struct tfmap *map_of(const struct annotate *an, const char *file)
{
	for (size_t i = 0; file && i < an->model->ninputs; i++) {
		const char *path = an->model->inputs[i]->doc.src.path;
		if (an->by_input[i] && path && strcmp(path, file) == 0)
			return an->by_input[i];
	}
	return NULL;
}

/* One warning per distinct reason (the first address it met is named). */
static void warn_unmapped(struct annotate *an, const struct finding *f, const char *why,
                          struct diags *d)
{
	for (size_t i = 0; i < an->nreported; i++)
		if (strcmp(an->reported[i], why) == 0)
			return;
	xgrow((void **)&an->reported, &an->reported_cap, an->nreported + 1, sizeof *an->reported);
	an->reported[an->nreported++] = why;
	if (d)
		diags_add(d, DIAG_WARNING, f->file, 0, 0, NULL,
		          "no Terraform source location for '%s': %s", f->resource, why);
}

/* Turns one comment of file into a validated suppression (governance's rules). */
static void add_suppression(struct annotate *an, const char *file, const struct hcl_ignore *ig,
                            const char *today, struct findings *problems, struct diags *d)
{
	struct suppressions *s = &an->sups;
	size_t cap = s->cap;
	xgrow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v);
	if (s->cap != cap)
		an->keys = xrealloc(an->keys, s->cap * sizeof *an->keys);
	struct suppression *x = &s->v[s->n];
	memset(x, 0, sizeof *x);
	x->kind = SUPPRESS_COMMENT;
	x->input = SIZE_MAX;
	x->file = xstrdup(file);
	x->line = ig->line;
	suppress_parse(ig->text ? ig->text : "", &x->ids, &x->until, &x->reason);
	suppress_validate(x, x->until, today, problems, d);
	an->keys[s->n++] = ig;
}

static void add_ignores(struct annotate *an, const char *file, const struct hcl_ignores *v,
                        const char *today, struct findings *problems, struct diags *d)
{
	for (size_t i = 0; i < v->n; i++)
		add_suppression(an, file, &v->v[i], today, problems, d);
}

/* Every ignore comment of every directory read, validated once: broken ones become
 * problems, expired ones warnings, whether or not they cover a finding. */
static void collect_suppressions(struct annotate *an, const char *today,
                                 struct findings *problems, struct diags *d)
{
	for (size_t k = 0; k < an->nmaps; k++) {
		for (size_t i = 0; i < an->maps[k]->ndirs; i++) {
			const struct tfdir *dir = an->maps[k]->dirs[i];
			for (size_t f = 0; f < dir->nfiles; f++) {
				for (size_t b = 0; b < dir->hcl[f].n; b++) {
					const struct hcl_block *blk = &dir->hcl[f].v[b];
					add_ignores(an, dir->files[f], &blk->ignores, today, problems, d);
					for (size_t a = 0; a < blk->nattrs; a++)
						add_ignores(an, dir->files[f], &blk->attrs[a].ignores, today,
						            problems, d);
				}
			}
		}
	}
}

/* Sets f aside when a usable comment covering loc names its policy. */
static void suppress_finding(const struct annotate *an, struct finding *f,
                             const struct tfmap_loc *loc)
{
	const struct hcl_ignore *cover[16];
	size_t n = tfmap_ignores(loc, cover, 16);
	for (size_t i = 0; i < n && i < 16; i++) {
		for (size_t k = 0; k < an->sups.n; k++) {
			const struct suppression *x = &an->sups.v[k];
			if (an->keys[k] != cover[i] || !x->usable || !suppress_names(x, f->policy))
				continue;
			f->status = FINDING_SUPPRESSED;
			f->justification = xstrdup(x->reason);
			f->suppressed_by = xasprintf("%s:%u", x->file, x->line);
			f->waived_until = x->until ? xstrdup(x->until) : NULL;
			return;
		}
	}
}

/* Inline suppressions of the Terraform sources: judged against today's date as governance
 * does (a bad MOONGATE_TODAY is reported there; no suppression applies then). */
static void apply_suppressions(struct annotate *an, struct findings *fs, struct diags *d)
{
	char today[11];
	struct diags scratch = DIAGS_INIT;
	bool ok = gov_today(today, &scratch);
	diags_free(&scratch);
	if (!ok)
		return;
	struct findings problems = FINDINGS_INIT;
	collect_suppressions(an, today, &problems, d);
	for (size_t i = 0; an->sups.n && i < fs->n; i++) {
		struct finding *f = &fs->v[i];
		struct tfmap *m = f->resource && f->policy ? map_of(an, f->file) : NULL;
		struct tfmap_loc loc;
		if (m && f->status == FINDING_OPEN && tfmap_lookup(m, f->resource, f->path, &loc))
			suppress_finding(an, f, &loc);
	}
	for (size_t i = 0; i < problems.n; i++)
		*findings_add(fs) = problems.v[i];
	free(problems.v);
}

void tfmap_annotate(struct findings *fs, const struct model *model, const char *tf_dir,
                    struct diags *d)
{
	struct annotate an = {0};
	an.model = model;
	annotate_inputs(&an, tf_dir, d);
	for (size_t i = 0; i < fs->n; i++) {
		struct finding *f = &fs->v[i];
		struct tfmap *m = f->resource ? map_of(&an, f->file) : NULL;
		struct tfmap_loc loc;
		if (!m)
			continue;
		if (tfmap_lookup(m, f->resource, f->path, &loc)) {
			free(f->src_file);
			f->src_file = xstrdup(loc.file);
			f->src_line = loc.line;
			f->src_column = loc.column;
		} else {
			warn_unmapped(&an, f, loc.unmapped, d);
		}
	}
	apply_suppressions(&an, fs, d);
	suppress_free(&an.sups);
	free(an.keys);
	for (size_t i = 0; i < an.nmaps; i++)
		tfmap_free(an.maps[i]);
	free(an.maps);
	free(an.by_input);
	free(an.reported);
}

/* ---------------------------------------------------------------- lifecycle */

struct tfmap *tfmap_new(const char *root, struct diags *d)
{
	struct tfmap *m = xcalloc(1, sizeof *m);
	m->root = path_join(".", root);
	m->d = d;
	return m;
}

static void dir_free(struct tfdir *dir)
{
	for (size_t i = 0; i < dir->nfiles; i++) {
		free(dir->files[i]);
		hcl_file_free(&dir->hcl[i]);
	}
	free(dir->files);
	free(dir->hcl);
	free(dir->index);
	free(dir->path);
	free(dir->real);
	free(dir);
}

void tfmap_free(struct tfmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->ndirs; i++)
		dir_free(m->dirs[i]);
	for (size_t i = 0; i < m->nreasons; i++)
		free(m->reasons[i]);
	free(m->dirs);
	free(m->reasons);
	free(m->root);
	free(m);
}
