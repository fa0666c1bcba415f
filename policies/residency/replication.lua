-- Replicas and backup copies must stay inside the allowed set too.

local geo = require "lib.geo"
local regions = require "lib.regions"
local residency = require "lib.residency"
local util = require "lib.util"

local function cannot(out, r, message, path)
  local f = moongate.cannot_verify(r.address .. ": " .. message, path)
  f.resource = r
  util.add(out, f)
end

-- The aws_s3_bucket a destination ARN ("arn:aws:s3:::name") names, when in the model.
local function find_bucket(model, arn)
  local name = arn:match("^arn:[^:]*:s3:::([^/]+)") or arn
  for _, b in ipairs(model.by_type("aws_s3_bucket")) do
    local v = b.values
    if v.arn == arn or v.bucket == name or v.id == name then return b end
  end
  return nil
end

local function s3_destination(out, scope, model, r, dest, path)
  local arn = dest and dest.bucket
  if util.unknown(arn) then return cannot(out, r, "replication destination is unknown until apply", path) end
  if type(arn) ~= "string" then return end
  local target = find_bucket(model, arn)
  if not target then
    return cannot(out, r, "replication destination " .. arn .. " is not in the input; its "
      .. "region cannot be verified", path)
  end
  if target.region_state ~= "known" then
    return cannot(out, r, "replication destination " .. target.address .. " has no resolvable region", path)
  end
  residency.check(out, scope, r, "aws", target.region, path, r.address .. " replicates to "
    .. target.address .. " in")
end

local function s3_rules(out, scope, model, r, rules, prefix)
  for i, rule in ipairs(util.blocks(rules)) do
    for j, dest in ipairs(util.blocks(rule.destination)) do
      s3_destination(out, scope, model, r, dest, string.format("%s.%d.destination.%d.bucket",
        prefix, i - 1, j - 1))
    end
  end
end

local function s3(out, scope, model)
  for _, r in ipairs(model.by_type("aws_s3_bucket_replication_configuration")) do
    s3_rules(out, scope, model, r, r.values.rule, "rule")
  end
  for _, r in ipairs(model.by_type("aws_s3_bucket")) do
    for i, cfg in ipairs(util.blocks(r.values.replication_configuration)) do
      s3_rules(out, scope, model, r, cfg.rules, "replication_configuration." .. (i - 1) .. ".rules")
    end
  end
end

local function dynamodb(out, scope, model)
  for _, r in ipairs(model.by_type("aws_dynamodb_table")) do
    for i, rep in ipairs(util.blocks(r.values.replica)) do
      local path = "replica." .. (i - 1) .. ".region_name"
      if util.unknown(rep.region_name) then
        cannot(out, r, "replica region is unknown until apply", path)
      elseif type(rep.region_name) == "string" then
        residency.check(out, scope, r, "aws", rep.region_name, path, r.address .. " has a replica in")
      end
    end
  end
end

local function kms(out, scope, model)
  for _, r in ipairs(model.by_type("aws_kms_replica_key")) do
    if r.region_state == "known" then
      local primary = util.arn_region(r.values.primary_key_arn)
      residency.check(out, scope, r, "aws", r.region, nil, r.address .. " replicates key "
        .. "material" .. (primary and (" from " .. primary) or "") .. " to")
    end
  end
end

local function backup(out, scope, model)
  for _, r in ipairs(model.by_type("aws_backup_plan")) do
    for i, rule in ipairs(util.blocks(r.values.rule)) do
      for j, copy in ipairs(util.blocks(rule.copy_action)) do
        local path = string.format("rule.%d.copy_action.%d.destination_vault_arn", i - 1, j - 1)
        local arn = copy.destination_vault_arn
        local region = util.arn_region(arn)
        if util.unknown(arn) then
          cannot(out, r, "backup copy destination is unknown until apply", path)
        elseif region then
          residency.check(out, scope, r, "aws", region, path, r.address .. " copies backups to")
        end
      end
    end
  end
end

local geo_replicated = { GRS = true, RAGRS = true, GZRS = true, RAGZRS = true }

local function azure_storage(out, scope, model)
  for _, r in ipairs(model.by_type("azurerm_storage_account")) do
    local t, path = r.values.account_replication_type, "account_replication_type"
    if util.unknown(t) then
      cannot(out, r, "replication type is unknown until apply", path)
    elseif type(t) == "string" and geo_replicated[t:upper()] and r.region_state == "known" then
      local info = geo.region("azure", r.region)
      if info and info.pair then
        residency.check(out, scope, r, "azure", info.pair, path, r.address .. " (" .. t
          .. ") replicates to the paired region")
      elseif info then
        cannot(out, r, t .. " in " .. r.region .. ", which has no documented paired region: "
          .. "where the secondary copy is kept cannot be verified", path)
      end
    end
  end
end

local function cosmos(out, scope, model)
  for _, r in ipairs(model.by_type("azurerm_cosmosdb_account")) do
    for i, g in ipairs(util.blocks(r.values.geo_location)) do
      local path = "geo_location." .. (i - 1) .. ".location"
      if util.unknown(g.location) then
        cannot(out, r, "geo_location is unknown until apply", path)
      elseif type(g.location) == "string" then
        residency.check(out, scope, r, "azure", g.location, path, r.address .. " replicates to")
      end
    end
  end
end

local function gcs(out, scope, model)
  for _, r in ipairs(model.by_type("google_storage_bucket")) do
    local v = r.values
    local cp = util.first(v.custom_placement_config)
    local locs = cp and util.strings(cp.data_locations) or {}
    for i, loc in ipairs(locs) do
      residency.check(out, scope, r, "gcp", loc:lower(), "custom_placement_config.0.data_locations."
        .. (i - 1), r.address .. " stores data in")
    end
    local loc = v.location
    -- a multi-region that is the bucket's resolved region is allowed-regions' finding
    local own = r.region_state == "known" and type(loc) == "string" and r.region:lower() == loc:lower()
    if #locs == 0 and not own and type(loc) == "string" and regions.gcp_multi[loc:lower()] then
      residency.check(out, scope, r, "gcp", loc, "location", r.address .. " stores data in")
    end
  end
end

local checks = { s3, dynamodb, kms, backup, azure_storage, cosmos, gcs }

return {
  title = "Replicas and backup copies must stay in the allowed jurisdictions",
  severity = "high",
  description = [[Replication moves data where allowed-regions does not look: S3 replication
rules (the destination bucket's region, resolved from the bucket in the input), DynamoDB
global table replicas, KMS replica keys, AWS Backup copy actions, Azure geo-redundant storage
(GRS, RAGRS, GZRS, RAGZRS copy to the paired region, which may cross a border or be one-way),
Cosmos DB geo locations, and Cloud Storage multi-, dual- and custom dual-regions.]],
  remediation = [[Replicate to a region inside the allowed set (for Azure storage: LRS/ZRS, or
a region whose pair is allowed; for GCS: a regional or allowed dual-region location).]],
  references = {
    "https://learn.microsoft.com/azure/reliability/cross-region-replication-azure",
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html",
    "https://cloud.google.com/storage/docs/locations",
  },
  tags = { "residency", "replication" },
  params = residency.params,
  types = { "aws_s3_bucket_replication_configuration", "aws_s3_bucket", "aws_dynamodb_table",
            "aws_kms_replica_key", "aws_backup_plan", "azurerm_storage_account",
            "azurerm_cosmosdb_account", "google_storage_bucket" },
  evaluate = function(model, ctx)
    local scope = residency.scope(ctx, model)
    if not scope then return nil end
    local out = {}
    for _, f in ipairs(checks) do f(out, scope, model) end
    return out
  end,
}
