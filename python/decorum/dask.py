"""decorum.dask — entry point: score. Scores log files or DataFrame partitions on Dask
workers and merges their partial results on the client into one report, equal byte for byte
to one process scoring everything (`RuleSet.score`).

Each task is a plain function from (rulebook path, shard) to partial-result bytes, and the
merge is `Scorer.merge(partials, rules)`: the same two calls drop into Spark's
``mapPartitions`` (score the rows of a partition with ``Scorer.add(..., first_line=…)``, return
``[scorer.to_partial()]``, collect and merge on the driver) or any engine that can run a
Python function per shard and bring bytes back.

- Files: one task per file (a file's line numbers then come from the library's reader,
  exactly as the CLI numbers them).
- DataFrames (pandas or dask.dataframe): one task per partition; rows are numbered by their
  position in the whole frame, so rejections name the same rows as a one-process run.
- Each worker process compiles the rulebook once: compiled rule sets are cached per process,
  keyed by the rulebook's path and the SHA-256 of its bytes (an edited file compiles again).
"""
from __future__ import annotations

import hashlib
import os
import threading
import warnings
from typing import Any, Dict, List, Optional, Sequence, Tuple

import decorum
from ._frame import is_dataframe

_cache: Dict[Tuple[str, str], "decorum.RuleSet"] = {}
_cache_lock = threading.Lock()

SOURCE = "<dataframe>"  # the input name of DataFrame rows, as RuleSet.score names them


def rules_for(path: str) -> "decorum.RuleSet":
    """The compiled rulebook at `path`, compiled once per process (and again only when its
    bytes change)."""
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    key = (os.path.abspath(path), digest)
    with _cache_lock:
        rs = _cache.get(key)
        if rs is None:
            rs = _cache[key] = decorum.compile(path)
        return rs


def score_file(ruleset_path: str, path: str, period: Optional[str] = None, findings: bool = False) -> bytes:
    """One task: a log file's partial result."""
    return rules_for(ruleset_path).partial([path], period=period, findings=findings, threads=1)


def score_frame(ruleset_path: str, frame: Any, first_line: int, period: Optional[str] = None,
                findings: bool = False) -> bytes:
    """One task: a DataFrame partition's partial result, its rows numbered from `first_line`."""
    s = decorum.Scorer(rules_for(ruleset_path), period=period, findings=findings)
    if len(frame):
        s.add(frame, source=SOURCE, first_line=first_line)
    return s.to_partial()


def merge(ruleset_path: str, partials: Sequence[bytes], as_of: Optional[str] = None,
          frames: bool = False) -> "decorum.Report":
    """Merges the tasks' partial results into the report (on the client)."""
    with warnings.catch_warnings():
        if frames:  # every partition is a share of the one input "<dataframe>", on purpose
            warnings.filterwarnings("ignore", message=r"decorum merge: input '<dataframe>' appears in")
        return decorum.Scorer.merge(partials, rules_for(ruleset_path), as_of=as_of).report()


def _client(client: Any) -> Any:
    if client is not None:
        return client
    try:
        from distributed import default_client

        return default_client()
    except (ImportError, ValueError):
        return None  # no cluster: Dask's local scheduler


def score(ruleset_path: str, files_or_dataframe: Any, client: Any = None, *, period: Optional[str] = None,
          findings: bool = False, as_of: Optional[str] = None, partitions: Optional[int] = None) -> "decorum.Report":
    """Scores log files (a path or a list of paths), a pandas DataFrame (split into
    ``partitions`` pieces, default: one per worker thread) or a dask DataFrame (its own
    partitions) on the Dask cluster of ``client`` (default: the current client, else Dask's
    local scheduler) and returns the merged Report."""
    import dask

    ruleset_path = os.fspath(ruleset_path)
    rules_for(ruleset_path)  # a rulebook error is raised here, on the client, once
    c = _client(client)
    frames = False
    if isinstance(files_or_dataframe, (str, os.PathLike)) or (
            isinstance(files_or_dataframe, (list, tuple)) and all(isinstance(p, (str, os.PathLike))
                                                                   for p in files_or_dataframe)):
        # Names as given: they are the report's source names, and workers must read them.
        paths = [os.fspath(p) for p in ([files_or_dataframe] if isinstance(files_or_dataframe, (str, os.PathLike))
                                        else files_or_dataframe)]
        if not paths:
            raise ValueError("decorum.dask.score: no files given")
        tasks = [dask.delayed(score_file, pure=False)(ruleset_path, p, period, findings) for p in sorted(paths)]
    elif is_dataframe(files_or_dataframe):
        frames = True
        df = files_or_dataframe
        n = partitions or _threads(c)
        size = max(1, -(-len(df) // max(1, n)))
        tasks = [dask.delayed(score_frame, pure=False)(ruleset_path, df.iloc[at:at + size], at + 1, period, findings)
                 for at in range(0, max(len(df), 1), size)]
    elif hasattr(files_or_dataframe, "to_delayed") and hasattr(files_or_dataframe, "map_partitions"):
        frames = True
        ddf = files_or_dataframe
        lengths = ddf.map_partitions(len).compute(**({"scheduler": c} if c is not None else {}))
        firsts, at = [], 1
        for n in lengths:
            firsts.append(at)
            at += int(n)
        tasks = [dask.delayed(score_frame, pure=False)(ruleset_path, part, first, period, findings)
                 for part, first in zip(ddf.to_delayed(), firsts)]
    else:
        raise TypeError("decorum.dask.score: give log file paths, a pandas DataFrame or a dask DataFrame")
    if c is not None:
        partials: List[bytes] = list(c.gather(c.compute(tasks)))
    else:
        partials = list(dask.compute(*tasks))
    return merge(ruleset_path, partials, as_of=as_of, frames=frames)


def _threads(client: Any) -> int:
    if client is None:
        return os.cpu_count() or 1
    try:
        return max(1, sum(client.nthreads().values()))
    except Exception:  # pragma: no cover - an unusual client
        return 2
