#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Check that the generic/arch contract is declared where a reader looks.

A second architecture would start from the headers that list what it must
define. This script reads the objects of a build and proves each list is
whole:

  kernel-arch-h      every function of arch/ that kernel/ calls is declared
                     in kernel/arch.h
  trace-generic-h    every function of arch/ that trace/ calls is declared
                     in a generic header (trace/*.h, or kernel/ for the
                     kernel's own services), never only in asm/ or ad hoc
                     in a .c file; arch_* ones in trace/*.h
  no-weak            the kernel has no weak symbol: an upward call has a
                     prototype in scope, not a weak default that would
                     silently win if its owner were left out
  sections-h         no .c file declares a linker-script symbol of its own
                     (they are in asm/sections.h)
  no-arch-commands   no console command is defined under arch/

Usage: check-contracts.py --nm NM BUILD_DIR KERNEL_ELF
Prints one line per check and "N passed, M failed".
"""
import argparse
import glob
import os
import re
import subprocess
import sys

# Called by code the compiler writes, not by a C call in the source.
COMPILER_CALLS = {"__fentry__"}


def defined_text(nm, objs):
    """Global functions the objects define."""
    out = set()
    for o in objs:
        for line in subprocess.run([nm, "--defined-only", o], capture_output=True,
                                   text=True, check=True).stdout.splitlines():
            f = line.split()
            if len(f) == 3 and f[1] == "T":
                out.add(f[2])
    return out


def undefined(nm, obj):
    res = subprocess.run([nm, "-u", obj], capture_output=True, text=True, check=True)
    return {line.split()[-1] for line in res.stdout.splitlines() if line.strip()}


def strip_comments(text):
    """@text without comments and without __attribute__((...)) (which
    would hide a prototype from declarers())."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)\s*", "", text)
    return re.sub(r"//[^\n]*", " ", text)


def declarers(name, files):
    """Files with a top-level declaration of @name (a prototype or extern)."""
    pat = re.compile(r"^(?:extern\s+)?[A-Za-z_][^;{}()#=\n]*?[\s*]" + re.escape(name) + r"\s*[(\[]",
                     re.M)
    found = []
    for f in files:
        with open(f) as fh:
            if pat.search(strip_comments(fh.read())):
                found.append(f)
    return found


def objects_under(build, top):
    return sorted(glob.glob(os.path.join(build, "k", top, "**", "*.o"), recursive=True))


def callers(nm, build, top, arch_funcs):
    """{function of arch/: [objects under @top that call it]}"""
    calls = {}
    for o in objects_under(build, top):
        for sym in undefined(nm, o) & arch_funcs:
            if sym not in COMPILER_CALLS:
                calls.setdefault(sym, []).append(os.path.relpath(o, build))
    return calls


def check_kernel_arch_h(nm, build, arch_funcs, headers, sources):
    bad = []
    for sym, users in sorted(callers(nm, build, "kernel", arch_funcs).items()):
        where = declarers(sym, headers)
        if where != ["kernel/arch.h"]:
            bad.append("%s (called by %s) is declared in %s, not kernel/arch.h only"
                       % (sym, users[0], ", ".join(where) or "no header"))
        adhoc = declarers(sym, sources)
        if adhoc:
            bad.append("%s is declared ad hoc in %s" % (sym, ", ".join(adhoc)))
    return bad


def check_trace_generic_h(nm, build, arch_funcs, headers, sources):
    bad = []
    for sym, users in sorted(callers(nm, build, "trace", arch_funcs).items()):
        where = declarers(sym, headers)
        generic = [w for w in where if w.startswith(("trace/", "kernel/"))]
        if sym.startswith("arch_"):
            generic = [w for w in generic if w.startswith("trace/") or w == "kernel/arch.h"]
        if not generic:
            bad.append("%s (called by %s) is declared in %s, no generic header"
                       % (sym, users[0], ", ".join(where) or "no header"))
        adhoc = declarers(sym, sources)
        if adhoc:
            bad.append("%s is declared ad hoc in %s" % (sym, ", ".join(adhoc)))
    return bad


def check_no_weak(nm, elf):
    res = subprocess.run([nm, elf], capture_output=True, text=True, check=True)
    return ["weak symbol %s" % line.split()[-1] for line in res.stdout.splitlines()
            if len(line.split()) >= 2 and line.split()[-2] in ("W", "w", "V", "v")]


def check_sections_h(sources, lds_symbols):
    bad = []
    for sym in sorted(lds_symbols):
        where = declarers(sym, sources)
        if where:
            bad.append("%s declared ad hoc in %s (asm/sections.h has it)" % (sym, ", ".join(where)))
    return bad


def check_no_arch_commands(arch_sources):
    bad = []
    for f in arch_sources:
        with open(f) as fh:
            if re.search(r"^\s*SHELL_COMMAND\w*\(", fh.read(), re.M):
                bad.append("%s defines a console command" % f)
    return bad


def linker_symbols(lds, sections_h):
    """The char-array region symbols of linker.ld that asm/sections.h declares."""
    with open(lds) as fh:
        in_lds = set(re.findall(r"^\s*(__\w+)\s*=\s*\.", fh.read(), re.M))
    with open(sections_h) as fh:
        in_h = set(re.findall(r"(__\w+)\[\]", strip_comments(fh.read())))
    return in_lds & in_h


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nm", default="nm")
    ap.add_argument("build")
    ap.add_argument("elf")
    args = ap.parse_args()

    arch_funcs = defined_text(args.nm, objects_under(args.build, "arch"))
    headers = sorted(glob.glob("kernel/**/*.h", recursive=True) + glob.glob("trace/*.h") +
                     glob.glob("lib/*.h") + glob.glob("arch/x86/**/*.h", recursive=True))
    generic_c = sorted(glob.glob("kernel/**/*.c", recursive=True) + glob.glob("trace/*.c") +
                       glob.glob("lib/*.c"))
    all_c = generic_c + sorted(glob.glob("arch/x86/**/*.c", recursive=True))
    arch_c = sorted(glob.glob("arch/x86/**/*.c", recursive=True))

    checks = [
        ("kernel-arch-h", lambda: check_kernel_arch_h(args.nm, args.build, arch_funcs, headers, generic_c)),
        ("trace-generic-h", lambda: check_trace_generic_h(args.nm, args.build, arch_funcs, headers,
                                                          generic_c)),
        ("no-weak", lambda: check_no_weak(args.nm, args.elf)),
        ("sections-h", lambda: check_sections_h(all_c, linker_symbols(
            "linker.ld", "arch/x86/include/asm/sections.h"))),
        ("no-arch-commands", lambda: check_no_arch_commands(arch_c)),
    ]
    passed = failed = 0
    for name, run in checks:
        problems = run()
        if problems:
            failed += 1
            print("FAIL %s" % name)
            for p in problems:
                print("    " + p)
        else:
            passed += 1
            print("PASS %s" % name)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
