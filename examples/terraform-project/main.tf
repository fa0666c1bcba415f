/*
 * An application in two copies (count), each with its own security group and
 * subnets (a nested local module), log buckets per purpose (for_each) and a VPC
 * from the public registry.
 */

# Log buckets, one per purpose.
resource "aws_s3_bucket" "logs" {
  for_each = var.log_buckets
  bucket   = each.value

  tags = {
    Purpose = each.key
  }
}

# moongate:ignore test/versioning -- log buckets are write-once, see OPS-12
resource "aws_s3_bucket_versioning" "logs" {
  for_each = aws_s3_bucket.logs
  bucket   = each.value.id
  versioning_configuration {
    status = "Suspended"
  }
}

module "app" {
  source = "./modules/app"
  count  = 2

  name   = "app-${count.index}"
  vpc_id = module.vpc.vpc_id
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"

  name = "acme"
  cidr = "10.0.0.0/16"
}
