-- A policy that loops forever on a bucket named "loop": budgets must stop it.
return { title = "t", severity = "low", description = "d", types = { "aws_s3_bucket" },
  check = function(r) if r.values.bucket == "loop" then while true do end end end }
