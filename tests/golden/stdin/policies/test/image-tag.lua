-- Golden-test policy: container images must be pinned to a version, not "latest".
return {
  title = "Container images must not use the latest tag",
  severity = "medium",
  description = "An image tagged latest changes under a running deployment.",
  types = { "Deployment" },
  check = function(r)
    local found = {}
    local containers = r.values.spec.template.spec.containers
    for i, c in ipairs(containers) do
      if c.image:match(":latest$") or not c.image:match(":") then
        found[#found + 1] = { message = "container " .. c.name .. " uses " .. c.image,
                              path = "spec.template.spec.containers." .. (i - 1) .. ".image" }
      end
    end
    return found
  end,
}
