#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The console as a small shell (issue 18 point 6): Ctrl-C prints one
prompt; pipes between commands with the filters grep, head, tail, wc,
sort; echo -n; ls -l; CMD > FILE for any command; CMD & as a job with
jobs, fg %N and kill %N; Tab completion after a |; and every bad line
refused with a message before anything runs. One booted kernel.
"""
import re
import sys
import time

import pexpect

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from loupe import Loupe, Runner, check, scenario_args, selected, PROMPT  # noqa: E402

T = "/sys/kernel/tracing"


def no_second_prompt(k, what):
    """After a prompt, nothing more may come within a second."""
    idx = k.child.expect([PROMPT, pexpect.TIMEOUT], timeout=1)
    check(idx == 1, "%s: a second prompt: %r" % (what, k.child.before))


def t_ctrl_c_prints_one_prompt(k):
    for cmd in ("sleep 60000", "run fib 60", "cat %s/trace_pipe" % T):
        k.sendline(cmd)
        k.expect(re.escape(cmd) + r"\r*\n")
        time.sleep(0.5)
        k.send("\x03")
        k.expect(r"\^C\r*\n")
        k.expect(PROMPT, timeout=10)
        no_second_prompt(k, cmd)
    # At an idle prompt Ctrl-C still abandons the line, once.
    k.send("echo never\x03")
    k.expect(r"\^C\r*\n")
    k.expect(PROMPT)
    no_second_prompt(k, "Ctrl-C at the prompt")
    out = k.run("echo after")
    check(out.strip() == "after", "line after Ctrl-C: %r" % out)


def t_pipes_and_filters(k):
    check(k.run("echo hello | wc -l").strip() == "1", "echo | wc -l")
    out = k.run("echo one two three | wc")
    check(out.strip("\n") == "      1       3      14", "plain wc: %r" % out)
    check(k.run("echo -n abc | wc").strip("\n") == "      0       1       3", "echo -n | wc")
    out = k.run("echo -n no newline")
    check(out == "no newline", "echo -n printed %r" % out)
    out = k.run("help | grep -E '^  head |^  tail '")
    check(len(out.strip().splitlines()) == 2, "help | grep -E: %r" % out)
    out = k.run("help | head -n 3 | tail -1")
    check(len(out.strip().splitlines()) == 1, "head | tail: %r" % out)
    check(out.strip() == k.run("help | head -3").strip().splitlines()[-1].strip(), "head -3")
    # dmesg is a command like the others: its lines go down the pipe.
    out = k.run("dmesg | grep -c 'time: TSC'")
    check(out.strip() == "1", "dmesg | grep -c: %r" % out)
    out = k.run("dmesg | head -n 2 | wc -l")
    check(out.strip() == "2", "dmesg | head -n 2 | wc -l: %r" % out)
    out = k.run("run fib 7 | grep -c calls")
    check(out.strip() == "1", "run | grep -c: %r" % out)
    out = k.run("ls %s | grep -i TRACE_PIPE" % T)
    check(out.strip().endswith("trace_pipe"), "grep -i: %r" % out)
    out = k.run("ls %s | grep -v trace | grep -c ." % T)
    check(re.match(r"^\d+$", out.strip()), "grep -v | grep -c: %r" % out)


def t_sort(k):
    k.run("cd " + T)
    out = k.run("cat available_tracers")
    words = out.split()
    k.run("cd /")
    # One tracer per line, then sorted as sort would.
    for opts, rev in (("", False), ("-r", True)):
        got = [l for l in k.run("ls %s | grep -v / | sort %s" % (T, opts)).split("\n") if l]
        check(len(got) > 10 and got == sorted(got, reverse=rev), "sort %s: %r" % (opts, got))
    out = k.run("help | grep -c .")
    n = int(out.strip())
    check(n > 20, "help lines: %d" % n)
    check(words, "no tracers")


def t_sort_numeric(k):
    # `ps` lists pids; sort -n orders them as numbers, -rn reversed.
    out = k.run("ps | grep -v PID | sort -n")
    pids = [int(l.split()[0]) for l in out.splitlines() if l.strip()]
    check(pids == sorted(pids), "sort -n: %r" % pids)
    out = k.run("ps | grep -v PID | sort -rn")
    pids = [int(l.split()[0]) for l in out.splitlines() if l.strip()]
    check(pids == sorted(pids, reverse=True), "sort -rn: %r" % pids)


def t_trace_through_a_pipe(k):
    k.run("cd " + T)
    k.run("echo fib > set_ftrace_filter")
    k.run("echo function > current_tracer")
    k.run("echo > trace")
    k.run("run fib 7")
    k.run("echo 0 > tracing_on")    # a switch to nop would empty the buffer
    out = k.run("cat trace | grep fib | wc -l")
    check(out.strip() == "41", "cat trace | grep fib | wc -l: %r" % out)
    out = k.run("cat trace | grep -v '^#' | grep -E 'fib <-fib_body$|fib <-run' | wc -l")
    check(out.strip() == "1", "the outer call: %r" % out)
    out = k.run("cat trace | grep -v '^#' | head -n 2")
    check(len(out.strip().splitlines()) == 2, "head -n 2: %r" % out)
    out = k.run("tail -n 1 trace")
    check("fib <-" in out and len(out.strip().splitlines()) == 1, "tail FILE: %r" % out)
    out = k.run("grep -c fib trace")
    check(out.strip() == "41", "grep FILE: %r" % out)
    # A stream stopped by Ctrl-C passes on what it had: one prompt, then 41.
    k.sendline("cat trace_pipe | grep -c fib")
    time.sleep(1.5)
    k.send("\x03")
    k.expect(r"\^C\r*\n41\r*\n", timeout=10)
    k.expect(PROMPT)
    no_second_prompt(k, "cat trace_pipe | grep")
    k.run("echo nop > current_tracer")
    k.run("echo 1 > tracing_on")
    k.run("echo > set_ftrace_filter")
    k.run("cd /")


def t_head_stops_the_stage_before_it(k):
    """`cat trace_pipe | head -3` ends by itself once three lines are in,
    as SIGPIPE ends it on Linux (without that it would wait for Ctrl-C)."""
    k.run("cd " + T)
    k.run("echo fib > set_ftrace_filter")
    k.run("echo function > current_tracer")
    k.run("run fib 10")
    out = k.run("cat trace_pipe | head -3", timeout=30)
    lines = out.strip().splitlines()
    check(len(lines) == 3 and all("fib <-" in l for l in lines),
          "cat trace_pipe | head -3: %r" % out)
    check("^C" not in out, "no ^C when head has its lines: %r" % out)
    out = k.run("cat trace_pipe | head -n 0", timeout=30)
    check(out.strip() == "", "head -n 0 reads nothing: %r" % out)
    out = k.run("cat trace | grep -v '^#' | head -2", timeout=30)
    check(len(out.strip().splitlines()) == 2, "grep | head -2: %r" % out)
    k.run("echo nop > current_tracer")
    k.run("echo > set_ftrace_filter")
    k.run("cd /")


def t_ls_long(k):
    out = k.run("ls -l " + T)
    lines = out.strip().splitlines()
    check(lines[0] == "total 0", "ls -l header: %r" % lines[0])
    check(re.search(r"^-rw-r----- +1 root root +0 current_tracer$", out, re.M), "rw file: %r" % out)
    check(re.search(r"^-r--r----- +1 root root +0 available_tracers$", out, re.M), "ro file")
    check(re.search(r"^drwxr-x--- +2 root root +0 options$", out, re.M), "directory: %r" % out)
    out = k.run("ls -l /sys/kernel/debug")
    check(re.search(r"^lrwxrwxrwx +1 root root +0 tracing -> /sys/kernel/tracing$", out, re.M),
          "link: %r" % out)
    out = k.run("ls -l %s/trace" % T)
    check(re.search(r"^-rw-r----- +1 root root +0 trace$", out.strip()), "one file: %r" % out)


def t_redirect_any_command(k):
    k.run("cd " + T)
    k.run("echo nop > current_tracer")
    k.run("echo fib > set_ftrace_filter")
    k.run("cat set_ftrace_filter > set_ftrace_notrace")
    check(k.run("cat set_ftrace_notrace").strip() == "fib", "cat > FILE")
    k.run("echo > set_ftrace_notrace")
    k.run("echo fib_body | grep fib >> set_ftrace_filter")
    check(k.run("cat set_ftrace_filter").split() == ["fib", "fib_body"], "pipe >> FILE")
    # Empty output as on Linux: >> writes nothing, > truncates (clears
    # what clears on O_TRUNC), and a file that takes no empty value keeps it.
    check(k.run("echo -n >> set_ftrace_filter") == "", ">> nothing complained")
    check(k.run("cat set_ftrace_filter").split() == ["fib", "fib_body"], ">> nothing changed it")
    check(k.run("echo -n > current_tracer") == "", "> current_tracer with nothing complained")
    check(k.run("cat current_tracer").strip() == "nop", "current_tracer changed")
    k.run("echo -n > set_ftrace_filter")
    check(k.run("cat set_ftrace_filter").strip() == "#### all functions enabled ####",
          "> with nothing did not clear the filter")
    k.run("cd /")


def t_background_jobs(k):
    k.run("cd " + T)
    k.run("echo 1 > tracing_on")
    out = k.run("cat trace_pipe &")
    m = re.search(r"^\[1\] (\d+)$", out.strip(), re.M)
    check(m, "job start line: %r" % out)
    pid = m.group(1)
    out = k.run("jobs")
    check(re.search(r"^\[1\]\+  Running +cat trace_pipe &$", out, re.M), "jobs: %r" % out)
    check(re.search(r"^\s*%s S .* cat$" % pid, k.run("ps"), re.M), "ps lacks the job")
    # Ctrl-C at the prompt is not for the job.
    k.send("\x03")
    k.expect(r"\^C")
    k.expect(PROMPT)
    check("Running" in k.run("jobs"), "Ctrl-C at the prompt stopped the job")
    # Its output reaches the console.
    k.run("echo fib > set_ftrace_filter")
    k.run("echo function > current_tracer")
    k.sendline("run fib 3")
    k.expect(r"fib-\d+ +\[\d+\] .* fib <-fib_body", timeout=20)
    k.run("echo sync")     # the prompt may have come before the job's lines
    k.run("echo nop > current_tracer")
    # Reported before a prompt, as bash does: the one after kill, or the next.
    k.sendline("kill %1")
    time.sleep(1)
    k.sendline("")
    k.expect(r"\[1\]\+  Terminated +cat trace_pipe &\r*\n", timeout=10)
    check("^C" not in k.child.before, "a killed job printed ^C: %r" % k.child.before)
    k.run("echo sync")
    check("cat trace_pipe" not in k.run("jobs"), "job still listed")
    # fg waits; Ctrl-C stops the job in the foreground.
    out = k.run("sleep 600000 &")
    check(re.search(r"^\[1\] \d+$", out.strip(), re.M), "sleep job: %r" % out)
    k.sendline("fg %1")
    k.expect(r"sleep 600000 &\r*\n")
    time.sleep(0.5)
    k.send("\x03")
    k.expect(PROMPT, timeout=10)
    check("sleep" not in k.run("jobs"), "fg'd job still listed")
    # A job that ends by itself is reported before the next prompt.
    k.run("sleep 100 &")
    time.sleep(1)
    k.sendline("")
    k.expect(r"\[1\]\+  Done +sleep 100 &\r*\n", timeout=10)
    k.run("echo sync")
    # A pipeline in the background, its output to the console.
    k.sendline("echo hi there | grep -c there &")
    k.expect(r"\[1\] \d+\r*\n")
    k.expect(r"1\r*\n", timeout=10)     # may follow the prompt
    k.sendline("")
    k.expect(r"\[1\]\+  Done +echo hi there \| grep -c there &", timeout=10)
    k.run("echo sync")
    # run ... & keeps its own thread and message.
    out = k.run("run sleep 50 &")
    check(re.search(r"\[\d+\] sleep 50 on CPU\d", out), "run &: %r" % out)
    # Its last words may come at any time, in the middle of what we type
    # next (as on any terminal): wait for them first.
    if "woke after" not in out:
        k.expect(r"sleep: woke after \d+ ms", timeout=30)
    k.run("echo sync")
    k.run("echo > set_ftrace_filter")
    k.run("cd /")


def t_bad_input_changes_nothing(k):
    k.run("cd " + T)
    k.run("echo fib > set_ftrace_filter")
    cases = [
        ("| grep fib", "syntax error near unexpected token `|'"),
        ("cat trace |", "needs a command after it"),
        ("grep", "grep: no PATTERN"),
        ("cat trace | grep", "grep: no PATTERN"),
        ("cat trace | head -n x", "head: invalid number of lines: 'x'"),
        ("cat trace | tail -n", "tail: option -n needs a number"),
        ("cat trace | sort -x", "sort: unknown option -x"),
        ("cat trace | grep -q fib", "grep: unknown option -q"),
        ("cat trace | grep '[fib'", "Unmatched ["),
        ("cat trace | grep -E '(a|b)'", "groups ( ) and counts { } are not supported"),
        ("grep fib", "grep: no input: give a FILE, or use grep after a |"),
        ("wc -l", "wc: no input"),
        ("echo x | uptime", "uptime: reads no input, so it cannot follow |"),
        ("echo x | nosuch", "nosuch: command not found"),
        ("cat set_ftrace_filter > nofile", "cat: nofile: No such file or directory"),
        ("cat set_ftrace_filter > available_tracers", "Permission denied"),
        ("echo x > a b", "must end the command line"),
        ("echo x >", "a redirection needs a file name"),
        ("sleep 1 & echo", "& must end the line"),
        ("fg %7", "fg: %7: no such job"),
        ("kill %9", "kill: %9: no such job"),
        ("kill %x", "kill: %x: no such job"),
        ("fg", "usage: fg"),
        ("ls -x", "unknown option"),
    ]
    for cmd, want in cases:
        out = k.run(cmd)
        check(want in out, "%r printed %r, wanted %r" % (cmd, out, want))
    # cat's error reaches the terminal, not the pipe: wc counts nothing.
    out = k.run("cat nofile | wc -l")
    check(out.strip().splitlines() == ["cat: nofile: No such file or directory", "0"],
          "cat nofile | wc -l: %r" % out)
    check(k.run("cat set_ftrace_filter").strip() == "fib", "a bad line changed the filter")
    k.run("echo > set_ftrace_filter")
    k.run("cd /")


def t_pipe_limit(k):
    # fib(22) makes 57,313 calls: with 4 MiB a CPU, a trace whose text is
    # longer than a pipe holds (2 MiB).
    k.run("cd " + T)
    size = k.run("cat buffer_size_kb").strip()
    k.run("echo 4096 > buffer_size_kb")
    k.run("echo fib > set_ftrace_filter")
    k.run("echo function > current_tracer")
    # fib(18): 8,361 calls, some 600 KiB of text - it fits.
    k.run("run -c 0 fib 18", timeout=300)
    out = k.run("cat trace | grep -c ' fib <-'", timeout=300)
    check(out.strip() == "8361", "a 600 KiB trace through a pipe: %r" % out[-300:])
    k.run("echo > trace")
    k.run("run -c 0 fib 22", timeout=300)
    k.run("echo 0 > tracing_on")    # a switch to nop would empty the buffer
    out = k.run("cat trace | wc -l", timeout=300)
    check("cat: more than 2048 KiB of output" in out, "limit not reported: %r" % out[-300:])
    # A stream that fills the pipe is stopped as by Ctrl-C.
    out = k.run("cat trace_pipe | wc -l", timeout=300)
    check("cat: more than 2048 KiB of output" in out, "stream not stopped: %r" % out[-300:])
    k.run("echo nop > current_tracer")
    k.run("echo 1 > tracing_on")
    k.run("echo > set_ftrace_filter")
    k.run("echo %s > buffer_size_kb" % size)
    out = k.run("echo still | wc -l")
    check(out.strip() == "1", "console after the limit: %r" % out)
    out = k.run("help")
    check("at most 2048 KiB" in out, "help does not say the limit")
    k.run("cd /")


def t_tab_completes_after_a_pipe(k):
    k.send("help | gre\t-c usage\r")
    k.expect(r"\r*\n(\d+)\r*\n")
    k.expect(PROMPT)
    k.send("head -n 1 /sys/kernel/tracing/available_trac\t\r")
    k.expect(r"\r*\n\S+")
    k.expect(PROMPT)
    k.send("jo\t\r")
    k.expect(PROMPT)


SCENARIOS = [
    t_ctrl_c_prints_one_prompt, t_pipes_and_filters, t_sort, t_sort_numeric,
    t_trace_through_a_pipe, t_head_stops_the_stage_before_it, t_ls_long, t_redirect_any_command, t_background_jobs,
    t_bad_input_changes_nothing, t_pipe_limit, t_tab_completes_after_a_pipe,
]


def main():
    args = scenario_args().parse_args()
    r = Runner()
    with Loupe(args.iso, args.accel, name="shell") as k:
        for fn in SCENARIOS:
            if selected(args, fn.__name__):
                r.run(fn.__name__[2:], fn, k)
    r.finish()


if __name__ == "__main__":
    main()
