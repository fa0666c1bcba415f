-- Helpers for policy test files (<policy>_test.lua), loaded by `moongate test` into every
-- test file's environment; see docs/policy-testing.md. Builders return inputs that `run`
-- serialises to JSON and loads through moongate's own loaders, so the same normalisers apply.
local host = ...

local state

local function input(name, doc)
  return { __moongate_input = true, name = name, doc = doc }
end

local function provider_of(rtype)
  local prefix = rtype:match("^([^_]+)_") or rtype
  return "registry.terraform.io/hashicorp/" .. prefix
end

-- A Terraform resource for plan{}: opts.module ("module.app"), opts.actions ({"create"}),
-- opts.provider (full provider name), opts.unknown (the after_unknown tree), opts.mode.
function tf_resource(rtype, name, values, opts)
  opts = opts or {}
  local address = rtype .. "." .. name
  if opts.module then address = opts.module .. "." .. address end
  return {
    address = address, type = rtype, name = name, mode = opts.mode or "managed",
    module = opts.module, provider_name = opts.provider or provider_of(rtype),
    values = values or {}, actions = opts.actions or { "create" }, unknown = opts.unknown,
  }
end

local function provider_config(spec)
  local regions = {}
  for k, v in pairs(spec.providers or {}) do regions[k] = v end
  if spec.provider_region then regions.aws = regions.aws or spec.provider_region end
  local config = {}
  for name, region in pairs(regions) do
    config[name] = {
      name = name, full_name = "registry.terraform.io/hashicorp/" .. name,
      expressions = { region = { constant_value = region } },
    }
  end
  return config
end

-- A Terraform plan in the shape of `terraform show -json`: spec.resources (tf_resource
-- values), spec.provider_region (the AWS provider's region), spec.providers
-- ({ aws = "eu-west-1", google = "europe-west1" }).
function plan(spec)
  local changes, root, modules, declared = {}, {}, {}, {}
  for _, r in ipairs(spec.resources or {}) do
    if not r.module then -- declared in the root module, with its provider configuration
      table.insert(declared, { address = r.address, mode = r.mode, type = r.type, name = r.name,
                               provider_config_key = r.provider_name:match("([^/]+)$") })
    end
    local planned = { address = r.address, mode = r.mode, type = r.type, name = r.name,
                      provider_name = r.provider_name, values = r.values }
    if r.module then
      modules[r.module] = modules[r.module] or { address = r.module, resources = {} }
      table.insert(modules[r.module].resources, planned)
    else
      table.insert(root, planned)
    end
    table.insert(changes, {
      address = r.address, module_address = r.module, mode = r.mode, type = r.type,
      name = r.name, provider_name = r.provider_name,
      change = { actions = r.actions, after = r.values, after_unknown = r.unknown or {} },
    })
  end
  local children = {}
  for _, m in pairs(modules) do table.insert(children, m) end
  local root_module = { resources = root }
  if #children > 0 then root_module.child_modules = children end
  return input("plan.json", {
    format_version = "1.2", terraform_version = "1.9.8",
    planned_values = { root_module = root_module },
    resource_changes = changes,
    configuration = { provider_config = provider_config(spec),
                      root_module = { resources = declared } },
  })
end

local api_versions = {
  Deployment = "apps/v1", StatefulSet = "apps/v1", DaemonSet = "apps/v1",
  ReplicaSet = "apps/v1", Job = "batch/v1", CronJob = "batch/v1",
  NetworkPolicy = "networking.k8s.io/v1", Ingress = "networking.k8s.io/v1",
}

-- A Kubernetes object: opts.namespace ("default"), opts.labels, opts.api_version.
function k8s(kind, name, spec, opts)
  opts = opts or {}
  return input(kind .. "-" .. name .. ".json", {
    apiVersion = opts.api_version or api_versions[kind] or "v1", kind = kind,
    metadata = { name = name, namespace = opts.namespace or "default", labels = opts.labels },
    spec = spec,
  })
end

-- Any document, loaded as the file `name` (format detected by content, as for check).
function document(name, doc)
  return input(name, doc)
end

local function inputs_of(x)
  if type(x) ~= "table" then error("run: the input must be built by plan{}, k8s() or document()", 3) end
  if x.__moongate_input then return { x } end
  for i, v in ipairs(x) do
    if type(v) ~= "table" or not v.__moongate_input then
      error("run: input " .. i .. " was not built by plan{}, k8s() or document()", 3)
    end
  end
  return x
end

-- Runs one policy alone over the inputs, params overriding its parameters; returns the
-- list of its findings ({policy, resource, severity, message, line, path, cannot_verify}).
function run(policy, inputs, params)
  local ok, findings = pcall(host.run, policy, inputs_of(inputs), params)
  if not ok then error(findings, 2) end
  state.findings, state.policy, state.claimed = findings, policy, {}
  return findings
end

local function describe(f)
  return string.format("%s %s: %s%s", f.severity, f.resource or "(run)", f.message,
                       f.cannot_verify and " [cannot verify]" or "")
end

local function listing()
  local lines = {}
  for _, f in ipairs(state.findings) do table.insert(lines, "  " .. describe(f)) end
  if #lines == 0 then return " (none)" end
  return "\n" .. table.concat(lines, "\n")
end

local function need_run(what)
  if not state.findings then error(what .. ": call run() first", 3) end
end

local function matches(f, want)
  if want.resource ~= nil and f.resource ~= want.resource then return false end
  if want.severity ~= nil and f.severity ~= want.severity then return false end
  if want.line ~= nil and f.line ~= want.line then return false end
  if want.cannot_verify ~= nil and f.cannot_verify ~= want.cannot_verify then return false end
  if want.message ~= nil and not moongate.regex.find(f.message, want.message) then return false end
  return true
end

local function claim(want, what)
  for i, f in ipairs(state.findings) do
    if not state.claimed[i] and matches(f, want) then
      state.claimed[i] = true
      state.flagged = true
      return f
    end
  end
  local parts = {}
  for _, k in ipairs({ "resource", "severity", "message", "line" }) do
    if want[k] ~= nil then table.insert(parts, k .. "=" .. tostring(want[k])) end
  end
  error(string.format("%s{%s}: no such finding of %s; findings:%s", what,
                      table.concat(parts, ", "), state.policy, listing()), 3)
end

-- Asserts a finding (not yet matched by an earlier expect_finding) with these fields;
-- message is a PCRE2 pattern, searched. Returns the finding.
function expect_finding(want)
  need_run("expect_finding")
  local f = claim(want or {}, "expect_finding") -- not a tail call: errors name the test's line
  return f
end

-- Asserts a cannot_verify finding (the policy could not decide).
function expect_unknown(want)
  need_run("expect_unknown")
  local w = {}
  for k, v in pairs(want or {}) do w[k] = v end
  w.cannot_verify = true
  local f = claim(w, "expect_unknown")
  return f
end

-- Asserts that the last run produced no finding at all.
function expect_none()
  need_run("expect_none")
  if #state.findings > 0 then
    error("expect_none: " .. state.policy .. " reported " .. #state.findings ..
          " finding(s):" .. listing(), 2)
  end
  state.clean = true
end

-- Asserts the number of findings of the last run.
function expect_count(n)
  need_run("expect_count")
  if #state.findings ~= n then
    error(string.format("expect_count: expected %d finding(s), got %d:%s", n,
                        #state.findings, listing()), 2)
  end
  if n == 0 then state.clean = true else state.flagged = true end
end

-- Marks the running test skipped (with a reason) and stops it.
function skip(reason)
  state.skip = tostring(reason or "skipped")
  error({ skipped = true })
end

local control = {}

function control.begin()
  state = { findings = nil, claimed = {}, clean = false, flagged = false }
end

function control.finish()
  return state.skip, state.clean, state.flagged
end

return control
