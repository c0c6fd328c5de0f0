#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Dynamic probe events on the console, typed as a person would on Linux:
kprobe_events and dynamic_events, fetch-args, events/.../enable, the
trace output, error_log with its caret, kprobe_profile, trace_pipe and Tab
completion; the shadow stacks those probes leave in /proc/PID/rethook and
/proc/PID/graph_stack, and the frames bt marks for them.

"""
import argparse
import re
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from loupe import Loupe, Runner, check, PROMPT  # noqa: E402

T = "/sys/kernel/tracing"
EVENT_LINE = r"^\s*\S+-\d+\s+\[\d{3}\] \S{5} +\d+\.\d{6}: "


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def fib_args(n):
    """The argument of every call fib(n) makes, in call order."""
    out = [n]
    if n >= 2:
        out += fib_args(n - 1) + fib_args(n - 2)
    return out


def event_lines(out, event):
    return [l for l in out.splitlines() if re.search(EVENT_LINE + re.escape(event) + ": ", l)]


def fresh(k):
    """No events, an empty buffer and log, in the tracing directory."""
    k.run("cd " + T)
    k.run("echo 0 > events/enable")
    k.run("echo > dynamic_events")
    k.run("echo > trace")
    k.run("echo > error_log")


def add(k, cmd, file="kprobe_events"):
    out = k.run("echo '%s' >> %s" % (cmd, file))
    check("error" not in out, "%r refused: %r" % (cmd, out))


def t_kprobe_event_shows_n_for_every_call(k):
    fresh(k)
    add(k, "p:myfib fib n=$arg1:s32")
    check(k.run("cat kprobe_events").strip() == "p:kprobes/myfib fib n=$arg1:s32", "listing")
    check(k.run("cat dynamic_events").strip() == "p:kprobes/myfib fib n=$arg1:s32", "dynamic listing")
    out = k.run("cat events/kprobes/myfib/format")
    check("field:s32 n;" in out and 'print fmt: "(%lx) n=%d", REC->__probe_ip, REC->n' in out,
          "format: %r" % out)
    check(k.run("cat events/kprobes/myfib/enable").strip() == "0", "enabled at creation")
    k.run("run fib 6")
    check(not event_lines(k.run("cat trace"), "myfib"), "recorded while disabled")
    k.run("echo 1 > events/kprobes/myfib/enable")
    k.run("run fib 6")
    lines = event_lines(k.run("cat trace"), "myfib")
    got = [int(re.search(r"\(fib\+0x0/0x[0-9a-f]+\) n=(-?\d+)$", l).group(1)) for l in lines]
    check(got == fib_args(6), "n per call: %r, wanted %r" % (got, fib_args(6)))
    k.run("echo 0 > events/kprobes/myfib/enable")


def t_kretprobe_event_shows_retval(k):
    fresh(k)
    add(k, "r:fibret fib ret=$retval:u64 n=$arg1:u32")
    add(k, "r fib")
    check(re.match(r"^r(\d+):kprobes/r_fib_0 fib$", k.run("cat kprobe_events").split("\n")[1].strip()),
          "generated name")
    k.run("echo 1 > events/kprobes/fibret/enable")
    k.run("run fib 6")
    lines = event_lines(k.run("cat trace"), "fibret")
    check(len(lines) == len(fib_args(6)), "%d return lines" % len(lines))
    for l in lines:
        m = re.search(r": \((\w+)\+0x[0-9a-f]+/0x[0-9a-f]+ <- fib\) ret=(\d+) n=(\d+)$", l)
        check(m, "return line format: %r" % l)
        check(int(m.group(2)) == fib(int(m.group(3))), "fib(%s) returned %s" % (m.group(3), m.group(2)))
    check(sorted(int(re.search(r"n=(\d+)", l).group(1)) for l in lines) == sorted(fib_args(6)),
          "$arg1 at return is not the entry argument")
    check(re.search(r"\(fib_body\+0x[0-9a-f]+/0x[0-9a-f]+ <- fib\) ret=8 n=6$", lines[-1]),
          "outermost return: %r" % lines[-1])
    k.run("echo 0 > events/kprobes/fibret/enable")


def t_percent_return_is_a_kretprobe(k):
    fresh(k)
    add(k, "p:pret fib%return r=$retval")
    check(re.match(r"^r\d+:kprobes/pret fib r=\$retval$", k.run("cat kprobe_events").strip()),
          "listing of %return")
    # Linux 6.12: an f: probe that fetches $retval is an exit probe.
    add(k, "f fib $retval", "dynamic_events")
    check("f:fprobes/fib__exit fib%return arg1=$retval" in k.run("cat dynamic_events").splitlines(),
          "f FUNC $retval: %r" % k.run("cat dynamic_events"))


def t_mid_function_register_fetch(k):
    """After `mov %rdi,%rbx` in fib, %bx holds n."""
    fresh(k)
    out = k.run("dis fib 12")
    offs = re.findall(r"<fib\+(0x[0-9a-f]+)/0x[0-9a-f]+>\s+((?:[0-9a-f]{2} )+)", out)
    idx = [i for i, (_, b) in enumerate(offs) if b.strip() == "48 89 fb"]
    check(idx, "no mov %%rdi,%%rbx in fib:\n%s" % out)
    off = int(offs[idx[0] + 1][0], 16)
    add(k, "p:mid fib+%d n=%%bx:u32 n32=%%ebx:s32" % off)
    check(k.run("cat kprobe_events").strip() == "p:kprobes/mid fib+%d n=%%bx:u32 n32=%%ebx:s32" % off,
          "listing with offset")
    k.run("echo 1 > events/kprobes/mid/enable")
    k.run("run fib 6")
    lines = event_lines(k.run("cat trace"), "mid")
    got = [int(re.search(r"\(fib\+0x%x/0x[0-9a-f]+\) n=(\d+) n32=\d+$" % off, l).group(1)) for l in lines]
    check(got == fib_args(6), "n from %%bx: %r" % got)
    k.run("echo 0 > events/kprobes/mid/enable")


def t_string_dereference_and_fault(k):
    fresh(k)
    add(k, "p:wc word_count text=+0(%di):string first=+0(%di):char w=+0(%di):u8[3]")
    add(k, "p:bad fib s=+0(%di):string v=+8(%di):u64 c=$comm")
    k.run("echo 1 > events/kprobes/wc/enable")
    k.run("echo 1 > events/kprobes/bad/enable")
    k.run("run words 3")
    k.run("run fib 2")
    out = k.run("cat trace")
    lines = event_lines(out, "wc")
    check([re.search(r'text=("[^"]*")', l).group(1) for l in lines] ==
          ['"the quick brown fox"', '"jumps over"', '"the lazy dog"'], "strings: %r" % lines)
    check(lines[0].endswith("first='t' w={116,104,101}"), "char and array: %r" % lines[0])
    bad = event_lines(out, "bad")
    check(len(bad) == 3 and all(l.endswith('s=(fault) v=(fault) c="fib"') for l in bad),
          "a bad pointer must print (fault): %r" % bad)
    check("fib(2) = 1" in k.run("run fib 2"), "the kernel still runs")
    k.run("echo 0 > events/enable")


def t_fetch_variety(k):
    fresh(k)
    add(k, "p:v fib a=$stack s0=$stack0:symbol j=@jiffies:u64 i=\\42:u8 ip=%ip:symbol")
    k.run("echo 1 > events/kprobes/v/enable")
    k.run("run fib 1")
    lines = event_lines(k.run("cat trace"), "v")
    check(len(lines) == 1, "one line: %r" % lines)
    check(re.search(r"a=0x[0-9a-f]+ s0=fib_body\+0x[0-9a-f]+/0x[0-9a-f]+ j=\d+ i=42 ip=fib\+0x[0-9a-f]+/0x[0-9a-f]+$",
                    lines[0]), "fetches: %r" % lines[0])
    k.run("echo 0 > events/enable")


# (command, file, location, reason, the text the caret must be under)
BAD = [
    ("x fib", "kprobe_events", "trace_kprobe", "Unknown probe type", "x"),
    ("p:ev nosuch_function", "kprobe_events", "trace_kprobe", "Invalid probed address or symbol",
     "nosuch"),
    ("p:ev fib x=%foo", "kprobe_events", "trace_kprobe", "Invalid register name", "%foo"),
    ("p:ev fib x=$retval", "kprobe_events", "trace_kprobe", "$retval is not available on probe", "$retval"),
    ("p:ev fib x=%di:u7", "kprobe_events", "trace_kprobe", "Unknown type is specified", "u7"),
    ("p:ev fib " + " ".join(["%di"] * 16) + " %si", "kprobe_events", "trace_kprobe",
     "Too many arguments", "%si"),
    ("p:ev fib+1", "kprobe_events", "trace_kprobe", "Probe point is not an instruction boundary", "fib"),
    ("p:ev kprobe_int3_handler", "kprobe_events", "trace_kprobe", "Blacklisted", "kprobe_int3"),
    ("r:ev fib+5", "kprobe_events", "trace_kprobe", "Retprobe address must be an function entry",
     "fib"),
    ("p:ev fib x=+8(%di", "kprobe_events", "trace_kprobe", "Dereference brace is not closed", "di"),
    ("p:ev fib x=$arg9", "kprobe_events", "trace_kprobe", "Invalid argument number", "$arg9"),
    ("p:1ev fib", "kprobe_events", "trace_kprobe", "Event name must follow the same rules as C identifiers", "1ev"),
    ("f fib+4", "dynamic_events", "trace_fprobe", "no offset", "fib"),
    ("f fib", "kprobe_events", "trace_kprobe", "Only p: and r: here", "f"),
]

# Names and symbols that say nothing certain.
BAD_NAMES = [
    # A file of events/ has the name (Linux: "Out of memory" here once).
    ("p:kprobes/enable fib", "kprobe_events", "trace_kprobe", "Event name is reserved", "enable"),
    ("p:enable/x fib", "kprobe_events", "trace_kprobe", "Group name is reserved", "enable"),
    # Two static fib_entry functions; a function and a variable timer_tick.
    ("p:ev fib_entry", "kprobe_events", "trace_kprobe", "The symbol is not unique", "fib_entry"),
    ("r:ev timer_tick", "kprobe_events", "trace_kprobe", "The symbol is not unique", "timer_tick"),
    ("p:ev fib x=@timer_tick", "kprobe_events", "trace_kprobe", "The symbol is not unique", "timer_tick"),
    ("f:ev fib_entry", "dynamic_events", "trace_fprobe", "The symbol is not unique", "fib_entry"),
    # SYM+OFFS past the top of the address space wraps to a small address.
    ("p:ev fib+0x7fffffff", "kprobe_events", "trace_kprobe", "past the end", "+"),
    ("p:ev fib x=@fib+0x7fffffffffffffff", "kprobe_events", "trace_kprobe", "past the end", "+0x7"),
]


ERRLOG_KEPT = 8


def caret_pos(cmd, under):
    """Where the caret goes: after 'di' for a missing ')', else the token's start."""
    return cmd.index(under) + (2 if under == "di" else 0)


def check_refused_with_caret(k, cases):
    """Each command is refused with its reason and caret, on the console and in error_log."""
    k.run("echo > error_log")
    for cmd, file, loc, reason, under in cases:
        pos = caret_pos(cmd, under)
        out = k.run("echo '%s' >> %s" % (cmd, file))
        check("echo: write error: Invalid argument" in out, "%r: %r" % (cmd, out))
        check("%s: error: " % loc in out and reason in out, "%r: console reason: %r" % (cmd, out))
        caret = " " * (len("  Command: ") + pos) + "^"
        check(caret in out.split("\n"), "%r: caret not at %d: %r" % (cmd, pos, out))
    log = k.run("cat error_log")
    entries = re.findall(r"^\[\s*\d+\.\d{6}\] (\w+): error: (.*)\n  Command: (.*)\n( *\^)$", log, re.M)
    # error_log keeps the last 8 entries, as Linux's does.
    check(len(entries) == min(len(cases), ERRLOG_KEPT), "%d entries in error_log:\n%s" % (len(entries), log))
    for (cmd, _, loc, reason, under), (l, r, c, caret) in zip(cases[-len(entries):], entries):
        pos = caret_pos(cmd, under)
        check(l == loc and reason in r and c == cmd and len(caret) == len("  Command: ") + pos + 1,
              "error_log entry %r for %r" % ((l, r, c, caret), cmd))


def t_bad_commands_in_error_log_with_caret(k):
    fresh(k)
    add(k, "p:keep fib")
    check_refused_with_caret(k, BAD)
    check(k.run("cat kprobe_events").strip() == "p:kprobes/keep fib", "a bad command changed the events")
    out = k.run("echo 'p:ev nosuch' > kprobe_events")
    check("Invalid argument" in out, "bad > write")
    check(k.run("cat kprobe_events").strip() == "p:kprobes/keep fib", "a bad > write cleared the events")
    out = k.run("echo '-:nosuch' >> kprobe_events")
    check("No such event" in out and "No such file or directory" in out, "removing nothing: %r" % out)
    out = k.run("echo 'p:keep fib' >> kprobe_events")
    check("There is already the exact same probe event" in out and "File exists" in out,
          "duplicate: %r" % out)
    k.run("echo > error_log")
    check(k.run("cat error_log").strip() == "", "error_log not cleared")


def t_reserved_names_ambiguous_symbols_and_wrapping_offsets(k):
    fresh(k)
    add(k, "p:keep fib")
    check_refused_with_caret(k, BAD_NAMES)
    check(k.run("cat kprobe_events").strip() == "p:kprobes/keep fib", "a bad command changed the events")
    # The address of one of the two says which.
    addr = re.search(r"fib_entry: (0x[0-9a-f]+)", k.run("sym fib_entry")).group(1)
    add(k, "p:byaddr %s" % addr)
    add(k, "p:named fib x=@jiffies+8")


def t_refused_write_changes_nothing(k):
    """`>` checks every new command - its probe point too - before it clears."""
    fresh(k)
    add(k, "p:keep1 fib")
    add(k, "r:keep2 fib")
    add(k, "f:keep3 fib", "dynamic_events")
    listing = k.run("cat dynamic_events")
    # A blacklisted function whose name is its own (not a shared static one).
    black = []
    for b in reversed(re.findall(r"\s(\w+)$", k.run("cat /sys/kernel/debug/kprobes/blacklist"), re.M)):
        if len(re.findall(r"\[[tT]\]$", k.run("sym " + b), re.M)) == 1:
            black.append(b)
            break
    check(black, "no blacklisted function listed")
    for cmd, file, reason in (("p:bad fib+1", "kprobe_events", "Probe point is not an instruction boundary"),
                              ("p:bad %s" % black[-1], "kprobe_events", "Blacklisted"),
                              ("r:bad fib_entry", "kprobe_events", "not unique"),
                              ("p:fprobes/keep3 fib", "kprobe_events", "already used by another event"),
                              ("f:bad memcpy", "dynamic_events", "Unknown or untraceable"),
                              ("-:nosuch", "dynamic_events", "No such event")):
        for redirect in (">", ">>"):
            out = k.run("echo '%s' %s %s" % (cmd, redirect, file))
            check("echo: write error:" in out and reason in out, "%r %s: %r" % (cmd, redirect, out))
            check(k.run("cat dynamic_events") == listing, "%r %s %s changed the events" % (cmd, redirect, file))
    # A good `>` still replaces: the kprobe events go, the fprobe stays.
    out = k.run("echo 'p:keep1 word_count' > kprobe_events")
    check("error" not in out, "replacing: %r" % out)
    check(k.run("cat dynamic_events").split() == ["f:fprobes/keep3", "fib", "p:kprobes/keep1", "word_count"],
          "after the replace: %r" % k.run("cat dynamic_events"))


def t_removing_an_enabled_event_fails(k):
    fresh(k)
    add(k, "p:busy fib")
    add(k, "r:other fib")
    k.run("echo 1 > events/kprobes/busy/enable")
    listing = k.run("cat kprobe_events")
    for cmd in ("echo '-:busy' >> kprobe_events", "echo > kprobe_events",
                "echo '-:kprobes/busy' >> dynamic_events", "echo 'p:x fib' > kprobe_events"):
        out = k.run(cmd)
        check("Device or resource busy" in out, "%r: %r" % (cmd, out))
        check(k.run("cat kprobe_events") == listing, "%r changed the events" % cmd)
    check(k.run("cat events/enable").strip() == "X", "events/enable mixed")
    k.run("echo 1 > events/kprobes/enable")
    check(k.run("cat events/kprobes/enable").strip() == "1", "group enable")
    k.run("echo 0 > events/enable")
    check(k.run("cat events/kprobes/busy/enable").strip() == "0", "events/enable 0")
    k.run("echo '-:busy' >> kprobe_events")
    check(re.match(r"^r\d+:kprobes/other fib$", k.run("cat kprobe_events").strip()), "removal")
    k.run("echo > kprobe_events")
    check(k.run("cat kprobe_events").strip() == "", "clear")
    check("kprobes" not in k.run("ls events"), "events/kprobes stays after its last event")


def t_kprobe_profile_matches_trace(k):
    fresh(k)
    add(k, "p:pa fib n=$arg1")
    add(k, "r:pb fib")
    add(k, "p:pc word_count")
    k.run("echo 1 > events/enable")
    k.run("run fib 7")
    k.run("run words 5")
    k.run("echo 0 > events/enable")
    out = k.run("cat trace")
    prof = dict((m.group(1), (int(m.group(2)), int(m.group(3))))
                for m in re.finditer(r"^\s+(\w+)\s+(\d+)\s+(\d+)$", k.run("cat kprobe_profile"), re.M))
    for ev, want in (("pa", 41), ("pb", 41), ("pc", 5)):
        check(prof.get(ev) == (want, 0), "%s: profile %r, wanted (%d, 0)" % (ev, prof.get(ev), want))
        check(len(event_lines(out, ev)) == want, "%s: %d lines in trace" % (ev, len(event_lines(out, ev))))


def t_trace_pipe_streams_probe_events(k):
    fresh(k)
    add(k, "p:pipe fib n=$arg1:u32")
    k.run("echo 1 > events/kprobes/pipe/enable")
    out = k.run("run fib 26 &")
    pid = re.search(r"\[(\d+)\]", out).group(1)
    k.sendline("cat trace_pipe")
    k.expect(r"fib-%s\s+\[\d{3}\] \S{5} +\d+\.\d{6}: pipe: \(fib\+0x0/0x[0-9a-f]+\) n=\d+" % pid, timeout=30)
    k.send("\x03")
    k.expect(r"\^C")
    k.expect(PROMPT, timeout=20)
    k.run("kill %s" % pid)
    k.run("echo 0 > events/enable")
    time.sleep(0.5)
    k.run("echo > trace")


def t_tab_completion(k):
    fresh(k)
    k.send("echo 'p:tab word_co")
    k.send("\t")
    k.expect(r"unt ")
    k.sendline("' >> kprobe_events")
    k.expect(PROMPT)
    check(k.run("cat kprobe_events").strip() == "p:kprobes/tab word_count", "completed function name")
    k.send("cat /sys/kernel/tracing/kprobe_pro")
    k.send("\t")
    k.expect("file ")
    k.sendline("")
    k.expect(r"\s+tab\s+0\s+0")
    k.expect(PROMPT)
    k.send("cat events/kpr")
    k.send("\t")
    k.expect("obes/")
    k.send("ta\t")
    k.expect("b/")
    k.send("en\t")
    k.expect("able ")
    k.sendline("")
    k.expect(r"\n0\r*\n")
    k.expect(PROMPT)
    k.send("kprobe_ev")
    k.send("\x15")      # Ctrl-U: nothing matches a command called that
    k.send("selft\t")
    k.expect("est ")
    k.send("\x15")
    k.sendline("")
    k.expect(PROMPT)
    k.run("echo > kprobe_events")


def t_fprobe_exit_event_sees_entry_argument(k):
    """fib recurses: MAXACTIVE 10 gives the exit side enough rethook nodes
    (the default, as on Linux, is 2 per CPU for one function)."""
    fresh(k)
    add(k, "f10:fibx fib%return n=$arg1:u32 ret=$retval:u64", "dynamic_events")
    add(k, "f fib n=$arg1:u32", "dynamic_events")
    listing = k.run("cat dynamic_events").strip().split("\n")
    check(listing == ["f10:fprobes/fibx fib%return n=$arg1:u32 ret=$retval:u64",
                      "f:fprobes/fib__entry fib n=$arg1:u32"], "listing: %r" % listing)
    k.run("echo 1 > events/fprobes/enable")
    k.run("run fib 6")
    out = k.run("cat trace")
    exits = event_lines(out, "fibx")
    check(len(exits) == len(fib_args(6)), "%d exit lines" % len(exits))
    for l in exits:
        m = re.search(r": \(\w+\+0x[0-9a-f]+/0x[0-9a-f]+ <- fib\) n=(\d+) ret=(\d+)$", l)
        check(m and int(m.group(2)) == fib(int(m.group(1))), "exit line: %r" % l)
    entries = [int(re.search(r"n=(\d+)$", l).group(1)) for l in event_lines(out, "fib__entry")]
    check(entries == fib_args(6), "entry n: %r" % entries)
    k.run("echo 0 > events/enable")
    k.run("echo > dynamic_events")


# ---- shadow stacks: /proc/PID/rethook, /proc/PID/graph_stack, bt marks ----

SHADOW_HEAD = r"^# pid %d \((\w+)\): (\d+) returns? hooked by %s, newest first$"
RETHOOK_ROW = re.compile(r"^  (\S+ \S+) +(\(same call as the next line\)|[\w.]+\+0x[0-9a-f]+/0x[0-9a-f]+) +"
                         r"(0x[0-9a-f]+)$", re.M)
GRAPH_ROW = re.compile(r"^  +(\d+) (\w+) +([\w.]+\+0x[0-9a-f]+/0x[0-9a-f]+) +(0x[0-9a-f]+) +"
                       r"\d+\.\d{3} ms ago$", re.M)


def shell_pid_cpu(k):
    m = re.search(r"^\s*(\d+) R\s+(\d+)\s+\S+ shell \(this shell\)$", k.run("ps"), re.M)
    check(m, "no shell in ps")
    return int(m.group(1)), int(m.group(2))


def shadow(k, pid, what, kind):
    """(rows, pending count) of /proc/PID/@what, checking its header."""
    out = k.run("cat /proc/%d/%s" % (pid, what))
    m = re.search(SHADOW_HEAD % (pid, kind), out, re.M)
    check(m, "/proc/%d/%s: %r" % (pid, what, out))
    rows = (RETHOOK_ROW if what == "rethook" else GRAPH_ROW).findall(out)
    check(len(rows) == min(int(m.group(2)), 64), "/proc/%d/%s: %d rows for %s pending:\n%s"
          % (pid, what, len(rows), m.group(2), out))
    return rows, int(m.group(2))


def bt_lines(k, cmd):
    out = k.run(cmd)
    return [l.strip() for l in out.strip().splitlines()[1:]]


def t_shadow_stacks_of_the_shell(k):
    """The shell's own hooked returns: a kretprobe and an fprobe on cmd_cat
    hook the same call, and bt under a kretprobe on cmd_bt marks its frame."""
    fresh(k)
    pid, _ = shell_pid_cpu(k)
    check(k.run("ls /proc/%d" % pid).split() == ["-r-", "graph_stack", "-r-", "rethook"],
          "ls /proc/%d: %r" % (pid, k.run("ls /proc/%d" % pid)))
    rows, n = shadow(k, pid, "rethook", "rethook")
    check(n == 0 and not rows, "the shell has hooked returns before any probe: %r" % rows)
    add(k, "r:rcat cmd_cat")
    add(k, "f:fcat cmd_cat%return", "dynamic_events")
    add(k, "r:rbt cmd_bt")
    k.run("echo 1 > events/enable")
    bt = bt_lines(k, "bt")
    marked = [l for l in bt if l.endswith(" [rethook]")]
    check(len(marked) == 1 and bt[1] == marked[0] and "rethook" not in marked[0][:-10],
          "bt under a kretprobe on cmd_bt: %r" % bt)
    caller = marked[0].split()[0]           # cmd_bt's caller, as the shadow stack says
    rows, n = shadow(k, pid, "rethook", "rethook")
    check(n == 2, "two nodes for one call of cmd_cat: %r" % rows)
    check(sorted(r[0] for r in rows) == ["fprobe fcat", "kretprobe cmd_cat"], "owners: %r" % rows)
    check(rows[0][1] == "(same call as the next line)" and rows[1][1] == caller,
          "return addresses: %r, cmd_bt returns to %s" % (rows, caller))
    check(rows[0][2] == rows[1][2], "one call, two frames: %r" % rows)
    k.run("echo 0 > events/enable")
    check(not [l for l in bt_lines(k, "bt") if "[" in l], "bt marks a frame with no probe")
    check(shadow(k, pid, "rethook", "rethook")[1] == 0, "nodes left after the probes went off")
    k.run("echo > dynamic_events")


def t_shadow_stack_of_a_workload(k):
    """fib recursing under a kretprobe: /proc/PID/rethook lists a node per
    pending call, newest (deepest) first, and bt marks each hooked frame."""
    fresh(k)
    _, cpu = shell_pid_cpu(k)
    add(k, "r20:rfib fib")
    k.run("echo 1 > events/kprobes/enable")
    # On the shell's CPU: it waits whenever the shell runs, so it can be read.
    m = re.search(r"^\[\d+\] fib 40 on CPU%d$" % cpu, k.run("run -c %d fib 40 &" % cpu), re.M)
    check(m, "fib did not start on CPU%d" % cpu)
    wpid = int(re.search(r"^\s*(\d+) R\s+%d\s+\S+ fib$" % cpu, k.run("ps"), re.M).group(1))
    check("%d/" % wpid in k.run("ls /proc").split(), "no /proc/%d" % wpid)
    rows, n = shadow(k, wpid, "rethook", "rethook")
    check(1 <= n <= 20, "%d nodes pending (maxactive 20)" % n)
    check(all(r[0] == "kretprobe fib" for r in rows), "owners: %r" % rows)
    check(all(re.match(r"fib\+0x", r[1]) for r in rows[:-1]) and rows[-1][1].startswith("fib_body+"),
          "return addresses (only the outermost returns to fib_body): %r" % rows)
    frames = [int(r[2], 16) for r in rows]
    check(frames == sorted(frames) and len(set(frames)) == len(frames), "not newest first: %r" % rows)
    bt = bt_lines(k, "bt %d" % wpid)
    marked = [l for l in bt if l.endswith(" [rethook]")]
    check(marked and all(re.match(r"fib(_body)?\+0x", l) for l in marked),
          "bt %d marks: %r" % (wpid, bt))
    check(marked[-1].startswith("fib_body+") and not [l for l in bt if "arch_rethook_trampoline+0x0/" in l],
          "bt %d: %r" % (wpid, bt))
    # A task running on another CPU cannot be read: it is refused, as Linux refuses.
    cpus = re.findall(r"^\s*(\d+)\s+\d+ online", k.run("cpus"), re.M)
    other = [int(c) for c in cpus if int(c) != cpu]
    if other:
        out = k.run("run -c %d fib 40 &" % other[0])
        busy = int(re.search(r"^\s*(\d+) R\s+%d\s+\S+ fib$" % other[0], k.run("ps"), re.M).group(1))
        k.run("sleep 100")
        out = k.run("cat /proc/%d/rethook" % busy)
        check(re.search(r"^# pid %d \(fib\) is running on CPU %d: its shadow stack changes under any "
                        r"reader; try again while it waits$" % (busy, other[0]), out, re.M)
              and "Device or resource busy" in out, "a running task's rethook: %r" % out)
        k.run("kill %d" % busy)
    k.run("kill %d" % wpid)
    for _ in range(20):
        if "%d/" % wpid not in k.run("ls /proc").split():
            break
        k.run("sleep 100")
    check("%d/" % wpid not in k.run("ls /proc").split(), "/proc/%d stays after the task went" % wpid)
    check("No such file or directory" in k.run("cat /proc/%d/rethook" % wpid), "a dead task's file")
    k.run("echo 0 > events/enable")
    k.run("echo > dynamic_events")


def t_graph_stack_of_the_shell(k):
    """function_graph on cmd_cat and cmd_bt: the shell's return stack holds
    cmd_cat while it runs, and bt marks cmd_bt's frame [graph]."""
    fresh(k)
    pid, _ = shell_pid_cpu(k)
    k.run("echo 'cmd_cat cmd_bt' > set_ftrace_filter")
    k.run("echo function_graph > current_tracer")
    rows, n = shadow(k, pid, "graph_stack", "function_graph")
    bt = bt_lines(k, "bt")
    k.run("echo nop > current_tracer")
    k.run("echo > set_ftrace_filter")
    check(n == 1 and rows[0][0] == "0" and rows[0][1] == "cmd_cat", "graph_stack: %r" % rows)
    marked = [l for l in bt if l.endswith(" [graph]")]
    check(len(marked) == 1 and bt[1] == marked[0] and marked[0].split()[0] == rows[0][2],
          "bt under function_graph: %r (cmd_cat returns to %s)" % (bt, rows[0][2]))
    rows, n = shadow(k, pid, "graph_stack", "function_graph")
    check(n == 0, "graph_stack after nop: %r" % rows)


# ---- probes whose handlers call what they probe (trace/probe_guard.h) ----

def profile(k):
    return dict((m.group(1), (int(m.group(2)), int(m.group(3))))
                for m in re.finditer(r"^\s+(\w+)\s+(\d+)\s+(\d+)$", k.run("cat kprobe_profile"), re.M))


def add_or_blacklisted(k, cmd):
    """Add @cmd; False if its target is refused as blacklisted (a function on
    the recording path may be marked NOKPROBE: then the nesting cannot
    happen at all, which is fine too)."""
    out = k.run("echo '%s' >> kprobe_events" % cmd)
    if "error" in out:
        check("blacklist" in out.lower(), "%r refused: %r" % (cmd, out))
        return False
    return True


def t_kretprobe_whose_fetch_calls_its_function(k):
    """A :symstr fetch formats %pS, which looks the symbol up with
    kallsyms_lookup_addr - the probed function - twice per record (once to
    size the string, once to store it). Those nested calls are missed, not
    hooked: no recursion to a double fault (r4096), and with the default
    maxactive no instances eaten by nested calls. So a `dis` records one
    event per call it makes, and misses exactly two per event."""
    for maxactive in ("4096", ""):
        fresh(k)
        if not add_or_blacklisted(k, "r%s:a kallsyms_lookup_addr s=$retval:symstr" % maxactive):
            return
        k.run("echo 1 > events/kprobes/a/enable", timeout=20)
        k.run("dis fib 1", timeout=20)
        k.run("echo 0 > events/kprobes/a/enable", timeout=20)
        hits, missed = profile(k)["a"]
        check(hits > 0 and missed == 2 * hits,
              "r%s: %d hits, %d misses" % (maxactive, hits, missed))
        check(len(event_lines(k.run("cat trace"), "a")) == hits, "a: lines in the trace")
        k.run("echo > kprobe_events")
    check("fib" in k.run("dis fib 1"), "dis after the probe")


def t_kretprobe_on_the_trace_clock_does_not_hang(k):
    """The issue's `r:c clock_ns`: every event's reserve reads a clock, so a
    kretprobe there wrote an event inside an event, moving the ring
    buffer's tail under the outer writer, forever. The ring buffer reads
    trace_clock_ns(), which is refused like the rest of the recording
    path; clock_ns() itself stays probeable, and each of its calls is one
    event."""
    fresh(k)
    out = k.run("echo 'r:t trace_clock_ns' >> kprobe_events")
    check("blacklist" in out.lower(), "r:t trace_clock_ns accepted: %r" % out)
    add(k, "r:c clock_ns")
    k.run("echo 1 > events/kprobes/c/enable", timeout=20)
    k.run("sleep 20", timeout=20)
    k.run("echo 0 > events/kprobes/c/enable", timeout=20)
    hits, missed = profile(k)["c"]
    check(hits > 0, "c: no hits")
    check(len(event_lines(k.run("cat trace"), "c")) == hits, "c: %d hits, %d misses, lines differ" % (hits, missed))
    k.run("echo > kprobe_events")
    check(k.run("cat kprobe_events").strip() == "", "events left behind")


def t_function_tracer_over_a_kretprobe_on_the_clock_does_not_hang(k):
    """The function tracer's records are not probe handlers, so a probe
    inside one runs. With a kretprobe on clock_ns and the ring buffer
    reading it between its tail and its claim, every try of a function
    record wrote c's event first and retried: tens of thousands of c
    events and no fib line. Now the records read their own clock: the fib
    calls are all in the trace. (A writer nested on every try gives up
    after a bounded number: tests/host/test_ring_buffer.c.)"""
    fresh(k)
    add(k, "r:c clock_ns")
    k.run("echo 1 > events/kprobes/c/enable", timeout=20)
    k.run("echo fib > set_ftrace_filter", timeout=20)
    k.run("echo function > current_tracer", timeout=60)
    check("fib(5) = 5" in k.run("run fib 5", timeout=60), "run fib 5")
    # Stop recording, read, then switch the tracer off (which empties the buffer).
    k.run("echo 0 > tracing_on", timeout=60)
    lines = [l for l in k.run("cat trace", timeout=30).splitlines() if re.search(r": fib <-", l)]
    k.run("echo nop > current_tracer", timeout=60)
    k.run("echo 1 > tracing_on", timeout=20)
    k.run("echo > set_ftrace_filter", timeout=20)
    k.run("echo 0 > events/kprobes/c/enable", timeout=20)
    check(len(lines) == len(fib_args(5)), "%d fib lines in the trace, want %d" % (len(lines), len(fib_args(5))))
    k.run("echo > kprobe_events")
    check(k.run("cat kprobe_events").strip() == "", "events left behind")


def t_multi_probe_event(k):
    """Issue 17.2: a command naming an event that exists adds a probe
    point to it (Linux's append): one directory and id, each point listed
    on its own line, one enable switch for all, the trace line's place
    says which fired, `-:EVENT` removes every point. A point that does not
    fit is refused and the event keeps its points."""
    fresh(k)
    add(k, "p:multi fib n=$arg1:u32")
    add(k, "p:multi word_count n=$arg1:u32")
    add(k, "p:kprobes/multi fib n=$arg2:u32")       # same place, another fetch
    want = ["p:kprobes/multi fib n=$arg1:u32", "p:kprobes/multi word_count n=$arg1:u32",
            "p:kprobes/multi fib n=$arg2:u32"]
    check(k.run("cat kprobe_events").split("\n")[:3] == want, "listing: %r" % k.run("cat kprobe_events"))
    names = [l.split()[-1].rstrip("/") for l in k.run("ls events/kprobes").splitlines() if l.strip()]
    check(sorted(names) == ["enable", "filter", "multi"], "one directory: %r" % names)
    profile = [l.split() for l in k.run("cat kprobe_profile").splitlines()]
    check([p[0] for p in profile] == ["multi"] * 3, "profile: %r" % profile)
    for cmd, reason in (("r:multi fib", "Probe type is different from existing probe"),
                        ("p:multi fib x=$arg1:u32", "Argument type or name is different"),
                        ("p:multi fib n=$arg1", "Argument type or name is different"),
                        ("p:multi fib n=$arg1:u32", "There is already the exact same probe event"),
                        ("f:kprobes/multi fib", "Given group/event name is already used by another")):
        out = k.run("echo '%s' >> %s" % (cmd, "dynamic_events" if cmd[0] == "f" else "kprobe_events"))
        check("echo: write error:" in out and reason in out, "%r: %r" % (cmd, out))
    check(k.run("cat kprobe_events").split("\n")[:3] == want, "a refused point changed the event")
    k.run("echo 1 > events/kprobes/multi/enable")
    k.run("run fib 3")
    k.run("run words 2")
    k.run("echo 0 > events/kprobes/multi/enable")
    lines = event_lines(k.run("cat trace"), "multi")
    at_fib = [l for l in lines if "(fib+0x0/" in l]
    at_wc = [l for l in lines if "(word_count+0x0/" in l]
    check(len(at_fib) == 2 * len(fib_args(3)), "%d hits at fib: %r" % (len(at_fib), lines))
    check(len(at_wc) == 2, "%d hits at word_count: %r" % (len(at_wc), lines))
    out = k.run("echo '-:multi' >> kprobe_events")
    check("error" not in out and k.run("cat kprobe_events").strip() == "", "removing: %r" % out)
    check("kprobes" not in k.run("ls events"), "the directory stayed")


def field_lines(out):
    """The format file's field lines as (declaration, offset, size, signed)."""
    return [(m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4))) for m in
            re.finditer(r"^\tfield:([^;]+);\toffset:(\d+);\tsize:(\d+);\tsigned:(\d);$", out, re.M)]


COMMON_FIELDS = [("unsigned short common_type", 0, 2, 0), ("unsigned char common_flags", 2, 1, 0),
                 ("unsigned char common_preempt_count", 3, 1, 0), ("int common_pid", 4, 4, 1)]


def t_format_lays_out_fields_as_linux(k):
    """Linux 6.12's layout: the common fields in 8 bytes, __probe_ip, then the
    arguments from offset 16 (24 for return events), with Linux's field types;
    common_type is the event's id; r: lists back with its default maxactive."""
    fresh(k)
    add(k, "p:fmt fib n=$arg1:s32 c=+0(%si):char x=%di:x16 s=+0(%si):string a=+0(%sp):u32[2] y=%ax:symbol")
    out = k.run("cat events/kprobes/fmt/format")
    ev_id = int(k.run("cat events/kprobes/fmt/id").strip())
    check(out.startswith("name: fmt\nID: %d\nformat:\n" % ev_id), "header: %r" % out)
    want = COMMON_FIELDS + [("unsigned long __probe_ip", 8, 8, 0), ("s32 n", 16, 4, 1), ("u8 c", 20, 1, 0),
                            ("u16 x", 21, 2, 0), ("__data_loc char[] s", 23, 4, 1), ("u32 a[]", 27, 8, 0),
                            ("u64 y", 35, 8, 0)]
    got = field_lines(out)
    check([g[0] for g in got] == [w[0] for w in want], "fields: %r" % got)
    check(got[:5] == want[:5], "common fields and __probe_ip: %r" % got[:5])
    check(got[5][1] == 16, "arguments do not start at 16: %r" % got)
    check("\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n\tfield:unsigned long __probe_ip;" in out,
          "no blank line after the common fields: %r" % out)
    check('print fmt: "(%lx) n=%d c=\'%c\' x=0x%x s=\\"%s\\" a={%u,%u} y=%pS", REC->__probe_ip, REC->n, '
          'REC->c, REC->x, __get_str(s), REC->a[0], REC->a[1], REC->y' in out, "print fmt: %r" % out)
    add(k, "r:fmtret fib r=$retval:u32")
    out = k.run("cat events/kprobes/fmtret/format")
    want = COMMON_FIELDS + [("unsigned long __probe_func", 8, 8, 0), ("unsigned long __probe_ret_ip", 16, 8, 0),
                            ("u32 r", 24, 4, 0)]
    check(field_lines(out) == want, "return fields: %r" % field_lines(out))
    check('print fmt: "(%lx <- %lx) r=%u", REC->__probe_func, REC->__probe_ret_ip, REC->r' in out,
          "return print fmt: %r" % out)
    check(re.search(r"^r(\d+):kprobes/fmtret fib r=\$retval:u32$", k.run("cat kprobe_events"), re.M),
          "r: lists without its maxactive: %r" % k.run("cat kprobe_events"))
    add(k, "r7:fmtret7 fib")
    check(re.search(r"^r7:kprobes/fmtret7 fib$", k.run("cat kprobe_events"), re.M), "r7: listing")
    add(k, "f:fmtf fib n=$arg1:u32", "dynamic_events")
    check(field_lines(k.run("cat events/fprobes/fmtf/format"))[4:] == [("unsigned long __probe_ip", 8, 8, 0),
                                                                       ("u32 n", 16, 4, 0)], "f: fields")
    # The records have that layout: trace reads them back through it.
    k.run("echo 1 > events/kprobes/fmt/enable")
    k.run("run fib 3")
    k.run("echo 0 > events/kprobes/fmt/enable")
    lines = event_lines(k.run("cat trace"), "fmt")
    check(len(lines) == len(fib_args(3)) and all(" n=" in l and " y=" in l for l in lines), "trace: %r" % lines)


def t_argument_names_of_record_fields_refused(k):
    """An argument may not take the name of a field every record has (Linux's
    USED_ARG_NAME, caret under the argument)."""
    fresh(k)
    for name in ("__probe_ip", "common_pid", "common_type", "__probe_ret_ip", "__probe_func", "common_flags",
                 "common_preempt_count"):
        cmd = "p:used fib %s=%%di" % name
        out = k.run("echo '%s' >> kprobe_events" % cmd)
        check("echo: write error:" in out, "%r accepted: %r" % (cmd, out))
        log = k.run("cat error_log")
        check(re.search(r"trace_kprobe: error: This argument name is already used\n  Command: %s\n {%d}\^$"
                        % (re.escape(cmd), len("  Command: ") + cmd.index(name)), log, re.M),
              "%r: error_log %r" % (cmd, log))
        k.run("echo > error_log")
    check(k.run("cat kprobe_events").strip() == "", "an event was made")
    check("used" not in k.run("ls events"), "a directory was made")


def returns_kept(n, slots):
    """How many calls of fib(n) keep their return when the event has @slots
    return slots: a call takes one at entry if one is free, and gives it
    back at its return."""
    free, kept = [slots], [0]

    def call(m):
        got = free[0] > 0
        free[0] -= got
        if m >= 2:
            call(m - 1)
            call(m - 2)
        free[0] += got
        kept[0] += got
    call(n)
    return kept[0]


def t_kprobe_profile_counts_lost_returns_of_every_kind(k):
    """r2: and f2:...%return on fib, which recurses deeper than two: the
    calls that find both slots in use lose their return and count as misses;
    kprobe_profile lists the f: events too (Linux: kprobes only)."""
    fresh(k)
    add(k, "r2:rdry fib n=$arg1:u32")
    add(k, "f2:fdry fib%return n=$arg1:u32", "dynamic_events")
    add(k, "f:fent fib", "dynamic_events")
    add(k, "p:pent fib")
    listing = k.run("cat dynamic_events")
    check("r2:kprobes/rdry fib n=$arg1:u32" in listing and "f2:fprobes/fdry fib%return n=$arg1:u32" in listing,
          "listing: %r" % listing)
    check(profile_of(k) == {"rdry": (0, 0), "fdry": (0, 0), "fent": (0, 0), "pent": (0, 0)},
          "profile before: %r" % profile_of(k))
    k.run("echo 1 > events/enable")
    k.run("run fib 10")
    k.run("echo 0 > events/enable")
    calls, kept = len(fib_args(10)), returns_kept(10, 2)
    prof = profile_of(k)
    for ev in ("rdry", "fdry"):
        check(prof.get(ev) == (kept, calls - kept), "%s: %r, wanted (%d, %d)" % (ev, prof.get(ev), kept, calls - kept))
    for ev in ("fent", "pent"):
        check(prof.get(ev) == (calls, 0), "%s: %r, wanted (%d, 0)" % (ev, prof.get(ev), calls))
    out = k.run("cat trace")
    check(len(event_lines(out, "rdry")) == kept and len(event_lines(out, "fdry")) == kept,
          "%d/%d return lines, wanted %d" % (len(event_lines(out, "rdry")), len(event_lines(out, "fdry")), kept))
    lines = [l for l in k.run("cat kprobe_profile").splitlines() if l.strip()]
    check(all(re.match(r"^  \S+ +\d+ +\d+$", l) and len(l) == 2 + 44 + 1 + 15 + 1 + 15 for l in lines),
          "Linux's column layout: %r" % lines)


def profile_of(k):
    return dict((m.group(1), (int(m.group(2)), int(m.group(3))))
                for m in re.finditer(r"^\s+(\w+)\s+(\d+)\s+(\d+)$", k.run("cat kprobe_profile"), re.M))


def t_removing_some_points_of_a_multi_probe_event(k):
    """Linux's -:EVENT PLACE [FETCHES]: only the points that match go (the
    fetches as listed, in order); when the first point goes, the event -
    its directory, id and filter - stays with the others."""
    fresh(k)
    add(k, "p:mp fib n=$arg1:u32")
    add(k, "p:mp word_count n=$arg1:u32")
    add(k, "p:mp fib n=$arg2:u32")
    ev_id = k.run("cat events/kprobes/mp/id").strip()
    k.run("echo 'n != 12345' > events/kprobes/mp/filter")
    listing = k.run("cat kprobe_events").strip().splitlines()
    for bad in ("-:mp fib n=$arg1", "-:mp kfree", "-:mp fib+0", "-:mp fib n=$arg1:u32 x=%ax"):
        out = k.run("echo '%s' >> kprobe_events" % bad)
        check("No probe point of the event matches" in out and "No such file or directory" in out,
              "%r: %r" % (bad, out))
        check(k.run("cat kprobe_events").strip().splitlines() == listing, "%r changed the event" % bad)
    k.run("echo 1 > events/kprobes/mp/enable")
    out = k.run("echo '-:mp fib' >> kprobe_events")
    check("Device or resource busy" in out, "removed while enabled: %r" % out)
    k.run("echo 0 > events/kprobes/mp/enable")
    add(k, "-:mp fib n=$arg1:u32")          # the first point: the event stays
    check(k.run("cat kprobe_events").strip().splitlines() ==
          ["p:kprobes/mp word_count n=$arg1:u32", "p:kprobes/mp fib n=$arg2:u32"],
          "listing: %r" % k.run("cat kprobe_events"))
    check(k.run("cat events/kprobes/mp/id").strip() == ev_id, "the id changed")
    check(k.run("cat events/kprobes/mp/filter").strip() == "n != 12345", "the filter went")
    k.run("echo 1 > events/kprobes/mp/enable")
    k.run("run fib 3")
    k.run("run words 2")
    k.run("echo 0 > events/kprobes/mp/enable")
    lines = event_lines(k.run("cat trace"), "mp")
    check(len([l for l in lines if "(fib+0x0/" in l]) == len(fib_args(3)), "fib hits: %r" % lines)
    check(len([l for l in lines if "(word_count+0x0/" in l]) == 2, "word_count hits: %r" % lines)
    add(k, "-:kprobes/mp fib")
    check(k.run("cat kprobe_events").strip() == "p:kprobes/mp word_count n=$arg1:u32",
          "listing: %r" % k.run("cat kprobe_events"))
    add(k, "-:mp word_count n=$arg1:u32")   # the last point: the event goes
    check(k.run("cat kprobe_events").strip() == "", "left: %r" % k.run("cat kprobe_events"))
    check("kprobes" not in k.run("ls events"), "the directory stayed")


def t_string_arrays(k):
    """Linux's string[N]: N pointers in memory, each a string; format
    says __data_loc char[][N], the trace line {"a","b"}."""
    fresh(k)
    add(k, "p:sarr fib names=@trigger_names:string[3] one=@trigger_names+8:string[1]")
    check(k.run("cat kprobe_events").strip() ==
          "p:kprobes/sarr fib names=@trigger_names:string[3] one=@trigger_names+8:string[1]",
          "listing: %r" % k.run("cat kprobe_events"))
    out = k.run("cat events/kprobes/sarr/format")
    check("\tfield:__data_loc char[][3] names;\toffset:16;\tsize:12;\tsigned:1;\n"
          "\tfield:__data_loc char[][1] one;\toffset:28;\tsize:4;\tsigned:1;" in out, "fields: %r" % out)
    check('print fmt: "(%lx) names={\\"%s\\",\\"%s\\",\\"%s\\"} one={\\"%s\\"}", REC->__probe_ip, '
          '__get_str(names[0]), __get_str(names[1]), __get_str(names[2]), __get_str(one[0])' in out,
          "print fmt: %r" % out)
    k.run("echo 1 > events/kprobes/sarr/enable")
    k.run("run fib 1")
    k.run("echo 0 > events/kprobes/sarr/enable")
    lines = event_lines(k.run("cat trace"), "sarr")
    check(len(lines) == 1 and lines[0].endswith(
        ' names={"traceon","traceoff","stacktrace"} one={"traceoff"}'), "trace: %r" % lines)
    out = k.run("echo 'names ~ \"t*\"' > events/kprobes/sarr/filter")
    check("echo: write error:" in out, "a filter on a string array was taken: %r" % out)


def t_fprobe_glob_probes_every_match(k):
    """Linux 6.12 takes a glob for an f: probe's function: one event on
    every traceable function it matches, each trace line naming which
    fired; a glob that matches nothing is refused."""
    fresh(k)
    add(k, "f:globf fib* n=$arg1:u32", "dynamic_events")
    check(k.run("cat dynamic_events").strip() == "f:fprobes/globf fib* n=$arg1:u32",
          "listing: %r" % k.run("cat dynamic_events"))
    out = k.run("echo 'f:globf fib* n=$arg1:u32' >> dynamic_events")
    check("There is already the exact same probe event" in out, "same glob twice: %r" % out)
    out = k.run("echo 'f:none zzz_no_such_fn*' >> dynamic_events")
    check("echo: write error:" in out and "Unknown or untraceable function" in out, "no match: %r" % out)
    check("none" not in k.run("ls events/fprobes"), "an event was made for no match")
    k.run("echo 1 > events/fprobes/globf/enable")
    k.run("run fib 3")
    k.run("echo 0 > events/fprobes/globf/enable")
    lines = event_lines(k.run("cat trace"), "globf")
    where = [re.search(r": \((\w+)\+0x0/0x[0-9a-f]+\) n=\d+$", l) for l in lines]
    check(all(where), "trace lines: %r" % lines)
    funcs = set(m.group(1) for m in where)
    check(all(f.startswith("fib") for f in funcs) and len(funcs) >= 2, "functions hit: %r" % funcs)
    at_fib = [int(l.rsplit("n=", 1)[1]) for l, m in zip(lines, where) if m.group(1) == "fib"]
    check(at_fib == fib_args(3), "n at fib: %r, wanted %r" % (at_fib, fib_args(3)))
    k.run("echo '-:globf' >> dynamic_events")


SCENARIOS = [
    t_fprobe_glob_probes_every_match, t_string_arrays, t_removing_some_points_of_a_multi_probe_event,
    t_kprobe_event_shows_n_for_every_call, t_kretprobe_event_shows_retval,
    t_percent_return_is_a_kretprobe, t_mid_function_register_fetch,
    t_string_dereference_and_fault, t_fetch_variety, t_bad_commands_in_error_log_with_caret,
    t_removing_an_enabled_event_fails, t_kprobe_profile_matches_trace,
    t_trace_pipe_streams_probe_events, t_tab_completion,
    t_fprobe_exit_event_sees_entry_argument, t_refused_write_changes_nothing,
    t_reserved_names_ambiguous_symbols_and_wrapping_offsets,
    t_kretprobe_whose_fetch_calls_its_function, t_kretprobe_on_the_trace_clock_does_not_hang,
    t_function_tracer_over_a_kretprobe_on_the_clock_does_not_hang, t_multi_probe_event,
    t_shadow_stacks_of_the_shell, t_shadow_stack_of_a_workload, t_graph_stack_of_the_shell,
    t_format_lays_out_fields_as_linux, t_argument_names_of_record_fields_refused,
    t_kprobe_profile_counts_lost_returns_of_every_kind,
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iso", required=True)
    ap.add_argument("--accel", default="tcg")
    ap.add_argument("--only", help="run only the scenarios whose name contains this")
    args = ap.parse_args()
    r = Runner()
    with Loupe(args.iso, args.accel, name="probe_events") as k:
        for fn in SCENARIOS:
            if not args.only or args.only in fn.__name__:
                r.run(fn.__name__[2:], fn, k)
    r.finish()


if __name__ == "__main__":
    main()
