/*
 * The configuration file .moongate.yaml (DESIGN.md "Config file"): discovered from the current
 * directory upwards to the repository root, or named with --config. Unknown keys and wrongly
 * typed values are errors naming file:line:column. Parameter values stay as nodes of the
 * parsed YAML document; the engine turns them into Lua tables.
 */
#ifndef MG_CONFIG_CONFIG_H
#define MG_CONFIG_CONFIG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/finding.h"
#include "load/doc.h"
#include "util/diag.h"

struct config_policy {
	char *id;          /* policy id or glob as written */
	int enabled;       /* -1 unset, 0 disabled, 1 enabled */
	int severity;      /* -1 unset, else enum severity */
	uint32_t params;   /* object node in doc, or DOC_NONE */
	unsigned line;     /* where the entry is, for messages */
	int enforcement;   /* -1 unset, else enum enforcement */
};

/* One entry of `profiles:`: settings that replace the top-level ones when selected with
 * --profile. Its policy entries are looked up on their own (config_profile_policy_for). */
struct config_profile {
	char *name;
	int fail_on;       /* -1 unset, else enum severity or SEV_NEVER */
	uint32_t params;   /* params object laid over the global params, or DOC_NONE */
	struct config_policy *policies;
	size_t npolicies;
};

struct config {
	char *path;              /* the file read, or NULL when there is none */
	struct doc doc;          /* the parsed file; all nodes below point into it */
	int fail_on;             /* -1 unset, else enum severity or SEV_NEVER */
	char **policy_paths;     /* resolved against the config file's directory */
	size_t npolicy_paths;
	uint32_t params;         /* global params object, or DOC_NONE */
	struct config_policy *policies;
	size_t npolicies;
	uint32_t waivers;        /* the waivers sequence, kept for governance, or DOC_NONE */
	uint32_t root;           /* the document's root object, or DOC_NONE */
	char *baseline;          /* baseline file resolved against the config's directory, or NULL */
	struct config_profile *profiles;
	size_t nprofiles;
	const struct config_profile *profile; /* the one selected (config_use_profile), or NULL */
	uint32_t limits;         /* the limits mapping (NAME: VALUE as --limit takes), or DOC_NONE;
	                            the names and values are checked where they are applied */
};

#define CONFIG_MAX_SIZE ((size_t)16 << 20) /* a larger config file is refused */

void config_init(struct config *c);
/* Reads and validates path into c. Errors go to d (DIAG_USAGE) with file:line:column; returns
 * false when the file cannot be used. */
bool config_load(struct config *c, const char *path, struct diags *d);
/* Looks for .moongate.yaml (or .moongate.yml) from dir upwards, stopping after the directory
 * that holds .git; returns a new path or NULL. */
char *config_find(const char *dir);
/* The entry for policy id (exact id, else the last matching glob), or NULL. */
const struct config_policy *config_policy_for(const struct config *c, const char *id);
/* The selected profile's entry for policy id (same rule as config_policy_for), or NULL. */
const struct config_policy *config_profile_policy_for(const struct config *c, const char *id);
/* Selects profile name: its fail_on replaces c->fail_on. An unknown name is a DIAG_USAGE in
 * d naming the profiles there are; returns false then. */
bool config_use_profile(struct config *c, const char *name, struct diags *d);
/* The enforcement of policy id: the profile's entry, else the top-level entry, else hard. */
enum enforcement config_enforcement(const struct config *c, const char *id);
void config_free(struct config *c);

#endif
