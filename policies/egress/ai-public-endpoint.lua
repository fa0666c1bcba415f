-- AI endpoints reachable from the internet, or reached through it.

local ai = require "lib.ai"
local settings = require "lib.settings"
local util = require "lib.util"

local checks = {}

checks.azurerm_cognitive_account = function(r)
  local v = r.values.public_network_access_enabled
  if v == false then return nil end
  if util.unknown(v) then
    return moongate.cannot_verify(r.address .. ": public_network_access_enabled is unknown until apply",
      "public_network_access_enabled")
  end
  local acls = util.first(r.values.network_acls)
  local how = v == nil and "not set (defaults to true)" or "true"
  local note = acls and acls.default_action == "Deny" and "; network_acls deny by default, "
    .. "but the endpoint is still public" or ""
  return { message = string.format("%s (kind %s): public_network_access_enabled is %s%s",
    r.address, tostring(r.values.kind), how, note), path = "public_network_access_enabled" }
end

checks.azurerm_ai_foundry = function(r)
  local v = r.values.public_network_access
  if v == "Disabled" then return nil end
  if util.unknown(v) then
    return moongate.cannot_verify(r.address .. ": public_network_access is unknown until apply",
      "public_network_access")
  end
  return { message = string.format("%s: public_network_access is %s", r.address,
    v == nil and "not set (defaults to Enabled)" or tostring(v)), path = "public_network_access" }
end

checks.google_vertex_ai_endpoint = function(r)
  local v = r.values
  if util.first(v.private_service_connect_config) or (type(v.network) == "string" and v.network ~= "")
      or util.unknown(v.network) then
    return nil
  end
  return { message = r.address .. ": Vertex AI endpoint has neither private_service_connect_config "
    .. "nor a peered network: it is served on the public endpoint", path = "private_service_connect_config" }
end

-- Bedrock used from VPC-attached compute without a bedrock-runtime interface endpoint.
local function vpc_attached(r)
  local v = r.values
  if r.type == "aws_lambda_function" then
    local vpc = util.first(v.vpc_config)
    return vpc ~= nil and (util.unknown(vpc.subnet_ids) or #util.strings(vpc.subnet_ids) > 0), "vpc_config"
  end
  return v.network_mode == "awsvpc", "network_mode"
end

local function bedrock_setting(r)
  for _, s in ipairs(settings.strings(r)) do
    if ai.uses_bedrock(s.value) then return s end
  end
  return nil
end

local function endpoint_regions(model)
  local regions, unknown = {}, false
  for _, e in ipairs(model.by_type("aws_vpc_endpoint")) do
    local name = e.values.service_name
    if util.unknown(name) then unknown = true end
    local region = type(name) == "string" and name:match("^com%.amazonaws%.([a-z0-9-]+)%.bedrock%-runtime$")
    if region and e.values.vpc_endpoint_type ~= "Gateway" then regions[region] = true end
  end
  return regions, unknown
end

local function bedrock_private(model)
  local out = {}
  local regions, unknown = endpoint_regions(model)
  for _, r in ipairs(util.by_types(model, { "aws_lambda_function", "aws_ecs_task_definition" })) do
    local s = r.region and not regions[r.region] and vpc_attached(r) and bedrock_setting(r)
    if s then
      local msg = string.format("%s uses Bedrock (%s) from a VPC, and no bedrock-runtime interface "
        .. "aws_vpc_endpoint exists in %s: calls go through NAT and the internet", r.address,
        tostring(s.name), r.region)
      local f = unknown and moongate.cannot_verify(msg .. " (an endpoint's service_name is unknown)", s.path)
        or { message = msg, path = s.path }
      f.resource = r
      util.add(out, f)
    end
  end
  return out
end

return {
  title = "AI endpoints must be private",
  severity = "high",
  description = [[AI accounts reachable from the internet expose prompts, keys and data to
the public network. Reported: azurerm_cognitive_account with public_network_access_enabled not
false (absent means true), azurerm_ai_foundry with public access, Vertex AI endpoints without
Private Service Connect or a peered network, and Bedrock used from VPC-attached compute
(Lambda in a VPC, awsvpc ECS tasks) with no com.amazonaws.<region>.bedrock-runtime interface
endpoint in that region.]],
  remediation = [[Set public_network_access_enabled = false and add a private endpoint
(privatelink.openai.azure.com / privatelink.cognitiveservices.azure.com); set Foundry
public_network_access = "Disabled"; use private_service_connect_config; add an Interface
aws_vpc_endpoint for bedrock-runtime.]],
  references = {
    "https://learn.microsoft.com/azure/ai-services/cognitive-services-virtual-networks",
    "https://docs.aws.amazon.com/bedrock/latest/userguide/vpc-interface-endpoints.html",
  },
  tags = { "egress", "ai", "network" },
  params = {},
  types = util.sorted_keys(checks),
  check = function(r, ctx)
    return checks[r.type](r)
  end,
  evaluate = bedrock_private,
}
