/*
 * Policies on several threads (engine_options.lanes): the findings and diagnostics are those
 * of a run on one thread, in the same order, whatever lane ran which policy; a lane whose
 * Lua state loaded other policies than the engine's takes no part.
 */
#include "test_engine_fixture.h"

#include "engine/engine_int.h"

#include "util/buf.h"

#define NRES (ENGINE_LANE_MIN + 200)

static const char *const types[] = {"aws_a", "aws_b", "azurerm_c"};

static const struct {
	const char *file;
	const char *text;
} policies[] = {
	{"a/even.lua",
	 "return { title = 'T', severity = 'low', description = 'D', types = { 'aws_a' },\n"
	 "  check = function(r)\n"
	 "    if r.values.n % 2 == 0 then return { message = 'a ' .. r.values.n, path = 'n' } end\n"
	 "  end }\n"},
	{"b/all.lua",
	 "return { title = 'T', severity = 'medium', description = 'D',\n"
	 "  check = function(r)\n"
	 "    r.values.n = -1 -- a write stays in this policy\n"
	 "    if r.values.tags.i % 50 == 0 then return { message = 'b', severity = 'high' } end\n"
	 "  end }\n"},
	{"c/fails.lua",
	 "return { title = 'T', severity = 'low', description = 'D', types = { 'aws_b' },\n"
	 "  check = function(r)\n"
	 "    if r.values.n == 301 then error('broken at ' .. r.address) end\n"
	 "    if r.values.n % 2 == 0 then return 'c ' .. r.values.n end\n"
	 "  end }\n"},
	{"d/evaluate.lua",
	 "return { title = 'T', severity = 'info', description = 'D',\n"
	 "  evaluate = function(model)\n"
	 "    local r = model.find('res.r10')\n"
	 "    return { message = #model.by_type('azurerm_c') .. ' ' .. r.values.n, resource = r }\n"
	 "  end }\n"},
	{"e/reads-n.lua",
	 "return { title = 'T', severity = 'low', description = 'D', types = { 'aws_*' },\n"
	 "  check = function(r) if r.values.n < 0 then return 'saw a write' end end }\n"},
};

struct fixture {
	char *root;
	struct model m;
};

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	fx->root = fx_root();
	for (size_t i = 0; i < sizeof policies / sizeof *policies; i++)
		fx_write(fx->root, policies[i].file, policies[i].text);
	struct buf json = BUF_INIT;
	buf_adds(&json, "{\"rc\": [");
	for (int i = 0; i < NRES; i++)
		buf_addf(&json, "%s\n{\"values\": {\"n\": %d, \"tags\": {\"i\": %d}}}", i ? "," : "", i, i);
	buf_adds(&json, "]}");
	model_init(&fx->m);
	size_t in = fx_input(&fx->m, "plan.json", buf_str(&json));
	for (int i = 0; i < NRES; i++) {
		char addr[32], node[32];
		snprintf(addr, sizeof addr, "res.r%d", i);
		snprintf(node, sizeof node, "rc.%d", i);
		fx_resource(&fx->m, in, addr, types[i % 3], node);
	}
	buf_free(&json);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	model_free(&fx->m);
	fx_rmrf(fx->root);
	free(fx);
	return 0;
}

static struct engine *lanes_engine(const char *root, unsigned lanes, struct diags *d)
{
	const char *dirs[1] = {root};
	struct engine_options opts = {.policy_dirs = dirs, .npolicy_dirs = 1, .lanes = lanes};
	return engine_new(&opts, d);
}

static void run(struct engine *e, struct model *m, struct findings *f, struct diags *d)
{
	*f = (struct findings)FINDINGS_INIT;
	*d = (struct diags)DIAGS_INIT;
	engine_run(e, m, f, d);
}

static void assert_str_same(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

/* b holds the same findings and diagnostics as a, in the same order. */
static void assert_same(const struct findings *fa, const struct diags *da,
                        const struct findings *fb, const struct diags *db)
{
	assert_int_equal(fa->n, fb->n);
	for (size_t i = 0; i < fa->n; i++) {
		const struct finding *x = &fa->v[i], *y = &fb->v[i];
		assert_string_equal(x->policy, y->policy);
		assert_string_equal(x->message, y->message);
		assert_str_same(x->resource, y->resource);
		assert_str_same(x->path, y->path);
		assert_int_equal(x->severity, y->severity);
		assert_int_equal(x->line, y->line);
		assert_int_equal(x->column, y->column);
	}
	assert_int_equal(da->n, db->n);
	for (size_t i = 0; i < da->n; i++) {
		assert_str_same(da->v[i].policy, db->v[i].policy);
		assert_string_equal(da->v[i].message, db->v[i].message);
		assert_int_equal(da->v[i].line, db->v[i].line);
	}
}

/* One thread's results, checked for what the policies must produce. */
static void reference(struct fixture *fx, struct findings *f, struct diags *d)
{
	struct diags load = DIAGS_INIT;
	struct engine *e = lanes_engine(fx->root, 1, &load);
	assert_int_equal(load.n, 0);
	run(e, &fx->m, f, d);
	engine_free(e);
	diags_free(&load);
	assert_int_equal(fx_count(f, "a/even"), (NRES + 5) / 6); /* n = 0, 6, 12... */
	assert_int_equal(fx_count(f, "b/all"), (NRES + 49) / 50);
	assert_int_equal(fx_count(f, "c/fails"), 50); /* n = 4, 10, ... 298 before the error */
	assert_int_equal(fx_count(f, "d/evaluate"), 1);
	assert_int_equal(fx_count(f, "e/reads-n"), 0);
	assert_non_null(fx_diag(d, "c/fails"));
}

static void test_same_as_one_thread(void **state)
{
	struct fixture *fx = *state;
	struct findings f1, f2;
	struct diags d1, d2, load = DIAGS_INIT;
	reference(fx, &f1, &d1);
	for (unsigned lanes = 2; lanes <= 6; lanes++) { /* 5, 6: 3, 4 lanes made beforehand */
		struct engine *e = lanes_engine(fx->root, lanes > 4 ? lanes - 2 : lanes, &load);
		if (lanes > 4)
			engine_prepare_lanes(e);
		for (int again = 0; again < 2; again++) { /* the second run reuses the lanes */
			run(e, &fx->m, &f2, &d2);
			assert_same(&f1, &d1, &f2, &d2);
			findings_free(&f2);
			diags_free(&d2);
		}
		engine_free(e);
	}
	assert_int_equal(load.n, 0);
	findings_free(&f1);
	diags_free(&d1);
	diags_free(&load);
}

/* A policy file rewritten after the engine loaded it: the other lane would load the new text,
 * so it stays out and the engine's own policies give every result. (The first policy keeps
 * the engine's lane busy long enough for another lane to take the rewritten one.) */
static void test_changed_policy(void **state)
{
	struct fixture *fx = *state;
	struct findings f1, f2;
	struct diags d1, d2, load = DIAGS_INIT;
	fx_write(fx->root, "0/slow.lua",
	         "return { title = 'T', severity = 'low', description = 'D',\n"
	         "  check = function(r) if r.address == 'res.r0' then for i = 1, 2e7 do end end end }\n");
	reference(fx, &f1, &d1);
	struct engine *e = lanes_engine(fx->root, 2, &load);
	fx_write(fx->root, "a/even.lua",
	         "return { title = 'T', severity = 'low', description = 'D',\n"
	         "  check = function(r) return 'changed' end }\n");
	run(e, &fx->m, &f2, &d2);
	assert_same(&f1, &d1, &f2, &d2);
	engine_free(e);
	fx_write(fx->root, policies[0].file, policies[0].text);
	char *slow = xasprintf("%s/0/slow.lua", fx->root);
	unlink(slow);
	free(slow);
	findings_free(&f1);
	findings_free(&f2);
	diags_free(&d1);
	diags_free(&d2);
	diags_free(&load);
}

/* Lanes made beforehand: used by the next big run; waited for by a small run that does not
 * use them, and by engine_free. */
static void test_prepared(void **state)
{
	struct fixture *fx = *state;
	struct diags load = DIAGS_INIT, d;
	struct findings f;
	struct model small;
	model_init(&small);
	struct engine *e = lanes_engine(fx->root, 2, &load);
	engine_prepare_lanes(e);
	engine_prepare_lanes(e); /* a second call changes nothing */
	run(e, &small, &f, &d);
	assert_non_null(e->prep); /* a run without lanes does not wait */
	engine_free(e);
	findings_free(&f);
	diags_free(&d);
	e = lanes_engine(fx->root, 2, &load);
	engine_prepare_lanes(e);
	run(e, &fx->m, &f, &d);
	assert_null(e->prep);
	assert_non_null(e->twins[0]);
	assert_true(e->twins_tried);
	engine_prepare_lanes(e); /* made already: nothing to do */
	assert_null(e->prep);
	engine_free(e);
	assert_int_equal(load.n, 0);
	findings_free(&f);
	diags_free(&d);
	diags_free(&load);
	model_free(&small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_one_thread),
		cmocka_unit_test(test_changed_policy),
		cmocka_unit_test(test_prepared),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
