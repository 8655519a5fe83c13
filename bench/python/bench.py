#!/usr/bin/python3
"""bench/python/bench.py — entry point: main. Records/s of the Python package (issue 17) on
a pandas DataFrame of --records rows (default 1,000,000) against `decorum score` on the same
data as a CSV file, both with bench/rules/bench.yaml and one scoring thread; plus the package
on the file, and two threads scoring halves of the frame at once against one after the other
(the GIL is released while scoring).

    PYTHONPATH=build/python /usr/bin/python3 bench/python/bench.py [--records N] [--cli build/decorum]

The log comes from bench/gen/gen.cpp (compiled here with c++), written as CSV; the frame is
pandas.read_csv of that file (not timed). Every timing is the best of --repeat runs.
"""
import argparse
import os
import pathlib
import subprocess
import sys
import tempfile
import threading
import time

import pandas as pd

import decorum

ROOT = pathlib.Path(__file__).resolve().parents[2]


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cli", default=str(ROOT / "build" / "decorum"))
    args = ap.parse_args()
    rules_path = str(ROOT / "bench/rules/bench.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        gen = os.path.join(tmp, "gen")
        subprocess.run(["c++", "-O2", "-std=c++20", str(ROOT / "bench/gen/gen.cpp"), "-o", gen], check=True)
        csv = os.path.join(tmp, "log.csv")
        subprocess.run([gen, "--records", str(args.records), "--employees", "1000", "--seed", "42", "--format", "csv",
                        "-o", csv], check=True)
        df = pd.read_csv(csv, dtype={"id": str, "employee": str})
        rules = decorum.compile(rules_path)
        n = len(df)

        frame = best(lambda: rules.score(df), args.repeat)
        files = best(lambda: rules.score(csv, threads=1), args.repeat)
        cli = best(lambda: subprocess.run([args.cli, "score", "-r", rules_path, "-f", "json", "-j", "1", csv],
                                          stdout=subprocess.DEVNULL, check=False), args.repeat)
        halves = [df.iloc[: n // 2], df.iloc[n // 2:]]
        serial = best(lambda: [rules.score(h) for h in halves], args.repeat)

        def parallel():
            ts = [threading.Thread(target=rules.score, args=(h,)) for h in halves]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
        two = best(parallel, args.repeat)

        same = rules.score(df).tallies == rules.score(csv).tallies
        print(f"{n:,} records, bench/rules/bench.yaml, one thread each, best of {args.repeat}:")
        print(f"| path | seconds | records/s |\n|---|---:|---:|")
        for label, t in [("package, DataFrame (`RuleSet.score(df)`)", frame),
                         ("package, CSV file (`RuleSet.score(path, threads=1)`)", files),
                         ("CLI, CSV file (`decorum score -f json -j 1`)", cli),
                         ("package, DataFrame halves one after the other", serial),
                         ("package, DataFrame halves on two threads at once", two)]:
            print(f"| {label} | {t:.2f} | {n / t:,.0f} |")
        print(f"DataFrame / CLI time: {frame / cli:.2f}x; two threads vs serial: {serial / two:.2f}x speed-up; "
              f"DataFrame tallies equal the file's: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
