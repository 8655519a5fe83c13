# python/decorum/__init__.pyi — type stubs of the decorum package (issue 17), so editors
# complete the API; the docstrings live in __init__.py and _report.py.
import os
from decimal import Decimal
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union

PathLike = Union[str, os.PathLike[str]]
Records = Union[PathLike, Sequence[PathLike], Iterable[Mapping[str, Any]], Any]  # Any: a pandas DataFrame

class Diagnostic:
    severity: str
    file: str
    line: int
    column: int
    message: str
    text: str
    code: str

class RulebookError(Exception):
    diagnostics: List[Diagnostic]

class Entry:
    def __getattr__(self, key: str) -> Any: ...
    def __getitem__(self, key: str) -> Any: ...
    def to_dict(self) -> Dict[str, Any]: ...

class RuleTally(Entry):
    id: str
    count: int
    points: Decimal
    fines: Decimal

class Tally(Entry):
    employee: str
    name: Optional[str]
    period: str
    base: Decimal
    deductions: Decimal
    bonuses: Decimal
    score: Decimal
    grade: Optional[str]
    fines: Decimal
    findings: int
    voided: int
    flags: List[str]
    categories: Dict[str, Decimal]
    rules: List[RuleTally]

class Finding(Entry):
    employee: str
    period: str
    rule: str
    time: str
    occurrences: int
    points: Decimal
    fine: Decimal
    source: Optional[str]
    line: Optional[int]
    rule_file: str
    rule_line: int
    matched: str

class Rejection(Entry):
    source: str
    line: int
    error: str

class Report:
    json: str
    decorum: int
    rulebook: Entry
    period: str
    currency: str
    input: Entry
    as_of: Optional[str]
    tallies: List[Tally]
    rejected: List[Rejection]
    findings: List[Finding]
    @property
    def records(self) -> int: ...
    @property
    def scored(self) -> int: ...
    def tally(self, employee: str, period: Optional[str] = ...) -> Optional[Tally]: ...
    def to_json(self) -> str: ...
    def to_pandas(self, what: str = ...) -> Any: ...

class RuleSet:
    warnings: List[Diagnostic]
    @property
    def name(self) -> str: ...
    @property
    def file(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def fields(self) -> Dict[str, List[str]]: ...
    def score(self, records: Records, *, period: Optional[str] = ..., findings: bool = ...,
              as_of: Optional[str] = ..., threads: int = ..., source: Optional[str] = ...,
              format: Optional[str] = ...) -> Report: ...
    def partial(self, paths: Union[PathLike, Sequence[PathLike]], *, period: Optional[str] = ...,
                findings: bool = ..., threads: int = ..., format: Optional[str] = ...) -> bytes: ...
    def scorer(self, *, period: Optional[str] = ..., findings: bool = ..., as_of: Optional[str] = ...) -> Scorer: ...
    def merge(self, partials: Iterable[bytes], *, as_of: Optional[str] = ...) -> Report: ...

class Scorer:
    rules: RuleSet
    def __init__(self, rules: Union[RuleSet, PathLike], *, period: Optional[str] = ..., findings: bool = ...,
                 as_of: Optional[str] = ...) -> None: ...
    def add(self, records: Records, *, source: Optional[str] = ..., first_line: Optional[int] = ...,
            format: Optional[str] = ...) -> Scorer: ...
    def report(self) -> Report: ...
    def to_partial(self) -> bytes: ...
    @classmethod
    def merge(cls, partials: Iterable[bytes], rules: Union[RuleSet, PathLike], *, as_of: Optional[str] = ...,
              names: Optional[Sequence[str]] = ...) -> Scorer: ...

def compile(path_or_text: PathLike, *, name: Optional[str] = ...) -> RuleSet: ...
def builtin() -> RuleSet: ...
