/*
 * A network in the shape real configurations have: comments of every style, templates,
 * heredocs, nested blocks and a data source.
 */

locals {
  name   = "web-${var.env}"
  ingress = { "http" = 80, "https" = 443 }
}

# The VPC: "{" in a comment is not a block
resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16" // primary range
  enable_dns_hostnames = true

  tags = {
    Name        = "${local.name}-vpc"
    Environment = var.env
  }
}

variable "env" {
  type    = string
  default = "dev"
  validation {
    condition     = contains(["dev", "prod"], var.env)
    error_message = "Env must be \"dev\" or \"prod\"."
  }
}

// The security group, one ingress block per rule
resource "aws_security_group" "web" {
  name_prefix = "${local.name}-"
  vpc_id      = aws_vpc.main.id
  description = <<-EOT
    Allows HTTP { and } HTTPS
    resource "not" "a_block" {
    EOT

  ingress {
    description = "http"
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
  ingress {
    description = "https from ${join(",", ["a", "}"])}"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    effect  = "Allow"

    principals {
      type = "Service"
      identifiers = [
        "ec2.amazonaws.com",
      ]
    }
  }
}

resource "aws_vpc_endpoint" "endpoints" {
  for_each     = toset(["s3", "dynamodb"])
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.${var.region}.${each.key}"
}
