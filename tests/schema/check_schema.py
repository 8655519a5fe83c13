#!/usr/bin/python3
# tests/schema/check_schema.py — entry point: main (ctest `rulebook-schema`). Checks
# schema/rulebook.schema.json with an independent validator (Debian's python3-jsonschema)
# against the decorum CLI: every rulebook and test file in the repository that the CLI
# accepts must validate (the schema is never stricter than the checker), every shipped
# rulebook and every file under tests/schema/good/ must pass the CLI and validate, the
# shipped ones naming the schema on their first line, and every file under
# tests/schema/bad/ must be rejected by both the schema and the CLI, the CLI with the message
# the file's `# message:` line gives.
#
# usage: check_schema.py DECORUM_CLI SOURCE_DIR
import glob
import json
import os
import re
import subprocess
import sys

import jsonschema
import yaml

MODELINE = "# yaml-language-server: $schema=../schema/rulebook.schema.json"


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML reads YAML 1.1, where `on:` is a boolean key and dates are dates; decorum
    (yaml-cpp) and editors (yaml-language-server) read YAML 1.2's core schema, where only
    true/false are booleans and a date is text. This loader resolves plain scalars that way."""


Yaml12Loader.yaml_implicit_resolvers = {}
for tag, regexp, first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     list("-+.0123456789")),
]:
    Yaml12Loader.add_implicit_resolver(tag, re.compile(regexp), first)


def construct_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", construct_int)


def load(path):
    with open(path, encoding="utf-8-sig") as f:
        return yaml.load(f, Loader=Yaml12Loader)


def is_test_file(doc):
    return isinstance(doc, dict) and "rulebook" in doc


def run_cli(cli, doc, path):
    """Runs the command that checks this file: `decorum test` for a test file or for a
    rulebook with tests (only it reads tests), else `decorum check`. Returns (exit, output)."""
    command = "test" if is_test_file(doc) or (isinstance(doc, dict) and doc.get("tests")) else "check"
    p = subprocess.run([cli, command, path], capture_output=True, text=True, encoding="utf-8", errors="replace")
    return command, p.returncode, p.stdout + p.stderr


def schema_errors(validator, doc):
    return sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))


def describe(errors):
    return "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in errors[:3])


def main():
    cli, src = sys.argv[1], sys.argv[2]
    with open(os.path.join(src, "schema", "rulebook.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    failures = []

    # Shipped rulebooks: valid, checked clean, and pointing editors at the schema.
    shipped = sorted(glob.glob(os.path.join(src, "rules", "*.yaml")))
    if not shipped:
        failures.append("no rules/*.yaml found")
    for path in shipped:
        with open(path, encoding="utf-8") as f:
            if f.readline().rstrip("\n") != MODELINE:
                failures.append(f"{path}: first line is not '{MODELINE}'")

    # Never stricter: whatever the CLI accepts, the schema accepts.
    corpus = shipped + sorted(
        p
        for pattern in ("tests/e2e/*.yaml", "tests/golden/*.yaml", "tests/xlsx/*.yaml", "tests/schema/good/*.yaml",
                        "bench/rules/*.yaml", "tests/fuzz/corpus/fuzz_rulebook/*.yaml", "examples/**/*.yaml")
        for p in glob.glob(os.path.join(src, pattern), recursive=True))
    accepted = 0
    for path in corpus:
        try:
            doc = load(path)
        except yaml.YAMLError:
            doc = None
        command, code, out = run_cli(cli, doc, path)
        if code != 0 and (path in shipped or os.sep + "good" + os.sep in path):
            failures.append(f"{path}: decorum {command} rejects it (shipped and good files must pass):\n{out}")
        if code != 0:
            continue
        accepted += 1
        if doc is None:
            failures.append(f"{path}: decorum {command} accepts it but PyYAML cannot read it")
            continue
        errors = schema_errors(validator, doc)
        if errors:
            failures.append(f"{path}: decorum {command} accepts it, the schema rejects it: {describe(errors)}")

    # Broken rulebooks: both reject, the CLI with the expected message.
    bad = sorted(glob.glob(os.path.join(src, "tests", "schema", "bad", "*.yaml")))
    if not bad:
        failures.append("no tests/schema/bad/*.yaml found")
    for path in bad:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        m = re.search(r"^# message: (.+)$", text, re.M)
        if not m:
            failures.append(f"{path}: no '# message:' line")
            continue
        doc = load(path)
        if not schema_errors(validator, doc):
            failures.append(f"{path}: the schema accepts it")
        command, code, out = run_cli(cli, doc, path)
        if code == 0:
            failures.append(f"{path}: decorum {command} accepts it")
        elif m.group(1) not in out:
            failures.append(f"{path}: decorum {command} rejects it, but without '{m.group(1)}':\n{out}")

    for f in failures:
        print("FAIL:", f)
    print(f"{len(shipped)} shipped rulebooks; {len(corpus)} files, {accepted} of them accepted by the CLI, "
          f"which the schema must accept; {len(bad)} broken files both must reject; {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
