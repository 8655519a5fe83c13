#!/usr/bin/python3
# tests/schema/check_sarif.py — entry point: main (ctest `sarif-schema`). Runs
# `decorum check --format sarif` on broken rulebooks (and a good one) and validates every log
# against the official SARIF 2.1.0 JSON schema (tests/data/sarif-schema-2.1.0.json) with an
# independent validator, Debian's python3-jsonschema; then checks what the schema cannot:
# results point at rules that exist, columns are code points, regions end after they start.
#
# usage: check_sarif.py DECORUM_CLI SOURCE_DIR
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

# name → (rulebook text, codes that must appear). Each is a whole file, written to a scratch
# directory, so the artifact URIs are the names as given.
CASES = {
    "bad-yaml.yaml": ("decorum: 1\nname: [a\n", {"D101"}),
    "unknown-key.yaml": (
        "decorum: 1\nname: t\ntitels: x\nrecords:\n  call: {rings: int}\nrules:\n"
        "  - id: a\n    on: call\n    when: ring > 3\n    deduc: 5\n",
        {"D110", "D202"},
    ),
    "中文 规则.yaml": (
        "decorum: 1\nname: t\nrecords:\n  call: {opening: text, rings: int}\nphrases:\n  greet: [您好, 您好]\n"
        "rules:\n  - id: a\n    on: call\n    when: opening == \"您好\" and ring > 3\n    deduct: 5\n",
        {"D202", "D301", "D302"},
    ),
    "types.yaml": (
        "decorum: 1\nname: t\nrecords:\n  call: {rings: int, badge: [left, right]}\nrules:\n"
        "  - id: a\n    on: calll\n    deduct: 5\n"
        "  - id: b\n    on: call\n    when: rings == \"3\" or badge == \"middle\" or startswith(rings)\n    deduct: 5\n",
        {"D210", "D203", "D208", "D204"},
    ),
    "ok.yaml": ("decorum: 1\nname: t\nrecords:\n  call: {rings: int}\nrules:\n  - id: a\n    on: call\n"
                "    when: rings > 3\n    deduct: 5\n", set()),
}


def schema_validator(path):
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    # Some copies of the schema keep the log's shape under definitions/Root rather than at the
    # top (a code generator's convention); validate against that shape either way.
    if "properties" not in schema and "Root" in schema.get("definitions", {}):
        schema = dict(schema, **{"$ref": "#/definitions/Root"})
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def main():
    cli, source = sys.argv[1], sys.argv[2]
    validator = schema_validator(os.path.join(source, "tests", "data", "sarif-schema-2.1.0.json"))
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, (text, codes) in CASES.items():
            with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
                f.write(text)
        runs = [(name, [name], codes) for name, (_, codes) in CASES.items()]
        runs.append(("all files", list(CASES), set().union(*(c for _, c in CASES.values()))))
        runs.append(("golden", [os.path.join(source, "tests", "golden", "check_bad.yaml")], {"D110", "D202", "D301"}))
        for what, files, codes in runs:
            p = subprocess.run([cli, "check", "--format", "sarif", *files], cwd=tmp, capture_output=True)
            want_status = 0 if what == "ok.yaml" else 1
            if p.returncode != want_status:
                failures.append(f"{what}: exit {p.returncode}, expected {want_status}: {p.stderr.decode()}")
            try:
                log = json.loads(p.stdout)
            except ValueError as e:
                failures.append(f"{what}: not JSON: {e}")
                continue
            errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
            for e in errors:
                failures.append(f"{what}: schema: {'/'.join(map(str, e.path))}: {e.message}")
            run = log["runs"][0]
            if run.get("columnKind") != "unicodeCodePoints":
                failures.append(f"{what}: columnKind is {run.get('columnKind')}")
            rules = run["tool"]["driver"]["rules"]
            ids = [r["id"] for r in rules]
            for r in rules:
                if r["helpUri"] != "docs/diagnostics.md#" + r["id"].lower():
                    failures.append(f"{what}: helpUri of {r['id']} is {r['helpUri']}")
            used = set()
            for res in run["results"]:
                rid = res.get("ruleId")
                if rid is not None:
                    used.add(rid)
                    if ids[res["ruleIndex"]] != rid:
                        failures.append(f"{what}: result {rid} points at rule {ids[res['ruleIndex']]}")
                region = res["locations"][0]["physicalLocation"].get("region")
                if region and "endColumn" in region:
                    if region["endLine"] != region["startLine"] or region["endColumn"] <= region["startColumn"]:
                        failures.append(f"{what}: bad region {region}")
            if not codes <= used:
                failures.append(f"{what}: codes {sorted(codes - used)} missing; got {sorted(used)}")
            if set(ids) != used:
                failures.append(f"{what}: rules {sorted(ids)} but results use {sorted(used)}")
            if what == "中文 规则.yaml":
                uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                if uri != "%E4%B8%AD%E6%96%87%20%E8%A7%84%E5%88%99.yaml":
                    failures.append(f"{what}: uri {uri}")
                # `ring` is unknown; after the two Chinese characters its columns are code points.
                r = [x for x in run["results"] if x["ruleId"] == "D202"][0]["locations"][0]["physicalLocation"]["region"]
                if (r["startLine"], r["startColumn"], r["endColumn"]) != (10, 31, 35):
                    failures.append(f"{what}: unknown field region {r}")
    for f in failures:
        print("FAIL", f)
    print(f"sarif-schema: {len(CASES) + 2} logs checked, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
