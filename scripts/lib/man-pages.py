#!/usr/bin/env python3
"""Finishes the man pages swift-argument-parser's generate-manual writes (mdoc, one per command).

Usage: man-pages.py FEDPLAN_BINARY FOLDER

- NAME: the page's name as one word (`fedplan.dns.check`, what whatis and apropos index and
  `man fedplan.dns.check` finds); the description unquoted, without its final full stop (the
  generator quotes it, and `.Nd` prints quotes as they are: the whatis line began with `"`).
  The synopsis keeps the command as typed (`fedplan dns check`).
- EXIT STATUS: fedplan's exit codes (the same for every command) instead of the generic
  "0 on success, and >0 if an error occurs".
- Every option with a default says it, as `--help` does: the defaults come from the binary's
  own description of its arguments (`--experimental-dump-help`), so they cannot drift.
- No blank lines (not mdoc: groff warns about them).
"""
import json
import os
import re
import subprocess
import sys

# Spec §5 and docs/json.md: the same for every command.
EXIT_STATUS = """.Sh "EXIT STATUS"
.Bl -tag -width Ds
.It 0
All good: no error (and with
.Fl -strict
no warning), and everything verified.
.It 1
At least one error finding (or a warning, with
.Fl -strict ) .
.It 2
The command could not start: bad usage, or an unreadable or invalid description or zone file.
.It 3
Nothing wrong was found, but some records or certificates could not be verified
(query-failed, cert-check-failed).
.It 130
Interrupted (Ctrl-C or SIGTERM); a live check prints what it verified first.
.El
"""


def defaults(binary):
    """Page name (`fedplan.dns.check`) -> {option name as the page writes it: default}."""
    tool = json.loads(subprocess.run([binary, "--experimental-dump-help"], check=True,
                                     capture_output=True, text=True).stdout)
    found = {}

    def walk(command, path):
        path = path + [command["commandName"]]
        mine = found.setdefault(".".join(path), {})
        for argument in command.get("arguments", []):
            value = argument.get("defaultValue")
            if value is None or argument["kind"] == "flag":
                continue
            names = argument.get("names", [])
            if argument["kind"] == "positional":
                key = "Ar " + argument["valueName"]
            else:
                # The generator writes short names first, then long ones: `Fl o , -output Ar output`.
                short = [n["name"] for n in names if n["kind"] == "short"]
                long = ["-" + n["name"] for n in names if n["kind"] != "short"]
                key = "Fl " + " , ".join(short + long) + " Ar " + argument["valueName"]
            # 2.0 and 120.0 as the values are written on the command line.
            if re.fullmatch(r"\d+\.0", value):
                value = value[:-2]
            mine[key] = value
        for sub in command.get("subcommands", []):
            walk(sub, path)

    walk(tool["command"], [])
    return found


def finish(page, name, page_defaults):
    lines = [line for line in page.split("\n") if line != ""]
    out = []
    in_name = False
    words = None
    pending = None  # the default of the `.It` item being copied, added after its first line
    for line in lines:
        if line.startswith(".Sh "):
            in_name = line == ".Sh NAME"
        if in_name and line.startswith('.Nm "') and words is None:
            words = line[len('.Nm "'):-1]
            line = ".Nm " + name
        elif in_name and line.startswith('.Nd "') and line.endswith('"'):
            line = ".Nd " + line[len('.Nd "'):-1].rstrip(".")
        elif line == ".Nm" and words is not None:
            line = '.Nm "%s"' % words
        elif line == ".Ex -std":
            continue
        elif line == '.Sh "EXIT STATUS"':
            out.append(EXIT_STATUS.rstrip("\n"))
            continue
        if pending is not None and not line.startswith("."):
            line = "%s (default: %s)" % (line.rstrip(), pending)
            pending = None
        if line.startswith(".It "):
            pending = page_defaults.get(line[len(".It "):])
        out.append(line)
    return "\n".join(out) + ("\n" if not out[-1].endswith("\n") else "")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: man-pages.py FEDPLAN_BINARY FOLDER")
    binary, folder = sys.argv[1], sys.argv[2]
    known = defaults(binary)
    pages = sorted(f for f in os.listdir(folder) if f.startswith("fedplan") and f.endswith(".1"))
    if not pages:
        sys.exit("man-pages.py: no fedplan*.1 in " + folder)
    for file in pages:
        name = file[:-2]
        path = os.path.join(folder, file)
        with open(path, encoding="utf-8") as f:
            page = f.read()
        if ".Ex -std" not in page:
            sys.exit("man-pages.py: %s has no generic EXIT STATUS to replace (has generate-manual changed?)" % file)
        finished = finish(page, name, known.get(name, {}))
        with open(path, "w", encoding="utf-8") as f:
            f.write(finished)


if __name__ == "__main__":
    main()
