-- The region lookup API of the built-in pack: what a region is, where it is, and whether it
-- lies inside an allowed set of blocs, countries and regions.

local regions = require "lib.regions"

local M = {}

-- "West Europe", "westeurope" and "WESTEUROPE" are one Azure location.
function M.azure_location(s)
  if type(s) ~= "string" then return nil end
  return (s:lower():gsub("%s+", ""))
end

local function row_info(cloud, code, row)
  return { cloud = cloud, code = code, location = row[1], country = row[2], bloc = row[3],
           pair = row[4], one_way = row.one_way or false, geography = row.geo }
end

local function multi_info(cloud, code, m)
  local info = { cloud = cloud, code = code, location = m.location, country = m.country,
                 bloc = m.bloc, any = m.any, countries = m.countries }
  if m.members then
    info.members = {}
    for i, member in ipairs(m.members) do info.members[i] = M.region(cloud, member) end
  end
  return info
end

local function lookup(cloud, code)
  if cloud == "azure" then
    code = M.azure_location(code)
    local row = regions.azure[code]
    return row and row_info(cloud, code, row)
  end
  local row = regions[cloud] and (regions[cloud][code] or regions[cloud][code:lower()])
  if row then return row_info(cloud, code:lower(), row) end
  local lower = code:lower()
  if cloud == "gcp" then
    local m = regions.gcp_multi[lower] or regions.vertex_multi[lower]
    if m then return multi_info(cloud, code, m) end
    local zone_region = lower:match("^(.-%d+)%-[a-z]$")
    if zone_region and regions.gcp[zone_region] then return M.region(cloud, zone_region) end
  end
  return nil
end

-- Answers of M.region, by "cloud code" (false: unknown). A plan names a few regions for
-- thousands of resources; each lookup built a new table.
local known = {}

-- Information about region `code` of `cloud` ("aws", "azure", "gcp"), or nil when unknown.
-- Fields: cloud, code, location, country, bloc; Azure: pair, one_way, geography; multi-region
-- locations: members (a list of region infos) or countries, and any = true for "global".
-- The same region gives the same table: read it, never change it.
function M.region(cloud, code)
  if type(code) ~= "string" then return nil end
  local key = tostring(cloud) .. " " .. code
  local info = known[key]
  if info == nil then
    info = lookup(cloud, code) or false
    known[key] = info
  end
  return info or nil
end

-- Looks a region up in every cloud when the cloud is not known (a host name, an image).
function M.region_any(code)
  return M.region("aws", code) or M.region("gcp", code) or M.region("azure", code)
end

local function jurisdiction(info)
  if info.bloc == nil or info.bloc == "-" then return info.country end
  if info.country == nil or info.country == info.bloc
      or (info.bloc == "UK" and info.country == "GB") then
    return info.bloc
  end
  return info.country .. ", " .. info.bloc
end
M.jurisdiction = jurisdiction

-- "eu-west-2 is London (UK)"; "westeurope is Netherlands (NL, EU)".
function M.describe(info)
  if info.members then
    local parts = {}
    for i, m in ipairs(info.members) do parts[i] = M.describe(m) end
    return info.code .. " is " .. info.location .. " (" .. table.concat(parts, "; ") .. ")"
  end
  local j = info.any and "worldwide" or jurisdiction(info) or "?"
  return info.code .. " is " .. info.location .. " (" .. j .. ")"
end

-- "us-east-1 (N. Virginia, US)"; dual-regions list their members.
function M.short(info)
  if info.members then
    local parts = {}
    for i, m in ipairs(info.members) do parts[i] = M.short(m) end
    return info.code .. " (" .. info.location .. ": " .. table.concat(parts, ", ") .. ")"
  end
  local j = info.any and "worldwide" or jurisdiction(info) or "?"
  return info.code .. " (" .. info.location .. ", " .. j .. ")"
end

-- The bloc of a region info, or its country when it belongs to no bloc.
function M.home_key(info)
  if info.bloc and info.bloc ~= "-" then return info.bloc end
  return info.country
end

local function upper_list(v)
  local out = {}
  if type(v) == "string" then v = { v } end
  if type(v) ~= "table" then return out end
  for _, s in ipairs(v) do
    if type(s) == "string" and s ~= "" then out[#out + 1] = s end
  end
  return out
end

local blocs = { EU = true, EEA = true, UK = true, CH = true, US = true, CA = true }
local world = { ["*"] = true, ANY = true, GLOBAL = true, WORLD = true }

-- Builds an allowed set from the lists of jurisdictions (blocs or ISO country codes; "*" for
-- anywhere) and region codes. Returns nil when both lists are empty.
function M.allowed_set(jurisdictions, region_list)
  local set = { blocs = {}, countries = {}, regions = {}, any = false, labels = {} }
  for _, j in ipairs(upper_list(jurisdictions)) do
    local u = j:upper()
    if world[u] then set.any = true
    elseif blocs[u] then set.blocs[u] = true
    else set.countries[u] = true end
    set.labels[#set.labels + 1] = u
  end
  for _, code in ipairs(upper_list(region_list)) do
    set.regions[code:lower()] = true
    set.regions[M.azure_location(code)] = true
    set.labels[#set.labels + 1] = code
  end
  if #set.labels == 0 then return nil end
  if set.blocs.EEA then set.blocs.EU = true end
  if set.blocs.UK then set.countries.GB = true end
  set.label = table.concat(set.labels, ", ")
  return set
end

-- The allowed set from a policy's params (allowed_jurisdictions, allowed_regions), or nil.
function M.parse_allowed(params)
  return M.allowed_set(params.allowed_jurisdictions, params.allowed_regions)
end

local function country_allowed(set, country)
  if country == nil then return false end
  if set.countries[country] then return true end
  if set.blocs.EEA and regions.eea_only[country] then return true end
  return false
end

-- Is the region described by `info` inside `set`? A multi-region location is inside only
-- when all its members are.
function M.inside(set, info)
  if set.any then return true end
  if info.any then return false end
  if info.code and set.regions[info.code:lower()] then return true end
  if info.members then
    for _, m in ipairs(info.members) do
      if not M.inside(set, m) then return false end
    end
    return true
  end
  if info.countries then
    for _, c in ipairs(info.countries) do
      if not country_allowed(set, c) then return false end
    end
    return true
  end
  if info.bloc and info.bloc ~= "-" and set.blocs[info.bloc] then return true end
  return country_allowed(set, info.country)
end

-- true / false for a region of `cloud`; nil when the region is not in moongate's tables and
-- not listed in allowed_regions (the caller reports that it cannot verify).
function M.allows(set, cloud, code)
  if set.any then return true end
  if type(code) == "string" and (set.regions[code:lower()]
      or (cloud == "azure" and set.regions[M.azure_location(code)])) then
    return true
  end
  local info = M.region(cloud, code)
  if not info then return nil end
  return M.inside(set, info)
end

-- The Azure geography of a location: the list of region infos prompts may be processed in
-- by a "Standard" deployment.
function M.azure_geography(code)
  local info = M.region("azure", code)
  if not info then return nil end
  if not info.geography then return { info } end
  local out = {}
  for i, member in ipairs(regions.azure_geographies[info.geography]) do
    out[i] = M.region("azure", member)
  end
  return out
end

return M
