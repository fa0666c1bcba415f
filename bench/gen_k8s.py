#!/usr/bin/env python3
"""Writes synthetic Kubernetes manifests for benchmarks.

Usage: gen_k8s.py stream OUT.yaml MEGABYTES [--seed S]
       gen_k8s.py dir OUT_DIR COUNT [--seed S]

`stream` writes one multi-document YAML file of about MEGABYTES (10^6 bytes): Deployments,
StatefulSets, CronJobs, Services, ConfigMaps, NetworkPolicies and Namespaces, with images
from several registries (some outside the allowed places), environment variables naming
AI endpoints, labels, annotations, probes and resources. `dir` writes COUNT small manifest
files of one to three documents each (the pre-commit case). Deterministic for a given seed.
"""
import argparse
import os
import random

REGISTRIES = [
    "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
    "123456789012.dkr.ecr.us-east-1.amazonaws.com",
    "contoso.azurecr.io",
    "europe-west4-docker.pkg.dev/acme-prod/apps",
    "us-docker.pkg.dev/acme-prod/apps",
    "ghcr.io/acme",
    "docker.io/library",
]
ENDPOINTS = [
    "https://contoso-chat-weu.openai.azure.com/",
    "https://bedrock-runtime.eu-central-1.amazonaws.com",
    "https://us-central1-aiplatform.googleapis.com",
    "https://api.openai.com/v1",
    "http://internal-api.acme.svc.cluster.local:8080",
]
TEAMS = ["platform", "data-eng", "ml-research", "payments", "search"]


def labels(rng, name):
    return [f"app: {name}", f"team: {rng.choice(TEAMS)}",
            f"tier: {rng.choice(['web', 'worker', 'batch'])}",
            f'version: "{rng.randint(1, 40)}.{rng.randint(0, 9)}"']


def block(lines, indent):
    pad = " " * indent
    return "\n".join(pad + line for line in lines)


def container(rng, name, k):
    image = f"{rng.choice(REGISTRIES)}/{name}-{k}:{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}"
    env = []
    for e in range(rng.randint(2, 6)):
        if rng.random() < 0.4:
            env += [f"- name: AI_ENDPOINT_{e}", f'  value: "{rng.choice(ENDPOINTS)}"']
        elif rng.random() < 0.5:
            env += [f"- name: SECRET_{e}", "  valueFrom:", "    secretKeyRef:",
                    f"      name: {name}-secret", f"      key: key-{e}"]
        else:
            env += [f"- name: SETTING_{e}", f'  value: "{rng.getrandbits(40):010x}"']
    lines = [f"- name: {name}-{k}", f"  image: {image}",
             f"  imagePullPolicy: {rng.choice(['IfNotPresent', 'Always'])}",
             "  ports:", f"    - containerPort: {rng.choice([80, 443, 8080, 9090])}",
             "      protocol: TCP", "  env:"]
    lines += ["    " + line for line in env]
    lines += ["  resources:", "    requests:", f"      cpu: {rng.randint(50, 2000)}m",
              f"      memory: {rng.choice([128, 256, 512, 1024])}Mi", "    limits:",
              f"      memory: {rng.choice([512, 1024, 2048])}Mi",
              "  readinessProbe:", "    httpGet:", "      path: /healthz", "      port: 8080",
              f"    periodSeconds: {rng.randint(5, 30)}",
              "  securityContext:", "    runAsNonRoot: true",
              f"    readOnlyRootFilesystem: {str(rng.random() < 0.7).lower()}"]
    return lines


def pod_spec(rng, name):
    lines = [f"serviceAccountName: {name}", "containers:"]
    for k in range(rng.randint(1, 3)):
        lines += ["  " + line for line in container(rng, name, k)]
    return lines


def workload(rng, i, ns):
    name = f"svc-{i:05d}"
    kind = rng.choice(["Deployment", "Deployment", "StatefulSet", "CronJob"])
    api = "batch/v1" if kind == "CronJob" else "apps/v1"
    head = [f"apiVersion: {api}", f"kind: {kind}", "metadata:", f"  name: {name}",
            f"  namespace: {ns}", "  labels:", block(labels(rng, name), 4),
            "  annotations:", f'    acme.example/owner: "{rng.choice(TEAMS)}@acme.example"',
            f'    acme.example/description: "Service {i} – générée pour le banc d\'essai"']
    spec = ["  " + line for line in pod_spec(rng, name)]
    if kind == "CronJob":
        body = ["spec:", f'  schedule: "{rng.randint(0, 59)} {rng.randint(0, 23)} * * *"',
                "  jobTemplate:", "    spec:", "      template:", "        spec:",
                "          restartPolicy: OnFailure"] + ["        " + line for line in spec]
    else:
        body = ["spec:", f"  replicas: {rng.randint(1, 12)}", "  selector:", "    matchLabels:",
                f"      app: {name}", "  template:", "    metadata:", "      labels:",
                f"        app: {name}", "    spec:"] + ["  " + line for line in spec]
    return "\n".join(head + body) + "\n"


def service(rng, i, ns):
    name = f"svc-{i:05d}"
    kind = rng.choice(["ClusterIP", "ClusterIP", "LoadBalancer"])
    return (f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: {ns}\n"
            f"spec:\n  type: {kind}\n  selector:\n    app: {name}\n  ports:\n"
            f"    - port: 443\n      targetPort: 8080\n      protocol: TCP\n")


def config_map(rng, i, ns):
    lines = [f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-{i:05d}\n  namespace: {ns}\ndata:"]
    for k in range(rng.randint(3, 10)):
        lines.append(f'  KEY_{k}: "{rng.choice(ENDPOINTS) if k % 3 == 0 else rng.getrandbits(64)}"')
    return "\n".join(lines) + "\n"


def network_policy(rng, i, ns):
    cidr = rng.choice(["0.0.0.0/0", "10.0.0.0/8", "172.16.0.0/12"])
    return (f"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n"
            f"  name: egress-{i:05d}\n  namespace: {ns}\nspec:\n  podSelector:\n"
            f"    matchLabels:\n      app: svc-{i:05d}\n  policyTypes:\n    - Egress\n"
            f"  egress:\n    - to:\n        - ipBlock:\n            cidr: {cidr}\n"
            f"      ports:\n        - protocol: TCP\n          port: 443\n")


def group(rng, i):
    """The documents of one application: a workload and some of its companions."""
    ns = f"team-{i % 17}"
    docs = [workload(rng, i, ns)]
    if rng.random() < 0.7:
        docs.append(service(rng, i, ns))
    if rng.random() < 0.5:
        docs.append(config_map(rng, i, ns))
    if rng.random() < 0.3:
        docs.append(network_policy(rng, i, ns))
    return docs


def stream(out, megabytes, rng):
    limit = int(megabytes * 1e6)
    size, i = 0, 0
    with open(out, "w", encoding="utf-8") as f:
        for n in range(17):
            doc = f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-{n}\n"
            f.write(doc + "---\n")
            size += len(doc.encode()) + 4
        while size < limit:
            for doc in group(rng, i):
                text = doc + "---\n"
                f.write(text)
                size += len(text.encode())
            i += 1


def directory(out, count, rng):
    os.makedirs(out, exist_ok=True)
    for i in range(count):
        with open(os.path.join(out, f"app-{i:05d}.yaml"), "w", encoding="utf-8") as f:
            f.write("---\n".join(group(rng, i)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["stream", "dir"])
    ap.add_argument("out")
    ap.add_argument("size", type=float, help="megabytes (stream) or number of files (dir)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    if args.mode == "stream":
        stream(args.out, args.size, rng)
    else:
        directory(args.out, int(args.size), rng)


if __name__ == "__main__":
    main()
