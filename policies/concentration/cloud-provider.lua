-- Share of weighted resources per cloud vendor, with the HHI and effective vendor count.

local util = require "lib.util"

local vendors = { aws = "AWS", azure = "Microsoft Azure", gcp = "Google Cloud" }

-- Resource classes, matched in this order; the first class whose globs match wins.
local class_order = { "ai", "data", "compute", "network", "identity", "glue" }

local function class_of(classes, t)
  for _, class in ipairs(class_order) do
    for _, glob in ipairs(classes[class] or {}) do
      if moongate.glob(glob, t) then return class end
    end
  end
  return "other"
end

local function weigh(model, p)
  local totals, total, n, weights = {}, 0, 0, {}
  for _, r in ipairs(model.resources) do
    if vendors[r.cloud] and r.mode ~= "data" then
      local t = r.type or ""
      local w = weights[t]
      if w == nil then
        w = tonumber(p.weights[class_of(p.classes, t)]) or tonumber(p.weights.other) or 1
        weights[t] = w
      end
      if w > 0 then
        totals[r.cloud] = (totals[r.cloud] or 0) + w
        total, n = total + w, n + 1
      end
    end
  end
  return totals, total, n
end

local function summary(totals, total)
  local parts, hhi = {}, 0
  local keys = util.sorted_keys(totals)
  table.sort(keys, function(a, b) return totals[a] > totals[b] or (totals[a] == totals[b] and a < b) end)
  for _, k in ipairs(keys) do
    local share = totals[k] / total
    hhi = hhi + (100 * share) ^ 2
    parts[#parts + 1] = vendors[k] .. " " .. util.pct(share)
  end
  return parts, hhi, keys[1]
end

return {
  title = "No single cloud vendor may hold more than the maximum share",
  severity = "low",
  description = [[Vendor concentration (EU DORA Art. 28-29, EBA/GL/2019/02, PRA SS2/21): the
share of resources per cloud vendor, weighted by class (AI endpoints and data stores weigh
more than identity and glue), over the whole input. The finding reports every vendor's share,
the Herfindahl-Hirschman index (HHI, 0-10,000) and the effective number of vendors
(10,000 / HHI). Utility providers (random, null, time, tls, local, terraform_data),
Kubernetes objects and data sources do not count.]],
  remediation = [[Plan an exit strategy and substitutability for the dominant vendor, move
workloads, or raise max_share knowingly (a single-cloud estate is a decision to document).]],
  references = {
    "https://eur-lex.europa.eu/eli/reg/2022/2554/oj",
    "https://www.eba.europa.eu/regulation-and-policy/internal-governance/guidelines-on-outsourcing-arrangements",
  },
  tags = { "concentration", "dora" },
  params = {
    max_share = 0.8,
    min_resources = 5,
    weights = { ai = 3, data = 3, compute = 2, network = 1, other = 1, identity = 0.5, glue = 0.5 },
    classes = {
      ai = { "azurerm_cognitive_*", "azurerm_ai_*", "aws_bedrock*", "aws_sagemaker_*",
             "google_vertex_ai_*" },
      data = { "aws_s3_bucket", "aws_db_instance", "aws_rds_cluster", "aws_dynamodb_table",
               "aws_efs_file_system", "aws_elasticache_*", "aws_redshift_cluster",
               "azurerm_storage_account", "azurerm_*sql*_server", "azurerm_*_database",
               "azurerm_cosmosdb_account", "google_storage_bucket", "google_sql_database_instance",
               "google_bigquery_dataset", "google_spanner_instance" },
      compute = { "aws_instance", "aws_lambda_function", "aws_ecs_*", "aws_eks_cluster",
                  "azurerm_*virtual_machine*", "azurerm_kubernetes_cluster", "azurerm_*_app",
                  "google_compute_instance", "google_container_cluster", "google_cloud_run_*",
                  "google_cloudfunctions*" },
      network = { "aws_vpc", "aws_subnet", "aws_lb", "aws_nat_gateway", "azurerm_virtual_network",
                  "azurerm_subnet", "google_compute_network", "google_compute_subnetwork" },
      identity = { "aws_iam_*", "azurerm_role_*", "azuread_*", "google_*_iam_*",
                   "google_service_account*" },
      glue = { "aws_*_policy", "aws_*_attachment", "*_association", "*_tag*",
               "azurerm_resource_group", "google_project_service" },
    },
  },
  evaluate = function(model, ctx)
    local p = ctx.params
    local totals, total, n = weigh(model, p)
    if n < (tonumber(p.min_resources) or 0) or total <= 0 then return nil end
    local parts, hhi, top = summary(totals, total)
    local share = totals[top] / total
    if share <= (tonumber(p.max_share) or 1) then return nil end
    return string.format("%s holds %s of %d cloud resources by weight, above max_share %s: %s; "
      .. "HHI %.0f, effective number of vendors %.1f", vendors[top], util.pct(share), n,
      util.pct(tonumber(p.max_share)), table.concat(parts, ", "), hhi, 10000 / hhi)
  end,
}
