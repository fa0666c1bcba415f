-- ACME: every taggable cloud resource names its owner and cost centre.

local acme = require "lib.acme"

return {
  title = "Cloud resources must carry the ACME ownership tags",
  severity = "medium",
  description = [[Cost reports and incident routing at ACME rely on the `owner` and
`cost-center` tags. A resource without them cannot be charged back or paged.]],
  remediation = [[Add the missing tags, or better, set them once in the provider's
default_tags block so every resource inherits them.]],
  references = { "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html" },
  tags = { "acme", "governance" },
  params = { required = { "owner", "cost-center" } },
  types = { "aws_*", "azurerm_*", "google_*" },

  check = function(r, ctx)
    local tags, path = acme.tags(r)
    if moongate.is_unknown(tags) then
      return moongate.cannot_verify(r.address .. ": tags are unknown until apply", path)
    end
    if r.cloud == "aws" and tags == nil and r.values.tags_all == nil then
      return nil -- every taggable AWS resource has tags_all: this type takes no tags
    end
    local findings = {}
    for _, name in ipairs(ctx.params.required) do
      local value = tags and tags[name]
      if moongate.is_unknown(value) then
        findings[#findings + 1] = moongate.cannot_verify(
          string.format("%s: tag '%s' is unknown until apply", r.address, name), path .. "." .. name)
      elseif not acme.present(value) then
        findings[#findings + 1] = {
          message = string.format("%s has no '%s' tag", r.address, name),
          path = tags and path or nil,
        }
      end
    end
    return findings
  end,
}
