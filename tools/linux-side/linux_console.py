#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Type commands into Linux 6.12's busybox shell (tools/linux-side/boot.sh)
and print each command with what it printed: the Linux half of a
side-by-side with Loupe's console.

    tools/linux-side/linux_console.py VMLINUZ CMDFILE > transcript.txt

CMDFILE holds one shell command a line ('#' lines are skipped)."""
import os
import re
import sys

import pexpect

PROMPT = "linux# "
HERE = os.path.dirname(os.path.abspath(__file__))


def strip_echo(out, cmd):
    """What @cmd printed: @out without the shell's echo of @cmd, which
    busybox's line editor may break over lines (and pad with escapes)."""
    out = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", out).replace("\r", "")
    i = 0
    for ch in cmd:
        while i < len(out) and out[i] != ch and out[i] in "\n ":
            i += 1
        if i < len(out) and out[i] == ch:
            i += 1
    if out[i:i + 1] == "\n":
        i += 1
    return out[i:]


def main():
    vmlinuz, cmdfile = sys.argv[1], sys.argv[2]
    smp = sys.argv[3] if len(sys.argv) > 3 else "1"
    child = pexpect.spawn(os.path.join(HERE, "boot.sh"), [vmlinuz, smp],
                          encoding="utf-8", codec_errors="replace", timeout=600)
    log = os.environ.get("LINUX_SIDE_LOG")
    if log:
        child.logfile_read = open(log, "w")
    child.expect("LINUX-SIDE-READY")
    child.expect(PROMPT)
    for line in open(cmdfile):
        cmd = line.rstrip("\n")
        if not cmd or cmd.startswith("#"):
            continue
        child.send(cmd + "\r")
        child.expect(PROMPT, timeout=300)
        print("### " + cmd)
        print(strip_echo(child.before, cmd), end="", flush=True)
    child.send("poweroff -f\r")
    child.expect(pexpect.EOF, timeout=60)


if __name__ == "__main__":
    main()
