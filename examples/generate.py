#!/usr/bin/env python3
"""Regenerate the example inspection logs of November 2026.

    python3 examples/generate.py

writes, next to this script,
    nov-2026.jsonl             about 300 records of an eight-person customer-service team
    nov-2026-front-desk.csv    about 100 records of the front desk (RFC 4180, CRLF)

The records use the record kinds of rules/property-customer-service.yaml (the built-in
rulebook). A few lines are broken on purpose; their line numbers are printed at the end
and listed in examples/README.md. Python 3 standard library only; the output depends on
nothing but SEED, so running it twice gives the same bytes.
"""
import csv
import datetime
import io
import json
import os
import random

SEED = 20261101
HERE = os.path.dirname(os.path.abspath(__file__))
SITE = "金源小区"
INSPECTOR = "质检 何晓"

TEAM = [
    # code, name, role, how careless (0..1): the chance that an observation is a breach
    ("E001", "王芳", "receptionist", 0.015),
    ("E002", "李娜", "receptionist", 0.06),
    ("E003", "张伟", "butler", 0.06),
    ("E004", "刘洋", "butler", 0.12),
    ("E005", "陈静", "butler", 0.02),
    ("E006", "赵磊", "concierge", 0.05),
    ("E007", "孙丽", "receptionist", 0.03),
    ("E008", "周强", "supervisor", 0.02),
]
FRONT_DESK = [m for m in TEAM if m[2] == "receptionist"]
BUTLERS = [m for m in TEAM if m[2] == "butler"]

# ---------------------------------------------------------------- phrase pools
GOOD = {
    "greet": ["您好，王先生", "早上好，李女士", "下午好，欢迎回来", "晚上好，张先生，您回来了", "路上辛苦了，您好"],
    "welcome": ["欢迎光临", "您好，欢迎光临", "欢迎您入住本楼", "欢迎您来小区，我带您去登记"],
    "visitor": ["您好，请问您找哪一位？", "您好，我可以帮助您吗？", "您好，请问有什么可以帮您？"],
    "answer": ["好的，请您稍等，我马上帮您查", "请您放心，维修师傅下午两点上门", "谢谢您的提醒，我们马上处理",
               "对不起，让您久等了，您的快递在这里", "请您在这里签个字"],
    "thanks": ["谢谢您的配合", "非常感谢您的帮助", "谢谢，您费心了"],
    "apology": ["对不起，打扰您了", "不好意思，我想我们可能是误会了", "对不起，让您久等了", "实在抱歉，我马上处理"],
    "farewell": ["欢迎您再来，再见", "再见，路上小心", "明天见", "晚安，再见"],
}
BAD = {
    "greet": ["来啦", "嗯"],
    "welcome": ["进来吧", "登记一下"],
    "visitor": ["找谁？", "干什么的"],
    "answer": ["等着", "这个我不知道", "不清楚，你问别人", "这与我无关，你找开发商"],
    "thanks": ["行", "好了"],
    "apology": ["稍等", "这不能怪我"],
    "farewell": ["走吧", "慢走"],
}
UNCIVIL = ["你烦不烦", "你懂什么，闭嘴", "爱找谁找谁"]

GOOD_OPENINGS = ["您好！小区客服中心", "您好，金源小区客服中心，请讲", "您好，物业服务中心，请问有什么可以帮您？"]
BAD_OPENINGS = ["喂，你好", "喂？", "哪位"]
GOOD_CLOSINGS = ["谢谢，再见！", "好的，谢谢您，再见", "非常感谢，再见"]
BAD_CLOSINGS = ["好", "就这样吧"]

BAD_ACTS = ["no_smile", "serving_seated", "hands_in_pockets", "arms_folded", "running", "no_acknowledgement",
            "crossed_legs", "lying_on_desk", "yawning", "toothpick", "snacking", "chatting", "playing_with_items",
            "smoking", "grooming_in_public", "shouting", "dialect", "joking_with_owner", "eavesdropping",
            "gossiping_about_owner", "interrupting_owner", "ignoring_owner", "impatient_with_complaint"]
BUTLER_BAD_ACTS = ["rummaging", "accepting_gift"]


def workdays():
    d = datetime.date(2026, 11, 1)
    while d.month == 11:
        if d.isoweekday() != 7:          # the centre is open Monday to Saturday
            yield d
        d += datetime.timedelta(days=1)


def stamp(d, hh, mm, fmt="iso"):
    if fmt == "iso":
        return f"{d.isoformat()}T{hh:02d}:{mm:02d}:00+08:00"
    return f"{d.isoformat()} {hh:02d}:{mm:02d}"


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def bad(self, carelessness):
        return self.r.random() < carelessness

    def clock(self, lo_h, hi_h):
        return self.r.randint(lo_h, hi_h - 1), self.r.choice([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55])

    # ------------------------------------------------------------ record makers
    def base(self, who, d, hh, mm, kind, fmt="iso"):
        code, name, role, _ = who
        return {"time": stamp(d, hh, mm, fmt), "employee": code, "name": name, "role": role, "kind": kind}

    def dress_check(self, who, d):
        rec = self.base(who, d, 8, self.r.choice([0, 5, 10]), "dress_check")
        c = who[3]
        rec.update({
            "uniform": self.r.choice(["untidy", "unbuttoned", "sleeves_rolled", "not_worn"]) if self.bad(c / 2) else "neat",
            "badge": self.r.choice(["askew", "elsewhere", "missing"]) if self.bad(c / 2) else "left_chest",
            "footwear": self.r.choice(["dirty", "laces_untied"]) if self.bad(c / 3) else "tidy",
            "socks": not self.bad(c / 6),
            "tinted_glasses": False,
            "hair": self.r.choice(["not_tied_back", "covers_forehead", "dyed"]) if self.bad(c / 3) else "tidy",
            "nail_length_mm": round(self.r.uniform(2.1, 4.0), 1) if self.bad(c / 3) else round(self.r.uniform(0.5, 2.0), 1),
            "nail_polish": self.bad(c / 4),
            "hands_clean": not self.bad(c / 5),
        })
        if who[2] == "receptionist":
            rec["stockings"] = "other_colour" if self.bad(c / 3) else "skin_tone"
            rec["makeup"] = "heavy" if self.bad(c / 4) else "light"
        if who[0] in ("E004", "E006", "E008"):
            rec["beard"] = self.bad(c / 3)
        rec["inspector"] = INSPECTOR
        return rec

    def behaviour(self, who, d):
        hh, mm = self.clock(9, 18)
        rec = self.base(who, d, hh, mm, "behaviour")
        if self.bad(who[3]):
            pool = BAD_ACTS + (BUTLER_BAD_ACTS if who[2] == "butler" else [])
            rec["act"] = self.r.choice(pool)
        else:
            rec["act"] = "ok"
        rec["site"] = SITE
        return rec

    def utterance(self, who, d, fmt="iso"):
        hh, mm = self.clock(8, 20)
        rec = self.base(who, d, hh, mm, "utterance", fmt)
        situation = self.r.choice(list(GOOD))
        if self.bad(who[3] / 100 * 8):
            rec["text"] = self.r.choice(UNCIVIL)
        elif self.bad(who[3]):
            rec["text"] = self.r.choice(BAD[situation])
        else:
            rec["text"] = self.r.choice(GOOD[situation])
        rec["situation"] = situation
        return rec

    def phone_call(self, who, d, fmt="iso"):
        hh, mm = self.clock(8, 19)
        rec = self.base(who, d, hh, mm, "phone_call", fmt)
        c = who[3]
        rec["rings"] = self.r.randint(4, 6) if self.bad(c) else self.r.randint(1, 3)
        rec["opening"] = self.r.choice(BAD_OPENINGS) if self.bad(c) else self.r.choice(GOOD_OPENINGS)
        rec["closing"] = self.r.choice(BAD_CLOSINGS) if self.bad(c / 2) else self.r.choice(GOOD_CLOSINGS)
        rec["hung_up_first"] = self.bad(c / 2)
        rec["logged"] = not self.bad(c / 3)
        return rec

    def private_call(self, who, d, fmt="iso"):
        hh, mm = self.clock(10, 17)
        rec = self.base(who, d, hh, mm, "private_call", fmt)
        minutes = self.r.randint(6, 15) if self.bad(who[3] * 2) else self.r.randint(1, 5)
        # durations in both spellings: "7m" and a number of seconds
        rec["duration"] = f"{minutes}m" if self.r.random() < 0.5 else minutes * 60
        return rec

    def desk_check(self, who, d, fmt="iso"):
        # half of the checks fall in a standing window (8:00-9:00, 12:00-12:30, 17:00-18:00)
        hh, mm = self.r.choice([(8, 10), (8, 45), (12, 15), (17, 30), (10, 20), (14, 40), (15, 55), (16, 10)])
        rec = self.base(who, d, hh, mm, "desk_check", fmt)
        c = who[3]
        attended = not self.bad(c / 4)
        rec["attended"] = attended
        if attended:
            rec["standing"] = not self.bad(c)
            rec["leaning"] = self.bad(c / 3)
            rec["facing_lobby"] = not self.bad(c / 4)
            rec["desk_tidy"] = not self.bad(c / 2)
        return rec

    def logbook_check(self, who, d):
        rec = self.base(who, d, 18, 30, "logbook_check")
        c = who[3]
        rec["handover_log"] = self.r.choice(["incomplete", "missing"]) if self.bad(c / 2) else "complete"
        rec["daily_log"] = not self.bad(c / 2)
        rec["inspector"] = INSPECTOR
        return rec

    def home_visit(self, who, d):
        hh, mm = self.clock(9, 17)
        rec = self.base(who, d, hh, mm, "home_visit")
        c = who[3]
        rec["rating"] = "unsatisfied" if self.bad(c / 2) else self.r.choice(["satisfied", "satisfied", "neutral"])
        if self.r.random() < 0.25:
            rec["paid"] = True
        rec["owner_signed"] = not self.bad(c / 3)
        return rec


def make_jsonl(g):
    recs = []
    days = list(workdays())
    for i, d in enumerate(days):
        for who in TEAM:
            # a dress check every fourth working day, staggered by employee
            if (i + int(who[0][1:])) % 4 == 0:
                recs.append(g.dress_check(who, d))
            if g.r.random() < 0.38:
                recs.append(g.behaviour(who, d))
            if who[2] != "supervisor" and g.r.random() < 0.38:
                recs.append(g.utterance(who, d))
            if who[2] in ("butler", "supervisor") and g.r.random() < 0.28:
                recs.append(g.phone_call(who, d))
            if who[2] == "butler" and g.r.random() < 0.28:
                recs.append(g.home_visit(who, d))
        if d.isoweekday() == 6:  # Saturday: the weekly logbook audit
            for who in TEAM:
                recs.append(g.logbook_check(who, d))
    for who in (TEAM[2], TEAM[3], TEAM[5]):
        recs.append(g.private_call(who, days[g.r.randrange(len(days))]))
    # complaints examined by the supervisory committee, case reviews, KPIs, claims, incidents
    recs += [
        {"time": "2026-11-09T15:00:00+08:00", "employee": "E004", "name": "刘洋", "role": "butler", "kind": "complaint", "about": "unfamiliar_with_homes", "upheld": True},
        {"time": "2026-11-16T15:00:00+08:00", "employee": "E003", "name": "张伟", "role": "butler", "kind": "complaint", "about": "other", "upheld": False},
        {"time": "2026-11-23T15:00:00+08:00", "employee": "E006", "name": "赵磊", "role": "concierge", "kind": "complaint", "about": "emergency_not_assisted", "upheld": True},
        {"time": "2026-11-12T10:00:00+08:00", "employee": "E003", "name": "张伟", "role": "butler", "kind": "case_review", "matter": "renovation", "handled": True},
        {"time": "2026-11-12T10:30:00+08:00", "employee": "E004", "name": "刘洋", "role": "butler", "kind": "case_review", "matter": "illegal_construction", "handled": False},
        {"time": "2026-11-19T10:00:00+08:00", "employee": "E005", "name": "陈静", "role": "butler", "kind": "case_review", "matter": "owner_violation", "handled": True},
        {"time": "2026-11-26T10:00:00+08:00", "employee": "E004", "name": "刘洋", "role": "butler", "kind": "case_review", "matter": "renovation", "handled": True},
        {"time": "2026-11-30", "employee": "E003", "name": "张伟", "role": "butler", "kind": "monthly_kpi", "arrears_rate_pct": 24.6},
        {"time": "2026-11-30", "employee": "E004", "name": "刘洋", "role": "butler", "kind": "monthly_kpi", "arrears_rate_pct": 25.3},
        {"time": "2026-11-30", "employee": "E005", "name": "陈静", "role": "butler", "kind": "monthly_kpi", "arrears_rate_pct": 24.9},
        {"time": "2026-11-18T16:00:00+08:00", "employee": "E005", "name": "陈静", "role": "butler", "kind": "quality_claim", "confirmed": True},
        {"time": "2026-11-25T16:00:00+08:00", "employee": "E003", "name": "张伟", "role": "butler", "kind": "quality_claim", "confirmed": False},
        {"time": "2026-11-14T20:10:00+08:00", "employee": "E006", "name": "赵磊", "role": "concierge", "kind": "incident", "type": "quarrel", "note": "访客停车纠纷"},
        {"time": "2026-11-21T21:40:00+08:00", "employee": "E006", "name": "赵磊", "role": "concierge", "kind": "incident", "type": "physical_conflict", "note": "与业主推搡，已上报"},
        {"time": "2026-11-27T23:15:00+08:00", "employee": "E004", "name": "刘洋", "role": "butler", "kind": "incident", "type": "drinking_on_duty"},
    ]
    recs.sort(key=lambda r: (r["time"], r["employee"]))
    lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in recs]
    # deliberately bad lines, at fixed places (1-based line numbers after insertion)
    bad = [
        (41, '{"time":"2026-11-05T09:20:00+08:00","employee":"E002","name":"李娜","role":"receptionist","kind":"utterance","text":"您好，请问您找哪一位？"',
         "bad JSON: the closing brace is missing"),
        (97, '{"time":"2026-11-10T11:00:00+08:00","employee":"E006","name":"赵磊","role":"concierge","kind":"coffee_break"}',
         "unknown kind coffee_break"),
        (153, '{"time":"2026-11-16T09:05:00+08:00","employee":"E003","name":"张伟","role":"butler","kind":"phone_call","rings":"四","opening":"您好！小区客服中心"}',
         "wrong type: rings is the text \"四\", not an int"),
        (209, '{"time":"2026-11-20T08:00:00+08:00","name":"刘洋","role":"butler","kind":"dress_check","uniform":"neat","nail_length_mm":1.5}',
         "missing employee"),
        (265, '{"time":"2026-11-25T08:05:00+08:00","employee":"E007","name":"孙丽","role":"receptionist","kind":"dress_check","nail_length_mm":"3"}',
         "wrong type: nail_length_mm is a number inside a string"),
    ]
    for line_no, text, _ in bad:
        lines.insert(line_no - 1, text)
    return lines, [(n, why) for n, _, why in bad]


CSV_COLUMNS = ["time", "employee", "name", "role", "kind", "attended", "standing", "leaning", "facing_lobby",
               "desk_tidy", "rings", "opening", "closing", "hung_up_first", "logged", "duration", "situation",
               "text", "note"]


def csv_bool(g, v):
    # the CSV spellings the SPEC accepts: true/false, yes/no, 1/0, 是/否
    return g.r.choice([("true", "false"), ("yes", "no"), ("1", "0"), ("是", "否")])[0 if v else 1]


def make_csv(g):
    rows = []
    days = list(workdays())
    for d in days:
        for who in FRONT_DESK:
            if g.r.random() < 0.55:
                rows.append(g.desk_check(who, d, fmt="plain"))
            if g.r.random() < 0.55:
                rows.append(g.phone_call(who, d, fmt="plain"))
            if g.r.random() < 0.18:
                rows.append(g.utterance(who, d, fmt="plain"))
    for who in FRONT_DESK:
        rows.append(g.private_call(who, days[g.r.randrange(len(days))], fmt="plain"))
    rows.sort(key=lambda r: (r["time"], r["employee"]))
    # the RFC 4180 corner cases: a cell with an ASCII comma, and a note with a line break
    for r in rows:
        if r["kind"] == "phone_call" and r["employee"] == "E001":
            r["opening"] = "您好,小区客服中心"
            break
    for r in rows:
        if r["kind"] == "desk_check" and r.get("attended") is False:
            r["note"] = "前台无人值守约10分钟\n领班已到场补位"
            break
    else:
        rows[10]["note"] = "交接班时说明：\n打印机缺纸"
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    # deliberately bad rows, inserted a quarter, a half, three quarters and 93% of the way in
    bad = [
        (len(rows) * 25 // 100, {"time": "2026-11-08 10:00", "employee": "E002", "name": "李娜", "role": "receptionist",
              "kind": "lunch_break"}, "unknown kind lunch_break"),
        (len(rows) * 50 // 100, {"time": "2026-11-14 09:10", "employee": "E007", "name": "孙丽", "role": "receptionist",
              "kind": "phone_call", "rings": "三", "opening": "您好！小区客服中心"}, "wrong type: rings is 三"),
        (len(rows) * 75 // 100, {"time": "2026-11-21 15:30", "employee": "", "name": "王芳", "role": "receptionist",
              "kind": "desk_check", "attended": "true", "standing": "true"}, "missing employee (an empty cell)"),
        (len(rows) * 93 // 100, None, "wrong number of cells (7 instead of 19)"),
    ]
    short_row = "2026-11-26 17:20,E001,王芳,receptionist,desk_check,true,false"
    pending = sorted(bad, key=lambda b: b[0])
    w.writerow(CSV_COLUMNS)
    marks = {}
    for i, r in enumerate(rows + [None]):
        while pending and pending[0][0] == i:
            _, row, why = pending.pop(0)
            marks[len(out.getvalue())] = why
            if row is None:
                out.write(short_row + "\r\n")
            else:
                w.writerow([row.get(c, "") for c in CSV_COLUMNS])
        if r is None:
            break
        cells = []
        for c in CSV_COLUMNS:
            v = r.get(c)
            if isinstance(v, bool):
                v = csv_bool(g, v)
            cells.append("" if v is None else str(v))
        w.writerow(cells)
    data = out.getvalue()
    # physical line (1-based) of each deliberately bad row
    found = [(data.count("\n", 0, offset) + 1, why) for offset, why in sorted(marks.items())]
    return data, found


def main():
    g = Gen(SEED)
    jsonl, jsonl_bad = make_jsonl(g)
    with open(os.path.join(HERE, "nov-2026.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(jsonl) + "\n")
    data, csv_bad = make_csv(g)
    with open(os.path.join(HERE, "nov-2026-front-desk.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(data)
    n_csv = len(list(csv.reader(io.StringIO(data)))) - 1
    print(f"nov-2026.jsonl: {len(jsonl)} lines, {len(jsonl) - len(jsonl_bad)} good records")
    for n, why in jsonl_bad:
        print(f"  line {n}: {why}")
    print(f"nov-2026-front-desk.csv: {n_csv} rows after the header, {n_csv - len(csv_bad)} good records")
    for n, why in csv_bad:
        print(f"  line {n}: {why}")


if __name__ == "__main__":
    main()
