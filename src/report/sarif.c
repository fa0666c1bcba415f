/*
 * SARIF 2.1.0 reporter (see sarif.h). The log has one run: tool.driver with one rule per
 * policy, one result per finding, and one invocation whose notifications carry the
 * diagnostics. Artifact URIs are relative to the repository root (uriBaseId %SRCROOT%), so
 * code scanning matches them to the checkout; output is indented JSON, byte-identical for the
 * same input.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "report/sarif.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/json.h"
#include "util/xalloc.h"

#define SARIF_SCHEMA_URI "https://json.schemastore.org/sarif-2.1.0.json"
#define MOONGATE_INFORMATION_URI "https://github.com/moongate/moongate"
#define SARIF_SRCROOT "%SRCROOT%"
#define JW_MAX_DEPTH 32

/* ---- UTF-8 ---------------------------------------------------------------------------- */

/* Length of the sequence a lead byte announces, 0 for a byte that cannot lead one. */
static size_t utf8_lead_length(unsigned char c, uint32_t *bits)
{
	if (c < 0x80) {
		*bits = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		*bits = c & 0x1f;
		return 2;
	}
	if (c >= 0xe0 && c <= 0xef) {
		*bits = c & 0x0f;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		*bits = c & 0x07;
		return 4;
	}
	return 0;
}

size_t report_sarif_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	static const uint32_t min_for_length[5] = {0, 0, 0x80, 0x800, 0x10000};
	const unsigned char *u = (const unsigned char *)s;
	uint32_t v;
	size_t len = utf8_lead_length(u[0], &v);
	if (len == 0 || len > n)
		goto invalid;
	for (size_t i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80)
			goto invalid;
		v = (v << 6) | (u[i] & 0x3f);
	}
	if (v < min_for_length[len] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		goto invalid;
	*cp = v;
	return len;
invalid:
	*cp = 0xfffd;
	return 1;
}

/* ---- text ---------------------------------------------------------------------------- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

char *report_sarif_unwrap(const char *text)
{
	struct buf b = BUF_INIT;
	const char *p = text;
	while (is_blank(*p) || *p == '\n')
		p++;
	while (*p) {
		if (*p != '\n' && *p != '\r') {
			buf_addc(&b, *p++);
			continue;
		}
		size_t breaks = 0;
		while (is_blank(*p) || *p == '\n')
			breaks += *p++ == '\n';
		if (*p) {
			while (b.len > 0 && is_blank(b.data[b.len - 1]))
				b.len--;
			buf_adds(&b, breaks > 1 ? "\n\n" : " ");
		}
	}
	while (b.len > 0 && is_blank(b.data[b.len - 1]))
		b.len--;
	if (b.data)
		b.data[b.len] = '\0';
	return buf_detach(&b);
}

/* ---- a small indenting JSON writer ---------------------------------------------------- */

struct jw {
	struct buf *out;
	int depth;
	size_t count[JW_MAX_DEPTH]; /* members written at each depth */
	bool after_key;
};

static void jw_newline(struct jw *w)
{
	buf_addc(w->out, '\n');
	for (int i = 0; i < w->depth; i++)
		buf_add(w->out, "  ", 2);
}

/* Separator and indentation before a value or a key, unless a key was just written. */
static void jw_prefix(struct jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth > 0) {
		if (w->count[w->depth - 1]++ > 0)
			buf_addc(w->out, ',');
		jw_newline(w);
	}
}

static void jw_open(struct jw *w, char bracket)
{
	jw_prefix(w);
	buf_addc(w->out, bracket);
	if (w->depth < JW_MAX_DEPTH)
		w->count[w->depth] = 0;
	w->depth++;
}

static void jw_close(struct jw *w, char bracket)
{
	w->depth--;
	if (w->count[w->depth] > 0)
		jw_newline(w);
	buf_addc(w->out, bracket);
}

static void jw_key(struct jw *w, const char *key)
{
	jw_prefix(w);
	report_json_string(w->out, key);
	buf_add(w->out, ": ", 2);
	w->after_key = true;
}

static void jw_str(struct jw *w, const char *s)
{
	jw_prefix(w);
	report_json_string(w->out, s);
}

static void jw_uint(struct jw *w, size_t v)
{
	jw_prefix(w);
	buf_add_uint(w->out, v);
}

static void jw_bool(struct jw *w, bool v)
{
	jw_prefix(w);
	buf_adds(w->out, v ? "true" : "false");
}

/* "key": "value" */
static void jw_kstr(struct jw *w, const char *key, const char *value)
{
	jw_key(w, key);
	jw_str(w, value);
}

/* "key": {"text": "value"} (SARIF's message and multiformatMessageString) */
static void jw_ktext(struct jw *w, const char *key, const char *text)
{
	jw_key(w, key);
	jw_open(w, '{');
	jw_kstr(w, "text", text);
	jw_close(w, '}');
}

/* ---- rules ---------------------------------------------------------------------------- */

static int cmp_rule(const void *a, const void *b)
{
	return strcmp(((const struct report_rule *)a)->id, ((const struct report_rule *)b)->id);
}

size_t report_sarif_rule_index(const struct report_rules *rules, const char *id)
{
	size_t lo = 0, hi = rules->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(rules->v[mid].id, id);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

static void rules_add_policy(struct report_rules *rules, size_t *cap, const struct policy_info *p)
{
	xgrow((void **)&rules->v, cap, rules->n + 1, sizeof *rules->v);
	struct report_rule *r = &rules->v[rules->n++];
	memset(r, 0, sizeof *r);
	r->id = p->id;
	r->title = p->title && *p->title ? p->title : p->id;
	r->description = p->description;
	r->remediation = p->remediation;
	r->tags = p->tags ? p->tags : "";
	r->types = p->types ? p->types : "";
	r->references = p->references ? p->references : "";
	r->severity = p->severity;
}

/* Adds a rule for a finding's policy the engine did not describe; fills gaps from findings. */
static void rules_add_finding(struct report_rules *rules, size_t *cap, size_t known,
                              const struct finding *f)
{
	size_t i;
	for (i = known; i < rules->n; i++)
		if (strcmp(rules->v[i].id, f->policy) == 0)
			break;
	if (i == rules->n) {
		xgrow((void **)&rules->v, cap, rules->n + 1, sizeof *rules->v);
		struct report_rule *r = &rules->v[rules->n++];
		memset(r, 0, sizeof *r);
		r->id = f->policy;
		r->title = f->policy;
		r->tags = "";
		r->references = "";
		r->severity = f->severity;
	}
	struct report_rule *r = &rules->v[i];
	if (f->title && *f->title && r->title == r->id)
		r->title = f->title;
	if (!r->remediation && f->remediation)
		r->remediation = f->remediation;
	if (f->severity > r->severity)
		r->severity = f->severity;
}

void report_sarif_rules_init(struct report_rules *rules, const struct report_ctx *ctx)
{
	size_t cap = 0, known;
	rules->v = NULL;
	rules->n = 0;
	for (size_t i = 0; ctx->engine && i < engine_policy_count(ctx->engine); i++) {
		const struct policy_info *p = engine_policy(ctx->engine, i);
		if (p->enabled)
			rules_add_policy(rules, &cap, p);
	}
	if (rules->n > 1)
		qsort(rules->v, rules->n, sizeof *rules->v, cmp_rule);
	known = rules->n;
	for (size_t i = 0; ctx->findings && i < ctx->findings->n; i++) {
		const struct finding *f = &ctx->findings->v[i];
		if (!f->policy)
			continue;
		if (report_sarif_rule_index(&(struct report_rules){rules->v, known}, f->policy) ==
		    SIZE_MAX)
			rules_add_finding(rules, &cap, known, f);
	}
	if (rules->n > 1)
		qsort(rules->v, rules->n, sizeof *rules->v, cmp_rule);
	for (size_t i = 0; ctx->findings && i < ctx->findings->n; i++) {
		const char *id = ctx->findings->v[i].policy;
		size_t k = id ? report_sarif_rule_index(rules, id) : SIZE_MAX;
		if (k != SIZE_MAX)
			rules->v[k].findings++;
	}
}

void report_sarif_rules_free(struct report_rules *rules)
{
	free(rules->v);
	rules->v = NULL;
	rules->n = 0;
}

/* ---- paths ---------------------------------------------------------------------------- */

/* Resolves "." and ".." and repeated slashes of an absolute path, in place (the result is
 * never longer). */
static void path_normalise(char *p)
{
	char *copy = xstrdup(p), *in = copy + 1, *out = p + 1;
	while (*in) {
		size_t len = strcspn(in, "/");
		if (len == 2 && in[0] == '.' && in[1] == '.') {
			if (out > p + 1)
				out--; /* the '/' after the last kept segment */
			while (out > p + 1 && out[-1] != '/')
				out--;
		} else if (len > 0 && !(len == 1 && in[0] == '.')) {
			memcpy(out, in, len);
			out += len;
			*out++ = '/';
		}
		in += len + (in[len] == '/');
	}
	if (out > p + 1)
		out--;
	*out = '\0';
	free(copy);
}

static char *current_dir(void)
{
	char cwd[PATH_MAX];
	return xstrdup(getcwd(cwd, sizeof cwd) ? cwd : "/");
}

/* An absolute, normalised form of path: relative paths are joined to base (the current
 * directory when NULL), and existing files resolved through symbolic links unless base. */
static char *path_absolute(const char *path, const char *base)
{
	char real[PATH_MAX];
	if (!base && realpath(path, real))
		return xstrdup(real);
	char *abs;
	if (path[0] == '/') {
		abs = xstrdup(path);
	} else {
		char *dir = base ? xstrdup(base) : current_dir();
		abs = xasprintf("%s/%s", dir, path);
		free(dir);
	}
	path_normalise(abs);
	return abs;
}

bool report_sarif_pseudo_file(const char *file)
{
	size_t n = file ? strlen(file) : 0;
	return n >= 2 && file[0] == '<' && file[n - 1] == '>';
}

char *report_sarif_repo_root(const char *path)
{
	char *dir = path_absolute(path, NULL);
	struct stat st;
	for (;;) {
		char *git = xasprintf("%s/.git", strcmp(dir, "/") == 0 ? "" : dir);
		int found = stat(git, &st) == 0;
		free(git);
		if (found)
			return dir;
		char *slash = strrchr(dir, '/');
		if (!slash || strcmp(dir, "/") == 0)
			break;
		if (slash == dir)
			slash[1] = '\0'; /* "/a" becomes "/" */
		else
			*slash = '\0';
	}
	free(dir);
	return current_dir();
}

char *report_sarif_relative(const char *path, const char *root, int cwd_is_root)
{
	char *abs = path_absolute(path, cwd_is_root ? root : NULL);
	size_t n = strlen(root);
	char *rel = NULL;
	if (n == 1 && root[0] == '/')
		rel = xstrdup(abs + 1);
	else if (strncmp(abs, root, n) == 0 && abs[n] == '/' && abs[n + 1])
		rel = xstrdup(abs + n + 1);
	free(abs);
	return rel;
}

/* Percent-encodes what may not appear in a URI path (RFC 3986 unreserved and '/' stay). */
static void uri_add_path(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p)) {
			buf_addc(b, (char)*p);
		} else {
			buf_addc(b, '%');
			buf_addc(b, hex[*p >> 4]);
			buf_addc(b, hex[*p & 15]);
		}
	}
}

/* ---- fingerprints --------------------------------------------------------------------- */

void report_sarif_fingerprint(const char *const *fields, size_t n, char out[17])
{
	static const char hex[] = "0123456789abcdef";
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < n; i++) {
		const unsigned char *p = (const unsigned char *)fields[i];
		for (; p && *p; p++)
			h = (h ^ *p) * 0x100000001b3u;
		h = (h ^ (fields[i] ? 0x00 : 0xff)) * 0x100000001b3u;
	}
	for (int i = 15; i >= 0; i--) {
		out[i] = hex[h & 15];
		h >>= 4;
	}
	out[16] = '\0';
}

/* ---- the log -------------------------------------------------------------------------- */

/* Where artifact URIs start from, and the last file's URI (findings come sorted by file). */
struct sarif_state {
	struct jw w;
	const struct report_ctx *ctx;
	struct report_rules rules;
	char *root;
	bool cwd_is_root;
	const char *last_file;
	char *last_uri;   /* the URI of last_file */
	bool last_is_rel; /* last_uri is relative to %SRCROOT% */
};

static const char *const sarif_levels[SEV_COUNT] = {"note", "note", "warning", "error", "error"};
static const char *const sarif_security_severity[SEV_COUNT] = {"1.0", "3.0", "5.5", "8.0",
                                                                "9.5"};

static const char *sarif_level(enum severity s)
{
	return (unsigned)s < SEV_COUNT ? sarif_levels[s] : "error";
}

/* Sets last_uri to file's artifact URI: relative to the root when under it, else file://. */
static void sarif_file_uri(struct sarif_state *st, const char *file)
{
	if (st->last_file && strcmp(st->last_file, file) == 0)
		return;
	free(st->last_uri);
	st->last_file = file;
	char *rel = report_sarif_relative(file, st->root, st->cwd_is_root);
	struct buf b = BUF_INIT;
	if (rel) {
		uri_add_path(&b, rel);
	} else {
		char *abs = path_absolute(file, st->cwd_is_root ? st->root : NULL);
		buf_adds(&b, "file://");
		uri_add_path(&b, abs);
		free(abs);
	}
	st->last_is_rel = rel != NULL;
	st->last_uri = buf_detach(&b);
	free(rel);
}

static void sarif_physical_location(struct sarif_state *st, const char *file, unsigned line,
                                    unsigned column)
{
	struct jw *w = &st->w;
	sarif_file_uri(st, file);
	jw_key(w, "physicalLocation");
	jw_open(w, '{');
	jw_key(w, "artifactLocation");
	jw_open(w, '{');
	jw_kstr(w, "uri", st->last_uri);
	if (st->last_is_rel)
		jw_kstr(w, "uriBaseId", SARIF_SRCROOT);
	jw_close(w, '}');
	if (line > 0) {
		jw_key(w, "region");
		jw_open(w, '{');
		jw_key(w, "startLine");
		jw_uint(w, line);
		if (column > 0) {
			jw_key(w, "startColumn");
			jw_uint(w, column);
		}
		jw_close(w, '}');
	}
	jw_close(w, '}');
}

/* "ResidencyAllowedRegions" from "residency/allowed-regions": SARIF's rule name style. */
static char *rule_name(const char *id)
{
	struct buf b = BUF_INIT;
	bool upper = true;
	for (const char *p = id; *p; p++) {
		bool alnum = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		             (*p >= '0' && *p <= '9') || (unsigned char)*p >= 0x80;
		if (!alnum) {
			upper = true;
			continue;
		}
		buf_addc(&b, upper && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p);
		upper = false;
	}
	if (b.len == 0)
		buf_adds(&b, "Policy");
	return buf_detach(&b);
}

/* Adds s[0, n) to the tags array unless it is empty or already among the first seen. */
static void tag_add(struct jw *w, char **seen, size_t *nseen, const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0)
		return;
	for (size_t i = 0; i < *nseen; i++)
		if (strlen(seen[i]) == n && memcmp(seen[i], s, n) == 0)
			return;
	seen[*nseen] = xstrndup(s, n);
	jw_str(w, seen[(*nseen)++]);
}

/* properties.tags: "security" (code scanning shows security-severity only then), the
 * policy's tags and its area (the id's first segment). */
static void sarif_rule_tags(struct jw *w, const struct report_rule *r)
{
	size_t max = 3, nseen = 0;
	for (const char *p = r->tags; *p; p++)
		max += *p == ',';
	char **seen = xcalloc(max, sizeof *seen);
	jw_key(w, "tags");
	jw_open(w, '[');
	tag_add(w, seen, &nseen, "security", 8);
	for (const char *p = r->tags; *p;) {
		size_t len = strcspn(p, ",");
		tag_add(w, seen, &nseen, p, len);
		p += len + (p[len] == ',');
	}
	tag_add(w, seen, &nseen, r->id, strcspn(r->id, "/"));
	jw_close(w, ']');
	for (size_t i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
}

/* The first reference that is a web address, for helpUri; NULL when none. */
static char *rule_help_uri(const struct report_rule *r)
{
	for (const char *p = r->references; p && *p;) {
		size_t len = strcspn(p, "\n");
		if ((len > 8 && strncmp(p, "https://", 8) == 0) ||
		    (len > 7 && strncmp(p, "http://", 7) == 0)) {
			if (!memchr(p, ' ', len))
				return xstrndup(p, len);
		}
		p += len + (p[len] == '\n');
	}
	return NULL;
}

static void sarif_rule_help(struct jw *w, const struct report_rule *r)
{
	struct buf text = BUF_INIT;
	if (r->description && *r->description)
		buf_addf(&text, "%s\n\n", r->description);
	buf_addf(&text, "Remediation: %s", r->remediation && *r->remediation
	                                        ? r->remediation
	                                        : "see the policy's description");
	jw_ktext(w, "help", buf_str(&text));
	buf_free(&text);
	char *uri = rule_help_uri(r);
	if (uri)
		jw_kstr(w, "helpUri", uri);
	free(uri);
}

static void sarif_rule(struct jw *w, const struct report_rule *r)
{
	char *name = rule_name(r->id);
	jw_open(w, '{');
	jw_kstr(w, "id", r->id);
	jw_kstr(w, "name", name);
	jw_ktext(w, "shortDescription", r->title);
	jw_ktext(w, "fullDescription",
	         r->description && *r->description ? r->description : r->title);
	sarif_rule_help(w, r);
	jw_key(w, "defaultConfiguration");
	jw_open(w, '{');
	jw_kstr(w, "level", sarif_level(r->severity));
	jw_close(w, '}');
	jw_key(w, "properties");
	jw_open(w, '{');
	sarif_rule_tags(w, r);
	jw_kstr(w, "security-severity", sarif_security_severity[r->severity % SEV_COUNT]);
	jw_kstr(w, "precision", "high");
	jw_kstr(w, "severity", severity_name(r->severity));
	jw_close(w, '}');
	jw_close(w, '}');
	free(name);
}

static void sarif_tool(struct sarif_state *st)
{
	struct jw *w = &st->w;
	jw_key(w, "tool");
	jw_open(w, '{');
	jw_key(w, "driver");
	jw_open(w, '{');
	jw_kstr(w, "name", "moongate");
	jw_kstr(w, "version", MOONGATE_VERSION);
	jw_kstr(w, "semanticVersion", MOONGATE_VERSION);
	jw_kstr(w, "informationUri", MOONGATE_INFORMATION_URI);
	jw_key(w, "rules");
	jw_open(w, '[');
	for (size_t i = 0; i < st->rules.n; i++)
		sarif_rule(w, &st->rules.v[i]);
	jw_close(w, ']');
	jw_close(w, '}');
	jw_close(w, '}');
}

/* The URI a result is tracked by in its fingerprint: repository-relative, so the same
 * finding matches across checkouts, runs and line shifts. */
static void sarif_fingerprints(struct sarif_state *st, const struct finding *f)
{
	char fp[17];
	const char *file = f->file;
	if (file && !report_sarif_pseudo_file(file)) {
		sarif_file_uri(st, file);
		file = st->last_uri;
	}
	const char *fields[4] = {f->policy, file, f->resource, f->path};
	report_sarif_fingerprint(fields, 4, fp);
	jw_key(&st->w, "partialFingerprints");
	jw_open(&st->w, '{');
	jw_kstr(&st->w, "moongate/v1", fp);
	jw_close(&st->w, '}');
}

static void sarif_result_locations(struct sarif_state *st, const struct finding *f)
{
	struct jw *w = &st->w;
	bool has_file = f->file && !report_sarif_pseudo_file(f->file);
	if (!has_file && !f->resource)
		return;
	jw_key(w, "locations");
	jw_open(w, '[');
	jw_open(w, '{');
	if (f->src_file)
		sarif_physical_location(st, f->src_file, f->src_line, f->src_column);
	else if (has_file)
		sarif_physical_location(st, f->file, f->line, f->column);
	if (f->resource) {
		jw_key(w, "logicalLocations");
		jw_open(w, '[');
		jw_open(w, '{');
		jw_kstr(w, "fullyQualifiedName", f->resource);
		jw_kstr(w, "kind", "resource");
		jw_close(w, '}');
		jw_close(w, ']');
	}
	jw_close(w, '}');
	jw_close(w, ']');
}

/* A finding located in the .tf sources keeps its plan position as a related location. */
static void sarif_related_locations(struct sarif_state *st, const struct finding *f)
{
	struct jw *w = &st->w;
	if (!f->src_file || !f->file || report_sarif_pseudo_file(f->file))
		return;
	jw_key(w, "relatedLocations");
	jw_open(w, '[');
	jw_open(w, '{');
	jw_key(w, "id");
	jw_uint(w, 1);
	jw_ktext(w, "message", "the resource in the plan");
	sarif_physical_location(st, f->file, f->line, f->column);
	jw_close(w, '}');
	jw_close(w, ']');
}

static void sarif_result_properties(struct jw *w, const struct finding *f)
{
	jw_key(w, "properties");
	jw_open(w, '{');
	jw_kstr(w, "severity", severity_name(f->severity));
	if (f->type)
		jw_kstr(w, "resourceType", f->type);
	if (f->path)
		jw_kstr(w, "attributePath", f->path);
	if (f->cannot_verify) {
		jw_key(w, "cannotVerify");
		jw_bool(w, true);
	}
	if (f->enforcement != ENFORCE_HARD)
		jw_kstr(w, "enforcement", enforcement_name(f->enforcement));
	jw_close(w, '}');
}

/* A waived (config) or suppressed (inline) finding: its suppression and justification. */
static void sarif_suppressions(struct jw *w, const struct finding *f)
{
	if (f->status == FINDING_OPEN)
		return;
	jw_key(w, "suppressions");
	jw_open(w, '[');
	jw_open(w, '{');
	jw_kstr(w, "kind", f->status == FINDING_SUPPRESSED ? "inSource" : "external");
	jw_kstr(w, "status", "accepted");
	jw_kstr(w, "justification", f->justification ? f->justification : "");
	if (f->suppressed_by) {
		jw_key(w, "properties");
		jw_open(w, '{');
		jw_kstr(w, "source", f->suppressed_by);
		if (f->waiver_owner)
			jw_kstr(w, "owner", f->waiver_owner);
		if (f->waiver_ticket)
			jw_kstr(w, "ticket", f->waiver_ticket);
		if (f->waived_until)
			jw_kstr(w, "expires", f->waived_until);
		jw_close(w, '}');
	}
	jw_close(w, '}');
	jw_close(w, ']');
}

static void sarif_result(struct sarif_state *st, const struct finding *f)
{
	struct jw *w = &st->w;
	const char *policy = f->policy ? f->policy : "moongate";
	size_t index = report_sarif_rule_index(&st->rules, policy);
	jw_open(w, '{');
	jw_kstr(w, "ruleId", policy);
	if (index != SIZE_MAX) {
		jw_key(w, "ruleIndex");
		jw_uint(w, index);
	}
	jw_kstr(w, "level", sarif_level(f->severity));
	jw_ktext(w, "message", f->message && *f->message ? f->message : policy);
	sarif_result_locations(st, f);
	sarif_related_locations(st, f);
	sarif_fingerprints(st, f);
	sarif_suppressions(w, f);
	sarif_result_properties(w, f);
	jw_close(w, '}');
}

static const char *const diag_ids[] = {"input-error", "usage-error", "policy-error", "warning"};

static void sarif_notification(struct sarif_state *st, const struct diag *d)
{
	struct jw *w = &st->w;
	jw_open(w, '{');
	jw_kstr(w, "level", d->kind == DIAG_WARNING ? "warning" : "error");
	jw_ktext(w, "message", d->message && *d->message ? d->message : "error");
	jw_key(w, "descriptor");
	jw_open(w, '{');
	jw_kstr(w, "id", (unsigned)d->kind < 4 ? diag_ids[d->kind] : "error");
	jw_close(w, '}');
	if (d->policy) {
		jw_key(w, "associatedRule");
		jw_open(w, '{');
		jw_kstr(w, "id", d->policy);
		jw_close(w, '}');
	}
	if (d->file && !report_sarif_pseudo_file(d->file)) {
		jw_key(w, "locations");
		jw_open(w, '[');
		jw_open(w, '{');
		sarif_physical_location(st, d->file, d->line, d->column);
		jw_close(w, '}');
		jw_close(w, ']');
	}
	jw_close(w, '}');
}

static void sarif_invocation(struct sarif_state *st)
{
	struct jw *w = &st->w;
	const struct diags *d = st->ctx->diags;
	size_t n = d ? d->n : 0, errors = 0;
	for (size_t i = 0; i < n; i++)
		errors += d->v[i].kind != DIAG_WARNING;
	jw_key(w, "invocations");
	jw_open(w, '[');
	jw_open(w, '{');
	jw_key(w, "executionSuccessful");
	jw_bool(w, errors == 0);
	if (n > 0) {
		jw_key(w, "toolExecutionNotifications");
		jw_open(w, '[');
		for (size_t i = 0; i < n; i++)
			sarif_notification(st, &d->v[i]);
		jw_close(w, ']');
	}
	jw_close(w, '}');
	jw_close(w, ']');
}

static void sarif_base_ids(struct sarif_state *st)
{
	struct jw *w = &st->w;
	struct buf uri = BUF_INIT;
	buf_adds(&uri, "file://");
	uri_add_path(&uri, st->root);
	if (uri.data[uri.len - 1] != '/')
		buf_addc(&uri, '/');
	jw_key(w, "originalUriBaseIds");
	jw_open(w, '{');
	jw_key(w, SARIF_SRCROOT);
	jw_open(w, '{');
	jw_kstr(w, "uri", buf_str(&uri));
	jw_close(w, '}');
	jw_close(w, '}');
	buf_free(&uri);
}

/* The root every URI is relative to: given, else found from the first file reported. */
static char *sarif_root(const struct report_ctx *ctx, const struct report_sarif_options *o)
{
	if (o && o->root) {
		char *root = xstrdup(o->root);
		if (root[0] == '/')
			path_normalise(root);
		return root;
	}
	for (size_t i = 0; ctx->findings && i < ctx->findings->n; i++) {
		const char *file = ctx->findings->v[i].file;
		if (file && !report_sarif_pseudo_file(file))
			return report_sarif_repo_root(file);
	}
	for (size_t i = 0; ctx->diags && i < ctx->diags->n; i++) {
		const char *file = ctx->diags->v[i].file;
		if (file && !report_sarif_pseudo_file(file))
			return report_sarif_repo_root(file);
	}
	return report_sarif_repo_root(".");
}

static void sarif_run(struct sarif_state *st)
{
	struct jw *w = &st->w;
	const struct findings *f = st->ctx->findings;
	jw_open(w, '{');
	sarif_tool(st);
	sarif_invocation(st);
	sarif_base_ids(st);
	jw_kstr(w, "columnKind", "unicodeCodePoints");
	jw_key(w, "results");
	jw_open(w, '[');
	for (size_t i = 0; f && i < f->n; i++)
		sarif_result(st, &f->v[i]);
	const struct findings *waived = st->ctx->gov ? st->ctx->gov->waived : NULL;
	for (size_t i = 0; waived && i < waived->n; i++)
		sarif_result(st, &waived->v[i]);
	jw_close(w, ']');
	jw_close(w, '}');
}

void report_sarif_write_opts(const struct report_ctx *ctx, const struct report_sarif_options *o,
                             struct buf *out)
{
	struct sarif_state st;
	memset(&st, 0, sizeof st);
	st.w.out = out;
	st.ctx = ctx;
	st.root = sarif_root(ctx, o);
	st.cwd_is_root = o && o->root;
	report_sarif_rules_init(&st.rules, ctx);
	jw_open(&st.w, '{');
	jw_kstr(&st.w, "$schema", SARIF_SCHEMA_URI);
	jw_kstr(&st.w, "version", "2.1.0");
	jw_key(&st.w, "runs");
	jw_open(&st.w, '[');
	sarif_run(&st);
	jw_close(&st.w, ']');
	jw_close(&st.w, '}');
	buf_addc(out, '\n');
	report_sarif_rules_free(&st.rules);
	free(st.last_uri);
	free(st.root);
}

void report_sarif_write(const struct report_ctx *ctx, struct buf *out)
{
	report_sarif_write_opts(ctx, NULL, out);
}
