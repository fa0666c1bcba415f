-- Lua tests of demo/bucket-acl, two of which fail on purpose.
local ID = "demo/bucket-acl"

local function bucket(acl)
  return plan{ resources = { tf_resource("aws_s3_bucket", "logs", { bucket = "acme-logs", acl = acl }) },
               provider_region = "eu-west-1" }
end

return {
  public_read_is_reported = function()
    run(ID, bucket("public-read"))
    expect_finding{ resource = "aws_s3_bucket.logs", severity = "high", message = "public-read" }
  end,

  private_passes = function()
    run(ID, bucket("private"))
    expect_none()
  end,

  params_override = function()
    run(ID, bucket("private"), { public = { "private" } })
    expect_count(1)
  end,

  unknown_acl_cannot_be_verified = function()
    run(ID, plan{ resources = { tf_resource("aws_s3_bucket", "logs", { bucket = "b" },
                                            { unknown = { acl = true } }) } })
    expect_unknown{ resource = "aws_s3_bucket.logs" }
  end,

  kubernetes_objects_are_not_selected = function()
    run(ID, k8s("Deployment", "web", { replicas = 1 }))
    expect_none()
  end,

  fails_on_purpose = function()
    run(ID, bucket("public-read-write"))
    expect_none()
  end,

  unknown_policy = function()
    run("demo/no-such-policy", bucket("private"))
  end,

  skipped_for_now = function()
    skip("grants are not modelled yet")
  end,
}
