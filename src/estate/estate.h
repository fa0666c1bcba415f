/*
 * The estate: where a model's resources run (cloud x region, grouped by jurisdiction), how
 * concentrated they are on cloud and AI model vendors, and which flows the egress policies
 * found, with the run's metadata. estate_collect computes it through the engine: the region,
 * jurisdiction, AI vendor and egress price data live in the policy library (lib.geo, lib.ai,
 * lib.egress), so a small Lua program runs in the engine's sandbox and returns the tables.
 * The definitions are documented in docs/estate-report.md.
 *
 * Ownership: an estate owns every string and array in it; estate_free releases them. It keeps
 * a pointer to the findings it was collected with (not owned: they must outlive it).
 */
#ifndef MG_ESTATE_ESTATE_H
#define MG_ESTATE_ESTATE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "engine/finding.h"
#include "model/model.h"
#include "util/diag.h"

/* Resources of one cloud in one region. */
struct estate_cell {
	char *jurisdiction; /* the bloc ("EU", "US", "UK") or country; "global", "unknown", "none" */
	char *cloud;        /* "aws", "azure", "gcp", "kubernetes", "other" */
	char *region;       /* region code, "global", "(unknown)" or "(none)" */
	char *location;     /* "Ireland", or NULL */
	char *country;      /* ISO code, or NULL */
	size_t resources;   /* managed resources (data sources do not count) */
	size_t ai;          /* of which AI endpoints */
};

/* One vendor's part of a concentration. */
struct estate_vendor {
	char *key;      /* "aws", "openai" */
	char *name;     /* "AWS", "OpenAI" */
	size_t count;   /* resources (cloud vendors) or AI endpoints (model vendors) */
	double weight;  /* what the share is computed from: class weight, or the count */
	double share;   /* weight / total, 0..1 */
	char *clouds;   /* model vendors: the clouds hosting them, "aws, azure"; else NULL */
};

/* A concentration: shares sorted by weight (largest first, then key). */
struct estate_shares {
	struct estate_vendor *v;
	size_t n;
	double total;     /* sum of the weights */
	double hhi;       /* Herfindahl-Hirschman index, sum of (100 x share)^2: 0..10,000 */
	double effective; /* effective number of vendors, 10,000 / HHI (0 when empty) */
};

/* Traffic the egress policies found leaving a cloud region. */
struct estate_flow {
	char *from_cloud;   /* the sending side */
	char *from_region;  /* or NULL */
	char *to_cloud;     /* the receiving cloud ("azure", "openai"), or "internet" */
	char *to_region;    /* or NULL */
	char *host;         /* the endpoint host named in the finding, or NULL */
	char *service;      /* "Azure OpenAI", "internet" */
	char *kind;         /* "cross-cloud" or "internet" */
	char *policy;       /* the egress policy that found it */
	double usd_per_gb;  /* internet egress price of the sending cloud; < 0 when unknown */
	char *price;        /* "$0.09/GB", or NULL */
	size_t count;       /* findings merged into this flow */
	char **resources;   /* their resource addresses, sorted, distinct */
	size_t nresources;
};

struct estate_input {
	char *path;
	char *format; /* model_format_name */
	size_t resources;
};

struct estate_policy {
	char *id, *file;
	bool builtin, enabled;
	char *hash; /* "sha256:<hex>" of the policy source, or NULL when it cannot be read */
};

struct estate {
	struct estate_cell *cells; /* sorted by jurisdiction, cloud, region */
	size_t ncells;
	size_t resources, ai;      /* totals over the cells */
	struct estate_shares clouds;  /* cloud vendors, weighted as concentration/cloud-provider */
	struct estate_shares models;  /* AI model vendors, by endpoint count */
	struct estate_flow *flows;    /* sorted by from, to, service */
	size_t nflows;
	struct estate_input *inputs;
	size_t ninputs;
	struct estate_policy *policies; /* in engine order (sorted by id) */
	size_t npolicies;
	char *config;              /* the config file used, or NULL */
	char *version;             /* moongate's version */
	long long time;            /* SOURCE_DATE_EPOCH when set, else the current time */
	bool time_fixed;           /* time came from SOURCE_DATE_EPOCH */
	const struct findings *findings; /* not owned; sorted */
};

/* Computes the estate of m: the inventory, the concentrations and the flows (from the egress
 * findings in fs, which are only read), through e's sandbox. config is the config file path
 * or NULL. False with a DIAG_POLICY in d when the sandbox program fails; the estate is then
 * still valid and holds the metadata. */
bool estate_collect(struct estate *es, struct engine *e, struct model *m,
                    const struct findings *fs, const char *config, struct diags *d);
void estate_free(struct estate *es);

/* The area of a policy id: "egress" of "egress/open-internet" (written into out, which has
 * room for size bytes). */
void estate_area(const char *policy, char *out, size_t size);
/* Formats es->time as "2026-11-26T17:00:00Z" into out (at least 21 bytes). */
void estate_time_iso(const struct estate *es, char *out, size_t size);

#endif
