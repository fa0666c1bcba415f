variable "name" {
  type = string
}

variable "vpc_id" {
  type = string
}

resource "aws_security_group" "web" {
  name        = var.name
  description = "Web tier of ${var.name}"
  vpc_id      = var.vpc_id

  ingress {
    description = "HTTPS from the load balancer"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }

  egress {
    description = "Anything, anywhere"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Owner = "web-team"
  }
}

module "net" {
  source = "../net"

  vpc_id = var.vpc_id
  subnets = {
    a = "10.0.1.0/24"
    b = "10.0.2.0/24"
  }
}
