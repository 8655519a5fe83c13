#!/usr/bin/env python3
"""examples/python/score.py — entry point: main. Scores records from Python through
decorum's C API (libdecorum_c.so) with ctypes, standard library only:

    python3 examples/python/score.py build/libdecorum_c.so [LOG.jsonl ...]

Without logs it scores a few records built in the script: one as a JSON object, one field
by field, and one bad on purpose, which comes back as a rejection with its reason.
"""
import ctypes
import json
import sys

OK, REJECTED = 0, 1


def load(path):
    """Opens the library and declares the C signatures used here (ctypes would guess int)."""
    lib = ctypes.CDLL(path)
    p, s, u64, sz = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint64, ctypes.c_size_t
    out = ctypes.POINTER(ctypes.c_void_p)
    sigs = {
        "decorum_rules_builtin": [out],
        "decorum_rules_load_file": [s, out, out],
        "decorum_scorer_new": [p, s, ctypes.c_int, out],
        "decorum_scorer_add_json": [p, s, sz, s, u64, out],
        "decorum_record_new": [p, out],
        "decorum_record_clear": [p],
        "decorum_record_set": [p, s, s],
        "decorum_record_set_int": [p, s, ctypes.c_int64],
        "decorum_scorer_add_record": [p, p, s, u64, out],
        "decorum_scorer_report": [p, out],
        "decorum_report_json": [p, out],
    }
    for name, args in sigs.items():
        getattr(lib, name).argtypes = args
        getattr(lib, name).restype = ctypes.c_int
    for name in ("decorum_string_free", "decorum_rules_free", "decorum_scorer_free", "decorum_record_free",
                 "decorum_report_free"):
        getattr(lib, name).argtypes = [p]
        getattr(lib, name).restype = None
    return lib


def take_string(lib, ptr):
    """Copies a string the library returned, then frees it with the library's own free."""
    if not ptr.value:
        return ""
    text = ctypes.string_at(ptr.value).decode("utf-8")
    lib.decorum_string_free(ptr)
    return text


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    lib = load(argv[1])
    rules, scorer = ctypes.c_void_p(), ctypes.c_void_p()
    if lib.decorum_rules_builtin(ctypes.byref(rules)) != OK:
        return 1
    lib.decorum_scorer_new(rules, None, 0, ctypes.byref(scorer))

    def add_json(obj, source, line):
        reason = ctypes.c_void_p()
        data = (obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)).encode("utf-8")
        if lib.decorum_scorer_add_json(scorer, data, len(data), source.encode(), line, ctypes.byref(reason)) == REJECTED:
            print(f"rejected {source}:{line}: {take_string(lib, reason)}", file=sys.stderr)

    if len(argv) > 2:
        for path in argv[2:]:
            with open(path, encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    if line.strip():
                        add_json(line, path, number)
    else:
        add_json({"time": "2026-11-03T09:12:00+08:00", "employee": "E017", "name": "王芳",
                  "kind": "phone_call", "rings": 4, "opening": "喂,你好"}, "hr-db", 1)
        add_json({"time": "2026-11-03T10:00:00+08:00", "employee": "E017", "kind": "phone_call",
                  "rings": "four"}, "hr-db", 2)
        record = ctypes.c_void_p()
        lib.decorum_record_new(rules, ctypes.byref(record))
        for field, value in (("kind", "dress_check"), ("time", "2026-11-04 08:30"), ("employee", "E021"),
                             ("name", "李娜"), ("badge", "missing")):
            lib.decorum_record_set(record, field.encode(), value.encode("utf-8"))
        lib.decorum_scorer_add_record(scorer, record, b"hr-db", 3, None)
        lib.decorum_record_free(record)

    report, text = ctypes.c_void_p(), ctypes.c_void_p()
    lib.decorum_scorer_report(scorer, ctypes.byref(report))
    lib.decorum_report_json(report, ctypes.byref(text))
    result = json.loads(take_string(lib, text))
    for t in result["tallies"]:
        print(f'{t["employee"]} {t["name"]} {t["period"]}: score {t["score"]} grade {t["grade"]} '
              f'deductions {t["deductions"]} fines {t["fines"]}')
    counts = result["input"]
    print(f'{counts["records"]} records: {counts["scored"]} scored, {counts["rejected"]} rejected')
    lib.decorum_report_free(report)
    lib.decorum_scorer_free(scorer)
    lib.decorum_rules_free(rules)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
