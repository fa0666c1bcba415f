-- Golden-test policy: resources must be in one of params.allowed.
return {
  title = "Resources must be in an allowed region",
  severity = "high",
  description = "Flags every resource whose resolved region is not in params.allowed.",
  remediation = "Move the resource to an allowed region.",
  references = { "https://example.com/residency" },
  tags = { "residency", "test" },
  params = { allowed = { "eu-west-1", "eu-central-1" } },
  check = function(r, ctx)
    if r.region_state == "unknown" then
      return moongate.cannot_verify("region unknown until apply", "region")
    end
    if r.region == nil or r.region == "global" then
      return nil
    end
    for _, allowed in ipairs(ctx.params.allowed) do
      if r.region == allowed then
        return nil
      end
    end
    return { message = "region " .. r.region .. " is outside the allowed regions",
             path = "region" }
  end,
}
