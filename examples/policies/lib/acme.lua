-- Shared helpers of the ACME policies: required by `require "lib.acme"` from any policy
-- under this root. Each policy gets its own copy of this table.

local M = {}

-- The tag map of a resource, whatever its cloud: AWS and Azure call it `tags`, Google Cloud
-- `labels`, Kubernetes `metadata.labels`. Returns the map and its attribute path, or nil
-- when the resource type has no tags at all.
function M.tags(r)
  local v = r.values or {}
  if r.cloud == "gcp" then return v.labels, "labels" end
  if r.cloud == "kubernetes" then
    return v.metadata and v.metadata.labels, "metadata.labels"
  end
  return v.tags, "tags"
end

-- True when s is a non-empty string after trimming spaces.
function M.present(s)
  return type(s) == "string" and s:match("%S") ~= nil
end

return M
