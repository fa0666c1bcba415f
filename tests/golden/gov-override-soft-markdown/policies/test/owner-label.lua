-- Governance test policy: every object names its owner in a label.
return {
  title = "Objects carry an owner label",
  severity = "medium",
  description = "metadata.labels.owner names the owning team.",
  check = function(r)
    local md = r.values.metadata or {}
    if type(md.labels) ~= "table" or md.labels.owner == nil then
      return { message = "no owner label", path = "metadata" }
    end
  end,
}
