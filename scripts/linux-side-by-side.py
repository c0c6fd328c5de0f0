#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Type the same tracefs lines at Linux 6.12 and at Loupe, and diff what
each prints (issue 17: Linux is the yardstick for probe events).

    scripts/linux-side-by-side.py --kernel VMLINUZ --iso build/loupe.iso
    scripts/linux-side-by-side.py ... --syntax    # ftracetest's check_error
                                                  # lines, Linux against
                                                  # tests/probe_syntax_errors.tbl

Linux boots Debian's 6.12 kernel with a busybox initramfs built here
(one QEMU at a time: Linux first, then Loupe). Each command is written
with Loupe's function names; on Linux they become functions Linux has
(NAMES below), and Linux's answers are turned back before the diff, caret
positions included. Not part of `make test`: a Linux boot under TCG takes
minutes.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pexpect

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from loupe import Loupe  # noqa: E402

# Loupe's function -> a function Linux 6.12 has and ftrace can hook
NAMES = [("kmalloc", "vfs_read"), ("fib", "kernel_clone"), ("kfree", "do_exit")]
END = "@@END@@"

INIT = r"""#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
cd /sys/kernel/tracing
exec </dev/ttyS0 >/dev/ttyS0 2>&1
stty -echo
echo LINUX-READY
while IFS= read -r line; do eval "$line"; echo "@@END@@"; done
"""


def build_initramfs(tmp):
    root = os.path.join(tmp, "root")
    for d in ("bin", "proc", "sys", "dev", "tmp"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    shutil.copy("/bin/busybox", os.path.join(root, "bin", "busybox"))
    with open(os.path.join(root, "init"), "w") as f:
        f.write(INIT)
    os.chmod(os.path.join(root, "init"), 0o755)
    out = os.path.join(tmp, "initramfs.cpio.gz")
    subprocess.run("cd %s && find . | cpio --quiet -o -H newc | gzip -1 > %s" % (root, out),
                   shell=True, check=True)
    return out


class LinuxShell:
    """Debian's 6.12 kernel, a read-eval loop on its serial line."""

    def __init__(self, kernel, initrd, log):
        self.child = pexpect.spawn(
            "qemu-system-x86_64",
            ["-accel", "tcg", "-cpu", "max", "-smp", "1", "-m", "512", "-nographic",
             "-no-reboot", "-nodefaults", "-serial", "stdio", "-monitor", "none",
             "-kernel", kernel, "-initrd", initrd,
             "-append", "console=ttyS0 panic=-1 quiet loglevel=0 nokaslr"],
            encoding="utf-8", codec_errors="replace", timeout=900)
        self.child.logfile_read = open(log, "w")
        self.child.expect("LINUX-READY")

    def run(self, cmd, timeout=120):
        self.child.sendline(cmd)
        self.child.expect(END + r"\r*\n", timeout=timeout)
        return self.child.before.replace("\r", "")

    def close(self):
        self.child.terminate(force=True)


def to_linux(cmd):
    """A command with Loupe's names, and for each of its positions the
    position in the Linux spelling."""
    out, where, i = "", [], 0
    pat = re.compile(r"\b(%s)\b" % "|".join(a for a, _ in NAMES))
    for m in pat.finditer(cmd):
        for j in range(i, m.start()):
            where.append(len(out))
            out += cmd[j]
        where.append(len(out))
        out += dict(NAMES)[m.group(1)]
        where.extend([where[-1]] * (m.end() - m.start() - 1))
        i = m.end()
    for j in range(i, len(cmd)):
        where.append(len(out))
        out += cmd[j]
    where.append(len(out))
    return out, where


def from_linux(text, cmd):
    """Linux's answer with Loupe's names; a caret under a Command line
    moved to the same place in Loupe's spelling."""
    lin, where = to_linux(cmd)
    back = {}
    for i, p in enumerate(where):
        back.setdefault(p, i)       # a name's first byte stands for it
    lines = text.splitlines()
    for n, line in enumerate(lines):
        if line.startswith("  Command: ") and n + 1 < len(lines) and lines[n + 1].strip() == "^":
            pos = lines[n + 1].index("^") - 11
            if line[11:] == lin:
                lines[n] = "  Command: " + cmd
                lines[n + 1] = " " * (11 + back.get(pos, pos)) + "^"
            continue
        for a, b in NAMES:
            line = re.sub(r"\b%s\b" % b, a, line)
        lines[n] = line
    return "\n".join(lines)


def loupe_side(cmd):
    return cmd.split(" ||| ")[0]


def linux_side(cmd):
    return cmd.split(" ||| ")[-1]


def normalize(text):
    text = re.sub(r"^\[ *\d+\.\d+\] ", "[TS] ", text, flags=re.M)
    return text.strip("\n")


def read_commands(path):
    return [l.rstrip("\n") for l in open(path) if l.strip() and not l.startswith("#")]


def syntax_rows():
    rows = []
    for line in open(os.path.join(ROOT, "tests", "probe_syntax_errors.tbl")):
        if line.strip() and not line.startswith("#"):
            rows.append(line.rstrip("\n").split("\t"))
    return rows


def run_syntax(linux):
    """ftracetest's check_error lines on Linux: its message and caret
    against what the table (and so Loupe) says."""
    files = {"kprobe": "kprobe_events", "fprobe": "dynamic_events"}
    readme = linux.run("cat README")
    bad = 0
    for source, guard, cls, marked, message in syntax_rows():
        kind = source.rstrip("*>")
        cmd = marked.replace("^", "")
        lin, _ = to_linux(cmd)
        if source.endswith(">"):
            linux.run("echo '%s' > %s" % (lin, files[kind]))
            continue
        if guard not in ("-", "FTRACE") and (guard.lstrip("!") in readme) == guard.startswith("!"):
            print("GUARDED %s %s" % (cls, marked))
            continue
        linux.run("echo > error_log")
        wrote = linux.run("echo '%s' >> %s" % (lin, files[kind]))
        log = normalize(from_linux(linux.run("cat error_log"), cmd)).splitlines()
        got = "(accepted)" if not log else log
        want_pos = marked.index("^")
        ok = (len(log) == 3 and log[0].endswith(": error: " + message)
              and log[1] == "  Command: " + cmd and log[2].index("^") == 11 + want_pos)
        if not ok and "/loupe" in cls and len(log) == 3:
            ok = None
        print("%s %s %s\n    table: %s\n    linux: %s %s" % (
            {True: "SAME", False: "DIFF", None: "LOUPE"}[ok], cls, marked, message, got,
            wrote.strip()))
        bad += ok is False
    print("syntax: %d differences" % bad)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--iso")
    ap.add_argument("--commands", default=os.path.join(ROOT, "tests", "side_by_side.cmds"))
    ap.add_argument("--syntax", action="store_true")
    ap.add_argument("--linux-only", action="store_true")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="lss-")
    initrd = build_initramfs(tmp)
    logdir = os.path.join(ROOT, "build", "results", "side-by-side")
    os.makedirs(logdir, exist_ok=True)
    cmds = read_commands(args.commands)
    linux = LinuxShell(args.kernel, initrd, os.path.join(logdir, "linux.log"))
    try:
        if args.syntax:
            run_syntax(linux)
            return
        lout = [normalize(from_linux(linux.run(to_linux(linux_side(c))[0]), loupe_side(c)))
                for c in cmds]
    finally:
        linux.close()
    if args.linux_only or not args.iso:
        for c, o in zip(cmds, lout):
            print("$ %s\n%s" % (c, o))
        return
    with Loupe(args.iso, name="side-by-side") as k:
        k.run("cd /sys/kernel/tracing")
        kout = [normalize(k.run(loupe_side(c))) for c in cmds]
    for c, lo, ko in zip(cmds, lout, kout):
        if lo == ko:
            print("SAME $ %s" % c)
        else:
            print("DIFF $ %s\n--- linux\n%s\n--- loupe\n%s" % (c, lo, ko))


if __name__ == "__main__":
    main()
