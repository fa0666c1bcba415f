-- Governance test policy: params with a schema.
return {
  title = "No provider holds more than max_share of the resources",
  severity = "medium",
  description = "Checks a share against a configured maximum.",
  params = { max_share = 0.5, mode = "strict", exempt = {} },
  param_schema = {
    max_share = "number",
    mode = { type = "string", values = { "strict", "lenient" } },
    exempt = { type = "list" },
  },
  check = function(r, ctx) end,
}
