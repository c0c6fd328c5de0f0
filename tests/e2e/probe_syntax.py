#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Linux's own syntax-error checks of probe events, typed at the console.

Every line of tests/probe_syntax_errors.tbl - the check_error lines of
Linux 6.12's kprobe_syntax_errors.tc and fprobe_syntax_errors.tc - is
written as ftracetest's ftrace_errlog_check writes it: error_log emptied,
the command appended to kprobe_events or dynamic_events. The write must be
refused, error_log must hold "SUBSYSTEM: error: MESSAGE", "  Command:
COMMAND" and a caret line 13 + POS bytes long, and the console must have
printed the same; the events already there must stay. The README guards
are read from Loupe's README, as ftracetest greps Linux's.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from loupe import Loupe, Runner, check, scenario_args, selected  # noqa: E402

T = "/sys/kernel/tracing"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TABLE = os.path.join(ROOT, "tests", "probe_syntax_errors.tbl")
FILES = {"kprobe": ("kprobe_events", "trace_kprobe"), "fprobe": ("dynamic_events", "trace_fprobe")}
KEEP = "f:fprobes/keep fib"


def table():
    """The table's rows: (source, guard, class, command, message)."""
    rows = []
    for line in open(TABLE):
        line = line.rstrip("\n")
        if line and not line.startswith("#"):
            rows.append(tuple(line.split("\t")))
    return rows


def guard_holds(k, guard, readme):
    if guard == "-":
        return True
    if guard == "FTRACE":       # Linux: grep -q FTRACE ../kprobes/list
        return "FTRACE" in k.run("cat /sys/kernel/debug/kprobes/list")
    if guard.startswith("!"):
        return guard[1:] not in readme
    return guard in readme


def t_readme_has_what_linux_tests_grep(k):
    """Each line ftracetest greps for is in README where Loupe has the
    feature, and the BTF line is not."""
    readme = k.run("cat %s/README" % T)
    for want in ("r[maxactive]", "$arg<N>", "imm-value", "imm-string", " <type>\\[<array-size>\\]",
                 "f[:[<group>/][<event>]] <func-name>[%return] [<args>]",
                 "kernel return probes support:", "Create/append/"):
        check(want in readme, "README lacks %r" % want)
    lines = readme.splitlines()
    fetch = [i for i, l in enumerate(lines) if "fetcharg:" in l]
    check(fetch and any("$comm" in l for l in lines[fetch[0]:fetch[0] + 2]),
          "no $comm in the fetcharg lines")
    check(re.search(r"place \(kretprobe\): .*%return", readme), "no %return place")
    for absent in ("<argname>",):
        check(absent not in readme, "README promises %r" % absent)


def listing(k):
    return k.run("cat dynamic_events").strip()


def setup_write(k, source, cmd):
    """Linux's `echo CMD > FILE` before some checks; returns the events then."""
    out = k.run("echo '%s' > %s" % (cmd, FILES[source][0]))
    check("error" not in out, "setup %r refused: %r" % (cmd, out))
    return listing(k).splitlines()


def check_error(k, source, cmd_marked, message):
    """ftrace_errlog_check: refused, logged, caret 13 + POS bytes."""
    file, loc = FILES[source]
    pos = cmd_marked.rindex("^")
    cmd = cmd_marked.replace("^", "")
    k.run("echo > error_log")
    out = k.run("echo '%s' >> %s" % (cmd, file))
    check("echo: write error:" in out, "%r accepted: %r" % (cmd, out))
    log = k.run("cat error_log").splitlines()
    at = [i for i, l in enumerate(log) if "%s: error:" % loc in l]
    check(len(at) == 1 and len(log) == at[0] + 3, "%r: error_log %r" % (cmd, log))
    head, command, caret = log[at[0]:]
    check(head.endswith("%s: error: %s" % (loc, message)), "%r: %r, wanted %r" % (cmd, head, message))
    check(command == "  Command: " + cmd, "%r: command line %r" % (cmd, command))
    check(len(caret) + 1 == 13 + pos and caret.strip() == "^",
          "%r: caret at %d, wanted %d" % (cmd, len(caret) - 12, pos))
    check("%s: error: %s" % (loc, message) in out and caret in out.splitlines(),
          "%r: the console did not show it: %r" % (cmd, out))


def t_linux_syntax_error_checks(k):
    k.run("cd " + T)
    k.run("echo 0 > events/enable")
    k.run("echo > dynamic_events")
    k.run("echo '%s' >> dynamic_events" % KEEP)
    keep = [KEEP]
    readme = k.run("cat README")
    passed = total = guarded = 0
    failures = []
    for source, guard, cls, cmd, message in table():
        kind = source.rstrip("*>")
        if source.endswith(">"):
            if guard_holds(k, guard, readme):
                keep = setup_write(k, kind, cmd)
            continue
        total += 1
        if not guard_holds(k, guard, readme):
            guarded += 1
            continue
        try:
            check_error(k, kind, cmd, message)
            got = sorted(listing(k).splitlines())
            check(got == sorted(keep), "%r changed the events: %r" % (cmd, got))
            passed += 1
        except Exception as e:          # count every line, then fail
            failures.append("%s %s: %s" % (cls, cmd, e))
    print("probe syntax: %d of %d check lines pass at the console, %d do not apply (README)"
          % (passed, total, guarded), flush=True)
    k.run("echo > dynamic_events")
    check(not failures, "%d failed:\n  %s" % (len(failures), "\n  ".join(failures)))


SCENARIOS = [t_readme_has_what_linux_tests_grep, t_linux_syntax_error_checks]


def main():
    args = scenario_args().parse_args()
    r = Runner()
    with Loupe(args.iso, args.accel, name="probe_syntax") as k:
        for fn in SCENARIOS:
            if selected(args, fn.__name__):
                r.run(fn.__name__[2:], fn, k)
    r.finish()


if __name__ == "__main__":
    main()
