-- Golden-test policy: subnets must not give instances public addresses.
return {
  title = "Subnets must not map public IP addresses on launch",
  description = "Subnets must not map public IP addresses on launch (golden test of Terraform source locations)",
  severity = "medium",
  types = { "aws_subnet" },
  check = function(r)
    if r.values.map_public_ip_on_launch == true then
      return { message = "public IP addresses on launch", path = "map_public_ip_on_launch" }
    end
  end,
}
