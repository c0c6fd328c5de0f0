#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The table of scripts/linux-bench-cpus.sh: Linux's probes on 1 CPU and on N.

    scripts/linux-bench-cpus-table.py SERIAL_LOG... [--loupe LOUPE_OUT]

A SERIAL_LOG (one per boot: after a crash the script boots again for the
rounds still missing; a round counts only if its log says ROUND-DONE)
holds the RESULT lines of scripts/linux-bench-cpus-init.sh:
label=MODE.PHASE.rROUND.cpuC ... min_ns=F med_ns=X, the fastest and the
median per-call time of one sysloop process's loops (PHASE b1/bN: probe
off, one process on CPU 0 / one pinned to each CPU at once; p1/pN: probe
on). Per round:

    ovh_1cpu  = p1 - b1                              one hit, 1 CPU
    ovh_ncpu  = mean over the CPUs of (pN_c - bN_c)  ... N CPUs at once

The table gives medians over the rounds, ratio = ovh_ncpu / ovh_1cpu
(1.00: hits on different CPUs never wait for each other), the unprobed
loop's own scaling (base_1, base_N, b_rat: what the host and QEMU do by
themselves), and norm = ratio / b_rat: a host busy elsewhere gives the N
virtual CPUs less than N host CPUs and stretches every N-CPU ns, probed
or not, by about b_rat. f_rat and f_brat are ratio and b_rat again from
each process's fastest loop (min_ns) instead of its median loop.

Loupe's BENCH_SMP ratio divides whole per-call times; Linux's getppid()
call costs far more than Loupe's bench_target, so per-hit overheads are
what compare: --loupe prints Loupe's BENCH_SMP lines (what `make bench
SMP=N` printed) in the same columns, overhead = probed - base, under the
Linux mode doing the same by the same mechanism.
"""
import re
import statistics
import sys

MODES = ["base", "kprobe_entry", "kprobe_int3", "kretprobe", "fprobe_entry", "fprobe_exit",
         "function", "function_graph", "ref_clock_read"]
# Linux mode -> the Loupe kinds doing the same by the same mechanism: the
# tracefs event first (what Linux's mode is), then the bare probe.
LOUPE_KINDS = {
    "kprobe_entry": ["ev_kprobe_entry", "kprobe_ftrace"],
    "kprobe_int3": ["ev_kprobe_mid", "kprobe_boost"],
    "kretprobe": ["ev_kretprobe", "kretprobe"],
    "fprobe_entry": ["ev_fprobe_entry", "fprobe_entry"],
    "fprobe_exit": ["ev_fprobe_exit", "fprobe_exit"],
    "function": ["function"],
    "function_graph": ["function_graph"],
    "ref_clock_read": ["ref_clock_read"],
}
HEAD = "%-24s %9s %9s %6s   %9s %9s %6s %6s   %6s %6s" % (
    "mode", "1-CPU", "N-CPU", "ratio", "base_1", "base_N", "b_rat", "norm", "f_rat", "f_brat")


def med(v):
    return statistics.median(v) if v else float("nan")


def ratio(a, b):
    return "%6.2f" % (a / b) if b > 0 else "%6s" % "-"


def norm(o1, on, b1, bn):
    """ratio / b_rat: the ratio with the unprobed call's own slow-down taken
    out (a host busy elsewhere stretches every N-CPU ns alike)"""
    return ratio(on * b1, o1 * bn) if o1 > 0 and bn > 0 else "%6s" % "-"


def linux(texts):
    """-> (info, {mode: {phase: {round: [per-CPU med_ns]}}}, {mode: why}, [crash lines])

    Only rounds a log says it finished (ROUND-DONE) count; a later log's
    round replaces an earlier log's of the same number."""
    info, res, unsup, crashes = {}, {}, {}, []
    for text in texts:
        lines = text.replace("\r", "").splitlines()
        done = set()
        for line in lines:
            m = re.match(r"ROUND-DONE (\w+) (\d+)$", line)
            if m:
                done.add((m.group(1), int(m.group(2))))
        fresh = {}
        # a crash: its first line and where (the first RIP after it)
        for i, line in enumerate(lines):
            m = re.search(r"\] ((?:Oops|BUG|kernel BUG)[: ].*)$", line)
            if m:
                rip = next((re.sub(r".*RIP: \w+:", "", x) for x in lines[i:i + 10] if "RIP:" in x), "?")
                crashes.append("%s at %s" % (m.group(1).split(" [#")[0], rip))
                break
        for line in lines:
            m = re.match(r"INFO (\w+)=(.*)$", line)
            if m and m.group(1) not in info:
                info[m.group(1)] = m.group(2).split(" ")[0]
            m = re.match(r"INFO n=\d+ reps=\d+ rounds=(\d+)", line)
            if m:
                info["rounds"] = m.group(1)
            m = re.match(r"RESULT label=(\w+)\.(b1|bN|p1|pN)\.r(\d+)\.cpu(\d+) .*"
                         r"min_ns=([\d.]+) med_ns=([\d.]+)", line)
            if m:
                mode, ph, rnd, _, fast, ns = m.groups()
                if (mode, int(rnd)) in done:
                    fresh.setdefault((mode, int(rnd)), {}).setdefault(ph, []).append(
                        (float(fast), float(ns)))
                continue
            m = re.match(r"RESULT label=(\w+) unsupported=(\S+)", line)
            if m:
                unsup[m.group(1)] = m.group(2)
        for (mode, rnd), phases in fresh.items():
            for ph, v in phases.items():
                res.setdefault(mode, {}).setdefault(ph, {})[rnd] = v
    return info, res, unsup, crashes


def linux_row(ph, k):
    """-> (ovh1, ovhN, base1, baseN, rounds) from each sysloop's median
    loop (k=1) or its fastest (k=0), or None"""
    rounds = sorted(set(ph.get("b1", {})) & set(ph.get("bN", {})) &
                    set(ph.get("p1", {})) & set(ph.get("pN", {})))
    if not rounds:
        return None
    b1 = [ph["b1"][r][0][k] for r in rounds]
    bN = [statistics.mean(x[k] for x in ph["bN"][r]) for r in rounds]
    p1 = [ph["p1"][r][0][k] for r in rounds]
    pN = [statistics.mean(x[k] for x in ph["pN"][r]) for r in rounds]
    ovh1 = med([p - b for p, b in zip(p1, b1)])
    ovhN = med([p - b for p, b in zip(pN, bN)])
    return ovh1, ovhN, med(b1), med(bN), len(rounds)


def loupe(text):
    rows = {}
    for line in text.splitlines():
        m = re.match(r"BENCH_SMP kind=(\S+) cpus=(\d+) .*", line.strip())
        if m:
            rows[m.group(1)] = dict(kv.split("=", 1) for kv in line.split()[1:])
    return rows


def loupe_line(kind, f):
    one, n = int(f["one_cpu"]), int(f["n_cpu"])
    b1, bn = int(f["base_one_cpu"]), int(f["base_n_cpu"])
    return "%-24s %9d %9d %s   %9d %9d %s %6s   %6s %6s  (hits %s)" % (
        "  Loupe " + kind, one - b1, n - bn, ratio(n - bn, one - b1), b1, bn, ratio(bn, b1),
        "", f["ratio_min"], "", f["hits"])


def main():
    args = sys.argv[1:]
    lo = {}
    if "--loupe" in args:
        i = args.index("--loupe")
        lo = loupe(open(args[i + 1]).read())
        del args[i:i + 2]
    if not args:
        sys.exit(__doc__)
    info, res, unsup, crashes = linux([open(a, errors="replace").read() for a in args])
    ncpu = info.get("ncpu", "?")
    print("Linux %s at %s CPUs, QEMU TCG: getppid() loops, one sysloop on CPU 0 (1-CPU) "
          "or one pinned to each CPU at once (N-CPU)" % (info.get("kernel", "?"), ncpu))
    print("ns per probe hit = probed minus unprobed per-call time, medians of the rounds; "
          "ratio = N-CPU / 1-CPU; base_1/base_N: the unprobed getppid() call, "
          "b_rat = base_N / base_1 (1.00 unless the host is short of CPUs); norm = ratio / b_rat; "
          "f_rat, f_brat: ratio and b_rat from each sysloop's fastest loop (the least disturbed)")
    if len(args) > 1 or crashes:
        print("%d boot(s) (after a crash, one more for the rounds left); Linux crashed in %d%s" % (
            len(args), len(crashes), ": " + "; ".join(crashes) if crashes else ""))
    if lo:
        unit = "insn" if any(f.get("unit") == "insn" for f in lo.values()) else "ns"
        print("Loupe rows: its BENCH_SMP line, (one_cpu - base_one_cpu) and (n_cpu - base_n_cpu) "
              "in %s; base = its bench_target call (a few ns of work: its b_rat is noise, "
              "so no norm; f_rat: its BENCH_SMP ratio_min, of whole calls)" % unit)
    print(HEAD)
    for mode in MODES + sorted(set(res) - set(MODES)):
        if mode in unsup:
            print("%-24s  n/a: %s" % (mode, unsup[mode]))
            continue
        if mode not in res:
            continue
        r, f = linux_row(res[mode], 1), linux_row(res[mode], 0)
        if not r:
            print("%-24s  incomplete" % mode)
            continue
        ovh1, ovhN, b1, bN, nr = r
        if nr < int(info.get("rounds", 0)):
            mode += " (%d rounds)" % nr
        fast = "%s %s" % (ratio(f[1], f[0]), ratio(f[3], f[2]))
        if mode == "base":
            print("%-24s %9s %9s %6s   %9.0f %9.0f %s %6s   %6s %s" % (
                "base (no probe)", "-", "-", "", b1, bN, ratio(bN, b1), "", "", ratio(f[3], f[2])))
        else:
            print("%-24s %9.0f %9.0f %s   %9.0f %9.0f %s %s   %s" % (
                mode, ovh1, ovhN, ratio(ovhN, ovh1), b1, bN, ratio(bN, b1),
                norm(ovh1, ovhN, b1, bN), fast))
        for kind in LOUPE_KINDS.get(mode, []):
            if kind in lo:
                print(loupe_line(kind, lo[kind]))
    if "ref_clock_read" in lo and "ref_clock_read" not in res:
        print(loupe_line("ref_clock_read", lo["ref_clock_read"]))
    if "ref_trap" in lo:            # Loupe's only: an exception, no probe
        print(loupe_line("ref_trap", lo["ref_trap"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
