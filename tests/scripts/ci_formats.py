#!/usr/bin/env python3
"""Checks moongate's CI reports (used by ci_formats.sh).

  ci_formats.py SARIF_SCHEMA JOBS   runs every check JOBS lists, one a line:
    sarif FILE [URI...]   valid against the SARIF 2.1.0 schema (draft-04) and what GitHub
                          code scanning relies on; every URI given is the uri of some result
    github FILE           every line is a well-formed workflow command
    markdown FILE         heading, severity table, well-formed table rows
  Exits 1 after reporting every failed check.
"""
import json
import re
import sys

import jsonschema


class CheckFailed(Exception):
    pass


def fail(msg):
    raise CheckFailed(msg)


def check_rules(run):
    rules = run["tool"]["driver"].get("rules", [])
    ids = [r["id"] for r in rules]
    if ids != sorted(ids) or len(set(ids)) != len(ids):
        fail("rules are not unique and sorted by id")
    for r in rules:
        sev = float(r["properties"]["security-severity"])
        if not 0.0 <= sev <= 10.0:
            fail("security-severity out of range in rule " + r["id"])
        if "security" not in r["properties"]["tags"]:
            fail("rule %s lacks the security tag" % r["id"])
        if not r["shortDescription"]["text"] or not r["help"]["text"]:
            fail("rule %s lacks a description or help" % r["id"])
    return ids


def check_result(res, ids, uris):
    rid = res["ruleId"]
    if rid in ids and ids[res["ruleIndex"]] != rid:
        fail("ruleIndex %d does not name %s" % (res["ruleIndex"], rid))
    fp = res["partialFingerprints"]["moongate/v1"]
    if not re.fullmatch(r"[0-9a-f]{16}", fp):
        fail("bad fingerprint " + fp)
    for loc in res.get("locations", []):
        art = loc.get("physicalLocation", {}).get("artifactLocation")
        if art is None:
            continue
        uri = art["uri"]
        if art.get("uriBaseId") == "%SRCROOT%":
            if uri.startswith(("/", "./")) or "/../" in "/" + uri:
                fail("relative uri is not normalised: " + uri)
        elif not uri.startswith("file:///"):
            fail("uri neither relative to %SRCROOT% nor absolute: " + uri)
        uris.add(uri)
        region = loc["physicalLocation"].get("region")
        if region is not None and region.get("startLine", 1) < 1:
            fail("startLine below 1")
        for logical in loc.get("logicalLocations", []):
            if logical.get("kind") != "resource" or not logical.get("fullyQualifiedName"):
                fail("logical location without a resource address")


def sarif(validator, path, expected_uris):
    with open(path, encoding="utf-8") as f:
        log = json.load(f)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        fail("schema: %s at %s" % (e.message, "/".join(map(str, e.absolute_path))))
    if log["version"] != "2.1.0" or len(log["runs"]) != 1:
        fail("not one SARIF 2.1.0 run")
    run = log["runs"][0]
    ids = check_rules(run)
    uris = set()
    for res in run["results"]:
        check_result(res, ids, uris)
    for uri in expected_uris:
        if uri not in uris:
            fail("no result has uri %s (have %s)" % (uri, sorted(uris)))
    print("%s: valid SARIF, %d rules, %d results" % (path, len(ids), len(run["results"])))


COMMAND = re.compile(r"::(error|warning|notice)( ((file=[^,:]+,)?(line=\d+,)?(col=\d+,)?)?"
                     r"title=[^,:]*)?::[^\r\n]*")


def github(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    if lines[-1] != "":
        fail("output does not end with a newline")
    for line in lines[:-1]:
        if not COMMAND.fullmatch(line):
            fail("not a workflow command: " + line)
    print("%s: %d workflow commands" % (path, len(lines) - 1))


def markdown(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not text.startswith("## moongate: ") or "| Severity | Findings |" not in text:
        fail("no heading or severity table")
    for line in text.split("\n"):
        if line.startswith("| ") and "|---" not in line:
            cells = re.split(r"(?<!\\)\|", line)
            if len(cells) not in (4, 7):  # 2 or 5 cells between the outer pipes
                fail("table row with %d cells: %s" % (len(cells) - 2, line))
    if text.count("<details>") != text.count("</details>"):
        fail("unbalanced <details>")
    print("%s: markdown summary" % path)


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        validator = jsonschema.Draft4Validator(json.load(f))
    failed = 0
    with open(argv[2], encoding="utf-8") as f:
        jobs = [line.split() for line in f if line.strip()]
    for job in jobs:
        kind, path, rest = job[0], job[1], job[2:]
        try:
            if kind == "sarif":
                sarif(validator, path, rest)
            elif kind == "github":
                github(path)
            elif kind == "markdown":
                markdown(path)
            else:
                fail("unknown check " + kind)
        except (CheckFailed, ValueError, KeyError, IndexError, TypeError, OSError) as e:
            print("FAIL: %s: %s: %s" % (kind, path, e), file=sys.stderr)
            failed = 1
    print("%d checks, %s" % (len(jobs), "some failed" if failed else "all passed"))
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv))
