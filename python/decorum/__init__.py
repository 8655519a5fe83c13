"""decorum — score service staff against YAML rulebooks, from Python (issue 17).

    import decorum
    rules = decorum.compile("rules/property-customer-service.yaml")
    report = rules.score(["examples/nov-2026.jsonl"])      # log files, as `decorum score`
    report = rules.score(df)                               # a pandas DataFrame
    report = rules.score([{"kind": ..., "time": ..., "employee": ..., ...}])
    for t in report.tallies:
        print(t.employee, t.period, t.score)              # Decimal, never float

The work is done by the C++ library (decorum._decorum, built with pybind11); this layer
turns its JSON report into objects and DataFrames. `decorum.dask.score` scores on a cluster.
"""
from __future__ import annotations

import os
import sys
import warnings
from typing import Any, Iterable, List, Optional, Sequence, Union

from . import _decorum
from ._frame import frame_columns, is_dataframe
from ._report import Entry, Finding, Rejection, Report, RuleTally, Tally

__all__ = ["compile", "builtin", "RuleSet", "Scorer", "Report", "Tally", "RuleTally", "Finding", "Rejection",
           "Diagnostic", "RulebookError"]

PathLike = Union[str, "os.PathLike[str]"]

try:  # pandas' own missing values, so the core needs no pandas to recognise them
    import pandas as _pd

    _decorum.set_missing_values([_pd.NA, _pd.NaT])
except ImportError:  # pragma: no cover - pandas is optional
    pass


class Diagnostic:
    """One problem found in a rulebook: ``severity`` ("error", "warning", "note"), ``file``,
    1-based ``line`` and ``column`` (0 when unknown), ``message`` and ``code``, the stable
    diagnostic code such as ``"D202"`` (docs/diagnostics.md; ``""`` for an uncoded one);
    ``str()`` gives the compiler-style text with the source line and a caret."""

    __slots__ = ("severity", "file", "line", "column", "message", "text", "code")

    def __init__(self, severity: str, file: str, line: int, column: int, message: str, text: str,
                 code: str = ""):
        self.severity, self.file, self.line, self.column, self.message, self.text, self.code = (
            severity, file, line, column, message, text, code)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Diagnostic({self.severity!r}, {self.file!r}, {self.line}, {self.column}, {self.message!r})"


class RulebookError(Exception):
    """A rulebook that does not compile. ``diagnostics`` lists every problem (errors and
    warnings) with file, line and column; ``str()`` shows them with carets."""

    def __init__(self, diagnostics: List[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.text for d in diagnostics) or "rulebook does not compile")

    def __str__(self) -> str:
        return "\n".join(d.text for d in self.diagnostics)


def _compiled(result: Any) -> "RuleSet":
    core, diags = result
    ds = [Diagnostic(*d) for d in diags]
    if core is None:
        raise RulebookError(ds)
    return RuleSet(core, [d for d in ds if d.severity != "error"])


def compile(path_or_text: PathLike, *, name: Optional[str] = None) -> "RuleSet":
    """Compiles a rulebook from a file name or from its YAML text (anything holding a line
    break, or given with ``name=``, is text; ``name`` then names it in diagnostics). Raises
    RulebookError with every diagnostic when it does not compile."""
    if isinstance(path_or_text, str) and (name is not None or "\n" in path_or_text):
        return _compiled(_decorum.compile_text(name or "<rulebook>", path_or_text))
    return _compiled(_decorum.compile_file(os.fspath(path_or_text)))


def builtin() -> "RuleSet":
    """The built-in rulebook (rules/property-customer-service.yaml, as `decorum score`
    without -r uses)."""
    return _compiled(_decorum.builtin())


def _is_paths(x: Any) -> bool:
    if isinstance(x, (str, os.PathLike)):
        return True
    return isinstance(x, (list, tuple)) and len(x) > 0 and all(isinstance(p, (str, os.PathLike)) for p in x)


def _paths(x: Any) -> List[str]:
    return [os.fspath(x)] if isinstance(x, (str, os.PathLike)) else [os.fspath(p) for p in x]


class RuleSet:
    """A compiled rulebook; immutable, so one RuleSet may score on many threads at once."""

    def __init__(self, core: Any, warnings: Optional[List[Diagnostic]] = None):
        self._core = core
        self.warnings: List[Diagnostic] = warnings or []
        """Warnings the compiler gave (a rule that can never fire, …)."""

    @property
    def name(self) -> str:
        """The rulebook's ``name:``."""
        return self._core.name

    @property
    def file(self) -> str:
        """The file it was compiled from, as named."""
        return self._core.file

    @property
    def sha256(self) -> str:
        """SHA-256 of the rulebook's text (64 hex digits)."""
        return self._core.sha256

    @property
    def fields(self) -> dict:
        """Field names per record kind: {"phone_call": ["rings", …], …}."""
        return self._core.fields

    def score(self, records: Any, *, period: Optional[str] = None, findings: bool = False,
              as_of: Optional[str] = None, threads: int = 0, source: Optional[str] = None,
              format: Optional[str] = None) -> Report:
        """Scores log files (a path or a list of paths: read as `decorum score` reads them,
        on ``threads`` threads, 0 = all cores), a pandas DataFrame (columns are fields; NaN,
        None and NaT are absent; Timestamps are times) or an iterable of dicts, and returns the
        Report. ``period`` overrides the rulebook's (day, week, month, quarter, year, all);
        ``findings`` keeps the audit trail; ``as_of`` is the as-of time of deadline rules."""
        if _is_paths(records):
            return Report(_decorum.score_files(self._core, _paths(records), period, findings, as_of, threads, False,
                                               format))
        s = Scorer(self, period=period, findings=findings, as_of=as_of)
        s.add(records, source=source)
        return s.report()

    def partial(self, paths: Any, *, period: Optional[str] = None, findings: bool = False, threads: int = 0,
                format: Optional[str] = None) -> bytes:
        """The partial result of log files, the bytes `decorum score -f partial` writes."""
        return _decorum.score_files(self._core, _paths(paths), period, findings, None, threads, True, format)

    def scorer(self, **options: Any) -> "Scorer":
        """A Scorer over this rulebook (see Scorer for the options)."""
        return Scorer(self, **options)

    def merge(self, partials: Iterable[bytes], *, as_of: Optional[str] = None) -> Report:
        """Merges partial results (bytes) into one report, as `decorum merge` does."""
        return Scorer.merge(partials, self, as_of=as_of).report()

    def __repr__(self) -> str:
        return f"RuleSet(name={self.name!r}, file={self.file!r})"


class Scorer:
    """Scores records a batch at a time: ``add`` as many times as needed, then ``report``
    (which may be asked again after more records). The GIL is released while records are
    scored, so scorers on several threads run in parallel; a single Scorer serializes calls."""

    def __init__(self, rules: Union[RuleSet, PathLike], *, period: Optional[str] = None, findings: bool = False,
                 as_of: Optional[str] = None, _core: Any = None):
        self.rules: RuleSet = rules if isinstance(rules, RuleSet) else compile(rules)
        self._core = _core if _core is not None else _decorum.Scorer(self.rules._core, period, findings, as_of)

    def add(self, records: Any, *, source: Optional[str] = None, first_line: Optional[int] = None,
            format: Optional[str] = None) -> "Scorer":
        """Scores more records: a pandas DataFrame, an iterable of dicts, or log file paths.
        Python records belong to the input ``source`` ("<dataframe>" or "<records>" unless
        given) and are numbered 1, 2, … across calls (``first_line`` sets the first number);
        a record whose values do not fit the rulebook is listed in the report's `rejected`."""
        if _is_paths(records):
            for p in _paths(records):
                self._core.add_file(p, format)
        elif is_dataframe(records):
            names, kinds, arrays, offsets = frame_columns(records)
            self._core.add_columns(names, kinds, arrays, offsets, len(records), source or "<dataframe>", first_line)
        elif isinstance(records, dict):
            raise TypeError("decorum: add takes an iterable of records; wrap a single dict in a list")
        else:
            if first_line is not None:
                raise TypeError("decorum: first_line applies to DataFrames")
            self._core.add_rows(records, source or "<records>")
        return self

    def report(self) -> Report:
        """The report of everything scored so far."""
        return Report(self._core.report_json())

    def to_partial(self) -> bytes:
        """The partial result of everything scored so far (the bytes `decorum score -f
        partial` writes), for Scorer.merge or `decorum merge`."""
        return self._core.to_partial()

    @classmethod
    def merge(cls, partials: Iterable[bytes], rules: Union[RuleSet, PathLike], *, as_of: Optional[str] = None,
              names: Optional[Sequence[str]] = None) -> "Scorer":
        """A Scorer holding the merge of partial results made with ``rules``: its report
        equals, byte for byte, one run over every shard's records. Warns (warnings.warn) when
        the partials overlap (an input or record id in two of them)."""
        rs = rules if isinstance(rules, RuleSet) else compile(rules)
        parts = [bytes(p) for p in partials]
        labels = list(names) if names is not None else [f"partial #{i + 1}" for i in range(len(parts))]
        core, warns, dups = _decorum.Scorer.merge(rs._core, parts, labels, as_of)
        for w in warns:
            warnings.warn(f"decorum merge: {w}", stacklevel=2)
        if dups:
            warnings.warn(f"decorum merge: {dups} record id(s) occur in more than one partial; each shard scored its "
                          "own copy (give each shard disjoint inputs)", stacklevel=2)
        return cls(rs, _core=core)
