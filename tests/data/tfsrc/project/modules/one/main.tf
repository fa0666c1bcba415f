module "two" {
  source = "../two/"
}

resource "aws_security_group" "sg" {
  name = "sg"

  ingress {
    from_port = 22
  }
  ingress {
    # moongate:ignore egress/open-internet -- bastion
    cidr_blocks = ["0.0.0.0/0"]
  }
}
