#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Tracing scenarios on the console: tracefs at Linux's paths, the
function and function_graph tracers, filters, trace_pipe, the livepatch
demo, tracing everything under load, and every kind of bad write.

Then, on a kernel booted with two CPUs or more, the per-CPU files:
per_cpu/cpuN/{trace,trace_pipe,stats,buffer_size_kb} and the header's #P:.
"""
import argparse
import os
import re
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from loupe import Loupe, Runner, check, PROMPT  # noqa: E402
import graph_controls  # noqa: E402  function_graph's controls (issue 18 point 2)

T = "/sys/kernel/tracing"
FILES = ["available_filter_functions", "available_tracers", "buffer_size_kb", "current_tracer",
         "enabled_functions", "set_ftrace_filter", "set_ftrace_notrace", "trace", "trace_pipe",
         "tracing_on", "trace_options", "options/", "per_cpu/", "README"]
FILES += ["set_graph_function", "set_graph_notrace", "max_graph_depth", "tracing_thresh"]


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
    fib_lines = lines_of(out, r"^\s+fib-\d+\s+\[\d{3}\] \S{5} +\d+\.\d{6}: fib <-(fib|fib_body)$")
    check(len(fib_lines) == 15, "expected 15 fib lines, got %d:\n%s" % (len(fib_lines), out))
    check(re.search(r"entries-in-buffer/entries-written: 15/15", out), "header counts")
    out = k.run("cat enabled_functions")
    check(re.match(r"^fib \(1\)           \ttramp: 0xffffffffc[0-9a-f]{7} \(function_trace_call\+0x0/0x[0-9a-f]+\)"
                   r" ->function_trace_call\+0x0/0x[0-9a-f]+$", out.strip("\n")), "enabled_functions: %r" % out)
    out = k.run("dis fib 1")
    check("call_rel32" in out, "fib's site is not a call while traced: %r" % out)
    k.run("echo nop > current_tracer")
    check(k.run("cat enabled_functions").strip() == "", "enabled_functions not empty after nop")
    out = k.run("dis fib 1")
    check("0f 1f 44 00 00" in out and "^ now" not in out, "fib's site is not a NOP after nop: %r" % out)


def t_function_graph_nests(k):
    k.run("echo function_graph > current_tracer")
    k.run("echo > trace")
    k.run("run -c 0 fib 3")
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
    check(k.run("cat set_ftrace_notrace") == "#### no functions disabled ####\n", "a bad notrace write changed it")
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
        ("echo on > tracing_on", "echo: write error: Invalid argument", "cat tracing_on", "1"),
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


def nr_cpu_buffers(k):
    """How many CPUs the trace buffer has (buffer_size_kb is per CPU)."""
    return len(re.findall(r"\scpu\d+/$", k.run("ls %s/per_cpu" % T), re.M))


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
    n = nr_cpu_buffers(k)
    check(n >= 1, "no per_cpu/cpuN/")
    for kb in range((free_kib(k) - 1024) // n, 1024 // n, -2048 // n):
        if "error" not in k.run("echo %d > buffer_size_kb" % kb):
            big = kb
            break
    # What is left: the 1024 KiB spared, and the old 256 KiB of each CPU.
    left = 1152 + 256 * n
    check(big and free_kib(k) < left, "no large resize left less than %d KiB free (%r)" % (left, big))
    out = k.run("echo 1408 > buffer_size_kb")
    check("error" not in out, "shrinking from %d KiB to 1408: %r" % (big, out))
    check(k.run("cat buffer_size_kb").strip() == "1408", "after the shrink")
    out = k.run("echo 256 > buffer_size_kb")
    check("error" not in out and k.run("cat buffer_size_kb").strip() == "256", "back to 256: %r" % out)


def header_and_records(out):
    """The header's entries-in-buffer and entries-written, and the record lines."""
    m = re.search(r"^# entries-in-buffer/entries-written: (\d+)/(\d+)   #P:\d+$", out, re.M)
    check(m, "no entries line in the header:\n%s" % out[:400])
    records = lines_of(out, r"^\s*\S+-\d+\s+\[\d{3}\] \S{5} +\d+\.\d{6}: ")
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
    check("pause-on-trace" in k.run("cat trace_options").split(), "trace_options: %r" % k.run("cat trace_options"))
    check(k.run("cat options/pause-on-trace").strip() == "1", "options/pause-on-trace not 1")
    k.run("echo nopause-on-trace > trace_options")
    check(k.run("cat options/pause-on-trace").strip() == "0", "nopause-on-trace did not switch it off")
    check("nopause-on-trace" in k.run("cat trace_options").split(), "trace_options after no")
    k.run("echo 1 > options/pause-on-trace")
    check("pause-on-trace" in k.run("cat trace_options").split(), "options/ file did not switch it on")
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
    k.expect(r"fib-%s\s+\[\d{3}\] \S{5} +\d+\.\d{6}: fib <-fib" % pid, timeout=20)
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


def t_run_time_code_has_names(k):
    """Trampolines, slots and detours are named in /proc/kallsyms, sym and dis."""
    k.run("cd " + T)
    k.run("echo fib > set_ftrace_filter")
    k.run("echo function > current_tracer")
    k.run("echo 'p:names_mid fib+0xf' >> kprobe_events")
    k.run("echo 'p:names_opt fib+5' >> kprobe_events")
    k.run("echo 1 > events/kprobes/enable")
    k.run("run fib 3")
    out = k.run("cat /proc/kallsyms", timeout=120)
    check(re.search(r"^ffffffff8\w{7} [Tt] fib$", out, re.M), "no fib in /proc/kallsyms")
    code = dict((name, addr) for addr, name in
                re.findall(r"^(ffffffffc\w{7}) t (\w+)\t\[(?:ftrace|kprobes)\]$", out, re.M))
    for name in ("ftrace_trampoline", "kprobe_insn_slot", "optprobe_detour"):
        check(name in code, "%s not in /proc/kallsyms: %r" % (name, sorted(code)))
    out = k.run("sym 0x%s" % code["ftrace_trampoline"])
    check(re.match(r"0x\w+: ftrace_trampoline\+0x0/0x\w+ \[ftrace\] \(calls function_trace_call\)$",
                   out.strip()), "sym of the trampoline: %r" % out)
    out = k.run("dis fib 2")
    check(re.search(r"jmp_rel32 .*  -> optprobe_detour\+0x0/0x\w+ \[kprobes\] \(for fib\+0x5/", out),
          "dis fib does not name the detour: %r" % out)
    k.run("echo 0 > events/kprobes/enable")
    k.run("echo > kprobe_events")
    k.run("echo nop > current_tracer")
    k.run("echo > set_ftrace_filter")
    out = k.run("cat /proc/kallsyms", timeout=120)
    left = re.findall(r"^\w+ t \w+\t\[(?:ftrace|kprobes)\]$", out, re.M)
    check(not left, "run-time code still named after its probes went: %r" % left)


SHARED = [
    t_tracefs_tree_and_navigation, t_function_tracer_counts_fib_calls, t_function_graph_nests,
    t_filter_writes, t_filter_write_is_one_change, t_bad_writes_change_nothing, t_buffer_size_and_tracing_on,
    t_buffer_size_reads_back_and_shrinks_after_a_large_resize, t_reading_the_trace_does_not_destroy_it,
    t_trace_pipe_streams_until_ctrl_c, t_livepatch_demo, t_every_function_traced_under_load,
    t_run_time_code_has_names,
]
SHARED += graph_controls.SHARED


# ---- per_cpu/: on a kernel with PERCPU_SMP CPUs ----

PERCPU_SMP = max(2, int(os.environ.get("LOUPE_SMP", "1")))
PC = T + "/per_cpu"
RECORD = re.compile(r"^\s*\S+-\d+\s+\[(\d{3})\] \S{5} +(\d+)\.(\d{6}): ", re.M)
CPUS_ROW = re.compile(r"^\s*(\d+)\s+\d+\s+(\w+)\b", re.M)


def records(out):
    """(cpu, microseconds) of each record line of a trace file."""
    return [(int(m.group(1)), int(m.group(2)) * 1000000 + int(m.group(3)))
            for m in RECORD.finditer(out)]


def stats(k, cpu):
    out = k.run("cat %s/cpu%d/stats" % (PC, cpu))
    keys = ["entries", "overrun", "commit overrun", "bytes", "oldest event ts", "now ts",
            "dropped events", "read events"]
    lines = out.strip().splitlines()
    check([l.split(":")[0] for l in lines] == keys, "cpu%d/stats is not Linux's:\n%s" % (cpu, out))
    st = {}
    for line in lines:
        key, val = line.split(": ", 1)
        if key in ("oldest event ts", "now ts"):
            m = re.match(r"^( *\d+)\.\d{6}$", val)
            check(m and len(m.group(1)) >= 5, "%s is not %%5llu.%%06lu: %r" % (key, val))
            sec, usec = val.strip().split(".")
            st[key] = int(sec) * 1000000 + int(usec)
        else:
            st[key] = int(val)
    return st


def online_cpus(k):
    """The CPUs `cpus` shows online (running tasks)."""
    out = k.run("cpus")
    return [int(m.group(1)) for m in CPUS_ROW.finditer(out) if m.group(2) == "online"]


def fib_on_cpu0(k, n=5):
    """Trace fib alone, from an empty buffer, and run fib(n) (fib(5): 15 calls).
    The function tracer stays on (only fib calls it, and nothing else runs
    fib): a switch to nop would empty the buffer."""
    k.run("cd " + T)
    k.run("echo fib > set_ftrace_filter")
    k.run("echo function > current_tracer")
    k.run("echo > trace")
    k.run("run -c 0 fib %d" % n)


def t_per_cpu_has_a_directory_for_each_cpu(k, n):
    out = k.run("ls " + PC)
    dirs = re.findall(r"\s(cpu\d+)/$", out, re.M)
    check(dirs == ["cpu%d" % c for c in range(n)], "per_cpu lists %s at SMP=%d:\n%s" % (dirs, n, out))
    for cpu in range(n):
        out = k.run("ls %s/cpu%d" % (PC, cpu))
        for f, mode in (("buffer_size_kb", "-rw"), ("stats", "-r-"), ("trace", "-rw"),
                        ("trace_pipe", "-r-")):
            check(re.search(r"^%s\s+%s$" % (mode, f), out, re.M), "cpu%d lacks %s %s:\n%s" % (cpu, mode, f, out))
    out = k.run("cat /sys/kernel/debug/tracing/per_cpu/cpu%d/stats" % (n - 1))
    check(out.startswith("entries: "), "per_cpu through the debugfs link: %r" % out)
    check("No such file" in k.run("cat %s/cpu%d/stats" % (PC, n)), "a cpu%d beyond the CPUs" % n)


def t_header_shows_the_online_cpus(k, n):
    """#P: is the number of CPUs that run tasks, in trace and per_cpu/cpuN/trace alike."""
    want = len(online_cpus(k))
    check(want >= 1, "cpus shows no CPU online")
    for path in (T + "/trace", PC + "/cpu0/trace", "%s/cpu%d/trace" % (PC, n - 1)):
        out = k.run("cat " + path)
        m = re.search(r"^# entries-in-buffer/entries-written: \d+/\d+   #P:(\d+)$", out, re.M)
        check(m and int(m.group(1)) == want, "%s header, want #P:%d:\n%s" % (path, want, out[:300]))


def t_cpu0_trace_shows_cpu0_alone_and_stats_count_exactly(k, n):
    fib_on_cpu0(k)
    st = stats(k, 0)
    check(st["entries"] == 15 and st["overrun"] == 0 and st["read events"] == 0
          and st["dropped events"] == 0 and st["commit overrun"] == 0, "cpu0/stats after fib 5: %r" % st)
    check(st["bytes"] >= 15 * 16 and st["bytes"] % 8 == 0, "bytes %d for 15 events" % st["bytes"])
    out = k.run("cat %s/cpu0/trace" % PC)
    recs = records(out)
    check(len(recs) == 15 and all(c == 0 for c, _ in recs), "cpu0/trace:\n%s" % out)
    check(len(lines_of(out, r"\[000\] .*: fib <-(fib|fib_body)$")) == 15, "not fib's records:\n%s" % out)
    check(st["oldest event ts"] == recs[0][1], "oldest event ts %d is not the first record's %d"
          % (st["oldest event ts"], recs[0][1]))
    check(st["now ts"] >= recs[-1][1], "now ts %d before the last record %d" % (st["now ts"], recs[-1][1]))
    for cpu in range(1, n):
        check(stats(k, cpu)["entries"] == 0, "cpu%d counts records of fib on CPU 0" % cpu)
        check(records(k.run("cat %s/cpu%d/trace" % (PC, cpu))) == [], "cpu%d/trace not empty" % cpu)


def t_cpu0_trace_pipe_consumes_cpu0(k, n):
    fib_on_cpu0(k)
    k.sendline("cat %s/cpu0/trace_pipe" % PC)
    for _ in range(15):
        k.expect(r"\[000\] \S{5} +\d+\.\d{6}: fib <-", timeout=20)
    time.sleep(0.3)
    k.send("\x03")
    k.expect(r"\^C")
    k.expect(PROMPT, timeout=10)
    st = stats(k, 0)
    check(st["entries"] == 0 and st["read events"] == 15, "cpu0/stats after its trace_pipe: %r" % st)
    check(st["bytes"] == 0 and st["oldest event ts"] == 0, "an empty buffer's bytes and oldest: %r" % st)


def t_clearing_one_cpu_leaves_the_others_alone(k, n):
    fib_on_cpu0(k)
    for cpu in range(1, n):
        k.run("echo > %s/cpu%d/trace" % (PC, cpu))
    check(stats(k, 0)["entries"] == 15, "clearing the other CPUs cleared CPU 0")
    check(len(records(k.run("cat " + T + "/trace"))) == 15, "trace lost records")
    k.run("echo >> %s/cpu0/trace" % PC)
    check(stats(k, 0)["entries"] == 15, "`>>` (append) cleared CPU 0")
    k.run("echo > %s/cpu0/trace" % PC)
    st = stats(k, 0)
    check(st["entries"] == 0 and st["overrun"] == 0 and st["read events"] == 0, "cpu0 after clearing: %r" % st)
    check(records(k.run("cat " + T + "/trace")) == [], "trace not empty after clearing cpu0")


def t_per_cpu_buffer_size_kb(k, n):
    last = "%s/cpu%d/buffer_size_kb" % (PC, n - 1)
    check(k.run("cat " + last).strip() == "256", "default size of the last CPU")
    fib_on_cpu0(k)
    k.run("echo 100 > " + last)
    check(k.run("cat " + last).strip() == "100", "cpu%d did not take 100 KiB" % (n - 1))
    check(k.run("cat %s/cpu0/buffer_size_kb" % PC).strip() == "256", "resizing one CPU resized CPU 0")
    check(stats(k, 0)["entries"] == 15, "resizing another CPU emptied CPU 0")
    check(k.run("cat %s/buffer_size_kb" % T).strip() == "X", "sizes differ: Linux shows X")
    check("Invalid argument" in k.run("echo 0 > " + last), "0 KiB accepted")
    k.run("echo 256 > %s/buffer_size_kb" % T)
    for cpu in range(n):
        check(k.run("cat %s/cpu%d/buffer_size_kb" % (PC, cpu)).strip() == "256", "cpu%d not 256" % cpu)
    check(k.run("cat %s/buffer_size_kb" % T).strip() == "256", "one size again")
    k.run("echo nop > " + T + "/current_tracer")


def t_graph_folds_leaves_while_another_cpu_records(k, n):
    """function_graph looks ahead on each CPU, as Linux does: fib(4) on
    CPU 0 while CPU 1 records fib(60) prints its 5 leaf calls as `fib();`,
    never as a `fib() {` and `}` pair, though CPU 1's records lie between."""
    k.run("cd " + T)
    k.run("echo fib > set_ftrace_filter")
    k.run("echo function_graph > current_tracer")
    k.run("echo > trace")
    pid = re.search(r"\[(\d+)\]", k.run("run -c 1 fib 60 &")).group(1)
    time.sleep(0.3)
    k.run("run -c 0 fib 4")
    out = k.run("cat trace")
    k.run("echo nop > current_tracer")
    k.run("kill " + pid)
    cpu0 = [l for l in out.splitlines() if l.startswith(" 0)")]
    check(len(cpu0) == 13, "fib(4) on CPU 0 is 13 graph lines:\n%s" % "\n".join(cpu0))
    check(sum(l.endswith("fib();") for l in cpu0) == 5, "5 leaves:\n%s" % "\n".join(cpu0))
    check(len([l for l in out.splitlines() if l.startswith(" 1)")]) > 100, "CPU 1 recorded little")


def t_cpu1_records_on_its_own_buffer(k, n):
    """Needs CPU 1 running tasks (issue 15). Both CPUs trace every function:
    each per_cpu/cpuN/trace holds that CPU's records alone, as many as its
    stats counts; trace merges them in time order; clearing CPU 0 leaves
    CPU 1's records; cpu1/trace_pipe takes CPU 1's alone."""
    if 1 not in online_cpus(k):
        print("     SKIP cpu1_records_on_its_own_buffer: CPU1 runs no tasks yet (`cpus` shows "
              "it not online), so it cannot record", flush=True)
        return
    k.run("cd " + T)
    k.run("echo 16 > buffer_size_kb")
    k.run("echo > set_ftrace_filter")
    k.run("echo function > current_tracer", timeout=60)
    pids = [re.search(r"\[(\d+)\]", k.run("run fib 30 &", timeout=60)).group(1) for _ in range(2)]
    time.sleep(2)
    # Stop recording (a switch to nop would empty the buffer) and read.
    k.run("echo 0 > tracing_on", timeout=60)
    for pid in pids:
        k.run("kill %s" % pid)
    per_cpu = {}
    for cpu in (0, 1):
        st = stats(k, cpu)
        recs = records(k.run("cat %s/cpu%d/trace" % (PC, cpu), timeout=120))
        check(st["entries"] > 0, "cpu%d recorded nothing: %r" % (cpu, st))
        check(len(recs) == st["entries"], "cpu%d/trace printed %d records, its stats say %d"
              % (cpu, len(recs), st["entries"]))
        check(all(c == cpu for c, _ in recs), "cpu%d/trace shows another CPU's records" % cpu)
        check(st["oldest event ts"] == recs[0][1], "cpu%d oldest event ts" % cpu)
        per_cpu[cpu] = st["entries"]
    out = k.run("cat %s/trace" % T, timeout=120)
    recs = records(out)
    check(re.search(r"#P:%d$" % len(online_cpus(k)), out, re.M), "#P: in:\n%s" % out[:300])
    check({c for c, _ in recs} >= {0, 1}, "trace does not merge both CPUs")
    check(len(recs) == sum(stats(k, c)["entries"] for c in range(n)), "trace is not every CPU's records")
    check(all(a[1] <= b[1] for a, b in zip(recs, recs[1:])), "trace is not in time order")
    k.run("echo > %s/cpu0/trace" % PC)
    check(stats(k, 0)["entries"] == 0, "cpu0 not cleared")
    check(stats(k, 1)["entries"] == per_cpu[1], "clearing cpu0 changed cpu1")
    k.sendline("cat %s/cpu1/trace_pipe" % PC)
    k.expect(r"\[001\] \S{5} +\d+\.\d{6}: ", timeout=30)
    time.sleep(2)
    k.send("\x03")
    k.expect(PROMPT, timeout=30)
    piped = records(k.child.before.replace("\r", ""))
    check(piped and all(c == 1 for c, _ in piped), "cpu1/trace_pipe printed another CPU's records")
    st = stats(k, 1)
    check(st["read events"] >= len(piped) and st["entries"] == per_cpu[1] - st["read events"],
          "cpu1/stats after its trace_pipe: %r" % st)
    k.run("echo nop > current_tracer", timeout=60)
    k.run("echo 1 > tracing_on")
    k.run("echo 256 > buffer_size_kb")



# ---- Linux's trace layout and options (issue 18 points 1 and 3) ----

# Linux 6.12's header lines, from print_func_help_header{,_irq}()'s formats
# with no TGID column (prec 2 of spaces).
SP2 = "  "
HEADER_IRQ = [
    "#                            " + SP2 + "  _-----=> irqs-off/BH-disabled",
    "#                            " + SP2 + " / _----=> need-resched",
    "#                            " + SP2 + "| / _---=> hardirq/softirq",
    "#                            " + SP2 + "|| / _--=> preempt-depth",
    "#                            " + SP2 + "||| / _-=> migrate-disable",
    "#                            " + SP2 + "|||| /     delay",
    "#           TASK-PID  " + SP2 + " CPU#  |||||  TIMESTAMP  FUNCTION",
    "#              | |    " + SP2 + "   |   |||||     |         |",
]
HEADER_NOIRQ = [
    "#           TASK-PID    " + "" + " CPU#     TIMESTAMP  FUNCTION",
    "#              | |      " + "" + "   |         |         |",
]
FLAGS = r"[.dDbX][.nNp][.zZhHs][.0-9a-f][.0-9a-f]"
# "%16s-%-7d [%03d] FLAGS %5lu.%06lu: "
FN_LINE = r"^ {0,15}(\S{1,16})-(\d+) {0,6} \[(\d{3})\] (%s) +\d+\.\d{6}: " % FLAGS
# In the order Linux 6.12 lists those it has of these (trace_options).
ALL_OPTIONS = ["print-parent", "sym-offset", "sym-addr", "context-info", "latency-format", "record-cmd",
               "overwrite", "irq-info", "markers", "event-fork", "pause-on-trace", "function-fork",
               "stacktrace", "func_stack_trace"]


def fib_traced(k, n=3, cpu=1):
    k.run("cd " + T)
    k.run("echo fib > set_ftrace_filter")
    k.run("echo function > current_tracer")
    k.run("echo > trace")
    k.run("run -c %d fib %d" % (cpu, n))
    return k.run("cat trace")


def t_trace_header_and_lines_are_linuxs(k, n=2):
    out = fib_traced(k)
    lines = out.splitlines()
    check(lines[:4] == ["# tracer: function", "#", "# entries-in-buffer/entries-written: 5/5   #P:%d"
                        % len(online_cpus(k)), "#"], "header start:\n%s" % "\n".join(lines[:4]))
    check(lines[4:12] == HEADER_IRQ, "legend:\n%s" % "\n".join(lines[4:12]))
    body = [l for l in lines if not l.startswith("#") and l.strip()]
    check(len(body) == 5, "5 records:\n%s" % out)
    for l in body:
        m = re.match(FN_LINE + r"fib <-(fib|fib_body)$", l)
        check(m, "line not in Linux's layout: %r" % l)
        check(len(l.split("[")[0]) == 16 + 1 + 7 + 1, "TASK-PID is not %%16s-%%-7d: %r" % l)
        check(m.group(1) == "fib" and m.group(3) == "001", "task or CPU: %r" % l)
        # A task calling fib: interrupts on, no interrupt context, preemptible.
        check(m.group(4) == ".....", "flags of fib in a task: %r" % l)
    k.run("echo 0 > options/irq-info")
    out = k.run("cat trace")
    lines = out.splitlines()
    check(lines[4:6] == HEADER_NOIRQ, "header without irq-info:\n%s" % out[:600])
    body = [l for l in lines if not l.startswith("#") and l.strip()]
    check(all(re.match(r"^ {0,15}fib-\d+ {0,6} \[001\]  +\d+\.\d{6}: fib <-", l) for l in body)
          and len(body) == 5, "lines without irq-info:\n%s" % out)
    k.run("echo irq-info > trace_options")
    check(k.run("cat options/irq-info").strip() == "1", "irq-info back on")


def t_flags_show_interrupt_context_and_preemption(k, n=2):
    """Real values per event: a function called from the timer interrupt
    shows d (interrupts off) and h (in a hard interrupt), where fib called
    by a task showed ..... (t_trace_header_and_lines_are_linuxs)."""
    k.run("cd " + T)
    k.run("echo > set_ftrace_filter")
    k.run("echo 'p:tick_ev rcu_sched_clock_irq' > kprobe_events")
    k.run("echo 1 > events/kprobes/tick_ev/enable")
    time.sleep(0.5)
    k.run("echo 0 > events/kprobes/tick_ev/enable")
    out = k.run("cat trace")
    ticks = [re.match(FN_LINE, l) for l in lines_of(out, r": tick_ev: ")]
    k.run("echo > kprobe_events")
    check(ticks and all(m for m in ticks), "no tick_ev records:\n%s" % out[-1500:])
    for m in ticks:
        flags = m.group(4)
        check(flags[0] == "d" and flags[2] in "hH", "a tick's record is not irqs-off in a hard irq: %r" % flags)
    k.run("echo > trace")


def t_entries_counts_after_a_consuming_read(k, n=2):
    fib_traced(k, 4, cpu=0)          # 9 records
    k.run("echo 0 > tracing_on")     # nothing more (a switch to nop would empty it)
    k.sendline("cat trace_pipe")
    for _ in range(9):
        k.expect(r"fib <-", timeout=20)
    time.sleep(0.3)
    k.send("\x03")
    k.expect(PROMPT, timeout=10)
    out = k.run("cat trace")
    check("# entries-in-buffer/entries-written: 0/0   #P:" in out, "after reading all: %r" % out[:300])
    k.run("echo 1 > tracing_on")
    fib_traced(k, 3, cpu=0)          # 5 more
    check("entries-written: 5/5 " in k.run("cat trace"), "after 5 more")
    k.run("echo nop > current_tracer")


def t_tracefs_files_as_linux(k, n=2):
    k.run("cd " + T)
    check(k.run("cat available_tracers") == "function_graph function nop\n", "available_tracers: %r"
          % k.run("cat available_tracers"))
    check(k.run("cat set_ftrace_notrace") == "#### no functions disabled ####\n", "empty notrace: %r"
          % k.run("cat set_ftrace_notrace"))
    k.run("echo fib > set_ftrace_notrace")
    check(k.run("cat set_ftrace_notrace") == "fib\n", "notrace fib")
    k.run("echo > set_ftrace_notrace")
    check(re.match(r"^\d+\n$", k.run("cat buffer_size_kb")), "buffer_size_kb")


def t_options_dir_and_trace_options(k, n=2):
    k.run("cd " + T)
    k.run("echo nop > current_tracer")
    files = k.run("ls options").split()
    for name in ALL_OPTIONS:
        check(name in files, "options/%s missing: %r" % (name, files))
    listed = k.run("cat trace_options").split()
    core = [o for o in ALL_OPTIONS if o != "func_stack_trace"]
    check([w[2:] if w.startswith("no") else w for w in listed] == core,
          "trace_options under nop: %r" % listed)
    check(listed[:5] == ["print-parent", "nosym-offset", "nosym-addr", "context-info", "nolatency-format"]
          and "irq-info" in listed and "overwrite" in listed and "record-cmd" in listed
          and "markers" in listed, "defaults: %r" % listed)
    k.run("echo function > current_tracer")
    check(k.run("cat trace_options").split()[-1] == "nofunc_stack_trace", "function's own option not listed")
    for name in ALL_OPTIONS:
        was = k.run("cat options/" + name).strip()
        check(was in ("0", "1"), "options/%s reads %r" % (name, was))
        other = "0" if was == "1" else "1"
        check(k.run("echo %s > options/%s" % (other, name)) == "", "echo %s > options/%s" % (other, name))
        check(k.run("cat options/" + name).strip() == other, "options/%s did not take %s" % (name, other))
        word = name if other == "1" else "no" + name
        check(word in k.run("cat trace_options").split(), "trace_options does not say %s" % word)
        k.run("echo %s > trace_options" % (name if was == "1" else "no" + name))
        check(k.run("cat options/" + name).strip() == was, "trace_options did not put %s back" % name)
    for bad in ("echo 2 > options/sym-addr", "echo on > options/sym-addr", "echo -1 > options/sym-addr",
                "echo nosuch > trace_options", "echo nonosym-addr > trace_options", "echo > trace_options"):
        check("echo: write error: Invalid argument" in k.run(bad), "%r accepted" % bad)
    check(k.run("cat options/sym-addr").strip() == "0", "a bad write changed sym-addr")
    k.run("echo nop > current_tracer")
    check("Invalid argument" in k.run("echo func_stack_trace > trace_options"),
          "another tracer's option taken by trace_options")
    check("nofunc_stack_trace" not in k.run("cat trace_options"), "function's option listed under nop")


def t_options_change_the_lines(k, n=2):
    out = fib_traced(k, 2)
    plain = lines_of(out, r": fib <-")
    check(len(plain) == 3 and all(re.search(r": fib <-(fib|fib_body)$", l) for l in plain), "plain:\n%s" % out)
    k.run("echo 0 > options/print-parent")
    check(all(l.endswith(": fib") for l in lines_of(k.run("cat trace"), r": fib")), "print-parent off")
    k.run("echo 1 > options/print-parent")
    k.run("echo 1 > options/sym-offset")
    lines = lines_of(k.run("cat trace"), r": fib")
    check(all(re.search(r": fib\+0x0/0x[0-9a-f]+ <-fib(_body)?\+0x[0-9a-f]+/0x[0-9a-f]+$", l) for l in lines),
          "sym-offset:\n%s" % "\n".join(lines))
    k.run("echo 1 > options/sym-addr")
    lines = lines_of(k.run("cat trace"), r": fib")
    check(all(re.search(r": fib\+0x0/0x[0-9a-f]+ <ffffffff8[0-9a-f]{7}> <-\S+ <ffffffff8[0-9a-f]{7}>$", l)
              for l in lines), "sym-addr:\n%s" % "\n".join(lines))
    k.run("echo 0 > options/sym-offset")
    k.run("echo 0 > options/sym-addr")
    # record-cmd off: the records made meanwhile carry no name, as Linux's
    # show "<...>" for a task it never saved.
    k.run("echo 0 > options/record-cmd")
    k.run("echo > trace")
    k.run("run -c 1 fib 2")
    lines = lines_of(k.run("cat trace"), r": fib <-")
    check(len(lines) == 3 and all(re.match(r"^ {11}<\.\.\.>-\d+ ", l) for l in lines), "record-cmd off:\n%s"
          % "\n".join(lines))
    k.run("echo 1 > options/record-cmd")
    k.run("echo > trace")
    k.run("run -c 1 fib 2")
    # latency-format: Linux's latency header and lines.
    k.run("echo 1 > options/latency-format")
    out = k.run("cat trace")
    check("# function latency trace v1.1.5 on " in out and "#  cmd     pid     |||||| time  |   caller" in out
          and "entries-in-buffer" not in out, "latency header:\n%s" % out[:900])
    lines = lines_of(out, r": fib <-")
    check(len(lines) == 3 and all(re.match(r"^ {5}fib-\d+ +1%s +\d+us[ +!#*@$]: fib <-" % FLAGS, l)
                                  for l in lines), "latency lines:\n%s" % "\n".join(lines))
    k.run("echo 0 > options/latency-format")
    k.run("echo nop > current_tracer")


def t_func_stack_trace_and_stacktrace(k, n=2):
    fib_traced(k, 1)
    k.run("echo 1 > options/func_stack_trace")
    k.run("echo > trace")
    k.run("run -c 1 fib 2")
    out = k.run("cat trace")
    k.run("echo 0 > options/func_stack_trace")
    stacks = re.findall(r"^.*: <stack trace>\n((?: => \S+\n)+)", out, re.M)
    check(len(stacks) == 3, "3 stack traces after 3 calls:\n%s" % out)
    first = stacks[0].split()
    check(first[:4:2] == ["fib", "fib_body"] or first[1:4:2] == ["fib", "fib_body"], "stack of fib: %r" % first)
    check(" => job_thread" in stacks[0], "stack does not reach job_thread:\n%s" % stacks[0])
    check(re.search(FN_LINE + "<stack trace>$", out, re.M), "stack record prefix:\n%s" % out)
    k.run("echo > trace")
    k.run("run -c 1 fib 2")
    check("<stack trace>" not in k.run("cat trace"), "func_stack_trace off still records stacks")
    k.run("echo nop > current_tracer")
    # stacktrace: after each event.
    k.run("echo 'p:st_fib fib' > kprobe_events")
    k.run("echo 1 > events/kprobes/enable")
    k.run("echo 1 > options/stacktrace")
    k.run("echo > trace")
    k.run("run -c 1 fib 1")
    out = k.run("cat trace")
    k.run("echo 0 > options/stacktrace")
    m = re.search(r": st_fib: .*\n.*: <stack trace>\n => fib\n => fib_body\n => job_thread\n", out)
    check(m, "event then its stack:\n%s" % out)
    # Off again: the event records as before, without a stack.
    k.run("echo > trace")
    k.run("run -c 1 fib 1")
    out = k.run("cat trace")
    k.run("echo 0 > events/kprobes/enable")
    k.run("echo > kprobe_events")
    check(": st_fib: " in out and "<stack trace>" not in out, "stacktrace off:\n%s" % out)


def t_overwrite_off_keeps_the_oldest(k, n=2):
    k.run("cd " + T)
    k.run("echo 8 > per_cpu/cpu1/buffer_size_kb")
    k.run("echo 0 > options/overwrite")
    out = fib_traced(k, 12)      # 465 calls: more than 8 KiB holds
    first = lines_of(out, r": fib <-")
    check(first and first[0].endswith("fib <-fib_body"), "overwrite off lost the first call:\n%s" % out[:1500])
    st = stats(k, 1)
    check(st["overrun"] == 0 and st["dropped events"] > 0, "overwrite off: %r" % st)
    k.run("echo 1 > options/overwrite")
    k.run("echo > trace")
    k.run("run -c 1 fib 12")
    st = stats(k, 1)
    out = k.run("cat trace")
    check(st["overrun"] > 0 and not out.rstrip().endswith("fib <-fib_body") and
          "fib <-fib_body" not in out, "overwrite on kept the oldest: %r" % st)
    k.run("echo nop > current_tracer")
    k.run("echo 256 > buffer_size_kb")


PERCPU = [
    t_per_cpu_has_a_directory_for_each_cpu, t_header_shows_the_online_cpus,
    t_cpu0_trace_shows_cpu0_alone_and_stats_count_exactly, t_cpu0_trace_pipe_consumes_cpu0,
    t_clearing_one_cpu_leaves_the_others_alone, t_per_cpu_buffer_size_kb,
    t_cpu1_records_on_its_own_buffer, t_graph_folds_leaves_while_another_cpu_records,
    t_trace_header_and_lines_are_linuxs, t_flags_show_interrupt_context_and_preemption,
    t_entries_counts_after_a_consuming_read, t_tracefs_files_as_linux, t_options_dir_and_trace_options,
    t_options_change_the_lines, t_func_stack_trace_and_stacktrace, t_overwrite_off_keeps_the_oldest,
]
PERCPU += graph_controls.PERCPU


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iso", required=True)
    ap.add_argument("--accel", default="tcg")
    ap.add_argument("--only", help="run only the scenarios whose name contains this")
    args = ap.parse_args()
    r = Runner()
    shared = [fn for fn in SHARED if not args.only or args.only in fn.__name__]
    percpu = [fn for fn in PERCPU if not args.only or args.only in fn.__name__]
    if shared:
        with Loupe(args.iso, args.accel, name="tracing") as k:
            for fn in shared:
                r.run(fn.__name__[2:], fn, k)
    if percpu:
        with Loupe(args.iso, args.accel, name="tracing-percpu", smp=PERCPU_SMP) as k:
            for fn in percpu:
                r.run("%s (SMP=%d)" % (fn.__name__[2:], PERCPU_SMP), fn, k, PERCPU_SMP)
    r.finish()


if __name__ == "__main__":
    main()
