#!/usr/bin/env python3
"""tests/xlsx/check_xlsx.py — entry point: main. Reads a `decorum score --format xlsx` workbook
with an independent reader (openpyxl) and checks it against the JSON report of the same run:
the sheets present, every cell of every sheet equal to the JSON value (a JSON null as an empty
cell; a control character as Excel's _xHHHH_ escape, which Excel decodes; numbers compared as decimals to Excel's 15 significant digits: libxlsxwriter writes a
double with 16, so 8879.53 is stored as 8879.530000000001), a frozen bold header row, column widths that fit
their widest cell (Chinese characters count two), no formula anywhere.

Usage: check_xlsx.py REPORT.xlsx REPORT.json [--findings] [--formula-like] [--text-number]
  --findings      the workbook was written with --findings (a Findings sheet is expected)
  --formula-like  some text starts with "=": at least one such cell must be seen, as text
  --text-number   some number has more than 15 significant digits: at least one must be
                  seen, written as text with its exact digits
Exit 0 and "check_xlsx: N cells in M sheets agree" when all is well; else exit 1 and each
difference on standard error.
"""
import json
import re
import sys
import unicodedata
from decimal import Context, Decimal

import openpyxl
from openpyxl.utils import get_column_letter

MAX_WIDTH = 72  # the writer caps column widths here (src/report/xlsx.cpp)

EXCEL_DIGITS = Context(prec=15)  # what Excel shows and computes with

ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")  # how xlsx writes a control character in text

errors = []
seen = {"cells": 0, "formula_like": 0, "text_number": 0}


def significant(d):
    digits = d.normalize().as_tuple().digits
    return len(digits) if d != 0 else 1


def text_of(v):
    return ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), v)


def display_width(s):
    s = text_of(s)
    return sum(0 if unicodedata.category(c).startswith("C") else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
               for c in s)


def same(ws, r, c, want):
    """Checks that cell (r, c) of ws holds the JSON value `want`."""
    cell = ws.cell(row=r, column=c)
    v = cell.value
    where = f"{ws.title}!{cell.coordinate}"
    seen["cells"] += 1
    if cell.data_type == "f":
        errors.append(f"{where}: a formula: {v!r}")
        return
    if want is None or want == "":
        ok = v is None
    elif isinstance(want, str):
        ok = cell.data_type == "s" and text_of(v) == want
        if ok and want.startswith("="):
            seen["formula_like"] += 1
    elif isinstance(want, Decimal):
        if cell.data_type == "n" and isinstance(v, (int, float)) and not isinstance(v, bool):
            ok = significant(want) <= 15 and EXCEL_DIGITS.plus(Decimal(repr(v))) == want
        elif cell.data_type == "s":
            # Only a number a double cannot hold exactly may be text, with its exact digits.
            ok = significant(want) > 15 and v == str(want)
            if ok:
                seen["text_number"] += 1
        else:
            ok = False
    else:
        ok = False
    if not ok:
        errors.append(f"{where}: {v!r} ({cell.data_type}), expected {want!r}")


def check_sheet(wb, name, head, rows):
    """Checks a sheet: its header, frozen and bold; then one row per item of `rows`, each a
    dict from column name to JSON value; then the column widths."""
    ws = wb[name]
    got_head = [ws.cell(row=1, column=c + 1).value for c in range(ws.max_column)]
    if got_head != head:
        errors.append(f"{name}: header {got_head}, expected {head}")
        return
    if ws.freeze_panes != "A2":
        errors.append(f"{name}: frozen at {ws.freeze_panes}, expected the header row (A2)")
    for c in range(len(head)):
        if not ws.cell(row=1, column=c + 1).font.b:
            errors.append(f"{name}: header {head[c]} is not bold")
    rows = list(rows)
    if ws.max_row != len(rows) + 1:
        errors.append(f"{name}: {ws.max_row - 1} rows, expected {len(rows)}")
    for i, row in enumerate(rows):
        for c, h in enumerate(head):
            same(ws, i + 2, c + 1, row.get(h))
    for c, h in enumerate(head):
        cells = [ws.cell(row=r, column=c + 1).value for r in range(1, len(rows) + 2)]
        widest = max(display_width(str(v)) for v in cells if v is not None)
        width = ws.column_dimensions[get_column_letter(c + 1)].width
        if width is None or width < min(widest, MAX_WIDTH) or width > MAX_WIDTH + 1:
            errors.append(f"{name}: column {h} is {width} wide for a widest cell of {widest}")


def main(argv):
    xlsx, report = argv[1], argv[2]
    flags = set(argv[3:])
    with open(report, encoding="utf-8") as f:
        j = json.load(f, parse_float=Decimal, parse_int=Decimal)
    wb = openpyxl.load_workbook(xlsx)

    grouped = "group_by" in j
    sheets = ["Cover", "Tallies", "Rules"] + (["Groups"] if grouped else []) + (["Findings"] if "--findings" in flags else [])
    sheets += ["Rejected"]
    sheets += (["Pending"] if j["pending"] else []) + (["Appeals"] if j["appeals"]["unmatched"] else [])
    if wb.sheetnames != sheets:
        errors.append(f"sheets {wb.sheetnames}, expected {sheets}")

    n = lambda x: Decimal(len(x))
    cover = [("rulebook", j["rulebook"]["name"]), ("version", j["rulebook"]["version"]), ("rules", j["rulebook"]["rules"]),
             ("sha256", j["rulebook"]["sha256"]), ("period", j["period"]), ("currency", j["currency"]),
             ("records", j["input"]["records"]), ("scored", j["input"]["scored"]), ("rejected", j["input"]["rejected"]),
             ("as_of", j["as_of"]), ("tallies", n(j["tallies"]))]
    if "--findings" in flags:
        cover.append(("findings", n(j["findings"])))
    cover += [("pending", n(j["pending"])), ("appeals applied", j["appeals"]["applied"]),
              ("appeals voided", j["appeals"]["voided"]), ("appeals upheld", j["appeals"]["upheld"]),
              ("appeals unmatched", n(j["appeals"]["unmatched"]))]
    check_sheet(wb, "Cover", ["field", "value"], ({"field": k, "value": v} for k, v in cover))

    categories = sorted({c for t in j["tallies"] for c in t["categories"]})
    head = ["employee", "name", "period", "base", "deductions", "bonuses", "score", "grade", "fines", "findings", "voided",
            "flags"] + (["group"] if grouped else []) + ["category " + c for c in categories]
    check_sheet(wb, "Tallies", head,
                (dict(t, flags=", ".join(t["flags"]), **{"category " + c: v for c, v in t["categories"].items()})
                 for t in j["tallies"]))
    check_sheet(wb, "Rules", ["employee", "name", "period", "rule", "count", "points", "fines"],
                ({"employee": t["employee"], "name": t["name"], "period": t["period"], "rule": k["id"], "count": k["count"],
                  "points": k["points"], "fines": k["fines"]} for t in j["tallies"] for k in t["rules"]))

    if grouped:
        gcats = sorted({c for g in j["groups"] for c in g["categories"]})
        grades = sorted({x for g in j["groups"] for x in g["grades"]})
        head = ["group", "period", "employees", "mean", "median", "deductions", "bonuses"] + \
            ["category " + c for c in gcats] + ["grade " + x for x in grades] + ["ungraded"]
        check_sheet(wb, "Groups", head,
                    (dict(g, **{"category " + c: v for c, v in g["categories"].items()},
                          **{"grade " + x: v for x, v in g["grades"].items()}) for g in j["groups"]))

    if "--findings" in flags:
        head = ["employee", "period", "rule", "time", "occurrences", "points", "fine", "source", "line", "rule_file",
                "rule_line", "matched", "window", "aggregates", "discharge_source", "discharge_line", "due", "late", "appeal",
                "reviewer", "reason", "appeal_source", "appeal_line"]

        def finding_row(f):
            row = dict(f)
            if f.get("discharge"):
                row["discharge_source"], row["discharge_line"] = f["discharge"]["source"], f["discharge"]["line"]
            for decision in ("voided", "upheld"):
                if decision in f:
                    a = f[decision]
                    row.update(appeal=decision, reviewer=a["reviewer"], reason=a["reason"], appeal_source=a["source"],
                               appeal_line=a["line"])
            return row

        check_sheet(wb, "Findings", head, (finding_row(f) for f in j["findings"]))

    check_sheet(wb, "Rejected", ["source", "line", "error"], j["rejected"])
    if j["pending"]:
        check_sheet(wb, "Pending", ["employee", "rule", "source", "line", "due"], j["pending"])
    if j["appeals"]["unmatched"]:
        check_sheet(wb, "Appeals", ["source", "line", "reason"], j["appeals"]["unmatched"])

    if "--formula-like" in flags and seen["formula_like"] == 0:
        errors.append("no text starting with '=' was seen")
    if "--text-number" in flags and seen["text_number"] == 0:
        errors.append("no number of more than 15 significant digits was seen")
    for e in errors:
        print(f"check_xlsx: {xlsx}: {e}", file=sys.stderr)
    if errors:
        return 1
    print(f"check_xlsx: {seen['cells']} cells in {len(wb.sheetnames)} sheets agree")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
