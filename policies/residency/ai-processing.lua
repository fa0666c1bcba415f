-- Where AI prompts are processed: Azure OpenAI / Foundry deployment types, Bedrock
-- cross-region inference profiles wherever they appear, Vertex AI global endpoints.

local ai = require "lib.ai"
local geo = require "lib.geo"
local residency = require "lib.residency"
local settings = require "lib.settings"
local util = require "lib.util"

local function worldwide(out, scope, r, path, what)
  if scope.set.any then return end
  util.add(out, residency.finding(scope, r, what .. ", " .. residency.outside(scope), path))
end

local function datazone(out, scope, r, sku, path)
  local info = geo.region("azure", r.region)
  local zone = info and ai.azure_data_zones[info.bloc]
  if not zone then
    local f = moongate.cannot_verify(string.format("%s: sku %s processes prompts in the data "
      .. "zone of %s, and no data zone is documented for it", r.address, sku,
      tostring(r.region)), path)
    f.resource = r
    return util.add(out, f)
  end
  local zinfo = { code = zone .. " data zone", bloc = zone, country = zone == "US" and "US" or nil }
  if geo.inside(scope.set, zinfo) then return end
  util.add(out, residency.finding(scope, r, string.format("%s: sku %s processes prompts "
    .. "anywhere in the %s data zone (account in %s), %s", r.address, sku, zone, r.region,
    residency.outside(scope)), path))
end

local function geography(out, scope, r, sku, path)
  local members = geo.azure_geography(r.region)
  if not members then
    return util.add(out, residency.not_in_tables(r, "azure", r.region, path, r.address))
  end
  for _, info in ipairs(members) do
    if not geo.inside(scope.set, info) then
      util.add(out, residency.finding(scope, r, string.format("%s: sku %s processes prompts "
        .. "in the geography of %s, which includes %s, %s", r.address, sku, r.region,
        geo.describe(info), residency.outside(scope)), path))
    end
  end
end

local function unverifiable(out, r, message, path)
  local f = moongate.cannot_verify(r.address .. ": " .. message, path)
  f.resource = r
  util.add(out, f)
end

local function azure_deployment(out, scope, r)
  local sku = util.first(r.values.sku)
  local name = sku and sku.name
  local path = "sku.0.name"
  if util.unknown(name) then return unverifiable(out, r, "sku name is unknown until apply", path) end
  local kind = ai.azure_sku_scope[name]
  if kind == "global" or kind == "any" then
    return worldwide(out, scope, r, path, string.format("%s: sku %s processes prompts in any "
      .. "Azure OpenAI location worldwide", r.address, name))
  end
  if kind == nil then return end
  if r.region_state ~= "known" then
    return unverifiable(out, r, "sku " .. name .. " keeps prompts near the account, whose "
      .. "region cannot be resolved", path)
  end
  if kind == "datazone" then return datazone(out, scope, r, name, path) end
  geography(out, scope, r, name, path)
end

local function profile_regions(out, scope, r, p, path, where)
  local routes = ai.bedrock_geo[p.geo]
  local what = string.format("%s: %s %s", r.address, where, p.id)
  if routes.any then
    return worldwide(out, scope, r, path, what .. " may be routed to any commercial region")
  end
  local outside = {}
  for _, code in ipairs(routes) do
    if residency.verdict(scope, "aws", code) ~= "in" then
      local info = geo.region("aws", code)
      outside[#outside + 1] = code .. " (" .. info.location .. ", " .. geo.jurisdiction(info) .. ")"
    end
  end
  if #outside == 0 then return end
  util.add(out, residency.finding(scope, r, string.format("%s may be routed to %s, %s", what,
    table.concat(outside, ", "), residency.outside(scope)), path))
end

local function scan(out, scope, r, value, path, where)
  for _, p in ipairs(ai.find_profiles(value)) do
    profile_regions(out, scope, r, p, path, where)
  end
end

local bedrock_attrs = {
  aws_bedrockagent_agent = { { "foundation_model" } },
  aws_bedrock_inference_profile = { { "model_source", "copy_from" } },
  aws_bedrock_guardrail = { { "cross_region_config", "guardrail_profile_identifier" } },
  aws_bedrock_provisioned_model_throughput = { { "model_arn" } },
  aws_bedrockagent_knowledge_base = {},
}

local function bedrock_resource(out, scope, r, attrs)
  for _, a in ipairs(attrs) do
    local v, path = r.values[a[1]], a[1]
    if a[2] then
      v = util.first(v)
      v = v and v[a[2]]
      path = a[1] .. ".0." .. a[2]
    end
    if util.unknown(v) then
      unverifiable(out, r, path .. " is unknown until apply: where prompts are processed "
        .. "cannot be verified", path)
    else
      scan(out, scope, r, v, path, a[#a])
    end
  end
end

local vertex_multi = { global = true, us = true, eu = true }

-- Regional Vertex AI locations are allowed-regions' business; multi-regions are checked here.
local function vertex(out, scope, r)
  local v = r.values
  local key = type(v.location) == "string" and "location" or "region"
  local loc = v[key]
  if type(loc) ~= "string" or not vertex_multi[loc:lower()] then return end
  if loc:lower() == "global" then
    return worldwide(out, scope, r, key, r.address .. ": location global gives no "
      .. "processing-location guarantee")
  end
  residency.check(out, scope, r, "gcp", loc, key, r.address .. ": location")
end

local function evaluate(model, ctx)
  local scope = residency.scope(ctx, model)
  if not scope then return nil end
  local out = {}
  for _, r in ipairs(model.by_type("azurerm_cognitive_deployment")) do
    azure_deployment(out, scope, r)
  end
  for t, attrs in pairs(bedrock_attrs) do
    for _, r in ipairs(model.by_type(t)) do bedrock_resource(out, scope, r, attrs) end
  end
  for _, r in ipairs(util.by_types(model, settings.types)) do
    for _, s in ipairs(settings.strings(r)) do
      scan(out, scope, r, s.value, s.path, "setting " .. tostring(s.name) .. " uses")
    end
  end
  for _, r in ipairs(model.by_type("google_vertex_ai_*")) do vertex(out, scope, r) end
  return out
end

return {
  title = "AI prompts must be processed in the allowed jurisdictions",
  severity = "high",
  description = [[Where prompts are processed is not where the AI resource is. Azure OpenAI /
AI Foundry Global* and Developer deployments process anywhere in the world, DataZone* ones
anywhere in the account's data zone (US or EU), Standard and ProvisionedManaged ones in the
account's geography. Bedrock cross-region inference profiles route by prefix: eu. includes
London (UK) and Zurich (CH), apac. includes the UAE, global. any commercial region. Vertex AI's
global location has no processing-location guarantee.]],
  remediation = [[Use a Standard/ProvisionedManaged (or DataZone within an allowed zone)
deployment, an in-region Bedrock model id or a narrower inference profile, and a regional
Vertex AI location; or widen the allowed set knowingly.]],
  references = {
    "https://learn.microsoft.com/azure/ai-foundry/openai/how-to/deployment-types",
    "https://docs.aws.amazon.com/bedrock/latest/userguide/cross-region-inference.html",
    "https://cloud.google.com/vertex-ai/docs/general/locations",
  },
  tags = { "residency", "ai" },
  params = residency.params,
  types = { "azurerm_cognitive_deployment", "aws_bedrock*", "google_vertex_ai_*",
            table.unpack(settings.types) },
  evaluate = evaluate,
}
