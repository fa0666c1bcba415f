#!/usr/bin/env python3
"""Checks the built-in policy pack against its fixtures and the Terraform plan corpus.

Fixtures: policies/<area>/<name>.tests/<case>/ hold input files, an optional config.yaml (a
.moongate.yaml for the case) and expect.yaml:

    findings:            # the exact list of this policy's findings; `findings: []` for none
      - policy: residency/allowed-regions
        resource: aws_s3_bucket.logs     # omitted for findings on the whole run
        severity: high
        message: "outside the allowed EU"  # optional regular expression (searched)

Each case runs `moongate check --format json --fail-on never [--config config.yaml] <inputs>`
and compares the findings of the case's policy only, as a multiset of (resource, severity)
with message patterns. No policy may fail (exit code 3 or a policy error) on any case or on
any plan of the corpus. Exit status: 0 all passed, 1 a failure, 77 nothing to check.
Message patterns are PCRE2-compatible regular expressions; this checker applies them with
Python's `re`, so keep to their common subset.
"""
import argparse
import json
import os
import re
import subprocess
import sys

TIMEOUT = 120


def parse_scalar(text, where):
    """A YAML scalar as written in expect.yaml: double-quoted (JSON escapes), single-quoted,
    plain, or null."""
    text = text.strip()
    if text.startswith('"'):
        try:
            return json.loads(text)
        except ValueError as e:
            raise ValueError(f"{where}: bad double-quoted string: {e}")
    if text.startswith("'"):
        if not text.endswith("'") or len(text) < 2:
            raise ValueError(f"{where}: unterminated single-quoted string")
        return text[1:-1].replace("''", "'")
    if text in ("null", "~", ""):
        return None
    return text


def read_expect(path):
    """Reads the small YAML subset of expect.yaml: `findings: []` or a list of flat maps."""
    findings, current, seen = [], None, False
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    for n, raw in enumerate(lines, 1):
        where = f"{path}:{n}"
        line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        if not line.startswith(" ") and not line.startswith("-"):
            key, _, rest = line.partition(":")
            if key.strip() != "findings":
                raise ValueError(f"{where}: unknown key {key.strip()!r}")
            seen = True
            if rest.strip() == "[]":
                continue
            if rest.strip():
                raise ValueError(f"{where}: expected a list after findings:")
            continue
        body = line.strip()
        if body.startswith("- "):
            current = {}
            findings.append(current)
            body = body[2:]
        if current is None:
            raise ValueError(f"{where}: entry outside a list item")
        key, sep, value = body.partition(":")
        if not sep or key.strip() not in ("policy", "resource", "severity", "message"):
            raise ValueError(f"{where}: expected policy, resource, severity or message")
        current[key.strip()] = parse_scalar(value, where)
    if not seen:
        raise ValueError(f"{path}: no findings key")
    return findings


def run_check(binary, inputs, config, cwd):
    cmd = [binary, "check", "--format", "json", "--fail-on", "never"]
    if config:
        cmd += ["--config", config]
    cmd += inputs
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, None, f"timed out after {TIMEOUT} s: {' '.join(cmd)}"
    try:
        report = json.loads(p.stdout.decode("utf-8"))
    except ValueError:
        report = None
    return p.returncode, report, p.stderr.decode("utf-8", "replace")


def policy_errors(report):
    return [e for e in (report or {}).get("errors") or [] if e.get("kind") == "policy"]


def fmt(f):
    return "{} {} {} | {}".format(f.get("severity"), f.get("resource") or "(run)",
                                  f.get("policy"), f.get("message"))


def matches(exp, act):
    if (exp.get("resource") or None) != (act.get("resource") or None):
        return False
    if exp.get("severity") and exp["severity"] != act.get("severity"):
        return False
    pattern = exp.get("message")
    return not pattern or re.search(pattern, act.get("message") or "") is not None


def compare(expected, actual):
    """Pairs every expected finding with a distinct actual one; returns (missing, extra)."""
    left = list(actual)
    missing = []
    # the most specific expectations first, so a loose pattern does not steal a match
    for exp in sorted(expected, key=lambda e: -len(e.get("message") or "")):
        hit = next((a for a in left if matches(exp, a)), None)
        if hit is None:
            missing.append(exp)
        else:
            left.remove(hit)
    return missing, left


def case_dirs(root):
    for dirpath, dirnames, _ in os.walk(root):
        dirnames.sort()
        if os.path.basename(dirpath).endswith(".tests"):
            for name in sorted(dirnames):
                yield os.path.join(dirpath, name)
            dirnames[:] = []


def policy_id(root, case):
    tests = os.path.relpath(os.path.dirname(case), root)
    return tests[: -len(".tests")].replace(os.sep, "/")


def run_case(binary, root, case):
    """Returns a list of problem lines (empty when the case passes)."""
    pid = policy_id(root, case)
    expect_path = os.path.join(case, "expect.yaml")
    if not os.path.exists(expect_path):
        return [f"{case}: no expect.yaml"]
    try:
        expected = read_expect(expect_path)
    except ValueError as e:
        return [str(e)]
    for e in expected:
        if e.get("policy") not in (None, pid):
            return [f"{expect_path}: names policy {e.get('policy')}, the case belongs to {pid}"]
    skip = {"expect.yaml", "config.yaml", "README.md"}
    inputs = sorted(n for n in os.listdir(case) if n not in skip and not n.startswith("."))
    config = "config.yaml" if os.path.exists(os.path.join(case, "config.yaml")) else None
    rc, report, err = run_check(binary, inputs, config, case)
    problems = []
    if report is None:
        return [f"exit {rc}, no JSON report: {err.strip()[:500]}"]
    if rc not in (0, 1):
        problems.append(f"exit code {rc}")
    for e in (report.get("errors") or []):
        problems.append("error: {} {}:{} {}".format(e.get("kind"), e.get("file"), e.get("line"),
                                                    e.get("message")))
    actual = [f for f in report.get("findings") or [] if f.get("policy") == pid]
    missing, extra = compare(expected, actual)
    problems += ["missing: " + fmt(dict(m, policy=pid)) for m in missing]
    problems += ["unexpected: " + fmt(a) for a in extra]
    if problems and actual:
        problems.append("actual findings of " + pid + ":")
        problems += ["    " + fmt(a) for a in actual]
    return problems


def run_fixtures(binary, root):
    failed, total = 0, 0
    for case in case_dirs(root):
        total += 1
        problems = run_case(binary, root, case)
        name = os.path.relpath(case, root)
        if problems:
            failed += 1
            print(f"FAIL {name}")
            for p in problems:
                print("    " + p)
        else:
            print(f"ok   {name}")
    return failed, total


def run_corpus(binary, corpus, summary):
    plans = os.path.join(corpus, "tfplan")
    failed, counts, files = 0, {}, 0
    for name in sorted(os.listdir(plans)):
        if not name.endswith(".json"):
            continue
        files += 1
        path = os.path.join(plans, name)
        rc, report, err = run_check(binary, [path], None, plans)
        errors = policy_errors(report)
        if rc == 3 or rc is None or errors:
            failed += 1
            print(f"FAIL corpus {name}: exit {rc}")
            for e in errors:
                print("    {} {}".format(e.get("policy"), e.get("message")))
            if rc is None:
                print("    " + err)
            continue
        for f in (report or {}).get("findings") or []:
            key = (f.get("policy"), f.get("severity"))
            counts[key] = counts.get(key, 0) + 1
    print(f"corpus: {files} plans, {failed} with policy errors")
    if summary:
        for (pid, sev), n in sorted(counts.items()):
            print(f"    {pid:34} {sev:7} {n}")
    return failed, files


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--policies", required=True)
    ap.add_argument("--corpus", default="")
    ap.add_argument("--summary", action="store_true", help="print corpus findings by policy")
    ap.add_argument("--only", choices=("fixtures", "corpus"))
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    if not os.access(binary, os.X_OK):
        print(f"moongate binary not found or not executable: {binary}")
        return 1
    failed = checked = 0
    if a.only != "corpus":
        f, t = run_fixtures(binary, os.path.abspath(a.policies))
        failed, checked = failed + f, checked + t
        print(f"fixtures: {t} cases, {f} failed")
    if a.only != "fixtures":
        if a.corpus and os.path.isdir(os.path.join(a.corpus, "tfplan")):
            f, t = run_corpus(binary, os.path.abspath(a.corpus), a.summary)
            failed, checked = failed + f, checked + t
        else:
            print("corpus: not available, skipped")
    if checked == 0:
        return 77
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
