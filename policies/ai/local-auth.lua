-- Azure AI accounts must not accept API keys.

local util = require "lib.util"

return {
  title = "Azure AI accounts must disable local (API key) authentication",
  severity = "medium",
  description = [[azurerm_cognitive_account accepts API keys unless local_auth_enabled is
false (absent means true). Keys are long-lived shared secrets; Entra ID authentication gives
per-identity access, auditing and conditional access.]],
  remediation = [[Set local_auth_enabled = false and a custom_subdomain_name, and grant
callers the Cognitive Services OpenAI User role through Entra ID.]],
  references = { "https://learn.microsoft.com/azure/ai-services/disable-local-auth" },
  tags = { "ai", "identity" },
  params = {},
  types = { "azurerm_cognitive_account" },
  check = function(r, ctx)
    local v = r.values.local_auth_enabled
    if v == false then return nil end
    if util.unknown(v) then
      return moongate.cannot_verify(r.address .. ": local_auth_enabled is unknown until apply",
        "local_auth_enabled")
    end
    return { message = string.format("%s (kind %s): local_auth_enabled is %s: API keys are accepted",
      r.address, tostring(r.values.kind), v == nil and "not set (defaults to true)" or "true"),
      path = "local_auth_enabled" }
  end,
}
