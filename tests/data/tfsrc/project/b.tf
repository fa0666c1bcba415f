resource "aws_s3_bucket" "dup" {
  bucket = "second"
}

# moongate:ignore residency/allowed-regions until=2027-01-31 -- region lookup only
data "aws_region" "current" {}

# moongate:ignore residency/x
resource "aws_s3_bucket" "broken" {}
