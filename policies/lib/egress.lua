-- Egress data: endpoint host patterns of AI and storage services (PCRE2, for moongate.regex;
-- the first capture is the region when the host name has one) and egress prices.
-- Sources: cloud-ai-facts §4 (November 2026). Prices change: update them with their date.

local M = {}

M.prices_date = "2026-11"

-- USD per GB for traffic leaving each cloud to the internet (first paid tier). Cross-cloud
-- traffic is billed as internet egress by the sending cloud unless a private interconnect
-- (Direct Connect, ExpressRoute, Interconnect) carries it.
M.internet_egress_usd_per_gb = {
  aws = 0.09,     -- after 100 GB/month free
  azure = 0.087,  -- first tier, unconfirmed
  gcp = 0.12,     -- premium tier to North America (per GiB)
}

M.inter_region_usd_per_gb = { aws = 0.02, azure = 0.02 }
M.nat_gateway_usd_per_gb = { aws = 0.045 }

-- Endpoint host patterns. kind: "ai" or "storage"; cloud: who serves it; service: display name;
-- literal: text every match contains (a plain search skips the regex on most strings).
M.hosts = {
  { cloud = "azure", kind = "ai", service = "Azure OpenAI",
    pattern = "[a-z0-9-]+\\.openai\\.azure\\.com",
    literal = ".openai.azure.com" },
  { cloud = "azure", kind = "ai", service = "Azure AI services",
    pattern = "[a-z0-9-]+\\.cognitiveservices\\.azure\\.com",
    literal = ".cognitiveservices.azure.com" },
  { cloud = "azure", kind = "ai", service = "Azure AI Foundry",
    pattern = "[a-z0-9-]+\\.services\\.ai\\.azure\\.com",
    literal = ".services.ai.azure.com" },
  { cloud = "azure", kind = "storage", service = "Azure Storage",
    pattern = "[a-z0-9]+\\.(?:blob|dfs)\\.core\\.windows\\.net", no_region = true,
    literal = ".core.windows.net" },
  { cloud = "aws", kind = "ai", service = "Bedrock",
    pattern = "bedrock-runtime(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com",
    literal = "bedrock-runtime" },
  { cloud = "aws", kind = "ai", service = "Bedrock",
    pattern = "bedrock-mantle\\.([a-z0-9-]+)\\.api\\.aws",
    literal = "bedrock-mantle." },
  { cloud = "aws", kind = "storage", service = "S3",
    pattern = "s3[.-]([a-z0-9-]+)\\.amazonaws\\.com",
    literal = ".amazonaws.com" },
  { cloud = "gcp", kind = "ai", service = "Vertex AI",
    pattern = "([a-z0-9-]+)-aiplatform\\.googleapis\\.com",
    literal = "-aiplatform.googleapis.com" },
  { cloud = "gcp", kind = "ai", service = "Vertex AI (global)",
    pattern = "(?<![a-z0-9-])aiplatform\\.googleapis\\.com", region = "global",
    literal = "aiplatform.googleapis.com" },
  { cloud = "gcp", kind = "ai", service = "Vertex AI",
    pattern = "aiplatform\\.(us|eu)\\.rep\\.googleapis\\.com",
    literal = ".rep.googleapis.com" },
  { cloud = "gcp", kind = "ai", service = "Gemini API",
    pattern = "generativelanguage\\.googleapis\\.com", region = "global",
    literal = "generativelanguage.googleapis.com" },
  { cloud = "gcp", kind = "storage", service = "Cloud Storage",
    pattern = "storage\\.googleapis\\.com", no_region = true,
    literal = "storage.googleapis.com" },
  { cloud = "openai", kind = "ai", service = "OpenAI API",
    pattern = "api\\.openai\\.com", region = "global",
    literal = "api.openai.com" },
}

-- Container image registries whose host names carry a region.
M.registries = {
  { cloud = "aws", service = "ECR",
    pattern = "^\\d+\\.dkr\\.ecr(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?/" },
  { cloud = "gcp", service = "Artifact Registry",
    pattern = "^([a-z0-9-]+)-docker\\.pkg\\.dev/" },
  { cloud = "gcp", service = "Container Registry", pattern = "^(eu|us|asia)\\.gcr\\.io/" },
  { cloud = "azure", service = "Azure Container Registry",
    pattern = "^([a-z0-9]+)\\.azurecr\\.io/", by_name = "azurerm_container_registry" },
}

-- The literal of every host pattern: a text holding none of them names no endpoint.
M.host_literals = {}
for i, h in ipairs(M.hosts) do M.host_literals[i] = h.literal end

local found, nfound = {}, 0 -- find_hosts answers by text: the same endpoints recur in an estate
local FOUND_MAX = 4096     -- texts kept, at most, before the memory starts over

local function search_hosts(s)
  local out = {}
  for _, h in ipairs(M.hosts) do
    local rest = s:find(h.literal, 1, true) and s or ""
    while rest ~= "" do
      local b, e = moongate.regex.find(rest, h.pattern)
      if not b then break end
      local host = rest:sub(b, e)
      local region = h.region
      if not region and not h.no_region then region = moongate.regex.match(host, h.pattern) end
      out[#out + 1] = { host = host, region = region, cloud = h.cloud, kind = h.kind,
                        service = h.service }
      rest = rest:sub(e + 1)
    end
  end
  return out
end

-- Every AI or storage endpoint named inside text s: list of { host, region, cloud, kind,
-- service } (region nil when the host name has none). The same list for the same text:
-- read only.
function M.find_hosts(s)
  if type(s) ~= "string" then return {} end
  local out = found[s]
  if out then return out end
  -- one search for all the literals first: most strings name no endpoint
  if not moongate.contains(s, M.host_literals) then return {} end
  if nfound == FOUND_MAX then found, nfound = {}, 0 end
  out = search_hosts(s)
  found[s], nfound = out, nfound + 1
  return out
end

-- "$0.09/GB" internet egress of a cloud, or nil.
function M.price(cloud)
  local p = M.internet_egress_usd_per_gb[cloud]
  return p and string.format("$%.3g/GB", p)
end

return M
