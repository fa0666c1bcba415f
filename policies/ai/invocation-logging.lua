-- Bedrock in use in a region must have model invocation logging there.

local ai = require "lib.ai"
local settings = require "lib.settings"
local util = require "lib.util"

-- Regions where Bedrock is used: region -> list of resources (in model order).
local function usage(model)
  local by_region, order, unresolved = {}, {}, {}
  local function use(r)
    if r.region_state ~= "known" then unresolved[#unresolved + 1] = r return end
    if not by_region[r.region] then by_region[r.region] = {}; order[#order + 1] = r.region end
    table.insert(by_region[r.region], r)
  end
  for _, r in ipairs(util.by_types(model, { "aws_bedrock*" })) do
    if r.type ~= "aws_bedrock_model_invocation_logging_configuration" and r.mode ~= "data" then use(r) end
  end
  for _, r in ipairs(util.by_types(model, { "aws_lambda_function", "aws_ecs_task_definition" })) do
    for _, s in ipairs(settings.strings(r)) do
      if ai.uses_bedrock(s.value) then use(r) break end
    end
  end
  return by_region, order, unresolved
end

local function logged_regions(model)
  local regions = {}
  for _, l in ipairs(model.by_type("aws_bedrock_model_invocation_logging_configuration")) do
    if l.region_state == "known" then regions[l.region] = true end
  end
  return regions
end

return {
  title = "Bedrock model invocations must be logged in every region used",
  severity = "medium",
  description = [[Model invocation logging is configured per region
(aws_bedrock_model_invocation_logging_configuration). Without it there is no record of prompts
and responses for audit, abuse investigation or the EU AI Act's record-keeping duties.]],
  remediation = [[Add an aws_bedrock_model_invocation_logging_configuration (S3 and/or
CloudWatch) with a provider for each region where Bedrock is used.]],
  references = { "https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html" },
  tags = { "ai", "logging" },
  params = {},
  types = { "aws_bedrock*", "aws_lambda_function", "aws_ecs_task_definition" },
  evaluate = function(model, ctx)
    local by_region, order, unresolved = usage(model)
    local logged = logged_regions(model)
    local out = {}
    for _, region in ipairs(order) do
      if not logged[region] then
        local names = {}
        for _, r in ipairs(by_region[region]) do names[#names + 1] = r.address end
        util.add(out, { resource = by_region[region][1], message = string.format("Bedrock is "
          .. "used in %s (%s) and no aws_bedrock_model_invocation_logging_configuration "
          .. "covers that region", region, table.concat(names, ", ")) })
      end
    end
    for _, r in ipairs(unresolved) do
      local f = moongate.cannot_verify(r.address .. " uses Bedrock in a region that cannot be "
        .. "resolved: invocation logging cannot be verified")
      f.resource = r
      util.add(out, f)
    end
    return out
  end,
}
