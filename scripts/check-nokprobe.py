#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Check that kprobes refuses every function on the trap and probe paths.

A kprobe on code that runs before the kprobe bookkeeping has marked the
CPU busy - the int3 and debug-trap handlers, the page-fault fixup, the
ftrace, rethook and optimized-kprobe trampolines up to the callback that
takes its guard - fires again inside its own handling: a nested int3
reuses the IST frame of the one being handled, a nested hit in the
single-step overwrites the state it is resuming from. The same holds for
the event-recording path, which every tracer shares, some with no kprobe
busy mark at all. The kernel refuses such probes by its blacklist
(kprobe_blacklisted() in trace/kprobes.c): the .entry.text and
.kprobes.text ranges, and the functions named by NOKPROBE_SYMBOL().

This script proves the blacklist covers those paths. It disassembles the
kernel with objdump, builds the graph of direct calls and jumps between
functions, walks it from the ENTRIES below, and checks each function it
reaches against the blacklist read from the ELF the way the kernel reads
it: the two section ranges, and for every address in the blacklist
section the extent of the kallsyms symbol containing it. A reachable
function that kprobes would accept is a failure, printed with the path
that reaches it.

Where the walk ends: at the handlers a probe's user supplies. kprobes
marks the CPU busy (current_kprobe, trace/probe_guard.h) before it calls a pre_handler, and a
hit while busy is only counted missed and single-stepped, so what the
handlers call (the probe events' fetch-args, printk, kmalloc) may be
probed. Everything before the mark is walked, and so is kprobes' own
bookkeeping after it, which calls no handler: the instruction's
emulation or single-step set-up, the #DB return, the missed count. A hit
there would overwrite the state being resumed from. The same holds for
ftrace's callbacks and the rethook handlers up to their own guards.

Indirect calls cannot be followed. Every one the walk meets must be
explained in INDIRECT: either its targets are handlers entered only after
the busy mark (a kprobe's pre/post handler...), so the walk may stop, or
its targets are named and become entries of their own (ftrace_ops
callbacks, rethook handlers). An unexplained indirect call is a failure,
so a new one on these paths cannot slip by. CUTS lists the direct edges
the checked paths cannot take, and STOPS the functions that must be
refused but are not walked into; each says why, and a stale entry (a name
that no longer exists, an edge that is gone) is a failure too.

With --selftest FILE, the table trap_path_functions[] in that C file
(tests/kernel/test_nokprobe.c, whose self-test registers a kprobe on each
and expects -EPERM) must list exactly the functions reached, so the
running kernel confirms what this script read from the ELF.

Usage: check-nokprobe.py [--objdump OBJDUMP] [--nm NM] [--selftest FILE] [-v]
                         build/kernel.elf
Prints one line per failure and ends with "N passed, M failed" (N and M
count the functions reached and the table entries checked).
"""
import argparse
import bisect
import os
import re
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kallsyms  # noqa: E402  the kernel's own symbol table, built the same way

# ------------------------------------------------------------ the paths

# Where the checked paths begin, and why each must not be probed.
ENTRIES = {
    # entry.S: every vector's stub -> common_interrupt -> irq_dispatch. Of
    # these paths, #BP (int3) and #DB run kprobes' own handlers; #PF and
    # #GP fix up faults of fault-safe reads, including one taken while a
    # probed instruction is single-stepped.
    "idt_stubs": "the interrupt and exception stubs (int3, #DB, #PF, #GP)",
    # ftrace_64.S: what a patched fentry site calls. The callback is the
    # ops' own (ftrace_ops_list_func, or the ops' func in a copy).
    "ftrace_caller": "the ftrace trampoline",
    "ftrace_regs_caller": "the ftrace trampoline with full pt_regs",
    "ftrace_regs_noip_caller": "the ftrace trampoline with full pt_regs, fixed ip",
    "return_to_handler": "function_graph's return trampoline",
    # rethook_64.S: where a hooked function returns (kretprobe, fprobe).
    "arch_rethook_trampoline": "the rethook trampoline",
    # opt_64.S: the template every optimized kprobe's detour is copied from.
    "optprobe_template": "the optimized-kprobe detour",
    # The event-recording path. Every tracer writes through it, and the
    # function tracers hold no kprobe busy mark while they do: a kprobe
    # event fired inside the reserve loop would nest a second write into
    # it, whose tail move makes the outer writer retry - reading the clock
    # and firing again, tens of thousands of times per traced call.
    "ring_buffer_reserve": "recording: the ring buffer's reserve",
    "ring_buffer_commit": "recording: the ring buffer's commit",
    "ring_buffer_discard": "recording: the ring buffer's discard",
    # A probe event's record: the usual hit's is inlined into the kind's
    # handler (trace/probe_record.h), the rest is out of line.
    "probe_event_record_checked": "recording: a probe event's record, the whole way",
    "kprobe_event_hit": "recording: a p: event's record, the short way inlined",
    "kretprobe_event_hit": "recording: an r: event's record, the short way inlined",
    "fentry_event_hit": "recording: an f: event's record, the short way inlined",
    "fexit_event_hit": "recording: an f:%return event's record, the short way inlined",
}

# Targets of ftrace_ops::func: the trampolines call them before any kprobe
# busy mark; each takes its own guard (kprobe_ftrace_handler marks the CPU
# busy, fprobe the same probe guard, the tracers their recursion bits). A trampoline copied
# for a lone ops calls its func, or ftrace_ops_recursion_func, directly.
# CALLBACK_SOURCES below finds the callbacks named in the kernel's sources:
# one missing here is a failure.
FTRACE_CALLBACKS = [
    "kprobe_ftrace_handler", "fprobe_handler",
    "function_trace_call", "function_stack_trace_call", "graph_entry", "fhook_callback",
    "ftrace_ops_recursion_func", "ftrace_count", "func_cmds_call",
    "stack_trace_call",
]
# Targets of a rethook's handler: called from the rethook trampoline.
RETHOOK_HANDLERS = ["kretprobe_return", "fprobe_exit"]

# Where the sources name the targets above: (pattern, the list it fills).
# The self-tests' own callbacks (tests/kernel/) run only under `selftest`
# and are not checked.
SOURCE_DIRS = ("arch", "kernel", "lib", "trace")
CALLBACK_SOURCES = [
    (r"\.func\s*=\s*([^;,}]*)", "FTRACE_CALLBACKS", FTRACE_CALLBACKS),
    (r"rethook_alloc\([^,()]*,\s*([^)]*)\)", "RETHOOK_HANDLERS", RETHOOK_HANDLERS),
]

# Indirect calls on the walked paths, by the function making them.
# "stop": the targets are only entered after the busy mark (or are not
# code on these paths); the walk goes no further. A list: the possible
# targets, walked as entries of their own.
INDIRECT = {
    "kprobe_int3_handler": ("stop", "pre_handler: after the probe guard marks the CPU busy"),
    "run_instruction": ("stop", "post_handler of an emulated instruction: still busy"),
    "kprobe_debug_handler": ("stop", "post_handler: the CPU is still marked busy"),
    "kprobe_ftrace_handler": ("stop", "pre/post_handler: after the busy mark"),
    "kprobe_ftrace_post": ("stop", "post_handler: after the busy mark"),
    "kprobe_optimized_callback": ("stop", "pre_handler: after the busy mark"),
    # Called by arch_stack_walk_current(), whose one caller on these paths
    # is trace_record_stack(), with collect_frame behind plain_report.
    "unwind_report": ["plain_report"],
    "plain_report": ["collect_frame"],
    "ftrace_ops_list_func": FTRACE_CALLBACKS,
    "ftrace_ops_recursion_func": FTRACE_CALLBACKS,
    "rethook_trampoline_handler": RETHOOK_HANDLERS,
    "rethook_return_slow": RETHOOK_HANDLERS,
    "kretprobe_return": ("stop", "kretprobe::handler: the probe user's return "
                         "handler, run under the busy mark like a pre_handler"),
    "fprobe_handler": ("stop", "fprobe::entry_handler: run under the probe guard"),
    "fprobe_exit": ("stop", "fprobe::exit_handler: run under the probe guard"),
    "return_to_handler": ("stop", "jmp *%r11: the return to the traced "
                          "function's caller"),
}

# Direct edges that the checked paths never take.
CUTS = {
    ("irq_dispatch", "device_interrupt"):
        "device interrupts (vector >= 32): int3 and #DB run with interrupts "
        "off, so these never run inside them, and an interrupt that arrives "
        "in a trampoline or a probed function is a context of its own",
}

# Refused, but not walked into: what they call is ordinary kernel code that
# runs here only in a context where a probe hit is harmless.
STOPS = {
    "die": "the kernel is going down: die() prints its report and panics; "
           "the report (printk, the unwinder, the UART) is everyone's code",
    "panic": "the same, for a broken invariant found on these paths",
    "warn_slowpath": "a WARN: prints and returns, through everyone's printk",
    "preempt_schedule": "a reschedule once the handlers are done (the "
                        "outermost preempt_enable()): schedule() then runs "
                        "as from any other preempt_enable()",
    "probe_event_record_checked": "the fetch helpers it calls (copy_from_kernel_nofault, "
                                  "snprintf, strlen, kallsyms) run only inside a probe's "
                                  "handler, under its guard: a probe on them is a nested "
                                  "hit, counted missed; the buffer calls it makes are "
                                  "entries above",
    "kprobe_event_hit": "a probe event's handler: as probe_event_record_checked",
    "kretprobe_event_hit": "a probe event's handler: as probe_event_record_checked",
    "fentry_event_hit": "a probe event's handler: as probe_event_record_checked",
    "fexit_event_hit": "a probe event's handler: as probe_event_record_checked",
    "stack_trace_check": "the stack tracer's walk of a new deepest stack: the "
                         "same as trace_record_stack's",
}

# A patched fentry site in a traced function: not a call while tracing is off,
# and a call into the (refused) trampolines when it is on.
IGNORED_TARGETS = {"__fentry__"}

# ------------------------------------------------------------ the ELF


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


class Kernel:
    """Symbols, bytes and instructions of a linked kernel.elf."""

    def __init__(self, elf, nm, objdump):
        self.elf = elf
        nm_lines = run([nm, "-n", "-S", "--defined-only", elf]).splitlines()
        self.raw = {}
        for line in nm_lines:
            parts = line.split()
            if len(parts) >= 3:
                self.raw.setdefault(parts[-1], int(parts[0], 16))
        # The table the kernel carries, and its lookup.
        self.ksyms = kallsyms.read_symbols(nm_lines)
        self.kaddrs = [s[0] for s in self.ksyms]
        # Functions for the call graph: sized symbols; an unsized label
        # inside one (ftrace_caller_call) belongs to it.
        sizes = nm_sizes(nm_lines)
        self.funcs = sorted((s[0], s[1], s[3]) for s in self.ksyms
                            if s[2] in "Tt" and sizes.get((s[0], s[3]), 0) > 0)
        self.faddrs = [f[0] for f in self.funcs]
        self.by_name = {}
        for f in self.funcs:
            self.by_name.setdefault(f[2], f)
        self.insns = disassemble(objdump, elf)

    def read(self, addr, size):
        """@size bytes at virtual address @addr, from the loadable segments."""
        with open(self.elf, "rb") as f:
            data = f.read()
        phoff, = struct.unpack_from("<Q", data, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
        for i in range(phnum):
            p_type, _, p_off, p_vaddr, _, p_filesz, _, _ = \
                struct.unpack_from("<IIQQQQQQ", data, phoff + i * phentsize)
            if p_type == 1 and p_vaddr <= addr and addr + size <= p_vaddr + p_filesz:
                start = p_off + addr - p_vaddr
                return data[start:start + size]
        raise ValueError("address %#x is not in a loaded segment" % addr)

    def lookup(self, addr):
        """kallsyms_lookup_addr(): (addr, size, name) of the symbol containing
        @addr, stepping back over aliases at the same address, or None."""
        i = bisect.bisect_right(self.kaddrs, addr) - 1
        floor = self.kaddrs[i] if i >= 0 else None
        while i >= 0 and self.kaddrs[i] == floor:
            a, size, _, name = self.ksyms[i]
            if addr - a < size:
                return (a, size, name)
            i -= 1
        return None

    def func_at(self, addr):
        """The call-graph function containing @addr, or None."""
        i = bisect.bisect_right(self.faddrs, addr) - 1
        while i >= 0:
            a, size, name = self.funcs[i]
            if a <= addr < a + size:
                return name
            if a + size <= addr and (i == 0 or self.funcs[i - 1][0] != a):
                break
            i -= 1
        return None


def nm_sizes(nm_lines):
    """(addr, name) -> size, for the symbols nm gave a size."""
    sizes = {}
    for line in nm_lines:
        parts = line.split()
        if len(parts) == 4:
            sizes[(int(parts[0], 16), parts[3])] = int(parts[1], 16)
    return sizes


INSN = re.compile(r"^\s*([0-9a-f]+):\s+(.*)$")


def disassemble(objdump, elf):
    """[(addr, text)] of every instruction objdump decodes in the kernel."""
    out = []
    for line in run([objdump, "-d", "--no-show-raw-insn", elf]).splitlines():
        m = INSN.match(line)
        if m:
            out.append((int(m.group(1), 16), m.group(2).strip()))
    return out


def branch_of(text):
    """('direct', target) / ('indirect', operand) / None for one instruction."""
    parts = text.split(None, 1)
    if not parts:
        return None
    mnem = parts[0]
    if mnem in ("notrack", "bnd") and len(parts) > 1:
        parts = parts[1].split(None, 1)
        mnem = parts[0]
    if not (mnem.startswith("call") or mnem.startswith("j")):
        return None
    operand = parts[1] if len(parts) > 1 else ""
    if operand.startswith("*"):
        return ("indirect", operand)
    m = re.match(r"([0-9a-f]+)\b", operand)
    return ("direct", int(m.group(1), 16)) if m else None


# ------------------------------------------------------------ the blacklist


class Blacklist:
    """kprobe_blacklisted(), computed from the ELF."""

    def __init__(self, k):
        self.ranges = [(k.raw["__entry_text_start"], k.raw["__entry_text_end"],
                        ".entry.text"),
                       (k.raw["__kprobes_text_start"], k.raw["__kprobes_text_end"],
                        ".kprobes.text")]
        start, stop = k.raw["__start_kprobe_blacklist"], k.raw["__stop_kprobe_blacklist"]
        table = k.read(start, stop - start)
        for (addr,) in struct.iter_unpack("<Q", table):
            sym = k.lookup(addr)
            if sym:
                self.ranges.append((sym[0], sym[0] + sym[1], "NOKPROBE_SYMBOL"))

    def refuses(self, addr):
        return any(lo <= addr < hi for lo, hi, _ in self.ranges)


# ------------------------------------------------------------ the walk


class Graph:
    """Direct edges and indirect call sites, per function."""

    def __init__(self, k):
        self.calls = {}		# name -> {callee name: first site}
        self.indirect = {}	# name -> [(site, operand)]
        self.unknown = {}	# name -> [(site, target)]: into no function
        self.sites = {}		# name -> [instruction addresses]
        for addr, text in k.insns:
            name = k.func_at(addr)
            if name is None:
                continue
            self.sites.setdefault(name, []).append(addr)
            br = branch_of(text)
            if br is None:
                continue
            kind, arg = br
            if kind == "indirect":
                self.indirect.setdefault(name, []).append((addr, arg))
                continue
            callee = k.func_at(arg)
            if callee is None:
                self.unknown.setdefault(name, []).append((addr, arg))
            elif callee != name:	# not a jump inside the function
                self.calls.setdefault(name, {}).setdefault(callee, addr)


def walk(k, g, bl, verbose):
    """Walk from every entry; return (functions reached, failures)."""
    failures = []
    parent = {}
    queue = []

    def reach(name, via):
        if name not in parent:
            parent[name] = via
            queue.append(name)

    def path(name):
        chain = []
        while name is not None:
            chain.append(name)
            name = parent[name]
        return " <- ".join(chain)

    for name, why in ENTRIES.items():
        if name not in k.by_name:
            failures.append("entry %s (%s) is not in the kernel" % (name, why))
            continue
        reach(name, None)
    used_cuts, used_indirect = set(), set()
    while queue:
        name = queue.pop(0)
        if name in STOPS:
            continue
        for callee in sorted(g.calls.get(name, {})):
            if callee in IGNORED_TARGETS:
                continue
            if (name, callee) in CUTS:
                used_cuts.add((name, callee))
                continue
            reach(callee, name)
        for site, target in g.unknown.get(name, []):
            failures.append("%s: branch at %#x to %#x, in no function (path: %s)"
                            % (name, site, target, path(name)))
        sites = g.indirect.get(name, [])
        if not sites:
            continue
        how = INDIRECT.get(name)
        if how is None:
            for site, operand in sites:
                failures.append("%s: indirect call %s at %#x is not explained in "
                                "INDIRECT (path: %s)" % (name, operand, site, path(name)))
            continue
        used_indirect.add(name)
        where = "%s (%d site%s)" % (name, len(sites), "s" if len(sites) > 1 else "")
        if how[0] == "stop":
            print("indirect call in %s, not followed: %s" % (where, how[1]))
            continue
        for target in how:
            if target not in k.by_name:
                failures.append("INDIRECT[%s]: target %s is not in the kernel" % (name, target))
                continue
            reach(target, name)
        print("indirect call in %s, walked into: %s" % (where, ", ".join(how)))

    for name in parent:
        probeable = [a for a in g.sites.get(name, [k.by_name[name][0]])
                     if not bl.refuses(a)]
        if probeable:
            failures.append("probeable: %s (at %#x) reached by %s"
                            % (name, probeable[0], path(name)))
        elif verbose:
            print("  refused: %s" % path(name))

    # Tables that no longer describe the kernel are failures: stale
    # exceptions hide the paths they once described.
    for (caller, callee), why in CUTS.items():
        if (caller, callee) not in used_cuts:
            failures.append("CUTS: no edge %s -> %s on the walked paths (%s)"
                            % (caller, callee, why))
    for name in INDIRECT:
        if name not in used_indirect:
            failures.append("INDIRECT: %s makes no indirect call on the walked "
                            "paths" % name)
    for name in STOPS:
        if name not in parent:
            failures.append("STOPS: %s is not reached" % name)
    checks = len(parent) + len(CUTS) + len(INDIRECT) + len(STOPS)
    return checks, failures, set(parent)


def unlisted_callbacks(k, root):
    """Failures for callbacks the sources register that the lists lack."""
    failures = []
    for d in SOURCE_DIRS:
        for dirpath, _, files in os.walk(os.path.join(root, d)):
            for fname in sorted(files):
                if not fname.endswith(".c"):
                    continue
                path = os.path.join(dirpath, fname)
                with open(path) as f:
                    text = f.read()
                for pattern, list_name, known in CALLBACK_SOURCES:
                    for m in re.finditer(pattern, text):
                        for name in re.findall(r"[A-Za-z_]\w*", m.group(1)):
                            if name in k.by_name and name not in known:
                                failures.append("%s: %s is registered as a callback "
                                                "but not in %s" % (
                                                    os.path.relpath(path, root),
                                                    name, list_name))
    return failures


def compare_selftest(path, reached):
    """Failures where the self-test's table and the walk disagree."""
    with open(path) as f:
        text = f.read()
    m = re.search(r"trap_path_functions\[\]\s*=\s*\{(.*?)\};", text, re.S)
    if not m:
        return ["%s: no trap_path_functions[] table" % path]
    table = set(re.findall(r'"([^"]+)"', m.group(1)))
    return (["%s: add %s to trap_path_functions[] (it is on the paths)" % (path, name)
             for name in sorted(reached - table)] +
            ["%s: %s in trap_path_functions[] is no longer on the paths" % (path, name)
             for name in sorted(table - reached)])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("elf")
    ap.add_argument("--objdump", default=os.environ.get("OBJDUMP", "objdump"))
    ap.add_argument("--nm", default=os.environ.get("NM", "nm"))
    ap.add_argument("--selftest", help="C file whose trap_path_functions[] must match")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="also list every function reached, with its path")
    args = ap.parse_args()

    k = Kernel(args.elf, args.nm, args.objdump)
    g = Graph(k)
    bl = Blacklist(k)
    checks, failures, reached = walk(k, g, bl, args.verbose)
    failures += unlisted_callbacks(k, os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    checks += 1
    if args.selftest:
        failures += compare_selftest(args.selftest, reached)
        checks += 1
    for f in failures:
        print("check-nokprobe: " + f)
    print("%d passed, %d failed" % (checks - min(checks, len(failures)), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
