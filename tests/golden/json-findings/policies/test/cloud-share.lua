-- Golden-test policy over the whole run: no more than params.max_share of the resources
-- may sit with one cloud.
return {
  title = "No cloud may hold more than max_share of the resources",
  severity = "low",
  description = "Vendor concentration, counted over every resource of the run.",
  params = { max_share = 0.5 },
  evaluate = function(model, ctx)
    local counts, total = {}, 0
    for _, r in ipairs(model.resources) do
      if r.cloud then
        counts[r.cloud] = (counts[r.cloud] or 0) + 1
        total = total + 1
      end
    end
    local clouds = {}
    for cloud in pairs(counts) do
      clouds[#clouds + 1] = cloud
    end
    table.sort(clouds)
    local found = {}
    for _, cloud in ipairs(clouds) do
      if counts[cloud] / total > ctx.params.max_share then
        found[#found + 1] = string.format("%d of %d resources are on %s", counts[cloud], total, cloud)
      end
    end
    return found
  end,
}
