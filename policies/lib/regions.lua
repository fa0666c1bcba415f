-- Region data for the built-in pack: every region moongate knows, with its physical location,
-- ISO 3166 country and jurisdiction bloc. Bloc values: EU (EU member state), EEA (EEA but not
-- EU), UK, CH, US, CA, and "-" for none of these. Sources: cloud-ai-facts §1 (November 2026).
-- To update: edit the rows; each row is { location, country, bloc [, pair, one_way] }.

local M = {}

M.aws = {
  ["us-east-1"] = { "N. Virginia", "US", "US" },
  ["us-east-2"] = { "Ohio", "US", "US" },
  ["us-west-1"] = { "N. California", "US", "US" },
  ["us-west-2"] = { "Oregon", "US", "US" },
  ["ca-central-1"] = { "Canada Central", "CA", "CA" },
  ["ca-west-1"] = { "Calgary", "CA", "CA" },
  ["mx-central-1"] = { "Mexico Central", "MX", "-" },
  ["sa-east-1"] = { "Sao Paulo", "BR", "-" },
  ["eu-west-1"] = { "Ireland", "IE", "EU" },
  ["eu-west-2"] = { "London", "GB", "UK" },
  ["eu-west-3"] = { "Paris", "FR", "EU" },
  ["eu-central-1"] = { "Frankfurt", "DE", "EU" },
  ["eu-central-2"] = { "Zurich", "CH", "CH" },
  ["eu-north-1"] = { "Stockholm", "SE", "EU" },
  ["eu-south-1"] = { "Milan", "IT", "EU" },
  ["eu-south-2"] = { "Spain", "ES", "EU" },
  ["il-central-1"] = { "Tel Aviv", "IL", "-" },
  ["me-central-1"] = { "UAE", "AE", "-" },
  ["me-south-1"] = { "Bahrain", "BH", "-" },
  ["af-south-1"] = { "Cape Town", "ZA", "-" },
  ["ap-east-1"] = { "Hong Kong", "HK", "-" },
  ["ap-east-2"] = { "Taipei", "TW", "-" },
  ["ap-northeast-1"] = { "Tokyo", "JP", "-" },
  ["ap-northeast-2"] = { "Seoul", "KR", "-" },
  ["ap-northeast-3"] = { "Osaka", "JP", "-" },
  ["ap-south-1"] = { "Mumbai", "IN", "-" },
  ["ap-south-2"] = { "Hyderabad", "IN", "-" },
  ["ap-southeast-1"] = { "Singapore", "SG", "-" },
  ["ap-southeast-2"] = { "Sydney", "AU", "-" },
  ["ap-southeast-3"] = { "Jakarta", "ID", "-" },
  ["ap-southeast-4"] = { "Melbourne", "AU", "-" },
  ["ap-southeast-5"] = { "Malaysia", "MY", "-" },
  ["ap-southeast-6"] = { "New Zealand", "NZ", "-" },
  ["ap-southeast-7"] = { "Thailand", "TH", "-" },
  -- other partitions
  ["cn-north-1"] = { "Beijing", "CN", "-" },
  ["cn-northwest-1"] = { "Ningxia", "CN", "-" },
  ["us-gov-east-1"] = { "GovCloud US-East", "US", "US" },
  ["us-gov-west-1"] = { "GovCloud US-West", "US", "US" },
  ["eusc-de-east-1"] = { "European Sovereign Cloud", "DE", "EU" },
  ["us-iso-east-1"] = { "US ISO East", "US", "US" },
  ["us-iso-west-1"] = { "US ISO West", "US", "US" },
  ["us-isob-east-1"] = { "US ISOB East", "US", "US" },
  ["us-isob-west-1"] = { "US ISOB West", "US", "US" },
  ["us-isof-east-1"] = { "US ISOF East", "US", "US" },
  ["us-isof-south-1"] = { "US ISOF South", "US", "US" },
  -- country unconfirmed; the DNS suffix suggests the UK
  ["eu-isoe-west-1"] = { "EU ISOE West (unconfirmed)", "GB", "UK" },
}

-- Azure: keys are normalised location names (lower case, no spaces). `pair` is the paired
-- region; one_way = true when the pairing goes only from this region to `pair`. `geo` names
-- the Azure geography when it spans more than the region's country.
M.azure = {
  austriaeast = { "Vienna", "AT", "EU" },
  belgiumcentral = { "Brussels", "BE", "EU" },
  denmarkeast = { "Copenhagen", "DK", "EU" },
  francecentral = { "Paris", "FR", "EU", "francesouth" },
  francesouth = { "Marseille", "FR", "EU", "francecentral" },
  germanywestcentral = { "Frankfurt", "DE", "EU", "germanynorth" },
  germanynorth = { "Berlin", "DE", "EU", "germanywestcentral" },
  italynorth = { "Milan", "IT", "EU" },
  northeurope = { "Ireland", "IE", "EU", "westeurope", geo = "europe" },
  westeurope = { "Netherlands", "NL", "EU", "northeurope", geo = "europe" },
  polandcentral = { "Warsaw", "PL", "EU" },
  spaincentral = { "Madrid", "ES", "EU" },
  swedencentral = { "Gävle", "SE", "EU", "swedensouth" },
  swedensouth = { "Sweden South", "SE", "EU", "swedencentral" },
  norwayeast = { "Norway East", "NO", "EEA", "norwaywest" },
  norwaywest = { "Norway West", "NO", "EEA", "norwayeast" },
  switzerlandnorth = { "Zurich", "CH", "CH", "switzerlandwest" },
  switzerlandwest = { "Geneva", "CH", "CH", "switzerlandnorth" },
  uksouth = { "London", "GB", "UK", "ukwest" },
  ukwest = { "Cardiff", "GB", "UK", "uksouth" },
  eastus = { "Virginia", "US", "US", "westus" },
  eastus2 = { "Virginia", "US", "US", "centralus" },
  centralus = { "Iowa", "US", "US", "eastus2" },
  northcentralus = { "Illinois", "US", "US", "southcentralus" },
  southcentralus = { "Texas", "US", "US", "northcentralus" },
  westcentralus = { "Wyoming", "US", "US", "westus2" },
  westus = { "California", "US", "US", "eastus" },
  westus2 = { "Washington", "US", "US", "westcentralus" },
  westus3 = { "Phoenix", "US", "US", "eastus", one_way = true },
  canadacentral = { "Toronto", "CA", "CA", "canadaeast" },
  canadaeast = { "Quebec", "CA", "CA", "canadacentral" },
  brazilsouth = { "São Paulo State", "BR", "-", "southcentralus", one_way = true },
  brazilsoutheast = { "Rio", "BR", "-", "brazilsouth", one_way = true },
  chilecentral = { "Santiago", "CL", "-" },
  mexicocentral = { "Querétaro", "MX", "-" },
  eastasia = { "Hong Kong", "HK", "-", "southeastasia", geo = "asiapacific" },
  southeastasia = { "Singapore", "SG", "-", "eastasia", geo = "asiapacific" },
  japaneast = { "Tokyo, Saitama", "JP", "-", "japanwest" },
  japanwest = { "Osaka", "JP", "-", "japaneast" },
  koreacentral = { "Seoul", "KR", "-", "koreasouth" },
  koreasouth = { "Busan", "KR", "-", "koreacentral" },
  centralindia = { "Pune", "IN", "-", "southindia" },
  southindia = { "Chennai", "IN", "-", "centralindia", one_way = true },
  westindia = { "Mumbai", "IN", "-", "southindia", one_way = true },
  indiasouthcentral = { "Hyderabad", "IN", "-", "centralindia", one_way = true },
  indonesiacentral = { "Jakarta", "ID", "-" },
  malaysiawest = { "Kuala Lumpur", "MY", "-" },
  newzealandnorth = { "Auckland", "NZ", "-" },
  australiaeast = { "New South Wales", "AU", "-", "australiasoutheast" },
  australiasoutheast = { "Victoria", "AU", "-", "australiaeast" },
  australiacentral = { "Canberra", "AU", "-", "australiacentral2" },
  australiacentral2 = { "Canberra", "AU", "-", "australiacentral" },
  israelcentral = { "Israel", "IL", "-" },
  qatarcentral = { "Doha", "QA", "-" },
  uaenorth = { "Dubai", "AE", "-", "uaecentral" },
  uaecentral = { "Abu Dhabi", "AE", "-", "uaenorth" },
  southafricanorth = { "Johannesburg", "ZA", "-", "southafricawest" },
  southafricawest = { "Cape Town", "ZA", "-", "southafricanorth" },
  -- sovereign clouds
  usgovvirginia = { "US Gov Virginia", "US", "US" },
  usgovtexas = { "US Gov Texas", "US", "US" },
  usgovarizona = { "US Gov Arizona", "US", "US" },
  usdodeast = { "US DoD East", "US", "US" },
  usdodcentral = { "US DoD Central", "US", "US" },
  chinanorth = { "China North", "CN", "-" },
  chinaeast = { "China East", "CN", "-" },
  chinanorth2 = { "China North 2", "CN", "-" },
  chinaeast2 = { "China East 2", "CN", "-" },
  chinanorth3 = { "China North 3", "CN", "-" },
  chinaeast3 = { "China East 3", "CN", "-" },
}

-- Azure geographies that span several countries (the others are their region's country).
M.azure_geographies = {
  europe = { "northeurope", "westeurope" },
  asiapacific = { "eastasia", "southeastasia" },
}

M.gcp = {
  ["europe-west1"] = { "St. Ghislain", "BE", "EU" },
  ["europe-west3"] = { "Frankfurt", "DE", "EU" },
  ["europe-west10"] = { "Berlin", "DE", "EU" },
  ["europe-west4"] = { "Eemshaven", "NL", "EU" },
  ["europe-west8"] = { "Milan", "IT", "EU" },
  ["europe-west12"] = { "Turin", "IT", "EU" },
  ["europe-west9"] = { "Paris", "FR", "EU" },
  ["europe-north1"] = { "Hamina", "FI", "EU" },
  ["europe-north2"] = { "Stockholm", "SE", "EU" },
  ["europe-central2"] = { "Warsaw", "PL", "EU" },
  ["europe-southwest1"] = { "Madrid", "ES", "EU" },
  ["europe-west2"] = { "London", "GB", "UK" },
  ["europe-west6"] = { "Zurich", "CH", "CH" },
  ["us-central1"] = { "Iowa", "US", "US" },
  ["us-east1"] = { "South Carolina", "US", "US" },
  ["us-east4"] = { "Virginia", "US", "US" },
  ["us-east5"] = { "Ohio", "US", "US" },
  ["us-south1"] = { "Dallas", "US", "US" },
  ["us-west1"] = { "Oregon", "US", "US" },
  ["us-west2"] = { "Los Angeles", "US", "US" },
  ["us-west3"] = { "Salt Lake City", "US", "US" },
  ["us-west4"] = { "Las Vegas", "US", "US" },
  ["northamerica-northeast1"] = { "Montréal", "CA", "CA" },
  ["northamerica-northeast2"] = { "Toronto", "CA", "CA" },
  ["northamerica-south1"] = { "Querétaro", "MX", "-" },
  ["southamerica-east1"] = { "São Paulo", "BR", "-" },
  ["southamerica-west1"] = { "Santiago", "CL", "-" },
  ["me-central1"] = { "Doha", "QA", "-" },
  ["me-central2"] = { "Dammam", "SA", "-" },
  ["me-west1"] = { "Tel Aviv", "IL", "-" },
  ["africa-south1"] = { "Johannesburg", "ZA", "-" },
  ["asia-east1"] = { "Changhua", "TW", "-" },
  ["asia-east2"] = { "Hong Kong", "HK", "-" },
  ["asia-northeast1"] = { "Tokyo", "JP", "-" },
  ["asia-northeast2"] = { "Osaka", "JP", "-" },
  ["asia-northeast3"] = { "Seoul", "KR", "-" },
  ["asia-south1"] = { "Mumbai", "IN", "-" },
  ["asia-south2"] = { "Delhi", "IN", "-" },
  ["asia-southeast1"] = { "Singapore", "SG", "-" },
  ["asia-southeast2"] = { "Jakarta", "ID", "-" },
  ["asia-southeast3"] = { "Bangkok (unconfirmed)", "TH", "-" },
  ["australia-southeast1"] = { "Sydney", "AU", "-" },
  ["australia-southeast2"] = { "Melbourne", "AU", "-" },
}

-- Locations that span several regions (keys lower case; compare case-insensitively).
-- `bloc`/`country` hold when every member shares them; members list the regions data may be
-- stored or processed in, or `countries` when Google names no regions.
M.gcp_multi = {
  us = { location = "the US multi-region", country = "US", bloc = "US" },
  eu = { location = "the EU multi-region", bloc = "EU" },
  asia = { location = "the ASIA multi-region", bloc = "-",
           countries = { "TW", "HK", "JP", "KR", "IN", "SG", "ID" } },
  asia1 = { location = "dual-region ASIA1", members = { "asia-northeast1", "asia-northeast2" } },
  eur4 = { location = "dual-region EUR4", members = { "europe-north1", "europe-west4" } },
  nam4 = { location = "dual-region NAM4", members = { "us-central1", "us-east1" } },
}

-- Vertex AI multi-region locations; `global` has no processing-location guarantee.
M.vertex_multi = {
  us = { location = "the Vertex AI us multi-region", country = "US", bloc = "US" },
  eu = { location = "the Vertex AI eu multi-region", bloc = "EU" },
  global = { location = "the global endpoint (any location)", any = true },
}

-- Countries by bloc beyond the regions above, for describing allowed sets.
M.bloc_names = {
  EU = "EU", EEA = "EEA", UK = "UK", CH = "Switzerland", US = "US", CA = "Canada",
}

-- EEA-only members; the EEA bloc in an allowed set also admits every EU member.
M.eea_only = { NO = true, IS = true, LI = true }

return M
