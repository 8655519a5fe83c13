"""python/tests/test_frame.py — pandas DataFrames as input: columns are fields, NaN/None/NaT
are absent, Timestamps (naive or with a time zone) are times, nullable dtypes work, and a
frame gives the tallies its log file gives."""
import datetime
import decimal

import pandas as pd
import pytest

import decorum
from conftest import jsonl_without


@pytest.fixture(scope="module")
def frame_and_file(tmp_path_factory, rules):
    path = tmp_path_factory.mktemp("frame") / "log.jsonl"
    rows = jsonl_without("examples/nov-2026.jsonl", {265}, path)
    return pd.DataFrame(rows), rules.score(str(path))


def tallies(report):
    return [t.to_dict() for t in report.tallies]


def test_frame_with_missing_values_equals_file(rules, frame_and_file):
    df, from_file = frame_and_file
    assert df.isna().any().any()  # every kind fills only its own columns: NaN elsewhere
    assert df["rings"].dtype.kind == "O" or df["rings"].dtype.kind == "f"
    r = rules.score(df)
    assert tallies(r) == tallies(from_file)
    # Rows are numbered from 1 in the frame; line 97 of the file is row 96 (line 41 did not parse).
    assert [(x.source, x.line, x.error) for x in r.rejected][0] == ("<dataframe>", 96, "unknown kind 'coffee_break'")


@pytest.mark.parametrize("tz", [None, "Asia/Shanghai", "UTC"])
def test_timestamps(rules, frame_and_file, tz):
    df, from_file = frame_and_file
    df = df.copy()
    times = pd.to_datetime(df["time"], utc=True).dt.tz_convert("Asia/Shanghai")
    if tz is None:
        df["time"] = times.dt.tz_localize(None)  # naive wall-clock times
    else:
        df["time"] = times.dt.tz_convert(tz)
    r = rules.score(df)
    if tz == "UTC":
        # Shifted clocks move the standing-hours and greeting rules: only the counts agree.
        assert r.input.to_dict() == rules.score(frame_and_file[0]).input.to_dict()
    else:
        assert tallies(r) == tallies(from_file)


def test_nat_none_and_nullable_dtypes(rules):
    base = {"kind": "phone_call", "employee": "E1", "name": "甲", "role": "butler", "opening": "您好",
            "closing": "再见", "hung_up_first": False, "logged": True}
    df = pd.DataFrame([
        {**base, "time": pd.Timestamp("2026-11-03 09:00:00+08:00"), "rings": 5},
        {**base, "time": pd.NaT, "rings": 2},                       # no time: a rejection
        {**base, "time": pd.Timestamp("2026-11-04 09:00:00+08:00"), "rings": None},
    ])
    df["rings"] = df["rings"].astype("Int64")                      # nullable int: pd.NA
    r = rules.score(df)
    assert r.input.records == 3 and r.input.rejected == 1
    assert r.rejected[0].line == 2 and "time" in r.rejected[0].error
    assert r.tally("E1").rules[0].id == "phone.three-rings"         # 5 rings > 3


def test_every_missing_marker_in_an_object_column_is_absent(rules):
    """Plain object columns reach the core without a copy, so it must read pandas' and
    numpy's missing values as absent itself: the same report as the cells left out."""
    import numpy as np
    base = {"kind": "phone_call", "time": "2026-11-03T09:00:00+08:00", "employee": "E1", "opening": "您好",
            "closing": "再见", "hung_up_first": False, "logged": True}
    missing = [None, float("nan"), np.float64("nan"), pd.NA, pd.NaT, decimal.Decimal("NaN"),
               np.datetime64("NaT"), np.timedelta64("NaT")]
    df = pd.DataFrame({c: pd.Series([base[c]] * len(missing), dtype=object) for c in base})
    df["note"] = pd.Series(missing, dtype=object)
    df["rings"] = pd.Series(missing, dtype=object)
    assert df["note"].dtype == object and df["rings"].dtype == object
    with_markers = rules.score(df)
    without = rules.score([dict(base) for _ in missing])
    assert with_markers.input.rejected == 0, with_markers.rejected
    assert with_markers.json == without.json


def test_python_values(rules):
    rows = [{"kind": "phone_call", "time": datetime.datetime(2026, 11, 3, 9, 0,
                                                             tzinfo=datetime.timezone(datetime.timedelta(hours=8))),
             "employee": "E1", "rings": 4, "opening": "您好", "closing": "再见", "hung_up_first": False, "logged": True},
            {"kind": "dress_check", "time": "2026-11-03T10:00:00+08:00", "employee": "E1",
             "nail_length_mm": decimal.Decimal("3.5"), "uniform": "neat"},
            {"kind": "monthly_kpi", "time": datetime.date(2026, 11, 30), "employee": "E1", "note": None}]
    r = rules.score(rows)
    assert r.input.rejected == 0, r.rejected
    ids = {x.id for x in r.tally("E1").rules}
    assert {"phone.three-rings", "hygiene.nails"} <= ids


def test_undeclared_column_is_a_rejection(rules):
    df = pd.DataFrame([{"kind": "dress_check", "time": "2026-11-03T10:00:00+08:00", "employee": "E1",
                        "colour": "blue"}])
    r = rules.score(df)
    assert r.input.rejected == 1 and "unknown field 'colour'" in r.rejected[0].error


def test_wrong_dtypes(rules):
    base = {"kind": "phone_call", "time": "2026-11-03T09:00:00+08:00", "employee": "E1"}
    r = rules.score(pd.DataFrame([{**base, "rings": 2.5}, {**base, "rings": "four"}, {**base, "rings": True}]))
    assert r.input.rejected == 3
    assert all(x.error.startswith("rings: expected int") for x in r.rejected), r.rejected
    with pytest.raises(TypeError, match=r"field 'rings' \(row 1\)"):
        rules.score(pd.DataFrame([{**base, "rings": [1, 2]}]))
    with pytest.raises(TypeError, match="field names"):
        rules.score(pd.DataFrame([[1, 2]]))
    with pytest.raises(TypeError, match="not a dict"):
        rules.score([("kind", "phone_call")])


def test_edge_inputs(rules):
    assert rules.score(pd.DataFrame()).input.records == 0
    assert rules.score([]).input.records == 0
    with pytest.raises(UnicodeEncodeError):  # a lone surrogate has no UTF-8: a clear exception
        rules.score([{"kind": "phone_call", "employee": "\ud800"}])
    df = pd.DataFrame({"kind": ["private_call"], "time": ["2026-11-03T09:00:00+08:00"], "employee": ["E1"],
                       "duration": [pd.Timedelta(minutes=7)]})  # a timedelta column: seconds
    assert [x.id for x in rules.score(df).tallies[0].rules] == ["phone.private-call"]
