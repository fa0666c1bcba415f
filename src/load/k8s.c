/*
 * Kubernetes normaliser: one resource per object (a List, or any *List kind with items,
 * gives one per item). Address "Kind/namespace/name", or "Kind/name" for cluster-scoped
 * kinds; objects without a namespace are in "default". Duplicate addresses across the run
 * are made unique by the loader (load.c).
 */
#include "load/normalise.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "load/docpos.h"
#include "util/xalloc.h"

/* Kinds that live outside namespaces (built-in API and common extensions). */
static const char *const cluster_kinds[] = {
	"APIService", "CSIDriver", "CSINode", "CertificateSigningRequest", "ClusterIssuer",
	"ClusterPolicy", "ClusterRole", "ClusterRoleBinding", "ComponentStatus",
	"ConstraintTemplate", "CustomResourceDefinition", "FlowSchema", "IngressClass",
	"MutatingWebhookConfiguration", "Namespace", "Node", "PersistentVolume",
	"PodSecurityPolicy", "PriorityClass", "PriorityLevelConfiguration", "RuntimeClass",
	"SecurityContextConstraints", "StorageClass", "ValidatingAdmissionPolicy",
	"ValidatingAdmissionPolicyBinding", "ValidatingWebhookConfiguration",
	"VolumeAttachment",
};

/* Gatekeeper constraints (any kind in this API group) are cluster-scoped too. */
#define GATEKEEPER_CONSTRAINTS "constraints.gatekeeper.sh/"

static bool cluster_scoped(const char *api_version, const char *kind)
{
	if (api_version && strncmp(api_version, GATEKEEPER_CONSTRAINTS,
	                           strlen(GATEKEEPER_CONSTRAINTS)) == 0)
		return true;
	for (size_t i = 0; i < sizeof cluster_kinds / sizeof cluster_kinds[0]; i++) {
		if (strcmp(kind, cluster_kinds[i]) == 0)
			return true;
	}
	return false;
}

/* A string field as a new string, or NULL when absent or not a string. */
static char *string_at(const struct doc *doc, uint32_t obj, const char *path)
{
	uint32_t n = doc_path(doc, obj, path);
	if (n == DOC_NONE || doc_type(doc, n) != DOC_STRING)
		return NULL;
	return doc_strdup(doc, n, NULL);
}

/* "a/b" or "a/b/c" (c NULL for two parts), newly allocated. */
static char *slash_join(const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = c ? strlen(c) : 0;
	char *out = xmalloc(la + lb + lc + 3);
	char *p = out;
	memcpy(p, a, la);
	p += la;
	*p++ = '/';
	memcpy(p, b, lb);
	p += lb;
	if (c) {
		*p++ = '/';
		memcpy(p, c, lc);
		p += lc;
	}
	*p = '\0';
	return out;
}

/* Where an object came from: its document, and its 1-based position in a List (0 when it is
 * the document itself); used to name objects that have no name. */
struct k8s_origin {
	uint32_t root;
	uint32_t docno;
	uint32_t item;
};

static char *object_address(const struct doc *doc, uint32_t obj, const char *kind,
                            const struct k8s_origin *o)
{
	char *api = string_at(doc, obj, "apiVersion");
	char *name = string_at(doc, obj, "metadata.name");
	if (!name)
		name = string_at(doc, obj, "metadata.generateName");
	if (!name)
		name = o->item ? xasprintf("#%u.%u", o->docno, o->item) : xasprintf("#%u", o->docno);
	char *addr;
	if (cluster_scoped(api, kind)) {
		addr = slash_join(kind, name, NULL);
	} else {
		char *ns = string_at(doc, obj, "metadata.namespace");
		addr = slash_join(kind, ns && *ns ? ns : "default", name);
		free(ns);
	}
	free(name);
	free(api);
	return addr;
}

static void add_object(struct model *m, size_t input, uint32_t obj, const char *kind,
                       const struct k8s_origin *o)
{
	const struct doc *doc = &m->inputs[input]->doc;
	char *address = object_address(doc, obj, kind, o);
	char *name = string_at(doc, obj, "metadata.name");
	struct model_resource *r = model_add_resource(m, input);
	r->address = address;
	r->type = xstrdup(kind);
	r->name = name;
	r->provider = xstrdup("kubernetes");
	r->cloud = xstrdup("kubernetes");
	r->region_state = REGION_NONE;
	r->format = FORMAT_K8S;
	r->doc_root = o->root;
	r->node = obj;
	r->values = obj;
}

static bool is_list_kind(const char *kind)
{
	size_t n = strlen(kind);
	return n >= 4 && strcmp(kind + n - 4, "List") == 0;
}

/* Items of a List: each names its kind, or takes it from a typed list (PodList -> Pod). */
static void add_items(struct model *m, size_t input, uint32_t items, const char *list_kind,
                      struct k8s_origin *o)
{
	const struct doc *doc = &m->inputs[input]->doc;
	char *implied = strcmp(list_kind, "List") == 0
	                        ? NULL : xstrndup(list_kind, strlen(list_kind) - 4);
	o->item = 0;
	for (uint32_t it = doc_first(doc, items); it != DOC_NONE; it = doc_next(doc, items, it)) {
		o->item++;
		char *kind = string_at(doc, it, "kind");
		if (doc_type(doc, it) != DOC_OBJECT || (!kind && !implied)) {
			unsigned line, column;
			doc_position(&m->inputs[input]->doc, doc_node(doc, it)->pos, &line, &column);
			diags_add(&m->diags, DIAG_WARNING, doc->src.path, line, column, NULL,
			          "list item without a kind skipped");
		} else {
			add_object(m, input, it, kind ? kind : implied, o);
		}
		free(kind);
	}
	free(implied);
}

void k8s_normalise(struct model *m, size_t input, uint32_t root)
{
	const struct doc *doc = &m->inputs[input]->doc;
	char *kind = string_at(doc, root, "kind");
	if (!kind)
		return;
	uint32_t docno = doc_root_number(doc, root);
	struct k8s_origin o = {root, docno ? docno : 1, 0};
	uint32_t items = doc_get(doc, root, "items");
	if (is_list_kind(kind) && items != DOC_NONE && doc_type(doc, items) == DOC_ARRAY)
		add_items(m, input, items, kind, &o);
	else
		add_object(m, input, root, kind, &o);
	free(kind);
}
