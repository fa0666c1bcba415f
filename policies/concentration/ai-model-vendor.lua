-- AI endpoints by model vendor and hosting cloud: too few model vendors is a concentration.

local ai = require "lib.ai"
local util = require "lib.util"

local function azure_vendor(r)
  local m = util.first(r.values.model)
  return m and ai.vendor_key(m.format), "model.0.format"
end

local function attr(name, sub)
  return function(r)
    local v = r.values[name]
    if sub then
      v = util.first(v)
      v = v and v[sub]
    end
    return ai.bedrock_vendor(v)
  end
end

local function vertex_vendor(r)
  return ai.vendor_key(ai.vertex_vendor(r.values.publisher_model_name))
end

-- AI endpoint types -> function returning the model vendor key.
local endpoints = {
  azurerm_cognitive_deployment = azure_vendor,
  aws_bedrockagent_agent = attr("foundation_model"),
  aws_bedrock_inference_profile = attr("model_source", "copy_from"),
  aws_bedrock_provisioned_model_throughput = attr("model_arn"),
  aws_bedrock_custom_model = attr("base_model_identifier"),
  google_vertex_ai_endpoint_with_model_garden_deployment = vertex_vendor,
}

local function collect(model)
  local by_vendor, clouds, n, first = {}, {}, 0, nil
  for _, t in ipairs(util.sorted_keys(endpoints)) do
    for _, r in ipairs(model.by_type(t)) do
      local vendor = endpoints[t](r)
      if vendor then
        by_vendor[vendor] = by_vendor[vendor] or {}
        by_vendor[vendor][r.cloud or "?"] = true
        clouds[r.cloud or "?"] = true
        n, first = n + 1, first or r
      end
    end
  end
  return by_vendor, clouds, n, first
end

local function describe(by_vendor)
  local parts = {}
  for _, v in ipairs(util.sorted_keys(by_vendor)) do
    parts[#parts + 1] = ai.vendor_name(v) .. " on " .. table.concat(util.sorted_keys(by_vendor[v]), ", ")
  end
  return table.concat(parts, "; ")
end

return {
  title = "AI endpoints must not depend on too few model vendors",
  severity = "low",
  description = [[Model-vendor concentration, separate from hosting: Azure deployments
(model.format), Bedrock agents, inference profiles, provisioned throughput and custom models
(the model id's vendor after any geo prefix), Vertex AI Model Garden deployments
(publishers/<vendor>). OpenAI on Azure and OpenAI on Bedrock is two clouds but one model
vendor.]],
  remediation = [[Qualify a second model vendor for the workloads (an abstraction over the
model API, evaluations against both), or lower min_model_vendors knowingly.]],
  references = { "https://eur-lex.europa.eu/eli/reg/2022/2554/oj" },
  tags = { "concentration", "ai" },
  params = { min_model_vendors = 2 },
  types = util.sorted_keys(endpoints),
  evaluate = function(model, ctx)
    local by_vendor, clouds, n, first = collect(model)
    local count = #util.sorted_keys(by_vendor)
    local min = tonumber(ctx.params.min_model_vendors) or 2
    if n == 0 or count >= min then return nil end
    return { resource = first, message = string.format("%d AI endpoint(s) use %d model "
      .. "vendor(s) (%s) on %d cloud(s), fewer than min_model_vendors %d", n, count,
      describe(by_vendor), #util.sorted_keys(clouds), min) }
  end,
}
