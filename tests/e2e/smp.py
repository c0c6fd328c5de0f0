#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""CPU bring-up, typed at the console of a kernel booted with several CPUs.

The other steps boot with `make test`'s SMP (1 by default); this one always
boots two CPUs (--smp), checks that the second one came up and is parked
(dmesg, cpus, /proc/cpuinfo, ps, help cpus), that its tick count moves,
and runs every in-kernel self-test on that kernel, so a change that works
on one CPU but breaks with two is caught by `make test`. With --also-smp 8
it then boots the most CPUs Loupe supports for the console checks alone.
"""
import argparse
import re
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from loupe import Loupe, Runner, check  # noqa: E402
from selftest import parse_ktap  # noqa: E402

CPUS_ROW = re.compile(r"^\s*(\d+)\s+(\d+)\s+(\w+)\s+(\d+)\s+(\d+)\s+(\d+)$", re.M)


def cpus_rows(k):
    out = k.run("cpus")
    return {int(m.group(1)): m.groups() for m in CPUS_ROW.finditer(out)}, out


def t_dmesg_reports_each_cpu(k, n):
    out = k.run("dmesg")
    check(re.search(r"acpi: .*MADT", out), "no MADT line in dmesg:\n" + out[-2000:])
    for cpu in range(1, n):
        check(re.search(r"smp: CPU%d \(APIC id \d+\) up in \d+ us, parked" % cpu, out),
              "dmesg does not report CPU%d coming up:\n%s" % (cpu, out[-2000:]))
    check("%d of %d CPUs up" % (n, n) in out, "no summary line for %d CPUs" % n)


def t_cpus_lists_every_cpu(k, n):
    rows, out = cpus_rows(k)
    check(sorted(rows) == list(range(n)), "cpus lists %s, want 0..%d:\n%s" % (sorted(rows), n - 1, out))
    check(rows[0][2] == "online", "CPU0 is %s, want online:\n%s" % (rows[0][2], out))
    for cpu in range(1, n):
        check(rows[cpu][2] == "parked", "CPU%d is %s, want parked" % (cpu, rows[cpu][2]))
        check(rows[cpu][4] == "0", "parked CPU%d switched context %s times" % (cpu, rows[cpu][4]))
    check("CPUs up: %d of %d present; 1 online" % (n, n) in out, "no summary line:\n" + out)


def t_parked_cpus_ticks_advance(k, n):
    first, _ = cpus_rows(k)
    time.sleep(1.0)
    second, out = cpus_rows(k)
    for cpu in range(n):
        check(int(second[cpu][3]) > int(first[cpu][3]),
              "CPU%d ticks did not move: %s then %s" % (cpu, first[cpu][3], second[cpu][3]))


def t_proc_cpuinfo(k, n):
    out = k.run("cat /proc/cpuinfo")
    procs = re.findall(r"^processor\s+: (\d+)$", out, re.M)
    check(procs == [str(c) for c in range(n)], "processors %s in:\n%s" % (procs, out))
    check(len(re.findall(r"^state\s+: parked$", out, re.M)) == n - 1, "parked count:\n" + out)


def t_ps_shows_each_idle_task_on_its_cpu(k, n):
    out = k.run("ps")
    for cpu in range(1, n):
        check(re.search(r"^\s+0 R\s+%d\s+\S+ idle/%d$" % (cpu, cpu), out, re.M),
              "ps has no idle/%d on CPU %d:\n%s" % (cpu, cpu, out))


def t_help_cpus(k, n):
    out = k.run("help cpus")
    check("usage: cpus" in out and "parked" in out, "help cpus says: %r" % out)
    out = k.run("cpus 1")
    check("usage: cpus" in out, "cpus with an argument: %r" % out)


def t_selftests_pass(k, n):
    """Every suite passes. A suite that fails is run once more, and passes
    only if it passes then: a few cases time the tick against the TSC, and
    with two vCPU threads on a loaded 2-core host QEMU delivers ticks late
    in bursts. The first failure is still printed."""
    out = k.run("selftest", timeout=600)
    results = parse_ktap(out)
    check(len(results) > 50, "only %d self-test cases ran" % len(results))
    bad = ["%s.%s %s" % (s, c, " ".join(d)) for s, c, ok, d in results if not ok]
    if not bad:
        return
    print("     first run at SMP=%d:\n       %s" % (n, "\n       ".join(bad)), flush=True)
    for suite in sorted({s for s, c, ok, d in results if not ok}):
        again = parse_ktap(k.run("selftest " + suite, timeout=600))
        still = ["%s.%s %s" % (s, c, " ".join(d)) for s, c, ok, d in again if not ok]
        check(again and not still, "failed twice at SMP=%d:\n  %s" % (n, "\n  ".join(still)))


CONSOLE_TESTS = [t_dmesg_reports_each_cpu, t_cpus_lists_every_cpu, t_parked_cpus_ticks_advance,
                 t_proc_cpuinfo, t_ps_shows_each_idle_task_on_its_cpu, t_help_cpus]


def boot_and_run(runner, args, smp, tests):
    try:
        with Loupe(args.iso, args.accel, name="smp%d" % smp, smp=smp) as k:
            for t in tests:
                runner.run("%s (SMP=%d)" % (t.__name__[2:], smp), t, k, smp)
    except Exception as e:  # a failed boot: every test fails
        print("FAIL boot with SMP=%d: %s" % (smp, e))
        runner.failed += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iso", required=True)
    ap.add_argument("--accel", default="tcg")
    ap.add_argument("--smp", type=int, default=2, help="CPUs for the full run, self-tests included")
    ap.add_argument("--also-smp", type=int, action="append", default=[],
                    help="also boot this many CPUs for the console checks only")
    args = ap.parse_args()

    runner = Runner()
    boot_and_run(runner, args, args.smp, CONSOLE_TESTS + [t_selftests_pass])
    for smp in args.also_smp:
        boot_and_run(runner, args, smp, CONSOLE_TESTS)
    runner.finish()


if __name__ == "__main__":
    main()
