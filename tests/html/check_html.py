#!/usr/bin/python3
"""tests/html/check_html.py — entry point: main. The HTML report (issue 15) in a real browser.

Renders reports written by `decorum score -f html` in headless Chromium (`--dump-dom`, with a
virtual time budget so the page's script runs) and checks the DOM the script built:

- examples/ by week: every tally of the JSON report (same logs, same options) is in its
  employee's section with exactly the JSON report's numbers; every chart canvas (overview and
  each employee's trend) holds painted pixels and as many points as the data; no script error
  (the page records window errors and console.error into <body data-errors>);
- names, notes and rule-free text with HTML in them ("<script>…", "<img onerror>") print as
  text: no element comes from a log, and the page still runs;
- 120 employees: the tables are paginated (50 rows, "page 1 of 3"), the sections 20 a page.

Usage: check_html.py DECORUM SOURCE_DIR WORK_DIR [--screenshot PNG]
(run by ctest when `chromium` is installed; --screenshot also writes PNG of the examples
report at 1200×1600, as docs/report-html.png was made).
"""
import html.parser
import json
import os
import subprocess
import sys

CHROMIUM = os.environ.get("CHROMIUM", "chromium")
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def run(args, **kw):
    r = subprocess.run(args, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"{' '.join(args)} exited {r.returncode}: {r.stderr}")
    return r.stdout


def chromium(url, *extra):
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--virtual-time-budget=5000", "--window-size=1200,1600", *extra, url]
    r = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        sys.exit(f"chromium exited {r.returncode}: {r.stderr[-2000:]}")
    return r.stdout


class Dom(html.parser.HTMLParser):
    """What the test reads from the dumped DOM: body attributes, canvases, script elements, and
    per employee section the rows (by period) with their cells' text (by class)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.body, self.canvases, self.scripts, self.sections = {}, [], 0, {}
        self.heading = {}
        self.pager_text = []
        self._emp = None
        self._row = None
        self._cell = None
        self._h3 = False
        self._pager = False
        self.tags = []  # every start tag (name, attrs): no element may come from a log

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        cls = (a.get("class") or "").split()
        if tag == "body":
            self.body = a
        elif tag == "script":
            self.scripts += 1
        elif tag == "canvas":
            self.canvases.append(a)
        elif tag == "article" and "employee" in cls:
            self._emp = a["data-employee"]
            self.sections[self._emp] = {}
            self.heading[self._emp] = ""
        elif tag == "h3" and self._emp is not None and not self.sections[self._emp]:
            self._h3 = True
        elif tag == "tr" and self._emp is not None and "data-period" in a:
            self._row = {}
            self.sections[self._emp][a["data-period"]] = self._row
        elif tag == "td" and self._row is not None:
            self._cell = cls[0] if cls else ""
            self._row[self._cell] = ""
        elif tag == "span" and "page" in cls:
            self._pager = True
            self.pager_text.append("")

    def handle_endtag(self, tag):
        if tag == "article":
            self._emp = None
        elif tag == "h3":
            self._h3 = False
        elif tag == "tr":
            self._row = None
        elif tag == "td":
            self._cell = None
        elif tag == "span":
            self._pager = False

    def handle_data(self, data):
        if self._h3 and self._emp is not None:
            self.heading[self._emp] += data
        if self._cell is not None and self._row is not None:
            self._row[self._cell] += data
        if self._pager:
            self.pager_text[-1] += data


def render(path):
    dom = Dom()
    dom.feed(chromium("file://" + os.path.abspath(path), "--dump-dom"))
    check(dom.body.get("data-ready") == "1", f"{path}: the page's script did not finish (data-ready)")
    check(dom.body.get("data-errors") == "0", f"{path}: script errors: {dom.body.get('data-error-text')}")
    return dom


def drawn(dom, canvas_id, points=None):
    c = next((c for c in dom.canvases if c.get("id") == canvas_id), None)
    check(c is not None, f"canvas {canvas_id} missing")
    if c is None:
        return
    check(c.get("data-drawn") == "1", f"canvas {canvas_id} not drawn")
    got = int(c.get("data-points", "0"))
    check(got > 0 if points is None else got == points, f"canvas {canvas_id}: {got} points, want {points or '> 0'}")


def examples(decorum, src, work, screenshot):
    logs = [os.path.join(src, "examples", f) for f in ("nov-2026.jsonl", "nov-2026-front-desk.csv")]
    page = os.path.join(work, "examples.html")
    # Numbers kept as the JSON report's text: the page must show exactly that text.
    report = json.loads(run([decorum, "score", "-f", "json", "--findings", "--period", "week", *logs]),
                        parse_int=str, parse_float=str)
    run([decorum, "score", "-f", "html", "--period", "week", "-o", page, *logs])
    dom = render(page)
    tallies = report["tallies"]
    check(len(tallies) > 8, "the examples by week should give several tallies")
    employees = sorted({t["employee"] for t in tallies})
    check(sorted(dom.sections) == employees, f"employee sections {sorted(dom.sections)} != {employees}")
    for t in tallies:
        row = dom.sections.get(t["employee"], {}).get(t["period"])
        check(row is not None, f"{t['employee']} {t['period']}: no row")
        if row is None:
            continue
        for key in ("score", "deductions", "bonuses", "fines", "base"):
            check(row.get(key) == t[key], f"{t['employee']} {t['period']} {key}: page {row.get(key)!r}, JSON {t[key]!r}")
        check(row.get("grade") == (t["grade"] or "\u2013"), f"{t['employee']} {t['period']} grade")
        check(row.get("findings") == t["findings"], f"{t['employee']} {t['period']} findings")
    periods = sorted({t["period"] for t in tallies})
    latest = [t for t in tallies if t["period"] == periods[-1]]
    drawn(dom, "chart-scores", min(40, len(latest)))
    drawn(dom, "chart-grades")
    drawn(dom, "chart-categories")
    drawn(dom, "chart-rules")
    trends = [c for c in dom.canvases if "trend" in (c.get("class") or "")]
    check(len(trends) == len(employees), f"{len(trends)} trend charts for {len(employees)} employees")
    for c in trends:
        drawn(dom, c["id"])
    if screenshot:
        chromium("file://" + os.path.abspath(page), "--screenshot=" + os.path.abspath(screenshot), "--hide-scrollbars")
    return len(tallies)


def hostile(decorum, src, work):
    rules = os.path.join(src, "tests", "e2e", "tallies.yaml")
    log = os.path.join(work, "hostile.jsonl")
    bad_name = '<script>alert("x")</script><img src=x onerror="document.body.dataset.pwned=1">&amp;'
    bad_code = "E<b>1</b>&"
    with open(log, "w", encoding="utf-8") as f:
        f.write(json.dumps({"time": "2026-11-05T10:00:00", "employee": bad_code, "name": bad_name, "kind": "visit",
                            "late": True}, ensure_ascii=False) + "\n")
        f.write('{"time": "2026-11-06", "employee": "E2", "kind": "visit", "late": "</script><!--"}\n')
    page = os.path.join(work, "hostile.html")
    subprocess.run([decorum, "score", "-r", rules, "-f", "html", "-o", page, log], capture_output=True)
    dom = render(page)
    check(dom.scripts == 4, f"{dom.scripts} script elements: a log added some")
    check(not any(t == "b" or t == "img" for t, _ in dom.tags), "an element from a log's text")
    check("data-pwned" not in dom.body, "a log's markup ran")
    check(dom.heading.get(bad_code, "").startswith(bad_name), f"name printed as {dom.heading.get(bad_code)!r}")


def many(decorum, src, work):
    rules = os.path.join(src, "tests", "e2e", "tallies.yaml")
    log = os.path.join(work, "many.jsonl")
    with open(log, "w", encoding="utf-8") as f:
        for e in range(120):
            f.write(json.dumps({"time": "2026-11-05T10:00:00", "employee": f"E{e:03}", "name": f"员工{e}", "kind": "visit",
                                "late": e % 3 == 0}, ensure_ascii=False) + "\n")
    page = os.path.join(work, "many.html")
    run([decorum, "score", "-r", rules, "-f", "html", "-o", page, log])
    dom = render(page)
    check(len(dom.sections) == 20, f"{len(dom.sections)} employee sections on the first page, want 20")
    check("page 1 of 3 (120 rows)" in dom.pager_text, f"employees table pager: {dom.pager_text}")
    check("page 1 of 6 (120 rows)" in dom.pager_text, f"sections pager: {dom.pager_text}")
    drawn(dom, "chart-scores", 40)


def grouped(decorum, src, work):
    """score --group-by: the overview's groups table shows every group of the period with the
    JSON report's mean and median text."""
    e2e = os.path.join(src, "tests", "e2e")
    page = os.path.join(work, "groups.html")
    args = ["score", "-r", os.path.join(e2e, "groups.yaml"), os.path.join(e2e, "groups.jsonl"), "--group-by", "site"]
    run([decorum] + args + ["-f", "html", "-o", page])
    report = json.loads(run([decorum] + args + ["-f", "json"]), parse_float=str, parse_int=str)
    raw = chromium("file://" + os.path.abspath(page), "--dump-dom")
    render(page)
    check("Groups by site" in raw, "groups: no 'Groups by site' heading")
    latest = max(t["period"] for t in report["tallies"])
    rows = [g for g in report["groups"] if g["period"] == latest]
    check(len(rows) > 0, "groups: the JSON report has no groups")
    for g in rows:
        name = g["group"] if g["group"] is not None else "(none)"
        for text in (name, str(g["mean"]), str(g["median"])):
            check(f">{text}<" in raw, f"groups: {text!r} of group {name!r} not in the page")


def main():
    args = sys.argv[1:]
    screenshot = None
    if "--screenshot" in args:
        i = args.index("--screenshot")
        screenshot = args[i + 1]
        del args[i:i + 2]
    decorum, src, work = args
    os.makedirs(work, exist_ok=True)
    n = examples(decorum, src, work, screenshot)
    hostile(decorum, src, work)
    many(decorum, src, work)
    grouped(decorum, src, work)
    if failures:
        sys.exit(f"{len(failures)} check(s) failed")
    print(f"html: examples ({n} tallies), hostile names and 120 employees render in {CHROMIUM} without error")


if __name__ == "__main__":
    main()
