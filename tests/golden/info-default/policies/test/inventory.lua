-- Golden-test policy at severity info: notes every S3 bucket.
return {
  title = "S3 buckets are listed for the inventory",
  severity = "info",
  description = "An informational finding per bucket.",
  types = { "aws_s3_bucket" },
  check = function(r)
    return "bucket " .. r.values.bucket
  end,
}
