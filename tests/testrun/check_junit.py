#!/usr/bin/env python3
"""tests/testrun/check_junit.py DECORUM E2E_DIR — ctest test-junit-parse: runs
`decorum test --junit` on tests/e2e/testrun/ and parses the XML back with xml.etree, checking
that the counts on <testsuites> and each <testsuite> agree with the <testcase> elements and
with the text summary, and that escaped names come back as written."""
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

decorum, e2e = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "junit.xml")
    r = subprocess.run([decorum, "test", "--junit", out, "testrun/calls.yaml", "testrun/calls.tests.yaml"],
                       cwd=e2e, capture_output=True, text=True, timeout=60)
    assert r.returncode == 1, r
    assert r.stdout.endswith("3 passed, 2 failed\n"), r.stdout
    root = ET.parse(out).getroot()

assert root.tag == "testsuites"
cases = root.findall("testsuite/testcase")
failures = [c for c in cases if c.find("failure") is not None]
errors = [c for c in cases if c.find("error") is not None]
assert int(root.get("tests")) == len(cases) == 5, root.attrib
assert int(root.get("failures")) == len(failures) == 1, root.attrib
assert int(root.get("errors")) == len(errors) == 1, root.attrib
for suite in root.findall("testsuite"):
    sc = suite.findall("testcase")
    assert int(suite.get("tests")) == len(sc)
    assert int(suite.get("failures")) == sum(c.find("failure") is not None for c in sc)
    assert int(suite.get("errors")) == sum(c.find("error") is not None for c in sc)
names = [c.get("name") for c in cases]
assert names[0] == "四声 <rings> & more", names
assert failures[0].get("name") == 'wrong "score" on purpose'
f = failures[0].find("failure")
assert f.get("message") == "score: expected 95, got 100", f.attrib
assert f.text.startswith("testrun/calls.yaml:30: E1: score: expected 95, got 100"), f.text
assert errors[0].get("name") == "a bad record"
assert errors[0].get("line") == "31"
print("junit ok:", len(cases), "cases")
