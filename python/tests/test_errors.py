"""python/tests/test_errors.py — errors as exceptions, never crashes: a rulebook that does
not compile (RulebookError with every diagnostic's position and carets), unreadable logs,
bad options and bad partial results."""
import pytest

import decorum

BAD = """decorum: 1
name: bad
records:
  phone_call:
    rings: int
rules:
  - id: slow
    on: phone_call
    when: ringz > 3
    deduct: 10
"""


def test_rulebook_error_positions():
    with pytest.raises(decorum.RulebookError) as e:
        decorum.compile(BAD, name="bad.yaml")
    errors = [d for d in e.value.diagnostics if d.severity == "error"]
    assert errors, e.value.diagnostics
    d = errors[0]
    assert (d.file, d.line) == ("bad.yaml", 9) and d.column > 0 and "ringz" in d.message
    text = str(e.value)
    assert d.code == "D202"
    assert text.startswith(f"bad.yaml:9:{d.column}: error[D202]:") and "    when: ringz > 3" in text
    caret_line = text.splitlines()[2]  # under the offending name (an ASCII line: columns are characters)
    assert caret_line.strip() == "^~~~~" and caret_line.index("^") == d.column - 1 == len("    when: ")


def test_missing_rulebook_file():
    with pytest.raises(decorum.RulebookError) as e:
        decorum.compile("no/such/rules.yaml")
    assert e.value.diagnostics[0].file == "no/such/rules.yaml"


def test_unreadable_log(rules):
    with pytest.raises(OSError, match="no/such.jsonl"):
        rules.score("no/such.jsonl")
    with pytest.raises(OSError, match="no/such.jsonl"):
        rules.scorer().add("no/such.jsonl")
    with pytest.raises(ValueError, match="cannot tell the format"):
        rules.score("examples/README.md")


def test_bad_options(rules):
    with pytest.raises(ValueError, match="period must be"):
        rules.score([], period="fortnight")
    with pytest.raises(ValueError, match="as_of needs an ISO time"):
        rules.scorer(as_of="yesterday")
    with pytest.raises(TypeError, match="iterable of records"):
        rules.scorer().add({"kind": "x"})


def test_bad_partials(rules):
    with pytest.raises(ValueError, match="partial #1"):
        decorum.Scorer.merge([b"{}"], rules)
    other = decorum.compile(BAD.replace("ringz", "rings"), name="other.yaml")
    part = other.scorer().to_partial()
    with pytest.raises(ValueError, match="another rulebook|not 'property-customer-service'|rulebook"):
        decorum.Scorer.merge([part], rules)


def test_overlapping_partials_warn(rules):
    p = rules.partial("examples/nov-2026.jsonl")
    with pytest.warns(UserWarning, match="appears in"):
        decorum.Scorer.merge([p, p], rules)
