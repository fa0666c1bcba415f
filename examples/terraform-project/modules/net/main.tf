variable "vpc_id" {
  type = string
}

variable "subnets" {
  type = map(string)
}

resource "aws_subnet" "this" {
  for_each = var.subnets

  vpc_id                  = var.vpc_id
  cidr_block              = each.value
  map_public_ip_on_launch = true

  tags = {
    Name = "subnet-${each.key}"
  }
}
