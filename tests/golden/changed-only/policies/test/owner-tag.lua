-- Golden-test policy: AWS resources must carry an owner tag.
return {
  title = "AWS resources must carry an owner tag",
  severity = "medium",
  description = "Every AWS resource names its owning team in tags.owner.",
  remediation = "Add tags = { owner = \"team\" }.",
  tags = { "tagging" },
  types = { "aws_*" },
  check = function(r)
    local tags = r.values.tags
    if type(tags) ~= "table" or tags.owner == nil then
      return { message = "no owner tag", path = "tags" }
    end
  end,
}
