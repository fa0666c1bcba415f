-- Golden-test policy: buckets and VPCs name their owner in tags.Owner.
return {
  title = "Buckets and VPCs must carry an Owner tag",
  description = "Buckets and VPCs must carry an Owner tag (golden test of Terraform source locations)",
  severity = "low",
  types = { "aws_s3_bucket", "aws_vpc" },
  check = function(r)
    local tags = r.values.tags
    if type(tags) ~= "table" or tags.Owner == nil then
      return { message = "no Owner tag", path = "tags.Owner" }
    end
  end,
}
