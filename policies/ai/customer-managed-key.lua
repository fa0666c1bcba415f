-- AI resources must encrypt with a customer-managed key.

local util = require "lib.util"

local function cannot(r, attr)
  local f = moongate.cannot_verify(r.address .. ": " .. attr .. " is unknown until apply", attr)
  f.resource = r
  return f
end

local function missing(r, attr, what)
  return { resource = r, message = string.format("%s: %s (%s not set): encrypted with a "
    .. "provider-managed key", r.address, what, attr), path = attr }
end

-- Simple attribute checks: type -> { attribute, description }; nested = "block.0.attr".
local attrs = {
  aws_bedrock_guardrail = { "kms_key_arn", "guardrail without a customer-managed key" },
  aws_bedrockagent_agent = { "customer_encryption_key_arn", "agent without a customer-managed key" },
  aws_bedrock_custom_model = { "custom_model_kms_key_id", "custom model without a customer-managed key" },
  azurerm_ai_foundry = { "encryption", "AI Foundry hub without customer-managed encryption" },
  google_vertex_ai_endpoint = { "encryption_spec", "Vertex AI endpoint without CMEK" },
}

local function check_attr(out, r, spec)
  local v = r.values[spec[1]]
  if util.unknown(v) then return util.add(out, cannot(r, spec[1])) end
  if type(v) == "table" then v = util.first(v) end
  if v == nil or v == "" then util.add(out, missing(r, spec[1], spec[2])) end
end

-- Keys declared as azurerm_cognitive_account_customer_managed_key: the account ids they name,
-- and the places (file and module) of keys whose account id is known only after apply. Such a
-- key is taken to be for an account of the same file and module: it makes that account's
-- check "cannot verify" instead of a finding.
local function place(r)
  return tostring(r.file) .. "|" .. tostring(r.module)
end

local function cmk_accounts(model)
  local ids, pending = {}, {}
  for _, k in ipairs(model.by_type("azurerm_cognitive_account_customer_managed_key")) do
    local id = k.values.cognitive_account_id
    if type(id) == "string" then ids[id] = true else pending[place(k)] = true end
  end
  return ids, pending
end

local function azure_accounts(out, model)
  local ids, pending = cmk_accounts(model)
  for _, r in ipairs(model.by_type("azurerm_cognitive_account")) do
    local v = r.values
    local inline = v.customer_managed_key
    if util.unknown(inline) then
      util.add(out, cannot(r, "customer_managed_key"))
    elseif not util.first(inline) and not (type(v.id) == "string" and ids[v.id]) then
      if pending[place(r)] then
        local f = moongate.cannot_verify(r.address .. ": no customer_managed_key block, and an "
          .. "azurerm_cognitive_account_customer_managed_key beside it names an account known "
          .. "only after apply", "customer_managed_key")
        f.resource = r
        util.add(out, f)
      else
        util.add(out, missing(r, "customer_managed_key", "AI account (kind " .. tostring(v.kind)
          .. ") without a customer-managed key"))
      end
    end
  end
end

return {
  title = "AI resources must be encrypted with customer-managed keys",
  severity = "medium",
  description = [[Prompts, fine-tuning data, agent sessions and model artefacts should be
encrypted with a key the organisation controls (revocation, rotation, residency of the key).
Checked: azurerm_cognitive_account (an inline customer_managed_key block or an
azurerm_cognitive_account_customer_managed_key resource), azurerm_ai_foundry encryption,
Bedrock guardrails (kms_key_arn), agents (customer_encryption_key_arn) and custom models
(custom_model_kms_key_id), Vertex AI endpoints (encryption_spec).]],
  remediation = [[Create a key in Key Vault / KMS / Cloud KMS in the same jurisdiction and
reference it from the resource.]],
  references = {
    "https://learn.microsoft.com/azure/ai-services/openai/encrypt-data-at-rest",
    "https://docs.aws.amazon.com/bedrock/latest/userguide/encryption.html",
    "https://cloud.google.com/vertex-ai/docs/general/cmek",
  },
  tags = { "ai", "encryption" },
  params = {},
  types = { "azurerm_cognitive_account", "azurerm_cognitive_account_customer_managed_key",
            "azurerm_ai_foundry", "aws_bedrock_guardrail", "aws_bedrockagent_agent",
            "aws_bedrock_custom_model", "google_vertex_ai_endpoint" },
  evaluate = function(model, ctx)
    local out = {}
    azure_accounts(out, model)
    for _, t in ipairs(util.sorted_keys(attrs)) do
      for _, r in ipairs(model.by_type(t)) do check_attr(out, r, attrs[t]) end
    end
    return out
  end,
}
