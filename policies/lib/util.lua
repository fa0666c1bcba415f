-- Small shared helpers of the built-in pack: nested Terraform blocks, unknown values, lists.

local M = {}

function M.unknown(v)
  return moongate.is_unknown(v)
end

-- v when it is a table (not the unknown sentinel), else an empty table.
function M.tbl(v)
  if type(v) ~= "table" or M.unknown(v) then return {} end
  return v
end

-- A Terraform nested block is a list of objects in plan JSON; YAML or hand-written inputs may
-- give a single object. Returns a list (empty for nil or unknown); elements that are not
-- objects become empty tables, so indexes (and paths) stay those of the input.
function M.blocks(v)
  if type(v) ~= "table" or M.unknown(v) then return {} end
  if v[1] == nil and next(v) ~= nil then return { v } end
  local out = {}
  for i, x in ipairs(v) do out[i] = M.tbl(x) end
  return out
end

-- The first object of a nested block, or nil.
function M.first(v)
  return M.blocks(v)[1]
end

-- A list of strings from a string or list value (unknown entries skipped).
function M.strings(v)
  if type(v) == "string" then return { v } end
  local out = {}
  if type(v) ~= "table" or M.unknown(v) then return out end
  for _, s in ipairs(v) do
    if type(s) == "string" then out[#out + 1] = s end
  end
  return out
end

-- Does any list element satisfy pred? Unknown lists answer "unknown".
function M.any_unknown(v)
  if M.unknown(v) then return true end
  if type(v) ~= "table" then return false end
  for _, x in pairs(v) do
    if M.unknown(x) then return true end
  end
  return false
end

local function by_text(a, b) return tostring(a) < tostring(b) end

-- Keys of a table, sorted, for deterministic output.
function M.sorted_keys(t)
  local keys, strings = {}, true
  for k in pairs(t) do
    keys[#keys + 1] = k
    strings = strings and type(k) == "string"
  end
  -- string keys compare as their text already: no comparator to call per comparison
  table.sort(keys, not strings and by_text or nil)
  return keys
end

-- "12%" from a share in [0, 1].
function M.pct(share)
  return string.format("%.0f%%", share * 100)
end

-- The region code in the 4th field of an ARN ("" for S3 and IAM ARNs gives nil).
function M.arn_region(arn)
  if type(arn) ~= "string" then return nil end
  local region = arn:match("^arn:[^:]*:[^:]*:([^:]*):")
  if region == nil or region == "" then return nil end
  return region
end

-- The list of finding tables `out`, with one more appended.
function M.add(out, finding)
  out[#out + 1] = finding
  return out
end

-- Resources of the model whose type matches any of the globs.
function M.by_types(model, globs)
  local out = {}
  for _, glob in ipairs(globs) do
    for _, r in ipairs(model.by_type(glob)) do out[#out + 1] = r end
  end
  return out
end

return M
