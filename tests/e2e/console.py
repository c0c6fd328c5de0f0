#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Console scenarios: type real commands into a booted Loupe and check what
comes back. Each function is one test; they share a booted kernel where
they can, and boot their own where the scenario is about booting or
powering off.
"""
import argparse
import re
import sys
import time

import pexpect

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from loupe import Loupe, Runner, check, make_iso, PROMPT  # noqa: E402

UP = "\x1b[A"
DOWN = "\x1b[B"


def t_help_lists_every_command(k):
    out = k.run("help")
    for cmd in ("help", "echo", "uptime", "poweroff", "reboot", "selftest", "mem", "ps",
                "kill", "bt", "sym", "run"):
        check(re.search(r"^  %s\b.*\S" % cmd, out, re.M), "help lacks a line for %s:\n%s" % (cmd, out))
    out = k.run("help echo")
    check("usage: echo" in out, "help echo shows no usage: %r" % out)


HELP_GROUPS = {
    "system": {"cpus", "dmesg", "echo", "help", "mem", "poweroff", "reboot", "selftest",
               "stress-cycles", "uptime"},
    "tasks": {"fg", "jobs", "kill", "ps", "run", "sleep"},
    "files": {"cat", "cd", "grep", "head", "ls", "pwd", "sort", "tail", "wc"},
    "tracing": {"bench", "livepatch"},
    "inspection": {"bt", "crash", "dis", "sym"},
}


def t_help_is_grouped_and_sorted(k):
    """help: the groups in order, each a heading then its commands sorted."""
    out = k.run("help")
    groups, cur = [], None
    for line in out.splitlines():
        if re.match(r"^[a-z]+$", line):
            cur = (line, [])
            groups.append(cur)
        elif cur and re.match(r"^  [a-z]", line) and not line.startswith("  help COMMAND"):
            cur[1].append(line.split()[0])
        elif not line.strip():
            cur = None
    check([g for g, _ in groups] == list(HELP_GROUPS), "groups: %r\n%s" % ([g for g, _ in groups], out))
    for name, cmds in groups:
        check(cmds == sorted(cmds), "%s not sorted: %r" % (name, cmds))
        check(set(cmds) == HELP_GROUPS[name], "%s holds %r" % (name, cmds))
    check(re.search(r"^  \(files\) +tracing itself is files, as on Linux: cd /sys/kernel/tracing", out, re.M),
          "help does not send tracing to its files:\n%s" % out)
    out = k.run("help dis")
    check(out.startswith("usage: dis ") and "Watch each probe mechanism" in out and
          "      echo > kprobe_events" in out.splitlines()[-1], "help dis: %r" % out)
    for step in ("ftrace: the fentry NOP becomes a call", "kprobe: an int3", "boosting:",
                 "optimization: a jmp to a detour", "kretprobe: rethook's trampoline"):
        check(step in out, "help dis lacks %r" % step)
    out = k.run("help bt")
    check("[rethook] or [graph]" in out and "/proc/PID/rethook" in out, "help bt: %r" % out)


def t_unknown_command(k):
    out = k.run("frobnicate now")
    check("frobnicate: command not found" in out, "unknown command not reported: %r" % out)


def t_wrong_arguments_print_usage(k):
    out = k.run("uptime now")
    check("usage: uptime" in out, "no usage line for 'uptime now': %r" % out)
    out = k.run("sleep banana")
    check("not a number" in out and "usage: sleep" in out, "bad number not reported: %r" % out)
    out = k.run('echo "unterminated')
    check("unterminated quote" in out, "unterminated quote not reported: %r" % out)


def t_echo(k):
    out = k.run('echo hello   world "two  spaces"')
    check(out.strip() == "hello world two  spaces", "echo printed %r" % out)


def t_uptime_advances(k):
    first = float(re.search(r"up (\d+\.\d+) s", k.run("uptime")).group(1))
    time.sleep(1.0)
    second = float(re.search(r"up (\d+\.\d+) s", k.run("uptime")).group(1))
    check(0.5 < second - first < 5, "uptime went from %s to %s in 1 s" % (first, second))


def t_overlong_line_is_refused(k):
    k.sendline("echo " + "x" * 400)
    k.expect("line too long")
    k.expect(PROMPT)
    check("x" * 100 not in k.child.before, "overlong line was executed")
    out = k.run("echo still alive")
    check("still alive" in out, "console dead after overlong line")


def t_control_character_is_refused(k):
    k.send("echo a\x01b\r")
    k.expect(r"control character 0x01")
    k.expect(PROMPT)
    out = k.run("echo ok")
    check(out.strip() == "ok", "console broken after control character: %r" % out)


def t_backspace_and_ctrl_u_edit_the_line(k):
    k.send("echo abcX\x7fd\r")
    k.expect(r"\nabcd\r*\n")
    k.expect(PROMPT)
    k.send("echo wrong\x15echo right\r")
    k.expect(r"\nright\r*\n")
    k.expect(PROMPT)


def t_ctrl_c_abandons_the_line(k):
    k.send("echo never\x03")
    k.expect(r"\^C")
    k.expect(PROMPT)
    out = k.run("echo after")
    check("never" not in out and "after" in out, "Ctrl-C did not abandon the line: %r" % out)


def t_ctrl_c_stops_a_running_command(k):
    start = time.time()
    k.sendline("sleep 60000")
    time.sleep(0.5)
    k.send("\x03")
    k.expect(r"\^C")
    k.expect(PROMPT, timeout=10)
    check(time.time() - start < 10, "sleep was not interrupted")


def t_history_recalls_previous_lines(k):
    k.run("echo first")
    k.run("echo second")
    k.send(UP + UP + "\r")
    k.expect(r"\nfirst\r*\n")
    k.expect(PROMPT)
    k.send(UP + UP + DOWN + "\r")      # back down to the newer line
    k.expect(r"\nfirst\r*\n")          # history now ends: first, second, first
    k.expect(PROMPT)


def t_tab_completes_command_names(k):
    k.send("upt\t\r")
    k.expect(r"up \d+\.\d+ s")
    k.expect(PROMPT)


def t_nonexistent_selftest_suite(k):
    out = k.run("selftest no_such_suite")
    check("no suite or case matches 'no_such_suite'" in out, "bad suite not reported: %r" % out)
    check(len(out.strip().splitlines()) == 1, "one line, no errno line after it: %r" % out)
    out = k.run("selftest smp.nomatch*")
    check("no suite or case matches 'smp.nomatch*'" in out, "bad case glob: %r" % out)
    # SUITE.CASE runs only the cases the glob names, numbered from 1.
    out = k.run("selftest smp.*percpu*", timeout=60)
    check(re.search(r"^\s*1\.\.1$", out, re.M) and "# selftest: 1 cases, 0 failed" in out,
          "one case of smp: %r" % out)


def t_dmesg_shows_boot_log(k):
    out = k.run("dmesg")
    check("Loupe:" in out and "time: TSC" in out, "dmesg lacks the boot log: %r" % out[:300])


def t_mem_shows_pages_and_kmalloc(k):
    out = k.run("mem")
    check(re.search(r"pages:\s+total\s+\d+ KiB\s+free\s+\d+ KiB", out), "mem lacks page totals: %r" % out)
    check("kmalloc:" in out and "objects outstanding" in out, "mem lacks kmalloc stats: %r" % out)


def t_run_fib_prints_result_and_calls(k):
    out = k.run("run fib 7")
    check("fib(7) = 13 (41 calls" in out, "run fib 7 printed %r" % out)
    out = k.run("run fib 5")
    check("fib(5) = 5 (15 calls" in out, "run fib 5 printed %r" % out)


def t_run_other_workloads(k):
    check("alloc: 1000 kmalloc/kfree rounds done" in k.run("run alloc 1000"), "alloc failed")
    check("pingpong: 100 round trips" in k.run("run pingpong 100"), "pingpong failed")
    out = k.run("run sleep 200")
    m = re.search(r"sleep: woke after (\d+) ms", out)
    check(m and 200 <= int(m.group(1)) < 400, "run sleep 200 printed %r" % out)


def t_ctrl_c_stops_a_workload(k):
    start = time.time()
    k.sendline("run fib 60")
    time.sleep(1.0)
    k.send("\x03")
    k.expect(r"fib: stopped", timeout=10)
    k.expect(PROMPT)
    check(time.time() - start < 10, "fib 60 was not stopped promptly")
    time.sleep(0.3)
    check(not re.search(r"^\s*\d+ \S\s+\d+\s+\S+ fib$", k.run("ps"), re.M), "fib still listed")


def t_background_job_ps_and_kill(k):
    out = k.run("run sleep 600000 &")
    m = re.search(r"\[(\d+)\] sleep 600000", out)
    check(m, "no job line: %r" % out)
    pid = m.group(1)
    out = k.run("ps")
    check(re.search(r"^\s*%s S\s+\d+\s+[\d.]+ sleep$" % pid, out, re.M), "ps lacks the sleeper: %r" % out)
    out = k.run("bt %s" % pid)
    check("msleep" in out and "sleep_body" in out, "bt of the sleeper: %r" % out)
    # On a CPU of its own the sleeper may say so before the prompt returns.
    if "sleep: stopped" not in k.run("kill %s" % pid):
        k.expect("sleep: stopped", timeout=5)
    time.sleep(0.5)
    out = k.run("ps")
    check(not re.search(r"^\s*%s " % pid, out, re.M), "killed task still listed: %r" % out)


def t_bad_input_for_kernel_commands(k):
    cases = [
        ("run nosuch 1", "no workload 'nosuch'"),
        ("run fib x", "'x' is not a number"),
        ("run fib 100", "at most 60"),
        ("run fib", "usage: run"),
        ("kill 9999", "no task with pid 9999"),
        ("kill abc", "'abc' is not a pid"),
        ("kill 1", "system task"),
        ("bt 9999", "no task with pid 9999"),
        ("sym no_such_symbol", "no symbol named 'no_such_symbol'"),
        ("sym 0x1000", "no symbol covers"),
    ]
    for cmd, want in cases:
        out = k.run(cmd)
        check(want in out, "%r printed %r, wanted %r" % (cmd, out, want))
    check("still here" in k.run("echo still here"), "console died")


def t_sym_by_name_and_address(k):
    out = k.run("sym fib")
    m = re.search(r"fib: (0x[0-9a-f]+) size (0x[0-9a-f]+) \[T\]", out)
    check(m, "sym fib printed %r" % out)
    addr = int(m.group(1), 16)
    out = k.run("sym %#x" % (addr + 4))
    check(re.search(r"fib\+0x4/%s" % m.group(2), out), "sym ADDR printed %r" % out)
    # Two static functions share a name: both are shown.
    out = k.run("sym fib_entry")
    check(len(re.findall(r"^fib_entry: 0x[0-9a-f]+ size 0x[0-9a-f]+ \[t\]$", out, re.M)) == 2,
          "sym fib_entry printed %r" % out)


def t_dis_decodes_fib(k):
    out = k.run("dis fib 12")
    lines = [l for l in out.splitlines() if l.strip()]
    check(len(lines) == 12, "dis fib 12 printed %d lines" % len(lines))
    # ftrace turned the fentry call into a 5-byte NOP at boot.
    check(re.search(r"<fib\+0x0/0x[0-9a-f]+>\s+0f 1f 44 00 00\s+5\s+ordinary", lines[0]),
          "first line is not the NOPed fentry site: %r" % lines[0])
    check(any(re.search(r"call_rel32 .*  -> fib\+0x0/", l) for l in lines), "no recursive call shown")
    # SYM+OFF starts where the second instruction does.
    second = re.match(r"([0-9a-f]+) ", lines[1]).group(1)
    out = k.run("dis fib+5 1")
    check(out.strip().startswith(second + " <fib+0x5/"), "dis fib+5 printed %r" % out)
    for cmd, want in (("dis nosuch", "no symbol named 'nosuch'"), ("dis 0x1000", "not mapped"),
                      ("dis fib+zz", "'zz' is not an offset"),
                      ("dis fib 0", "N must be 1..256"), ("dis fib 9999", "N must be 1..256"),
                      ("dis", "usage: dis")):
        out = k.run(cmd)
        check(want in out, "%r printed %r" % (cmd, out))


def t_dis_refuses_an_offset_that_wraps(k):
    for cmd in ("dis fib+0x7fffffff", "dis fib+0xffffffffffffffff 1"):
        out = k.run(cmd)
        check("runs past the end of the address space" in out and "<" not in out,
              "%r printed %r" % (cmd, out))


def t_bt_of_the_shell(k):
    out = k.run("bt")
    check("shell_execute" in out and "shell_run" in out, "bt printed %r" % out)


SHARED = [
    t_help_lists_every_command, t_help_is_grouped_and_sorted, t_unknown_command, t_wrong_arguments_print_usage,
    t_echo, t_uptime_advances, t_overlong_line_is_refused,
    t_control_character_is_refused, t_backspace_and_ctrl_u_edit_the_line,
    t_ctrl_c_abandons_the_line, t_ctrl_c_stops_a_running_command,
    t_history_recalls_previous_lines, t_tab_completes_command_names,
    t_nonexistent_selftest_suite, t_dmesg_shows_boot_log,
    t_mem_shows_pages_and_kmalloc, t_run_fib_prints_result_and_calls,
    t_run_other_workloads, t_ctrl_c_stops_a_workload, t_background_job_ps_and_kill,
    t_bad_input_for_kernel_commands, t_sym_by_name_and_address, t_bt_of_the_shell, t_dis_decodes_fib,
    t_dis_refuses_an_offset_that_wraps,
]


def t_poweroff_exits_qemu(iso, accel):
    with Loupe(iso, accel, name="poweroff") as k:
        k.sendline("poweroff")
        status = k.expect_exit(timeout=30)
        check(status in (0, 1), "QEMU exit status %s after poweroff" % status)


def t_reboot_restarts(iso, accel):
    # QEMU runs with -no-reboot, so a reset makes it exit.
    with Loupe(iso, accel, name="reboot") as k:
        k.sendline("reboot")
        k.expect("Rebooting")
        status = k.expect_exit(timeout=30)
        check(status == 0, "QEMU exit status %s after reboot" % status)


CRASHES = {
    # kind: what the report must contain
    "null": [r"Oops: #PF Page Fault \(vector 14\)", r"CR2 \(faulting address\): 0+\r*\n",
             r"#PF: read access, not-present page", r"RIP: 0008:[0-9a-f]+ crash_null_read\+",
             r"Code: 8b 04 25 00 00 00 00  mov +0x0,%eax",
             r"RAX: [0-9a-f]{16} RBX", r"Call Trace:", r"shell_execute\+",
             r"Kernel panic - not syncing: Fatal exception: #PF Page Fault"],
    "ud": [r"Oops: #UD Invalid Opcode \(vector 6\)", r"RIP: 0008:[0-9a-f]+ cmd_crash(\.cold)?\+", r"Code: 0f 0b  ud2",
           r"Call Trace:", r"Kernel panic - not syncing: Fatal exception: #UD"],
    "panic": [r"Kernel panic - not syncing: crash command", r"Call Trace:", r"cmd_crash\+",
              r"end Kernel panic"],
    "stack": [r"Oops: #DF Double Fault \(vector 8\)",
              r"kernel stack overflow: CR2 is in a stack's guard page",
              r"crash_recurse\+", r"Kernel panic - not syncing: Fatal exception: #DF"],
}


def t_crash_reports(iso, accel):
    for kind, wants in CRASHES.items():
        with Loupe(iso, accel, name="crash-" + kind) as k:
            k.sendline("crash " + kind)
            for want in wants:
                idx = k.child.expect([want, pexpect.TIMEOUT, pexpect.EOF], timeout=20)
                check(idx == 0, "crash %s: report lacks %r; got %r" % (kind, want, k.child.before[-800:]))
            # The kernel stays stopped: nothing more, no prompt.
            idx = k.child.expect([PROMPT, pexpect.TIMEOUT], timeout=2)
            check(idx == 1, "crash %s: a prompt came back after the panic" % kind)


def t_boot_cmdline_selftest_and_loglevel(iso, accel):
    custom = make_iso("selftest=boot loglevel=4", "cmdline")
    with Loupe(custom, accel, name="cmdline", boot_timeout=300) as k:
        before = k.child.before
        check("# Subtest: boot" in before, "selftest=boot did not run the suite at boot")
        check("Loupe: a small" not in before, "loglevel=4 still printed info messages")
        out = k.run("dmesg")
        check("Loupe: a small" in out, "info messages missing from the log ring")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iso", required=True)
    ap.add_argument("--accel", default="tcg")
    args = ap.parse_args()
    r = Runner()
    with Loupe(args.iso, args.accel, name="console") as k:
        for fn in SHARED:
            r.run(fn.__name__[2:], fn, k)
    r.run("poweroff_exits_qemu", t_poweroff_exits_qemu, args.iso, args.accel)
    r.run("reboot_restarts", t_reboot_restarts, args.iso, args.accel)
    r.run("crash_reports", t_crash_reports, args.iso, args.accel)
    r.run("boot_cmdline_selftest_and_loglevel", t_boot_cmdline_selftest_and_loglevel,
          args.iso, args.accel)
    r.finish()


if __name__ == "__main__":
    main()
