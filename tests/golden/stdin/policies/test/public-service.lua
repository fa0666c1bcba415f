-- Golden-test policy: services must not be exposed through a public load balancer.
return {
  title = "Services must not be public load balancers",
  severity = "high",
  description = "A LoadBalancer service is reachable from the internet.",
  types = { "Service" },
  check = function(r)
    if r.values.spec and r.values.spec.type == "LoadBalancer" then
      return { message = "service is a public load balancer", path = "spec.type" }
    end
  end,
}
