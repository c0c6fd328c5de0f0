#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Event filters and triggers on probe events, typed as on Linux:
events/GROUP/EVENT/filter and events/GROUP/filter (Linux's filter language,
`0` clears, a bad filter refused with error_log's "event filter parse error"
entry and caret), events/GROUP/EVENT/trigger (traceon, traceoff, stacktrace,
enable_event, disable_event, :COUNT, `if FILTER`, `!` removes), with real
probes on fib and word_count. Includes the commands of Linux's ftracetest
trigger-filter.tc, trigger-traceonoff.tc, trigger-stacktrace.tc and
trigger-eventonoff.tc, on a kprobe event in place of sched_process_fork.
"""
import argparse
import re
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from loupe import Loupe, Runner, check  # noqa: E402

T = "/sys/kernel/tracing"
EVENT_LINE = r"^\s*\S+-\d+\s+\[\d{3}\] \S{5} +\d+\.\d{6}: "
CARET_BASE = len("  Command: ")


def fib_args(n):
    """The argument of every call fib(n) makes, in call order."""
    out = [n]
    if n >= 2:
        out += fib_args(n - 1) + fib_args(n - 2)
    return out


def event_lines(out, event):
    return [l for l in out.splitlines() if re.search(EVENT_LINE + re.escape(event) + ": ", l)]


def ns(out, event):
    return [int(re.search(r" n=(-?\d+)", l).group(1)) for l in event_lines(out, event)]


def fresh(k):
    """No events, no triggers, an empty buffer and log, recording on."""
    k.run("cd " + T)
    for d in set(re.findall(r"^\S+:(\S+/\S+) ", k.run("cat dynamic_events"), re.M)):
        for t in k.run("cat events/%s/trigger" % d).splitlines():
            if t and not t.startswith("#"):
                k.run("echo '!%s' > events/%s/trigger" % (t.split(" ")[0].rsplit(":", 1)[0], d))
    k.run("echo 0 > events/enable")
    k.run("echo > dynamic_events")
    k.run("echo > trace")
    k.run("echo > error_log")
    k.run("echo 1 > tracing_on")


def ok(k, cmd):
    out = k.run(cmd)
    check("error" not in out, "%r refused: %r" % (cmd, out))


def refused(k, cmd, errno="Invalid argument"):
    out = k.run(cmd)
    check("echo: write error: " + errno in out, "%r accepted: %r" % (cmd, out))
    return out


def last_error(k):
    """(location, message, command, caret column) of error_log's last entry."""
    m = re.findall(r"^\[\s*\d+\.\d{6}\] (.+?): error: (.*)\n  Command: (.*)\n( *)\^$", k.run("cat error_log"), re.M)
    check(m, "error_log is empty")
    loc, msg, cmd, pad = m[-1]
    return loc, msg, cmd, len(pad) - CARET_BASE


def written(k):
    """entries-written of the trace header: records that took buffer room."""
    return int(re.search(r"entries-written: \d+/(\d+)", k.run("cat trace")).group(1))


def t_filter_keeps_only_matching_records(k):
    """A filter over an argument with || and <; filtered-out hits take no
    room in the buffer, yet count as hits; `0` clears it."""
    fresh(k)
    ok(k, "echo 'p:ff fib n=$arg1:s32' >> kprobe_events")
    check(k.run("cat events/kprobes/ff/filter").strip() == "none", "a new event has a filter")
    ok(k, "echo 'n == 3 || n < 1' > events/kprobes/ff/filter")
    check(k.run("cat events/kprobes/ff/filter").strip() == "n == 3 || n < 1", "cat filter")
    ok(k, "echo 1 > events/kprobes/ff/enable")
    k.run("run fib 7")
    want = [n for n in fib_args(7) if n == 3 or n < 1]
    check(ns(k.run("cat trace"), "ff") == want, "filtered: %r, wanted %r" % (ns(k.run("cat trace"), "ff"), want))
    check(written(k) == len(want), "%d records written for %d kept" % (written(k), len(want)))
    prof = re.search(r"^\s+ff\s+(\d+)\s+(\d+)$", k.run("cat kprobe_profile"), re.M)
    check(prof and int(prof.group(1)) == len(fib_args(7)), "hits: %r" % k.run("cat kprobe_profile"))
    ok(k, "echo 0 > events/kprobes/ff/filter")
    check(k.run("cat events/kprobes/ff/filter").strip() == "none", "0 did not clear")
    k.run("echo > trace")
    k.run("run fib 4")
    check(ns(k.run("cat trace"), "ff") == fib_args(4), "after clearing: %r" % ns(k.run("cat trace"), "ff"))
    k.run("echo 0 > events/kprobes/ff/enable")


def t_filter_operators_strings_and_common_fields(k):
    """&, !, parentheses, hex, common_pid, strings with == and ~, comm and
    a return event's $retval."""
    fresh(k)
    ok(k, "echo 'p:fw word_count text=+0(%di):string' >> kprobe_events")
    ok(k, "echo 'r:fr fib n=$arg1:u32 r=$retval:u64' >> kprobe_events")
    cases = [
        ("fw", 'text ~ "the*"', "words 6", lambda l: '"the' in l, 4),
        ("fw", 'text == "jumps over"', "words 6", lambda l: '"jumps over"' in l, 2),
        ("fw", 'text != "jumps over" && !(text ~ "*dog")', "words 6", lambda l: "quick" in l, 2),
        ("fw", 'comm == "words" && common_pid > 0', "words 3", lambda l: True, 3),
        ("fw", 'comm ~ "nomatch*"', "words 3", lambda l: True, 0),
        ("fr", "r & 0x1 && (n == 0x3 || n == 5)", "fib 5", lambda l: re.search(r"n=5 r=5$", l), 1),
    ]
    for ev, flt, run, pred, count in cases:
        k.run("echo > trace")
        ok(k, "echo '%s' > events/kprobes/%s/filter" % (flt, ev))
        ok(k, "echo 1 > events/kprobes/%s/enable" % ev)
        k.run("run " + run)
        k.run("echo 0 > events/kprobes/%s/enable" % ev)
        lines = event_lines(k.run("cat trace"), ev)
        check(len(lines) == count and all(pred(l) for l in lines), "%s %r: %r" % (ev, flt, lines))
        ok(k, "echo 0 > events/kprobes/%s/filter" % ev)


BAD_FILTERS = [
    # Linux's trigger-filter.tc's, and one of each error class.
    ("a", "Field not found", 2),
    ("common_pid=0", "Invalid operator", 11),
    ("common_pid==b", "Invalid value (did you forget quotes)?", 13),
    ("common_pid == child_pid", "Invalid value (did you forget quotes)?", 15),
    ('n == "x"', "Expecting numeric field", 6),
    ("n ~ 1", "Illegal operation for field type", 5),
    ("n == 12q", "Illegal integer value", 6),
    ("(n == 1", "Too many '('", 0),
    ("n == 1)", "Too few '('", 6),
    ('comm == "abc', "Missing matching quote", 8),
    ("n == 1 n == 2", "Too many terms in predicate expression", 7),
    ("n == 1 &&", "Meaningless filter expression", 9),
    ("!!!", "No filter found", 3),
]


def t_bad_filters_refused_with_error_log_and_caret(k):
    """Each refused (EINVAL) with Linux's message and caret in error_log,
    and printed on the console; the filter in place stays."""
    fresh(k)
    ok(k, "echo 'p:fb fib n=$arg1:s32' >> kprobe_events")
    ok(k, "echo 'n > 2' > events/kprobes/fb/filter")
    for flt, msg, caret in BAD_FILTERS:
        out = refused(k, "echo '%s' > events/kprobes/fb/filter" % flt)
        check("event filter parse error: error: " + msg in out, "%r: console %r" % (flt, out))
        got = last_error(k)
        check(got == ("event filter parse error", msg, flt, caret), "%r: error_log %r" % (flt, got))
        check(k.run("cat events/kprobes/fb/filter").strip() == "n > 2", "%r replaced the filter" % flt)


def t_group_filter_sets_every_event_that_has_the_fields(k):
    fresh(k)
    ok(k, "echo 'p:ga fib n=$arg1:s32' >> kprobe_events")
    ok(k, "echo 'p:gb fib n=$arg1:s32 m=$arg1:u8' >> kprobe_events")
    ok(k, "echo 'p:gc fib' >> kprobe_events")
    out = k.run("cat events/kprobes/filter")
    check(out.startswith("### global filter ###"), "group filter file: %r" % out)
    ok(k, "echo 'n == 2' > events/kprobes/filter")
    got = [k.run("cat events/kprobes/%s/filter" % e).strip() for e in ("ga", "gb", "gc")]
    check(got == ["n == 2", "n == 2", "none"], "per event: %r" % got)
    ok(k, "echo 1 > events/kprobes/enable")
    k.run("run fib 5")
    k.run("echo 0 > events/kprobes/enable")
    out = k.run("cat trace")
    twos = [n for n in fib_args(5) if n == 2]
    check(ns(out, "ga") == twos and ns(out, "gb") == twos and len(event_lines(out, "gc")) == 15,
          "group filter: %r" % out)
    refused(k, "echo 'nosuch == 1' > events/kprobes/filter")
    check(last_error(k)[:2] == ("event filter parse error", "Field not found"), "%r" % (last_error(k),))
    check(k.run("cat events/kprobes/ga/filter").strip() == "n == 2", "a refused group filter changed one")
    ok(k, "echo 0 > events/kprobes/filter")
    got = [k.run("cat events/kprobes/%s/filter" % e).strip() for e in ("ga", "gb", "gc")]
    check(got == ["none"] * 3, "0 on the group: %r" % got)


def t_traceoff_and_traceon_triggers(k):
    """ftracetest's trigger-traceonoff.tc and trigger-filter.tc, and COUNT."""
    fresh(k)
    ok(k, "echo 'p:tt fib n=$arg1:s32' >> kprobe_events")
    out = k.run("cat events/kprobes/tt/trigger")
    check(out.strip() == "# Available triggers:\n# traceon traceoff stacktrace enable_event disable_event",
          "empty trigger file: %r" % out)
    ok(k, "echo 'traceoff' > events/kprobes/tt/trigger")
    check(k.run("cat events/kprobes/tt/trigger").strip() == "traceoff:unlimited", "listing")
    check(k.run("cat events/kprobes/tt/enable").strip() == "0*", "soft mode not shown")
    k.run("run fib 2")
    check(k.run("cat tracing_on").strip() == "0", "traceoff did not fire on a disabled event")
    ok(k, "echo '!traceoff' > events/kprobes/tt/trigger")
    check(k.run("cat events/kprobes/tt/enable").strip() == "0", "still armed after removal")
    ok(k, "echo 'traceon' > events/kprobes/tt/trigger")
    k.run("run fib 2")
    check(k.run("cat tracing_on").strip() == "1", "traceon did not fire")
    refused(k, "echo 'traceon' > events/kprobes/tt/trigger", "File exists")
    refused(k, "echo 'traceoff' > events/kprobes/tt/trigger", "File exists")
    refused(k, "echo 'traceoff:badparam' > events/kprobes/tt/trigger")
    refused(k, "echo 'traceoff+0' > events/kprobes/tt/trigger")
    # Linux lists an event's triggers newest first.
    ok(k, "echo 'stacktrace:3' >> events/kprobes/tt/trigger")
    check(k.run("cat events/kprobes/tt/trigger").strip().splitlines() == ["stacktrace:count=3", "traceon:unlimited"],
          "not newest first: %r" % k.run("cat events/kprobes/tt/trigger"))
    ok(k, "echo '!stacktrace' > events/kprobes/tt/trigger")
    ok(k, "echo '!traceon' > events/kprobes/tt/trigger")
    # COUNT and if: trace stops at the first n == 2 and only once.
    ok(k, "echo 'traceoff:1 if n == 2' > events/kprobes/tt/trigger")
    check(k.run("cat events/kprobes/tt/trigger").strip() == "traceoff:count=1 if n == 2", "listing with if")
    ok(k, "echo 1 > events/kprobes/tt/enable")
    k.run("run fib 5")
    check(k.run("cat tracing_on").strip() == "0", "traceoff if n == 2 did not fire")
    got = ns(k.run("cat trace"), "tt")
    check(got == [5, 4, 3, 2], "records up to the trigger: %r" % got)
    check(k.run("cat events/kprobes/tt/trigger").strip() == "traceoff:count=0 if n == 2", "count not used")
    ok(k, "echo 1 > tracing_on")
    k.run("run fib 3")
    check(k.run("cat tracing_on").strip() == "1", "a spent trigger fired")
    k.run("echo 0 > events/kprobes/tt/enable")
    ok(k, "echo '!traceoff' > events/kprobes/tt/trigger")
    # trigger-filter.tc's semantic errors, each logged with its caret.
    for bad, msg, caret in (("a", "Field not found", 2), ("common_pid=0", "Invalid operator", 11),
                            ("common_pid==b", "Invalid value (did you forget quotes)?", 13),
                            ("common_pid == child_pid", "Invalid value (did you forget quotes)?", 15)):
        refused(k, "echo 'traceon if %s' > events/kprobes/tt/trigger" % bad)
        check(last_error(k) == ("event filter parse error", msg, bad, caret), "%r: %r" % (bad, last_error(k)))
    for good in ("common_pid == 0", "common_pid <= 0", "common_pid >= 0", "n >= 0 && common_pid >= 0",
                 "n >= 0 || common_pid >= 0"):
        ok(k, "echo 'traceon if %s' > events/kprobes/tt/trigger" % good)
        ok(k, "echo '!traceon' > events/kprobes/tt/trigger")
    check(k.run("cat events/kprobes/tt/trigger").startswith("# Available triggers:"), "triggers left")


def t_stacktrace_trigger(k):
    """ftracetest's trigger-stacktrace.tc: <stack trace> with the callers."""
    fresh(k)
    ok(k, "echo 'p:st fib n=$arg1:s32' >> kprobe_events")
    ok(k, "echo 'stacktrace:2 if n == 1' > events/kprobes/st/trigger")
    ok(k, "echo 1 > events/kprobes/st/enable")
    k.run("run fib 4")
    k.run("echo 0 > events/kprobes/st/enable")
    out = k.run("cat trace")
    stacks = re.findall(r"<stack trace>\n((?: => \S+\n?)+)", out)
    check(len(stacks) == 2, "%d stack traces: %r" % (len(stacks), out))
    for s in stacks:
        frames = re.findall(r" => (\S+)", s)
        check(frames[:3] == ["fib", "fib", "fib"] and "fib_body" in frames, "frames: %r" % frames)
    check(k.run("cat events/kprobes/st/trigger").strip() == "stacktrace:count=0 if n == 1", "count")
    refused(k, "echo 'stacktrace:foo' > events/kprobes/st/trigger")
    refused(k, "echo 'stacktrace' > events/kprobes/st/trigger", "File exists")
    ok(k, "echo '!stacktrace:junk if whatever' > events/kprobes/st/trigger")	# Linux ignores the rest
    check(k.run("cat events/kprobes/st/trigger").startswith("# Available triggers:"), "not removed")
    # At a return (r:) and at an fprobe's entry (f:): fib(1) under fib(2) under fib(3).
    ok(k, "echo 'r:sr fib n=$arg1:u32' >> kprobe_events")
    ok(k, "echo 'f:sf fib n=$arg1:u32' >> dynamic_events")
    for ev in ("kprobes/sr", "fprobes/sf"):
        ok(k, "echo 'stacktrace:1 if n == 1' > events/%s/trigger" % ev)
    k.run("echo > trace")
    ok(k, "echo 1 > events/kprobes/sr/enable")
    ok(k, "echo 1 > events/fprobes/sf/enable")
    k.run("run fib 3")
    k.run("echo 0 > events/enable")
    stacks = [re.findall(r" => (\S+)", s) for s in re.findall(r"<stack trace>\n((?: => \S+\n?)+)", k.run("cat trace"))]
    check(len(stacks) == 2 and all(f[:2] == ["fib", "fib"] and "fib_body" in f for f in stacks),
          "r: and f: stacks: %r" % stacks)
    for ev in ("kprobes/sr", "fprobes/sf"):
        ok(k, "echo '!stacktrace' > events/%s/trigger" % ev)


def t_enable_and_disable_event_triggers(k):
    """ftracetest's trigger-eventonoff.tc: the target shows 0* until the
    trigger enables it (1*), and records from then on."""
    fresh(k)
    ok(k, "echo 'p:src fib n=$arg1:s32' >> kprobe_events")
    ok(k, "echo 'p:dst word_count' >> kprobe_events")
    ok(k, "echo 'enable_event:kprobes:dst:1 if n == 0' > events/kprobes/src/trigger")
    check(k.run("cat events/kprobes/src/trigger").strip() == "enable_event:kprobes:dst:count=1 if n == 0",
          "listing: %r" % k.run("cat events/kprobes/src/trigger"))
    check(k.run("cat events/kprobes/dst/enable").strip() == "0*", "target not in soft mode")
    k.run("run words 2")
    check(not event_lines(k.run("cat trace"), "dst"), "target recorded before the trigger")
    ok(k, "echo 1 > events/kprobes/src/enable")
    k.run("run fib 2")
    check(k.run("cat events/kprobes/dst/enable").strip() == "1*", "enable_event did not fire")
    k.run("run words 3")
    check(len(event_lines(k.run("cat trace"), "dst")) == 3, "target does not record")
    refused(k, "echo '-:dst' >> kprobe_events", "Device or resource busy")
    refused(k, "echo 'enable_event:kprobes:dst' > events/kprobes/src/trigger", "File exists")
    refused(k, "echo 'disable_event:kprobes:dst' > events/kprobes/src/trigger", "File exists")
    refused(k, "echo 'enable_event:nogroup:noevent' > events/kprobes/src/trigger")
    check(last_error(k) == ("event trigger", "No such event", "enable_event:nogroup:noevent", 13),
          "%r" % (last_error(k),))
    refused(k, "echo 'disable_event+1' > events/kprobes/src/trigger")
    ok(k, "echo '!enable_event:kprobes:dst' > events/kprobes/src/trigger")
    check(k.run("cat events/kprobes/dst/enable").strip() == "1", "after removal: %r"
          % k.run("cat events/kprobes/dst/enable"))
    ok(k, "echo 'disable_event:kprobes:dst' > events/kprobes/src/trigger")
    k.run("run fib 1")
    check(k.run("cat events/kprobes/dst/enable").strip() == "0*", "disable_event did not fire")
    k.run("echo > trace")
    k.run("run words 2")
    check(not event_lines(k.run("cat trace"), "dst"), "target records after disable_event")
    ok(k, "echo '!disable_event:kprobes:dst' > events/kprobes/src/trigger")
    k.run("echo 0 > events/kprobes/src/enable")
    ok(k, "echo '-:dst' >> kprobe_events")


def t_bad_trigger_commands_logged(k):
    fresh(k)
    ok(k, "echo 'p:bt fib n=$arg1:s32' >> kprobe_events")
    for cmd, msg, caret in (("foo", "Unknown trigger command", 0), ("traceoff+0", "Unknown trigger command", 0),
                            ("stacktrace:x", "Invalid count", 11), ("traceon junk", "Expected [:COUNT] [if FILTER]", 8),
                            ("enable_event", "Give the event: GROUP:EVENT", 12)):
        out = refused(k, "echo '%s' > events/kprobes/bt/trigger" % cmd)
        check("event trigger: error: " + msg in out, "%r: console %r" % (cmd, out))
        check(last_error(k) == ("event trigger", msg, cmd, caret), "%r: %r" % (cmd, last_error(k)))
    check(k.run("cat events/kprobes/bt/trigger").startswith("# Available triggers:"), "a bad command added one")
    check(k.run("cat events/kprobes/bt/enable").strip() == "0", "a bad command armed the event")


MEM_RE = re.compile(r"kmalloc: (\d+) objects outstanding \((\d+) large\), (\d+) bytes requested")


def filter_and_trigger_cycle(k):
    """Events with filters and triggers of every kind, refused writes, then
    all of it removed again."""
    ok(k, "echo 'p:ma fib n=$arg1:s32' >> kprobe_events")
    ok(k, "echo 'p:mb word_count text=+0(%di):string' >> kprobe_events")
    ok(k, "echo 'n < 3' > events/kprobes/ma/filter")
    ok(k, "echo 'n > 1' > events/kprobes/ma/filter")               # replaces
    ok(k, "echo 'text ~ \"the*\"' > events/kprobes/filter")        # fits mb only
    refused(k, "echo 'n = 1' > events/kprobes/ma/filter")
    refused(k, "echo 'nosuch == 1' > events/kprobes/filter")
    ok(k, "echo 'traceon:3 if n == 2' > events/kprobes/ma/trigger")
    ok(k, "echo 'stacktrace if n == 1' > events/kprobes/ma/trigger")
    ok(k, "echo 'enable_event:kprobes:mb:2 if n == 0' > events/kprobes/ma/trigger")
    refused(k, "echo 'traceoff if n = 1' > events/kprobes/ma/trigger")
    refused(k, "echo 'traceoff' > events/kprobes/ma/trigger", "File exists")
    refused(k, "echo 'enable_event:kprobes:nosuch' > events/kprobes/ma/trigger")
    ok(k, "echo 1 > events/kprobes/ma/enable")
    k.run("run fib 4")
    k.run("run words 3")
    k.run("echo 0 > events/enable")
    for t in ("traceon", "stacktrace", "enable_event:kprobes:mb"):
        ok(k, "echo '!%s' > events/kprobes/ma/trigger" % t)
    ok(k, "echo > kprobe_events")
    k.run("echo > trace")
    k.run("echo > error_log")


def t_filters_and_triggers_give_back_their_memory(k):
    """kmalloc's counts after a second cycle are those after the first."""
    fresh(k)
    filter_and_trigger_cycle(k)
    before = MEM_RE.search(k.run("mem")).groups()
    filter_and_trigger_cycle(k)
    after = MEM_RE.search(k.run("mem")).groups()
    check(before == after, "kmalloc before %r, after %r" % (before, after))


SCENARIOS = [
    t_filter_keeps_only_matching_records, t_filter_operators_strings_and_common_fields,
    t_bad_filters_refused_with_error_log_and_caret, t_group_filter_sets_every_event_that_has_the_fields,
    t_traceoff_and_traceon_triggers, t_stacktrace_trigger, t_enable_and_disable_event_triggers,
    t_bad_trigger_commands_logged, t_filters_and_triggers_give_back_their_memory,
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iso", required=True)
    ap.add_argument("--accel", default="tcg")
    ap.add_argument("--only", help="run only the scenarios whose name contains this")
    args = ap.parse_args()
    r = Runner()
    with Loupe(args.iso, args.accel, name="event_filters") as k:
        for fn in SCENARIOS:
            if not args.only or args.only in fn.__name__:
                r.run(fn.__name__[2:], fn, k)
    r.finish()


if __name__ == "__main__":
    main()
