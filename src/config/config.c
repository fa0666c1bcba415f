/*
 * The configuration file .moongate.yaml (see config.h and docs/config.md): discovery from a
 * directory upwards, and a strict reading of the first YAML document. Every problem becomes
 * a DIAG_USAGE diagnostic with file:line:column; validation goes on after the first problem
 * so one run reports them all. Values that policies and governance read later (params,
 * waivers) stay nodes of the parsed document.
 */
#include "config/config.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load/docpos.h"
#include "load/text.h"
#include "load/yaml.h"
#include "util/buf.h"
#include "util/isodate.h"
#include "util/strdist.h"
#include "util/xalloc.h"

static const char *const config_names[] = {".moongate.yaml", ".moongate.yml", NULL};

struct loader {
	struct config *c;
	struct diags *d;
	char *dir;    /* the config file's directory, "." when it has none */
	bool ok;
	/* Where fail_on, params and policies go: the top level, or the profile being read. */
	int *fail_on;
	uint32_t *params;
	struct config_policy **policies;
	size_t *npolicies;
};

typedef void (*key_fn)(struct loader *ld, uint32_t key, uint32_t value);

struct key_entry {
	const char *name;
	key_fn load; /* NULL where the caller reads the value itself */
};

/* ---------------------------------------------------------------- messages */

static void bad(struct loader *ld, uint32_t node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void bad(struct loader *ld, uint32_t node, const char *fmt, ...)
{
	unsigned line = 0, column = 0;
	if (node != DOC_NONE)
		doc_position(&ld->c->doc, doc_node(&ld->c->doc, node)->pos, &line, &column);
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diags_add(ld->d, DIAG_USAGE, ld->c->path, line, column, NULL, "%s", msg);
	ld->ok = false;
}

static const char *type_name(const struct doc *doc, uint32_t node)
{
	static const char *const names[] = {
		[DOC_NULL] = "null", [DOC_FALSE] = "a boolean", [DOC_TRUE] = "a boolean",
		[DOC_INT] = "an integer", [DOC_FLOAT] = "a number", [DOC_STRING] = "a string",
		[DOC_ARRAY] = "a list", [DOC_OBJECT] = "a mapping",
	};
	return names[doc_type(doc, node)];
}

/* Edit distance capped at 3: anything further is no suggestion. */
static unsigned edit_distance(const char *a, const char *b)
{
	size_t d = strdist(a, b);
	return d > 3 ? 3 : (unsigned)d;
}

/* "unknown key 'fail-on' (did you mean 'fail_on'?)", or the list of the keys allowed. */
static void unknown_key(struct loader *ld, uint32_t key, const struct key_entry *keys)
{
	char *name = doc_strdup(&ld->c->doc, key, NULL);
	const char *best = NULL;
	unsigned best_d = 3;
	struct buf all = BUF_INIT;
	for (const struct key_entry *k = keys; k->name; k++) {
		unsigned dist = edit_distance(name, k->name);
		if (dist < best_d) {
			best_d = dist;
			best = k->name;
		}
		buf_addf(&all, "%s%s", k == keys ? "" : ", ", k->name);
	}
	if (best)
		bad(ld, key, "unknown key '%s' (did you mean '%s'?)", name, best);
	else
		bad(ld, key, "unknown key '%s' (expected %s)", name, buf_str(&all));
	buf_free(&all);
	free(name);
}

/* True when key k of mapping obj repeats a key written before it. */
static bool repeated_key(const struct doc *doc, uint32_t obj, uint32_t k)
{
	const struct doc_node *nk = doc_node(doc, k);
	for (uint32_t e = doc_first(doc, obj); e != k; e = doc_next(doc, obj, e + 1)) {
		const struct doc_node *ne = doc_node(doc, e);
		if (ne->len == nk->len && memcmp(doc->text + ne->text, doc->text + nk->text, nk->len) == 0)
			return true;
	}
	return false;
}

/* Checks the keys of mapping obj against keys (unknown or repeated keys are errors) and
 * calls the loader of each known key. */
static void load_keys(struct loader *ld, uint32_t obj, const struct key_entry *keys)
{
	const struct doc *doc = &ld->c->doc;
	for (uint32_t k = doc_first(doc, obj); k != DOC_NONE; k = doc_next(doc, obj, k + 1)) {
		const struct key_entry *e = keys;
		while (e->name && !doc_streq(doc, k, e->name))
			e++;
		if (!e->name) {
			unknown_key(ld, k, keys);
			continue;
		}
		if (repeated_key(doc, obj, k)) {
			bad(ld, k, "duplicate key '%s'", e->name);
			continue;
		}
		if (e->load)
			e->load(ld, k, k + 1);
	}
}

/* ---------------------------------------------------------------- values */

/* The value as a string, or NULL (with an error naming what) when it is not one. */
static char *want_string(struct loader *ld, uint32_t value, const char *what)
{
	if (doc_type(&ld->c->doc, value) != DOC_STRING) {
		bad(ld, value, "'%s' must be a string, not %s", what,
		    type_name(&ld->c->doc, value));
		return NULL;
	}
	return doc_strdup(&ld->c->doc, value, NULL);
}

/* A mapping or null; false (with an error) otherwise. */
static bool want_mapping(struct loader *ld, uint32_t value, const char *what)
{
	enum doc_type t = doc_type(&ld->c->doc, value);
	if (t == DOC_OBJECT || t == DOC_NULL)
		return true;
	bad(ld, value, "'%s' must be a mapping, not %s", what, type_name(&ld->c->doc, value));
	return false;
}

/* A severity name into *out; false (with an error) otherwise. never_ok admits "never". */
static bool want_severity(struct loader *ld, uint32_t value, const char *what, bool never_ok,
                          int *out)
{
	char *s = want_string(ld, value, what);
	if (!s)
		return false;
	enum severity sev;
	bool ok = true;
	if (never_ok && strcmp(s, "never") == 0)
		*out = SEV_NEVER;
	else if (severity_parse(s, &sev))
		*out = (int)sev;
	else {
		bad(ld, value, "invalid %s '%s' (expected info, low, medium, high, critical%s)", what,
		    s, never_ok ? " or never" : "");
		ok = false;
	}
	free(s);
	return ok;
}

/* path resolved against the config file's directory. */
static char *resolve_path(const struct loader *ld, const char *path)
{
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	if (path[0] == '/' || strcmp(ld->dir, ".") == 0)
		return xstrdup(*path ? path : ".");
	return *path ? xasprintf("%s/%s", ld->dir, path) : xstrdup(ld->dir);
}

/* ---------------------------------------------------------------- top-level keys */

static void load_fail_on(struct loader *ld, uint32_t key, uint32_t value)
{
	want_severity(ld, value, "fail_on", true, ld->fail_on);
}

static void load_policy_paths(struct loader *ld, uint32_t key, uint32_t value)
{
	struct config *c = ld->c;
	if (doc_type(&c->doc, value) != DOC_ARRAY) {
		bad(ld, value, "'policy_paths' must be a list of strings, not %s",
		    type_name(&c->doc, value));
		return;
	}
	c->policy_paths = xcalloc(doc_node(&c->doc, value)->len + 1, sizeof *c->policy_paths);
	for (uint32_t e = doc_first(&c->doc, value); e != DOC_NONE; e = doc_next(&c->doc, value, e)) {
		char *s = want_string(ld, e, "policy_paths");
		if (s && !*s)
			bad(ld, e, "empty path in 'policy_paths'");
		else if (s)
			c->policy_paths[c->npolicy_paths++] = resolve_path(ld, s);
		free(s);
	}
}

static void load_params(struct loader *ld, uint32_t key, uint32_t value)
{
	if (want_mapping(ld, value, "params") && doc_type(&ld->c->doc, value) == DOC_OBJECT)
		*ld->params = value;
}

static void load_baseline(struct loader *ld, uint32_t key, uint32_t value)
{
	char *s = want_string(ld, value, "baseline");
	if (s && !*s)
		bad(ld, value, "'baseline' must not be empty");
	else if (s)
		ld->c->baseline = resolve_path(ld, s);
	free(s);
}

/* ---------------------------------------------------------------- policies */

/* The policy entry being read. */
static struct config_policy *cur_policy(struct loader *ld)
{
	return &(*ld->policies)[*ld->npolicies - 1];
}

static void load_policy_enabled(struct loader *ld, uint32_t key, uint32_t value)
{
	bool b;
	if (doc_bool(&ld->c->doc, value, &b))
		cur_policy(ld)->enabled = b;
	else
		bad(ld, value, "'enabled' must be true or false, not %s",
		    type_name(&ld->c->doc, value));
}

static void load_policy_severity(struct loader *ld, uint32_t key, uint32_t value)
{
	want_severity(ld, value, "severity", false, &cur_policy(ld)->severity);
}

static void load_policy_params(struct loader *ld, uint32_t key, uint32_t value)
{
	if (want_mapping(ld, value, "params") && doc_type(&ld->c->doc, value) == DOC_OBJECT)
		cur_policy(ld)->params = value;
}

static void load_policy_enforcement(struct loader *ld, uint32_t key, uint32_t value)
{
	char *s = want_string(ld, value, "enforcement");
	enum enforcement e;
	if (s && enforcement_parse(s, &e))
		cur_policy(ld)->enforcement = (int)e;
	else if (s)
		bad(ld, value, "invalid enforcement '%s' (expected advisory, soft or hard)", s);
	free(s);
}

static const struct key_entry policy_keys[] = {
	{"enabled", load_policy_enabled},
	{"severity", load_policy_severity},
	{"params", load_policy_params},
	{"enforcement", load_policy_enforcement},
	{NULL, NULL},
};

/* One entry of 'policies': the id (or glob) at key, its settings at value. */
static void load_policy(struct loader *ld, uint32_t key, uint32_t value)
{
	struct config *c = ld->c;
	char *id = doc_strdup(&c->doc, key, NULL);
	if (!*id) {
		bad(ld, key, "empty policy id in 'policies'");
		free(id);
		return;
	}
	struct config_policy *p = &(*ld->policies)[(*ld->npolicies)++];
	unsigned column;
	doc_position(&c->doc, doc_node(&c->doc, key)->pos, &p->line, &column);
	p->id = id;
	p->enabled = -1;
	p->severity = -1;
	p->params = DOC_NONE;
	p->enforcement = -1;
	if (doc_type(&c->doc, value) == DOC_OBJECT)
		load_keys(ld, value, policy_keys);
	else if (doc_type(&c->doc, value) != DOC_NULL)
		bad(ld, value, "the settings of policy '%s' must be a mapping, not %s", id,
		    type_name(&c->doc, value));
}

static void load_policies(struct loader *ld, uint32_t key, uint32_t value)
{
	struct config *c = ld->c;
	if (!want_mapping(ld, value, "policies") || doc_type(&c->doc, value) != DOC_OBJECT)
		return;
	*ld->policies = xcalloc(doc_node(&c->doc, value)->len + 1, sizeof **ld->policies);
	for (uint32_t k = doc_first(&c->doc, value); k != DOC_NONE;
	     k = doc_next(&c->doc, value, k + 1)) {
		if (!repeated_key(&c->doc, value, k)) {
			load_policy(ld, k, k + 1);
			continue;
		}
		char *id = doc_strdup(&c->doc, k, NULL);
		bad(ld, k, "duplicate policy '%s' in 'policies'", id);
		free(id);
	}
}

/* ---------------------------------------------------------------- waivers */

static void load_waiver_text(struct loader *ld, uint32_t key, uint32_t value)
{
	char *name = doc_strdup(&ld->c->doc, key, NULL);
	char *s = want_string(ld, value, name);
	if (s && !*s)
		bad(ld, value, "'%s' must not be empty", name);
	free(s);
	free(name);
}

static void load_waiver_ticket(struct loader *ld, uint32_t key, uint32_t value)
{
	if (doc_type(&ld->c->doc, value) != DOC_INT)
		load_waiver_text(ld, key, value);
}

static void load_waiver_expires(struct loader *ld, uint32_t key, uint32_t value)
{
	char *s = want_string(ld, value, "expires");
	if (s && !isodate_valid(s))
		bad(ld, value, "invalid date '%s' in 'expires' (expected YYYY-MM-DD)", s);
	free(s);
}

static const struct key_entry waiver_keys[] = {
	{"policy", load_waiver_text},
	{"resource", load_waiver_text},
	{"file", load_waiver_text},
	{"reason", load_waiver_text},
	{"owner", load_waiver_text},
	{"ticket", load_waiver_ticket},
	{"expires", load_waiver_expires},
	{NULL, NULL},
};

static void load_waiver(struct loader *ld, uint32_t w)
{
	const struct doc *doc = &ld->c->doc;
	if (doc_type(doc, w) != DOC_OBJECT) {
		bad(ld, w, "a waiver must be a mapping, not %s", type_name(doc, w));
		return;
	}
	load_keys(ld, w, waiver_keys);
	if (doc_get(doc, w, "reason") == DOC_NONE)
		bad(ld, w, "a waiver needs a 'reason'");
	if (doc_get(doc, w, "policy") == DOC_NONE && doc_get(doc, w, "resource") == DOC_NONE &&
	    doc_get(doc, w, "file") == DOC_NONE)
		bad(ld, w, "a waiver needs at least one of 'policy', 'resource' or 'file'");
}

static void load_waivers(struct loader *ld, uint32_t key, uint32_t value)
{
	const struct doc *doc = &ld->c->doc;
	if (doc_type(doc, value) == DOC_NULL)
		return;
	if (doc_type(doc, value) != DOC_ARRAY) {
		bad(ld, value, "'waivers' must be a list of mappings, not %s", type_name(doc, value));
		return;
	}
	for (uint32_t w = doc_first(doc, value); w != DOC_NONE; w = doc_next(doc, value, w))
		load_waiver(ld, w);
	ld->c->waivers = value;
}

/* ---------------------------------------------------------------- profiles */

static const struct key_entry profile_keys[] = {
	{"fail_on", load_fail_on},
	{"params", load_params},
	{"policies", load_policies},
	{NULL, NULL},
};

/* One profile: its settings are read with the top-level loaders, aimed at the profile. */
static void load_profile(struct loader *ld, uint32_t key, uint32_t value)
{
	struct config *c = ld->c;
	struct config_profile *p = &c->profiles[c->nprofiles++];
	p->name = doc_strdup(&c->doc, key, NULL);
	p->fail_on = -1;
	p->params = DOC_NONE;
	if (doc_type(&c->doc, value) == DOC_NULL)
		return;
	if (doc_type(&c->doc, value) != DOC_OBJECT) {
		bad(ld, value, "profile '%s' must be a mapping, not %s", p->name,
		    type_name(&c->doc, value));
		return;
	}
	struct loader sub = *ld;
	sub.fail_on = &p->fail_on;
	sub.params = &p->params;
	sub.policies = &p->policies;
	sub.npolicies = &p->npolicies;
	load_keys(&sub, value, profile_keys);
	ld->ok = ld->ok && sub.ok;
}

static void load_profiles(struct loader *ld, uint32_t key, uint32_t value)
{
	struct config *c = ld->c;
	if (!want_mapping(ld, value, "profiles") || doc_type(&c->doc, value) != DOC_OBJECT)
		return;
	c->profiles = xcalloc(doc_node(&c->doc, value)->len + 1, sizeof *c->profiles);
	for (uint32_t k = doc_first(&c->doc, value); k != DOC_NONE;
	     k = doc_next(&c->doc, value, k + 1)) {
		char *name = doc_strdup(&c->doc, k, NULL);
		if (repeated_key(&c->doc, value, k))
			bad(ld, k, "duplicate profile '%s' in 'profiles'", name);
		else if (!*name)
			bad(ld, k, "empty profile name in 'profiles'");
		else
			load_profile(ld, k, k + 1);
		free(name);
	}
}

static void load_limits(struct loader *ld, uint32_t key, uint32_t value)
{
	(void)key;
	if (want_mapping(ld, value, "limits") && doc_type(&ld->c->doc, value) == DOC_OBJECT)
		ld->c->limits = value;
}

static const struct key_entry top_keys[] = {
	{"fail_on", load_fail_on},
	{"policy_paths", load_policy_paths},
	{"params", load_params},
	{"policies", load_policies},
	{"waivers", load_waivers},
	{"baseline", load_baseline},
	{"profiles", load_profiles},
	{"limits", load_limits},
	{NULL, NULL},
};

/* ---------------------------------------------------------------- the file */

void config_init(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->fail_on = -1;
	c->params = c->waivers = c->root = c->limits = DOC_NONE;
}

/* Reads and parses the file into c->doc; false with a diagnostic when it cannot. */
static bool read_config(struct loader *ld, const char *path)
{
	struct config *c = ld->c;
	char err[256];
	doc_init(&c->doc, path);
	if (!text_read(&c->doc.src, path, CONFIG_MAX_SIZE, err, sizeof err)) {
		diags_add(ld->d, DIAG_USAGE, path, 0, 0, NULL, "cannot read config: %s", err);
		return false;
	}
	struct yaml_error yerr;
	if (!yaml_parse(&c->doc, NULL, &yerr)) {
		unsigned line, column;
		doc_position(&c->doc, yerr.pos, &line, &column);
		diags_add(ld->d, DIAG_USAGE, path, line, column, NULL, "%s", yerr.message);
		return false;
	}
	return true;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

bool config_load(struct config *c, const char *path, struct diags *d)
{
	struct loader ld = {c, d, dir_of(path), true, &c->fail_on, &c->params, &c->policies,
	                    &c->npolicies};
	c->path = xstrdup(path);
	if (!read_config(&ld, path)) {
		free(ld.dir);
		return false;
	}
	if (c->doc.nroots > 1)
		bad(&ld, c->doc.roots[1], "a config file holds one document");
	uint32_t root = c->doc.nroots ? c->doc.roots[0] : DOC_NONE;
	if (root != DOC_NONE && doc_type(&c->doc, root) == DOC_OBJECT) {
		c->root = root;
		load_keys(&ld, root, top_keys);
	} else if (root != DOC_NONE && doc_type(&c->doc, root) != DOC_NULL) {
		bad(&ld, root, "a config file must be a mapping, not %s", type_name(&c->doc, root));
	}
	free(ld.dir);
	return ld.ok;
}

/* ---------------------------------------------------------------- discovery and lookup */

static bool exists(const char *path, bool want_dir)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return false;
	return want_dir ? true : S_ISREG(st.st_mode);
}

/* The config in dir itself, or NULL. */
static char *config_in(const char *dir)
{
	for (const char *const *n = config_names; *n; n++) {
		char *path = strcmp(dir, "/") == 0 ? xasprintf("/%s", *n) : xasprintf("%s/%s", dir, *n);
		if (exists(path, false))
			return path;
		free(path);
	}
	return NULL;
}

/* An absolute form of dir without trailing slashes. */
static char *absolute_dir(const char *dir)
{
	char *abs;
	if (dir[0] == '/') {
		abs = xstrdup(dir);
	} else {
		char cwd[4096];
		if (!getcwd(cwd, sizeof cwd))
			return NULL;
		abs = strcmp(dir, ".") == 0 ? xstrdup(cwd) : xasprintf("%s/%s", cwd, dir);
	}
	size_t n = strlen(abs);
	while (n > 1 && abs[n - 1] == '/')
		abs[--n] = '\0';
	return abs;
}

char *config_find(const char *dir)
{
	char *cur = absolute_dir(dir);
	while (cur) {
		char *found = config_in(cur);
		if (found) {
			free(cur);
			return found;
		}
		char *git = strcmp(cur, "/") == 0 ? xstrdup("/.git") : xasprintf("%s/.git", cur);
		bool stop = exists(git, true) || strcmp(cur, "/") == 0;
		free(git);
		if (stop)
			break;
		char *slash = strrchr(cur, '/');
		if (slash == cur)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	free(cur);
	return NULL;
}

static bool is_glob(const char *id)
{
	return strpbrk(id, "*?[") != NULL;
}

/* The entry of v[0, n) for id: exact id, else the last matching glob. */
static const struct config_policy *policy_in(const struct config_policy *v, size_t n,
                                             const char *id)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].id, id) == 0)
			return &v[i];
	}
	for (size_t i = n; i-- > 0;) {
		if (is_glob(v[i].id) && fnmatch(v[i].id, id, 0) == 0)
			return &v[i];
	}
	return NULL;
}

const struct config_policy *config_policy_for(const struct config *c, const char *id)
{
	return policy_in(c->policies, c->npolicies, id);
}

const struct config_policy *config_profile_policy_for(const struct config *c, const char *id)
{
	return c->profile ? policy_in(c->profile->policies, c->profile->npolicies, id) : NULL;
}

bool config_use_profile(struct config *c, const char *name, struct diags *d)
{
	struct buf names = BUF_INIT;
	for (size_t i = 0; i < c->nprofiles; i++) {
		if (strcmp(c->profiles[i].name, name) == 0) {
			c->profile = &c->profiles[i];
			if (c->profile->fail_on >= 0)
				c->fail_on = c->profile->fail_on;
			buf_free(&names);
			return true;
		}
		buf_addf(&names, "%s'%s'", i ? ", " : "", c->profiles[i].name);
	}
	if (c->nprofiles)
		diags_add(d, DIAG_USAGE, c->path, 0, 0, NULL, "unknown profile '%s' (the config has %s)",
		          name, buf_str(&names));
	else
		diags_add(d, DIAG_USAGE, c->path, 0, 0, NULL,
		          "unknown profile '%s': the config has no 'profiles'", name);
	buf_free(&names);
	return false;
}

enum enforcement config_enforcement(const struct config *c, const char *id)
{
	const struct config_policy *p = config_profile_policy_for(c, id);
	if (!p || p->enforcement < 0)
		p = config_policy_for(c, id);
	return p && p->enforcement >= 0 ? (enum enforcement)p->enforcement : ENFORCE_HARD;
}

static void free_policies(struct config_policy *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].id);
	free(v);
}

void config_free(struct config *c)
{
	free(c->path);
	doc_free(&c->doc);
	for (size_t i = 0; i < c->npolicy_paths; i++)
		free(c->policy_paths[i]);
	free(c->policy_paths);
	free_policies(c->policies, c->npolicies);
	for (size_t i = 0; i < c->nprofiles; i++) {
		free(c->profiles[i].name);
		free_policies(c->profiles[i].policies, c->profiles[i].npolicies);
	}
	free(c->profiles);
	free(c->baseline);
	config_init(c);
}
