/*
 * Region resolution for Terraform resources: the per-cloud order of facts/cloud-ai-facts.md §2
 * (resource attribute, provider configuration, ARN, availability zone, global service), the
 * string rules of each cloud (Azure location spelling, AWS zones and ARNs, GCP zones and
 * multi-regions), the provider-configuration lookup of a plan's `configuration` block, and
 * the pass that gives child resources (Azure subnets, deployments, rules) their parent's
 * region. Nothing here guesses: what the input does not say is REGION_UNKNOWN with a reason.
 *
 * Strings returned as char * are new allocations owned by the caller.
 */
#ifndef MG_MODEL_REGION_H
#define MG_MODEL_REGION_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "load/doc.h"
#include "model/model.h"

/* Reasons recorded in region_source when the region is unknown. */
#define REGION_WHY_APPLY "unknown until apply"
#define REGION_WHY_UNSET "provider region not set in the configuration"
#define REGION_WHY_EXPR "provider region is not a constant or a variable"
#define REGION_WHY_STATE "provider region not recorded in the state"
#define REGION_WHY_VALUE "region is not a literal in the configuration"
#define REGION_WHY_PARENT "no location and no parent resource with a known region"

/* --- string rules --- */

/* "aws", "azure", "gcp", "kubernetes" or NULL for a Terraform provider name in any spelling
 * ("registry.opentofu.org/hashicorp/aws", "hashicorp/aws", "aws", "provider.aws"): the last
 * path segment decides. Returns a static string. */
const char *region_cloud(const char *provider);
/* True for AWS resource types of global services (IAM, Route 53, CloudFront, ...). */
bool region_aws_global_type(const char *type);
/* Azure location as azurerm compares it: lower case, spaces removed ("West Europe" ->
 * "westeurope"); NULL when nothing is left. */
char *region_azure_location(const char *location);
/* AWS availability zone or Local Zone to region ("eu-west-1a" -> "eu-west-1",
 * "us-west-2-lax-1a" -> "us-west-2"); NULL when s is not shaped like a zone. */
char *region_from_availability_zone(const char *s);
/* The region field of an ARN (its 4th ':' field); NULL when s is not an ARN or the field is
 * empty (S3 buckets, IAM). */
char *region_from_arn(const char *s);
/* A GCP zone ("us-central1-a") becomes its region; regions, multi-regions ("EU", "US") and
 * dual-regions ("EUR4") are kept as written. NULL for an empty string. */
char *region_from_gcp_location(const char *s);

/* Replaces the region fields of r (strings are copied; region may be NULL). */
void region_set(struct model_resource *r, enum region_state state, const char *region,
                const char *source);

/* --- Terraform plan configuration --- */

/* The parts of a plan (or of anything shaped like one) that region resolution reads. */
struct region_tfconfig {
	const struct doc *doc;
	uint32_t variables;       /* top-level "variables" (name -> {"value": ...}) */
	uint32_t provider_config; /* configuration.provider_config */
	uint32_t root_module;     /* configuration.root_module */
	struct region_tfconfig_entry *index; /* configuration resources by module/mode/type/name */
	size_t nindex;
};

/* Reads the configuration of plan and indexes its resources; free with
 * region_tfconfig_free. */
void region_tfconfig_init(struct region_tfconfig *c, const struct doc *doc, uint32_t plan);
void region_tfconfig_free(struct region_tfconfig *c);
/* The configuration resource declaring mode/type/name in module (an address such as
 * "module.a[0].module.b", instance keys ignored; NULL for the root), or DOC_NONE. */
uint32_t region_tfconfig_resource(const struct region_tfconfig *c, const char *module,
                                  const char *mode, const char *type, const char *name);

/* --- resolving one resource --- */

/* What a normaliser knows of one resource. */
struct region_facts {
	const struct doc *doc;
	uint32_t values;   /* attributes (plan: after, or before for a delete), or DOC_NONE */
	uint32_t unknown;  /* plan: after_unknown, or DOC_NONE */
	uint32_t config;   /* configuration resource (region_tfconfig_resource), or DOC_NONE */
	const struct region_tfconfig *tfconfig; /* NULL outside plans */
	const char *no_provider_reason; /* reason when no provider region can be found */
};

/* Resolves r->region from r->cloud, r->type and f, following the per-cloud order. An Azure
 * resource without a location is left REGION_UNKNOWN for region_resolve_parents. */
void region_resolve(struct model_resource *r, const struct region_facts *f);

/* Candidate parent addresses (best first) of a plan resource from the references of its
 * configuration expressions: the location expression, then *_id, then the others; resource
 * groups only through location. module is the resource's module address (or NULL).
 * Returns the number of candidates stored in *out (an array of new strings). */
size_t region_tfconfig_parents(const struct region_tfconfig *c, uint32_t config,
                               const char *module, char ***out);

/* The resource address a reference names ("azurerm_x.y.id" -> "azurerm_x.y",
 * "data.t.n[0].id" -> "data.t.n[0]"), prefixed with module (when not NULL); NULL for
 * variables, locals, module outputs and the like, and for resource groups unless
 * allow_group (a resource group's location is not that of the resources in it). */
char *region_reference_address(const char *ref, const char *module, bool allow_group);

/* The address of a resource instance as Terraform writes it, the key parent references
 * are resolved against: module (may be NULL) + "data." for data sources + type.name + the
 * index ([0] for a number node, ["key"] for a string node; none for DOC_NONE). */
char *region_instance_address(const char *module, const char *mode, const char *type,
                              const char *name, const struct doc *doc, uint32_t index);
/* given (the address an input wrote, or NULL) when it is complete, else the address built
 * as above: Terraform 0.12.0 wrote module and count instances without their prefix and
 * index. */
char *region_complete_address(const char *given, const char *module, const char *mode,
                              const char *type, const char *name, const struct doc *doc,
                              uint32_t index);

/* A resource that takes the region of another resource of the same input. */
struct region_pending {
	size_t resource; /* index into m->resources */
	char **parents;  /* candidate parent addresses, best first (owned) */
	size_t nparents;
};

/* Gives each pending resource the region of its first candidate parent whose region is
 * known (region_source "parent"), repeating until nothing changes so chains resolve
 * (rule -> security group -> ...). Resources of input [first, first + count) are searched.
 * Frees the candidate lists. */
void region_resolve_parents(struct model *m, size_t first, size_t count,
                            struct region_pending *pending, size_t npending);

#endif
