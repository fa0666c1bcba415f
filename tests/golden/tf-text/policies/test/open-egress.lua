-- Golden-test policy: security groups must not allow egress to anywhere.
return {
  title = "Security groups must not allow egress to 0.0.0.0/0",
  description = "Security groups must not allow egress to 0.0.0.0/0 (golden test of Terraform source locations)",
  severity = "high",
  types = { "aws_security_group" },
  check = function(r)
    local found = {}
    for i, rule in ipairs(r.values.egress or {}) do
      for j, cidr in ipairs(rule.cidr_blocks or {}) do
        if cidr == "0.0.0.0/0" then
          found[#found + 1] = { message = "egress to " .. cidr,
                                path = string.format("egress.%d.cidr_blocks.%d", i - 1, j - 1) }
        end
      end
    end
    return found
  end,
}
