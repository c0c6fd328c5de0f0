#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""What a side-by-side with Linux 6.12 found different in the tracefs files
of issue 18 (scripts/linux-side-by-side.py with tests/side_by_side_tracefs.cmds
types the same commands at both), each checked here as Linux prints it:

  - a switch of current_tracer empties the buffer (tracing_set_tracer());
  - function_graph under latency-format: Linux's block, legend and
    context-flags column, `...1.` on entries and `.....` on returns;
  - function_graph shows a marker or an event as a comment in the graph;
  - pid 0 is <idle> in every trace line;
  - the context-info and markers options;
  - function commands with and without a count are two commands;
  - touched_functions, available_filter_functions_addrs,
    dyn_ftrace_total_info, and enabled_functions of a site with two ops;
  - reading free_buffer is an error.
"""
import re
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from loupe import Loupe, Runner, check, scenario_args, selected  # noqa: E402

T = "/sys/kernel/tracing"
SMP = 2
EINVAL = "echo: write error: Invalid argument"
ENODEV = "echo: write error: No such device"
HEADER_ONLY = "# tracer: %s\n#\n"


def lines_of(out, pattern):
    return [l for l in out.splitlines() if re.search(pattern, l)]


def reset(k):
    k.run("cd " + T)
    for cmd in ("echo nop > current_tracer", "echo > set_ftrace_filter", "echo 1 > tracing_on",
                "echo 0 > options/latency-format", "echo 1 > options/context-info",
                "echo 1 > options/markers", "echo 1 > options/funcgraph-cpu",
                "echo 0 > options/funcgraph-proc", "echo > kprobe_events", "echo > trace"):
        out = k.run(cmd)
        check("error" not in out, "%r: %r" % (cmd, out))


def fib_records(out):
    return lines_of(out, r": fib <-")


def t_tracer_switch_empties_the_buffer(k):
    reset(k)
    k.run("echo fib > set_ftrace_filter")
    k.run("echo function > current_tracer")
    k.run("run fib 3")
    check(len(fib_records(k.run("cat trace"))) == 5, "fib 3 is 5 calls")
    # The same tracer again is no switch: the records stay.
    k.run("echo function > current_tracer")
    check(len(fib_records(k.run("cat trace"))) == 5, "naming the current tracer emptied the buffer")
    k.run("echo nop > current_tracer")
    out = k.run("cat trace")
    check("# entries-in-buffer/entries-written: 0/0   #P:" in out and not fib_records(out),
          "nop kept the function tracer's records:\n%s" % out)
    k.run("echo under nop > trace_marker")
    k.run("echo function_graph > current_tracer")
    check(not lines_of(k.run("cat trace"), "under nop"), "function_graph kept nop's marker")
    # A bad name switches nothing and empties nothing.
    k.run("echo kept > trace_marker")
    check(EINVAL in k.run("echo nosuch > current_tracer"), "unknown tracer taken")
    check(k.run("cat current_tracer").strip() == "function_graph", "the tracer changed")
    check(lines_of(k.run("cat trace"), "kept"), "a refused switch emptied the buffer")
    reset(k)


GRAPH_LAT_HEAD = ["#      _-----=> irqs-off        ",
                  "#     / _----=> need-resched    ",
                  "#    | / _---=> hardirq/softirq ",
                  "#    || / _--=> preempt-depth   ",
                  "#    ||| /                      ",
                  "# CPU||||     DURATION                  FUNCTION CALLS",
                  "# |  ||||      |   |                     |   |   |   |"]


def t_graph_latency_format(k):
    reset(k)
    k.run("echo fib > set_ftrace_filter")
    k.run("echo function_graph > current_tracer")
    k.run("echo 1 > options/latency-format")
    check(k.run("cat trace") == HEADER_ONLY % "function_graph", "an empty buffer prints more than "
          "the tracer's name: %r" % k.run("cat trace"))
    k.run("run -c 1 fib 3")
    out = k.run("cat trace")
    lines = out.splitlines()
    check(lines[2] == "# function_graph latency trace v1.1.5 on loupe" and
          re.match(r"^# latency: 0 us, #10/10, CPU#0 \| \(M:preempt VP:0, KP:0, SP:0 HP:0 #P:2\)$", lines[4]),
          "latency block:\n%s" % out)
    i = lines.index(GRAPH_LAT_HEAD[0]) if GRAPH_LAT_HEAD[0] in lines else -1
    check(i > 0 and lines[i:i + len(GRAPH_LAT_HEAD)] == GRAPH_LAT_HEAD, "legend and heads:\n%s" % out)
    body = lines[i + len(GRAPH_LAT_HEAD):]
    # Entries show the callback's preempt depth, returns none (Linux's).
    check(len(body) == 7 and all(re.match(r"^ 1\)  \.\.\.1\. \| .*fib\(\)( \{|;)$", l) for l in body
                                 if "fib()" in l) and
          all(re.match(r"^ 1\)  \.\.\.\.\. \| .*\}$", l) for l in body if l.endswith("}")),
          "graph lines with flags:\n%s" % "\n".join(body))
    # Each column the options add shifts the legend.
    k.run("echo 1 > options/funcgraph-proc")
    out = k.run("cat trace")
    check("#" + " " * 21 + "  _-----=> irqs-off        " in out.splitlines(), "proc shift:\n%s" % out)
    check(re.search(r"^ 1\)     fib-\d+ +\|  \.\.\.1\. \|", out, re.M), "proc then flags:\n%s" % out)
    reset(k)


def t_graph_prints_other_records_as_comments(k):
    reset(k)
    k.run("echo fib > set_ftrace_filter")
    k.run("echo function_graph > current_tracer")
    k.run("echo 'p:gfib fib_body' > kprobe_events")
    k.run("echo 1 > events/kprobes/gfib/enable")
    k.run("run -c 1 fib 2")
    k.run("echo hello graph > trace_marker")
    out = k.run("cat trace")
    check(re.search(r"^ 1\)               \|  /\* gfib: \(fib_body\+0x[0-9a-f]+/0x[0-9a-f]+\) \*/$", out, re.M),
          "event as a comment:\n%s" % out)
    check(re.search(r"^ 0\)               \|  /\* hello graph \*/$", out, re.M), "marker as a comment:\n%s" % out)
    check("tracing_mark_write" not in out and "gfib: (" not in out.replace("/* gfib: (", ""),
          "a record printed in the default layout:\n%s" % out)
    k.run("echo 0 > options/funcgraph-cpu")
    k.run("echo 1 > options/funcgraph-proc")
    check(re.search(r"^ +shell-\d+ +\|               \|  /\* hello graph \*/$", k.run("cat trace"), re.M),
          "the comment's columns follow the options:\n%s" % k.run("cat trace"))
    # context-info off: no header, no columns.
    k.run("echo 0 > options/context-info")
    out = k.run("cat trace")
    check(out.startswith(HEADER_ONLY % "function_graph") and "/* hello graph */" in out.splitlines(),
          "context-info off:\n%s" % out)
    k.run("echo 0 > events/kprobes/gfib/enable")
    reset(k)


def t_idle_task_is_named_idle(k):
    reset(k)
    k.run("echo timer_tick > set_ftrace_filter")
    k.run("echo function > current_tracer")
    k.run("sleep 300")
    k.run("echo 0 > tracing_on")
    out = k.run("cat trace")
    check(re.search(r"^ +<idle>-0 +\[\d{3}\] ", out, re.M) and "idle/" not in out,
          "idle records not <idle>-0:\n%s" % out[-1500:])
    k.run("echo 1 > tracing_on")
    k.run("echo function_graph > current_tracer")
    k.run("echo 1 > options/funcgraph-proc")
    k.run("sleep 300")
    k.run("echo 0 > tracing_on")
    out = k.run("cat trace")
    check(re.search(r"^ \d\)    <idle>-0    \| ", out, re.M) and "idle/" not in out,
          "graph's idle task:\n%s" % out[-1500:])
    reset(k)


def t_context_info_and_markers(k):
    reset(k)
    k.run("echo fib > set_ftrace_filter")
    k.run("echo function > current_tracer")
    k.run("run fib 2")
    k.run("echo 0 > options/context-info")
    out = k.run("cat trace")
    check(out.startswith(HEADER_ONLY % "function") and
          sorted(out.splitlines()[2:]) == ["fib <-fib", "fib <-fib", "fib <-fib_body"],
          "context-info off:\n%s" % out)
    check("nocontext-info" in k.run("cat trace_options").split(), "trace_options")
    k.run("echo context-info > trace_options")
    check(len(lines_of(k.run("cat trace"), r"^ +fib-\d+ +\[\d{3}\] \S{5} +\d+\.\d{6}: fib <-")) == 3,
          "context-info back on")
    k.run("echo 0 > options/markers")
    check(EINVAL in k.run("echo hidden > trace_marker"), "a marker taken with markers off")
    check(not lines_of(k.run("cat trace"), "hidden"), "the refused marker was recorded")
    for bad in ("echo 2 > options/markers", "echo nomarker > trace_options"):
        check(EINVAL in k.run(bad), "%r accepted" % bad)
    check(k.run("cat options/markers").strip() == "0", "a bad write changed markers")
    k.run("echo markers > trace_options")
    k.run("echo shown > trace_marker")
    check(lines_of(k.run("cat trace"), "tracing_mark_write: shown$"), "markers back on")
    reset(k)


def filter_lines(k):
    return k.run("cat set_ftrace_filter").strip().splitlines()[1:]


def t_func_cmd_counted_and_plain_are_two(k):
    reset(k)
    k.run("echo fib:traceoff > set_ftrace_filter")
    k.run("echo fib:traceoff:3 >> set_ftrace_filter")
    k.run("echo fib:stacktrace >> set_ftrace_filter")
    check(filter_lines(k) == ["fib:stacktrace:unlimited", "fib:traceoff:count=3", "fib:traceoff:unlimited"],
          "both forms, the newest kind first: %r" % filter_lines(k))
    # `>` empties the filter, never the commands (as on Linux).
    k.run("echo fib:traceon > set_ftrace_filter")
    check(filter_lines(k) == ["fib:traceon:unlimited", "fib:stacktrace:unlimited", "fib:traceoff:count=3",
                              "fib:traceoff:unlimited"], "> dropped a command: %r" % filter_lines(k))
    k.run("echo '!fib:traceon' >> set_ftrace_filter")
    check(ENODEV in k.run("echo '!fib:stacktrace:1' >> set_ftrace_filter"), "no counted stacktrace to remove")
    k.run("echo '!fib:traceoff' >> set_ftrace_filter")
    check(filter_lines(k) == ["fib:stacktrace:unlimited", "fib:traceoff:count=3"], "plain removed: %r"
          % filter_lines(k))
    k.run("echo '!fib:traceoff:0' >> set_ftrace_filter")
    k.run("echo '!fib:stacktrace' >> set_ftrace_filter")
    check(filter_lines(k) == [], "left: %r" % filter_lines(k))
    reset(k)


def t_ftrace_site_files(k):
    reset(k)
    names = k.run("cat available_filter_functions", timeout=120).split()
    addrs = k.run("cat available_filter_functions_addrs", timeout=120).strip().splitlines()
    check(len(addrs) == len(names) and all(re.match(r"^[0-9a-f]{16} \S+$", l) for l in addrs),
          "available_filter_functions_addrs: %d lines for %d functions" % (len(addrs), len(names)))
    fib_addr = re.search(r"^([0-9a-f]{16}) fib$", "\n".join(addrs), re.M)
    check(fib_addr and k.run("sym fib").startswith("fib: 0x%x size " % int(fib_addr.group(1), 16)),
          "fib's address: %r" % k.run("sym fib"))
    m = re.match(r"^(\d+) pages:(\d+) groups: 1\n$", k.run("cat dyn_ftrace_total_info"))
    check(m and int(m.group(1)) == len(names) and int(m.group(2)) > 0, "dyn_ftrace_total_info: %r"
          % k.run("cat dyn_ftrace_total_info"))
    # Two ops on fib: the function tracer and a kprobe at its entry.
    k.run("echo fib > set_ftrace_filter")
    k.run("echo function > current_tracer")
    k.run("echo 'p:twice fib' > kprobe_events")
    k.run("echo 1 > events/kprobes/twice/enable")
    out = k.run("cat enabled_functions")
    check(re.search(r"^fib \(2\) .* ->ftrace_ops_list_func\+0x0/0x[0-9a-f]+$", out, re.M),
          "two ops: %r" % out)
    k.run("echo 0 > events/kprobes/twice/enable")
    k.run("echo nop > current_tracer")
    check(k.run("cat enabled_functions") == "", "enabled_functions after nop")
    check(lines_of(k.run("cat touched_functions"), r"^fib \(0\) {11}$"), "touched_functions: %r"
          % k.run("cat touched_functions"))
    check("cat: free_buffer: Invalid argument" in k.run("cat free_buffer"), "free_buffer read")
    reset(k)


SCENARIOS = [t_tracer_switch_empties_the_buffer, t_graph_latency_format,
             t_graph_prints_other_records_as_comments, t_idle_task_is_named_idle,
             t_context_info_and_markers, t_func_cmd_counted_and_plain_are_two, t_ftrace_site_files]


def main():
    args = scenario_args().parse_args()
    r = Runner()
    chosen = [fn for fn in SCENARIOS if selected(args, fn.__name__)]
    if chosen:
        with Loupe(args.iso, args.accel, name="tracefs-as-linux", smp=SMP) as k:
            for fn in chosen:
                r.run(fn.__name__[2:], fn, k)
    r.finish()


if __name__ == "__main__":
    main()
