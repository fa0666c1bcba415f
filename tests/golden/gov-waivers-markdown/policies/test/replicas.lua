-- Governance test policy: deployments run at least two replicas.
return {
  title = "Deployments run two replicas or more",
  severity = "high",
  description = "One replica is one failure away from an outage.",
  types = { "Deployment" },
  check = function(r)
    local n = r.values.spec and r.values.spec.replicas or 1
    if n < 2 then
      return { message = "only " .. n .. " replica", path = "spec.replicas" }
    end
  end,
}
