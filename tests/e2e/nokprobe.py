#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The trap path cannot be probed, typed at the console (issue 14, point 4).

A probe on a function that the int3 path calls before it moves its IST
frame (cpu_tss_this) used to hang the kernel on the next hit of any other
probe; a kprobe event on the clock the ring buffer reads in its reserve
loop flooded the trace, making the function tracer's writes retry tens
of thousands of times. Each scenario types the reproduction and checks
that the probe is refused (or, for clock_ns, harmless now) and that the
console answers afterwards. scripts/check-nokprobe.py proves the
whole class statically; the `nokprobe` self-test suite checks every
function it lists in the running kernel.

A scenario that hangs the kernel costs only itself: the next one boots a
fresh one.
"""
import re
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from loupe import Runner, check, run_on_fresh_boots, scenario_args  # noqa: E402

T = "/sys/kernel/tracing"
BLACKLISTED = "Blacklisted address"


def event_count(trace, event):
    return len(re.findall(r"^\s*\S+-\d+\s+\[\d{3}\] \S{5} +\d+\.\d{6}: %s: " % re.escape(event),
                          trace, re.M))


def t_probe_on_the_int3_path_is_refused(k):
    """The issue's reproduction: a is refused, b fires once per call."""
    k.run("cd " + T)
    k.run("echo 0 > /proc/sys/debug/kprobes-optimization")
    out = k.run("echo 'p:a cpu_tss_this' >> kprobe_events")
    check(BLACKLISTED in out and "Invalid argument" in out, "p:a cpu_tss_this: %r" % out)
    check("fib+0xf/" in k.run("dis fib+0xf 1"), "fib+0xf is not an instruction boundary")
    out = k.run("echo 'p:b fib+0xf' >> kprobe_events")
    check("error" not in out, "p:b fib+0xf refused: %r" % out)
    k.run("echo 1 > events/kprobes/enable")
    out = k.run("run fib 3", timeout=30)
    check("fib(3) = 2" in out, "run fib 3: %r" % out)
    trace = k.run("cat trace")
    check(event_count(trace, "b") == 5, "%d hits of b, wanted 5:\n%s"
          % (event_count(trace, "b"), trace))
    events = k.run("cat kprobe_events").strip()
    check(events == "p:kprobes/b fib+15", "the events changed: %r" % events)
    k.run("echo 0 > events/enable")
    k.run("echo > kprobe_events")
    k.run("echo 1 > /proc/sys/debug/kprobes-optimization")


def t_trap_path_functions_are_refused_at_the_console(k):
    """One function of each path, through kprobe_events and kretprobes."""
    k.run("cd " + T)
    for target in ("irq_dispatch", "kprobe_int3_handler", "kprobe_debug_handler",
                   "fixup_exception", "ftrace_ops_list_func", "rethook_trampoline_handler",
                   "kprobe_optimized_callback", "ring_buffer_reserve", "trace_clock_ns",
                   "die"):
        for kind in ("p", "r"):
            out = k.run("echo '%s:x %s' >> kprobe_events" % (kind, target))
            check(BLACKLISTED in out, "%s:x %s accepted: %r" % (kind, target, out))
    check(k.run("cat kprobe_events").strip() == "", "a refused probe was added")
    listing = k.run("cat /sys/kernel/debug/kprobes/blacklist")
    for name in ("cpu_tss_this", "trace_clock_ns", "die"):
        check(re.search(r"\b%s\b" % name, listing), "%s not in the blacklist file" % name)


def t_clock_probe_under_the_function_tracer(k):
    """clock_ns stays probeable, and a probe on it no longer livelocks the
    function tracer (whose writes read the tracers' own clock now)."""
    k.run("cd " + T)
    k.run("echo > trace")
    k.run("echo fib > set_ftrace_filter")
    k.run("echo function > current_tracer")
    out = k.run("echo 'p:c clock_ns' >> kprobe_events")
    check("error" not in out, "p:c clock_ns refused: %r" % out)
    k.run("echo 1 > events/kprobes/c/enable")
    out = k.run("run fib 5", timeout=30)
    check("fib(5) = 5" in out, "run fib 5: %r" % out)
    k.run("echo 0 > events/kprobes/c/enable")
    # Read before switching the tracer off: the switch empties the buffer.
    trace = k.run("cat trace")
    k.run("echo nop > current_tracer")
    fib_lines = len(re.findall(r": fib <-", trace))
    check(fib_lines == 15, "%d fib lines, wanted 15" % fib_lines)
    hits = event_count(trace, "c")
    # A few dozen (the scheduler, the console); 61,507 when the ring buffer
    # read clock_ns() in its reserve loop.
    check(0 < hits < 1000, "%d hits of c" % hits)
    k.run("echo > kprobe_events")
    k.run("echo > set_ftrace_filter")


SCENARIOS = [
    t_probe_on_the_int3_path_is_refused,
    t_trap_path_functions_are_refused_at_the_console,
    t_clock_probe_under_the_function_tracer,
]


def main():
    args = scenario_args().parse_args()
    r = Runner()
    run_on_fresh_boots(r, args, SCENARIOS, "nokprobe-")
    r.finish()


if __name__ == "__main__":
    main()
