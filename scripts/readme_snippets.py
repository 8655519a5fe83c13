#!/usr/bin/env python3
"""scripts/readme_snippets.py — entry point: main. Two ways to keep a Markdown file's code
honest in CI, exactly as a reader sees it:

    python3 scripts/readme_snippets.py README.md OUTDIR
        writes every fenced block that follows a `<!-- ci: NAME -->` line (NAME with a dot,
        e.g. readme_embed.cpp) to OUTDIR/NAME, for CI to compile and run;

    python3 scripts/readme_snippets.py --shell README.md SCRIPT
        writes SCRIPT, one bash script that runs the file's shell blocks (```sh, ```console)
        in the order written, from the repository root, as a reader on a fresh clone would.
        Every shell block must be marked on the line before its fence:
          <!-- ci: run -->              run it as it is;
          <!-- ci: transcript -->       a `$ COMMAND` line followed by its exact output: run
                                        COMMAND and compare (standard output and error);
          <!-- ci: skip: REASON -->     not run, and the reason is printed (and visible in the
                                        Markdown source); an unmarked shell block is an error.
"""
import pathlib
import re
import shlex
import sys

FENCE = re.compile(r"^```([\w+-]*)\s*$")
MARK = re.compile(r"^<!-- ci: (.*?) -->\s*$")
SHELL = {"sh", "bash", "shell", "console"}


def blocks(text):
    """(line number of the fence, info string, mark or None, body) for every fenced block."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        start, info = i, m.group(1)
        j = i + 1
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        mark = MARK.match(lines[start - 1]) if start > 0 else None
        yield start + 1, info, mark.group(1) if mark else None, "\n".join(lines[start + 1:j])
        i = j + 1


def transcript(body, where):
    """bash that runs each `$ COMMAND` of `body` and compares its output with the lines after it."""
    out, cmd, want = [], None, []

    def flush():
        if cmd is None:
            return
        expected = "\n".join(want)
        out.append(f"echo {shlex.quote('$ ' + cmd)}")
        out.append(f"diff -u <(printf '%s\\n' {shlex.quote(expected)}) <({cmd} 2>&1) || "
                   f"{{ echo {shlex.quote(where + ': the output differs from the README')}; exit 1; }}")

    for line in body.split("\n"):
        if line.startswith("$ "):
            flush()
            cmd, want = line[2:], []
        elif cmd is not None:
            want.append(line)
    flush()
    return "\n".join(out)


def shell(md, script):
    text = pathlib.Path(md).read_text(encoding="utf-8")
    out = ["#!/usr/bin/env bash", f"# The shell blocks of {md}, in order (scripts/readme_snippets.py --shell).",
           "set -euo pipefail"]
    errors, ran, skipped = [], 0, 0
    for line, info, mark, body in blocks(text):
        if info not in SHELL:
            continue
        where = f"{md}:{line}"
        if mark == "run":
            out += [f"echo {shlex.quote('== ' + where + ': run')}", body]
            ran += 1
        elif mark == "transcript":
            out += [f"echo {shlex.quote('== ' + where + ': transcript')}", transcript(body, where)]
            ran += 1
        elif mark and mark.startswith("skip:") and mark[5:].strip():
            out.append(f"echo {shlex.quote('== ' + where + ': skipped: ' + mark[5:].strip())}")
            skipped += 1
        else:
            errors.append(f"{where}: a ```{info} block needs <!-- ci: run -->, <!-- ci: transcript --> or "
                          "<!-- ci: skip: REASON --> on the line before it")
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        return 1
    out.append(f"echo {shlex.quote(f'readme: {ran} shell blocks run, {skipped} skipped')}")
    pathlib.Path(script).write_text("\n".join(out) + "\n", encoding="utf-8")
    print(script)
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "--shell":
        return shell(argv[2], argv[3])
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    text = pathlib.Path(argv[1]).read_text(encoding="utf-8")
    out = pathlib.Path(argv[2])
    out.mkdir(parents=True, exist_ok=True)
    named = [(m, body) for _, _, m, body in blocks(text) if m and re.fullmatch(r"[\w-]+\.[\w.-]+", m)]
    if not named:
        print(f"{argv[1]}: no <!-- ci: NAME --> blocks", file=sys.stderr)
        return 1
    for name, body in named:
        (out / name).write_text(body + "\n", encoding="utf-8")
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
