-- Unrestricted egress to the internet: security groups, NSGs, firewalls, NetworkPolicies.

local settings = require "lib.settings"
local util = require "lib.util"

local function is_any(v)
  return type(v) == "string" and moongate.cidr.is_any(v)
end

-- true when every port of [from, to] is in allow_ports (all ports never are).
local function ports_allowed(allow, from, to)
  from, to = tonumber(from), tonumber(to)
  if not from or not to or to - from > 1024 or #allow == 0 then return false end
  local set = {}
  for _, p in ipairs(allow) do set[tonumber(p) or -1] = true end
  for p = from, to do
    if not set[p] then return false end
  end
  return true
end

local function aws_ports(rule, proto_key)
  local proto = rule[proto_key]
  if proto == "-1" or proto == "all" or proto == -1 then return 0, 65535 end
  return rule.from_port, rule.to_port
end

local function finding(r, what, path)
  return { message = r.address .. ": " .. what, path = path }
end

-- Checks cidr lists of an AWS rule table; appends findings.
local function aws_rule(out, r, rule, prefix, allow, keys, proto_key)
  local from, to = aws_ports(rule, proto_key)
  for _, key in ipairs(keys) do
    local v = rule[key]
    if util.any_unknown(v) then
      util.add(out, moongate.cannot_verify(r.address .. ": egress " .. key .. " unknown until apply", prefix .. key))
    else
      for j, cidr in ipairs(util.strings(v)) do
        if is_any(cidr) and not ports_allowed(allow, from, to) then
          local path = prefix .. key .. (type(v) == "table" and ("." .. (j - 1)) or "")
          util.add(out, finding(r, string.format("egress to %s on ports %s-%s", cidr,
            tostring(from), tostring(to)), path))
        end
      end
    end
  end
end

local checks = {}

checks.aws_security_group = function(out, r, allow)
  for i, e in ipairs(util.blocks(r.values.egress)) do
    aws_rule(out, r, e, "egress." .. (i - 1) .. ".", allow, { "cidr_blocks", "ipv6_cidr_blocks" }, "protocol")
  end
end

checks.aws_security_group_rule = function(out, r, allow)
  if r.values.type ~= "egress" then return end
  aws_rule(out, r, r.values, "", allow, { "cidr_blocks", "ipv6_cidr_blocks" }, "protocol")
end

checks.aws_vpc_security_group_egress_rule = function(out, r, allow)
  aws_rule(out, r, r.values, "", allow, { "cidr_ipv4", "cidr_ipv6" }, "ip_protocol")
end

local azure_any = { ["*"] = true, internet = true, ["0.0.0.0/0"] = true, ["::/0"] = true, any = true }

local function azure_ports_allowed(rule, allow)
  local ranges = util.strings(rule.destination_port_ranges)
  if type(rule.destination_port_range) == "string" and rule.destination_port_range ~= "" then
    ranges[#ranges + 1] = rule.destination_port_range
  end
  if #ranges == 0 then return false end
  for _, s in ipairs(ranges) do
    local a, b = s:match("^(%d+)%-(%d+)$")
    if not a then a = s:match("^(%d+)$"); b = a end
    if not a or not ports_allowed(allow, a, b) then return false end
  end
  return true
end

local function azure_rule(out, r, rule, prefix, allow)
  if type(rule.direction) ~= "string" or rule.direction:lower() ~= "outbound" then return end
  if type(rule.access) ~= "string" or rule.access:lower() ~= "allow" then return end
  if util.unknown(rule.destination_address_prefix) or util.unknown(rule.destination_address_prefixes) then
    return util.add(out, moongate.cannot_verify(r.address .. ": outbound rule " .. tostring(rule.name)
      .. " has a destination known only after apply", prefix .. "destination_address_prefix"))
  end
  local dests = util.strings(rule.destination_address_prefixes)
  local key = "destination_address_prefixes"
  if type(rule.destination_address_prefix) == "string" then
    dests, key = { rule.destination_address_prefix }, "destination_address_prefix"
  end
  for j, d in ipairs(dests) do
    if azure_any[d:lower()] and not azure_ports_allowed(rule, allow) then
      local path = prefix .. key .. (key == "destination_address_prefixes" and ("." .. (j - 1)) or "")
      util.add(out, finding(r, string.format("outbound rule %s allows %s to %s",
        tostring(rule.name), tostring(rule.destination_port_range or "ports"), d), path))
    end
  end
end

checks.azurerm_network_security_rule = function(out, r, allow)
  azure_rule(out, r, r.values, "", allow)
end

checks.azurerm_network_security_group = function(out, r, allow)
  for i, rule in ipairs(util.blocks(r.values.security_rule)) do
    azure_rule(out, r, rule, "security_rule." .. (i - 1) .. ".", allow)
  end
end

local function gcp_allowed(allow_blocks, allow)
  for _, a in ipairs(allow_blocks) do
    local ports = util.strings(a.ports)
    if #ports == 0 then return false end
    for _, s in ipairs(ports) do
      local lo, hi = s:match("^(%d+)%-(%d+)$")
      if not lo then lo = s; hi = s end
      if not ports_allowed(allow, lo, hi) then return false end
    end
  end
  return true
end

checks.google_compute_firewall = function(out, r, allow)
  local v = r.values
  if v.direction ~= "EGRESS" or v.disabled == true then return end
  local allows = util.blocks(v.allow)
  if #allows == 0 or gcp_allowed(allows, allow) then return end
  if util.any_unknown(v.destination_ranges) then
    return util.add(out, moongate.cannot_verify(r.address .. ": destination_ranges are known only "
      .. "after apply", "destination_ranges"))
  end
  local ranges = util.strings(v.destination_ranges)
  if #ranges == 0 and not util.unknown(v.destination_ranges) then
    return util.add(out, finding(r, "egress firewall allows every destination (no destination_ranges)", "allow"))
  end
  for j, cidr in ipairs(ranges) do
    if is_any(cidr) then
      util.add(out, finding(r, "egress firewall allows " .. cidr, "destination_ranges." .. (j - 1)))
    end
  end
end

local function k8s_ports_allowed(rule, allow)
  local ports = util.blocks(rule.ports)
  if #ports == 0 then return false end
  for _, p in ipairs(ports) do
    if not ports_allowed(allow, p.port, p.endPort or p.port) then return false end
  end
  return true
end

checks.NetworkPolicy = function(out, r, allow)
  local spec = util.tbl(settings.k8s_doc(r).spec)
  for i, rule in ipairs(util.blocks(spec.egress)) do
    local prefix = "spec.egress." .. (i - 1)
    if not k8s_ports_allowed(rule, allow) then
      local to = util.blocks(rule.to)
      if #to == 0 then
        util.add(out, finding(r, "egress rule " .. (i - 1) .. " has no 'to': it allows every destination", prefix))
      end
      for j, peer in ipairs(to) do
        local cidr = type(peer.ipBlock) == "table" and peer.ipBlock.cidr
        if is_any(cidr) then
          util.add(out, finding(r, "egress rule " .. (i - 1) .. " allows " .. cidr, prefix .. ".to." .. (j - 1) .. ".ipBlock.cidr"))
        end
      end
    end
  end
end

-- Namespaces with workloads and no NetworkPolicy restricting egress.
local function restricts_egress(np)
  local spec = util.tbl(settings.k8s_doc(np).spec)
  for _, t in ipairs(util.strings(spec.policyTypes)) do
    if t == "Egress" then return true end
  end
  return spec.egress ~= nil
end

local function namespace_of(r)
  local ns = moongate.query(settings.k8s_doc(r), "metadata.namespace")[1]
  return type(ns) == "string" and ns or "default"
end

local function open_namespaces(model)
  local restricted, workloads, order = {}, {}, {}
  for _, np in ipairs(model.by_type("NetworkPolicy")) do
    if restricts_egress(np) then restricted[namespace_of(np)] = true end
  end
  for _, r in ipairs(util.by_types(model, util.sorted_keys(settings.workload_kinds))) do
    if r.cloud == "kubernetes" then
      local ns = namespace_of(r)
      if not workloads[ns] then order[#order + 1] = ns; workloads[ns] = {} end
      table.insert(workloads[ns], r)
    end
  end
  local out = {}
  for _, ns in ipairs(order) do
    if not restricted[ns] then
      local names = {}
      for _, w in ipairs(workloads[ns]) do names[#names + 1] = w.address end
      local target = workloads[ns][1]
      for _, n in ipairs(model.by_type("Namespace")) do
        if n.name == ns then target = n end
      end
      util.add(out, { resource = target, message = string.format("namespace %s has workloads "
        .. "(%s) and no NetworkPolicy restricting egress", ns, table.concat(names, ", ")) })
    end
  end
  return out
end

local types = util.sorted_keys(checks)

return {
  title = "Workloads must not have unrestricted egress to the internet",
  severity = "medium",
  description = [[Unrestricted egress lets a compromised workload exfiltrate data anywhere and
sends AI and storage traffic over NAT and the internet. Reported: AWS security group egress
(inline, aws_security_group_rule, aws_vpc_security_group_egress_rule) to 0.0.0.0/0 or ::/0;
Azure NSG outbound Allow rules to *, Internet or 0.0.0.0/0 (standalone and inline); GCP EGRESS
firewalls allowing 0.0.0.0/0; Kubernetes NetworkPolicies allowing egress anywhere, and
namespaces with workloads but no NetworkPolicy restricting egress. Ports listed in
allow_ports (e.g. 443) are accepted.]],
  remediation = [[Restrict egress to the destinations needed (VPC endpoints / private
endpoints for cloud services, proxy or firewall for the internet), or list the ports in
allow_ports; for Kubernetes add a default-deny egress NetworkPolicy per namespace.]],
  references = {
    "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html",
    "https://kubernetes.io/docs/concepts/services-networking/network-policies/",
  },
  tags = { "egress", "network" },
  params = { allow_ports = {} },
  types = types,
  check = function(r, ctx)
    local out = {}
    local allow = ctx.params.allow_ports
    checks[r.type](out, r, type(allow) == "table" and allow or {})
    return out
  end,
  evaluate = function(model, ctx)
    return open_namespaces(model)
  end,
}
