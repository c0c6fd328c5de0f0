#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Boot Loupe, run `bench` on its console, print the results, power off.

    make bench                  every kind, full length
    make bench KINDS="kprobe_int3 kretprobe"
    make bench SMP=2            also `bench --cpus`: each kind on 1 CPU, then
                                on both at once (BENCH_SMP lines, the ratio)
    tests/e2e/bench.py --quick  (what make test runs: proves every kind
                                 works and counts its hits exactly, on one
                                 CPU and, with --cpus, on every CPU at once;
                                 no claim about time is checked)
"""
import argparse
import re
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from loupe import Loupe, Runner, check  # noqa: E402

# The traps (int3, #DB, #PF) each kind takes per probed call, from its
# mechanism: an int3 probe with a post_handler traps twice (the int3, then
# the #DB after single-stepping its copy); a boosted one once (its copy
# jumps back by itself); a jump-optimized probe, and everything that enters
# through ftrace or returns through the rethook trampoline, never. No page
# fault anywhere. Counted by the trap handlers, so exact on any machine.
TRAPS = {"kprobe_int3": (1, 1, 0), "kprobe_boost": (1, 0, 0)}
NO_TRAPS = (0, 0, 0)
# A p: event at +5 is queued for jump optimization when enabled, and the
# optimizer thread runs after an RCU grace period: its calls take the
# boosted int3 until then, none after. The bench loop does not let a grace
# period pass, so in practice every call traps once (the full bench shows
# int3=1), but nothing promises it: only the bounds are checked.
TRAPS_AT_MOST = {"ev_kprobe_mid": (1, 0, 0)}


def check_traps(kind, int3, db, pf):
    got = (float(int3), float(db), float(pf))
    if kind in TRAPS_AT_MOST:
        top = TRAPS_AT_MOST[kind]
        check(all(g <= t for g, t in zip(got, top)) and got[1:] == top[1:],
              "int3=%s db=%s pf=%s per hit, expected at most %s" % (int3, db, pf, top))
        return
    want = TRAPS.get(kind, NO_TRAPS)
    check(got == want, "int3=%s db=%s pf=%s per hit, expected %s" % (int3, db, pf, want))


def check_smp(r, smp, nkinds):
    """bench --quick --cpus: every kind ran on every CPU with exact hits."""
    rows = re.findall(r"^BENCH_SMP kind=(?!ref_)(\S+) cpus=(\d+) calls=\d+ unit=\S+ one_cpu=\d+ "
                      r"n_cpu=\d+ n_cpu_max=\d+ ratio=\d+\.\d\d .* hits=(\S+)$", smp, re.M)
    r.run("bench_cpus_every_kind_runs",
          lambda: check(len(rows) == nkinds, "%d of %d kinds: %r" % (len(rows), nkinds, smp[-300:])))
    for name, cpus, hits in rows:
        r.run("bench_cpus_%s_hits_exact" % name,
              lambda c=cpus, h=hits: check(h == "ok" and int(c) >= 2,
                                           "cpus=%s hits %s" % (c, h)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iso", required=True)
    ap.add_argument("--accel", default="tcg")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--cpus", action="store_true",
                    help="also run `bench --cpus` (every CPU hitting each probe at once)")
    ap.add_argument("--qemu-extra", default="",
                    help='more QEMU arguments, e.g. "-icount shift=0,sleep=off"')
    ap.add_argument("kinds", nargs="*")
    args = ap.parse_args()
    cmd = "bench" + (" --quick" if args.quick else "") + "".join(" " + k for k in args.kinds)
    with Loupe(args.iso, args.accel, name="bench", extra_args=args.qemu_extra.split()) as k:
        out = k.run(cmd, timeout=1800)
        smp = ""
        if args.cpus:
            smp = k.run("bench --cpus" + (" --quick" if args.quick else "") +
                        "".join(" " + x for x in args.kinds), timeout=3600)
        bad = k.run("bench --quick kprobe_opt no_such_kind", timeout=60) if args.quick else ""
        k.sendline("poweroff")
        k.expect_exit(timeout=30)
    print(out.strip())
    if smp:
        print(smp.strip())
    if not args.quick:
        return 0 if "handler hits exact" in out and (not args.cpus or "handler hits exact" in smp) else 1
    r = Runner()
    lines = re.findall(r"^BENCH kind=(\S+) calls=\d+ .* hits=(\S+)$", out, re.M)
    traps = re.findall(r"^BENCH kind=(\S+) calls=\d+ .* int3=(\S+) db=(\S+) pf=(\S+) "
                       r"traps_per_hit=\S+ hits=\S+$", out, re.M)

    def all_kinds_ran():
        check(len(lines) >= 9, "only %d kinds reported" % len(lines))

    r.run("bench_every_kind_runs", all_kinds_ran)
    r.run("bench_refuses_an_unknown_kind",
          lambda: check("bench: no such kind: no_such_kind" in bad and "BENCH" not in bad,
                        "got %r" % bad[-300:]))
    for name, hits in lines:
        r.run("bench_%s_hits_exact" % name, lambda h=hits: check(h == "ok", "hits " + h))
    r.run("bench_every_kind_counts_traps", lambda: check(len(traps) == len(lines),
                                                          "%d of %d" % (len(traps), len(lines))))
    for name, int3, db, pf in traps:
        r.run("bench_%s_traps" % name, lambda a=(name, int3, db, pf): check_traps(*a))
    for scale in ("ftrace_boot_nop", "function_all_on", "function_all_off",
                  "kprobes_register_1000", "kprobes_unregister_1000",
                  "fprobe_all_register", "fprobe_all_unregister"):
        r.run("bench_scale_" + scale,
              lambda s=scale: check(re.search(r"^BENCH kind=%s count=\d+ ms=\d+\.\d{3}$" % s, out, re.M),
                                    "no " + s))
    if args.cpus:
        check_smp(r, smp, len(lines))
    r.finish()


if __name__ == "__main__":
    sys.exit(main())
