-- Every resource with a resolved region must be inside the allowed jurisdictions/regions.

local geo = require "lib.geo"
local residency = require "lib.residency"

local function region_path(r)
  local v = r.values
  if type(v) ~= "table" then return nil end
  for _, key in ipairs({ "region", "location" }) do
    if type(v[key]) == "string" then return key end
  end
  return nil
end

local function check_resource(out, scope, r)
  if r.region_state ~= "known" or r.region == "global" or not r.cloud then return end
  -- the verdict needs no attribute: values are only built for resources with a finding
  if residency.verdict(scope, r.cloud, r.region) == "in" then return end
  local what = r.address .. ":"
  if r.region_source and r.region_source ~= "attribute" then
    what = r.address .. " (region from " .. r.region_source .. "):"
  end
  residency.check(out, scope, r, r.cloud, r.region, region_path(r), what, geo.describe)
end

return {
  title = "Resources must be in the allowed regions",
  severity = "high",
  description = [[Data residency: every resource whose region moongate can resolve must lie in
the organisation's allowed jurisdictions (blocs EU, EEA, UK, CH, US, CA or ISO country codes)
or allowed regions. Region prefixes mislead: eu-west-2 is London (UK), eu-central-2 is Zurich
(CH). EEA includes every EU member. Without configuration, the home jurisdiction is inferred
as the bloc (or country) holding most resources and outliers are reported at medium.]],
  remediation = [[Move the resource to an allowed region, or add the jurisdiction/region to
params.allowed_jurisdictions / allowed_regions in .moongate.yaml, or waive it with a reason.]],
  references = {
    "https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html",
    "https://learn.microsoft.com/azure/reliability/regions-list",
    "https://cloud.google.com/about/locations",
  },
  tags = { "residency" },
  params = residency.params,
  evaluate = function(model, ctx)
    local scope = residency.scope(ctx, model)
    if not scope then return nil end
    local out = {}
    for _, r in ipairs(model.resources) do check_resource(out, scope, r) end
    return out
  end,
}
