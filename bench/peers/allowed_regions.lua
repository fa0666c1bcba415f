-- The allowed-regions rule for lua5.4 + lua-cjson: a resource change whose planned region is
-- outside the allowed list is a violation. Usage: lua5.4 allowed_regions.lua PLAN.json
local cjson = require "cjson"
local allowed = { ["eu-west-1"] = true, ["eu-central-1"] = true }

local f = assert(io.open(arg[1], "rb"))
local plan = cjson.decode(f:read("a"))
f:close()
local bad = 0
for _, rc in ipairs(plan.resource_changes or {}) do
  local after = rc.change and rc.change.after
  local region = type(after) == "table" and after.region
  if type(region) == "string" and not allowed[region] then bad = bad + 1 end
end
print(bad)
