"""decorum/_report.py — entry point: Report. A scoring run's result as Python objects, read
from the JSON report the C++ core writes (the same text as `decorum score --format json`),
so every attribute is named like a JSON key and every amount is a decimal.Decimal."""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Dict, List, Optional

# The JSON keys whose numbers are amounts (exact decimals), as opposed to counts and lines.
_DECIMAL_KEYS = frozenset({"base", "deductions", "bonuses", "score", "fines", "points", "fine", "late"})


class Entry:
    """One object of the report (a tally, a finding, a rejection, …): its JSON keys as
    attributes (``t.employee``, ``t.score``); ``to_dict()`` gives them back as a dict."""

    __slots__ = ("_d",)

    def __init__(self, d: Dict[str, Any]):
        object.__setattr__(self, "_d", d)

    def __getattr__(self, key: str) -> Any:
        try:
            return self._d[key]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no key {key!r}; keys: {', '.join(self._d)}") from None

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("report objects are read-only")

    def __getitem__(self, key: str) -> Any:
        return self._d[key]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Entry) and self._d == other._d

    def __dir__(self) -> List[str]:
        return list(self._d)

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._d.items() if not isinstance(v, (list, dict)) or k == "flags")
        return f"{type(self).__name__}({inner})"

    def to_dict(self) -> Dict[str, Any]:
        """The JSON object's keys and values (amounts as Decimal, nested objects as dicts)."""
        return {k: _plain(v) for k, v in self._d.items()}


class Tally(Entry):
    """One employee's result for one period (`tallies` in the JSON report)."""


class RuleTally(Entry):
    """One rule's part of a tally (a tally's `rules`)."""


class Finding(Entry):
    """One finding of the audit trail (`findings`, with ``findings=True``)."""


class Rejection(Entry):
    """A record that was not scored, and why (`rejected`: source, line, error)."""


def _plain(v: Any) -> Any:
    if isinstance(v, Entry):
        return v.to_dict()
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def _amounts(d: Dict[str, Any]) -> Dict[str, Any]:
    for k in _DECIMAL_KEYS & d.keys():
        if isinstance(d[k], int):
            d[k] = Decimal(d[k])
    if isinstance(d.get("categories"), dict):
        d["categories"] = {c: Decimal(v) if isinstance(v, int) else v for c, v in d["categories"].items()}
    return d


def _wrap(value: Any, cls: type = Entry) -> Any:
    if isinstance(value, list):
        return [_wrap(v, cls) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for k, v in value.items():
        if k == "categories":
            out[k] = v  # category name -> Decimal: a dict, not an object
        elif k == "rules" and cls is Tally:
            out[k] = _wrap(v, RuleTally)
        else:
            out[k] = _wrap(v)
    return cls(out)


class Report:
    """The result of a scoring run (SPEC §5). Attributes are the JSON report's keys:
    ``rulebook``, ``period``, ``currency``, ``input`` (records, scored, rejected), ``as_of``,
    ``tallies``, ``rejected``, and, when present, ``findings``, ``pending``, ``appeals``.
    ``json`` is the report's text exactly as ``decorum score --format json`` writes it."""

    def __init__(self, text: str):
        self.json: str = text
        self._parsed = False

    def __getattr__(self, key: str) -> Any:
        # The JSON is parsed on first use: a caller that only compares or saves `json` (the
        # Dask merge, a benchmark) never pays for objects of 10,000 tallies.
        if key.startswith("_") or self.__dict__.get("_parsed", True):
            raise AttributeError(f"Report has no attribute {key!r}")
        self._parse()
        return getattr(self, key)

    def _parse(self) -> None:
        data = json.loads(self.json, parse_float=Decimal, object_hook=_amounts)
        kinds = {"tallies": Tally, "findings": Finding, "rejected": Rejection}
        for k, v in data.items():
            setattr(self, k, _wrap(v, kinds.get(k, Entry)))
        if "findings" not in data:
            self.findings = []
        self._parsed = True

    @property
    def records(self) -> int:
        """Records read (scored + rejected)."""
        return self.input.records

    @property
    def scored(self) -> int:
        """Records scored."""
        return self.input.scored

    def tally(self, employee: str, period: Optional[str] = None) -> Optional[Tally]:
        """The tally of `employee` (in `period`, or the first one), or None."""
        for t in self.tallies:
            if t.employee == employee and (period is None or t.period == period):
                return t
        return None

    def to_json(self) -> str:
        """The JSON report's text."""
        return self.json

    def to_pandas(self, what: str = "tallies"):
        """A pandas DataFrame of ``tallies`` (default), ``findings``, ``rejected`` or ``rules``
        (one row per tally and fired rule). Amounts stay decimal.Decimal (object columns)."""
        import pandas as pd

        if what == "rules":
            rows = [{"employee": t.employee, "period": t.period, **r.to_dict()} for t in self.tallies for r in t.rules]
            return pd.DataFrame(rows, columns=["employee", "period", "id", "count", "points", "fines"])
        if what not in ("tallies", "findings", "rejected"):
            raise ValueError("to_pandas: what must be 'tallies', 'findings', 'rejected' or 'rules'")
        rows = [e.to_dict() for e in getattr(self, what)]
        if what == "tallies":
            for r in rows:
                r.pop("rules", None)
        return pd.DataFrame(rows)

    def __repr__(self) -> str:
        i = self.input
        return (f"Report(rulebook={self.rulebook.name!r}, records={i.records}, scored={i.scored}, "
                f"rejected={i.rejected}, tallies={len(self.tallies)})")
