module "three" {
  source = "./three"
}
