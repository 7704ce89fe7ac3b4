#!/usr/bin/env python3
"""Lists Rust functions longer than a limit (default 100 lines), outside `#[cfg(test)]`
modules and `tests/` directories: `python3 scripts/long-functions.py [LIMIT] [PATH...]`.

A function runs from its `fn` line to the line of the brace that closes its body; braces in
strings, chars and comments are skipped."""
import os
import re
import sys

FN = re.compile(r"^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?(extern\s+\"[^\"]*\"\s+)?fn\s+(\w+)")


def strip(line, state):
    """The line without strings, chars and comments; `state` carries a block comment."""
    out, i = [], 0
    while i < len(line):
        if state["block"]:
            j = line.find("*/", i)
            if j < 0:
                return "".join(out)
            state["block"], i = False, j + 2
        elif line.startswith("//", i):
            break
        elif line.startswith("/*", i):
            state["block"], i = True, i + 2
        elif line[i] == '"':
            j = i + 1
            while j < len(line) and line[j] != '"':
                j += 2 if line[j] == "\\" else 1
            i = j + 1
        elif line[i] == "'" and re.match(r"'(\\.|[^\\'])'", line[i:i + 4]):
            i += len(re.match(r"'(\\.|[^\\'])'", line[i:i + 4]).group(0))
        else:
            out.append(line[i])
            i += 1
    return "".join(out)


def functions(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    state = {"block": False}
    code = [strip(l, state) for l in lines]
    skip_until = -1
    i = 0
    while i < len(code):
        if i > skip_until and re.match(r"\s*#\[cfg\(test\)\]", code[i]):
            skip_until = block_end(code, i)
        m = FN.match(code[i])
        if m and i > skip_until:
            end = block_end(code, i)
            yield m.group(7), i + 1, end - i + 1
        i += 1


def block_end(code, start):
    depth, opened = 0, False
    for j in range(start, len(code)):
        for c in code[j]:
            if c == "{":
                depth, opened = depth + 1, True
            elif c == "}":
                depth -= 1
                if opened and depth == 0:
                    return j
            elif c == ";" and not opened and depth == 0:
                return j
    return len(code) - 1


def main():
    args = sys.argv[1:]
    limit = int(args.pop(0)) if args and args[0].isdigit() else 100
    roots = args or ["testdata/src", "testdata-core/src", "testdata-derive/src", "testdata-server/src"]
    found = []
    for root in roots:
        for dirpath, _, files in os.walk(root):
            if "/tests" in dirpath or dirpath.endswith("tests"):
                continue
            for f in files:
                if f.endswith(".rs") and f != "tests.rs":
                    p = os.path.join(dirpath, f)
                    found += [(n, p, line, name) for name, line, n in functions(p) if n > limit]
    for n, p, line, name in sorted(found, reverse=True):
        print(f"{n:5} {p}:{line} {name}")
    print(f"{len(found)} functions over {limit} lines")


main()
