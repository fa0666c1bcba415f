-- Lua tests of residency/allowed-regions: a region missing from moongate's tables cannot be
-- verified, and the finding names the resource and where its region came from once.
local ID = "residency/allowed-regions"

return {
  region_not_in_the_tables = function()
    run(ID, plan{ resources = { tf_resource("aws_s3_bucket", "b", { bucket = "b" }) },
                  provider_region = "eu-west-0" }, { allowed_jurisdictions = { "EU" } })
    expect_unknown{ message = [[^aws_s3_bucket\.b \(region from provider\): aws region "eu-west-0" is not in moongate's region tables]] }
  end,
}
