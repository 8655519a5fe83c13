"""python/tests/test_threads.py — the GIL is released while scoring: two threads scoring at
once with one RuleSet both finish and agree with a serial run (the speed-up itself is
measured in bench/python, not asserted here: CI machines are too noisy)."""
import threading

import pandas as pd

from conftest import jsonl_without


def test_two_threads_agree(tmp_path, rules):
    rows = jsonl_without("examples/nov-2026.jsonl", {265}, tmp_path / "log.jsonl")
    df = pd.concat([pd.DataFrame(rows)] * 40, ignore_index=True)  # ~12,000 rows
    serial = rules.score(df).json
    results = [None, None]
    errors = []

    def work(i):
        try:
            results[i] = rules.score(df).json if i == 0 else rules.score(["examples/nov-2026.jsonl"]).json
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors and not any(t.is_alive() for t in threads)
    assert results[0] == serial
    assert results[1] == rules.score(["examples/nov-2026.jsonl"]).json


def test_one_scorer_shared_by_threads(rules):
    s = rules.scorer()
    row = {"kind": "dress_check", "time": "2026-11-02T08:00:00+08:00", "employee": "E1", "uniform": "untidy"}
    threads = [threading.Thread(target=lambda: s.add([row] * 500)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    r = s.report()
    assert r.input.records == 2000 and r.input.scored == 2000
