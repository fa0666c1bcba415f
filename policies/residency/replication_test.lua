-- Lua tests of residency/replication: every kind of copy the policy follows, inside and
-- outside the allowed (default EU) jurisdictions, and values known only after apply.
local ID = "residency/replication"
local EU = { allowed_jurisdictions = { "EU" } }

local function aws(resources)
  return plan{ resources = resources, provider_region = "eu-west-1" }
end

local function r(rtype, name, values, opts)
  return tf_resource(rtype, name, values, opts)
end

local function s3_rule(bucket_arn)
  return { { id = "all", status = "Enabled", destination = { { bucket = bucket_arn } } } }
end

return {
  s3_destination_outside_the_input = function()
    run(ID, aws{ r("aws_s3_bucket_replication_configuration", "rep",
                   { bucket = "src", rule = s3_rule("arn:aws:s3:::elsewhere") }) }, EU)
    expect_unknown{ message = "elsewhere is not in the input" }
  end,

  s3_destination_unknown = function()
    run(ID, aws{ r("aws_s3_bucket_replication_configuration", "rep",
                   { bucket = "src", rule = { { id = "all", destination = { { storage_class = "STANDARD" } } } } },
                   { unknown = { rule = { { destination = { { bucket = true } } } } } }) }, EU)
    expect_unknown{ message = "replication destination is unknown until apply" }
  end,

  s3_inline_replication_to_us = function()
    run(ID, aws{
      r("aws_s3_bucket", "src", { bucket = "src", replication_configuration = {
        { role = "arn:aws:iam::1:role/r", rules = s3_rule("arn:aws:s3:::dst") } } }),
      r("aws_s3_bucket", "dst", { bucket = "dst", region = "us-east-1" }),
    }, EU)
    expect_finding{ resource = "aws_s3_bucket.src", severity = "high",
                    message = "replicates to aws_s3_bucket.dst in" }
  end,

  s3_destination_without_region = function()
    run(ID, plan{ resources = {
      r("aws_s3_bucket_replication_configuration", "rep", { bucket = "src", rule = s3_rule("dst") }),
      r("aws_s3_bucket", "dst", { bucket = "dst" }),
    } }, EU)
    expect_unknown{ message = "has no resolvable region" }
  end,

  dynamodb_replicas = function()
    run(ID, aws{ r("aws_dynamodb_table", "t", { name = "t", replica = {
      { region_name = "eu-central-1" }, { region_name = "us-west-2" }, { kms_key_arn = "k" } } },
      { unknown = { replica = { {}, {}, { region_name = true } } } }) }, EU)
    expect_finding{ message = "has a replica in.*us-west-2" }
    expect_unknown{ message = "replica region is unknown until apply" }
    expect_count(2)
  end,

  kms_replica_key_in_us = function()
    run(ID, plan{ resources = { r("aws_kms_replica_key", "k", {
      region = "us-east-1", primary_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1" }) } }, EU)
    expect_finding{ message = "replicates key material from eu-west-1 to" }
  end,

  backup_copies = function()
    run(ID, aws{ r("aws_backup_plan", "p", { name = "p", rule = { { rule_name = "daily",
      copy_action = { { destination_vault_arn = "arn:aws:backup:us-east-1:111122223333:backup-vault:v" },
                      { destination_vault_arn = "arn:aws:backup:eu-west-3:111122223333:backup-vault:v" },
                      { lifecycle = { { delete_after = 30 } } } } } } },
      { unknown = { rule = { { copy_action = { {}, {}, { destination_vault_arn = true } } } } } }) }, EU)
    expect_finding{ message = "copies backups to" }
    expect_unknown{ message = "backup copy destination is unknown" }
    expect_count(2)
  end,

  azure_grs_unknown_type = function()
    run(ID, plan{ resources = { r("azurerm_storage_account", "sa", { name = "sa", location = "westeurope" },
                                  { unknown = { account_replication_type = true } }) } }, EU)
    expect_unknown{ message = "replication type is unknown until apply" }
  end,

  azure_grs_without_pair = function()
    run(ID, plan{ resources = { r("azurerm_storage_account", "sa", { name = "sa",
      location = "spaincentral", account_replication_type = "GRS" }) } }, EU)
    expect_unknown{ message = "no documented paired region" }
  end,

  cosmos_geo_locations = function()
    run(ID, plan{ resources = { r("azurerm_cosmosdb_account", "db", { name = "db", location = "westeurope",
      geo_location = { { location = "westeurope", failover_priority = 0 },
                       { location = "eastus", failover_priority = 1 }, { failover_priority = 2 } } },
      { unknown = { geo_location = { {}, {}, { location = true } } } }) } }, EU)
    expect_finding{ message = "replicates to.*eastus" }
    expect_unknown{ message = "geo_location is unknown until apply" }
    expect_count(2)
  end,

  gcs_locations = function()
    run(ID, plan{ resources = {
      r("google_storage_bucket", "dual", { name = "dual", location = "EU",
        custom_placement_config = { { data_locations = { "EUROPE-WEST1", "US-CENTRAL1" } } } }),
      r("google_storage_bucket", "multi", { name = "multi", location = "US" }),
      r("google_storage_bucket", "eu", { name = "eu", location = "europe-west1" }),
    }, providers = { google = "europe-west1" } }, EU)
    expect_finding{ resource = "google_storage_bucket.dual", message = "stores data in.*us-central1" }
    -- the multi-region bucket's own location is residency/allowed-regions' finding, not this one's
    expect_count(1)
  end,
}
