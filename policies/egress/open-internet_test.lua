-- Lua tests of egress/open-internet: every rule shape the policy reads, with and without
-- allowed ports.
local ID = "egress/open-internet"

local function aws(rtype, values)
  return plan{ resources = { tf_resource(rtype, "r", values) }, provider_region = "eu-west-1" }
end

local function azure(rtype, values)
  return plan{ resources = { tf_resource(rtype, "r", values) } }
end

local function np(egress)
  return k8s("NetworkPolicy", "np", { podSelector = {}, policyTypes = { "Egress" }, egress = egress },
             { api_version = "networking.k8s.io/v1" })
end

return {
  aws_rule_resource_to_anywhere = function()
    run(ID, aws("aws_security_group_rule", { type = "egress", protocol = "tcp", from_port = 0,
                                             to_port = 65535, cidr_blocks = { "0.0.0.0/0" } }))
    expect_finding{ resource = "aws_security_group_rule.r", message = "egress to 0.0.0.0/0 on ports 0-65535" }
  end,

  aws_ingress_rule_is_not_egress = function()
    run(ID, aws("aws_security_group_rule", { type = "ingress", protocol = "tcp", from_port = 22,
                                             to_port = 22, cidr_blocks = { "0.0.0.0/0" } }))
    expect_none()
  end,

  aws_vpc_egress_rule_all_protocols = function()
    run(ID, aws("aws_vpc_security_group_egress_rule", { ip_protocol = "-1", cidr_ipv6 = "::/0" }))
    expect_finding{ message = "egress to ::/0 on ports 0-65535" }
  end,

  aws_vpc_egress_rule_allowed_port = function()
    run(ID, aws("aws_vpc_security_group_egress_rule", { ip_protocol = "tcp", from_port = 443,
                                                        to_port = 443, cidr_ipv4 = "0.0.0.0/0" }),
        { allow_ports = { 443 } })
    expect_none()
  end,

  azure_nsg_inline_rules = function()
    run(ID, azure("azurerm_network_security_group", { location = "westeurope", security_rule = {
      { name = "web", direction = "Outbound", access = "Allow", destination_port_range = "443",
        destination_address_prefix = "Internet" },
      { name = "any", direction = "Outbound", access = "Allow", destination_port_ranges = { "80-81", "8080" },
        destination_address_prefixes = { "10.0.0.0/8", "0.0.0.0/0" } },
      { name = "in", direction = "Inbound", access = "Allow", destination_address_prefix = "*" },
      { name = "deny", direction = "Outbound", access = "Deny", destination_address_prefix = "*" },
    } }), { allow_ports = { 443 } })
    expect_finding{ message = "outbound rule any allows ports to 0.0.0.0/0" }
    expect_count(1)
  end,

  azure_nsg_rule_without_ports = function()
    run(ID, azure("azurerm_network_security_rule", { name = "all", direction = "Outbound",
      access = "Allow", destination_address_prefix = "*", destination_port_range = "" }),
      { allow_ports = { 443 } })
    expect_finding{ message = "outbound rule all allows  to \\*$" }
  end,

  azure_nsg_rule_unknown_destination = function()
    run(ID, plan{ resources = { tf_resource("azurerm_network_security_rule", "r",
      { name = "x", direction = "Outbound", access = "Allow" },
      { unknown = { destination_address_prefix = true } }) } })
    expect_unknown{ message = "destination known only after apply" }
  end,

  gcp_egress_firewall = function()
    run(ID, plan{ resources = { tf_resource("google_compute_firewall", "r", {
      direction = "EGRESS", allow = { { protocol = "tcp", ports = { "80", "1000-1001" } } },
      destination_ranges = { "0.0.0.0/0" } }) }, providers = { google = "europe-west1" } },
      { allow_ports = { 80 } })
    expect_finding{ message = "egress firewall allows 0.0.0.0/0" }
  end,

  gcp_egress_firewall_without_ranges = function()
    run(ID, plan{ resources = { tf_resource("google_compute_firewall", "r", {
      direction = "EGRESS", allow = { { protocol = "all" } } }) } })
    expect_finding{ message = "no destination_ranges" }
  end,

  gcp_egress_firewall_unknown_ranges = function()
    run(ID, plan{ resources = { tf_resource("google_compute_firewall", "r", {
      direction = "EGRESS", allow = { { protocol = "all" } } },
      { unknown = { destination_ranges = true } }) } })
    expect_unknown{ resource = "google_compute_firewall.r" }
  end,

  gcp_allowed_ports_and_ingress_pass = function()
    run(ID, plan{ resources = {
      tf_resource("google_compute_firewall", "a", { direction = "EGRESS",
        allow = { { protocol = "tcp", ports = { "443" } } }, destination_ranges = { "0.0.0.0/0" } }),
      tf_resource("google_compute_firewall", "b", { direction = "INGRESS",
        allow = { { protocol = "all" } }, source_ranges = { "0.0.0.0/0" } }),
    } }, { allow_ports = { 443 } })
    expect_none()
  end,

  network_policy_open_rules = function()
    run(ID, np({ { ports = { { port = 53, protocol = "UDP" } } },
                 { to = { { ipBlock = { cidr = "0.0.0.0/0" } } } } }))
    expect_finding{ message = "egress rule 0 has no 'to'" }
    expect_finding{ message = "egress rule 1 allows 0.0.0.0/0" }
  end,

  network_policy_allowed_ports = function()
    run(ID, np({ { ports = { { port = 443, endPort = 444 } } } }), { allow_ports = { 443, 444 } })
    expect_none()
  end,
}
