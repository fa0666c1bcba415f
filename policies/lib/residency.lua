-- The residency scope shared by the residency/* policies: the allowed set from the global
-- params allowed_jurisdictions / allowed_regions, or, when neither is configured, the home
-- jurisdiction inferred from the model (the bloc, or the country outside any bloc, holding
-- most resources). Findings against an inferred home are reported at medium.

local geo = require "lib.geo"
local util = require "lib.util"

local M = {}

M.params = { allowed_jurisdictions = {}, allowed_regions = {} }

M.configure_hint = "set params.allowed_jurisdictions (or allowed_regions) in .moongate.yaml"

local function home_counts(model)
  local by_region = {}
  for _, r in ipairs(model.resources) do
    if r.region_state == "known" and r.cloud and r.region ~= "global" then
      local key = r.cloud .. " " .. r.region
      by_region[key] = (by_region[key] or 0) + 1
    end
  end
  local counts = {}
  for key, n in pairs(by_region) do
    local cloud, code = key:match("^(%S+) (.*)$")
    local info = geo.region(cloud, code)
    local home = info and geo.home_key(info)
    if home then counts[home] = (counts[home] or 0) + n end
  end
  return counts
end

-- The jurisdiction holding most resources with a known region (ties: alphabetical), or nil.
function M.infer_home(model)
  local counts = home_counts(model)
  local best, best_n = nil, 0
  for _, key in ipairs(util.sorted_keys(counts)) do
    if counts[key] > best_n then best, best_n = key, counts[key] end
  end
  return best, best_n
end

-- The scope to compare regions with: { set, inferred, label } or nil when there is nothing
-- to compare with (no configuration and no resource with a known region).
function M.scope(ctx, model)
  local configured = ctx.configured("allowed_jurisdictions") or ctx.configured("allowed_regions")
  local set = geo.parse_allowed(ctx.params)
  if set and configured then return { set = set, inferred = false, label = set.label } end
  local home = M.infer_home(model)
  if not home then return nil end
  set = geo.allowed_set({ home }, {})
  return { set = set, inferred = true, label = home }
end

-- "outside the allowed EU" or "outside the inferred home EU".
function M.outside(scope)
  if scope.inferred then return "outside the inferred home " .. scope.label end
  return "outside the allowed " .. scope.label
end

-- A finding on r: severity medium when the scope was inferred, with how to configure it.
function M.finding(scope, r, message, path)
  local f = { resource = r, message = message, path = path }
  if scope.inferred then
    f.severity = "medium"
    f.message = message .. " (home inferred from where most resources are; "
        .. M.configure_hint .. ")"
  end
  return f
end

-- Verdict for a region: "in", "out" or "unknown" (not in moongate's tables), and its info.
function M.verdict(scope, cloud, code)
  local ok = geo.allows(scope.set, cloud, code)
  local info = geo.region(cloud, code)
  if ok == nil then return "unknown", info end
  return ok and "in" or "out", info
end

-- A "cannot verify" finding for a region missing from moongate's tables (`what` may end with
-- the colon of the usual message: it is not doubled).
function M.not_in_tables(r, cloud, code, path, what)
  local subject = (what or r.address):gsub(":$", "")
  local f = moongate.cannot_verify(string.format(
    "%s: %s region %q is not in moongate's region tables; add it to allowed_regions "
    .. "if it is allowed", subject, cloud or "?", tostring(code)), path)
  f.resource = r
  return f
end

-- Checks one region a resource's data or processing reaches; appends a finding to `out` when
-- it lies outside the scope. `what` starts the message ("aws_s3_bucket.logs replicates to"),
-- `describe` formats the region (default geo.short: "us-east-1 (N. Virginia, US)").
function M.check(out, scope, r, cloud, code, path, what, describe)
  local v, info = M.verdict(scope, cloud, code)
  if v == "in" then return end
  if v == "unknown" then return util.add(out, M.not_in_tables(r, cloud, code, path, what)) end
  util.add(out, M.finding(scope, r, string.format("%s %s, %s", what, (describe or geo.short)(info),
    M.outside(scope)), path))
end

return M
