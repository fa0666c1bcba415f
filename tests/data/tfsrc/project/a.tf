# Root of the tfmap test project.
resource "aws_s3_bucket" "dup" {
  bucket = "first"
}

module "one" {
  source = "./modules/one"
  count  = 3
}

module "git" {
  source = "git::https://example.com/infra/modules.git//vpc?ref=v1.2.0"
}

module "registry" {
  source  = "hashicorp/consul/aws"
  version = "0.1.0"
}

module "computed" {
  source = "${path.module}/modules/one"
}

module "missing" {
  source = "./modules/none"
}

module "loop" {
  source = "./modules/loop"
}
