#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Probes must not break the code they patch, typed on the console.

Each scenario boots its own kernel, so one that crashes cannot hide the
others. The probe offsets are found with `dis`, not written in: they
follow the compiler.

  - an optimized probe's jmp must not cover the target of a jump that
    another probe's int3 hides (issue 14, 1a);
  - the boundary check decodes through another probe's int3 (1b);
  - `dis` decodes the original code and shows each patch under it, with
    whose patch it is, and the bytes an optimized jmp covers as covered;
  - `dis` of a slot or a detour says what each part does, and
    kprobes/list names them;
  - a probe on a load that may fault on purpose (it has an exception-table
    entry) is never boosted nor optimized, and the fault is still fixed
    up, from the console and from a faulting fetch-arg (issue 14, 2).
"""
import re
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from loupe import Runner, check, run_on_fresh_boots, scenario_args  # noqa: E402

T = "/sys/kernel/tracing"
BAD = "0xffffc9fffffff000"    # kernel half, never mapped
DIS_RE = r"^[0-9a-f]{16} <%s\+(0x[0-9a-f]+)/0x[0-9a-f]+>\s+((?:[0-9a-f]{2} )+)\s*(\d+)  (\S+)[^\n]*?(?:  -> %s\+(0x[0-9a-f]+)|$)"


def decode(k, sym, n=32):
    """[(offset, bytes, length, kind, branch target offset or None)] of @sym."""
    out = k.run("dis %s %d" % (sym, n))
    insns = []
    for line in out.splitlines():
        m = re.match(DIS_RE % (sym, sym), line)
        if m:
            insns.append((int(m.group(1), 16), m.group(2).strip(), int(m.group(3)), m.group(4),
                          int(m.group(5), 16) if m.group(5) else None))
    check(insns, "dis %s decoded nothing:\n%s" % (sym, out))
    return insns


def fib_jump_and_cover(k):
    """fib's conditional jump, its target, and the instruction whose 5 bytes
    cover that target (an optimizer that misses the jump would pick it)."""
    insns = decode(k, "fib")
    jcc = [i for i in insns if i[3].startswith("jcc")]
    check(jcc, "no conditional jump in fib: %r" % insns)
    off, _, _, _, target = jcc[0]
    cover = [i[0] for i in insns if i[0] < target < i[0] + 5 and i[3] == "ordinary"]
    check(cover, "no instruction covers fib+%#x: %r" % (target, insns))
    return off, target, cover[-1], insns


def add(k, cmd):
    out = k.run("echo '%s' >> kprobe_events" % cmd)
    check("error" not in out, "%r refused: %r" % (cmd, out))


def profile(k):
    """{event: (hits, misses)} from kprobe_profile."""
    return {m.group(1): (int(m.group(2)), int(m.group(3)))
            for m in re.finditer(r"^\s*(\S+)\s+(\d+)\s+(\d+)\s*$", k.run("cat kprobe_profile"), re.M)}


def probe_list(k):
    return k.run("cat /sys/kernel/debug/kprobes/list")


def wait_optimized(k, where):
    """The optimizer thread runs when it can: wait until @where (sym+off)
    is listed [OPTIMIZED], or fail."""
    for _ in range(20):
        listing = probe_list(k)
        if re.search(r"%s \[OPTIMIZED\]" % re.escape(where), listing):
            return listing
        k.run("sleep 200")
    check(False, "%s never optimized:\n%s" % (where, listing))


def alive(k):
    check("up " in k.run("uptime"), "console does not answer")


def t_optimized_jmp_never_covers_a_hidden_jump_target(k):
    jcc, target, cover, insns = fib_jump_and_cover(k)
    first = "fib+%#x" % insns[1][0]      # after the fentry site: optimizable
    k.run("cd " + T)
    add(k, "p:a fib+%#x" % jcc)
    add(k, "p:b fib+%#x" % cover)
    add(k, "p:c " + first)              # after b in the optimizer's queue
    k.run("echo 1 > events/kprobes/enable")
    k.run("sleep 300")                  # the optimizer's turn
    listing = wait_optimized(k, first)
    check(not re.search(r"fib\+%#x \[OPTIMIZED\]" % cover, listing),
          "b optimized over fib+%#x, a jump target:\n%s" % (target, listing))
    check("fib(5) = 5 (15 calls" in k.run("run fib 5"), "fib 5 is wrong")
    hits = profile(k)
    check(hits["a"] == (15, 0) and hits["c"] == (15, 0), "a, c: %r" % hits)
    check(hits["b"] == (7, 0), "b: %r (7 calls of fib 5 recurse)" % (hits["b"],))
    alive(k)


def t_boundary_check_decodes_through_an_int3(k):
    jcc, _, _, insns = fib_jump_and_cover(k)
    after = [i for i in insns if i[0] > jcc][0]          # the lea after the jbe
    check(after[2] >= 3, "the instruction after the jcc is too short: %r" % (after,))
    k.run("cd " + T)
    add(k, "p:a fib+%#x" % jcc)
    k.run("echo 1 > events/kprobes/a/enable")
    out = k.run("echo 'p:c fib+%#x' >> kprobe_events" % (after[0] + 2))
    check("Probe point is not an instruction boundary" in out, "inside an instruction accepted: %r" % out)
    add(k, "p:d fib+%#x" % after[0])
    k.run("echo 1 > events/kprobes/d/enable")
    check("fib(5) = 5 (15 calls" in k.run("run fib 5"), "fib 5 is wrong")
    hits = profile(k)
    check(hits["a"] == (15, 0) and hits["d"] == (7, 0), "hits: %r" % hits)
    check(decode(k, "fib") == insns, "dis with probes in place decodes differently")
    alive(k)


def t_dis_shows_the_original_code_and_each_patch(k):
    jcc, _, _, insns = fib_jump_and_cover(k)
    offs = [i[0] for i in insns]
    # An optimizable run after the jump's target: the epilogue's mov and pops.
    tail = [i for i in insns if i[0] >= insns[offs.index(jcc)][4]]
    k.run("cd " + T)
    add(k, "p:a fib+%#x" % jcc)
    add(k, "p:o fib+%#x" % tail[0][0])
    k.run("echo 1 > events/kprobes/enable")
    wait_optimized(k, "fib+%#x" % tail[0][0])
    k.run("echo fib > set_ftrace_filter")
    k.run("echo function > current_tracer")
    out = k.run("dis fib 32")
    check(decode(k, "fib") == insns, "dis with patches decodes differently:\n%s" % out)
    lines = out.splitlines()

    def note_after(off):
        at = [n for n, l in enumerate(lines) if re.search(r"<fib\+%#x/" % off, l)][0]
        return lines[at + 1] if at + 1 < len(lines) else ""

    check(re.search(r"\^ now \(ftrace\)\s+e8 .*call_rel32 .*; ftrace: ops function_trace_call -> "
                    r"ftrace_\w+$", note_after(0)), "fentry: %r" % note_after(0))
    check(re.search(r"\^ now \(kprobe\)\s+cc\s+1  int3 .*; int3 of kprobe fib\+%#x \[\w+\] "
                    r"\(original: j\w+ [0-9a-f]{16} <fib\+%#x>\)$" % (jcc, insns[offs.index(jcc)][4]),
                    note_after(jcc)), "jcc: %r" % note_after(jcc))
    check(re.search(r"\^ now \(optimized kprobe\)\s+e9 .*jmp_rel32 +jmp +[0-9a-f]{16} <optprobe_detour>"
                    r".*; kprobe fib\+%#x \[OPTIMIZED\]$" % tail[0][0], note_after(tail[0][0])),
          "jmp: %r" % note_after(tail[0][0]))
    # The jmp's displacement is not decoded: its bytes are shown covered.
    for t in tail[1:]:
        if t[0] >= tail[0][0] + 5:
            break
        check(re.search(r"\^ now \(optimized kprobe\)\s+(?:[0-9a-f]{2} )+\s*%d  covered\s+; replaced by "
                        r"the jump of kprobe fib\+%#x \[OPTIMIZED\]$" % (t[2], tail[0][0]), note_after(t[0])),
              "jmp tail at fib+%#x: %r" % (t[0], note_after(t[0])))
    # dis from inside the jmp knows it too.
    out = k.run("dis fib+%#x 1" % tail[1][0])
    check("; replaced by the jump of kprobe fib+%#x [OPTIMIZED]" % tail[0][0] in out,
          "dis inside the jmp: %r" % out)
    # The assembly column starts at the same place on every line.
    cols = set(m.end() for l in lines for m in [re.match(r"^.{47}.{31}\s*\d+  \S+ +", l)]
               if m and "covered" not in l)
    check(len(cols) == 1, "the assembly column moves: %r\n%s" % (cols, out))
    k.run("echo nop > current_tracer")
    k.run("echo 0 > events/kprobes/enable")
    out = k.run("dis fib 32")
    check("^ now" not in out, "notes left after every patch went:\n%s" % out)
    alive(k)


def t_dis_explains_slots_and_detours(k):
    insns = decode(k, "fib")
    first = insns[1][0]                 # after the fentry site: optimizable
    k.run("cd " + T)
    add(k, "p:o fib+%#x" % first)
    k.run("echo 1 > events/kprobes/enable")
    listing = wait_optimized(k, "fib+%#x" % first)
    m = re.search(r"fib\+%#x \[OPTIMIZED\].*  slot (0x[0-9a-f]+) <kprobe_insn_slot \[kprobes\]>"
                  r"  detour (0x[0-9a-f]+) <optprobe_detour \[kprobes\]>$" % first, listing, re.M)
    check(m, "kprobes/list does not name the slot and the detour:\n%s" % listing)
    slot, detour = m.group(1), m.group(2)
    out = k.run("dis %s 100" % detour)
    parts = [n for n in re.findall(r"  ; (.*)$", out, re.M)]
    want = ["detour: save the registers as a struct pt_regs",
            "detour: regs->ip = the probe's address; a frame record for backtraces",
            "detour: the handlers' arguments (point, regs); preemption off",
            "detour: call the probe's handlers (kprobe_optimized_callback)",
            "detour: back from the handlers: restore the registers"]
    check(parts[:5] == want, "the detour's parts: %r\n%s" % (parts, out))
    moved = [i for i in insns if first <= i[0] < first + 5 or (i[0] < first + 5 <= i[0] + i[2] - 1)]
    for i in moved:
        check("relocated from fib+%#x (the jump replaced it)" % i[0] in parts, "fib+%#x not relocated: %r"
              % (i[0], parts))
    end = moved[-1][0] + moved[-1][2]
    check(re.search(r"jmp_rel32 +jmp +[0-9a-f]{16} <fib\+%#x> .*; jump back to fib\+%#x, after the "
                    r"replaced instructions$" % (end, end), out, re.M), "no jump back:\n%s" % out)
    check(re.search(r"^[0-9a-f]{16} <optprobe_detour\+0x0/0x[0-9a-f]+> ", out), "detour label:\n%s" % out)
    out = k.run("dis %s 2" % slot)
    check(re.search(r"<kprobe_insn_slot\+0x0/0x20>.*; copy of fib\+%#x: a hit runs it here \[BOOSTED\]$"
                    % first, out, re.M), "the slot's copy:\n%s" % out)
    check(re.search(r"; jump back to fib\+%#x \(taken when boosted\)$" % (first + insns[1][2]), out, re.M),
          "the slot's jump back:\n%s" % out)
    # Optimization off: the same point is a boosted int3 again.
    k.run("echo 0 > /proc/sys/debug/kprobes-optimization")
    listing = probe_list(k)
    check(re.search(r"fib\+%#x \[BOOSTED\].*  slot 0x[0-9a-f]+ <kprobe_insn_slot \[kprobes\]>$" % first,
                    listing, re.M) and "detour" not in listing, "after optimization off:\n%s" % listing)
    out = k.run("dis fib+%#x 1" % first)
    check(re.search(r"\^ now \(kprobe\) .*; int3 of kprobe fib\+%#x \[BOOSTED\] \(original: push %%rbp\)$"
                    % first, out, re.M), "the int3's note:\n%s" % out)
    check("fib(5) = 5 (15 calls" in k.run("run fib 5"), "fib 5 is wrong")
    check(profile(k)["o"] == (15, 0), "o: %r" % (profile(k)["o"],))
    alive(k)


def tour_commands(k):
    """The lines `help dis` asks a student to type: indented six spaces,
    what to look for after two spaces or more."""
    out = k.run("help dis")
    cmds = [re.split(r"\s{2,}", l[6:])[0] for l in out.splitlines() if re.match(r"^ {6}\S", l)]
    check(len(cmds) > 20, "help dis has no tour: %r" % out)
    return cmds


# What some tour lines must show, by the line as typed (after substitution).
TOUR_WANT = [
    ("dis fib 1", r"\^ now \(ftrace\) .*; ftrace: ops function_trace_call -> ftrace_"),
    ("dis fib+5 1", r"\^ now \(kprobe\) .*; int3 of kprobe fib\+0x5 \[BOOSTED\] \(original: push %rbp\)"),
    ("dis SLOT 2", r"copy of fib\+0x5: a hit runs it here \[BOOSTED\](.|\n)*jump back to fib\+0x6 "),
    ("dis SLOT 1", r"copy of copy_from_kernel_nofault\+0x[0-9a-f]+: a hit single-steps it here"),
    ("dis fib+5 3", r"jmp +[0-9a-f]+ <optprobe_detour>(.|\n)*  covered  +; replaced by the jump of kprobe "
                    r"fib\+0x5 \[OPTIMIZED\]"),
    ("dis DETOUR 80", r"call the probe's handlers(.|\n)*relocated from fib\+0x5 (.|\n)*jump back to fib\+0x"),
    ("cat /proc/PID/rethook", r"kretprobe fib +fib(_body)?\+0x"),
    ("bt PID", r"fib\+0x[0-9a-f]+/0x[0-9a-f]+ \[rethook\]"),
]


def t_help_dis_tour_runs_as_written(k):
    """Type every line of `help dis`, filling in SLOT, OFF, DETOUR and PID
    from what the lines before printed, and check what each step shows."""
    cmds = tour_commands(k)
    want = list(TOUR_WANT)
    listing = disasm = ""
    k.run("cd " + T)
    for cmd in cmds:
        line = cmd
        if "SLOT" in line:                  # the newest probe's slot
            slot = re.findall(r"  slot (0x[0-9a-f]+) ", listing)
            check(slot, "no slot in kprobes/list for %r:\n%s" % (cmd, listing))
            line = line.replace("SLOT", slot[-1])
        if "DETOUR" in line:
            m = re.search(r"  detour (0x[0-9a-f]+) ", listing)
            check(m, "no detour in kprobes/list:\n%s" % listing)
            line = line.replace("DETOUR", m.group(1))
        if "OFF" in line:
            m = re.search(r"<copy_from_kernel_nofault\+(0x[0-9a-f]+)/.*  mov +\(%rsi\),%rax", disasm)
            check(m, "no mov (%%rsi),%%rax in:\n%s" % disasm)
            line = line.replace("OFF", m.group(1))
        if "PID" in line:
            m = re.search(r"^\s*(\d+) R\s+\d+\s+\S+ fib$", k.run("ps"), re.M)
            check(m, "no fib running")
            line = line.replace("PID", m.group(1))
        out = k.run(line, timeout=120)
        check(not re.search(r"error|usage:|No such|not mapped|refused", out),
              "tour line %r printed:\n%s" % (line, out))
        if line.startswith("cat /sys/kernel/debug/kprobes/list"):
            listing = out
        if line.startswith("dis copy_from_kernel_nofault"):
            disasm = out
        if want and cmd == want[0][0]:
            check(re.search(want[0][1], out), "tour line %r should show %r:\n%s" % (line, want[0][1], out))
            want.pop(0)
    check(not want, "tour lines never typed: %r" % want)
    check(k.run("cat /sys/kernel/debug/kprobes/list").strip() == "", "the tour left probes")
    alive(k)


def faulting_load_offset(k):
    """The 8-byte load of copy_from_kernel_nofault (mov (%rsi),%rax), which
    has an exception-table entry: it faults on purpose for a bad address."""
    loads = [i[0] for i in decode(k, "copy_from_kernel_nofault", 40) if i[1] == "48 8b 06"]
    check(loads, "no mov (%rsi),%rax in copy_from_kernel_nofault")
    return loads[0]


def t_probe_on_a_faulting_load_is_fixed_up(k):
    off = faulting_load_offset(k)
    k.run("cd " + T)
    k.run("echo 'p:nf copy_from_kernel_nofault+%#x' > kprobe_events" % off)
    k.run("echo 1 > events/kprobes/nf/enable")
    check("not mapped" in k.run("dis %s 1" % BAD), "dis of a bad address")
    k.run("sleep 300")                  # the optimizer's turn
    check("not mapped" in k.run("dis %s 1" % BAD), "dis of a bad address, later")
    listing = probe_list(k)
    check(re.search(r"copy_from_kernel_nofault\+%#x\b" % off, listing), "not listed: %r" % listing)
    check("[BOOSTED]" not in listing and "[OPTIMIZED]" not in listing, "boosted: %r" % listing)
    hits = profile(k)["nf"]
    # dis reads 15, 14 ... 8 bytes with the 8-byte load: each one faults.
    check(hits[0] >= 16, "nf hits: %r" % (hits,))
    # A fetch-arg that faults, from inside another probe's handler.
    add(k, "p:bad fib x=@%s:u64" % BAD)
    k.run("echo 1 > events/kprobes/bad/enable")
    k.run("echo > trace")
    check("fib(3) = 2 (5 calls" in k.run("run fib 3"), "fib 3 is wrong")
    lines = [l for l in k.run("cat trace").splitlines() if " bad: " in l]
    check(len(lines) == 5 and all(l.endswith("x=(fault)") for l in lines), "trace: %r" % lines)
    check(profile(k)["nf"][1] >= 5, "the fetch's hits on nf were not missed")
    check(re.search(r"copy_from_kernel_nofault\+%#x\b" % off, probe_list(k)), "nf gone")
    alive(k)


SCENARIOS = [
    t_optimized_jmp_never_covers_a_hidden_jump_target,
    t_boundary_check_decodes_through_an_int3,
    t_dis_shows_the_original_code_and_each_patch,
    t_dis_explains_slots_and_detours,
    t_help_dis_tour_runs_as_written,
    t_probe_on_a_faulting_load_is_fixed_up,
]


def main():
    args = scenario_args().parse_args()
    r = Runner()
    run_on_fresh_boots(r, args, SCENARIOS, "probe_text_")
    r.finish()


if __name__ == "__main__":
    main()
