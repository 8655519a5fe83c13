#!/usr/bin/python3
"""bench/resources/gen_rulebook.py — writes the rulebooks of the resource-bound scenario
(issue 11): N rules over a few record kinds (comparisons, enums, phrase sets, progressive
prices, caps, computed points), or one phrase set of N phrases written one per line or as a
single flow list on one line (the shape that was quadratic).

    gen_rulebook.py rules N OUT
    gen_rulebook.py phrases N lines|flow OUT
"""
import random
import sys

HEAD = """decorum: 1
name: bench-resources
records:
  utterance:
    situation: [greet, answer, apology, farewell, visitor]
    text: text
  phone_call:
    rings: int
    opening: text
    duration: duration
  dress_check:
    badge: [left_chest, askew, missing]
    nail_length_mm: number
"""


def rules(n, out):
    rng = random.Random(11)
    lines = [HEAD, "phrases:\n"]
    for s in range(20):
        words = ", ".join(f"词{s}_{k}" for k in range(50))
        lines.append(f"  set{s}: [{words}]\n")
    lines.append("rules:\n")
    shapes = [
        ("phone_call", "rings > {a}", "deduct: {d}"),
        ("phone_call", "duration > {a}s and contains(opening, phrases.set{s})", "deduct: [{d}, {d2}]\n    cap: 20"),
        ("utterance", "situation == \"greet\" and not starts_with(text, phrases.set{s})", "points: -{d}"),
        ("utterance", "count(text, phrases.set{s}) >= 2", "deduct: {d}\n    times: count(text, phrases.set{s})"),
        ("dress_check", "badge in [\"askew\", \"missing\"] or nail_length_mm > {a}", "deduct: {d}"),
        ("dress_check", "nail_length_mm > {a}", "points: nail_length_mm * -{d}\n    fine: 5"),
    ]
    for i in range(n):
        kind, when, amount = shapes[i % len(shapes)]
        v = dict(a=rng.randint(1, 9), d=rng.randint(1, 5), d2=rng.randint(6, 9), s=rng.randrange(20))
        lines.append(f"  - id: r{i}\n    on: {kind}\n    when: '{when.format(**v)}'\n    {amount.format(**v)}\n")
    out.write("".join(lines))


def phrases(n, shape, out):
    out.write(HEAD)
    if shape == "flow":
        out.write("phrases:\n  big: [" + ", ".join(f"短语{k}" for k in range(n)) + "]\n")
    else:
        out.write("phrases:\n  big:\n" + "".join(f"    - 短语{k}\n" for k in range(n)))
    out.write("rules:\n  - id: r\n    on: utterance\n    when: contains(text, phrases.big)\n    deduct: 1\n")


if __name__ == "__main__":
    what = sys.argv[1]
    with open(sys.argv[-1], "w", encoding="utf-8") as f:
        if what == "rules":
            rules(int(sys.argv[2]), f)
        elif what == "phrases":
            phrases(int(sys.argv[2]), sys.argv[3], f)
        else:
            sys.exit(__doc__)
