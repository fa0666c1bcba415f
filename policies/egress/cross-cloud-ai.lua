-- Compute in one cloud calling an AI or storage endpoint of another cloud.

local egress = require "lib.egress"
local settings = require "lib.settings"
local util = require "lib.util"

local cluster_types = { aws_eks_cluster = "aws", azurerm_kubernetes_cluster = "azure",
                        google_container_cluster = "gcp" }

-- The cloud Kubernetes workloads run in: param kubernetes_cloud, else the only cloud with a
-- managed cluster in the input, else nil.
local function cluster_cloud(model, ctx)
  local p = ctx.params.kubernetes_cloud
  if type(p) == "string" and p ~= "" then return p end
  local found
  for t, cloud in pairs(cluster_types) do
    if #model.by_type(t) > 0 then
      if found and found ~= cloud then return nil end
      found = cloud
    end
  end
  return found
end

-- The cloud of a workload's images when all come from one cloud's registry.
local function image_cloud(r)
  local found
  for _, img in ipairs(settings.images(r)) do
    for _, reg in ipairs(egress.registries) do
      if moongate.regex.test(img.image, reg.pattern) then
        if found and found ~= reg.cloud then return nil end
        found = reg.cloud
      end
    end
  end
  return found
end

-- The cloud of the images of every Kubernetes workload in the input, when it is one cloud.
local function workloads_cloud(model)
  local found
  for _, r in ipairs(util.by_types(model, util.sorted_keys(settings.workload_kinds))) do
    local c = image_cloud(r)
    if c then
      if found and found ~= c then return nil end
      found = c
    end
  end
  return found
end

-- memo keeps the model-wide answers (cluster and workloads cloud) of one evaluation: they
-- are the same for every resource, and computing them per resource is quadratic.
local function sender_cloud(r, model, ctx, memo)
  if r.cloud == "aws" or r.cloud == "azure" or r.cloud == "gcp" then return r.cloud end
  if memo.cluster == nil then memo.cluster = cluster_cloud(model, ctx) or false end
  if memo.cluster then return memo.cluster end
  local c = image_cloud(r)
  if c then return c end
  if memo.workloads == nil then memo.workloads = workloads_cloud(model) or false end
  return memo.workloads or nil
end

local function message(r, from, s, h)
  local where = r.region and (" in " .. r.region) or ""
  local msg = string.format("%s (%s%s) calls %s at %s (%s) through %s", r.address, from, where,
    h.service, h.host, h.cloud, s.path)
  if s.name and not s.path:find(s.name, 1, true) then msg = msg .. " (" .. s.name .. ")" end
  local price = egress.price(from)
  if price then
    msg = msg .. string.format("; %s bills it as internet egress at %s (prices of %s)", from,
      price, egress.prices_date)
  end
  return msg
end

local function check_resource(out, r, model, ctx, memo)
  local from
  for _, s in ipairs(settings.strings(r, egress.host_literals)) do
    for _, h in ipairs(egress.find_hosts(s.value)) do
      from = from or sender_cloud(r, model, ctx, memo) or "?"
      if from == "?" then
        local f = moongate.cannot_verify(string.format("%s calls %s at %s, and the cloud it "
          .. "runs in is not in the input (set kubernetes_cloud)", r.address, h.service, h.host), s.path)
        f.resource = r
        util.add(out, f)
      elseif h.cloud ~= from then
        util.add(out, { resource = r, message = message(r, from, s, h), path = s.path })
      end
    end
  end
end

return {
  title = "Compute must not call AI or storage endpoints of another cloud",
  severity = "medium",
  description = [[Prompts, documents and embeddings sent from compute in one cloud to an AI
or storage endpoint of another cross a provider boundary: the sending cloud bills it as
internet egress (unless a private interconnect carries it) and the data leaves the first
provider's controls. Checked in Lambda environment variables, ECS container definitions, Azure
app settings (web and function apps), container apps, Cloud Run, Kubernetes container env and
ConfigMap data, against the endpoint host patterns of Azure OpenAI / AI services / Foundry,
Bedrock, S3, Azure Storage, Vertex AI, Gemini, Cloud Storage and the OpenAI API.]],
  remediation = [[Use the AI service of the cloud the workload runs in, move the workload, or
carry the traffic over a private interconnect and waive the finding with that reason.]],
  references = {
    "https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer",
    "https://eur-lex.europa.eu/eli/reg/2023/2854/oj",
  },
  tags = { "egress", "ai", "cost" },
  params = { kubernetes_cloud = "" },
  types = settings.types,
  evaluate = function(model, ctx)
    local out, memo = {}, {}
    for _, r in ipairs(util.by_types(model, settings.types)) do
      check_resource(out, r, model, ctx, memo)
    end
    return out
  end,
}
