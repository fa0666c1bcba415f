-- Golden-test policy whose message holds what reports must escape: quotes, backslashes,
-- control characters, a terminal escape, invalid UTF-8, and valid non-ASCII text.
return {
  title = "Messages with \"odd\" text",
  severity = "low",
  description = "Checks escaping in every report.",
  types = { "aws_s3_bucket" },
  check = function(r)
    return "quote \" backslash \\ tab\tnewline\nbell\a esc\27[31m bad\255\254 ok é € 𝄞 end"
  end,
}
