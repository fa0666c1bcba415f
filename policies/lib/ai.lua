-- AI service data: where Azure OpenAI / AI Foundry deployments process prompts, where Bedrock
-- cross-region inference profiles route, and how to tell a model's vendor. Sources:
-- cloud-ai-facts §3 (November 2026).

local M = {}

-- azurerm_cognitive_deployment sku.name -> processing scope:
--   geography: the account's Azure geography; datazone: the account's data zone (US or EU);
--   global: any Azure OpenAI / Foundry location; any: no residency guarantee at all.
M.azure_sku_scope = {
  Standard = "geography",
  ProvisionedManaged = "geography",
  DataZoneStandard = "datazone",
  DataZoneProvisionedManaged = "datazone",
  DataZoneBatch = "datazone",
  GlobalStandard = "global",
  GlobalProvisionedManaged = "global",
  GlobalBatch = "global",
  Developer = "any",
}

-- Microsoft data zones by the bloc of the account's location (only US and EU are documented).
M.azure_data_zones = { US = "US", EU = "EU" }

-- Bedrock cross-region inference profile prefixes -> regions a request may be routed to.
-- `any = true`: any commercial region. Note that eu. includes London and Zurich and apac.
-- includes the UAE.
M.bedrock_geo = {
  ["us"] = { "us-east-1", "us-east-2", "us-west-2" },
  ["eu"] = { "eu-central-1", "eu-west-1", "eu-west-3", "eu-north-1", "eu-south-1",
             "eu-south-2", "eu-west-2", "eu-central-2" },
  ["apac"] = "ap-* and me-central-1", -- expanded below from lib/regions
  ["jp"] = { "ap-northeast-1", "ap-northeast-3" },
  ["au"] = { "ap-southeast-2", "ap-southeast-4" },
  ["us-gov"] = { "us-gov-east-1", "us-gov-west-1" },
  ["global"] = { any = true },
}

-- apac.: every AWS ap-* region, and the UAE.
do
  local regions = require "lib.regions"
  local apac = { "me-central-1" }
  for code in pairs(regions.aws) do
    if code:match("^ap%-") then apac[#apac + 1] = code end
  end
  table.sort(apac)
  M.bedrock_geo.apac = apac
end

-- Model vendors as the first segment of a Bedrock model id, with display names.
M.bedrock_vendors = {
  anthropic = "Anthropic", amazon = "Amazon", meta = "Meta", mistral = "Mistral AI",
  cohere = "Cohere", openai = "OpenAI", deepseek = "DeepSeek", ai21 = "AI21 Labs",
  writer = "Writer", qwen = "Qwen", stability = "Stability AI", twelvelabs = "TwelveLabs",
  luma = "Luma AI", google = "Google", nvidia = "NVIDIA", minimax = "MiniMax",
  moonshot = "Moonshot AI", xai = "xAI",
}

-- PCRE2 pattern of a cross-region inference profile id inside any text (an ARN, an env var):
-- captures the geo prefix and the vendor segment.
M.bedrock_profile_pattern =
  "(?<![A-Za-z0-9_.-])(us-gov|global|apac|us|eu|jp|au)\\.([a-z0-9]+)\\.[a-z0-9][a-z0-9.:_-]*"

-- Every cross-region inference profile id inside text s: list of { id, geo, vendor }.
-- Guardrail profiles ("eu.guardrail.v1:0") count too, with vendor nil.
function M.find_profiles(s)
  local out = {}
  if type(s) ~= "string" then return out end
  local rest = s
  while rest ~= "" do
    local b, e = moongate.regex.find(rest, M.bedrock_profile_pattern)
    if not b then break end
    local id = rest:sub(b, e)
    local geo, seg = moongate.regex.match(id, M.bedrock_profile_pattern)
    if M.bedrock_vendors[seg] or seg == "guardrail" then
      out[#out + 1] = { id = id, geo = geo, vendor = M.bedrock_vendors[seg] and seg or nil }
    end
    rest = rest:sub(e + 1)
  end
  return out
end

-- Does text s show Bedrock use: a profile id, a plain model id or a bedrock-runtime host?
local uses_pattern

function M.uses_bedrock(s)
  if type(s) ~= "string" or not s:find(".", 1, true) then return false end
  uses_pattern = uses_pattern or ("bedrock-runtime(?:-fips)?\\.[a-z0-9-]+\\.amazonaws\\.com|"
    .. M.bedrock_model_pattern())
  if moongate.regex.test(s, uses_pattern) then return true end
  return #M.find_profiles(s) > 0
end

-- PCRE2 pattern of a plain Bedrock model id ("anthropic.claude-3-haiku-20240307-v1:0").
function M.bedrock_model_pattern()
  local names = {}
  for k in pairs(M.bedrock_vendors) do names[#names + 1] = k end
  table.sort(names)
  return "(?<![A-Za-z0-9_-])(?:" .. table.concat(names, "|") .. ")\\.[a-z0-9-]+[-.:]v?\\d"
end

-- Normalises a model vendor name for comparison ("Mistral AI", "mistral" -> "mistral").
local aliases = { mistralai = "mistral", metaai = "meta", ["meta-llama"] = "meta",
                  microsoft = "microsoft", azureopenai = "openai" }
function M.vendor_key(name)
  if type(name) ~= "string" or name == "" then return nil end
  local k = name:lower():gsub("[%s_]", "")
  return aliases[k] or k
end

-- Display name of a vendor key.
function M.vendor_name(key)
  return M.bedrock_vendors[key] or key
end

-- The model vendor of a Bedrock model id or ARN, after removing a geo prefix:
-- "eu.anthropic.claude-3-7-sonnet-20250219-v1:0" -> "anthropic". nil when not recognised.
function M.bedrock_vendor(id)
  if type(id) ~= "string" then return nil end
  local tail = id:match("/([^/]+)$") or id
  local first, rest = tail:match("^([a-z0-9-]+)%.(.+)$")
  if first and M.bedrock_geo[first] then tail = rest end
  local vendor = tail:match("^([a-z0-9]+)%.")
  if vendor and M.bedrock_vendors[vendor] then return vendor end
  return nil
end

-- The geo prefix of a Bedrock cross-region inference profile id or ARN, or nil.
function M.bedrock_geo_prefix(id)
  if type(id) ~= "string" then return nil end
  local tail = id:match("/([^/]+)$") or id
  local first, rest = tail:match("^([a-z0-9-]+)%.([a-z0-9]+)%.")
  if first and M.bedrock_geo[first] and M.bedrock_vendors[rest] then return first end
  return nil
end

-- Vertex AI Model Garden publisher: "publishers/meta/models/llama3" -> "meta".
function M.vertex_vendor(name)
  if type(name) ~= "string" then return nil end
  return name:match("publishers/([^/]+)/")
end

return M
