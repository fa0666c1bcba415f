module "again" {
  source = "../loop"
}

resource "null_resource" "x" {}
