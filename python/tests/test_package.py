"""python/tests/test_package.py — the package against the CLI: the same logs give the same
JSON report, byte for byte; Python records give the same tallies; amounts are Decimals."""
import decimal
import json

import decorum
from conftest import jsonl_without

EXAMPLES = ["examples/nov-2026.jsonl", "examples/nov-2026-front-desk.csv"]


def tallies(report):
    return [t.to_dict() for t in report.tallies]


def test_files_equal_cli_json(cli, rules):
    report = rules.score(EXAMPLES, findings=True)
    assert report.json.encode() == cli("score", "-r", "rules/property-customer-service.yaml", "--format", "json",
                                       "--findings", *EXAMPLES)
    assert report.input.records == 404 and report.input.scored == 395 and report.input.rejected == 9
    assert len(report.rejected) == 9 and report.rejected[0].source == "examples/nov-2026-front-desk.csv"


def test_every_tally_equal_to_cli(cli, rules):
    ours = rules.score(list(reversed(EXAMPLES)))  # inputs are read in name order, as the CLI does
    theirs = json.loads(cli("score", "--format", "json", *EXAMPLES), parse_float=decimal.Decimal)
    assert len(ours.tallies) == len(theirs["tallies"]) == 8
    for t, u in zip(ours.tallies, theirs["tallies"]):
        assert (t.employee, t.name, t.period, t.score, t.grade, t.findings) == (
            u["employee"], u["name"], u["period"], u["score"], u["grade"], u["findings"])
        assert [r.to_dict() for r in t.rules] == u["rules"]


def test_report_objects(rules):
    r = rules.score("examples/nov-2026.jsonl")
    t = r.tally("E001")
    # examples/README.md: 王芳 loses 10 points for her uniform in November.
    assert (t.employee, t.name, t.period, t.score, t.grade) == ("E001", "王芳", "2026-11", 90, "A")
    assert isinstance(t.score, decimal.Decimal) and isinstance(t.base, decimal.Decimal)
    assert t.categories == {"dress": decimal.Decimal(-10)}
    assert t.rules[0].id == "dress.uniform-state" and t.rules[0].points == -10
    assert [(x.line, x.error) for x in r.rejected][:2] == [(41, "invalid JSON: unclosed object or array"),
                                                         (97, "unknown kind 'coffee_break'")]
    df = r.to_pandas()
    assert list(df["employee"]) == [f"E00{i}" for i in range(1, 9)]
    assert isinstance(df["score"][0], decimal.Decimal)
    assert list(r.to_pandas("rejected")["line"]) == [41, 97, 153, 209, 265]
    assert set(r.to_pandas("rules").columns) == {"employee", "period", "id", "count", "points", "fines"}


def test_dicts_equal_cli_tallies(tmp_path, rules):
    # Line 265 holds "3" as a string for a number: JSON rejects it, a Python str reads as a CSV
    # cell does (accepted), so it is left out of the comparison.
    rows = jsonl_without("examples/nov-2026.jsonl", {265}, tmp_path / "log.jsonl")
    from_file = rules.score(str(tmp_path / "log.jsonl"))
    from_rows = rules.score(rows)
    assert tallies(from_rows) == tallies(from_file)
    assert from_rows.input.rejected == 3  # coffee_break, rings "四", missing employee (bad JSON never parsed)
    assert [x.source for x in from_rows.rejected] == ["<records>"] * 3


def test_scorer_incremental_partial_and_merge(tmp_path, rules, cli):
    s = rules.scorer(findings=True)
    s.add("examples/nov-2026.jsonl")
    first = s.report()
    s.add("examples/nov-2026-front-desk.csv")
    assert s.report().input.records == first.input.records + 94
    a = rules.scorer().add("examples/nov-2026.jsonl").to_partial()
    b = rules.scorer().add("examples/nov-2026-front-desk.csv").to_partial()
    assert a.startswith(b"{") and b'"decorum_partial"' in a
    merged = decorum.Scorer.merge([b, a], rules).report()
    assert merged.json == rules.score(EXAMPLES).json
    # The same bytes `decorum merge` reads.
    (tmp_path / "a.json").write_bytes(a)
    (tmp_path / "b.json").write_bytes(b)
    assert cli("merge", "-r", "rules/property-customer-service.yaml", "--format", "json", str(tmp_path / "a.json"),
               str(tmp_path / "b.json")) == merged.json.encode()
    assert rules.partial(["examples/nov-2026.jsonl"]) == cli("score", "-r", "rules/property-customer-service.yaml",
                                                             "--format", "partial", "examples/nov-2026.jsonl")


def test_rows_numbered_across_calls(rules):
    s = rules.scorer()
    good = {"kind": "dress_check", "time": "2026-11-02T08:00:00+08:00", "employee": "E1"}
    s.add([good, {"kind": "nap"}])
    s.add([{"kind": "nap"}])
    assert [(x.source, x.line) for x in s.report().rejected] == [("<records>", 2), ("<records>", 3)]


def test_builtin_and_options(rules):
    b = decorum.builtin()
    assert b.name == rules.name and b.sha256 == rules.sha256
    r = rules.score("examples/nov-2026.jsonl", period="all")
    assert r.period == "all" and r.tallies[0].period == "all"
    assert "phone_call" in rules.fields and "rings" in rules.fields["phone_call"]
