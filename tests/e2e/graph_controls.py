#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""function_graph's controls at the console, as Linux 6.12 has them
(issue 18 point 2): set_graph_function, set_graph_notrace,
max_graph_depth, tracing_thresh, the funcgraph-* options, the header, and
the markers printed when a CPU's records pass from one task to another.
Each control is shown changing what real traced functions (fib,
words_run, word_count, sched_tick) leave in the trace; each bad write is
refused with an error and changes nothing.

`make test-tracing` runs these (tracing.py imports them); alone:
    python3 tests/e2e/graph_controls.py --iso build/loupe.iso
"""
import argparse
import os
import re
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from loupe import Loupe, Runner, check, PROMPT  # noqa: E402

T = "/sys/kernel/tracing"
HEADER = ["# tracer: function_graph", "#",
          "# CPU  DURATION                  FUNCTION CALLS",
          "# |     |   |                     |   |   |   |"]
BAR = " ------------------------------------------"
GRAPH_OPTIONS = ["nofuncgraph-overrun", "funcgraph-cpu", "funcgraph-overhead", "nofuncgraph-proc", "funcgraph-duration",
                 "nofuncgraph-abstime", "funcgraph-irqs", "nofuncgraph-tail", "nofuncgraph-retval",
                 "nofuncgraph-retval-hex"]
INVALID = "echo: write error: Invalid argument"


def graph(k, funcs, tracer="function_graph"):
    """Trace @funcs (set_ftrace_filter) with function_graph, from an empty buffer."""
    k.run("cd " + T)
    k.run("echo '%s' > set_ftrace_filter" % funcs)
    k.run("echo %s > current_tracer" % tracer)
    k.run("echo > trace")


def reset(k):
    k.run("echo nop > current_tracer")
    for f in ("set_ftrace_filter", "set_graph_function", "set_graph_notrace"):
        k.run("echo > " + f)
    k.run("echo 0 > max_graph_depth")
    k.run("echo 0 > tracing_thresh")


def body(out):
    """The graph's lines: the trace without its header (a marker's blank
    line kept, the output's last newline not)."""
    lines = [l for l in out.splitlines() if not l.startswith("#")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def calls(out):
    """What each graph line says after its CPU and duration columns."""
    return [l[21:] for l in body(out)]


def proc(comm, pid):
    """Linux's task column: comm (7 characters at most)-pid, centred in 14."""
    text = "%s-%d" % (comm[:7], pid)
    pad = max(0, 14 - len(text))
    return " " * (pad // 2) + text + " " * (pad - pad // 2)


def bad_write(k, cmd, path):
    """@cmd must fail with -EINVAL and leave @path as it was."""
    before = k.run("cat " + path)
    out = k.run(cmd)
    check(INVALID in out, "%r was accepted: %r" % (cmd, out))
    check(k.run("cat " + path) == before, "%r changed %s" % (cmd, path))


FIB3 = [r"fib\(\) \{", r"  fib\(\) \{", r"    fib\(\);", r"    fib\(\);", r"  \}", r"  fib\(\);", r"\}"]


def t_graph_header_and_task_switch_marker(k):
    """The header is Linux's four lines (no entries count); when CPU 0's
    records pass from one fib task to the next, Linux's marker says so."""
    graph(k, "fib")
    k.run("run -c 0 fib 3")
    k.run("run -c 0 fib 2")
    out = k.run("cat trace")
    lines = out.splitlines()
    check(lines[:4] == HEADER, "header is not Linux's:\n%s" % "\n".join(lines[:6]))
    check("entries-in-buffer" not in out, "function_graph's header has no counts on Linux")
    b = body(out)
    check(len(b) == 7 + 4 + 4, "fib 3, a marker, fib 2:\n%s" % out)
    for line, pat in zip(b[:7], FIB3):
        check(re.match(r"^ 0\) .{14}\|  %s$" % pat, line), "%r is not %r" % (line, pat))
    m = re.match(r"^ 0\) +fib-(\d+) +=> +fib-(\d+) *$", b[8])
    check(b[7] == BAR and b[9] == BAR and b[10] == "" and m, "no marker between the tasks:\n%s" % out)
    first, second = int(m.group(1)), int(m.group(2))
    check(second > first, "marker %r: the second task is the newer" % b[8])
    check(b[8] == " 0) %s => %s" % (proc("fib", first), proc("fib", second)),
          "marker %r is not Linux's layout" % b[8])
    reset(k)


def t_graph_trace_pipe_prints_the_graph_and_markers(k):
    """trace_pipe takes the same graph out, markers included, and leaves
    the buffer empty."""
    graph(k, "fib")
    k.run("run -c 0 fib 2")
    k.run("run -c 0 fib 1")
    k.sendline("cat trace_pipe")
    try:
        k.expect(r" 0\) +fib-\d+ +=> +fib-\d+ *\r*\n -+\r*\n\r*\n 0\) .{14}\|  fib\(\);", timeout=20)
        piped = k.child.before.replace("\r", "")
    finally:
        k.send("\x03")
        k.expect(PROMPT, timeout=10)
    check(re.search(r"^ 0\) .{14}\|  fib\(\) \{$", piped, re.M), "fib 2's graph:\n%s" % piped)
    check(body(k.run("cat trace")) == [], "trace_pipe left records")
    reset(k)


def t_graph_options_listed_only_under_function_graph(k):
    k.run("cd " + T)
    k.run("echo nop > current_tracer")
    out = k.run("cat trace_options").split()
    check(not [o for o in out if "funcgraph" in o], "nop lists funcgraph options: %r" % out)
    bad_write(k, "echo funcgraph-proc > trace_options", "options/funcgraph-proc")
    out = k.run("ls options")
    for name in GRAPH_OPTIONS:
        check(re.search(r"\s%s$" % name.replace("nofuncgraph", "funcgraph"), out, re.M),
              "options/ lacks %s:\n%s" % (name, out))
    k.run("echo function_graph > current_tracer")
    out = k.run("cat trace_options").split()
    check(out[-len(GRAPH_OPTIONS):] == GRAPH_OPTIONS, "function_graph's options, last: %r" % out)
    k.run("echo funcgraph-proc > trace_options")
    check(k.run("cat options/funcgraph-proc").strip() == "1", "trace_options did not set it")
    k.run("echo nofuncgraph-proc > trace_options")
    check(k.run("cat options/funcgraph-proc").strip() == "0", "trace_options did not clear it")
    bad_write(k, "echo 2 > options/funcgraph-tail", "options/funcgraph-tail")
    bad_write(k, "echo funcgraph-bogus > trace_options", "trace_options")
    reset(k)


DEFAULTS = {"funcgraph-overrun": 0, "funcgraph-cpu": 1, "funcgraph-overhead": 1, "funcgraph-proc": 0,
            "funcgraph-duration": 1, "funcgraph-abstime": 0, "funcgraph-irqs": 1,
            "funcgraph-tail": 0, "funcgraph-retval": 0, "funcgraph-retval-hex": 0}


def option_output(k, n=3, **options):
    """The graph of fib(@n) on CPU 0 with @options (funcgraph_proc=1 ...)
    set; the options are back to their defaults after."""
    graph(k, "fib")
    for name, val in options.items():
        k.run("echo %d > options/%s" % (val, name.replace("_", "-")))
    k.run("run -c 0 fib %d" % n)
    out = k.run("cat trace")
    for name in options:
        name = name.replace("_", "-")
        k.run("echo %d > options/%s" % (DEFAULTS[name], name))
    reset(k)
    return out


def t_graph_option_columns(k):
    """Each funcgraph option adds or removes its column, as on Linux."""
    out = option_output(k, funcgraph_proc=1)
    check(out.splitlines()[2:4] == ["# CPU  TASK/PID         DURATION                  FUNCTION CALLS",
                                    "# |     |    |           |   |                     |   |   |   |"],
          "funcgraph-proc header:\n%s" % out)
    b = body(out)
    pid = int(re.search(r"fib-(\d+)", b[0]).group(1))
    check(all(l.startswith(" 0) %s | " % proc("fib", pid)) for l in b), "task column:\n%s" % out)
    out = option_output(k, funcgraph_abstime=1)
    check(out.splitlines()[2].startswith("#     TIME        CPU  DURATION"), "abstime header:\n%s" % out)
    check(all(re.match(r"^ +\d+\.\d{6} \|   0\) ", l) for l in body(out)), "time column:\n%s" % out)
    out = option_output(k, funcgraph_tail=1)
    check(calls(out) == ["fib() {", "  fib() {", "    fib();", "    fib();", "  } /* fib */",
                         "  fib();", "} /* fib */"], "tail:\n%s" % out)
    out = option_output(k, funcgraph_overrun=1)
    check([l[21:] if l.startswith(" 0)") else l for l in body(out)] ==
          ["fib() {", "  fib() {", "    fib();", "    fib();", "  }", " (Overruns: 0)", "  fib();",
           "}", " (Overruns: 0)"], "overrun after each }:\n%s" % out)
    out = option_output(k, funcgraph_duration=0)
    check(out.splitlines()[2] == "# CPU               FUNCTION CALLS", "no duration header:\n%s" % out)
    check([l[4:] for l in body(out)] == ["fib() {", "  fib() {", "    fib();", "    fib();", "  }",
                                         "  fib();", "}"], "no duration column:\n%s" % out)
    out = option_output(k, funcgraph_cpu=0)
    check(out.splitlines()[2] == "#  DURATION                  FUNCTION CALLS", "no CPU header:\n%s" % out)
    check(all(re.match(r"^[ +!#*@$] +\d+\.\d+ us +\|  |^ {14}\|  ", l) for l in body(out)),
          "no CPU column:\n%s" % out)
    out = option_output(k, 10, funcgraph_overhead=0)
    check(len(body(out)) > 20 and all(l.startswith(" 0)   ") for l in body(out)),
          "marks with funcgraph-overhead off:\n%s" % out)


def t_graph_retval(k):
    """funcgraph-retval: fib's values in hex; an error code in decimal, or
    in hex with funcgraph-retval-hex (Linux 6.5 to 6.12's layout)."""
    out = option_output(k, funcgraph_retval=1)
    check(calls(out) == ["fib() {", "  fib() {", "    fib(); /* = 0x1 */", "    fib(); /* = 0x0 */",
                "  } /* fib = 0x1 */", "  fib(); /* = 0x1 */", "} /* fib = 0x2 */"],
          "fib(3) with retval:\n%s" % out)
    graph(k, "pfs_write_path")
    k.run("echo 1 > options/funcgraph-retval")
    k.run("echo abc > tracing_on")
    out = k.run("cat trace")
    check(re.search(r"\|  pfs_write_path\(\); /\* = -22 \*/$", out, re.M), "-EINVAL in decimal:\n%s" % out)
    k.run("echo 1 > options/funcgraph-retval-hex")
    out = k.run("cat trace")
    check(re.search(r"pfs_write_path\(\); /\* = 0x(ffffffff)?ffffffea \*/$", out, re.M),
          "-EINVAL in hex:\n%s" % out)
    k.run("echo 0 > options/funcgraph-retval-hex")
    k.run("echo 0 > options/funcgraph-retval")
    reset(k)


def t_set_graph_function(k):
    """Only calls of words_run are graphed, with what they call; fib, also
    traced, is left out; the file reads back and edits as Linux's."""
    k.run("cd " + T)
    check(k.run("cat set_graph_function").strip() == "#### all functions enabled ####", "empty reads")
    check(k.run("cat set_graph_notrace").strip() == "#### no functions disabled ####", "empty reads")
    graph(k, "words_run word_count fib")
    k.run("echo words_run > set_graph_function")
    check(k.run("cat set_graph_function").split() == ["words_run"], "not set")
    k.run("run -c 0 fib 3")
    k.run("run -c 0 words 3")
    b = calls(k.run("cat trace"))
    check(b == ["words_run() {", "  word_count();", "  word_count();", "  word_count();", "}"],
          "graph of words_run alone:\n%s" % "\n".join(b))
    k.run("echo fib >> set_graph_function")
    check(sorted(k.run("cat set_graph_function").split()) == ["fib", "words_run"], ">> adds")
    k.run("echo '!words_run' >> set_graph_function")
    check(k.run("cat set_graph_function").split() == ["fib"], "! removes")
    k.run("echo 'word_*' > set_graph_function")
    check("word_count" in k.run("cat set_graph_function").split(), "a glob")
    k.run("echo words_run > set_graph_function")
    for cmd in ("echo nosuch_function_xyz > set_graph_function",
                "echo 'fib nosuch_function_xyz' >> set_graph_function",
                "echo '!fib' >> set_graph_function",
                "echo nosuch_function_xyz >> set_graph_notrace"):
        bad_write(k, cmd, cmd.split()[-1])
    k.run("echo > set_graph_function")
    check("all functions enabled" in k.run("cat set_graph_function"), "echo > empties it")
    reset(k)


def t_set_graph_notrace(k):
    """word_count and what it calls leave no record; words_run, whose only
    callee it is, becomes a leaf."""
    graph(k, "words_run word_count")
    k.run("echo word_count > set_graph_notrace")
    check(k.run("cat set_graph_notrace").split() == ["word_count"], "not set")
    k.run("run -c 0 words 3")
    b = calls(k.run("cat trace"))
    check(b == ["words_run();"], "words_run without its callee:\n%s" % "\n".join(b))
    k.run("echo > set_graph_notrace")
    k.run("echo > trace")
    k.run("run -c 0 words 1")
    check(len(body(k.run("cat trace"))) == 3, "notrace emptied: word_count is back")
    reset(k)


def t_max_graph_depth(k):
    graph(k, "fib")
    check(k.run("cat max_graph_depth").strip() == "0", "default")
    for depth, want in ((1, ["fib();"]), (2, ["fib() {", "  fib();", "  fib();", "}"])):
        k.run("echo %d > max_graph_depth" % depth)
        check(k.run("cat max_graph_depth").strip() == str(depth), "reads back")
        k.run("echo > trace")
        k.run("run -c 0 fib 4")
        b = calls(k.run("cat trace"))
        check(b == want, "fib(4) at max_graph_depth %d:\n%s" % (depth, "\n".join(b)))
    for bad in ("-1", "abc", "1 2", "4294967296"):
        bad_write(k, "echo %s > max_graph_depth" % bad, "max_graph_depth")
    k.run("echo 0 > max_graph_depth")
    k.run("echo > trace")
    k.run("run -c 0 fib 4")
    check(len(body(k.run("cat trace"))) == 13, "no limit again")
    reset(k)


def t_tracing_thresh(k):
    """Only calls of 100 us or more are recorded, each as a `}` that names
    its function (its entry was never recorded), as on Linux."""
    graph(k, "fib")
    check(k.run("cat tracing_thresh").strip() == "0", "default")
    k.run("echo 100 > tracing_thresh")
    check(k.run("cat tracing_thresh").strip() == "100", "reads back")
    k.run("run -c 0 fib 16")
    b = body(k.run("cat trace", timeout=120))
    check(b, "nothing took 100 us")
    for line in b:
        m = re.match(r"^ 0\) [!#*@$] +(\d+)\.\d+ us +\| +\} /\* fib \*/$", line)
        check(m and int(m.group(1)) >= 100, "not a return of 100 us or more: %r" % line)
    for bad in ("-5", "1.5", "x"):
        bad_write(k, "echo %s > tracing_thresh" % bad, "tracing_thresh")
    reset(k)


def t_funcgraph_irqs(k):
    """sched_tick runs in the timer interrupt: graphed by default, not with
    funcgraph-irqs off - unless set_graph_function names it."""
    graph(k, "sched_tick")
    k.run("sleep 200")
    check(re.search(r"sched_tick\(\);$", k.run("cat trace"), re.M), "no tick graphed")
    k.run("echo 0 > options/funcgraph-irqs")
    k.run("echo > trace")
    k.run("sleep 200")
    check(body(k.run("cat trace")) == [], "ticks graphed with funcgraph-irqs off")
    k.run("echo sched_tick > set_graph_function")
    k.run("sleep 200")
    check(re.search(r"sched_tick\(\);$", k.run("cat trace"), re.M), "set_graph_function's tick")
    k.run("echo 1 > options/funcgraph-irqs")
    reset(k)


SHARED = [
    t_graph_header_and_task_switch_marker, t_graph_trace_pipe_prints_the_graph_and_markers,
    t_graph_options_listed_only_under_function_graph,
    t_graph_option_columns, t_graph_retval, t_set_graph_function, t_set_graph_notrace,
    t_max_graph_depth, t_tracing_thresh, t_funcgraph_irqs,
]


def t_graph_markers_are_per_cpu(k, n):
    """A CPU's marker compares its own records: fib on CPU 0, then on CPU 1,
    then on CPU 0 marks CPU 0 alone."""
    graph(k, "fib")
    for cpu in (0, 1, 0):
        k.run("run -c %d fib 2" % cpu)
    b = body(k.run("cat trace"))
    marks = [l for l in b if "=>" in l]
    check(len(marks) == 1 and marks[0].startswith(" 0) "), "markers:\n%s" % "\n".join(b))
    check(len([l for l in b if l.startswith(" 1) ")]) == 4, "CPU 1's fib 2:\n%s" % "\n".join(b))
    reset(k)


def t_graph_controls_change_while_everything_is_graphed(k, n):
    """Every function graphed on every CPU, fib running on CPU 1, while
    each control is set and cleared again, three times over: nothing
    breaks, and afterwards fib(3) graphs as it should."""
    graph(k, "")
    out = k.run("run -c %d fib 30 &" % (n - 1), timeout=120)
    job = re.search(r"\[(\d+)\]", out).group(1)
    for _ in range(3):
        for cmd in ("echo words_run > set_graph_function", "run -c 0 words 5",
                    "echo word_count > set_graph_notrace", "echo 3 > max_graph_depth",
                    "echo 50 > tracing_thresh", "echo 1 > options/funcgraph-retval",
                    "echo 0 > options/funcgraph-irqs", "echo 0 > tracing_thresh",
                    "echo 0 > max_graph_depth", "echo > set_graph_notrace",
                    "echo > set_graph_function", "echo 1 > options/funcgraph-irqs",
                    "echo 0 > options/funcgraph-retval"):
            out = k.run(cmd, timeout=120)
            check("error" not in out, "%r: %r" % (cmd, out))
    k.run("kill %" + job)
    k.run("echo fib > set_ftrace_filter", timeout=120)
    k.run("echo > trace")
    k.run("run -c 0 fib 3")
    check(calls(k.run("cat trace")) == [re.sub(r"\\", "", p) for p in FIB3], "fib(3) afterwards")
    reset(k)


PERCPU = [t_graph_markers_are_per_cpu, t_graph_controls_change_while_everything_is_graphed]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iso", required=True)
    ap.add_argument("--accel", default="tcg")
    ap.add_argument("--only", help="run only the scenarios whose name contains this")
    args = ap.parse_args()
    r = Runner()
    smp = max(2, int(os.environ.get("LOUPE_SMP", "2")))
    with Loupe(args.iso, args.accel, name="graph-controls", smp=smp) as k:
        for fn in SHARED:
            if not args.only or args.only in fn.__name__:
                r.run(fn.__name__[2:], fn, k)
        for fn in PERCPU:
            if not args.only or args.only in fn.__name__:
                r.run("%s (SMP=%d)" % (fn.__name__[2:], smp), fn, k, smp)
    r.finish()


if __name__ == "__main__":
    main()
