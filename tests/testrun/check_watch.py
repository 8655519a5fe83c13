#!/usr/bin/env python3
"""tests/testrun/check_watch.py DECORUM E2E_DIR — ctest test-watch: starts `decorum test
--watch` on copies of tests/e2e/testrun/calls{,.tests}.yaml and edits them the ways editors
do: replacing the test file by rename (the test then fails), rewriting it in place (passes
again), and changing the rulebook it names (fails again). Each edit must bring a new summary;
SIGINT and SIGTERM must end the process with status 0. Every wait has a timeout, so a hang
fails the test instead of blocking CI."""
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

decorum, e2e = sys.argv[1], sys.argv[2]
TIMEOUT = 20


class Watched:
    def __init__(self, args, cwd):
        self.p = subprocess.Popen([decorum, "test", "--watch"] + args, cwd=cwd,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.out = b""
        os.set_blocking(self.p.stdout.fileno(), False)

    def wait_for(self, text, count):
        """Reads standard output until `text` has appeared `count` times."""
        want = text.encode()
        deadline = time.monotonic() + TIMEOUT
        while self.out.count(want) < count:
            left = deadline - time.monotonic()
            if left <= 0:
                self.fail(f"timed out waiting for {text!r} x{count}")
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if r:
                chunk = self.p.stdout.read()
                if chunk == b"":
                    self.fail(f"output ended waiting for {text!r} x{count}")
                if chunk:
                    self.out += chunk

    def stop(self, sig):
        self.p.send_signal(sig)
        try:
            rc = self.p.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.fail(f"did not exit after signal {sig}")
        if rc != 0:
            self.fail(f"exit status {rc} after signal {sig}")

    def fail(self, why):
        self.p.kill()
        err = self.p.stderr.read().decode(errors="replace")
        sys.exit(f"FAIL: {why}\n--- stdout:\n{self.out.decode(errors='replace')}\n--- stderr:\n{err}")


def settle():
    # Past the debounce, so one edit is one run.
    time.sleep(0.4)


with tempfile.TemporaryDirectory() as tmp:
    for name in ("calls.yaml", "calls.tests.yaml"):
        shutil.copy(os.path.join(e2e, "testrun", name), os.path.join(tmp, name))
    tests = os.path.join(tmp, "calls.tests.yaml")
    rulebook = os.path.join(tmp, "calls.yaml")
    with open(tests, encoding="utf-8") as f:
        original = f.read()

    w = Watched(["calls.tests.yaml"], tmp)
    w.wait_for("1 passed, 0 failed\n", 1)
    settle()

    # An editor that writes a new file and renames it over the old one.
    with open(tests + ".swp", "w", encoding="utf-8") as f:
        f.write(original.replace("score: 100", "score: 99"))
    os.replace(tests + ".swp", tests)
    w.wait_for("0 passed, 1 failed\n", 1)
    assert b"score: expected 99, got 100" in w.out
    assert b"=== decorum test: re-running after a change ===" in w.out
    settle()

    # Rewritten in place: the watch on the replaced file must have been renewed.
    with open(tests, "w", encoding="utf-8") as f:
        f.write(original)
    w.wait_for("1 passed, 0 failed\n", 2)
    settle()

    # The rulebook the test file names is watched too.
    with open(rulebook, encoding="utf-8") as f:
        rb = f.read()
    with open(rulebook, "w", encoding="utf-8") as f:
        f.write(rb.replace("when: rings > 3", "when: rings > 0"))
    w.wait_for("0 passed, 1 failed\n", 2)
    settle()
    runs = w.out.count(b" passed, ")
    if runs != 4:
        w.fail(f"{runs} runs for three edits")
    w.stop(signal.SIGINT)

    # SIGTERM ends it cleanly as well.
    t = Watched(["calls.yaml"], tmp)
    t.wait_for(" failed\n", 1)
    t.stop(signal.SIGTERM)
print("watch ok")
