#!/usr/bin/env python3
"""scripts/readme_snippets.py — entry point: main. Writes every fenced code block of a
Markdown file that follows a `<!-- ci: NAME -->` line to OUTDIR/NAME, so CI compiles and
runs the README's examples exactly as a reader sees them.

    python3 scripts/readme_snippets.py README.md OUTDIR
"""
import pathlib
import re
import sys


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    text = pathlib.Path(argv[1]).read_text(encoding="utf-8")
    out = pathlib.Path(argv[2])
    out.mkdir(parents=True, exist_ok=True)
    blocks = re.findall(r"<!-- ci: ([\w.-]+) -->\n```[\w+-]*\n(.*?)\n```", text, flags=re.S)
    if not blocks:
        print(f"{argv[1]}: no <!-- ci: NAME --> blocks", file=sys.stderr)
        return 1
    for name, body in blocks:
        (out / name).write_text(body + "\n", encoding="utf-8")
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
