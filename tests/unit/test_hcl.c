/* Unit tests for the HCL block scanner (tfsrc/hcl.c): blocks, attributes, nested blocks,
 * strings, templates, heredocs, comments, ignore comments, lookups and bad input. */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tfsrc/hcl.h"
#include "util/buf.h"
#include "util/xalloc.h"

/* Scans text; warnings land in d (may be NULL). */
static void scan(struct hcl_file *f, const char *text, struct diags *d)
{
	memset(f, 0, sizeof *f);
	hcl_scan(f, text, strlen(text), "t.tf", d);
}

/* The block named name, failing the test when absent. */
static const struct hcl_block *block(const struct hcl_file *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].name, name) == 0)
			return &f->v[i];
	fail_msg("no block named '%s'", name);
	return NULL;
}

/* The line of the attribute written exactly at path (0 when not written exactly). */
static unsigned attr_line(const struct hcl_block *b, const char *path)
{
	bool exact;
	const struct hcl_attr *a = hcl_block_attr(b, path, &exact);
	return a && exact ? a->line : 0;
}

static void test_blocks(void **state)
{
	(void)state;
	struct hcl_file f;
	scan(&f,
	     "terraform {\n"                                 /* 1 */
	     "  required_version = \">= 1.5\"\n"
	     "}\n"
	     "\n"
	     "resource \"aws_s3_bucket\" \"logs\" {\n"       /* 5 */
	     "  bucket = \"logs\"\n"
	     "}\n"
	     "data aws_region \"current\" {}\n"              /* 8 */
	     "  module \"app\" {\n"                          /* 9 */
	     "  source = \"./modules/app\"\n"
	     "  count  = 2\n"
	     "}\n"
	     "variable \"region\" { default = \"eu-west-1\" }\n"
	     "module \"remote\" {\n"                         /* 14 */
	     "  source  = \"terraform-aws-modules/vpc/aws\"\n"
	     "  version = \"5.0.0\"\n"
	     "}\n"
	     "module \"computed\" {\n"                       /* 18 */
	     "  source = \"./${var.x}\"\n"
	     "}\n"
	     "module \"odd\" {\n"                            /* 21 */
	     "  source = \"./a\" # the module\n"
	     "}\n",
	     NULL);
	assert_int_equal(f.n, 6);
	assert_int_equal(f.v[0].kind, HCL_RESOURCE);
	assert_string_equal(f.v[0].type, "aws_s3_bucket");
	assert_string_equal(f.v[0].name, "logs");
	assert_int_equal(f.v[0].line, 5);
	assert_int_equal(f.v[0].column, 1);
	assert_int_equal(f.v[1].kind, HCL_DATA);
	assert_string_equal(f.v[1].type, "aws_region");
	assert_string_equal(f.v[1].name, "current");
	assert_int_equal(f.v[1].line, 8);
	assert_int_equal(f.v[2].kind, HCL_MODULE);
	assert_null(f.v[2].type);
	assert_int_equal(f.v[2].line, 9);
	assert_int_equal(f.v[2].column, 3);
	assert_string_equal(f.v[2].source, "./modules/app");
	assert_string_equal(block(&f, "remote")->source, "terraform-aws-modules/vpc/aws");
	assert_null(block(&f, "computed")->source);
	assert_string_equal(block(&f, "odd")->source, "./a");
	assert_int_equal(attr_line(&f.v[0], "bucket"), 6);
	assert_int_equal(attr_line(&f.v[2], "count"), 11);
	hcl_file_free(&f);
}

static const char nested_src[] =
	"resource \"azurerm_storage_account\" \"sa\" {\n"      /* 1 */
	"  name = \"sa\"\n"
	"  network_rules {\n"                                   /* 3 */
	"    default_action = \"Allow\"\n"
	"    ip_rules       = [\"1.2.3.4\"]\n"
	"  }\n"
	"  tags = {\n"                                          /* 7 */
	"    Owner = \"team\"\n"
	"    \"cost-center\" = 12\n"
	"    nested = { deep = true, other: 1 }\n"              /* 10 */
	"  }\n"
	"}\n"
	"resource \"aws_security_group\" \"sg\" {\n"           /* 13 */
	"  ingress {\n"
	"    from_port   = 22\n"                                /* 15 */
	"    cidr_blocks = [\"10.0.0.0/8\"]\n"
	"  }\n"
	"  ingress {\n"                                         /* 18 */
	"    from_port = 443\n"
	"    cidr_blocks = [\n"                                 /* 20 */
	"      \"0.0.0.0/0\",\n"
	"    ]\n"
	"  }\n"
	"  dynamic \"egress\" {\n"                              /* 24 */
	"    for_each = var.rules\n"
	"    content {\n"
	"      to_port = egress.value\n"                        /* 27 */
	"    }\n"
	"  }\n"
	"  lifecycle { ignore_changes = [tags] }\n"             /* 30 */
	"}\n";

static void test_nested_paths(void **state)
{
	(void)state;
	struct hcl_file f;
	struct diags d = DIAGS_INIT;
	scan(&f, nested_src, &d);
	assert_int_equal(d.n, 0);
	assert_int_equal(f.n, 2);
	const struct hcl_block *sa = &f.v[0], *sg = &f.v[1];
	assert_int_equal(attr_line(sa, "network_rules"), 3);
	assert_int_equal(attr_line(sa, "network_rules.default_action"), 4);
	assert_int_equal(attr_line(sa, "network_rules.0.default_action"), 4);
	assert_int_equal(attr_line(sa, "network_rules.0.ip_rules"), 5);
	assert_int_equal(attr_line(sa, "tags"), 7);
	assert_int_equal(attr_line(sa, "tags.Owner"), 8);
	assert_int_equal(attr_line(sa, "tags.cost-center"), 9);
	assert_int_equal(attr_line(sa, "tags.nested.deep"), 10);
	assert_int_equal(attr_line(sa, "tags.nested.other"), 10);
	assert_int_equal(attr_line(sg, "ingress.0.from_port"), 15);
	assert_int_equal(attr_line(sg, "ingress.from_port"), 15);
	assert_int_equal(attr_line(sg, "ingress.1"), 18);
	assert_int_equal(attr_line(sg, "ingress.1.from_port"), 19);
	assert_int_equal(attr_line(sg, "ingress.1.cidr_blocks"), 20);
	assert_int_equal(attr_line(sg, "egress.0"), 24);
	assert_int_equal(attr_line(sg, "egress.0.to_port"), 27);
	assert_int_equal(attr_line(sg, "egress.0.for_each"), 0);
	assert_int_equal(attr_line(sg, "lifecycle.0.ignore_changes"), 30);
	/* the column of a nested attribute counts from 1 */
	bool exact;
	const struct hcl_attr *a = hcl_block_attr(sg, "ingress.1.from_port", &exact);
	assert_non_null(a);
	assert_int_equal(a->column, 5);
	assert_false(a->is_block);
	assert_true(hcl_block_attr(sg, "ingress.1", NULL)->is_block);
	hcl_file_free(&f);
	diags_free(&d);
}

static void test_lookup_prefix(void **state)
{
	(void)state;
	struct hcl_file f;
	scan(&f, nested_src, NULL);
	const struct hcl_block *sa = &f.v[0], *sg = &f.v[1];
	bool exact = true;
	const struct hcl_attr *a = hcl_block_attr(sa, "tags.Name", &exact);
	assert_non_null(a);
	assert_false(exact);
	assert_string_equal(a->path, "tags");
	a = hcl_block_attr(sg, "ingress.1.cidr_blocks.0", &exact);
	assert_false(exact);
	assert_int_equal(a->line, 20);
	a = hcl_block_attr(sg, "ingress.2.from_port", &exact);
	assert_null(a);
	assert_false(exact);
	assert_null(hcl_block_attr(sa, "location", &exact));
	assert_null(hcl_block_attr(sa, "", &exact));
	/* a segment that only starts like a written one does not match */
	assert_null(hcl_block_attr(sa, "name_prefix", NULL));
	hcl_file_free(&f);
}

/* Braces, quotes and block keywords inside strings, templates, heredocs and comments are
 * text, not structure. */
static void test_opaque_text(void **state)
{
	(void)state;
	struct hcl_file f;
	struct diags d = DIAGS_INIT;
	scan(&f,
	     "resource \"a\" \"one\" {\n"                                       /* 1 */
	     "  s1 = \"}{ \\\" } resource \\\"x\\\" \\\"y\\\" {\"\n"
	     "  s2 = \"${lookup(var.m, \"}\", \"{\")}-${jsonencode({a = \"}\"})}\"\n"
	     "  s3 = \"%{ if var.x }}%{ endif }$${literal} %%{also}\"\n"
	     "  policy = <<EOF\n"                                               /* 5 */
	     "{ \"Statement\": [ }\n"
	     "resource \"fake\" \"heredoc\" {\n"
	     "  EOF_NOT_YET\n"
	     "EOF\n"
	     "  script = <<-SH\n"                                               /* 10 */
	     "    echo }\n"
	     "    SH\n"
	     "  # resource \"fake\" \"hash\" {\n"
	     "  // resource \"fake\" \"slashes\" {\n"
	     "  /* resource \"fake\" \"block\" {\n"                              /* 15 */
	     "     } } */ after = 1\n"
	     "  last = \"x\"\n"
	     "}\n"
	     "resource \"a\" \"two\" {\n"                                       /* 19 */
	     "}\n",
	     &d);
	assert_int_equal(d.n, 0);
	assert_int_equal(f.n, 2);
	assert_string_equal(f.v[0].name, "one");
	assert_string_equal(f.v[1].name, "two");
	assert_int_equal(f.v[1].line, 19);
	assert_int_equal(attr_line(&f.v[0], "s2"), 3);
	assert_int_equal(attr_line(&f.v[0], "s3"), 4);
	assert_int_equal(attr_line(&f.v[0], "policy"), 5);
	assert_int_equal(attr_line(&f.v[0], "script"), 10);
	assert_int_equal(attr_line(&f.v[0], "after"), 16);
	assert_int_equal(attr_line(&f.v[0], "last"), 17);
	assert_int_equal(f.v[0].nattrs, 7);
	hcl_file_free(&f);
	diags_free(&d);
}

static void test_labels_decoded(void **state)
{
	(void)state;
	struct hcl_file f;
	scan(&f,
	     "module \"m\" {\n  source = \"..\\\\x\\\"y\\ta$${b}\"\n}\n"
	     "resource \"t\" \"caf\xc3\xa9\" { x = 1 }\n",
	     NULL);
	assert_int_equal(f.n, 2);
	assert_string_equal(f.v[0].source, "..\\x\"y\ta${b}");
	assert_string_equal(f.v[1].name, "caf\xc3\xa9");
	/* columns count characters, not bytes */
	assert_int_equal(hcl_block_attr(&f.v[1], "x", NULL)->column, 23);
	hcl_file_free(&f);
}

static void test_crlf(void **state)
{
	(void)state;
	struct hcl_file f;
	struct diags d = DIAGS_INIT;
	scan(&f,
	     "resource \"a\" \"b\" {\r\n"
	     "  x = <<EOT\r\n"
	     "  }\r\n"
	     "  EOT\r\n"
	     "  y = 2 # note\r\n"
	     "}\r\n",
	     &d);
	assert_int_equal(d.n, 0);
	assert_int_equal(f.n, 1);
	assert_int_equal(attr_line(&f.v[0], "y"), 5);
	hcl_file_free(&f);
	diags_free(&d);
}

static void test_ignore_comments(void **state)
{
	(void)state;
	struct hcl_file f;
	scan(&f,
	     "# moongate:ignore egress/open-internet -- bastion needs mirrors\n"   /* 1 */
	     "resource \"aws_security_group\" \"bastion\" {\n"
	     "  // moongate:ignore ai/logging until=2027-03-31 -- tracked in OPS-1\n"
	     "  # a second comment line keeps the run together\n"
	     "  ingress {\n"                                                       /* 5 */
	     "    # moongate:ignore residency/x\n"
	     "    # moongate:ignore residency/y until=2027-13-01 -- bad date\n"
	     "    cidr_blocks = [\"0.0.0.0/0\"] # moongate:ignore z -- trailing\n"
	     "    # moongate:ignore too/far -- a blank line follows\n"
	     "\n"                                                                   /* 10 */
	     "    from_port = 22\n"
	     "  }\n"
	     "}\n"
	     "# moongate:ignore -- no policy\n"
	     "# moongate:ignore p1 extra words -- r\n"                              /* 15 */
	     "# moongate:ignoreX not-a-tag -- r\n"
	     "data \"d\" \"x\" {}\n",
	     NULL);
	assert_int_equal(f.n, 2);
	const struct hcl_block *b = &f.v[0];
	assert_int_equal(b->ignores.n, 1);
	assert_string_equal(b->ignores.v[0].policy, "egress/open-internet");
	assert_string_equal(b->ignores.v[0].reason, "bastion needs mirrors");
	assert_string_equal(b->ignores.v[0].text, "egress/open-internet -- bastion needs mirrors");
	assert_null(b->ignores.v[0].until);
	assert_null(b->ignores.v[0].problem);
	assert_int_equal(b->ignores.v[0].line, 1);

	const struct hcl_attr *ing = hcl_block_attr(b, "ingress.0", NULL);
	assert_int_equal(ing->ignores.n, 1);
	assert_string_equal(ing->ignores.v[0].policy, "ai/logging");
	assert_string_equal(ing->ignores.v[0].until, "2027-03-31");
	assert_string_equal(ing->ignores.v[0].reason, "tracked in OPS-1");
	assert_int_equal(ing->ignores.v[0].column, 3);

	const struct hcl_attr *cidr = hcl_block_attr(b, "ingress.0.cidr_blocks", NULL);
	assert_int_equal(cidr->ignores.n, 2);
	assert_string_equal(cidr->ignores.v[0].policy, "residency/x");
	assert_null(cidr->ignores.v[0].reason);
	assert_string_equal(cidr->ignores.v[0].problem, "missing reason after '--'");
	assert_string_equal(cidr->ignores.v[1].policy, "residency/y");
	assert_non_null(strstr(cidr->ignores.v[1].problem, "malformed date '2027-13-01'"));
	assert_int_equal(hcl_block_attr(b, "ingress.0.from_port", NULL)->ignores.n, 0);

	const struct hcl_block *dx = &f.v[1];
	assert_int_equal(dx->ignores.n, 2);
	assert_null(dx->ignores.v[0].policy);
	assert_string_equal(dx->ignores.v[0].problem, "missing policy id");
	assert_string_equal(dx->ignores.v[1].policy, "p1");
	assert_string_equal(dx->ignores.v[1].problem, "unexpected 'extra' before '--'");
	hcl_file_free(&f);
}

/* Every truncation of a valid file and a few malformed files: warnings, never a crash or a
 * hang, and what precedes the damage is still found. */
static void test_bad_syntax(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"resource \"a\" \"b\" {\n  x = \"open\n  y = 1\n}\n", "unterminated string"},
		{"resource \"a\" \"b\" {\n  x = 1\n", "unterminated block"},
		{"resource \"a\" \"b\" {\n  x = <<EOF\nno end\n}\n", "unterminated heredoc"},
		{"resource \"a\" \"b\" {\n  x = 1 /* open\n}\n", "unterminated comment"},
		{"resource \"a\" \"b\" {\n  x = \"${open\n", "unterminated template sequence"},
		{"}\nresource \"a\" \"b\" {\n  x = 1\n}\n", "unexpected '}'"},
		{"resource \"a\" \"b\"\n{\n  x = 1\n}\n", "expected '{' after the block labels"},
		{"resource \"a\" \"b\" {\n  = 3\n  x = 1\n}\n", "expected an attribute or a block"},
		{"resource \"a\" \"b\" {\n  x 3\n  x = 1\n}\n", "expected '=' or '{' after a name"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct hcl_file f;
		struct diags d = DIAGS_INIT;
		scan(&f, cases[i][0], &d);
		assert_true(d.n >= 1);
		bool found = false;
		for (size_t k = 0; k < d.n; k++)
			found |= strcmp(d.v[k].message, cases[i][1]) == 0;
		if (!found)
			fail_msg("case %zu: no '%s' (first: %s)", i, cases[i][1], d.v[0].message);
		assert_string_equal(d.v[0].file, "t.tf");
		assert_true(d.v[0].line >= 1);
		hcl_file_free(&f);
		diags_free(&d);
	}
	for (size_t n = 0; n <= sizeof nested_src - 1; n++) {
		struct hcl_file f = HCL_FILE_INIT;
		struct diags d = DIAGS_INIT;
		hcl_scan(&f, nested_src, n, "t.tf", &d);
		assert_true(f.n <= 2);
		hcl_file_free(&f);
		diags_free(&d);
	}
}

/* Pathological nesting stays within the depth bound and linear time. */
static void test_deep_nesting(void **state)
{
	(void)state;
	static const char *const units[] = {"{", "a {\n", "x = {", "\"${", "[(", "a = <<E\n"};
	for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
		struct buf b = BUF_INIT;
		buf_adds(&b, "resource \"t\" \"n\" {\n");
		for (int i = 0; i < 200000; i++)
			buf_adds(&b, units[u]);
		struct hcl_file f = HCL_FILE_INIT;
		struct diags d = DIAGS_INIT;
		hcl_scan(&f, buf_str(&b), b.len, "t.tf", &d);
		assert_int_equal(f.n, 1);
		assert_true(d.n >= 1);
		assert_true(f.v[0].nattrs <= 3 * HCL_MAX_DEPTH);
		hcl_file_free(&f);
		diags_free(&d);
		buf_free(&b);
	}
}

/* Pseudo-random bytes drawn from HCL's special characters. */
static void test_noise(void **state)
{
	(void)state;
	static const char alphabet[] = "{}[]()\"\\$%#/*<<-=:,\n\r \tab01EOF.";
	unsigned seed = 12345;
	char text[512];
	for (int round = 0; round < 3000; round++) {
		size_t n = (size_t)(round % (int)sizeof text);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			text[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		struct hcl_file f = HCL_FILE_INIT;
		struct diags d = DIAGS_INIT;
		hcl_scan(&f, text, n, "t.tf", &d);
		for (size_t k = 0; k < d.n; k++)
			assert_true(d.v[k].line >= 1 && d.v[k].column >= 1);
		hcl_file_free(&f);
		diags_free(&d);
	}
}

/* A whole realistic file from tests/data/tfsrc. */
static void test_data_file(void **state)
{
	(void)state;
	char *path = xasprintf("%s/tests/data/tfsrc/network.tf", testutil_source_dir());
	size_t len;
	char *text = testutil_read(path, &len);
	assert_non_null(text);
	struct hcl_file f = HCL_FILE_INIT;
	struct diags d = DIAGS_INIT;
	hcl_scan(&f, text, len, path, &d);
	assert_int_equal(d.n, 0);
	assert_int_equal(f.n, 4);
	const struct hcl_block *vpc = block(&f, "main");
	assert_int_equal(vpc->line, 12);
	assert_int_equal(attr_line(vpc, "tags.Name"), 17);
	const struct hcl_block *sg = block(&f, "web");
	assert_int_equal(sg->line, 32);
	assert_int_equal(attr_line(sg, "ingress.1.cidr_blocks"), 52);
	assert_int_equal(attr_line(sg, "egress.0.cidr_blocks"), 58);
	const struct hcl_block *policy = block(&f, "assume");
	assert_int_equal(policy->kind, HCL_DATA);
	assert_int_equal(policy->line, 62);
	assert_int_equal(attr_line(policy, "statement.0.principals.0.identifiers"), 69);
	assert_int_equal(block(&f, "endpoints")->line, 76);
	hcl_file_free(&f);
	diags_free(&d);
	free(text);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_nested_paths),
		cmocka_unit_test(test_lookup_prefix),
		cmocka_unit_test(test_opaque_text),
		cmocka_unit_test(test_labels_decoded),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_ignore_comments),
		cmocka_unit_test(test_bad_syntax),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_noise),
		cmocka_unit_test(test_data_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
