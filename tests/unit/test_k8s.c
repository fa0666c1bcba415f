/* Unit tests for the Kubernetes normaliser (load/k8s.c), through the loader. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/load.h"
#include "util/buf.h"

static void load1(struct model *m, const char *name, const char *text)
{
	model_init(m);
	load_buffer(m, name, text, strlen(text), NULL);
	assert_int_equal(diags_count(&m->diags, DIAG_INPUT), 0);
}

static void test_fields(void **state)
{
	(void)state;
	struct model m;
	load1(&m, "pod.json",
	      "{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
	      "\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\"},\"spec\":{}}");
	assert_int_equal(m.nresources, 1);
	struct model_resource *r = &m.resources[0];
	uint32_t root = m.inputs[0]->doc.roots[0];
	assert_string_equal(r->address, "Pod/shop/web");
	assert_string_equal(r->type, "Pod");
	assert_string_equal(r->name, "web");
	assert_string_equal(r->provider, "kubernetes");
	assert_string_equal(r->cloud, "kubernetes");
	assert_int_equal(r->region_state, REGION_NONE);
	assert_null(r->region);
	assert_int_equal(r->format, FORMAT_K8S);
	assert_int_equal(r->values, root);
	assert_int_equal(r->node, root);
	assert_int_equal(r->doc_root, root);
	assert_int_equal(r->before, DOC_NONE);
	model_free(&m);
}

static const struct {
	const char *json;
	const char *address;
} address_cases[] = {
	{"{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d\"}}",
	 "Deployment/default/d"},
	{"{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"prod\"}}",
	 "Namespace/prod"},
	{"{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRole\","
	 "\"metadata\":{\"name\":\"admin\",\"namespace\":\"ignored\"}}", "ClusterRole/admin"},
	{"{\"apiVersion\":\"templates.gatekeeper.sh/v1beta1\",\"kind\":\"ConstraintTemplate\","
	 "\"metadata\":{\"name\":\"k8srequiredlabels\"}}", "ConstraintTemplate/k8srequiredlabels"},
	{"{\"apiVersion\":\"constraints.gatekeeper.sh/v1alpha1\","
	 "\"kind\":\"GCPStorageLocationConstraintV1\",\"metadata\":{\"name\":\"eu\"}}",
	 "GCPStorageLocationConstraintV1/eu"},
	{"{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"generateName\":\"job-\"}}",
	 "Pod/default/job-"},
	{"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}", "ConfigMap/default/#1"},
	{"{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\",\"namespace\":\"\"}}",
	 "Pod/default/x"},
};

static void test_addresses(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof address_cases / sizeof address_cases[0]; i++) {
		struct model m;
		load1(&m, "obj.json", address_cases[i].json);
		assert_int_equal(m.nresources, 1);
		assert_string_equal(m.resources[0].address, address_cases[i].address);
		model_free(&m);
	}
}

static void test_lists(void **state)
{
	(void)state;
	struct model m;
	load1(&m, "list.json",
	      "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":["
	      "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"s\"}},"
	      "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"n\"}},"
	      "{\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"nokind\"}},"
	      "{\"apiVersion\":\"v1\",\"kind\":\"Secret\"}]}");
	assert_int_equal(m.nresources, 3);
	assert_string_equal(m.resources[0].address, "Service/default/s");
	assert_string_equal(m.resources[1].address, "Namespace/n");
	assert_string_equal(m.resources[2].address, "Secret/default/#1.4");
	assert_int_equal(diags_count(&m.diags, DIAG_WARNING), 1);
	uint32_t root = m.inputs[0]->doc.roots[0];
	assert_int_equal(m.resources[0].doc_root, root);
	assert_true(m.resources[0].node != root);
	assert_int_equal(m.resources[0].values, m.resources[0].node);
	model_free(&m);

	/* a typed list names the kind of items that do not */
	load1(&m, "pods.json",
	      "{\"apiVersion\":\"v1\",\"kind\":\"PodList\",\"items\":["
	      "{\"metadata\":{\"name\":\"a\",\"namespace\":\"x\"}},{\"metadata\":{\"name\":\"b\"}}]}");
	assert_int_equal(m.nresources, 2);
	assert_string_equal(m.resources[0].address, "Pod/x/a");
	assert_string_equal(m.resources[1].type, "Pod");
	model_free(&m);

	/* a kind ending in List without items is an ordinary object */
	load1(&m, "acl.json",
	      "{\"apiVersion\":\"x/v1\",\"kind\":\"AccessList\",\"metadata\":{\"name\":\"a\"}}");
	assert_int_equal(m.nresources, 1);
	assert_string_equal(m.resources[0].address, "AccessList/default/a");
	model_free(&m);
}

static void test_stream(void **state)
{
	(void)state;
	struct model m;
	load1(&m, "all.yaml",
	      "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n---\n"
	      "---\n"
	      "apiVersion: v1\nkind: ConfigMap\n---\n"
	      "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n");
	assert_int_equal(m.nresources, 3);
	assert_string_equal(m.resources[0].address, "Service/default/web");
	assert_string_equal(m.resources[1].address, "ConfigMap/default/#3");
	assert_string_equal(m.resources[2].address, "Service/default/web#2");
	assert_int_equal(m.resources[2].doc_root, m.inputs[0]->doc.roots[3]);
	model_free(&m);

	/* unnamed objects are numbered by their document, empty documents counted */
	struct buf b = BUF_INIT;
	for (int i = 1; i <= 300; i++)
		buf_adds(&b, i % 7 ? "apiVersion: v1\nkind: ConfigMap\n---\n" : "---\n");
	load1(&m, "many.yaml", buf_str(&b));
	assert_int_equal(m.nresources, 300 - 300 / 7);
	for (size_t i = 0, doc = 1; i < m.nresources; i++, doc++) {
		doc += doc % 7 == 0;
		char want[64];
		snprintf(want, sizeof want, "ConfigMap/default/#%zu", doc);
		assert_string_equal(m.resources[i].address, want);
	}
	model_free(&m);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_stream),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
