-- Tests that never end on their own: the time limit fails each one, and the next test runs.
local function b(name) return plan{ resources = { tf_resource("aws_s3_bucket", "a", { bucket = name }) } } end
return {
  loops_forever = function() while true do end end,
  runs_forever = function() while true do run("x/loop", b("ok")) end end,
  policy_loops = function() run("x/loop", b("loop")) end,
  after = function() run("x/loop", b("ok")); expect_none() end,
}
