"""python/tests/conftest.py — fixtures of the package's pytest suite (issue 17): the
repository root, the `decorum` command to compare against, the built-in rulebook, and the
examples' records as dicts."""
import json
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session", autouse=True)
def _in_root():
    """Runs every test from the repository root, where the examples' relative names hold."""
    old = os.getcwd()
    os.chdir(ROOT)
    yield
    os.chdir(old)


@pytest.fixture(scope="session")
def cli():
    """Runs the `decorum` command (DECORUM_CLI, else build/decorum) and returns its stdout."""
    exe = os.environ.get("DECORUM_CLI") or str(ROOT / "build" / "decorum")
    if not os.path.exists(exe):
        exe = shutil.which("decorum")
    if not exe:
        pytest.skip("no decorum command to compare with (set DECORUM_CLI)")

    def run(*args):
        return subprocess.run([exe, *args], capture_output=True, check=False, cwd=ROOT).stdout
    return run


@pytest.fixture(scope="session")
def rules():
    """The built-in rulebook, compiled from its file."""
    import decorum
    return decorum.compile("rules/property-customer-service.yaml")


def jsonl_without(path, drop_lines, out):
    """Writes `path` without the given 1-based lines to `out` and returns the parsable
    records of what is left as dicts."""
    lines = pathlib.Path(path).read_text(encoding="utf-8").splitlines(True)
    kept = [l for i, l in enumerate(lines, 1) if i not in drop_lines]
    pathlib.Path(out).write_text("".join(kept), encoding="utf-8")
    rows = []
    for l in kept:
        try:
            rows.append(json.loads(l))
        except ValueError:
            pass
    return rows


def pytest_configure(config):
    """Debian's tornado (under distributed) warns about its own deprecated API: not ours."""
    config.addinivalue_line("filterwarnings", "ignore:make_current is deprecated:DeprecationWarning")
