-- Bedrock agents must apply a guardrail.

local util = require "lib.util"

return {
  title = "Bedrock agents must have a guardrail",
  severity = "medium",
  description = [[An aws_bedrockagent_agent without guardrail_configuration answers with no
content filtering, denied-topic, PII or prompt-attack protection.]],
  remediation = [[Create an aws_bedrock_guardrail and reference it in the agent's
guardrail_configuration (guardrail_identifier, guardrail_version).]],
  references = { "https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails.html" },
  tags = { "ai" },
  params = {},
  types = { "aws_bedrockagent_agent" },
  check = function(r, ctx)
    local g = r.values.guardrail_configuration
    if util.unknown(g) then
      return moongate.cannot_verify(r.address .. ": guardrail_configuration is unknown until apply",
        "guardrail_configuration")
    end
    local first = util.first(g)
    if first and (first.guardrail_identifier ~= nil) then return nil end
    return { message = string.format("%s (model %s) has no guardrail_configuration", r.address,
      tostring(r.values.foundation_model)), path = "guardrail_configuration" }
  end,
}
