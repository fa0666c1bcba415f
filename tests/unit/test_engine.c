/* Unit tests for the policy engine: results, values, config, dispatch, positions, load
 * errors and determinism (src/engine). */
#include "test_engine_fixture.h"

#include "util/buf.h"

/* Two buckets and a key; the first bucket has an unknown attribute and a null. */
static const char plan_json[] =
	"{\"rc\": [\n"
	"  {\"address\": \"aws_s3_bucket.a\", \"values\": {\"bucket\": \"a\", \"acl\": \"private\",\n"
	"     \"tags\": {\"Owner\": \"x\"}, \"n\": 3, \"f\": 1.5, \"gone\": null,\n"
	"     \"list\": [1, null, 3], \"rules\": [{\"id\": \"r0\"}, {\"id\": \"r1\", \"open\": true}]},\n"
	"   \"unknown\": {\"arn\": true, \"tags\": {}, \"rules\": [false, {\"x\": true}]}},\n"
	"  {\"address\": \"aws_s3_bucket.b\", \"values\": {\"bucket\": \"b\", \"acl\": \"public-read\"}},\n"
	"  {\"address\": \"aws_kms_key.k\", \"values\": {\"rotation\": false}},\n"
	"  {\"address\": \"aws_s3_bucket.old\", \"values\": {\"bucket\": \"old\", \"acl\": \"public-read\"}}\n"
	"]}\n";

static void make_model(struct model *m)
{
	model_init(m);
	size_t in = fx_input(m, "plan.json", plan_json);
	fx_resource(m, in, "aws_s3_bucket.a", "aws_s3_bucket", "rc.0");
	fx_resource(m, in, "aws_s3_bucket.b", "aws_s3_bucket", "rc.1");
	fx_resource(m, in, "aws_kms_key.k", "aws_kms_key", "rc.2");
	fx_resource(m, in, "aws_s3_bucket.old", "aws_s3_bucket", "rc.3")->actions = ACTION_DELETE;
}

/* Loads root, runs it over the standard model; the caller frees everything. */
struct outcome {
	struct engine *e;
	struct model m;
	struct findings f;
	struct diags d;
};

static void run_root(struct outcome *o, const char *root, const struct config *cfg)
{
	memset(o, 0, sizeof *o);
	o->e = fx_engine(root, cfg, &o->d);
	make_model(&o->m);
	engine_run(o->e, &o->m, &o->f, &o->d);
	fx_print_diags(&o->d);
}

/* Loads root, runs it over one resource, x.a of type x, whose plan entry holds members (JSON
 * text: "\"values\": {...}" and more); the caller frees everything. */
static void run_one(struct outcome *o, const char *root, const char *members)
{
	memset(o, 0, sizeof *o);
	o->e = fx_engine(root, NULL, &o->d);
	model_init(&o->m);
	char *json = xasprintf("{\"rc\": [{\"address\": \"x.a\", %s}]}", members);
	size_t in = fx_input(&o->m, "plan.json", json);
	free(json);
	fx_resource(&o->m, in, "x.a", "x", "rc.0");
	engine_run(o->e, &o->m, &o->f, &o->d);
	fx_print_diags(&o->d);
}

static void outcome_free(struct outcome *o)
{
	engine_free(o->e);
	model_free(&o->m);
	findings_free(&o->f);
	diags_free(&o->d);
}

/* Asserts that policy id reported exactly msg on the resource at address. */
static void expect_message(const struct findings *f, const char *id, const char *address,
                           const char *msg)
{
	const struct finding *x = fx_finding(f, id, address);
	assert_non_null(x);
	assert_string_equal(x->message, msg);
}

#define POLICY_HEAD(types) \
	"return { title = 'T', severity = 'medium', description = 'D', remediation = 'R',\n" \
	"  types = " types ",\n"

static void test_result_forms(void **state)
{
	(void)state;
	char *root = fx_root();
	fx_write(root, "forms/string.lua", POLICY_HEAD("{'aws_s3_bucket'}")
	         "  check = function(r) return 'bucket ' .. r.values.bucket end }\n");
	fx_write(root, "forms/table.lua", POLICY_HEAD("{'aws_s3_bucket'}")
	         "  check = function(r) if r.values.acl == 'public-read' then\n"
	         "    return { message = 'public', path = 'acl', severity = 'critical' } end end }\n");
	fx_write(root, "forms/list.lua", POLICY_HEAD("{'aws_s3_bucket'}")
	         "  check = function(r) return { 'one', { message = 'two' }, nil } end }\n");
	fx_write(root, "forms/empty.lua", POLICY_HEAD("{'aws_s3_bucket'}")
	         "  check = function(r) if r.name == 'a' then return {} end return false end }\n");
	fx_write(root, "forms/by-address.lua", POLICY_HEAD("{}")
	         "  evaluate = function(m) return { { resource = 'aws_kms_key.k', message = 'k' },\n"
	         "    'run-wide', { resource = m.find('aws_s3_bucket.b'), message = 'b' } } end }\n");
	struct outcome o;
	run_root(&o, root, NULL);
	assert_int_equal(o.d.n, 0);
	assert_int_equal(engine_policy_count(o.e), 5);
	assert_int_equal(fx_count(&o.f, "forms/string"), 2); /* "old" is destroyed: skipped */
	expect_message(&o.f, "forms/string", "aws_s3_bucket.a", "bucket a");
	const struct finding *x = fx_finding(&o.f, "forms/string", "aws_s3_bucket.a");
	assert_int_equal(x->severity, SEV_MEDIUM);
	assert_string_equal(x->title, "T");
	assert_string_equal(x->remediation, "R");
	assert_string_equal(x->type, "aws_s3_bucket");
	assert_string_equal(x->file, "plan.json");
	assert_int_equal(x->line, 2);
	assert_int_equal(fx_count(&o.f, "forms/table"), 1);
	x = fx_finding(&o.f, "forms/table", NULL);
	assert_string_equal(x->resource, "aws_s3_bucket.b");
	assert_int_equal(x->severity, SEV_CRITICAL);
	assert_string_equal(x->path, "acl");
	assert_int_equal(fx_count(&o.f, "forms/list"), 4);
	assert_int_equal(fx_count(&o.f, "forms/empty"), 0);
	assert_int_equal(fx_count(&o.f, "forms/by-address"), 3);
	x = fx_finding(&o.f, "forms/by-address", "aws_kms_key.k");
	assert_non_null(x);
	assert_string_equal(x->type, "aws_kms_key");
	assert_int_equal(x->line, 7);
	assert_non_null(fx_finding(&o.f, "forms/by-address", "aws_s3_bucket.b"));
	for (size_t i = 0; i < o.f.n; i++) {
		if (strcmp(o.f.v[i].message, "run-wide") == 0) {
			assert_null(o.f.v[i].resource);
			assert_null(o.f.v[i].file);
		}
	}
	outcome_free(&o);
	fx_rmrf(root);
}

static void test_values(void **state)
{
	(void)state;
	char *root = fx_root();
	fx_write(root, "v.lua", POLICY_HEAD("{'aws_s3_bucket'}")
	         "  check = function(r) if r.name ~= 'a' then return end\n"
	         "    local v = r.values\n"
	         "    local out = { math.type(v.n), math.type(v.f), tostring(v.gone), tostring(v.absent),\n"
	         "      tostring(moongate.is_unknown(v.arn)), tostring(v.arn == moongate.unknown),\n"
	         "      tostring(moongate.is_unknown(v.absent)), tostring(v.list[1]), tostring(v.list[2]),\n"
	         "      tostring(v.list[3]), tostring(moongate.is_unknown(v.rules[2].x)), v.rules[2].id,\n"
	         "      tostring(v.rules[2].open), v.tags.Owner, tostring(r.before), r.raw.address,\n"
	         "      tostring(rawget(r, 'values') == v), r.actions[1], r.region_state, r.format }\n"
	         "    return table.concat(out, ',') end }\n");
	struct outcome o;
	run_root(&o, root, NULL);
	assert_int_equal(o.d.n, 0);
	expect_message(&o.f, "v", "aws_s3_bucket.a", "integer,float,nil,nil,true,true,false,1,nil,3,true,r1,true,x,"
	                                "nil,aws_s3_bucket.a,true,create,none,tfplan");
	outcome_free(&o);
	fx_rmrf(root);
}

/* Resource tables share their strings across policies but never their contents: writes by
 * one policy are not seen by the next, and identity holds within a policy. */
static void test_isolation(void **state)
{
	(void)state;
	char *root = fx_root();
	fx_write(root, "a.lua", POLICY_HEAD("{'aws_s3_bucket'}")
	         "  check = function(r) r.type = 'x'; r.name = nil; r.actions[1] = 'zap' end }\n");
	fx_write(root, "b.lua", POLICY_HEAD("{'aws_s3_bucket'}")
	         "  check = function(r, ctx) local m = ctx.model\n"
	         "    return table.concat({ r.type, r.name, r.actions[1], r.region_state, r.file,\n"
	         "      tostring(m.find(r.address) == r), tostring(m.find(r.address) == m.find(r.address)),\n"
	         "      tostring(rawget(r, 'actions') ~= nil) }, ',') end }\n");
	struct outcome o;
	run_root(&o, root, NULL);
	assert_int_equal(o.d.n, 0);
	expect_message(&o.f, "b", "aws_s3_bucket.b", "aws_s3_bucket,b,create,none,plan.json,true,true,true");
	assert_null(fx_finding(&o.f, "a", "aws_s3_bucket.b"));
	outcome_free(&o);
	fx_rmrf(root);
}

/* Stores are shared by the policies of a run, views are not: s1 writes into nested objects
 * and arrays, s2 (run next) still reads the document; s3 checks identity and pairs after a
 * write, and members only after_unknown has. */
static void test_shared_views(void **state)
{
	(void)state;
	char *root = fx_root();
	fx_write(root, "s1.lua", POLICY_HEAD("{'aws_s3_bucket'}")
	         "  check = function(r) if r.name ~= 'a' then return end\n"
	         "    local v = r.values\n"
	         "    v.tags.Owner = 'w'; v.list[1] = 'zap'; table.insert(v.rules, 'extra')\n"
	         "    v.rules[1].id = 'changed'; v.bucket = nil; r.values.extra = true; r.region = 'mars'\n"
	         "    return v.tags.Owner .. r.values.tags.Owner .. #v.rules end }\n");
	fx_write(root, "s2.lua", POLICY_HEAD("{'aws_s3_bucket'}")
	         "  check = function(r) if r.name ~= 'a' then return end\n"
	         "    local v = r.values\n"
	         "    local n = 0\n"
	         "    for _ in ipairs(v.rules) do n = n + 1 end\n"
	         "    local out = { v.tags.Owner, tostring(v.list[1]), tostring(#v.rules), v.rules[1].id,\n"
	         "      tostring(v.bucket), tostring(v.extra), tostring(r.region), tostring(v == r.values),\n"
	         "      tostring(v.rules[2] == r.values.rules[2]), tostring(#v.list), tostring(n),\n"
	         "      tostring(getmetatable(v)), table.concat(v.list, '|', 3, 3) }\n"
	         "    return table.concat(out, ',') end }\n");
	fx_write(root, "s3.lua", POLICY_HEAD("{'aws_s3_bucket'}")
	         "  check = function(r) if r.name ~= 'a' then return end\n"
	         "    local t = r.values.tags; t.X = 1\n"
	         "    local v = r.values\n"
	         "    local ks, c = {}, 0\n"
	         "    for k in pairs(v) do ks[#ks + 1] = k end\n"
	         "    local k = next(r.values.tags)\n"
	         "    while k do c = c + 1; k = next(t, k) end\n"
	         "    table.sort(ks)\n"
	         "    return table.concat({ tostring(r.values.tags.X), table.concat(ks, '+'),\n"
	         "      tostring(rawget(v, 'tags') == t), tostring(moongate.is_unknown(v.arn)),\n"
	         "      tostring(getmetatable(t)), tostring(c), rawget(t, 'Owner') }, ';') end }\n");
	struct outcome o;
	run_root(&o, root, NULL);
	assert_int_equal(o.d.n, 0);
	expect_message(&o.f, "s1", "aws_s3_bucket.a", "ww3");
	expect_message(&o.f, "s2", "aws_s3_bucket.a", "x,1,2,r0,a,nil,nil,true,true,3,2,false,3");
	expect_message(&o.f, "s3", "aws_s3_bucket.a", "1;acl+arn+bucket+f+list+n+rules+tags;true;true;false;2;x");
	outcome_free(&o);
	fx_rmrf(root);
}

/* Small objects and lists of scalars (leaves) are copied whole into the first policy run that
 * reads them and become shared stores when a second run reads them: l1 writes into and
 * deletes from its copies, l2 (run next) reads the document; identity within a run, pairs, #,
 * the locked metatable, and an object over the leaf size read alike; l3 reads the stores l2
 * made. */
static void test_leaf_copies(void **state)
{
	(void)state;
	char *root = fx_root();
	fx_write(root, "l1.lua", POLICY_HEAD("{'x'}")
	         "  check = function(r) local v = r.values\n"
	         "    v.env[1].value = 'w'; v.env[2].name = nil; v.args[1] = 'zap'\n"
	         "    table.insert(v.args, 'more'); v.big.k1 = 'w'\n"
	         "    return v.env[1].value .. tostring(v.env[2].name) .. #v.args .. v.big.k1 end }\n");
	fx_write(root, "l2.lua", POLICY_HEAD("{'x'}")
	         "  check = function(r) local v, t = r.values, {}\n"
	         "    local function add(x) t[#t + 1] = tostring(x) end\n"
	         "    add(v.env[1].value); add(v.env[2].name); add(v.args[1]); add(#v.args)\n"
	         "    add(v.big.k1); add(v.env[1] == r.values.env[1]); add(v.args == r.values.args)\n"
	         "    add(getmetatable(v.env[1])); add(pcall(setmetatable, v.env[1], {}))\n"
	         "    local keys = {}\n"
	         "    for k in pairs(v.env[2]) do keys[#keys + 1] = k end\n"
	         "    table.sort(keys); add(table.concat(keys, '+')); add(next(v.args))\n"
	         "    add(moongate.contains(v.env, 'hay')); add(v.big.k17)\n"
	         "    return table.concat(t, ',') end }\n");
	fx_write(root, "l3.lua", POLICY_HEAD("{'x'}")
	         "  check = function(r) local v, n = r.values, 0\n"
	         "    for _, a in ipairs(v.args) do n = n + #a end\n"
	         "    return v.args[2] .. #v.args .. n .. v.env[2].value .. tostring(v.env[3]) end }\n");
	struct buf big = BUF_INIT;
	for (int i = 1; i <= 17; i++)
		buf_addf(&big, "%s\"k%d\": \"v%d\"", i > 1 ? ", " : "", i, i);
	char *json = xasprintf("\"values\": {"
	                       "\"env\": [{\"name\": \"A\", \"value\": \"1\"}, "
	                       "{\"name\": \"B\", \"value\": \"haystack\"}], "
	                       "\"args\": [\"a\", \"b\"], \"big\": {%s}}", buf_str(&big));
	struct outcome o;
	run_one(&o, root, json);
	expect_message(&o.f, "l1", "x.a", "wnil3w");
	expect_message(&o.f, "l2", "x.a", "1,B,a,2,v1,true,true,false,false,name+value,1,true,v17");
	expect_message(&o.f, "l3", "x.a", "b22haystacknil");
	outcome_free(&o);
	buf_free(&big);
	free(json);
	fx_rmrf(root);
}

/* The first policy to read a document object gets a young view (it holds its store and
 * shares one metatable); the next gets the store's own view metatable. y1 uses every way
 * into a young view (reads, #, rawget, rawlen, next, pairs, writes, contains, identity, the
 * locked metatable); y2 then reads the document unchanged. */
static void test_young_views(void **state)
{
	(void)state;
	char *root = fx_root();
	fx_write(root, "y1.lua", POLICY_HEAD("{'x'}")
	         "  check = function(r) local v, t = r.values, {}\n"
	         "    local function add(x) t[#t + 1] = tostring(x) end\n"
	         "    add(v.o.a.k); add(#v.l); add(rawget(v.o2, 'b')); add(rawlen(v.l2))\n"
	         "    add(next(v.o3)); local n = 0; for _ in pairs(v.o4) do n = n + 1 end; add(n)\n"
	         "    add(v.o == r.values.o); add(getmetatable(v.o)); add(moongate.contains(v.o, 'deep'))\n"
	         "    v.o.a.k = 'w'; v.o.new = 1; add(v.o.a.k); add(v.o.new); add(type(v.l[3].z))\n"
	         "    return table.concat(t, ',') end }\n");
	fx_write(root, "y2.lua", POLICY_HEAD("{'x'}")
	         "  check = function(r) local v = r.values\n"
	         "    return table.concat({ v.o.a.k, tostring(v.o.new), #v.l, v.o2.b, #v.l2,\n"
	         "      next(v.o3), tostring(getmetatable(v.o)) }, ',') end }\n");
	static const char big[] = "\"p1\": 1, \"p2\": 2, \"p3\": 3, \"p4\": 4, \"p5\": 5";
	char *json = xasprintf("\"values\": {"
	                       "\"o\": {\"a\": {\"k\": \"deep\", \"m\": [1]}, %s}, "
	                       "\"l\": [1, null, {\"z\": [2]}], \"o2\": {\"b\": \"B\", \"c\": {}, %s}, "
	                       "\"l2\": [[1], 2, 3], \"o3\": {\"only\": [0]}, "
	                       "\"o4\": {\"a\": [1], %s}}", big, big, big);
	struct outcome o;
	run_one(&o, root, json);
	expect_message(&o.f, "y1", "x.a", "deep,3,B,3,only,6,true,false,true,w,1,table");
	expect_message(&o.f, "y2", "x.a", "deep,nil,3,B,3,only,false");
	outcome_free(&o);
	free(json);
	fx_rmrf(root);
}

/* An element of a list read by index before anything else reads the list (no #, ipairs or
 * pairs first) is that policy's view like any other: writing into it, rawget and identity
 * work (it was once kept as a view of a view, and a write crashed). */
static void test_index_first(void **state)
{
	(void)state;
	char *root = fx_root();
	fx_write(root, "i1.lua", POLICY_HEAD("{'x'}")
	         "  check = function(r) local v = r.values\n"
	         "    local c = v.containers[2]; c.name = 'w'\n"
	         "    local e = v.containers[1].env[1]; e.value = 'w'\n"
	         "    return table.concat({ c.name, tostring(rawget(c, 'image')),\n"
	         "      tostring(c == v.containers[2]), e.value, tostring(#v.containers) }, ',') end }\n");
	fx_write(root, "i2.lua", POLICY_HEAD("{'x'}")
	         "  check = function(r) local v = r.values\n"
	         "    return v.containers[2].name .. v.containers[1].env[1].value end }\n");
	struct outcome o;
	run_one(&o, root,
	         "\"values\": {\"containers\": ["
	         "{\"name\": \"a\", \"env\": [{\"name\": \"K\", \"value\": \"1\"}]}, "
	         "{\"name\": \"b\", \"image\": \"i\", \"ports\": [{\"p\": 80}]}]}");
	expect_message(&o.f, "i1", "x.a", "w,i,true,w,2");
	expect_message(&o.f, "i2", "x.a", "b1");
	outcome_free(&o);
	fx_rmrf(root);
}

/* moongate.contains: views are searched in their document (escapes decoded, keys and values
 * a repeated key hides left out), other tables walked once each, the texts checked. */
static void test_contains(void **state)
{
	(void)state;
	char *root = fx_root();
	fx_write(root, "c.lua", POLICY_HEAD("{'x'}")
	         "  check = function(r)\n"
	         "    local v, t = r.values, {}\n"
	         "    local function add(x) t[#t + 1] = tostring(x) end\n"
	         "    add(moongate.contains(v, 'a.openai.azure.com'))\n"
	         "    add(moongate.contains(v, 'first'))\n"
	         "    add(moongate.contains(v, 'second'))\n"
	         "    add(moongate.contains(v, 'needle-key'))\n"
	         "    add(moongate.contains(v, { 'nope', 'deep' }))\n"
	         "    add(moongate.contains(v.tags, 'deep'))\n"
	         "    add(moongate.contains(r, 'x.a'))\n"
	         "    add(moongate.contains(v, {}))\n"
	         "    local plain = { a = { 'x', { b = 'hay needle' } } }; plain.self = plain\n"
	         "    add(moongate.contains(plain, 'needle'))\n"
	         "    add(moongate.contains(plain, 'zzz'))\n"
	         "    for _ in pairs(v) do end\n"
	         "    add(moongate.contains(v, 'second'))\n"
	         "    add(pcall(moongate.contains, v, { 1 }))\n"
	         "    return table.concat(t, ',') end }\n");
	struct outcome o;
	run_one(&o, root,
	         "\"values\": {"
	         "\"url\": \"https:\\/\\/a\\u002eopenai.azure.com\", \"k\": \"first\", "
	         "\"k\": \"second\", \"tags\": {\"needle-key\": 1}, "
	         "\"list\": [1, [2, [\"deep\"]]]}");
	expect_message(&o.f, "c", "x.a",
	               "true,false,true,false,true,false,true,false,true,false,true,false");
	outcome_free(&o);
	fx_rmrf(root);
}

/* moongate.query: every kind of step on a document (doc order, 0-based paths, holes and
 * nulls skipped, hidden repeats left out, escaped keys decoded, an object as a list of
 * itself, unknown values left out), the texts filter, the same answers for a plain table, and
 * invalid patterns. */
static void test_query(void **state)
{
	(void)state;
	char *root = fx_root();
	fx_write(root, "q.lua", POLICY_HEAD("{'x'}")
	         "  check = function(r)\n"
	         "    local v, t = r.values, {}\n"
	         "    local function q(x, p, texts)\n"
	         "      local vals, paths = moongate.query(x, p, texts)\n"
	         "      local s = {}\n"
	         "      for i, val in ipairs(vals) do\n"
	         "        if type(val) == 'table' then val = 'T' .. tostring(val.name) end\n"
	         "        s[#s + 1] = paths[i] .. '=' .. tostring(val)\n"
	         "      end\n"
	         "      t[#t + 1] = table.concat(s, ' ')\n"
	         "    end\n"
	         "    q(v, 'c[*].env[*].value')\n"
	         "    q(v, 'c.1.name')\n"
	         "    q(v, 'm.*')\n"
	         "    q(v, 'one[*].name')\n"
	         "    q(v, 'one[0].name')\n"
	         "    q(v, 'one[1].name')\n"
	         "    q(v, 'empty[*]')\n"
	         "    q(v, 'holes.*')\n"
	         "    q(v, 'c[*]')\n"
	         "    q(v, 'c[*].env[*].value', { 'hay', 'zzz' })\n"
	         "    q(v, 'c[*]', 'needle')\n"
	         "    q(v, 'rules.*')\n"
	         "    q(v, 'arn')\n"
	         "    q(v, '')\n"
	         "    t[#t + 1] = tostring(moongate.is_unknown(moongate.query(v, 'rules[0]')[1].x))\n"
	         "    q(r, 'values.c.0.name')\n"
	         "    q(r, 'address')\n"
	         "    q('abc', '')\n"
	         "    q('abc', 'x')\n"
	         "    t[#t + 1] = #moongate.query(v, ('x.'):rep(63) .. 'x')\n"
	         "    local ok, err = pcall(moongate.query, v, ('x.'):rep(64) .. 'x')\n"
	         "    t[#t + 1] = tostring(ok) .. ':' .. tostring(err):match('has more than %d+ steps')\n"
	         "    ok, err = pcall(moongate.query, v, 'a\\0b')\n"
	         "    t[#t + 1] = tostring(ok) .. ':' .. tostring(err):match('invalid pattern.*$')\n"
	         "    local plain = { c = { { name = 'p', env = { { value = 'v1' }, { value = 'hay' } } } },\n"
	         "                    one = { name = 'solo' } }\n"
	         "    q(plain, 'c[*].env[*].value')\n"
	         "    q(plain, 'one[*].name')\n"
	         "    q(plain, 'c.0.env.1.value', 'hay')\n"
	         "    for _, p in ipairs({ 'a..b', 'a.', 'a[x]', 'a[1', '.a' }) do\n"
	         "      local ok, err = pcall(moongate.query, v, p)\n"
	         "      t[#t + 1] = tostring(ok) .. ':' .. tostring(err):match('invalid pattern.*$')\n"
	         "    end\n"
	         "    return table.concat(t, '|') end }\n");
	struct outcome o;
	run_one(&o, root,
	         "\"values\": {"
	         "\"c\": [{\"name\": \"a\", \"env\": [{\"name\": \"K\", \"value\": \"1\"}]}, "
	         "{\"name\": \"b\", \"env\": [null, {\"value\": \"hay needle\"}, "
	         "{\"value\": 2}]}], "
	         "\"m\": {\"z\": \"first\", \"a\\u002eb\": \"x\", \"z\": \"last\", \"n\": null}, "
	         "\"one\": {\"name\": \"solo\"}, \"empty\": {}, "
	         "\"holes\": [null, \"h\"], \"rules\": [{\"id\": 1}], \"arn\": null}, "
	         "\"unknown\": {\"arn\": true, \"rules\": [{\"x\": true}]}");
	expect_message(&o.f, "q", "x.a",
	               "c.0.env.0.value=1 c.1.env.1.value=hay needle c.1.env.2.value=2"
	               "|c.1.name=b"
	               "|m.a.b=x m.z=last"
	               "|one.0.name=solo"
	               "|one.0.name=solo"
	               "|"
	               "|"
	               "|holes.1=h"
	               "|c.0=Ta c.1=Tb"
	               "|c.1.env.1.value=hay needle"
	               "|c.1=Tb"
	               "|rules.0=Tnil"
	               "|"
	               "|=Tnil"
	               "|true"
	               "|values.c.0.name=a"
	               "|address=x.a"
	               "|=abc"
	               "|"
	               "|0"
	               "|false:has more than 64 steps"
	               "|false:invalid pattern 'a': a NUL byte at offset 1"
	               "|c.0.env.0.value=v1 c.0.env.1.value=hay"
	               "|one.0.name=solo"
	               "|c.0.env.1.value=hay"
	               "|false:invalid pattern 'a..b': empty step at offset 2"
	               "|false:invalid pattern 'a.': empty step at offset 2"
	               "|false:invalid pattern 'a[x]': '[*]' or '[n]' expected at offset 1"
	               "|false:invalid pattern 'a[1': '[*]' or '[n]' expected at offset 1"
	               "|false:invalid pattern '.a': empty step at offset 0");
	outcome_free(&o);
	fx_rmrf(root);
}

/* A resource table kept by a policy from an earlier run of the same engine (as `moongate
 * test` runs one engine per fixture) reads nothing of the next run's model. */
static void test_kept_across_runs(void **state)
{
	(void)state;
	char *root = fx_root();
	fx_write(root, "keep.lua", "local kept\n" POLICY_HEAD("{'aws_s3_bucket'}")
	         "  check = function(r) if r.name ~= 'a' then return end\n"
	         "    if not kept then kept = r return 'first' end\n"
	         "    return table.concat({ tostring(kept.values), kept.name, tostring(kept == r) }, ' ')\n"
	         "  end }\n");
	struct diags d = {0};
	struct engine *e = fx_engine(root, NULL, &d);
	struct model m1, m2;
	struct findings f1 = {0}, f2 = {0};
	make_model(&m1);
	engine_run(e, &m1, &f1, &d);
	expect_message(&f1, "keep", "aws_s3_bucket.a", "first");
	make_model(&m2);
	engine_run(e, &m2, &f2, &d);
	expect_message(&f2, "keep", "aws_s3_bucket.a", "nil a false");
	assert_int_equal(d.n, 0);
	engine_free(e);
	model_free(&m1);
	model_free(&m2);
	findings_free(&f1);
	findings_free(&f2);
	diags_free(&d);
	fx_rmrf(root);
}

static void test_cannot_verify(void **state)
{
	(void)state;
	char *root = fx_root();
	fx_write(root, "cv.lua", "return { title = 'T', severity = 'critical', description = 'D',\n"
	         "  types = {'aws_s3_bucket'},\n"
	         "  check = function(r)\n"
	         "    if moongate.is_unknown(r.values.arn) then return moongate.cannot_verify('arn unknown', 'arn') end\n"
	         "    if r.name == 'b' then return { message = 'm', cannot_verify = true, severity = 'high' } end\n"
	         "  end }\n");
	struct outcome o;
	run_root(&o, root, NULL);
	const struct finding *a = fx_finding(&o.f, "cv", "aws_s3_bucket.a");
	const struct finding *b = fx_finding(&o.f, "cv", "aws_s3_bucket.b");
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a->cannot_verify);
	assert_int_equal(a->severity, SEV_LOW);
	assert_string_equal(a->path, "arn");
	assert_true(b->cannot_verify);
	assert_int_equal(b->severity, SEV_HIGH);
	outcome_free(&o);
	fx_rmrf(root);
}

static void test_types_dispatch(void **state)
{
	(void)state;
	char *root = fx_root();
	fx_write(root, "glob.lua", POLICY_HEAD("{'aws_s3_*', '*_key'}")
	         "  check = function(r) return r.address end }\n");
	fx_write(root, "all.lua", "return { title = 'T', severity = 'low', description = 'D',\n"
	         "  check = function(r) return r.address end }\n");
	fx_write(root, "none.lua", POLICY_HEAD("{'azurerm_*'}")
	         "  check = function(r) return r.address end }\n");
	fx_write(root, "destroyed.lua", POLICY_HEAD("{'aws_s3_bucket'}")
	         "  include_destroyed = true,\n"
	         "  check = function(r) return r.address end }\n");
	struct outcome o;
	run_root(&o, root, NULL);
	assert_int_equal(o.d.n, 0);
	assert_int_equal(fx_count(&o.f, "glob"), 3);
	assert_int_equal(fx_count(&o.f, "all"), 3);
	assert_null(fx_finding(&o.f, "all", "aws_s3_bucket.old"));
	assert_int_equal(fx_count(&o.f, "none"), 0);
	assert_int_equal(fx_count(&o.f, "destroyed"), 3);
	assert_non_null(fx_finding(&o.f, "destroyed", "aws_s3_bucket.old"));
	outcome_free(&o);
	fx_rmrf(root);
}

static void test_evaluate_model(void **state)
{
	(void)state;
	char *root = fx_root();
	fx_write(root, "ev.lua", "return { title = 'T', severity = 'info', description = 'D',\n"
	         "  evaluate = function(m, ctx)\n"
	         "    local b = m.by_type('aws_s3_*')\n"
	         "    local k = m.find('aws_kms_key.k')\n"
	         "    local out = { #m.resources, #b, b[1].address, k.type, tostring(m.find('nope')),\n"
	         "      tostring(m.find('aws_s3_bucket.old')), m.files[1], tostring(ctx.model == m),\n"
	         "      tostring(m.find('aws_s3_bucket.a') == b[1]), tostring(m.resources[1] == b[1]) }\n"
	         "    return { { message = table.concat(out, ','), resource = k } }\n"
	         "  end }\n");
	struct outcome o;
	run_root(&o, root, NULL);
	assert_int_equal(o.d.n, 0);
	expect_message(&o.f, "ev", "aws_kms_key.k", "3,2,aws_s3_bucket.a,aws_kms_key,nil,nil,plan.json,true,true,true");
	const struct finding *x = fx_finding(&o.f, "ev", "aws_kms_key.k");
	assert_int_equal(x->severity, SEV_INFO);
	outcome_free(&o);
	fx_rmrf(root);
}

static void test_positions(void **state)
{
	(void)state;
	char *root = fx_root();
	fx_write(root, "pos.lua", POLICY_HEAD("{'aws_s3_bucket'}")
	         "  check = function(r)\n"
	         "    if r.name == 'a' then return { { message = 'open', path = 'rules.1.open' },\n"
	         "      { message = 'missing', path = 'no.such' }, { message = 'tag', path = 'tags.Owner' } } end\n"
	         "  end }\n");
	struct outcome o;
	run_root(&o, root, NULL);
	assert_int_equal(fx_count(&o.f, "pos"), 3);
	for (size_t i = 0; i < o.f.n; i++) {
		const struct finding *x = &o.f.v[i];
		if (strcmp(x->message, "open") == 0) {
			assert_int_equal(x->line, 4);
			assert_int_equal(x->column, 73); /* the value true after "open": */
		} else if (strcmp(x->message, "missing") == 0) {
			assert_int_equal(x->line, 2); /* the resource itself */
			assert_int_equal(x->column, 3);
		} else {
			assert_int_equal(x->line, 3);
			assert_int_equal(x->column, 24); /* the opening quote of "x" */
		}
	}
	outcome_free(&o);
	fx_rmrf(root);
}

/* Columns count characters, not bytes: a resource after multi-byte text on one line. */
static void test_positions_utf8(void **state)
{
	(void)state;
	char *root = fx_root();
	fx_write(root, "pos.lua", POLICY_HEAD("{'aws_s3_bucket'}")
	         "  check = function(r) return r.line .. ':' .. r.column end }\n");
	struct diags d = {0};
	struct engine *e = fx_engine(root, NULL, &d);
	struct model m;
	model_init(&m);
	size_t in = fx_input(&m, "one.json", "{\"rc\": [{\"address\": \"ééééé€€€€€ 𝄞𝄞\", \"values\": {}}, {\"address\": \"aws_s3_bucket.u\", \"values\": {}}]}");
	fx_resource(&m, in, "x.y", "x", "rc.0");
	fx_resource(&m, in, "aws_s3_bucket.u", "aws_s3_bucket", "rc.1");
	struct findings f = {0};
	engine_run(e, &m, &f, &d);
	const struct finding *x = fx_finding(&f, "pos", "aws_s3_bucket.u");
	assert_non_null(x);
	assert_string_equal(x->message, "1:53");
	findings_free(&f);
	model_free(&m);
	/* a line longer than the 4,080 bytes the column counter takes in one block */
	struct buf long_line = {0};
	buf_adds(&long_line, "{\"rc\": [{\"address\": \"");
	for (int i = 0; i < 3000; i++)
		buf_adds(&long_line, "\xc3\xa9");
	buf_adds(&long_line, "\", \"values\": {}}, {\"address\": \"aws_s3_bucket.u\", \"values\": {}}]}");
	model_init(&m);
	in = fx_input(&m, "long.json", buf_str(&long_line));
	fx_resource(&m, in, "x.y", "x", "rc.0");
	fx_resource(&m, in, "aws_s3_bucket.u", "aws_s3_bucket", "rc.1");
	memset(&f, 0, sizeof f);
	engine_run(e, &m, &f, &d);
	expect_message(&f, "pos", "aws_s3_bucket.u", "1:3040");
	buf_free(&long_line);
	engine_free(e);
	model_free(&m);
	findings_free(&f);
	diags_free(&d);
	fx_rmrf(root);
}

static void test_load_errors(void **state)
{
	(void)state;
	char *root = fx_root();
	fx_write(root, "bad/syntax.lua", "return {\n  title = 'T',\n  severity = = 'low',\n}\n");
	fx_write(root, "bad/no-title.lua", "return { severity = 'low', description = 'D',\n"
	         "  check = function() end }\n");
	fx_write(root, "bad/severity.lua", "return { title = 'T',\n  description = 'D',\n"
	         "  severity   = 'severe',\n  check = function() end }\n");
	fx_write(root, "bad/no-check.lua", "return { title = 'T', severity = 'low', description = 'D' }\n");
	fx_write(root, "bad/types.lua", "return { title = 'T', severity = 'low', description = 'D',\n"
	         "  types = 'aws_s3_bucket', check = function() end }\n");
	fx_write(root, "bad/runtime.lua", "local x = nil\nreturn x.field\n");
	fx_write(root, "bad/not-table.lua", "return 42\n");
	fx_write(root, "good.lua", POLICY_HEAD("{'aws_kms_key'}") "  check = function(r) return 'k' end }\n");
	fx_write(root, "lib/helper.lua", "this is not lua, and not a policy either\n");
	fx_write(root, "good.tests/case.lua", "not lua: test directories are skipped\n");
	fx_write(root, "good_test.lua", "not lua: test files are skipped\n");
	struct outcome o;
	run_root(&o, root, NULL);
	assert_int_equal(engine_policy_count(o.e), 1);
	assert_string_equal(engine_policy(o.e, 0)->id, "good");
	assert_int_equal(fx_count(&o.f, "good"), 1);
	assert_int_equal(diags_count(&o.d, DIAG_POLICY), 7);
	const struct { const char *id; unsigned line; const char *text; } want[] = {
		{"bad/syntax", 3, "unexpected symbol near '='"},
		{"bad/no-title", 1, "'title'"},
		{"bad/severity", 3, "unknown severity 'severe'"},
		{"bad/no-check", 1, "neither a 'check' nor an 'evaluate'"},
		{"bad/types", 2, "'types' must be a list of strings"},
		{"bad/runtime", 2, "attempt to index a nil value"},
		{"bad/not-table", 1, "must return a table, got number"},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct diag *dg = fx_diag(&o.d, want[i].id);
		assert_non_null(dg);
		char *file = xasprintf("%s/%s.lua", root, want[i].id);
		assert_string_equal(dg->file, file);
		free(file);
		assert_int_equal(dg->line, want[i].line);
		if (!strstr(dg->message, want[i].text))
			fail_msg("%s: '%s' lacks '%s'", want[i].id, dg->message, want[i].text);
	}
	outcome_free(&o);
	fx_rmrf(root);
}

/* A config made by hand: the config loader is tested on its own. */
static void make_config(struct config *cfg, struct config_policy *entries, size_t n)
{
	config_init(cfg);
	doc_init(&cfg->doc, ".moongate.yaml");
	const char *text = "{\"params\": {\"region\": \"eu\", \"max\": 5},"
	                   " \"p\": {\"max\": 7, \"list\": [1, 2]}}";
	cfg->doc.src.data = xstrdup(text);
	cfg->doc.src.len = strlen(text);
	struct json_error err;
	assert_true(json_parse(&cfg->doc, NULL, &err));
	cfg->root = cfg->doc.roots[0];
	cfg->params = doc_get(&cfg->doc, cfg->root, "params");
	cfg->policies = entries;
	cfg->npolicies = n;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(entries[i].id, "conf/params") == 0)
			entries[i].params = doc_get(&cfg->doc, cfg->root, "p");
	}
}

static void test_config(void **state)
{
	(void)state;
	char *root = fx_root();
	const char *body = "  params = { max = 1, mode = 'strict' },\n"
	                   "  check = function(r, ctx) local p = ctx.params\n"
	                   "    return string.format('%s %s %s %s %s %s %s %s', tostring(p.max), p.mode,\n"
	                   "      tostring(p.region), tostring(p.list and #p.list), tostring(ctx.configured('max')),\n"
	                   "      tostring(ctx.configured('mode')), ctx.policy, ctx.severity) end }\n";
	char *src = xasprintf("%s%s", POLICY_HEAD("{'aws_kms_key'}"), body);
	fx_write(root, "conf/params.lua", src);
	fx_write(root, "conf/off.lua", src);
	free(src);
	struct config_policy entries[] = {
		{"conf/params", -1, SEV_CRITICAL, DOC_NONE, 1, -1},
		{"conf/off", 0, -1, DOC_NONE, 2, -1},
	};
	struct config cfg;
	make_config(&cfg, entries, 2);
	struct outcome o;
	run_root(&o, root, &cfg);
	assert_int_equal(o.d.n, 0);
	expect_message(&o.f, "conf/params", NULL, "7 strict eu 2 true false conf/params critical");
	const struct finding *x = fx_finding(&o.f, "conf/params", NULL);
	assert_int_equal(x->severity, SEV_CRITICAL);
	assert_int_equal(fx_count(&o.f, "conf/off"), 0);
	const struct policy_info *off = engine_policy(o.e, 0);
	assert_string_equal(off->id, "conf/off");
	assert_false(off->enabled);
	const struct policy_info *pi = engine_policy(o.e, 1);
	assert_true(pi->enabled);
	assert_int_equal(pi->severity, SEV_CRITICAL);
	assert_string_equal(pi->defaults_json, "{\"max\":1,\"mode\":\"strict\"}");
	assert_string_equal(pi->params_json,
	                    "{\"list\":[1,2],\"max\":7,\"mode\":\"strict\",\"region\":\"eu\"}");
	outcome_free(&o);
	fx_rmrf(root);
	cfg.policies = NULL;
	cfg.npolicies = 0;
	config_free(&cfg);
}

static void test_policy_info(void **state)
{
	(void)state;
	char *root = fx_root();
	fx_write(root, "b.lua", "return { title = 'Title B', severity = 'HIGH', description = 'Desc',\n"
	         "  tags = { 'x', 'y' }, references = { 'https://a', 'https://b' },\n"
	         "  types = { 'aws_*', 'google_*' },\n"
	         "  params = { z = { 2, 1 }, a = { k = true, f = 0.5 }, e = {} },\n"
	         "  check = function() end }\n");
	fx_write(root, "a.lua", "return { title = 'A', severity = 'info', description = 'D',\n"
	         "  evaluate = function() end }\n");
	struct diags d = DIAGS_INIT;
	struct engine *e = fx_engine(root, NULL, &d);
	assert_int_equal(d.n, 0);
	assert_int_equal(engine_policy_count(e), 2);
	const struct policy_info *a = engine_policy(e, 0), *b = engine_policy(e, 1);
	assert_string_equal(a->id, "a");
	assert_string_equal(a->params_json, "[]");
	assert_string_equal(a->tags, "");
	assert_null(a->remediation);
	assert_string_equal(b->id, "b");
	assert_false(b->builtin);
	assert_true(b->enabled);
	assert_int_equal(b->severity, SEV_HIGH);
	assert_string_equal(b->title, "Title B");
	assert_string_equal(b->tags, "x,y");
	assert_string_equal(b->types, "aws_*,google_*");
	assert_string_equal(b->references, "https://a\nhttps://b");
	assert_string_equal(b->defaults_json, "{\"a\":{\"f\":0.5,\"k\":true},\"e\":[],\"z\":[2,1]}");
	assert_string_equal(b->params_json, b->defaults_json);
	char *file = xasprintf("%s/b.lua", root);
	assert_string_equal(b->file, file);
	free(file);
	assert_null(engine_policy(e, 2));
	engine_free(e);
	diags_free(&d);
	fx_rmrf(root);
}

static void test_require(void **state)
{
	(void)state;
	char *root = fx_root();
	fx_write(root, "lib/shared.lua", "local M = { n = 0 }\nfunction M.bump() M.n = M.n + 1 return M.n end\n"
	         "M.inner = require('lib.sub.inner')\nreturn M\n");
	fx_write(root, "lib/sub/inner.lua", "return { value = 'inner' }\n");
	fx_write(root, "lib/broken.lua", "return {\n  oops = ,\n}\n");
	const char *user = POLICY_HEAD("{'aws_kms_key'}")
		"  check = function(r) local s = require('lib.shared')\n"
		"    s.bump(); s.bump(); s.inner.value = s.inner.value .. '!'\n"
		"    return tostring(require('lib.shared') == s) .. ' ' .. s.n .. ' ' .. s.inner.value end }\n";
	fx_write(root, "one.lua", user);
	fx_write(root, "two.lua", user);
	fx_write(root, "broken.lua", POLICY_HEAD("{'aws_kms_key'}")
	         "  check = function(r) return require('lib.broken') end }\n");
	fx_write(root, "missing.lua", POLICY_HEAD("{'aws_kms_key'}")
	         "  check = function(r) return require('lib.nothing') end }\n");
	struct outcome o;
	run_root(&o, root, NULL);
	assert_string_equal(fx_finding(&o.f, "one", NULL)->message, "true 2 inner!");
	assert_string_equal(fx_finding(&o.f, "two", NULL)->message, "true 2 inner!");
	const struct diag *dg = fx_diag(&o.d, "broken");
	assert_non_null(dg);
	assert_non_null(strstr(dg->file, "lib/broken.lua"));
	assert_int_equal(dg->line, 2);
	dg = fx_diag(&o.d, "missing");
	assert_non_null(dg);
	assert_non_null(strstr(dg->message, "module 'lib.nothing' not found"));
	outcome_free(&o);
	fx_rmrf(root);
}

/* The built-in policies share one instance of each library module. An organisation's
 * lib/util.lua replaces the built-in one for them too; when it fails, every built-in policy
 * that needs it reports the module's error (a failed load is not taken for a require loop
 * by the next policy). */
static void test_pack_modules(void **state)
{
	(void)state;
	char *root = fx_root();
	fx_write(root, "lib/util.lua", "error('util is broken')\n");
	const char *dirs[1] = {root};
	struct engine_options opts = {.builtin = true, .policy_dirs = dirs, .npolicy_dirs = 1};
	struct diags d = {0};
	struct engine *e = engine_new(&opts, &d);
	size_t broken = 0;
	for (size_t i = 0; i < d.n; i++) {
		assert_null(strstr(d.v[i].message, "require loop"));
		broken += strstr(d.v[i].message, "util is broken") != NULL;
	}
	assert_true(broken >= 2);
	assert_true(engine_policy_count(e) > 0); /* those without lib.util still load */
	engine_free(e);
	diags_free(&d);
	fx_rmrf(root);
}

static void test_determinism(void **state)
{
	(void)state;
	char *root = fx_root();
	fx_write(root, "z.lua", POLICY_HEAD("{'aws_*'}")
	         "  check = function(r) local out = {}\n"
	         "    for k, v in pairs(r.values) do out[#out + 1] = { message = k } end\n"
	         "    table.sort(out, function(a, b) return a.message < b.message end)\n"
	         "    return out end }\n");
	fx_write(root, "a.lua", POLICY_HEAD("{'aws_*'}") "  check = function(r) return r.address end }\n");
	struct outcome o1, o2;
	run_root(&o1, root, NULL);
	run_root(&o2, root, NULL);
	assert_true(o1.f.n > 5);
	struct findings again = FINDINGS_INIT; /* the same engine runs a second model the same way */
	struct model m2;
	make_model(&m2);
	engine_run(o1.e, &m2, &again, &o1.d);
	assert_int_equal(again.n, o1.f.n);
	for (size_t i = 0; i < again.n; i++)
		assert_string_equal(again.v[i].message, o1.f.v[i].message);
	findings_free(&again);
	model_free(&m2);
	assert_int_equal(o1.f.n, o2.f.n);
	assert_string_equal(o1.f.v[0].policy, "a"); /* policies run sorted by id */
	for (size_t i = 0; i < o1.f.n; i++) {
		assert_string_equal(o1.f.v[i].policy, o2.f.v[i].policy);
		assert_string_equal(o1.f.v[i].message, o2.f.v[i].message);
		assert_string_equal(o1.f.v[i].resource, o2.f.v[i].resource);
	}
	outcome_free(&o1);
	outcome_free(&o2);
	fx_rmrf(root);
}

/* The built-in pack loads cleanly, and an organisation policy replaces a built-in by id. */
static void test_builtin_override(void **state)
{
	(void)state;
	struct diags d = DIAGS_INIT;
	struct engine_options opts = {.builtin = true};
	struct engine *e = engine_new(&opts, &d);
	fx_print_diags(&d);
	assert_int_equal(diags_count(&d, DIAG_POLICY), 0);
	size_t n = engine_policy_count(e);
	assert_true(n > 0);
	char *id = xstrdup(engine_policy(e, 0)->id);
	assert_true(engine_policy(e, 0)->builtin);
	engine_free(e);
	diags_free(&d);

	char *root = fx_root();
	char *rel = xasprintf("%s.lua", id);
	fx_write(root, rel, "return { title = 'Org', severity = 'low', description = 'D',\n"
	         "  check = function() end }\n");
	const char *dirs[1] = {root};
	opts.policy_dirs = dirs;
	opts.npolicy_dirs = 1;
	e = engine_new(&opts, &d);
	assert_int_equal(engine_policy_count(e), n);
	assert_string_equal(engine_policy(e, 0)->id, id);
	assert_false(engine_policy(e, 0)->builtin);
	assert_string_equal(engine_policy(e, 0)->title, "Org");
	engine_free(e);
	diags_free(&d);
	free(rel);
	free(id);
	fx_rmrf(root);
}

/* Malformed results are policy errors at the line of the function that returned them. */
static void test_bad_results(void **state)
{
	(void)state;
	char *root = fx_root();
	static const struct { const char *id, *src, *text; unsigned line; } cases[] = {
		{"no-message", "  check = function(r) return { { path = 'x' } } end }\n",
		 "a finding needs a string message, got nil", 3},
		{"bad-severity", "  check = function(r) return { message = 'm', severity = 'urgent' } end }\n",
		 "finding severity 'urgent' is not info, low, medium, high or critical", 3},
		{"bad-path", "  check = function(r) return { message = 'm', path = 3 } end }\n",
		 "finding path must be a string, got number", 3},
		{"bad-type", "  check = function(r) return true end }\n",
		 "a result must be a message or a finding table, got boolean", 3},
		{"bad-resource", "\n\n  evaluate = function(m) return { message = 'm', resource = {} } end }\n",
		 "finding resource table is not a resource of this run", 5},
	};
	fx_write(root, "partial.lua", POLICY_HEAD("{'aws_s3_bucket'}")
	         "  check = function(r) if r.name == 'b' then error('boom') end return 'seen ' .. r.name end }\n");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *rel = xasprintf("%s.lua", cases[i].id);
		char *src = xasprintf("%s%s", POLICY_HEAD("{'aws_kms_key'}"), cases[i].src);
		fx_write(root, rel, src);
		free(rel);
		free(src);
	}
	struct outcome o;
	run_root(&o, root, NULL);
	assert_int_equal(diags_count(&o.d, DIAG_POLICY), sizeof cases / sizeof cases[0] + 1);
	/* A policy that fails keeps the findings it made before, and stops. */
	assert_int_equal(fx_count(&o.f, "partial"), 1);
	assert_string_equal(fx_finding(&o.f, "partial", NULL)->message, "seen a");
	const struct diag *pd = fx_diag(&o.d, "partial");
	assert_non_null(pd);
	assert_non_null(strstr(pd->message, "error while checking 'aws_s3_bucket.b': boom"));
	assert_non_null(strstr(pd->message, "stack traceback:"));
	assert_int_equal(pd->line, 3);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct diag *dg = fx_diag(&o.d, cases[i].id);
		assert_non_null(dg);
		if (!strstr(dg->message, cases[i].text))
			fail_msg("%s: '%s' lacks '%s'", cases[i].id, dg->message, cases[i].text);
		assert_int_equal(dg->line, cases[i].line);
	}
	outcome_free(&o);
	fx_rmrf(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_result_forms),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_isolation),
		cmocka_unit_test(test_shared_views),
		cmocka_unit_test(test_leaf_copies),
		cmocka_unit_test(test_index_first),
		cmocka_unit_test(test_young_views),
		cmocka_unit_test(test_contains),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_kept_across_runs),
		cmocka_unit_test(test_cannot_verify),
		cmocka_unit_test(test_types_dispatch),
		cmocka_unit_test(test_evaluate_model),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_positions_utf8),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_bad_results),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_policy_info),
		cmocka_unit_test(test_require),
		cmocka_unit_test(test_pack_modules),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_builtin_override),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
