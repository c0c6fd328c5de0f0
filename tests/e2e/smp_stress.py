#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Probes added and removed at the console while every other CPU runs fib
(issue 15 point 7), typed as a person would.

At each --smp N: `run -c K fib 40 &` on every CPU K but 0, then, round
after round, a kprobe mid-function, a kretprobe and an fprobe event are
created, enabled, disabled and removed, the function tracer is switched
on and off, and the workers are killed and started again; every round
the mid-function kprobe must have been hit. At the end
kprobes/list and enabled_functions are empty, `mem` shows the kmalloc
objects, bytes and pages it showed before the first round (once dead
tasks are reaped and RCU has run: polled), and nothing crashed.

--selftest-smp N also boots N CPUs and runs `selftest smp_stress` there
(--cycles per probe kind, see tests/kernel/test_smp_stress.c).
"""
import argparse
import re
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from loupe import Loupe, Runner, check  # noqa: E402
from selftest import parse_ktap  # noqa: E402

T = "/sys/kernel/tracing"
# fib(40): ~330 million calls, a minute or more under TCG; killed every 5 rounds
FIB_N = 40
KPROBES_LIST = "/sys/kernel/debug/kprobes/list"
EVENTS = [  # (definition, file, enable path)
    ("p:stress_mid fib+15 n=%di", "kprobe_events", "events/kprobes/stress_mid/enable"),
    ("r:stress_ret fib ret=$retval", "kprobe_events", "events/kprobes/stress_ret/enable"),
    ("f:stress_f fib%return", "dynamic_events", "events/fprobes/stress_f/enable"),
]
REMOVE = ["-:stress_mid", "-:stress_ret", "-:fprobes/stress_f"]


def mem_stats(k):
    """kmalloc's objects and bytes, the KiB in use outside kmalloc's slabs
    and the page tables, and the exec pages. (A slab kmalloc keeps empty
    and a page table made for a new address are not leaks; a leaked object
    shows in the first two.)"""
    out = k.run("mem")
    km = re.search(r"kmalloc: (\d+) objects outstanding \(\d+ large\), (\d+) bytes requested, "
                   r"\d+ bytes allocated, (\d+) pages held", out)
    pages = re.search(r"pages: .* used\s+(\d+) KiB", out)
    exe = re.search(r"exec:\s+(\d+) pages", out)
    tables = re.search(r"tables:\s+(\d+) pages", out)
    check(km and pages and exe and tables, "mem says:\n" + out)
    other = int(pages.group(1)) - 4 * (int(km.group(3)) + int(tables.group(1)))
    return (int(km.group(1)), int(km.group(2)), other, int(exe.group(1)))


def mem_settles_at(k, want, timeout=30):
    """Dead tasks are released and RCU callbacks run a little later: poll."""
    deadline = time.time() + timeout
    got = mem_stats(k)
    while got != want and time.time() < deadline:
        time.sleep(0.5)
        got = mem_stats(k)
    return got


def start_workers(k, n, arg):
    pids = []
    for cpu in range(1, n):
        out = k.run("run -c %d fib %d &" % (cpu, arg))
        m = re.search(r"^\[(\d+)\] \S+ \d+ on CPU(\d+)$", out, re.M)
        check(m and int(m.group(2)) == cpu, "run -c %d said %r" % (cpu, out))
        pids.append(int(m.group(1)))
    return pids


def kill_workers(k, pids):
    for pid in pids:
        k.run("kill %d" % pid)	# may have finished: either way it is gone


def no_workers_left(k):
    deadline = time.time() + 20
    while time.time() < deadline:
        if not re.search(r" fib$", k.run("ps"), re.M):
            return
        time.sleep(0.5)
    check(False, "workers still alive:\n" + k.run("ps"))


def one_round(k, n, r):
    for ev, f, _ in EVENTS:
        out = k.run("echo '%s' >> %s" % (ev, f))
        check("rror" not in out, "round %d: %r refused: %r" % (r, ev, out))
    for _, _, en in EVENTS:
        k.run("echo 1 > " + en)
    if r > 0:	# the workers on the other CPUs do hit them (an int3 no
        # CPU ever trapped on was a stale emulator translation)
        time.sleep(0.2)
        prof = k.run("cat kprobe_profile")
        m = re.search(r"stress_mid\s+(\d+)", prof)
        check(m and int(m.group(1)) > 0,
              "no hits while enabled:\n" + prof + k.run("cat " + KPROBES_LIST) + k.run("ps"))
    for _, _, en in EVENTS:
        k.run("echo 0 > " + en)
    for ev in REMOVE:
        out = k.run("echo '%s' >> dynamic_events" % ev)
        check("rror" not in out, "round %d: %r refused: %r" % (r, ev, out))
    k.run("echo function > current_tracer")
    k.run("echo nop > current_tracer")


def t_probe_events_under_load(k, n, rounds):
    k.run("cd " + T)
    # A first round: what the first event of a kind allocates and keeps
    # (event directories' caches, a slot page ...) is not a leak.
    one_round(k, n, 0)
    k.run("echo > trace")
    before = mem_settles_at(k, None, timeout=3)
    pids = start_workers(k, n, FIB_N)
    for r in range(1, rounds + 1):
        one_round(k, n, r)
        if r % 5 == 0:	# kill the workers mid-way, start new ones
            kill_workers(k, pids)
            pids = start_workers(k, n, FIB_N)
    kill_workers(k, pids)
    no_workers_left(k)
    check(k.run("cat dynamic_events").strip() == "", "events left:\n" + k.run("cat dynamic_events"))
    check(k.run("cat " + KPROBES_LIST).strip() == "", "kprobes/list:\n" + k.run("cat " + KPROBES_LIST))
    check(k.run("cat enabled_functions").strip() == "",
          "enabled_functions:\n" + k.run("cat enabled_functions"))
    k.run("echo > trace")
    after = mem_settles_at(k, before)
    check(after == before, "mem (objects, bytes, other used KiB, exec pages) %s, before %s" % (after, before))


def t_selftest_smp_stress(k, n, cycles):
    k.run("stress-cycles %d" % cycles)
    # Under TCG a cycle of every kind takes about half a second.
    results = parse_ktap(k.run("selftest smp_stress", timeout=max(1800, 2 * cycles)))
    check(len(results) >= 9, "only %d smp_stress cases ran" % len(results))
    bad = ["%s.%s %s" % (s, c, " ".join(d)) for s, c, ok, d in results if not ok]
    check(not bad, "at SMP=%d:\n  %s" % (n, "\n  ".join(bad)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iso", required=True)
    ap.add_argument("--accel", default="tcg")
    ap.add_argument("--smp", type=int, action="append", default=[],
                    help="CPUs for the console scenario (repeatable; default 2)")
    ap.add_argument("--rounds", type=int, default=20, help="rounds of the console scenario")
    ap.add_argument("--selftest-smp", type=int, action="append", default=[],
                    help="also boot this many CPUs and run selftest smp_stress")
    ap.add_argument("--cycles", type=int, default=20, help="stress-cycles for the self-test")
    args = ap.parse_args()

    runner = Runner()
    for n in args.smp or [2]:
        def console(n=n):
            with Loupe(args.iso, args.accel, name="smp_stress-console-%d" % n, smp=n) as k:
                t_probe_events_under_load(k, n, args.rounds)
        runner.run("probe_events_under_load_smp%d" % n, console)
    for n in args.selftest_smp:
        def selftest(n=n):
            with Loupe(args.iso, args.accel, name="smp_stress-selftest-%d" % n, smp=n) as k:
                t_selftest_smp_stress(k, n, args.cycles)
        runner.run("selftest_smp_stress_smp%d" % n, selftest)
    runner.finish()


if __name__ == "__main__":
    main()
