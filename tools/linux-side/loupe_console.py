#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Type commands into a booted Loupe and print each with what it printed:
the Loupe half of a side-by-side with linux_console.py.

    tools/linux-side/loupe_console.py build/loupe.iso CMDFILE [SMP] > transcript.txt
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "e2e"))
from loupe import Loupe  # noqa: E402


def main():
    iso, cmdfile = sys.argv[1], sys.argv[2]
    smp = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    with Loupe(iso, name="side-by-side", smp=smp) as k:
        for line in open(cmdfile):
            cmd = line.rstrip("\n")
            if not cmd or cmd.startswith("#"):
                continue
            print("### " + cmd)
            print(k.run(cmd, timeout=120), end="", flush=True)


if __name__ == "__main__":
    main()
