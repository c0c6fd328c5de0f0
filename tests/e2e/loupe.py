# SPDX-License-Identifier: MIT
"""Drive a booted Loupe over its serial console, for end-to-end tests.

    with Loupe(iso) as k:
        out = k.run("echo hi")        # text the command printed
        k.expect_exit()               # after "poweroff"

QEMU runs under TCG unless accel says otherwise, with the serial line on a
pty that pexpect reads. Every wait also watches for a kernel panic or an
oops, and raises KernelPanic with the report when one appears.
Each session's whole serial log is written to build/results/e2e/.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

import pexpect

PROMPT = "loupe> "
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LOG_DIR = os.path.join(ROOT, "build", "results", "e2e")
PANIC_RE = r"Kernel panic|Oops: "


class KernelPanic(Exception):
    pass


class TestFailure(Exception):
    pass


def make_iso(cmdline, name):
    """Build a copy of the ISO with another kernel command line."""
    out = os.path.join(ROOT, "build", "e2e-%s.iso" % name)
    subprocess.run([os.path.join(ROOT, "scripts", "mkiso.sh"), out,
                    os.path.join(ROOT, "build", "kernel.elf"),
                    os.path.join(ROOT, "iso", "grub.cfg"), cmdline], check=True)
    return out


class Loupe:
    def __init__(self, iso, accel="tcg", name="session", boot_timeout=120, mem="256M",
                 smp=None, extra_args=()):
        self.iso = iso
        self.accel = accel
        self.name = name
        self.boot_timeout = boot_timeout
        self.mem = mem
        # CPUs: `make test SMP=N` passes N down as LOUPE_SMP.
        self.smp = smp if smp is not None else int(os.environ.get("LOUPE_SMP", "1"))
        self.extra_args = list(extra_args)   # more QEMU arguments, e.g. -icount
        self.child = None
        self.log = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def qemu_args(self):
        return ["-accel", self.accel, "-cpu", "max", "-smp", str(self.smp), "-m", self.mem,
                "-display", "none", "-no-reboot", "-monitor", "none",
                "-chardev", "stdio,id=con,signal=off", "-serial", "chardev:con",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-boot", "d", "-cdrom", self.iso] + self.extra_args

    def start(self, wait_prompt=True):
        os.makedirs(LOG_DIR, exist_ok=True)
        self.log = open(os.path.join(LOG_DIR, self.name + ".log"), "w")
        qemu = shutil.which("qemu-system-x86_64")
        self.child = pexpect.spawn(qemu, self.qemu_args(), encoding="utf-8",
                                   codec_errors="replace", timeout=self.boot_timeout)
        self.child.logfile_read = self.log
        if wait_prompt:
            self.expect(PROMPT, timeout=self.boot_timeout)

    def close(self):
        if self.child and self.child.isalive():
            self.child.terminate(force=True)
        if self.log:
            self.log.close()

    def expect(self, pattern, timeout=30):
        """Wait for a regex (or list); raise on panic, timeout or EOF."""
        patterns = pattern if isinstance(pattern, list) else [pattern]
        idx = self.child.expect([PANIC_RE, pexpect.TIMEOUT, pexpect.EOF] + patterns,
                                timeout=timeout)
        if idx == 0:
            self._raise_panic()
        if idx == 1:
            raise TestFailure("timed out after %ss waiting for %r; last output: %r"
                              % (timeout, patterns, self.child.before[-500:]))
        if idx == 2:
            raise TestFailure("QEMU exited while waiting for %r; last output: %r"
                              % (patterns, self.child.before[-500:]))
        return idx - 3

    def _raise_panic(self):
        try:
            self.child.expect([r"end Kernel panic", pexpect.TIMEOUT, pexpect.EOF], timeout=5)
        except Exception:
            pass
        raise KernelPanic("kernel panic:\n" + self.child.before[-3000:])

    def send(self, text):
        self.child.send(text)

    def sendline(self, line):
        self.child.send(line + "\r")

    def run(self, cmd, timeout=60, job_reports=False):
        """Type a command, wait for the next prompt, return what it printed.

        The shell reports background jobs that ended ("[1]+  Done  CMD &")
        before the prompt, as bash does: not the command's output, so they
        are left out unless @job_reports."""
        self.sendline(cmd)
        # The echo is slow when many vCPUs share few cores (SMP=8 on two,
        # with workloads on every CPU): give it as long as the command.
        self.expect(re.escape(cmd) + r"\r*\n", timeout=max(30, timeout))
        self.expect(PROMPT, timeout=timeout)
        out = self.child.before.replace("\r", "")
        return out if job_reports else JOB_REPORT_RE.sub("", out)

    def expect_exit(self, timeout=30):
        """Wait for QEMU to exit; return its exit status."""
        self.expect_eof(timeout)
        self.child.close()
        return self.child.exitstatus

    def expect_eof(self, timeout=30):
        idx = self.child.expect([PANIC_RE, pexpect.TIMEOUT, pexpect.EOF], timeout=timeout)
        if idx == 0:
            self._raise_panic()
        if idx == 1:
            raise TestFailure("QEMU did not exit within %ss" % timeout)


# A line the shell prints before a prompt for a job that ended.
JOB_REPORT_RE = re.compile(r"^\[\d+\][+\- ]  (?:Done|Terminated) +.*\n", re.M)


def check(cond, what):
    if not cond:
        raise TestFailure(what)


class Runner:
    """Run named test functions, print PASS/FAIL lines and the closing count."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def run(self, name, fn, *args):
        start = time.time()
        try:
            fn(*args)
        except (TestFailure, KernelPanic, pexpect.ExceptionPexpect, OSError,
                subprocess.CalledProcessError) as e:
            self.failed += 1
            print("FAIL %s (%.1fs): %s" % (name, time.time() - start, e), flush=True)
            return False
        self.passed += 1
        print("PASS %s (%.1fs)" % (name, time.time() - start), flush=True)
        return True

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed), flush=True)
        sys.exit(1 if self.failed else 0)


def scenario_args():
    """The arguments every e2e script takes; a script may add its own."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--iso", required=True)
    ap.add_argument("--accel", default="tcg")
    ap.add_argument("--only", help="run only the scenarios whose name contains this")
    return ap


def selected(args, name):
    return not args.only or args.only in name


def run_on_fresh_boots(r, args, scenarios, prefix, wrap=None):
    """Run each scenario t_NAME(k) on a kernel of its own, so that a crash or
    a hang in one cannot hide the next. @wrap, if given, turns a
    KernelPanic into the exception to report."""
    for fn in scenarios:
        name = fn.__name__[2:]
        if not selected(args, fn.__name__):
            continue

        def one(fn=fn, name=name):
            with Loupe(args.iso, args.accel, name=prefix + name) as k:
                try:
                    fn(k)
                except KernelPanic as e:
                    raise wrap(e) if wrap else e
        r.run(name, one)
