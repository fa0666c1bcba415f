-- Golden-test policy: bucket versioning must be enabled.
return {
  title = "Bucket versioning must be enabled",
  description = "Bucket versioning must be enabled (golden test of Terraform source locations)",
  severity = "medium",
  types = { "aws_s3_bucket_versioning" },
  check = function(r)
    local conf = (r.values.versioning_configuration or {})[1] or {}
    if conf.status ~= "Enabled" then
      return { message = "versioning is " .. tostring(conf.status),
               path = "versioning_configuration.0.status" }
    end
  end,
}
