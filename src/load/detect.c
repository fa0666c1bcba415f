/*
 * Format detection by content. The rules are tried in a fixed order (Terraform plan, state,
 * JSON configuration, Kubernetes, CloudFormation) and the first match wins; anything else
 * is a generic document.
 */
#include "load/detect.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* A Terraform plan: format_version and one of the plan-only top-level keys. */
static bool is_tfplan(const struct doc *doc, uint32_t root)
{
	static const char *const keys[] = {
		"planned_values", "resource_changes", "configuration", "prior_state",
		"resource_drift",
	};
	if (doc_get(doc, root, "format_version") == DOC_NONE)
		return false;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (doc_get(doc, root, keys[i]) != DOC_NONE)
			return true;
	}
	return false;
}

/* True when every key of object obj is one of the NULL-terminated names. */
static bool keys_all_in(const struct doc *doc, uint32_t obj, const char *const *names)
{
	for (uint32_t k = doc_first(doc, obj); k != DOC_NONE; k = doc_next(doc, obj, k + 1)) {
		bool found = false;
		for (size_t i = 0; names[i] && !found; i++)
			found = doc_streq(doc, k, names[i]);
		if (!found)
			return false;
	}
	return true;
}

/* A state: `terraform show -json` of a state (values.root_module), a raw v4 state file, or
 * what `terraform show -json` prints when there is no state (only format_version). */
static bool is_tfstate(const struct doc *doc, uint32_t root)
{
	static const char *const empty_keys[] = {"format_version", "terraform_version", NULL};
	if (doc_path(doc, root, "values.root_module") != DOC_NONE)
		return true;
	int64_t version;
	if (doc_int(doc, doc_get(doc, root, "version"), &version) && version == 4 &&
	    doc_get(doc, root, "resources") != DOC_NONE)
		return true;
	return doc_get(doc, root, "format_version") != DOC_NONE &&
	       keys_all_in(doc, root, empty_keys);
}

/* Terraform JSON configuration syntax: only top-level block types (and "//" comments), at
 * least one that declares something. An empty object is not a configuration (generic). */
static bool is_tfjson(const struct doc *doc, uint32_t root)
{
	static const char *const blocks[] = {
		"resource", "data", "provider", "variable", "output", "locals", "module",
		"terraform", "//", NULL,
	};
	if (!keys_all_in(doc, root, blocks))
		return false;
	return doc_get(doc, root, "resource") != DOC_NONE ||
	       doc_get(doc, root, "data") != DOC_NONE ||
	       doc_get(doc, root, "provider") != DOC_NONE ||
	       doc_get(doc, root, "module") != DOC_NONE;
}

static bool is_string(const struct doc *doc, uint32_t node)
{
	return node != DOC_NONE && doc_type(doc, node) == DOC_STRING;
}

/* A Kubernetes object (or a List of them): string apiVersion and kind. */
static bool is_k8s(const struct doc *doc, uint32_t root)
{
	return is_string(doc, doc_get(doc, root, "apiVersion")) &&
	       is_string(doc, doc_get(doc, root, "kind"));
}

/* CloudFormation: AWSTemplateFormatVersion, or a Resources mapping with at least one entry
 * that has a string Type (templates may omit the version; entries such as Rain modules or
 * Fn::ForEach loops need not have one). */
static bool is_cfn(const struct doc *doc, uint32_t root)
{
	if (doc_get(doc, root, "AWSTemplateFormatVersion") != DOC_NONE)
		return true;
	uint32_t res = doc_get(doc, root, "Resources");
	if (res == DOC_NONE || doc_type(doc, res) != DOC_OBJECT)
		return false;
	for (uint32_t k = doc_first(doc, res); k != DOC_NONE; k = doc_next(doc, res, k + 1)) {
		if (is_string(doc, doc_get(doc, k + 1, "Type")))
			return true;
	}
	return false;
}

static const struct {
	enum model_format format;
	bool (*match)(const struct doc *doc, uint32_t root);
} rules[] = {
	{FORMAT_TFPLAN, is_tfplan},
	{FORMAT_TFSTATE, is_tfstate},
	{FORMAT_TFJSON, is_tfjson},
	{FORMAT_K8S, is_k8s},
	{FORMAT_CFN, is_cfn},
};

enum model_format detect_format(const struct doc *doc, uint32_t root)
{
	if (root == DOC_NONE || doc_type(doc, root) == DOC_NULL)
		return FORMAT_UNKNOWN;
	if (doc_type(doc, root) != DOC_OBJECT)
		return FORMAT_GENERIC;
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		if (rules[i].match(doc, root))
			return rules[i].format;
	}
	return FORMAT_GENERIC;
}
