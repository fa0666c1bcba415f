#!/usr/bin/env python3
"""Writes a synthetic Terraform plan (`terraform show -json` layout) for benchmarks.

Usage: gen_plan.py N OUT.json [--seed S] [--pretty]

N resources, about 8 KB each, on one line (as terraform writes it): planned_values,
resource_changes (before / after / after_unknown / sensitivity), prior_state and
configuration, in roughly the proportions of real plans. The content is deterministic for a
given seed and mixes what real plans hold: nested blocks, tag maps, lists, integers, floats,
booleans, nulls, escaped IAM policy documents and some non-ASCII text.
"""
import argparse
import json
import random

REGIONS = ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-southeast-2"]
LOCATIONS = ["westeurope", "northeurope", "eastus", "swedencentral", "francecentral"]
OWNERS = ["platform", "data-eng", "ml-research", "équipe-sécurité", "財務"]
TYPES = ["aws_s3_bucket", "aws_instance", "azurerm_storage_account",
         "google_compute_instance", "aws_bedrock_agent", "azurerm_cognitive_account"]


def tags(rng, i):
    return {
        "Name": f"res-{i:06d}",
        "Environment": rng.choice(["prod", "staging", "dev"]),
        "Owner": rng.choice(OWNERS),
        "CostCenter": str(rng.randint(1000, 9999)),
        "ManagedBy": "terraform",
        "DataClass": rng.choice(["public", "internal", "confidential", "restricted"]),
    }


def policy_document(rng, i):
    # IAM policies are JSON inside a JSON string: lots of escaped quotes
    doc = {"Version": "2012-10-17", "Statement": [{
        "Sid": f"Allow{i}", "Effect": rng.choice(["Allow", "Deny"]),
        "Principal": {"AWS": f"arn:aws:iam::{rng.randint(10**11, 10**12 - 1)}:root"},
        "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
        "Resource": [f"arn:aws:s3:::bucket-{i}", f"arn:aws:s3:::bucket-{i}/*"],
        "Condition": {"StringEquals": {"aws:SourceVpce": f"vpce-{rng.getrandbits(32):08x}"}},
    }]}
    return json.dumps(doc, indent=2)


def values(rng, i, rtype):
    region = rng.choice(REGIONS)
    v = {
        "id": f"{rtype}-{i:06d}-{rng.getrandbits(48):012x}",
        "arn": f"arn:aws:{rtype.split('_')[1]}:{region}:{rng.randint(10**11, 10**12 - 1)}:{i}",
        "region": region,
        "location": rng.choice(LOCATIONS),
        "name": f"{rtype.replace('_', '-')}-{i}",
        "tags": tags(rng, i),
        "tags_all": {"ManagedBy": "terraform"},
        "force_destroy": rng.random() < 0.5,
        "count": rng.randint(0, 64),
        "ratio": round(rng.random() * 100, 3),
        "timeout": None,
        "description": "Resource créé pour l'équipe \"data\"\tavec\nretours à la ligne",
        "policy": policy_document(rng, i),
        "network_rules": [{
            "cidr_blocks": [f"10.{rng.randint(0, 255)}.{k}.0/24" for k in range(3)],
            "from_port": 443, "to_port": 443, "protocol": "tcp",
            "description": None, "self": False,
        } for _ in range(2)],
        "server_side_encryption_configuration": [{"rule": [{
            "apply_server_side_encryption_by_default": [{
                "kms_master_key_id": f"arn:aws:kms:{region}:123456789012:key/{rng.getrandbits(64):016x}",
                "sse_algorithm": "aws:kms"}],
            "bucket_key_enabled": True}]}],
        "lifecycle_rule": [{"id": f"rule-{k}", "enabled": True, "prefix": f"logs/{k}/",
                            "expiration": [{"days": 30 * (k + 1), "date": None}]}
                           for k in range(2)],
        "versioning": [{"enabled": True, "mfa_delete": False}],
        "website": [],
        "cors_rule": [],
        "grant": [],
        "replication_configuration": [],
    }
    return v


def unknown(v):
    return {"id": True, "arn": True, "tags_all": {}, "network_rules": [{} for _ in v["network_rules"]]}


def sensitive(v):
    return {"tags": {}, "tags_all": {}, "network_rules": [{} for _ in v["network_rules"]]}


def resource(rng, i):
    rtype = TYPES[i % len(TYPES)]
    name = f"r{i}"
    module = f"module.app{i % 7}." if i % 3 else ""
    address = f"{module}{rtype}.{name}"
    before = values(rng, i, rtype)
    after = values(rng, i, rtype)
    after["tags"]["Version"] = "2"
    common = {"address": address, "mode": "managed", "type": rtype, "name": name,
              "provider_name": "registry.terraform.io/hashicorp/" + rtype.split("_")[0]}
    planned = dict(common, schema_version=0, values=after, sensitive_values=sensitive(after))
    change = dict(common, change={
        "actions": [rng.choice(["update", "create", "delete", "no-op"])],
        "before": before, "after": after, "after_unknown": unknown(after),
        "before_sensitive": sensitive(before), "after_sensitive": sensitive(after)})
    prior = dict(common, schema_version=0, values=before, sensitive_values=sensitive(before))
    config = {"address": f"{rtype}.{name}", "mode": "managed", "type": rtype, "name": name,
              "provider_config_key": rtype.split("_")[0],
              "expressions": {"name": {"constant_value": before["name"]}},
              "schema_version": 0}
    return planned, change, prior, config


def plan(n, seed):
    rng = random.Random(seed)
    planned, changes, prior, config = [], [], [], []
    for i in range(n):
        p, c, s, g = resource(rng, i)
        planned.append(p)
        changes.append(c)
        if c["change"]["actions"] != ["create"]:  # new resources have no prior state
            prior.append(s)
        if i < max(1, n // 2):  # modules repeat their resources: fewer config blocks
            config.append(g)
    return {
        "format_version": "1.2", "terraform_version": "1.7.5",
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "prior_state": {"format_version": "1.0", "terraform_version": "1.7.5",
                        "values": {"root_module": {"resources": prior}}},
        "configuration": {"provider_config": {
            "aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws",
                    "expressions": {"region": {"references": ["var.region"]}}}},
            "root_module": {"resources": config}},
        "timestamp": "2026-11-26T12:00:00Z",
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of resources")
    ap.add_argument("out", help="output path")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pretty", action="store_true", help="indent like a formatted file")
    args = ap.parse_args()
    doc = plan(args.n, args.seed)
    with open(args.out, "w", encoding="utf-8") as f:
        if args.pretty:
            json.dump(doc, f, ensure_ascii=False, indent=2)
        else:
            json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))


if __name__ == "__main__":
    main()
