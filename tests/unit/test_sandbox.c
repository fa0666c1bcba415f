/*
 * Sandbox escapes: each attempt must fail cleanly as a policy error naming the policy (or
 * be refused by returning nil), while every other policy keeps running and sees an
 * unchanged world.
 */
#include "test_engine_fixture.h"

#include <time.h>

static const char plan_json[] =
	"{\"rc\": [{\"address\": \"aws_kms_key.k\", \"values\": {\"acl\": \"private\", \"n\": 1}}]}";

/* Policies that must fail, and a fragment their diagnostic must hold. */
static const struct {
	const char *id;
	const char *body;   /* the check function's body */
	const char *error;
} escapes[] = {
	{"io-open", "return io.open('/etc/passwd'):read('a')", "global 'io'"},
	{"os-execute", "return os.execute('true')", "global 'os'"},
	{"require-ffi", "return require('ffi')",
	 "module 'ffi' not found: only lib.* modules of the policy roots and the built-in library"},
	{"require-os", "return require('os').getenv('HOME')", "module 'os' not found"},
	{"require-path", "return require('lib.x/../../etc')", "module 'lib.x/../../etc' not found"},
	{"string-dump", "return string.dump(function() end)", "field 'dump'"},
	{"string-dump-method", "return ('').dump(function() end)", "field 'dump'"},
	{"setmetatable-string", "setmetatable('', { __index = function() return 'x' end })",
	 "bad argument #1 to 'setmetatable'"},
	{"getmetatable-string", "getmetatable('').__index = { upper = function() return 'hacked' end }",
	 "attempt to index a boolean value"},
	{"collectgarbage", "collectgarbage('stop')", "collectgarbage('stop') is not allowed"},
	{"loadfile", "return loadfile('/etc/passwd')", "global 'loadfile'"},
	{"dofile", "return dofile('/etc/passwd')", "global 'dofile'"},
	{"debug", "return debug.getregistry()", "global 'debug'"},
	{"loop", "while true do end", "instruction budget exceeded"},
	{"loop-in-pcall", "while true do pcall(function() while true do end end) end",
	 "instruction budget exceeded"},
	{"loop-in-error-handler",
	 "while true do xpcall(function() error('x') end, function() while true do end end) end",
	 "instruction budget exceeded"},
	{"memory", "return string.rep('x', 1 << 30)", "memory limit exceeded"},
	{"memory-huge", "return string.rep('x', 1 << 40)", "resulting string too large"},
	{"gc-metamethod", "setmetatable({}, { __gc = function() while true do end end })",
	 "__gc metamethods are not allowed"},
	{"memory-tables", "local t = {} for i = 1, 1e9 do t[i] = { i } end", "memory limit exceeded"},
	{"recursion", "local function f(n) return 1 + f(n + 1) end return f(1)", "stack overflow"},
	{"regex", "return moongate.regex.test(string.rep('a', 40) .. 'b', '(a+)+$')",
	 "regex match limit exceeded"},
	{"error-table", "error({})", "error object is a table value"},
	{"resource-metatable", "getmetatable(r).__index = nil", "attempt to index a boolean value"},
};

/* Policies that probe or try to change what others see; "zz-witness" checks the world. */
static const struct {
	const char *id;
	const char *body;
} writers[] = {
	{"aa-writer",
	 "r.values.acl = 'hacked'; r.address = 'hacked'; leak = 'a'; _G.leak2 = 'b'\n"
	 "    string.upper = function() return 'hacked' end; moongate.glob = nil\n"
	 "    moongate.regex.test = nil; table.insert = nil; load('leak3 = 1')()\n"
	 "    assert(string.upper('a') == 'hacked' and moongate.regex.test == nil)\n"
	 "    assert(moongate.regex == moongate.regex and moongate.glob == nil and not table.insert)"},
	{"bytecode",
	 "local f, err = load('\\27LuaT\\0\\25\\147\\r\\n\\26\\n') assert(f == nil)\n"
	 "    local g, err2 = load('\\27Lua', 'x', 'b') assert(g == nil)\n"
	 "    local h = load('return 1', 'x', 'bt') assert(h() == 1)\n"
	 "    return 'refused: ' .. err .. ' / ' .. err2"},
	{"zz-witness",
	 "return table.concat({ r.values.acl, r.address, tostring(leak), tostring(leak2),\n"
	 "      tostring(leak3), ('x'):upper(), string.upper('y'), tostring(moongate.glob ~= nil),\n"
	 "      tostring(moongate.regex.test('ab', 'b')), tostring(table.insert ~= nil),\n"
	 "      tostring(getmetatable('')), tostring(_G == _ENV), type(collectgarbage('count')) }, ',')"},
};

static char *policy_source(const char *body)
{
	return xasprintf("return { title = 'T', severity = 'low', description = 'D',\n"
	                 "  check = function(r, ctx)\n    %s\n  end }\n", body);
}

static void test_escapes(void **state)
{
	(void)state;
	char *root = fx_root();
	for (size_t i = 0; i < sizeof escapes / sizeof escapes[0]; i++) {
		char *rel = xasprintf("%s.lua", escapes[i].id), *src = policy_source(escapes[i].body);
		fx_write(root, rel, src);
		free(rel);
		free(src);
	}
	for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++) {
		char *rel = xasprintf("%s.lua", writers[i].id), *src = policy_source(writers[i].body);
		fx_write(root, rel, src);
		free(rel);
		free(src);
	}
	struct diags d = DIAGS_INIT;
	const char *dirs[1] = {root};
	struct engine_options opts = {
		.policy_dirs = dirs, .npolicy_dirs = 1,
		.memory_limit = (size_t)64 << 20, .instruction_budget = 5000000, .timeout = 20,
	};
	struct engine *e = engine_new(&opts, &d);
	assert_int_equal(d.n, 0);
	struct model m;
	model_init(&m);
	fx_resource(&m, fx_input(&m, "plan.json", plan_json), "aws_kms_key.k", "aws_kms_key", "rc.0");
	struct findings f = FINDINGS_INIT;
	engine_run(e, &m, &f, &d);
	fx_print_diags(&d);
	for (size_t i = 0; i < sizeof escapes / sizeof escapes[0]; i++) {
		const struct diag *dg = fx_diag(&d, escapes[i].id);
		if (!dg)
			fail_msg("'%s' did not fail", escapes[i].id);
		if (!strstr(dg->message, escapes[i].error))
			fail_msg("'%s': '%s' lacks '%s'", escapes[i].id, dg->message, escapes[i].error);
		assert_non_null(strstr(dg->file, escapes[i].id));
		assert_int_equal(fx_count(&f, escapes[i].id), 0);
	}
	assert_int_equal(diags_count(&d, DIAG_POLICY), sizeof escapes / sizeof escapes[0]);
	const struct finding *x = fx_finding(&f, "zz-witness", "aws_kms_key.k");
	assert_non_null(x);
	assert_string_equal(x->message, "private,aws_kms_key.k,nil,nil,nil,X,Y,true,true,true,false,"
	                                "true,number");
	x = fx_finding(&f, "bytecode", NULL);
	assert_non_null(x);
	assert_non_null(strstr(x->message, "attempt to load a binary chunk"));
	assert_null(fx_finding(&f, "aa-writer", NULL));
	engine_free(e);
	model_free(&m);
	findings_free(&f);
	diags_free(&d);
	fx_rmrf(root);
}

/* The wall-clock limit stops a policy whose instruction budget is out of reach. */
static void test_timeout(void **state)
{
	(void)state;
	char *root = fx_root();
	char *src = policy_source("while true do end");
	fx_write(root, "slow.lua", src);
	free(src);
	src = policy_source("return 'ran'");
	fx_write(root, "then.lua", src);
	free(src);
	struct diags d = DIAGS_INIT;
	const char *dirs[1] = {root};
	struct engine_options opts = {
		.policy_dirs = dirs, .npolicy_dirs = 1, .instruction_budget = UINT64_MAX / 2, .timeout = 0.3,
	};
	struct engine *e = engine_new(&opts, &d);
	struct model m;
	model_init(&m);
	fx_resource(&m, fx_input(&m, "plan.json", plan_json), "aws_kms_key.k", "aws_kms_key", "rc.0");
	struct findings f = FINDINGS_INIT;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	engine_run(e, &m, &f, &d);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(took >= 0.3 && took < 60); /* stopped by the limit, not by the loop ending */
	const struct diag *dg = fx_diag(&d, "slow");
	assert_non_null(dg);
	assert_non_null(strstr(dg->message, "time limit exceeded"));
	assert_int_equal(dg->line, 3);
	assert_non_null(fx_finding(&f, "then", NULL));
	engine_free(e);
	model_free(&m);
	findings_free(&f);
	diags_free(&d);
	fx_rmrf(root);
}

/* A policy's top level runs under the budgets too. */
static void test_load_budget(void **state)
{
	(void)state;
	char *root = fx_root();
	fx_write(root, "spin.lua", "while true do end\n");
	fx_write(root, "ok.lua", "return { title = 'T', severity = 'low', description = 'D',\n"
	         "  check = function() end }\n");
	struct diags d = DIAGS_INIT;
	const char *dirs[1] = {root};
	struct engine_options opts = {.policy_dirs = dirs, .npolicy_dirs = 1, .instruction_budget = 100000};
	struct engine *e = engine_new(&opts, &d);
	assert_int_equal(engine_policy_count(e), 1);
	const struct diag *dg = fx_diag(&d, "spin");
	assert_non_null(dg);
	assert_non_null(strstr(dg->message, "instruction budget exceeded (100000 instructions)"));
	assert_int_equal(dg->line, 1);
	engine_free(e);
	diags_free(&d);
	fx_rmrf(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_load_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
