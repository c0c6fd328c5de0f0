#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The tracefs root's control files beyond the tracers (issue 18 point 5,
and the function commands of point 4), typed on the console of a kernel
with two CPUs: trace_marker, the pid filters, function commands in
set_ftrace_filter, trace_clock, saved_cmdlines, tracing_cpumask, snapshot,
the stack tracer, free_buffer and buffer_total_size_kb. Each scenario
also makes the bad writes a person might, and checks that they are
refused with a clear error and change nothing.
"""
import re
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from loupe import Loupe, Runner, check, scenario_args, selected  # noqa: E402

T = "/sys/kernel/tracing"
SMP = 2
EINVAL = "echo: write error: Invalid argument"


def lines_of(out, pattern):
    return [l for l in out.splitlines() if re.search(pattern, l)]


def bg_pid(out):
    """The pid `run ... &` printed: "[7] fib 30 on CPU1"."""
    m = re.search(r"^\[(\d+)\] ", out, re.M)
    check(m, "no [pid] from a background run: %r" % out)
    return int(m.group(1))


def refused(k, cmd, verify, want=EINVAL):
    """@cmd fails with @want and the file @verify reads as before."""
    before = k.run("cat " + verify)
    out = k.run(cmd)
    check(want in out, "%r printed %r, wanted %r" % (cmd, out, want))
    check(k.run("cat " + verify) == before, "%r changed %s" % (cmd, verify))


def reset(k):
    k.run("cd " + T)
    k.run("echo 256 > buffer_size_kb")
    k.run("echo nop > current_tracer")
    k.run("echo > set_ftrace_filter")
    k.run("echo 1 > tracing_on")
    k.run("echo > trace")


def t_trace_marker(k):
    reset(k)
    out = k.run("echo hello marker > trace_marker")
    check(out.strip() == "", "marker write: %r" % out)
    k.run("echo -n no newline > trace_marker")
    out = k.run("cat trace")
    marks = lines_of(out, r"tracing_mark_write: ")
    check(len(marks) == 2, "two markers expected:\n%s" % out)
    check(re.search(r"^\s+shell-\d+\s+\[\d{3}\] .*\d+\.\d{6}: tracing_mark_write: hello marker$", marks[0]),
          "marker line: %r" % marks[0])
    check(marks[1].endswith("tracing_mark_write: no newline"), "no-newline marker: %r" % marks[1])
    check(re.search(r"entries-in-buffer/entries-written: 2/2", out), "header counts: %r" % out[:300])
    # Among a tracer's records, where it was written.
    k.run("echo fib > set_ftrace_filter")
    k.run("echo function > current_tracer")
    k.run("echo > trace")
    k.run("echo before > trace_marker")
    k.run("run fib 3")
    k.run("echo after > trace_marker")
    body = [l for l in k.run("cat trace").splitlines() if not l.startswith("#")]
    check(body[0].endswith("tracing_mark_write: before") and body[-1].endswith("tracing_mark_write: after")
          and len(body) == 7, "markers around fib 3's 5 calls:\n%s" % "\n".join(body))
    # Tracing off: the write fails as on Linux, and records nothing.
    k.run("echo 0 > tracing_on")
    out = k.run("echo lost > trace_marker")
    check("echo: write error: Bad file descriptor" in out, "marker with tracing off: %r" % out)
    k.run("echo 1 > tracing_on")
    check(not lines_of(k.run("cat trace"), "lost"), "marker recorded with tracing off")
    check("Permission denied" in k.run("cat trace_marker"), "trace_marker is write-only")
    # Longer than a record holds (the README, some 6 KiB): several records,
    # each cut where the record was full, which together are the text.
    k.run("echo > trace")
    readme = k.run("cat README")
    out = k.run("cat README > trace_marker")
    check("error" not in out, "README into trace_marker: %r" % out)
    body = k.run("cat trace").split("\n", 5)[-1]      # past the header
    records = re.split(r"^\s+\S+-\d+\s+\[\d{3}\] .*?\d+\.\d{6}: tracing_mark_write: ", body, flags=re.M)
    check(len(records) - 1 >= len(readme) // 1000, "%d records for %d bytes" % (len(records) - 1, len(readme)))
    check(readme.startswith(records[1][:200]), "the first record starts the README: %r" % records[1][:80])
    reset(k)


def t_set_ftrace_pid(k):
    reset(k)
    check(k.run("cat set_ftrace_pid").strip() == "no pid", "empty set_ftrace_pid")
    check(k.run("cat set_ftrace_notrace_pid").strip() == "no pid", "empty set_ftrace_notrace_pid")
    k.run("echo 7 > set_ftrace_pid")
    k.run("echo 3 5 >> set_ftrace_pid")
    check(k.run("cat set_ftrace_pid").split() == ["3", "5", "7"], "pids: %r" % k.run("cat set_ftrace_pid"))
    k.run("echo 9 > set_ftrace_pid")
    check(k.run("cat set_ftrace_pid").split() == ["9"], "> replaces")
    for bad in ("echo abc > set_ftrace_pid", "echo '4 x' >> set_ftrace_pid", "echo -3 > set_ftrace_pid",
                "echo 99999999 > set_ftrace_pid"):
        refused(k, bad, "set_ftrace_pid")
    k.run("echo > set_ftrace_pid")
    check(k.run("cat set_ftrace_pid").strip() == "no pid", "echo > did not empty it")

    # Two fibs at once, one on each CPU: only the chosen one is traced.
    # (A small buffer: what cat prints stays short.)
    k.run("echo 8 > buffer_size_kb")
    k.run("echo fib > set_ftrace_filter")
    a = bg_pid(k.run("run -c 0 fib 60 &"))
    b = bg_pid(k.run("run -c 1 fib 60 &"))
    k.run("echo %d > set_ftrace_pid" % a)
    k.run("echo function > current_tracer")
    k.run("sleep 300")
    k.run("echo 0 > tracing_on")
    out = k.run("cat trace | grep -c fib-%d" % a)
    check(int(out.strip() or 0) > 0, "pid %d not traced: %r" % (a, out))
    check(k.run("cat trace | grep -c fib-%d" % b).strip() == "0", "pid %d traced" % b)
    # The notrace list: everyone but b.
    k.run("echo > set_ftrace_pid")
    k.run("echo %d > set_ftrace_notrace_pid" % b)
    k.run("echo > trace")
    k.run("echo 1 > tracing_on")
    k.run("sleep 300")
    k.run("echo 0 > tracing_on")
    check(int(k.run("cat trace | grep -c fib-%d" % a).strip() or 0) > 0, "notrace: a not traced")
    check(k.run("cat trace | grep -c fib-%d" % b).strip() == "0", "notrace: b traced")
    k.run("echo > set_ftrace_notrace_pid")
    k.run("kill %d" % a)
    k.run("kill %d" % b)
    reset(k)


def shell_pid(k):
    m = re.search(r"^\s*(\d+)\s.*\sshell\b", k.run("ps"), re.M)
    check(m, "no shell in ps")
    return int(m.group(1))


def t_function_fork(k):
    """With function-fork, what a listed task starts is traced too."""
    reset(k)
    check(k.run("cat options/function-fork").strip() == "0", "function-fork is off by default")
    check("nofunction-fork" in k.run("cat trace_options").split(), "trace_options lists nofunction-fork")
    sh = shell_pid(k)
    k.run("echo fib > set_ftrace_filter")
    k.run("echo %d > set_ftrace_pid" % sh)
    k.run("echo function > current_tracer")
    k.run("run fib 3")
    check(not lines_of(k.run("cat trace"), ": fib <-"), "a child traced without function-fork")
    k.run("echo function-fork > trace_options")
    k.run("run fib 3")
    check(len(lines_of(k.run("cat trace"), ": fib <-")) == 5, "the shell's child not traced")
    k.run("sleep 100")     # the reaper takes the dead child off the list
    check(k.run("cat set_ftrace_pid").split() == [str(sh)], "the exited child still listed: %r"
          % k.run("cat set_ftrace_pid"))
    k.run("echo 0 > options/function-fork")
    k.run("echo > set_ftrace_pid")
    reset(k)


def t_set_event_pid(k):
    reset(k)
    check(k.run("cat set_event_pid").strip() == "", "empty set_event_pid reads nothing")
    k.run("echo 8 > buffer_size_kb")
    k.run("echo 'p:pidfib fib' > kprobe_events")
    a = bg_pid(k.run("run -c 0 fib 60 &"))
    b = bg_pid(k.run("run -c 1 fib 60 &"))
    k.run("echo %d > set_event_pid" % b)
    check(k.run("cat set_event_pid").split() == [str(b)], "set_event_pid reads back")
    refused(k, "echo 1 2 zz > set_event_pid", "set_event_pid")
    k.run("echo 1 > events/kprobes/pidfib/enable")
    k.run("sleep 300")
    k.run("echo 0 > tracing_on")
    check(int(k.run("cat trace | grep -c fib-%d" % b).strip() or 0) > 0, "event pid %d not recorded" % b)
    check(k.run("cat trace | grep -c fib-%d" % a).strip() == "0", "event pid %d recorded" % a)
    k.run("echo 0 > events/kprobes/pidfib/enable")
    k.run("echo > set_event_pid")
    check(k.run("cat set_event_pid").strip() == "", "set_event_pid not emptied")
    k.run("echo > kprobe_events")
    k.run("kill %d" % a)
    k.run("kill %d" % b)
    reset(k)


def count_lines(k, task_pid, event):
    out = k.run("cat trace | grep -c 'fib-%d .*: %s: '" % (task_pid, event)).strip()
    return int(out or 0)


def t_event_pid_lists_every_kind(k):
    """set_event_pid and set_event_notrace_pid hold for each kind of probe
    event (each has its own handler), and once both are emptied every
    task's hits record again."""
    reset(k)
    k.run("echo 8 > buffer_size_kb")     # a short trace to read
    events = ["pe_p", "pe_r", "pe_f", "pe_fx"]
    k.run("echo 'p:pe_p fib' > kprobe_events")
    k.run("echo 'r100:pe_r fib' >> kprobe_events")     # fib 60's outer calls hold 60
    k.run("echo 'f:pe_f fib' >> dynamic_events")
    k.run("echo 'f100:pe_fx fib%return' >> dynamic_events")
    a = bg_pid(k.run("run -c 0 fib 60 &"))
    b = bg_pid(k.run("run -c 1 fib 60 &"))

    def hits_of_each(want_a, want_b, what):
        k.run("echo > trace")
        k.run("echo 1 > tracing_on")
        k.run("sleep 200")
        k.run("echo 0 > tracing_on")
        for ev in events:
            na, nb = count_lines(k, a, ev), count_lines(k, b, ev)
            check((na > 0) == want_a and (nb > 0) == want_b,
                  "%s: %s recorded %d of pid %d, %d of pid %d" % (what, ev, na, a, nb, b))

    k.run("echo 1 > events/kprobes/enable")
    k.run("echo 1 > events/fprobes/enable")
    k.run("echo %d > set_event_pid" % b)
    hits_of_each(False, True, "set_event_pid %d" % b)
    k.run("echo > set_event_pid")
    k.run("echo %d > set_event_notrace_pid" % b)
    hits_of_each(True, False, "set_event_notrace_pid %d" % b)
    k.run("echo > set_event_notrace_pid")
    hits_of_each(True, True, "no pid list")
    k.run("echo 0 > events/kprobes/enable")
    k.run("echo 0 > events/fprobes/enable")
    k.run("echo > dynamic_events")
    k.run("kill %d" % a)
    k.run("kill %d" % b)
    reset(k)


def filter_lines(k):
    return k.run("cat set_ftrace_filter").strip().splitlines()


def t_func_cmd_traceoff_traceon(k):
    reset(k)
    k.run("echo fib:traceoff > set_ftrace_filter")
    check(filter_lines(k) == ["#### all functions enabled ####", "fib:traceoff:unlimited"],
          "listing: %r" % filter_lines(k))
    check(k.run("cat tracing_on").strip() == "1", "tracing off before fib ran")
    k.run("run fib 3")
    check(k.run("cat tracing_on").strip() == "0", "fib:traceoff did not turn tracing off")
    k.run("echo 1 > tracing_on")
    k.run("run fib 1")
    check(k.run("cat tracing_on").strip() == "0", "unlimited traceoff fired once only")
    k.run("echo '!fib:traceoff' >> set_ftrace_filter")
    check(filter_lines(k) == ["#### all functions enabled ####"], "not removed: %r" % filter_lines(k))
    check(k.run("cat tracing_on").strip() == "0", "removing the command turned tracing on")
    # traceon, alongside a filter: the filter lines come first.
    k.run("echo uptime_format > set_ftrace_filter")
    k.run("echo 'fib:traceon' >> set_ftrace_filter")
    check(filter_lines(k) == ["uptime_format", "fib:traceon:unlimited"], "listing: %r" % filter_lines(k))
    k.run("run fib 1")
    check(k.run("cat tracing_on").strip() == "1", "fib:traceon did not turn tracing on")
    k.run("echo '!fib:traceon' >> set_ftrace_filter")
    check(filter_lines(k) == ["uptime_format"], "traceon not removed: %r" % filter_lines(k))
    # A count: goes down only when the command changes something.
    k.run("echo 'fib:traceoff:2' > set_ftrace_filter")
    check(filter_lines(k)[1:] == ["fib:traceoff:count=2"], "count listing: %r" % filter_lines(k))
    k.run("run fib 3")
    check(filter_lines(k)[1:] == ["fib:traceoff:count=1"], "count after one: %r" % filter_lines(k))
    k.run("run fib 3")      # tracing is off: nothing to change, the count stays
    check(filter_lines(k)[1:] == ["fib:traceoff:count=1"], "count with tracing off: %r" % filter_lines(k))
    k.run("echo 1 > tracing_on")
    k.run("run fib 3")
    check(filter_lines(k)[1:] == ["fib:traceoff:count=0"], "count at 0: %r" % filter_lines(k))
    k.run("echo 1 > tracing_on")
    k.run("run fib 3")
    check(k.run("cat tracing_on").strip() == "1", "count=0 still turned tracing off")
    k.run("echo '!fib:traceoff:0' > set_ftrace_filter")
    check(filter_lines(k) == ["#### all functions enabled ####"], "traceoff:0 not removed")
    # A glob: one line per function, as Linux lists them.
    k.run("echo 'fib*:traceoff' > set_ftrace_filter")
    got = filter_lines(k)[1:]
    check("fib:traceoff:unlimited" in got and all(l.startswith("fib") for l in got) and len(got) >= 2,
          "glob listing: %r" % got)
    k.run("echo '!fib*:traceoff' >> set_ftrace_filter")
    check(filter_lines(k) == ["#### all functions enabled ####"], "glob removal: %r" % filter_lines(k))
    reset(k)


def t_func_cmd_stacktrace(k):
    reset(k)
    k.run("echo 'fib:stacktrace:1' > set_ftrace_filter")
    k.run("run fib 3")
    out = k.run("cat trace")
    body = [l for l in out.splitlines() if not l.startswith("#")]
    check(len(lines_of(out, r"<stack trace>$")) == 1, "one stack trace expected:\n%s" % out)
    check(re.search(r"^\s+fib-\d+\s+\[\d{3}\] .*: <stack trace>$", body[0]), "stack header: %r" % body[0])
    check(body[1] == " => fib" and body[2] == " => fib_body", "stack starts at fib, then fib_body:\n%s" % out)
    check(all(l.startswith(" => ") for l in body[1:]), "stack lines:\n%s" % out)
    check(filter_lines(k)[1:] == ["fib:stacktrace:count=0"], "stacktrace count: %r" % filter_lines(k))
    # With a count and without are two commands, as on Linux: each form
    # removes its own.
    refused(k, "echo '!fib:stacktrace' >> set_ftrace_filter", "set_ftrace_filter",
            "echo: write error: No such device")
    k.run("echo 'fib:stacktrace' >> set_ftrace_filter")
    check(filter_lines(k)[1:] == ["fib:stacktrace:unlimited", "fib:stacktrace:count=0"],
          "both forms, the newest first: %r" % filter_lines(k))
    k.run("echo '!fib:stacktrace:0' >> set_ftrace_filter")
    check(filter_lines(k)[1:] == ["fib:stacktrace:unlimited"], "!fib:stacktrace:0: %r" % filter_lines(k))
    k.run("echo > trace")
    k.run("run fib 3")
    check(len(lines_of(k.run("cat trace"), r"<stack trace>$")) == 5, "unlimited: one per call of fib 3")
    k.run("echo '!fib:stacktrace' >> set_ftrace_filter")
    reset(k)


def t_func_cmd_enable_disable_event(k):
    reset(k)
    k.run("echo 'p:cmdfib fib' > kprobe_events")
    k.run("echo 'uptime_format:enable_event:kprobes:cmdfib' > set_ftrace_filter")
    k.run("echo 'word_count:disable_event:kprobes:cmdfib:1' >> set_ftrace_filter")
    check(sorted(filter_lines(k)[1:]) == ["uptime_format:enable_event:kprobes:cmdfib:unlimited",
                                         "word_count:disable_event:kprobes:cmdfib:count=1"],
          "event commands listing: %r" % filter_lines(k))
    check(k.run("cat events/kprobes/cmdfib/enable").strip() == "0*", "soft mode: %r"
          % k.run("cat events/kprobes/cmdfib/enable"))
    k.run("run fib 3")
    check(not lines_of(k.run("cat trace"), "cmdfib:"), "recorded while soft-disabled")
    k.run("uptime")
    check(k.run("cat events/kprobes/cmdfib/enable").strip() == "1*", "enable_event did not fire")
    k.run("run fib 3")
    check(len(lines_of(k.run("cat trace"), "cmdfib:")) == 5, "enabled event: fib 3 is 5 calls")
    k.run("run words 1")
    check(k.run("cat events/kprobes/cmdfib/enable").strip() == "0*", "disable_event did not fire")
    check("word_count:disable_event:kprobes:cmdfib:count=0" in filter_lines(k), "disable count: %r"
          % filter_lines(k))
    k.run("echo > trace")
    k.run("run fib 3")
    check(not lines_of(k.run("cat trace"), "cmdfib:"), "recorded after disable_event")
    out = k.run("echo > kprobe_events")
    check("kprobes/cmdfib is held by triggers or function commands (set_ftrace_filter): remove them first" in out
          and "Device or resource busy" in out, "an event held by function commands was removed: %r" % out)
    out = k.run("echo '-:cmdfib' >> kprobe_events")
    check("held by triggers or function commands" in out, "-:cmdfib removed a held event: %r" % out)
    k.run("echo '!uptime_format:enable_event:kprobes:cmdfib' >> set_ftrace_filter")
    k.run("echo '!word_count:disable_event:kprobes:cmdfib:1' >> set_ftrace_filter")
    check(k.run("cat events/kprobes/cmdfib/enable").strip() == "0", "soft mode left")
    # An event the user enabled stays enabled through a command's life.
    k.run("echo 1 > events/kprobes/cmdfib/enable")
    k.run("echo 'fib:disable_event:kprobes:cmdfib:1' >> set_ftrace_filter")
    check(k.run("cat events/kprobes/cmdfib/enable").strip() == "1*", "enabled, held: %r"
          % k.run("cat events/kprobes/cmdfib/enable"))
    k.run("echo '!fib:disable_event:kprobes:cmdfib:1' >> set_ftrace_filter")
    check(k.run("cat events/kprobes/cmdfib/enable").strip() == "1", "the user's enable was lost")
    k.run("echo 0 > events/kprobes/cmdfib/enable")
    check("error" not in k.run("echo > kprobe_events"), "event not removable after its commands")
    reset(k)


def t_func_cmd_bad_writes(k):
    reset(k)
    k.run("echo 'p:badfib fib' > kprobe_events")
    k.run("echo fib:traceoff:5 > set_ftrace_filter")
    for cmd in ("echo 'fib:nosuch' >> set_ftrace_filter",
                "echo 'fib:traceoff:abc' >> set_ftrace_filter",
                "echo 'fib:traceoff:1:2' >> set_ftrace_filter",
                "echo 'no_such_fn:traceoff' >> set_ftrace_filter",
                "echo ':traceoff' >> set_ftrace_filter",
                "echo 'fib:enable_event' >> set_ftrace_filter",
                "echo 'fib:enable_event:kprobes' >> set_ftrace_filter",
                "echo 'fib:enable_event:kprobes:nosuch' >> set_ftrace_filter",
                "echo 'fib:disable_event:nogroup:badfib' >> set_ftrace_filter",
                "echo 'uptime_format fib:nosuch' >> set_ftrace_filter",
                "echo '!no_such_fn:traceoff:1' >> set_ftrace_filter",
                "echo 'fib:traceoff' > set_ftrace_notrace"):
        refused(k, cmd, "set_ftrace_filter")
    refused(k, "echo '!fib:stacktrace' >> set_ftrace_filter", "set_ftrace_filter",
            "echo: write error: No such device")
    check(filter_lines(k) == ["#### all functions enabled ####", "fib:traceoff:count=5"],
          "after the bad writes: %r" % filter_lines(k))
    # The unlimited form is another command: there is none to remove.
    refused(k, "echo '!fib:traceoff' >> set_ftrace_filter", "set_ftrace_filter",
            "echo: write error: No such device")
    k.run("echo '!fib:traceoff:0' >> set_ftrace_filter")
    check(filter_lines(k) == ["#### all functions enabled ####"], "!fib:traceoff:0: %r" % filter_lines(k))
    k.run("echo > kprobe_events")
    reset(k)


CLOCKS = "local global counter uptime perf mono mono_raw boot tai x86-tsc"


def t_trace_clock(k):
    reset(k)
    check(k.run("cat trace_clock").strip() == CLOCKS.replace("local", "[local]", 1),
          "trace_clock: %r" % k.run("cat trace_clock"))
    k.run("echo before the switch > trace_marker")
    k.run("echo counter > trace_clock")
    check(k.run("cat trace_clock").strip() == CLOCKS.replace("counter", "[counter]"), "counter not current")
    check(not lines_of(k.run("cat trace"), "before the switch"), "the switch did not empty the buffer")
    k.run("echo fib > set_ftrace_filter")
    k.run("echo function > current_tracer")
    k.run("run fib 4")
    stamps = [int(m.group(1)) for m in re.finditer(r"\] .*?\s(\d+): fib <-", k.run("cat trace"))]
    check(len(stamps) == 9, "fib 4 is 9 calls, stamped by the counter: %r" % stamps)
    check(all(b > a for a, b in zip(stamps, stamps[1:])), "counter stamps not increasing: %r" % stamps)
    stats = k.run("cat per_cpu/cpu0/stats")
    check(re.search(r"^now ts: \d+$", stats, re.M) and re.search(r"^oldest event ts: \d+$", stats, re.M),
          "stats under the counter clock: %r" % stats)
    # uptime: jiffies in 1/100 s (Linux's clock_t), just before `uptime`'s
    # count of ticks (jiffies; under a busy host they lag the TSC's seconds).
    k.run("echo uptime > trace_clock")
    k.run("echo tick > trace_marker")
    ticks, hz = map(int, re.search(r"(\d+) ticks at (\d+) Hz", k.run("uptime")).groups())
    m = re.search(r"\s(\d+): tracing_mark_write: tick", k.run("cat trace"))
    check(m and 0 <= ticks * 100 // hz - int(m.group(1)) < 500,
          "uptime stamp %r vs %d ticks at %d Hz" % (m and m.group(1), ticks, hz))
    refused(k, "echo nosuch > trace_clock", "trace_clock")
    refused(k, "echo 'local global' > trace_clock", "trace_clock")
    k.run("echo local > trace_clock")
    k.run("echo back > trace_marker")
    check(re.search(r"\s\d+\.\d{6}: tracing_mark_write: back", k.run("cat trace")), "local prints seconds")
    reset(k)


def t_saved_cmdlines(k):
    reset(k)
    check(k.run("cat saved_cmdlines_size").strip() == "128", "default size")
    k.run("echo fib > set_ftrace_filter")
    k.run("echo function > current_tracer")
    k.run("run fib 3")
    pid = re.search(r"^\s+fib-(\d+)\s", k.run("cat trace"), re.M).group(1)
    out = k.run("cat saved_cmdlines")
    check(re.search(r"^%s fib$" % pid, out, re.M), "fib-%s not saved:\n%s" % (pid, out))
    check(all(re.match(r"^\d+ \S+", l) for l in out.strip().splitlines()), "format: %r" % out)
    for bad in ("echo 0 > saved_cmdlines_size", "echo 40000 > saved_cmdlines_size",
                "echo x > saved_cmdlines_size"):
        refused(k, bad, "saved_cmdlines_size")
    check(k.run("cat saved_cmdlines") == out, "a bad size write emptied the table")
    check("Permission denied" in k.run("echo 1 > saved_cmdlines"), "saved_cmdlines took a write")
    k.run("echo 4 > saved_cmdlines_size")
    check(k.run("cat saved_cmdlines_size").strip() == "4", "size 4")
    check(k.run("cat saved_cmdlines").strip() == "", "a new size starts empty")
    k.run("echo function > current_tracer")
    for _ in range(6):
        k.run("run fib 2")
    k.run("echo nop > current_tracer")
    check(len(k.run("cat saved_cmdlines").strip().splitlines()) == 4, "4 slots, reused: %r"
          % k.run("cat saved_cmdlines"))
    k.run("echo 128 > saved_cmdlines_size")
    reset(k)


def t_snapshot(k):
    reset(k)
    k.run("echo 0 > snapshot")
    out = k.run("cat snapshot")
    check(out.startswith("# tracer: nop\n#\n#\n# * Snapshot is freed *\n#\n# Snapshot commands:\n"
                         "# echo 0 > snapshot : Clears and frees snapshot buffer\n"), "freed help: %r" % out)
    k.run("echo one > trace_marker")
    k.run("echo 1 > snapshot")
    snap = k.run("cat snapshot")
    check(lines_of(snap, "tracing_mark_write: one$") and "entries-in-buffer/entries-written: 1/1" in snap,
          "snapshot lacks the record:\n%s" % snap)
    check(not lines_of(k.run("cat trace"), ": one$"), "the record stayed in the trace buffer")
    k.run("echo two > trace_marker")
    check(lines_of(k.run("cat trace"), ": two$") and not lines_of(k.run("cat snapshot"), ": two$"),
          "recording after the swap goes to the trace buffer only")
    k.run("echo 2 > snapshot")
    out = k.run("cat snapshot")
    check("# * Snapshot is allocated *" in out and "Snapshot commands" in out, "cleared: %r" % out)
    check(lines_of(k.run("cat trace"), ": two$"), "echo 2 > snapshot touched the trace buffer")
    for bad in ("echo x > snapshot", "echo > snapshot", "echo -1 > snapshot"):
        out = k.run(bad)
        check(EINVAL in out, "%r: %r" % (bad, out))
    check(lines_of(k.run("cat trace"), ": two$"), "a bad write changed the trace")
    # Per CPU: one fib on each CPU; swap CPU 1's alone.
    k.run("echo fib > set_ftrace_filter")
    k.run("echo function > current_tracer")
    k.run("echo > trace")
    k.run("run -c 0 fib 3")
    k.run("run -c 1 fib 4")
    k.run("echo 1 > per_cpu/cpu1/snapshot")
    snap1 = k.run("cat per_cpu/cpu1/snapshot")
    check(len(lines_of(snap1, r"\[001\] .*: fib <-")) == 9, "cpu1 snapshot: fib 4's 9 calls:\n%s" % snap1)
    check(len(lines_of(k.run("cat snapshot"), r": fib <-")) == 9, "snapshot shows cpu1's")
    out = k.run("cat trace")
    check(len(lines_of(out, r"\[000\] .*: fib <-")) == 5 and not lines_of(out, r"\[001\] .*: fib <-"),
          "trace keeps cpu0's, loses cpu1's:\n%s" % out)
    out = k.run("cat per_cpu/cpu0/snapshot")
    check("# echo 0 > snapshot : Invalid for per_cpu snapshot file." in out, "per-cpu help: %r" % out)
    out = k.run("echo 0 > per_cpu/cpu0/snapshot")
    check(EINVAL in out, "0 on a per-cpu snapshot: %r" % out)
    k.run("echo 2 > per_cpu/cpu1/snapshot")
    check("Snapshot is allocated" in k.run("cat snapshot"), "per-cpu clear")
    k.run("echo 0 > snapshot")
    check("Snapshot is freed" in k.run("cat snapshot"), "freed")
    reset(k)


SYSCTL = "/proc/sys/kernel/stack_tracer_enabled"


def t_stack_tracer(k):
    reset(k)
    out = k.run("cat stack_trace")
    check(out.startswith("        Depth    Size   Location    (0 entries)\n        -----    ----   --------\n"
                         "#\n#  Stack tracer disabled\n"), "disabled stack_trace: %r" % out)
    check(k.run("cat " + SYSCTL).strip() == "0", "stack tracer on at boot")
    check(k.run("cat stack_trace_filter").strip() == "#### all functions enabled ####", "empty filter")
    k.run("echo fib > stack_trace_filter")
    check(k.run("cat stack_trace_filter").split() == ["fib"], "stack_trace_filter")
    refused(k, "echo nosuch_fn > stack_trace_filter", "stack_trace_filter")
    refused(k, "echo 2 > " + SYSCTL, SYSCTL)
    refused(k, "echo x > stack_max_size", "stack_max_size")
    k.run("echo 1 > " + SYSCTL)
    check(k.run("cat " + SYSCTL).strip() == "1", "not switched on")
    k.run("run fib 12")
    k.run("echo 0 > " + SYSCTL)
    size = int(k.run("cat stack_max_size").strip())
    out = k.run("cat stack_trace")
    rows = re.findall(r"^\s*(\d+)\)\s+(\d+)\s+(\d+)\s+(\S+)$", out, re.M)
    m = re.search(r"\((\d+) entries\)", out)
    check(m and int(m.group(1)) == len(rows) and len(rows) >= 12, "entries:\n%s" % out)
    check(re.match(r"fib\+0x5/0x", rows[0][3]), "the deepest frame is fib's entry: %r" % (rows[0],))
    check(sum(1 for r in rows if r[3].startswith("fib+")) >= 12, "fib 12 nests 12 deep:\n%s" % out)
    depths = [int(r[1]) for r in rows]
    check(all(a > b for a, b in zip(depths, depths[1:])), "depths not decreasing: %r" % depths)
    check(all(int(r[2]) == (depths[i] - depths[i + 1] if i + 1 < len(rows) else depths[i])
              for i, r in enumerate(rows)), "sizes are the depth differences:\n%s" % out)
    check(0 < depths[0] <= size < 16384, "stack_max_size %d vs deepest frame %d" % (size, depths[0]))
    check("Stack tracer disabled" not in out, "the disabled text with a maximum recorded")
    k.run("echo 0 > stack_max_size")
    check(k.run("cat stack_max_size").strip() == "0", "stack_max_size not reset")
    k.run("echo > stack_trace_filter")
    reset(k)


def t_tracing_cpumask(k):
    reset(k)
    check(k.run("cat tracing_cpumask").strip() == "3", "two CPUs: %r" % k.run("cat tracing_cpumask"))
    k.run("echo fib > set_ftrace_filter")
    k.run("echo function > current_tracer")
    k.run("echo 1 > tracing_cpumask")
    check(k.run("cat tracing_cpumask").strip() == "1", "mask 1")
    k.run("echo > trace")
    k.run("run -c 1 fib 3")
    k.run("run -c 0 fib 4")
    out = k.run("cat trace")
    check(len(lines_of(out, r"\[000\] .*: fib <-")) == 9 and not lines_of(out, r"\[001\] "),
          "only CPU 0 records:\n%s" % out)
    for bad, err in (("echo 4 > tracing_cpumask", "Value too large for defined data type"),
                     ("echo 100000000000000000 > tracing_cpumask", "Value too large for defined data type"),
                     ("echo xyz > tracing_cpumask", "Invalid argument"),
                     ("echo > tracing_cpumask", "Invalid argument")):
        refused(k, bad, "tracing_cpumask", "echo: write error: " + err)
    k.run("echo 2 > tracing_cpumask")
    k.run("echo > trace")
    k.run("run -c 1 fib 3")
    k.run("run -c 0 fib 4")
    out = k.run("cat trace")
    check(len(lines_of(out, r"\[001\] .*: fib <-")) == 5 and not lines_of(out, r"\[000\] "),
          "only CPU 1 records:\n%s" % out)
    k.run("echo 3 > tracing_cpumask")
    reset(k)


def t_buffer_total_size_and_free_buffer(k):
    reset(k)
    check(k.run("cat buffer_total_size_kb").strip() == "512", "2 x 256 KiB: %r" % k.run("cat buffer_total_size_kb"))
    k.run("echo 100 > per_cpu/cpu1/buffer_size_kb")
    check(k.run("cat buffer_total_size_kb").strip() == "356", "256 + 100")
    check("Permission denied" in k.run("echo 1 > buffer_total_size_kb"), "buffer_total_size_kb is read-only")
    k.run("echo 1 > free_buffer")
    check(k.run("cat buffer_size_kb").strip() == "8", "free_buffer: the smallest buffer")
    check(k.run("cat buffer_total_size_kb").strip() == "16", "free_buffer: total")
    k.run("echo 256 > buffer_size_kb")
    check(k.run("cat buffer_total_size_kb").strip() == "512", "back to 512")
    reset(k)


KENABLED = "/sys/kernel/debug/kprobes/enabled"
KOPT = "/proc/sys/debug/kprobes-optimization"


def t_switch_and_bool_files(k):
    """kprobes/enabled takes what Linux's debugfs bools take (kstrtobool);
    the 0/1 files take a number that is 0 or 1, not a yes/no."""
    reset(k)
    for word, want in (("off", "0"), ("yes", "1"), ("N", "0"), ("on", "1"), ("0", "0"), ("1", "1")):
        out = k.run("echo %s > %s" % (word, KENABLED))
        check(out == "" and k.run("cat " + KENABLED).strip() == want,
              "echo %s > kprobes/enabled: %r, reads %r" % (word, out, k.run("cat " + KENABLED)))
    refused(k, "echo 2 > " + KENABLED, KENABLED)
    refused(k, "echo maybe > " + KENABLED, KENABLED)
    refused(k, "echo y > tracing_on", "tracing_on")
    k.run("echo 0 > tracing_on")
    check(k.run("echo 01 > tracing_on") == "" and k.run("cat tracing_on").strip() == "1",
          "tracing_on takes a number, as Linux's kstrtoul reads it")
    k.run("echo 0 > tracing_on")
    check(k.run("echo 2 > tracing_on") == "" and k.run("cat tracing_on").strip() == "1",
          "tracing_on: any number but 0 turns it on, as on Linux")
    refused(k, "echo y > " + KOPT, KOPT)
    refused(k, "echo 2 > " + KOPT, KOPT)
    reset(k)


SCENARIOS = [t_trace_marker, t_set_ftrace_pid, t_function_fork, t_set_event_pid,
             t_event_pid_lists_every_kind, t_func_cmd_traceoff_traceon,
             t_func_cmd_stacktrace, t_func_cmd_enable_disable_event, t_func_cmd_bad_writes,
             t_trace_clock, t_saved_cmdlines, t_snapshot, t_stack_tracer, t_tracing_cpumask,
             t_buffer_total_size_and_free_buffer, t_switch_and_bool_files]


def main():
    args = scenario_args().parse_args()
    r = Runner()
    chosen = [fn for fn in SCENARIOS if selected(args, fn.__name__)]
    if chosen:
        with Loupe(args.iso, args.accel, name="tracing-files", smp=SMP) as k:
            for fn in chosen:
                r.run(fn.__name__[2:], fn, k)
    r.finish()


if __name__ == "__main__":
    main()
