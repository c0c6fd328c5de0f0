#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Tracing scenarios on the console: tracefs at Linux's paths, the
function and function_graph tracers, filters, trace_pipe, the livepatch
demo, tracing everything under load, and every kind of bad write.
"""
import argparse
import re
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from loupe import Loupe, Runner, check, PROMPT  # noqa: E402

T = "/sys/kernel/tracing"
FILES = ["available_filter_functions", "available_tracers", "buffer_size_kb", "current_tracer",
         "enabled_functions", "set_ftrace_filter", "set_ftrace_notrace", "trace", "trace_pipe",
         "tracing_on", "trace_options", "options/"]


def lines_of(out, pattern):
    return [l for l in out.splitlines() if re.search(pattern, l)]


def t_tracefs_tree_and_navigation(k):
    out = k.run("ls " + T)
    for f in FILES:
        check(re.search(r"\s%s$" % f, out, re.M), "ls lacks %s:\n%s" % (f, out))
    k.run("cd /sys/kernel/debug/tracing")
    check(k.run("pwd").strip() == "/sys/kernel/debug/tracing", "pwd after cd through the link")
    check("function_graph" in k.run("cat available_tracers"), "relative cat through the link")
    k.run("cd ..")
    check(k.run("pwd").strip() == "/sys/kernel/debug", "cd ..")
    k.run("cd")
    check(k.run("pwd").strip() == "/", "cd with no argument goes to /")
    for cmd, want in (("cat /nope", "cat: /nope: No such file or directory"),
                      ("cat " + T, "Is a directory"),
                      ("cd %s/trace" % T, "Not a directory"),
                      ("ls /nope", "cannot access '/nope'")):
        out = k.run(cmd)
        check(want in out, "%r printed %r" % (cmd, out))


def t_function_tracer_counts_fib_calls(k):
    k.run("cd " + T)
    k.run("echo fib > set_ftrace_filter")
    check(k.run("cat set_ftrace_filter").strip() == "fib", "filter not set")
    k.run("echo function > current_tracer")
    check(k.run("cat current_tracer").strip() == "function", "tracer not switched")
    k.run("echo > trace")
    k.run("run fib 5")
    out = k.run("cat trace")
    check("# tracer: function" in out, "no header: %r" % out[:200])
    fib_lines = lines_of(out, r"^\s+fib-\d+\s+\[000\]\s+\d+\.\d{6}: fib <-(fib|fib_body)$")
    check(len(fib_lines) == 15, "expected 15 fib lines, got %d:\n%s" % (len(fib_lines), out))
    check(re.search(r"entries-in-buffer/entries-written: 15/15", out), "header counts")
    out = k.run("cat enabled_functions")
    check(re.match(r"fib \(1\)\s+tramp: .* ->function_trace_call$", out.strip()), "enabled_functions: %r" % out)
    out = k.run("dis fib 1")
    check("call_rel32" in out, "fib's site is not a call while traced: %r" % out)
    k.run("echo nop > current_tracer")
    check(k.run("cat enabled_functions").strip() == "", "enabled_functions not empty after nop")
    out = k.run("dis fib 1")
    check("0f 1f 44 00 00" in out and "^ now" not in out, "fib's site is not a NOP after nop: %r" % out)


def t_function_graph_nests(k):
    k.run("echo function_graph > current_tracer")
    k.run("echo > trace")
    k.run("run fib 3")
    out = k.run("cat trace")
    body = [l for l in out.splitlines() if l.startswith(" 0)")]
    want = [r"^ 0\)\s+\|  fib\(\) \{$", r"^ 0\)\s+\|    fib\(\) \{$",
            r"^ 0\) .\s*\d+\.\d{3} us\s+\|      fib\(\);$", r"^ 0\) .\s*\d+\.\d{3} us\s+\|      fib\(\);$",
            r"^ 0\) .\s*\d+\.\d{3} us\s+\|    \}$", r"^ 0\) .\s*\d+\.\d{3} us\s+\|    fib\(\);$",
            r"^ 0\) .\s*\d+\.\d{3} us\s+\|  \}$"]
    check(len(body) == len(want), "graph of fib 3 has %d lines:\n%s" % (len(body), out))
    for line, pattern in zip(body, want):
        check(re.match(pattern, line), "graph line %r does not match %r" % (line, pattern))
    k.run("echo nop > current_tracer")
    k.run("echo > set_ftrace_filter")


def t_filter_writes(k):
    k.run("echo fib > set_ftrace_filter")
    k.run("echo uptime_format >> set_ftrace_filter")
    out = k.run("cat set_ftrace_filter")
    check(sorted(out.split()) == ["fib", "uptime_format"], ">> did not append: %r" % out)
    k.run("echo '!fib' >> set_ftrace_filter")
    check(k.run("cat set_ftrace_filter").split() == ["uptime_format"], "! did not remove")
    out = k.run("echo no_such_function_xyz > set_ftrace_filter")
    check("echo: write error: Invalid argument" in out, "glob matching nothing: %r" % out)
    check(k.run("cat set_ftrace_filter").split() == ["uptime_format"], "failed write changed the filter")
    k.run("echo 'sched_*' > set_ftrace_filter")
    out = k.run("cat set_ftrace_filter").split()
    check(len(out) >= 2 and all(f.startswith("sched_") for f in out), "glob: %r" % out)
    k.run("echo > set_ftrace_filter")
    check("all functions enabled" in k.run("cat set_ftrace_filter"), "filter not cleared")
    k.run("echo fib > set_ftrace_notrace")
    check(k.run("cat set_ftrace_notrace").split() == ["fib"], "notrace")
    k.run("echo > set_ftrace_notrace")
    funcs = k.run("cat available_filter_functions").split()
    check("fib" in funcs and "schedule" in funcs and "memcpy" not in funcs,
          "available_filter_functions: %d names" % len(funcs))


def t_filter_write_is_one_change(k):
    """Every glob of a write takes effect, or none does."""
    k.run("cd " + T)
    k.run("echo fib > set_ftrace_filter")
    for cmd in ("echo 'word_count nosuch' > set_ftrace_filter",
                "echo 'uptime_format nosuch' >> set_ftrace_filter",
                "echo '!fib nosuch' >> set_ftrace_filter"):
        check("Invalid argument" in k.run(cmd), "%r accepted" % cmd)
        check(k.run("cat set_ftrace_filter").split() == ["fib"], "%r changed the filter" % cmd)
    check("Invalid argument" in k.run("echo 'fib nosuch' > set_ftrace_notrace"), "notrace accepted")
    check(k.run("cat set_ftrace_notrace").split() == [], "a bad notrace write changed it")
    # As many globs as the shell takes: none is dropped.
    out = k.run("echo %sword_count > set_ftrace_filter" % ("fib " * 28))
    check("error" not in out, "29 globs: %r" % out)
    check(sorted(k.run("cat set_ftrace_filter").split()) == ["fib", "word_count"],
          "29 globs: %r" % k.run("cat set_ftrace_filter"))
    k.run("echo > set_ftrace_filter")
    check("all functions enabled" in k.run("cat set_ftrace_filter"), "filter not cleared")


def t_bad_writes_change_nothing(k):
    cases = [
        ("echo nosuch > current_tracer", "echo: write error: Invalid argument", "cat current_tracer", "nop"),
        ("echo 0 > buffer_size_kb", "echo: write error: Invalid argument", None, None),
        ("echo 99999999 > buffer_size_kb", "echo: write error: Invalid argument", None, None),
        ("echo 2 > tracing_on", "echo: write error: Invalid argument", "cat tracing_on", "1"),
        ("echo x > available_tracers", "echo: available_tracers: Permission denied", None, None),
        ("echo x > no_such_file", "echo: no_such_file: No such file or directory", None, None),
        ("echo x >", "a redirection needs a file name", None, None),
    ]
    size = k.run("cat buffer_size_kb").strip()
    for cmd, want, verify, expect in cases:
        out = k.run(cmd)
        check(want in out, "%r printed %r, wanted %r" % (cmd, out, want))
        if verify:
            check(k.run(verify).strip() == expect, "%r changed %s" % (cmd, verify))
    check(k.run("cat buffer_size_kb").strip() == size, "buffer_size_kb changed")


def t_buffer_size_and_tracing_on(k):
    k.run("echo 64 > buffer_size_kb")
    check(k.run("cat buffer_size_kb").strip() == "64", "buffer_size_kb not 64")
    k.run("echo fib > set_ftrace_filter")
    k.run("echo function > current_tracer")
    k.run("echo 0 > tracing_on")
    k.run("echo > trace")
    k.run("run fib 5")
    check(not lines_of(k.run("cat trace"), r": fib <-"), "recorded with tracing_on 0")
    k.run("echo 1 > tracing_on")
    k.run("run fib 5")
    check(len(lines_of(k.run("cat trace"), r": fib <-")) == 15, "not recording after tracing_on 1")
    k.run("echo 256 > buffer_size_kb")
    k.run("echo nop > current_tracer")
    k.run("echo > set_ftrace_filter")


def free_kib(k):
    return int(re.search(r"free\s+(\d+) KiB", k.run("mem")).group(1))


def t_buffer_size_reads_back_and_shrinks_after_a_large_resize(k):
    """buffer_size_kb reads back the real size (whole pages, two at least, as
    Linux 6.12 shows it), and shrinking always works, even when the
    buffer took nearly all memory."""
    k.run("cd " + T)
    for kb, real in (("1", "8"), ("5", "8"), ("13", "16"), ("4096", "4096"), ("256", "256")):
        out = k.run("echo %s > buffer_size_kb" % kb)
        check("error" not in out, "echo %s: %r" % (kb, out))
        check(k.run("cat buffer_size_kb").strip() == real, "wrote %s, read %r" % (kb, k.run("cat buffer_size_kb")))
    big = None
    for kb in range(free_kib(k) - 1024, 1024, -2048):
        if "error" not in k.run("echo %d > buffer_size_kb" % kb):
            big = kb
            break
    check(big and free_kib(k) < 1408, "no large resize left less than 1408 KiB free (%r)" % big)
    out = k.run("echo 1408 > buffer_size_kb")
    check("error" not in out, "shrinking from %d KiB to 1408: %r" % (big, out))
    check(k.run("cat buffer_size_kb").strip() == "1408", "after the shrink")
    out = k.run("echo 256 > buffer_size_kb")
    check("error" not in out and k.run("cat buffer_size_kb").strip() == "256", "back to 256: %r" % out)


def header_and_records(out):
    """The header's entries-in-buffer and entries-written, and the record lines."""
    m = re.search(r"^# entries-in-buffer/entries-written: (\d+)/(\d+)   #P:1$", out, re.M)
    check(m, "no entries line in the header:\n%s" % out[:400])
    records = lines_of(out, r"^\s*\S+-\d+\s+\[\d{3}\]\s+\d+\.\d{6}: ")
    return int(m.group(1)), int(m.group(2)), records


def t_reading_the_trace_does_not_destroy_it(k):
    """Every function traced: cat trace prints what its header counts (pause-on-trace)."""
    k.run("cd " + T)
    k.run("echo 16 > buffer_size_kb")
    k.run("echo > set_ftrace_filter")
    k.run("echo function > current_tracer")
    k.run("run fib 10")
    for _ in range(2):
        in_buffer, written, records = header_and_records(k.run("cat trace", timeout=120))
        check(in_buffer > 100 and written >= in_buffer, "counts %d/%d" % (in_buffer, written))
        check(len(records) == in_buffer, "printed %d records, the header says %d" % (len(records), in_buffer))
    check(k.run("cat trace_options").split() == ["pause-on-trace"], "trace_options: %r" % k.run("cat trace_options"))
    check(k.run("cat options/pause-on-trace").strip() == "1", "options/pause-on-trace not 1")
    k.run("echo nopause-on-trace > trace_options")
    check(k.run("cat options/pause-on-trace").strip() == "0", "nopause-on-trace did not switch it off")
    check(k.run("cat trace_options").split() == ["nopause-on-trace"], "trace_options after no")
    k.run("echo 1 > options/pause-on-trace")
    check(k.run("cat trace_options").split() == ["pause-on-trace"], "options/ file did not switch it on")
    for bad in ("echo pause > trace_options", "echo nosuch > trace_options", "echo 2 > options/pause-on-trace"):
        check("Invalid argument" in k.run(bad), "%r accepted" % bad)
    check(k.run("cat options/pause-on-trace").strip() == "1", "a bad write changed the option")
    k.run("echo nop > current_tracer")
    k.run("echo 256 > buffer_size_kb")


def t_trace_pipe_streams_until_ctrl_c(k):
    k.run("echo fib > set_ftrace_filter")
    k.run("echo function > current_tracer")
    k.run("echo > trace")
    out = k.run("run fib 27 &")
    pid = re.search(r"\[(\d+)\]", out).group(1)
    k.sendline("cat trace_pipe")
    k.expect(r"fib-%s\s+\[000\]\s+\d+\.\d{6}: fib <-fib" % pid, timeout=20)
    k.send("\x03")
    k.expect(r"\^C")
    k.expect(PROMPT, timeout=10)
    k.run("kill %s" % pid)
    k.run("echo nop > current_tracer")
    k.run("echo > set_ftrace_filter")
    time.sleep(0.5)


def t_livepatch_demo(k):
    check("livepatched" not in k.run("uptime"), "patched before on")
    check("livepatch demo on" in k.run("livepatch demo on"), "on")
    out = k.run("uptime")
    check(re.match(r"up \d+\.\d{3} s, \d+ ticks at 250 Hz \(livepatched: \d+ min \d+ s\)$", out.strip()),
          "patched uptime: %r" % out)
    check("uptime_format (1) R I" in k.run("cat %s/enabled_functions" % T), "hook not listed")
    k.run("livepatch demo off")
    check("livepatched" not in k.run("uptime"), "still patched after off")
    check("usage: livepatch" in k.run("livepatch demo sideways"), "bad argument")


def t_every_function_traced_under_load(k):
    """Linux's `echo function > current_tracer` with no filter, for 5 s."""
    k.run("echo > set_ftrace_filter")
    k.run("echo function > current_tracer")
    pids = []
    for job in ("fib 32", "alloc 100000000", "pingpong 100000000", "sleep 600000"):
        out = k.run("run %s &" % job, timeout=60)
        pids.append(re.search(r"\[(\d+)\]", out).group(1))
    time.sleep(5)
    out = k.run("ps", timeout=60)
    for pid in pids[1:]:
        check(re.search(r"^\s*%s [RS]" % pid, out, re.M), "job %s died under tracing:\n%s" % (pid, out))
    out = k.run("cat enabled_functions", timeout=60)
    check(len(out.splitlines()) > 150, "only %d functions enabled" % len(out.splitlines()))
    k.run("echo nop > current_tracer", timeout=60)
    for pid in pids:
        k.run("kill %s" % pid)
    check(k.run("cat enabled_functions").strip() == "", "enabled_functions not empty after nop")
    out = k.run("selftest ftrace", timeout=120)
    check("ok 1 sites_are_nops_after_boot" in out, "some site is not a NOP:\n%s" % out)


SHARED = [
    t_tracefs_tree_and_navigation, t_function_tracer_counts_fib_calls, t_function_graph_nests,
    t_filter_writes, t_filter_write_is_one_change, t_bad_writes_change_nothing, t_buffer_size_and_tracing_on,
    t_buffer_size_reads_back_and_shrinks_after_a_large_resize, t_reading_the_trace_does_not_destroy_it,
    t_trace_pipe_streams_until_ctrl_c, t_livepatch_demo, t_every_function_traced_under_load,
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iso", required=True)
    ap.add_argument("--accel", default="tcg")
    args = ap.parse_args()
    r = Runner()
    with Loupe(args.iso, args.accel, name="tracing") as k:
        for fn in SHARED:
            r.run(fn.__name__[2:], fn, k)
    r.finish()


if __name__ == "__main__":
    main()
