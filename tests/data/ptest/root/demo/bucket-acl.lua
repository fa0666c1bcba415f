-- A small policy for the tests of `moongate test`: public S3 bucket ACLs.
return {
  title       = "S3 buckets must not have a public ACL",
  severity    = "high",
  description = [[Public ACLs expose the bucket's objects to everyone.]],
  params      = { public = { "public-read", "public-read-write" } },
  types       = { "aws_s3_bucket" },

  check = function(r, ctx)
    local acl = r.values.acl
    if acl == "boom" then
      error("cannot classify acl " .. acl)
    end
    if moongate.is_unknown(acl) then
      return moongate.cannot_verify(r.address .. ": acl is unknown until apply", "acl")
    end
    for _, bad in ipairs(ctx.params.public) do
      if acl == bad then
        return { message = r.address .. ": acl is " .. acl, path = "acl" }
      end
    end
  end,
}
