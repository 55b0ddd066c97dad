#!/usr/bin/env python3
"""Copies the examples of the documents from the regression test's output.

sql/docs_examples.sql runs every example of docs/*.md; its expected output,
expected/docs_examples.out, is split into blocks at the lines
"-- example: NAME". A document shows block NAME in the fenced code block
that follows the line "<!-- example: NAME -->". This script rewrites those
code blocks from the output, so the documents show exactly what the test
checks.

    python3 docs/sync_examples.py            # rewrite docs/*.md
    python3 docs/sync_examples.py --check    # exit 1 if a document differs
    python3 docs/sync_examples.py --from results/docs_examples.out

In a block, "\\echo :LAST_ERROR_SQLSTATE" and the SQLSTATE it prints are
folded into the error line ("ERROR:  42704: ..."), as psql prints errors
under \\set VERBOSITY verbose; "\\set VERBOSITY" lines are dropped. Blocks
named "-" are test scaffolding and appear nowhere.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^-- example: (\S+)\s*$")
DOC_MARKER = re.compile(r"^<!-- example: (\S+) -->\s*$")


def blocks(out_text):
    """Maps block names to their rendered text."""
    result, name, lines = {}, None, []

    def close():
        if name and name != "-":
            if name in result:
                sys.exit(f"example {name} appears twice")
            result[name] = render(lines)

    for line in out_text.splitlines():
        m = MARKER.match(line)
        if m:
            close()
            name, lines = m.group(1), []
        else:
            lines.append(line)
    close()
    return result


def render(lines):
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("\\echo :LAST_ERROR_SQLSTATE"):
            code = lines[i + 1].strip()
            for j in range(len(out) - 1, -1, -1):
                if out[j].startswith("ERROR:  "):
                    out[j] = "ERROR:  " + code + ": " + out[j][len("ERROR:  "):]
                    break
            else:
                sys.exit("LAST_ERROR_SQLSTATE without an error: " + "\n".join(lines))
            i += 2
            continue
        if line.startswith("\\set VERBOSITY"):
            i += 1
            continue
        out.append(line)
        i += 1
    while out and not out[0].strip():
        out.pop(0)
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out)


def sync(doc_text, examples, used):
    lines = doc_text.split("\n")
    out = []
    i = 0
    while i < len(lines):
        out.append(lines[i])
        m = DOC_MARKER.match(lines[i])
        i += 1
        if not m:
            continue
        name = m.group(1)
        if name not in examples:
            sys.exit(f"no example named {name} in the test output")
        used.add(name)
        # Replace the fenced block that follows (or insert one).
        if i < len(lines) and lines[i].startswith("```"):
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            i = j + 1
        out.append("```")
        out.extend(examples[name].split("\n"))
        out.append("```")
    return "\n".join(out)


def main(argv):
    check = "--check" in argv
    source = ROOT / "expected" / "docs_examples.out"
    if "--from" in argv:
        source = pathlib.Path(argv[argv.index("--from") + 1])
    examples = blocks(source.read_text())
    used, stale = set(), []
    for doc in sorted((ROOT / "docs").glob("*.md")):
        text = doc.read_text()
        new = sync(text, examples, used)
        if new != text:
            stale.append(doc.name)
            if not check:
                doc.write_text(new)
    unused = sorted(set(examples) - used)
    if unused:
        print("examples shown in no document: " + ", ".join(unused), file=sys.stderr)
    if check and stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
