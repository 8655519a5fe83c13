#!/usr/bin/python3
"""examples/dask/run.py — entry point: main. Scores on a Dask LocalCluster of two worker
processes with decorum.dask.score and checks the merged report equals, byte for byte, one
process scoring the same logs:

  1. examples/ (the built-in rulebook), as log files and as a pandas DataFrame;
  2. a generated log of --records records (default 1,000,000; bench/gen/gen.cpp, the
     benchmarks' deterministic generator, scored with bench/rules/bench.yaml), cut into
     --parts files of whole lines so the workers share the work (one task per file).

    PYTHONPATH=build/python /usr/bin/python3 examples/dask/run.py [--records N] [--parts K]

Exits 1 when a merged report differs from the one-process report.
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import pandas as pd
from distributed import Client, LocalCluster

import decorum
import decorum.dask

ROOT = pathlib.Path(__file__).resolve().parents[2]


def generate(records, parts, workdir):
    """The generator's log of `records` records cut into `parts` files of whole lines."""
    gen = workdir / "decorum_bench_gen"
    subprocess.run(["c++", "-O2", "-std=c++20", str(ROOT / "bench/gen/gen.cpp"), "-o", str(gen)], check=True)
    whole = workdir / "log.jsonl"
    subprocess.run([str(gen), "--records", str(records), "--employees", "1000", "--seed", "42", "--format", "jsonl",
                    "-o", str(whole)], check=True)
    lines = whole.read_bytes().splitlines(keepends=True)
    whole.unlink()
    size = -(-len(lines) // parts)
    names = []
    for k in range(parts):
        name = workdir / f"log-part{k + 1}.jsonl"
        name.write_bytes(b"".join(lines[k * size:(k + 1) * size]))
        names.append(str(name))
    return names


def check(label, merged, one):
    ok = merged.json == one.json
    print(f"{label}: {merged.input.records} records, {len(merged.tallies)} tallies; "
          f"{'equal to' if ok else 'DIFFERENT from'} the one-process report")
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=1_000_000, help="records in the generated log (default 1000000)")
    ap.add_argument("--parts", type=int, default=4, help="files the generated log is cut into (default 4)")
    args = ap.parse_args()
    os.chdir(ROOT)
    ok = True
    with tempfile.TemporaryDirectory() as tmp, \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        builtin = "rules/property-customer-service.yaml"
        files = ["examples/nov-2026.jsonl", "examples/nov-2026-front-desk.csv"]
        rules = decorum.compile(builtin)
        ok &= check("examples/ (files)", decorum.dask.score(builtin, files, client, findings=True),
                    rules.score(files, findings=True))
        rows = []
        for line in open("examples/nov-2026.jsonl", encoding="utf-8"):
            try:
                rows.append(json.loads(line))
            except ValueError:
                pass  # line 41 is not JSON: it cannot be a DataFrame row
        df = pd.DataFrame(rows)
        ok &= check("examples/ (DataFrame)", decorum.dask.score(builtin, df, client, partitions=4), rules.score(df))

        logs = generate(args.records, args.parts, pathlib.Path(tmp))
        bench = "bench/rules/bench.yaml"
        t = time.perf_counter()
        merged = decorum.dask.score(bench, logs, client)
        t_dask = time.perf_counter() - t
        t = time.perf_counter()
        one = decorum.compile(bench).score(logs, threads=1)
        t_one = time.perf_counter() - t
        ok &= check(f"generated log ({args.parts} files)", merged, one)
        n = merged.input.records
        print(f"  two workers: {t_dask:.2f} s ({n / t_dask:,.0f} records/s, cluster overhead included); "
              f"one process, one thread: {t_one:.2f} s ({n / t_one:,.0f} records/s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
