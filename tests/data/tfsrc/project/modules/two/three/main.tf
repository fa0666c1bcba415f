resource "aws_subnet" "deep" {
  for_each   = toset(["a", "b"])
  cidr_block = each.value
}
