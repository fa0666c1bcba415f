variable "region" {
  description = "Region of every resource of this project"
  type        = string
  default     = "eu-west-1"
}

variable "log_buckets" {
  description = "Log buckets by purpose"
  type        = map(string)
  default = {
    app   = "acme-app-logs"
    audit = "acme-audit-logs"
  }
}
