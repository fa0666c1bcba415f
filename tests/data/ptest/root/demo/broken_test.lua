-- A test file with a syntax error: moongate test names this file and line.
return {
  one = function()
    run("demo/bucket-acl", )
  end,
}
