/*
 * `moongate new policy`: a policy skeleton with every metadata field, a fixture case that
 * passes and one that fails, and a Lua test file; `moongate test DIR` passes on it as
 * written. Nothing existing is overwritten.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testing/ptest_int.h"
#include "util/xalloc.h"

static const char policy_lua[] =
	"-- %1$s: an example policy; edit the metadata, then check().\n"
	"-- Run its tests with: moongate test <this policy root>\n"
	"return {\n"
	"  title       = \"S3 buckets must carry an owner tag\",\n"
	"  severity    = \"medium\",\n"
	"  description = [[Every bucket names the team that owns it, so that findings and costs\n"
	"reach someone.]],\n"
	"  remediation = [[Add tags = { owner = \"team-name\" } to the bucket.]],\n"
	"  references  = { \"https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html\" },\n"
	"  tags        = { \"tagging\" },\n"
	"  params      = { tag = \"owner\" },\n"
	"  types       = { \"aws_s3_bucket\" },\n"
	"\n"
	"  check = function(r, ctx)\n"
	"    local tags = r.values.tags or {}\n"
	"    if not tags[ctx.params.tag] then\n"
	"      return { message = r.address .. \" has no '\" .. ctx.params.tag .. \"' tag\",\n"
	"               path = \"tags\" }\n"
	"    end\n"
	"  end,\n"
	"}\n";

static const char plan_json[] =
	"{\n"
	"  \"format_version\": \"1.2\",\n"
	"  \"terraform_version\": \"1.9.8\",\n"
	"  \"planned_values\": {\"root_module\": {\"resources\": [\n"
	"    {\"address\": \"aws_s3_bucket.logs\", \"mode\": \"managed\", \"type\": \"aws_s3_bucket\",\n"
	"     \"name\": \"logs\", \"provider_name\": \"registry.terraform.io/hashicorp/aws\",\n"
	"     \"values\": {\"bucket\": \"acme-logs\", \"region\": \"eu-west-1\", \"tags\": %s}}\n"
	"  ]}},\n"
	"  \"resource_changes\": [\n"
	"    {\"address\": \"aws_s3_bucket.logs\", \"mode\": \"managed\", \"type\": \"aws_s3_bucket\",\n"
	"     \"name\": \"logs\", \"provider_name\": \"registry.terraform.io/hashicorp/aws\",\n"
	"     \"change\": {\"actions\": [\"create\"], \"before\": null,\n"
	"                \"after\": {\"bucket\": \"acme-logs\", \"region\": \"eu-west-1\", \"tags\": %s},\n"
	"                \"after_unknown\": {}}}\n"
	"  ]\n"
	"}\n";

static const char expect_pass[] = "findings: []\n";

static const char expect_fail[] =
	"findings:\n"
	"  - policy: %1$s\n"
	"    resource: aws_s3_bucket.logs\n"
	"    severity: medium\n"
	"    message: \"has no 'owner' tag\"\n";

static const char test_lua[] =
	"-- Tests of %1$s: each function of the returned table is one test.\n"
	"local ID = \"%1$s\"\n"
	"\n"
	"local function bucket(tags)\n"
	"  return plan{ resources = { tf_resource(\"aws_s3_bucket\", \"logs\",\n"
	"                                         { bucket = \"acme-logs\", tags = tags }) },\n"
	"               provider_region = \"eu-west-1\" }\n"
	"end\n"
	"\n"
	"return {\n"
	"  tagged_bucket_passes = function()\n"
	"    run(ID, bucket({ owner = \"data-platform\" }))\n"
	"    expect_none()\n"
	"  end,\n"
	"\n"
	"  untagged_bucket_fails = function()\n"
	"    run(ID, bucket({ env = \"prod\" }))\n"
	"    expect_finding{ resource = \"aws_s3_bucket.logs\", severity = \"medium\",\n"
	"                    message = \"no 'owner' tag\" }\n"
	"  end,\n"
	"\n"
	"  tag_name_is_a_parameter = function()\n"
	"    run(ID, bucket({ owner = \"data-platform\" }), { tag = \"cost-centre\" })\n"
	"    expect_finding{ message = \"no 'cost-centre' tag\" }\n"
	"  end,\n"
	"}\n";

/* Policy ids: path segments of letters, digits, '-', '_' and '.', not starting with '.'. */
static bool valid_id(const char *id)
{
	size_t seg = 0;
	for (const char *p = id;; p++) {
		if (*p == '/' || *p == '\0') {
			if (seg == 0)
				return false;
			if (*p == '\0')
				return true;
			seg = 0;
			continue;
		}
		bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		          (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || (*p == '.' && seg);
		if (!ok)
			return false;
		seg++;
	}
}

/* mkdir -p of path's directories (path itself too when whole). */
static bool make_dirs(const char *path, bool whole, struct diags *d)
{
	char *p = xstrdup(path);
	bool ok = true;
	for (char *s = p + 1; ok && *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		ok = mkdir(p, 0777) == 0 || errno == EEXIST;
		*s = '/';
	}
	if (ok && whole)
		ok = mkdir(p, 0777) == 0 || errno == EEXIST;
	if (!ok)
		diags_add(d, DIAG_USAGE, p, 0, 0, NULL, "cannot create directory: %s", strerror(errno));
	free(p);
	return ok;
}

static bool write_file(const char *path, const char *text, struct diags *d)
{
	FILE *f = make_dirs(path, false, d) ? fopen(path, "wx") : NULL;
	if (!f) {
		if (!d->n)
			diags_add(d, DIAG_USAGE, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
		return false;
	}
	fputs(text, f);
	if (fclose(f) != 0) {
		diags_add(d, DIAG_USAGE, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
		return false;
	}
	return true;
}

struct skeleton_file {
	const char *suffix; /* after DIR/ID */
	char *text;
};

bool ptest_new_policy(const char *dir, const char *id, struct diags *d)
{
	if (!valid_id(id) || strncmp(id, "lib/", 4) == 0) {
		diags_add(d, DIAG_USAGE, NULL, 0, 0, NULL,
		          "invalid policy id '%s': expected path segments of letters, digits, '-', "
		          "'_' and '.', such as acme/tagging (not under lib/)", id);
		return false;
	}
	struct skeleton_file files[] = {
		{".lua", xasprintf(policy_lua, id)},
		{".tests/pass/plan.json", xasprintf(plan_json, "{\"owner\": \"data-platform\"}",
		                                    "{\"owner\": \"data-platform\"}")},
		{".tests/pass/expect.yaml", xstrdup(expect_pass)},
		{".tests/fail/plan.json", xasprintf(plan_json, "{\"env\": \"prod\"}",
		                                    "{\"env\": \"prod\"}")},
		{".tests/fail/expect.yaml", xasprintf(expect_fail, id)},
		{"_test.lua", xasprintf(test_lua, id)},
	};
	size_t n = sizeof files / sizeof files[0];
	bool ok = true;
	for (size_t i = 0; ok && i < n; i++) {
		char *path = xasprintf("%s/%s%s", dir, id, files[i].suffix);
		struct stat st;
		if (stat(path, &st) == 0) {
			diags_add(d, DIAG_USAGE, path, 0, 0, NULL, "already exists; nothing was written");
			ok = false;
		}
		free(path);
	}
	for (size_t i = 0; ok && i < n; i++) {
		char *path = xasprintf("%s/%s%s", dir, id, files[i].suffix);
		ok = write_file(path, files[i].text, d);
		free(path);
	}
	for (size_t i = 0; i < n; i++)
		free(files[i].text);
	return ok;
}
