/*
 * The normalised resource model: every input file, whatever its format, becomes resources
 * with the same core fields (DESIGN.md "The resource model"). Attribute values are not
 * copied: a resource points at nodes of its input's parsed document (load/doc.h), and the
 * engine builds Lua tables from them on first access.
 *
 * Ownership: the model owns its inputs (and their docs) and its resources; every char * in
 * a resource is owned by the resource (NULL when absent). model_free releases everything.
 */
#ifndef MG_MODEL_MODEL_H
#define MG_MODEL_MODEL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "load/doc.h"
#include "util/diag.h"

enum model_format {
	FORMAT_UNKNOWN,
	FORMAT_TFPLAN,  /* terraform show -json of a plan */
	FORMAT_TFSTATE, /* terraform show -json of a state, or a raw v4 terraform.tfstate */
	FORMAT_TFJSON,  /* Terraform JSON configuration syntax (*.tf.json) */
	FORMAT_K8S,     /* Kubernetes manifests (apiVersion + kind) */
	FORMAT_CFN,     /* CloudFormation templates */
	FORMAT_GENERIC, /* any other JSON or YAML */
};

/* What is known of a resource's region: "unknown" is not the same as "has none". */
enum region_state {
	REGION_NONE,    /* the resource has no region (Kubernetes objects, generic documents) */
	REGION_KNOWN,   /* region holds the resolved code, or "global" */
	REGION_UNKNOWN, /* it has one, but it cannot be known from the input */
};

/* Planned change actions of a Terraform plan resource (bit set; 0 outside plans). */
enum model_action {
	ACTION_NOOP = 1 << 0,
	ACTION_CREATE = 1 << 1,
	ACTION_READ = 1 << 2,
	ACTION_UPDATE = 1 << 3,
	ACTION_DELETE = 1 << 4,
	ACTION_FORGET = 1 << 5,
};

struct model_input {
	struct doc doc;           /* the parsed file; doc.src.path names it */
	enum model_format format; /* what the file was detected as (a YAML stream may mix) */
	size_t first_resource;    /* resources of this input: [first, first + count) */
	size_t resource_count;
};

struct model_resource {
	char *address;       /* unique within the run and stable: "module.app.aws_s3_bucket.logs[0]" */
	char *type;          /* "aws_s3_bucket", "Deployment", "AWS::S3::Bucket" */
	char *name;          /* "logs", the Kubernetes metadata.name, the CloudFormation logical id */
	char *provider;      /* "registry.terraform.io/hashicorp/aws", "kubernetes", "cloudformation" */
	char *cloud;         /* "aws", "azure", "gcp", "kubernetes", or NULL */
	char *mode;          /* "managed" or "data" for Terraform; NULL otherwise */
	char *module;        /* "module.app" for Terraform module resources; NULL at the root */
	char *region;        /* resolved region code or "global"; NULL unless REGION_KNOWN */
	enum region_state region_state;
	char *region_source; /* how it was resolved: "attribute", "provider", "variable", "arn",
	                        "availability_zone", "zone", "global", "parent"; or why it is
	                        unknown ("unknown after apply", "provider region not set", ...) */
	unsigned actions;    /* enum model_action bits; 0 when not a plan */
	enum model_format format; /* the format of the document it came from */
	size_t input;        /* index into model.inputs */
	uint32_t doc_root;   /* the document (root node) the resource came from */
	uint32_t node;       /* the node that declares the resource (its source position) */
	uint32_t values;     /* planned/declared attributes (plan: change.after), or DOC_NONE */
	uint32_t before;     /* plan: change.before, or DOC_NONE */
	uint32_t unknown;    /* plan: change.after_unknown (same shape, true = unknown), or DOC_NONE */
	uint32_t sensitive;  /* plan/state: after_sensitive / sensitive_values, or DOC_NONE */
	uint32_t drift;      /* plan: the resource_drift entry with this address (changed outside
	                        Terraform since the last apply), or DOC_NONE */
};

struct model {
	struct model_input **inputs; /* pointers: an input's doc must not move */
	size_t ninputs, inputs_cap;
	struct model_resource *resources;
	size_t nresources, resources_cap;
	struct diags diags;          /* input errors and warnings from loading */
};

void model_init(struct model *m);
void model_free(struct model *m);
/* Adds an input that takes over doc (doc is left zeroed); returns its index. */
size_t model_add_input(struct model *m, struct doc *doc, enum model_format format);
/* Appends a zeroed resource for input `input` (node fields set to DOC_NONE) and returns it.
 * The pointer is valid until the next model_add_resource. */
struct model_resource *model_add_resource(struct model *m, size_t input);
/* True for a plan resource the plan leaves alone: no-op, read, or delete without create
 * (what --changed-only leaves out). Resources of other formats are never unchanged. */
bool model_resource_unchanged(const struct model_resource *r);
/* The input's document holding resource r. */
struct doc *model_doc(struct model *m, const struct model_resource *r);
const char *model_format_name(enum model_format f);

#endif
