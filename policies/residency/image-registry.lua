-- Container images must come from registries inside the allowed set.

local egress = require "lib.egress"
local residency = require "lib.residency"
local settings = require "lib.settings"
local util = require "lib.util"

-- The registry of an image and the region it serves from: cloud, region, service (region nil
-- when the registry is known but its region is not in the input).
local function registry_region(model, image)
  for _, reg in ipairs(egress.registries) do
    local cap = moongate.regex.match(image, reg.pattern)
    if cap then
      if not reg.by_name then return reg.cloud, cap, reg.service end
      for _, acr in ipairs(model.by_type(reg.by_name)) do
        if acr.values.name == cap and acr.region_state == "known" then
          return reg.cloud, acr.region, reg.service
        end
      end
      return reg.cloud, nil, reg.service
    end
  end
  return nil
end

local function check_image(out, scope, model, r, img)
  local cloud, region, service = registry_region(model, img.image)
  if not cloud or not region then return end
  residency.check(out, scope, r, cloud, region, img.path, string.format("%s pulls %s from %s in",
    r.address, img.image, service))
end

return {
  title = "Container images must be pulled from registries in the allowed jurisdictions",
  severity = "medium",
  description = [[An image pulled from a registry in another region crosses a border on
every deployment and scale-out, and the registry holds a copy of the code. Checked for
Kubernetes pod specs (Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs,
CronJobs), ECS task definitions, Azure container apps and Cloud Run: ECR
(<account>.dkr.ecr.<region>.amazonaws.com), Artifact Registry (<region>-docker.pkg.dev),
regional gcr.io hosts, and Azure Container Registries declared in the same input.]],
  remediation = [[Replicate the image to a registry in an allowed region (ECR replication,
an Artifact Registry repository in the home region) and pull from there.]],
  references = {
    "https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html",
    "https://cloud.google.com/artifact-registry/docs/repositories/repo-locations",
  },
  tags = { "residency", "containers" },
  params = residency.params,
  types = settings.types,
  evaluate = function(model, ctx)
    local scope = residency.scope(ctx, model)
    if not scope then return nil end
    local out = {}
    for _, r in ipairs(util.by_types(model, settings.types)) do
      for _, img in ipairs(settings.images(r)) do check_image(out, scope, model, r, img) end
    end
    return out
  end,
}
