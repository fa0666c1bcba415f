-- Resources whose region cannot be resolved are reported, never passed silently.

return {
  title = "Every resource's region must be resolvable",
  severity = "low",
  description = [[A resource that has a region which cannot be known from the input (a
provider region from an environment variable, a local value, a value known only after apply)
escapes every residency rule. moongate reports it instead of passing it silently.]],
  remediation = [[Set the region explicitly on the provider block (a constant or var.region
with a value) or on the resource, so residency can be verified at plan time. Where the region
is decided elsewhere on purpose (CloudFormation templates are deployed to a region chosen at
deploy time), list the reason in the ignore_sources param.]],
  references = { "https://developer.hashicorp.com/terraform/internals/json-format" },
  tags = { "residency" },
  -- region_source texts to accept knowingly, e.g. "chosen at deploy time" for CloudFormation
  -- templates deployed only to controlled regions
  params = { ignore_sources = {} },
  check = function(r, ctx)
    if r.region_state ~= "unknown" then return nil end
    local ignore = ctx.params.ignore_sources
    for _, s in ipairs(type(ignore) == "table" and ignore or {}) do
      if s == r.region_source then return nil end
    end
    return { message = string.format("%s: region cannot be resolved (%s); residency "
      .. "cannot be verified", r.address, r.region_source or "no source") }
  end,
}
