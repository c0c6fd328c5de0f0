#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Boot Loupe, run every in-kernel self-test, and judge the KTAP it prints.

Each test case ("    ok N name" / "    not ok N name") counts as one test.
The step fails on any `not ok`, a panic, a timeout, or if no case ran.
"""
import argparse
import re
import sys

from loupe import Loupe, Runner, KernelPanic, TestFailure

CASE_RE = re.compile(r"^    (ok|not ok) (\d+) (\S+)(.*)$")
SUITE_RE = re.compile(r"^(ok|not ok) (\d+) (\S+)$")
SUBTEST_RE = re.compile(r"^    # Subtest: (\S+)$")


def parse_ktap(text):
    """Return [(suite, case, ok, diagnostics)] from KTAP output."""
    results, suite, diag = [], None, []
    for line in text.splitlines():
        line = line.rstrip("\r")
        m = SUBTEST_RE.match(line)
        if m:
            suite = m.group(1)
            continue
        m = CASE_RE.match(line)
        if m:
            results.append((suite, m.group(3), m.group(1) == "ok", diag))
            diag = []
            continue
        if line.startswith("        # "):
            diag.append(line.strip())
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iso", required=True)
    ap.add_argument("--accel", default="tcg")
    ap.add_argument("--suite", default=None)
    ap.add_argument("--timeout", type=int, default=600)
    args = ap.parse_args()

    runner = Runner()
    cmd = "selftest" + (" " + args.suite if args.suite else "")
    try:
        with Loupe(args.iso, args.accel, name="selftest") as k:
            out = k.run(cmd, timeout=args.timeout)
    except (KernelPanic, TestFailure) as e:
        print("FAIL selftest run: %s" % e)
        runner.failed += 1
        runner.finish()
    results = parse_ktap(out)
    if not results:
        print("FAIL selftest: no KTAP results in the output:\n" + out[-2000:])
        runner.failed += 1
    for suite, case, ok, diag in results:
        name = "%s.%s" % (suite, case)
        if ok:
            runner.passed += 1
            print("PASS " + name)
        else:
            runner.failed += 1
            print("FAIL " + name)
            for d in diag:
                print("     " + d)
    runner.finish()


if __name__ == "__main__":
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    main()
