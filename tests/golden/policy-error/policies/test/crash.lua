-- Golden-test policy that fails at run time on every S3 bucket.
return {
  title = "A policy that fails",
  severity = "low",
  description = "Raises an error to show how a failing policy is reported.",
  types = { "aws_s3_bucket" },
  check = function(r)
    error("cannot handle " .. r.address)
  end,
}
