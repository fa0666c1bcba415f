-- Where compute resources keep their configuration strings (environment variables, app
-- settings, ConfigMap data) and container images, with the path of each inside r.values.

local util = require "lib.util"

local M = {}

local function add(out, path, name, value)
  if type(value) == "string" then
    out[#out + 1] = { path = path, name = name, value = value }
  end
end

local function map_entries(out, prefix, map)
  if type(map) ~= "table" or util.unknown(map) then return end
  for _, k in ipairs(util.sorted_keys(map)) do
    add(out, prefix .. "." .. k, k, map[k])
  end
end

local function env_list(out, prefix, env)
  for i, e in ipairs(util.blocks(env)) do
    if type(e) == "table" then add(out, prefix .. "." .. (i - 1) .. ".value", e.name, e.value) end
  end
end

-- Containers of a Kubernetes object: the pod spec of Pods, workload templates and CronJobs.
local pod_spec_paths = {
  Pod = { "spec" },
  Deployment = { "spec", "template", "spec" },
  StatefulSet = { "spec", "template", "spec" },
  DaemonSet = { "spec", "template", "spec" },
  ReplicaSet = { "spec", "template", "spec" },
  Job = { "spec", "template", "spec" },
  CronJob = { "spec", "jobTemplate", "spec", "template", "spec" },
}
M.workload_kinds = pod_spec_paths

local function k8s_doc(r)
  local v = r.values
  if type(v) == "table" and (v.spec ~= nil or v.data ~= nil or v.kind ~= nil) then return v end
  if type(r.raw) == "table" then return r.raw end
  return v or {}
end
M.k8s_doc = k8s_doc

-- The pod spec of a Kubernetes workload and its path, or nil.
function M.pod_spec(r)
  local keys = pod_spec_paths[r.type]
  if not keys then return nil end
  local node = k8s_doc(r)
  for _, k in ipairs(keys) do
    if type(node) ~= "table" then return nil end
    node = node[k]
  end
  if type(node) ~= "table" then return nil end
  return node, table.concat(keys, ".")
end

-- Every container of a resource: list of { path = <container path>, c = <table>, env = key }.
local function containers(r)
  local out = {}
  local spec, path = M.pod_spec(r)
  if spec then
    for _, key in ipairs({ "initContainers", "containers" }) do
      for i, c in ipairs(util.blocks(spec[key])) do
        out[#out + 1] = { path = path .. "." .. key .. "." .. (i - 1), c = c, env = "env" }
      end
    end
    return out
  end
  local v = r.values or {}
  if r.type == "azurerm_container_app" then
    local t = util.first(v.template)
    for i, c in ipairs(util.blocks(t and t.container)) do
      out[#out + 1] = { path = "template.0.container." .. (i - 1), c = c, env = "env" }
    end
  elseif r.type == "google_cloud_run_v2_service" or r.type == "google_cloud_run_v2_job" then
    local t = util.first(v.template)
    if r.type == "google_cloud_run_v2_job" then t = util.first(t and t.template) end
    for i, c in ipairs(util.blocks(t and t.containers)) do
      local prefix = r.type == "google_cloud_run_v2_job" and "template.0.template.0" or "template.0"
      out[#out + 1] = { path = prefix .. ".containers." .. (i - 1), c = c, env = "env" }
    end
  elseif r.type == "google_cloud_run_service" then
    local t = util.first(v.template)
    local s = util.first(t and t.spec)
    for i, c in ipairs(util.blocks(s and s.containers)) do
      out[#out + 1] = { path = "template.0.spec.0.containers." .. (i - 1), c = c, env = "env" }
    end
  end
  return out
end
M.containers = containers

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

-- Every configuration string of a compute resource: list of { path, name, value }.
function M.strings(r)
  local out = {}
  local t, v = r.type or "", r.values or {}
  if t == "aws_lambda_function" then
    local env = util.first(v.environment)
    map_entries(out, "environment.0.variables", env and env.variables)
  elseif t == "aws_ecs_task_definition" then
    ecs_settings(out, r)
  elseif t == "ConfigMap" then
    local doc = k8s_doc(r)
    map_entries(out, "data", doc.data)
  elseif not pod_spec_paths[t] and is_app_service(t) then -- no pattern match for workloads
    map_entries(out, "app_settings", v.app_settings)
  else
    for _, c in ipairs(containers(r)) do
      if type(c.c) == "table" then env_list(out, c.path .. "." .. c.env, c.c[c.env]) end
    end
  end
  return out
end

-- Whether a configuration string of r (M.strings) can contain one of texts: false when no
-- string of r's document does (moongate.contains searches it without building tables). ECS
-- container definitions are JSON inside a string, where escapes can hide a text: they are
-- always read.
function M.may_contain(r, texts)
  if r.type == "aws_ecs_task_definition" then return true end
  return moongate.contains(r.raw or r.values, texts)
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
  for _, c in ipairs(containers(r)) do
    if type(c.c) == "table" and type(c.c.image) == "string" then
      out[#out + 1] = { path = c.path .. ".image", image = c.c.image }
    end
  end
  return out
end

return M
