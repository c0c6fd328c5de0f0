#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Write BENCH.md: instructions and traps per probe hit, Loupe beside Linux.

    scripts/bench-table.py LOUPE_OUT LINUX_OUT COMMIT > BENCH.md

LOUPE_OUT is what `make bench ICOUNT=1` printed (BENCH lines in
instructions, with their trap counts); LINUX_OUT is the table that
`make bench-linux ICOUNT=1` printed (run.sh's: ns per call under
-icount shift=0, so instructions). `make bench-table` runs both and this.

Each row pairs a Loupe kind with the Linux mode that does the same work
by the same mechanism. The overhead is the fastest probed repetition
minus the fastest unprobed one, on both sides: under icount the
repetitions differ only by the timer interrupts that land in them.
"""
import datetime
import re
import sys

# (Loupe kind, Linux mode of run.sh, what both do)
ROWS = [
    ("ftrace_empty", "bpf_fentry", "empty ftrace callback / empty BPF fentry"),
    ("kprobe_ftrace", "bpf_kprobe", "kprobe at the entry, on ftrace"),
    ("kprobe_boost", "bpf_kprobe_int3", "kprobe mid-function, boosted int3"),
    ("kprobe_int3", None, "kprobe mid-function, single-stepped (has a post_handler)"),
    ("kprobe_opt", "bpf_kprobe_opt", "kprobe mid-function, jump-optimized"),
    ("kretprobe", "bpf_kretprobe", "kretprobe"),
    ("fprobe_entry", "bpf_kprobe_multi", "fprobe entry (Linux: BPF kprobe.multi)"),
    ("fprobe_exit", "bpf_kretprobe_multi", "fprobe exit (Linux: BPF kretprobe.multi)"),
    ("function", "function", "function tracer, filtered to the function"),
    ("function_graph", "function_graph", "function_graph tracer, filtered"),
    ("ev_kprobe_entry", "kprobe_entry", "p: event at the entry, one fetch-arg"),
    ("ev_kprobe_mid", "kprobe_int3", "p: event mid-function, boosted int3"),
    ("ev_kretprobe", "kretprobe", "r: event, $retval"),
    ("ev_fprobe_entry", "fprobe_entry", "f: event"),
    ("ev_fprobe_exit", "fprobe_exit", "f:%return event, $retval"),
]

# Linux's traps per hit, from the mechanism each mode uses (run.sh does not
# count them): an int3 kprobe there is boosted (one trap), everything else
# enters through ftrace, a jump or a trampoline.
LINUX_TRAPS = {"bpf_kprobe_int3": "1 int3", "kprobe_int3": "1 int3"}


def loupe_results(text):
    res = {}
    for line in text.splitlines():
        m = re.match(r"BENCH kind=(\S+) calls=\d+ (.*)$", line.strip())
        if not m or "overhead_min_insn=" not in line:
            continue
        f = dict(kv.split("=", 1) for kv in m.group(2).split())
        res[m.group(1)] = f
    return res


def linux_results(text):
    kernel, res = "?", {}
    for line in text.splitlines():
        m = re.match(r"kernel (\S+), accel (\S+)", line)
        if m:
            kernel = m.group(1)
        f = line.split()
        if len(f) >= 5 and re.match(r"^-?\d+\.\d$", f[4]) and re.match(r"^\d+\.\d$", f[1]):
            res[f[0]] = float(f[4])
    return kernel, res


def traps(f):
    parts = ["%s %s" % (f[k], n) for k, n in (("int3", "int3"), ("db", "#DB"), ("pf", "#PF"))
             if f[k] != "0"]
    return " + ".join(parts) if parts else "0"


def main():
    loupe = loupe_results(open(sys.argv[1]).read())
    kernel, linux = linux_results(open(sys.argv[2]).read())
    commit = sys.argv[3]
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = []
    w = out.append
    w("# Instructions and traps per probe hit: Loupe and Linux")
    w("")
    w("Made by `make bench-table` on %s, Loupe commit `%s`, against Linux %s"
      % (today, commit, kernel))
    w("(Debian's cloud kernel, booted by ../shared/anchors/linux-probes/run.sh).")
    w("Both under the same QEMU TCG with `-icount shift=0,sleep=off`, where one")
    w("guest nanosecond is one instruction: these counts are the same on every run.")
    w("")
    w("Instructions per hit: fastest probed repetition minus fastest unprobed")
    w("one, per call (Loupe: `bench`'s overhead_min_insn over calls of")
    w("bench_target(); Linux: run.sh's \"ovh min-min\" over getppid() calls).")
    w("Traps per hit: Loupe's are counted by its int3, #DB and #PF handlers;")
    w("Linux's are given by the mechanism (run.sh cannot count them). On")
    w("hardware a trap costs hundreds of cycles that icount does not see.")
    w("Ratio: Loupe / Linux instructions.")
    w("")
    w("| Loupe kind | Linux mode | what | Loupe insn | Linux insn | ratio | Loupe traps | Linux traps |")
    w("|---|---|---|---:|---:|---:|---|---|")
    for kind, mode, what in ROWS:
        f = loupe.get(kind)
        li = linux.get(mode) if mode else None
        ours = int(f["overhead_min_insn"]) if f else None
        ratio = "%.2f" % (ours / li) if ours is not None and li else "-"
        w("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            kind, mode or "-", what, ours if ours is not None else "?",
            "%.0f" % li if li is not None else "-", ratio,
            traps(f) if f else "?", LINUX_TRAPS.get(mode, "0") if mode else "-"))
    base = [(k, loupe[k]) for k in ("nop", "direct_call") if k in loupe]
    if base:
        w("")
        w("Loupe's floors: " + "; ".join(
            "%s %s insn (base %s, probed %s)" % (k, f["overhead_min_insn"], f["base_insn"],
                                                f["probed_insn"]) for k, f in base) + ".")
    w("")
    w("Notes:")
    w("")
    w("- Linux 6.12 boosts an int3 kprobe on `push`; it has no single-stepped")
    w("  mode to compare `kprobe_int3` with.")
    w("- `ev_kprobe_mid` is queued for jump optimization when enabled, but the")
    w("  optimizer thread waits for an RCU grace period, which the bench loop")
    w("  seldom lets pass: most of its hits take the (boosted) int3, as its trap")
    w("  count shows. Below 1 trap a hit, the optimizer got in during the run,")
    w("  and the fastest repetition may be made of jump-optimized hits.")
    w("  Linux's `kprobe_int3` is the same event with optimization off; its")
    w("  jump-optimized event (`kprobe_opt`) costs %s instructions."
      % ("%.0f" % linux["kprobe_opt"] if "kprobe_opt" in linux else "?"))
    w("- The probed functions differ (bench_target() against getppid()), so a")
    w("  handler that reads arguments or the return value reads other things;")
    w("  the mechanisms are the same.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
