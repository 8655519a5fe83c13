#!/usr/bin/python3
"""examples/python/package.py — entry point: main. The `decorum` Python package (issue 17):
score the example logs, then the same kind of records from a pandas DataFrame (an HR
system's table), keep a running Scorer, and save and merge partial results.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/package.py

(score.py next to it does the same through the C API with ctypes: the demo for any language
with a C FFI.)
"""
import pandas as pd

import decorum


def main():
    rules = decorum.compile("rules/property-customer-service.yaml")

    # Log files, read exactly as `decorum score` reads them.
    report = rules.score(["examples/nov-2026.jsonl", "examples/nov-2026-front-desk.csv"])
    print(f"{report.input.records} records: {report.input.scored} scored, {report.input.rejected} rejected")
    for t in report.tallies:
        print(f"  {t.employee} {t.name} {t.period}: score {t.score} grade {t.grade}")

    # A DataFrame: columns are fields, NaN/None are absent, Timestamps are times.
    df = pd.DataFrame({
        "kind": ["phone_call", "phone_call", "dress_check"],
        "time": pd.to_datetime(["2026-11-03 09:00", "2026-11-03 10:00", "2026-11-04 08:00"]).tz_localize("Asia/Shanghai"),
        "employee": ["E1", "E1", "E2"],
        "rings": [5, None, None],              # float64 with NaN: 5.0 is the int 5
        "uniform": [None, None, "unbuttoned"],
        "badge": [None, None, "sideways"],     # not one of the listed values: rejected
    })
    r = rules.score(df)
    print(f"DataFrame: {r.input.records} rows, {r.input.rejected} rejected")
    for x in r.rejected:
        print(f"  row {x.line}: {x.error}")
    print(r.to_pandas()[["employee", "period", "score", "deductions"]].to_string(index=False))

    # A running scorer, saved as a partial result and merged with another shard.
    a = rules.scorer().add("examples/nov-2026.jsonl").to_partial()
    b = rules.scorer().add("examples/nov-2026-front-desk.csv").to_partial()
    merged = decorum.Scorer.merge([a, b], rules).report()
    print("merged shards equal one run:", merged.json == report.json)


if __name__ == "__main__":
    main()
