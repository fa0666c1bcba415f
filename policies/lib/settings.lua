-- Where compute resources keep their configuration strings (environment variables, app
-- settings, ConfigMap data) and container images, with the path of each inside r.values.

local util = require "lib.util"

local M = {}

local function add(out, path, name, value)
  if type(value) == "string" then
    out[#out + 1] = { path = path, name = name, value = value }
  end
end

-- Every string member of the object at pattern (a moongate.query pattern) inside root that
-- holds one of texts (all when texts is nil), in the order of their names.
local function map_entries(out, root, pattern, texts)
  local values, paths = moongate.query(root, pattern .. ".*", texts)
  local prefix = #pattern:gsub("%[(%d+)%]", ".%1") + 2 -- where the name starts in a path
  local found = {}
  for i, v in ipairs(values) do
    if type(v) == "string" then
      found[#found + 1] = { path = paths[i], name = paths[i]:sub(prefix), value = v }
    end
  end
  table.sort(found, function(a, b) return a.name < b.name end)
  for _, e in ipairs(found) do out[#out + 1] = e end
end

-- Where the pod spec of each Kubernetes kind is: Pods, workload templates and CronJobs.
local pod_spec_paths = {
  Pod = "spec",
  Deployment = "spec.template.spec",
  StatefulSet = "spec.template.spec",
  DaemonSet = "spec.template.spec",
  ReplicaSet = "spec.template.spec",
  Job = "spec.template.spec",
  CronJob = "spec.jobTemplate.spec.template.spec",
}
M.workload_kinds = pod_spec_paths

-- The containers of the other compute types: moongate.query patterns of their lists in
-- r.values (Terraform blocks: `[0]` is the first block, an object written alone included).
local container_lists = {
  azurerm_container_app = { "template[0].container[*]" },
  google_cloud_run_v2_service = { "template[0].containers[*]" },
  google_cloud_run_v2_job = { "template[0].template[0].containers[*]" },
  google_cloud_run_service = { "template[0].spec[0].containers[*]" },
}
for kind, spec in pairs(pod_spec_paths) do
  container_lists[kind] = { spec .. ".initContainers[*]", spec .. ".containers[*]" }
end

local function k8s_doc(r)
  local v = r.values
  if type(v) == "table" and (v.kind ~= nil or v.spec ~= nil or v.data ~= nil) then return v end
  if type(r.raw) == "table" then return r.raw end
  return v or {}
end
M.k8s_doc = k8s_doc

-- The table container patterns start from: the Kubernetes document, or r.values.
local function root(r)
  if pod_spec_paths[r.type] then return k8s_doc(r) end
  return r.values or {}
end

-- The pod spec of a Kubernetes workload and its path, or nil.
function M.pod_spec(r)
  local path = pod_spec_paths[r.type]
  if not path then return nil end
  local spec = moongate.query(k8s_doc(r), path)[1]
  if type(spec) ~= "table" then return nil end
  return spec, path
end

-- The values at suffix (a moongate.query pattern) inside every container of r that hold one
-- of texts (all when texts is nil), with their paths: two lists. Lists of containers are
-- read as Terraform blocks are (util.blocks), but a null element does not hide those after it.
local function in_containers(r, suffix, texts)
  local values, paths, from = {}, {}, root(r)
  for _, list in ipairs(container_lists[r.type] or {}) do
    local v, p = moongate.query(from, list .. suffix, texts)
    for i = 1, #v do
      values[#values + 1], paths[#paths + 1] = v[i], p[i]
    end
  end
  return values, paths
end

-- Every container of a resource: list of { path = <container path>, c = <table>, env = key }.
function M.containers(r)
  local out = {}
  local values, paths = in_containers(r, "")
  for i, c in ipairs(values) do
    out[i] = { path = paths[i], c = util.tbl(c), env = "env" }
  end
  return out
end

-- ECS container definitions (a JSON string), decoded; nil and a message when invalid.
function M.ecs_containers(r)
  local s = r.values and r.values.container_definitions
  if type(s) ~= "string" then return {} end
  local defs, err = moongate.json_decode(s)
  if defs == nil then return nil, err end
  local out = {}
  for _, d in ipairs(util.tbl(defs)) do
    if type(d) == "table" then out[#out + 1] = d end
  end
  return out
end

local function ecs_settings(out, r)
  local defs = M.ecs_containers(r) or {}
  for _, d in ipairs(defs) do
    for _, e in ipairs(util.blocks(d.environment)) do
      if type(e) == "table" then add(out, "container_definitions", e.name, e.value) end
    end
  end
end

local function is_app_service(t)
  return t:match("^azurerm_.*web_app$") or t:match("^azurerm_.*function_app$")
      or t == "azurerm_app_service" or t:match("^azurerm_.*web_app_slot$")
      or t:match("^azurerm_.*function_app_slot$")
end

-- Every configuration string of a compute resource: list of { path, name, value }. With
-- texts (a string or a list of strings), only the strings that hold one of them: the others
-- are passed over in the document, without building tables for them.
function M.strings(r, texts)
  local out = {}
  local t, v = r.type or "", r.values or {}
  if t == "aws_lambda_function" then
    map_entries(out, v, "environment[0].variables", texts)
  elseif t == "aws_ecs_task_definition" then
    ecs_settings(out, r)
  elseif t == "ConfigMap" then
    map_entries(out, k8s_doc(r), "data", texts)
  elseif not pod_spec_paths[t] and is_app_service(t) then -- no pattern match for workloads
    map_entries(out, v, "app_settings", texts)
  else
    local entries, paths = in_containers(r, ".env[*]", texts)
    for i, e in ipairs(entries) do
      if type(e) == "table" then add(out, paths[i] .. ".value", e.name, e.value) end
    end
  end
  if not texts then return out end
  local held = {}
  for _, s in ipairs(out) do
    if moongate.contains(s.value, texts) then held[#held + 1] = s end
  end
  return held
end

-- Resource types whose configuration strings M.strings reads.
M.types = { "aws_lambda_function", "aws_ecs_task_definition", "azurerm_*web_app",
            "azurerm_*function_app", "azurerm_*web_app_slot", "azurerm_*function_app_slot",
            "azurerm_app_service", "azurerm_container_app", "google_cloud_run_v2_service",
            "google_cloud_run_v2_job", "google_cloud_run_service", "ConfigMap", "Pod",
            "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob" }

-- Every container image of a resource: list of { path, image }.
function M.images(r)
  local out = {}
  if r.type == "aws_ecs_task_definition" then
    for _, d in ipairs(M.ecs_containers(r) or {}) do
      if type(d.image) == "string" then
        out[#out + 1] = { path = "container_definitions", image = d.image }
      end
    end
    return out
  end
  local images, paths = in_containers(r, ".image")
  for i, image in ipairs(images) do
    if type(image) == "string" then out[#out + 1] = { path = paths[i], image = image } end
  end
  return out
end

return M
