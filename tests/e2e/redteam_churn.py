# SPDX-License-Identifier: MIT
"""The red-team churn: a seeded random walk through probe commands.

Each step is one console command chosen at random from a model of what
is registered: add a p:, r: or f: event (with fetch-args) at a random
instruction boundary (taken from `dis`) of a workload or kernel function,
enable, disable or remove one, toggle /proc/sys/debug/kprobes-optimization
or /sys/kernel/debug/kprobes/enabled, start a background workload, run one
in the foreground, read or clear the trace, list the events, switch the
function tracers and the livepatch demo, resize the buffer, take a
backtrace of a workload or kill it. The model
says what each command must answer: nothing on success, EBUSY when an
enabled event is removed, the exact listing of kprobe_events,
dynamic_events, kprobes/list and kprobe_profile, the workload's result.

Several commands are typed ahead on one go (the console reads from a
1 KiB receive ring), followed by a marker; the replies are cut apart at
the prompts and each is checked on its own. Background workloads print a
line when they end, anywhere in the output: those lines are taken out
first. A panic or a batch that does not come back in time fails the run
with the seed, the step and the last commands typed.

Before the walk, one event of each kind is added, hit and removed, each
workload run once and function_graph turned on and off: the kprobe slot
pages, the return stacks function_graph gives every task, and other
caches a first use keeps are then in the baseline. After the walk
everything is disabled and removed and kmalloc's outstanding objects and bytes (the
`kmalloc:` line and the per-class object counts of `mem`) must equal the
baseline.

The seed is printed first; REDTEAM_SEED=N replays a run. REDTEAM_SKIP_KNOWN=1
accepts what issue 14.1 already names (a real boundary refused next to
another probe, `dis` under probes not checked) so that a long run can
look past it for new failures.
"""
import os
import random
import re
import time

from loupe import Loupe, TestFailure, KernelPanic, PROMPT, JOB_REPORT_RE

T = "/sys/kernel/tracing"
KLIST = "/sys/kernel/debug/kprobes/list"
KENABLED = "/sys/kernel/debug/kprobes/enabled"
KOPT = "/proc/sys/debug/kprobes-optimization"

# Workload functions and kernel functions a student may legitimately probe
# (uptime_format is the one the livepatch demo replaces).
FUNCS = ["fib", "fib_calls", "fib_body", "word_count", "words_run", "alloc_body", "pong_body",
         "pingpong_body", "kmalloc", "kfree", "kzalloc", "complete", "wait_for_completion",
         "wake_up_process", "msleep", "kthread_create", "uptime_format"]

HOT = ["fib", "word_count", "fib_calls", "alloc_body"]

# Fetch-args by where the probe is; garbage pointers are welcome: they
# must print (fault).
ARGS_ENTRY = ["n=$arg1", "a2=$arg2:u32", "d=%di", "s=$stack", "s1=$stack1:x64", "c=$comm",
              "j=@jiffies:u64", "ip=%ip:symbol", "p=+0(%di):x64", "str=+0(%di):string",
              "arr=+0(%si):u8[4]", "imm=\\7:u8", "sym=$stack0:symbol"]
ARGS_MID = ["ax=%ax", "bx=%bx:u32", "sp=+8(%sp):u64", "c=$comm", "deref=+0(%ax):x64",
            "str=+0(%bx):string", "s=$stack2", "j=@jiffies", "r12=%r12:s32", "dd=+8(+0(%ax)):u64",
            "rs=+0(%r12):string", "arr=+0(%sp):u64[8]", "sy=%ax:symstr", "sb=%bx:symbol"]
# An fprobe sees no registers (as on Linux): only the entry's other fetches.
ARGS_FENTRY = [a for a in ARGS_ENTRY[:8] if "%" not in a]
ARGS_RET = ["r=$retval", "r32=$retval:u32", "a1=$arg1", "c=$comm", "rs=$retval:symbol",
            "deref=+0($retval):x64"]

ASYNC = re.compile(r"(fib\(2[1-5]\) = \d+ \(\d+ calls, \d+ ms\)"
                   r"|alloc: \d+ kmalloc/kfree rounds done|pingpong: \d+ round trips in \d+ ms"
                   r"|(?:fib|alloc|pingpong): stopped)\r?\n")
EVENT_LINE = re.compile(r"^\s*\S+-\d+\s+\[\d{3}\] \S{5} +\d+\.\d{6}: (\w+): \(")
REMOVED_LINE = re.compile(r"^\s*\S+-\d+\s+\[\d{3}\] \S{5} +\d+\.\d{6}: \(a probe event since removed\)$")
MEM_RE = re.compile(r"kmalloc: (\d+) objects outstanding \((\d+) large\), (\d+) bytes requested, "
                    r"(\d+) bytes allocated")
BATCH_CHARS = 600
# Instruction kinds (as `dis` names them) a kprobe refuses, with EOPNOTSUPP.
REFUSED_KINDS = {"int3", "int1", "int_n", "into", "iret", "syscall", "sysret", "pushf", "popf",
                 "cli", "sti", "hlt", "ud2", "xbegin"}


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def fib_calls(n):
    return 1 if n < 2 else 1 + fib_calls(n - 1) + fib_calls(n - 2)


class ChurnFailure(Exception):
    pass


# What kprobe_events lists for an r: event typed without maxactive: the
# pool registering chose (r10: on Linux and here); setup() learns it.
DEFAULT_MAXACTIVE = [0]


class Event:
    def __init__(self, name, kind, fn, off, args, maxactive, ret, group=None, as_p=False):
        self.name, self.kind, self.fn, self.off = name, kind, fn, off
        self.args, self.maxactive, self.ret = args, maxactive, ret
        self.enabled = False
        self.group = group or ("fprobes" if kind == "f" else "kprobes")
        self.as_p = as_p        # an r: typed as p:FN%return

    def target(self):
        if self.kind == "f":
            return self.fn + ("%return" if self.ret else "")
        return self.fn + ("+%d" % self.off if self.off else "")

    def listing(self):
        maxactive = self.maxactive or (DEFAULT_MAXACTIVE[0] if self.kind == "r" else "")
        head = "%s%s:%s/%s %s" % (self.kind, maxactive, self.group, self.name, self.target())
        return " ".join([head] + self.args)

    def command(self):
        name = self.name if self.group in ("kprobes", "fprobes") else self.group + "/" + self.name
        if self.as_p:
            return " ".join(["p:%s %s%%return" % (name, self.fn)] + self.args)
        head = "%s%s:%s %s" % (self.kind, self.maxactive or "", name, self.target())
        return " ".join([head] + self.args)


class Churn:
    def __init__(self, k, seed, known_ok):
        self.k = k
        self.rng = random.Random(seed)
        self.seed = seed
        self.known_ok = known_ok
        self.events = []            # in creation order, as listed
        self.ever = set()           # names that may still have records in the buffer
        self.serial = 0
        self.opt = 1
        self.kenabled = 1
        self.jobs = {"fib": 0, "alloc": 0, "pingpong": 0}
        self.tracer = "nop"
        self.filter = []
        self.traced = False         # the tracer ran since the last clear
        self.livepatch = False
        self.pids = []
        self.tracing_on = 1
        self.strings = set()        # events with a :string fetch-arg
        self.history = []           # every command typed, for the failure report
        self.step = 0
        self.batch_no = 0
        self.boundaries = {}
        self.batch_break = False

    # ---- the console

    def strip_async(self, text):
        for m in ASYNC.finditer(text):
            kind = m.group(1).split("(")[0].split(":")[0]
            if kind in self.jobs and self.jobs[kind] > 0:
                self.jobs[kind] -= 1
        # The shell's reports of ended jobs ("[1]+  Done  run fib 21 &").
        return JOB_REPORT_RE.sub("", ASYNC.sub("", text))

    def batch(self, steps, timeout):
        """Type every (command, check) of @steps ahead, then a marker; check
        each reply in order."""
        self.batch_no += 1
        marker = "@@END%d@@" % self.batch_no
        text = "".join(c + "\r" for c, _ in steps) + "echo '@@'END%d@@\r" % self.batch_no
        first = len(self.history)
        self.history.extend(c for c, _ in steps)
        self.k.send(text)
        try:
            self.k.expect(r"\n%s\r*\n" % re.escape(marker), timeout=timeout)
            raw = self.k.child.before
            self.k.expect(PROMPT, timeout=timeout)
        except (TestFailure, KernelPanic) as e:
            raise ChurnFailure(self.report("%s: %s" % (type(e).__name__, e)))
        raw = self.strip_async(raw.replace("\r", ""))
        segs = raw.split(PROMPT)
        # segs[0] is the reply to the first command (the previous prompt
        # was consumed); the last one is the marker's echo line.
        if len(segs) != len(steps) + 1:
            raise ChurnFailure(self.report("%d replies for %d commands:\n%s" % (len(segs) - 1, len(steps), raw)))
        for i, (cmd, chk) in enumerate(steps):
            seg = segs[i]
            nl = seg.find("\n")
            echo, out = (seg, "") if nl < 0 else (seg[:nl], seg[nl + 1:])
            self.step += 1
            if echo.strip() != cmd:
                raise ChurnFailure(self.report("the console echoed %r for %r" % (echo, cmd), first + i + 1))
            try:
                chk(out)
            except TestFailure as e:
                raise ChurnFailure(self.report("step %d %r: %s" % (self.step, cmd, e), first + i + 1))

    def report(self, what, upto=None):
        """@what, with the commands typed up to @upto (default: all)."""
        last = self.history[:upto][-40:]
        return ("seed %d, after %d steps: %s\nlast commands (oldest first):\n    %s"
                % (self.seed, self.step, what, "\n    ".join(last)))

    def one(self, cmd, chk=None, timeout=60):
        out = []
        self.batch([(cmd, chk or out.append)], timeout)
        return out[0] if out else None

    # ---- expected replies

    @staticmethod
    def empty(out):
        if out.strip():
            raise TestFailure("expected no reply, got %r" % out)

    def maybe_added(self, ev):
        def chk(out):
            if not out.strip():
                self.events.append(ev)
            elif "trace_kprobe: error: Probe point is not an instruction boundary" not in out:
                raise TestFailure("adding %s: %r" % (ev.name, out))
        return chk

    @staticmethod
    def unprobeable(out):
        if not re.match(r"^trace_kprobe: error: This instruction cannot be probed\n.*"
                        r"echo: write error: Invalid argument\n$", out, re.S):
            raise TestFailure("a probe on an instruction kprobes refuse: %r" % out)

    @staticmethod
    def busy(out):
        if "Device or resource busy" not in out:
            raise TestFailure("removing an enabled event: %r" % out)

    def want_lines(self, want):
        def chk(out):
            got = [l for l in out.strip().split("\n") if l.strip()]
            if got != want:
                raise TestFailure("listing:\n  got  %r\n  want %r" % (got, want))
        return chk

    def want_klist(self):
        want = sorted(("k" if e.kind == "p" else "r", "%s+0x%x" % (e.fn, e.off), not e.enabled)
                      for e in self.events if e.kind != "f")

        def chk(out):
            got = []
            for l in out.strip().split("\n"):
                if not l.strip():
                    continue
                m = re.match(r"^[0-9a-f]{16}\s+([kr])\s+(\S+)((?: \[[A-Z]+\])*)\s+hits \d+ misses \d+", l)
                if not m:
                    raise TestFailure("kprobes/list line %r" % l)
                got.append((m.group(1), m.group(2), "[DISABLED]" in m.group(3)))
            if sorted(got) != want:
                raise TestFailure("kprobes/list:\n  got  %r\n  want %r" % (sorted(got), want))
        return chk

    def want_profile(self):
        want = sorted(e.name for e in self.events)     # f: included, unlike Linux

        def chk(out):
            got = sorted(re.findall(r"^\s+(\w+)\s+\d+\s+\d+$", out, re.M))
            if got != want or len(out.strip().split("\n")) != len(want) and want:
                raise TestFailure("kprobe_profile:\n  got  %r\n  want %r" % (got, want))
        return chk

    def want_trace(self):
        names = set(self.ever)
        traced = self.traced
        graph = self.tracer == "function_graph"     # its header has no counts, as Linux's

        strings = set(self.strings)

        def chk(out):
            n, cont = 0, False
            for l in out.split("\n"):
                if not l.strip() or l.startswith("#"):
                    continue
                if REMOVED_LINE.match(l):
                    n += 1
                    cont = True         # it may have had a string
                    continue
                m = EVENT_LINE.match(l)
                # A :string fetch of garbage prints its bytes as they are,
                # newlines and quotes included: such a record may go on
                # over lines of anything.
                if (traced or cont) and not m:
                    continue            # or a function or function_graph line
                if not m or m.group(1) not in names:
                    raise TestFailure("trace line %r" % l)
                cont = m.group(1) in strings
                n += 1
            # function_graph's header has no counts line, as on Linux.
            m = re.search(r"^# CPU  DURATION +FUNCTION CALLS$" if graph else
                          r"entries-in-buffer/entries-written: (\d+)/", out, re.M)
            if not m:
                raise TestFailure("no trace header: %r" % out[:300])
        return chk

    @staticmethod
    def want_fib(n):
        def chk(out):
            if not re.search(r"^fib\(%d\) = %d \(%d calls, \d+ ms\)$" % (n, fib(n), fib_calls(n)), out, re.M):
                raise TestFailure("run fib %d: %r" % (n, out))
        return chk

    @staticmethod
    def want_words(n):
        def chk(out):
            if not re.search(r"^words: \d+ words in %d calls$" % n, out, re.M):
                raise TestFailure("run words %d: %r" % (n, out))
        return chk

    def want_job(self, kind, n):
        def chk(out):
            m = re.match(r"^\[(\d+)\] %s %d on CPU\d+$" % (kind, n), out.strip())
            if not m:
                raise TestFailure("run %s %d &: %r" % (kind, n, out))
            self.pids = (self.pids + [int(m.group(1))])[-6:]
        return chk

    def gen_task(self):
        """A backtrace of a workload (through rethook trampolines), or kill it."""
        pid = self.rng.choice(self.pids)
        if self.rng.random() < 0.7:
            def chk(out):
                if out.strip() == "bt: no task with pid %d" % pid:
                    return
                # On a CPU of its own (SMP) a running task cannot be walked.
                if re.match(r"^bt: pid %d \(\w+\) is running on CPU \d+; try again$" % pid,
                            out.strip()):
                    return
                ls = out.strip().split("\n")
                # A task preempted in a kprobe slot or an optimized detour
                # shows that run-time code by its name and pseudo-module
                # ("kprobe_insn_slot+0x5/0x20 [kprobes] (for fib+0xf/0x36)").
                if not re.match(r"^pid %d \(\w+\):$" % pid, ls[0]) or \
                        not all(re.match(r"^  [\w.]+\+0x[0-9a-f]+/0x[0-9a-f]+( \[\w+\]( \(.+\))?)?$", l)
                                for l in ls[1:]):
                    raise TestFailure("bt %d: %r" % (pid, out))
                # A return address never starts a function: one that does
                # is a trampoline the unwinder did not replace. (The frame
                # an interrupt stopped is where it stopped, maybe at +0x0.)
                if any(re.search(r"\+0x0/", l) and not ls[i - 1].startswith("  common_interrupt+")
                       for i, l in enumerate(ls[1:], 1)):
                    raise TestFailure("bt %d shows a trampoline as a caller: %r" % (pid, out))
            return ("bt %d" % pid, chk)

        def chk(out):
            if out.strip() not in ("", "kill: no task with pid %d" % pid):
                raise TestFailure("kill %d: %r" % (pid, out))
        return ("kill %d" % pid, chk)

    def gen_buffer(self):
        if self.rng.random() < 0.5:
            self.tracing_on ^= 1
            return ("echo %d > tracing_on" % self.tracing_on, self.empty)
        # Small sizes: a full buffer of function-tracer lines takes the
        # serial line seconds per 100 KiB to print.
        return ("echo %d > buffer_size_kb" % self.rng.choice([4, 8, 32, 64, 128, 256]), self.empty)

    def want_dis(self, fn, off):
        want = [(o, l) for o, l, _ in self.boundaries[fn] if o >= off][:3]

        def chk(out):
            got = [(int(m.group(1), 16), int(m.group(2)))
                   for m in re.finditer(r"<%s\+0x([0-9a-f]+)/0x[0-9a-f]+>\s+(?:[0-9a-f]{2} )+\s*(\d+)\s"
                                        % re.escape(fn), out)]
            if got[:len(want)] != want:
                raise TestFailure("dis %s+0x%x decodes %r, the code is %r" % (fn, off, got, want))
        return chk

    # ---- one random step: (command, check), the model updated

    def pick_args(self, pool):
        return self.rng.sample(pool, self.rng.randint(0, 3))

    def new_name(self):
        self.serial += 1
        return "e%d" % self.serial

    def gen_add(self):
        # Half the probes go to the hot workload functions, several to one
        # function: probes that meet (one inside another's jmp, at a jump's
        # target) are where decoding and optimizing go wrong.
        fn = self.rng.choice(HOT if self.rng.random() < 0.5 else FUNCS)
        kind = self.rng.choice("ppprf")
        name = self.new_name()
        if kind == "p":
            off, _, ikind = self.rng.choice(self.boundaries[fn])
            ev = Event(name, "p", fn, off, self.pick_args(ARGS_ENTRY if off == 0 else ARGS_MID), None, False,
                       self.rng.choice([None, None, None, "grp1", "grp2"]))
        elif kind == "r":
            as_p = self.rng.random() < 0.2
            ev = Event(name, "r", fn, 0, self.pick_args(ARGS_RET),
                       None if as_p else self.rng.choice([None, None, 1, 4, 64]), True, None, as_p)
        else:
            ret = self.rng.random() < 0.5
            ev = Event(name, "f", fn, 0, self.pick_args(ARGS_RET if ret else ARGS_FENTRY),
                       self.rng.choice([None, None, 16]) if ret else None, ret)
        file = "dynamic_events" if kind == "f" or self.rng.random() < 0.3 else "kprobe_events"
        if kind == "p" and ikind in REFUSED_KINDS:
            return ("echo '%s' >> %s" % (ev.command(), file), self.unprobeable)
        if self.known_ok and kind == "p" and any(e.kind == "p" and e.fn == fn and 0 < e.off < off
                                                 for e in self.events):
            # Issue 14.1(b): the boundary check decodes through another
            # probe's int3 or jmp and may refuse a real boundary. The
            # model learns which from the reply: end the batch here.
            self.batch_break = True
            self.ever.add(name)
            if any(a.endswith(":string") for a in ev.args):
                self.strings.add(name)
            return ("echo '%s' >> %s" % (ev.command(), file), self.maybe_added(ev))
        self.events.append(ev)
        self.ever.add(name)
        if any(a.endswith(":string") for a in ev.args):
            self.strings.add(name)
        return ("echo '%s' >> %s" % (ev.command(), file), self.empty)

    def gen_toggle_event(self):
        ev = self.rng.choice(self.events)
        ev.enabled = not ev.enabled
        return ("echo %d > events/%s/%s/enable" % (ev.enabled, ev.group, ev.name), self.empty)

    def gen_remove(self):
        ev = self.rng.choice(self.events)
        if self.rng.random() < 0.5 or ev.kind == "f" or ev.group not in ("kprobes", "fprobes"):
            cmd = "echo '-:%s/%s' >> dynamic_events" % (ev.group, ev.name)
        else:
            cmd = "echo '-:%s' >> kprobe_events" % ev.name
        if ev.enabled:
            return (cmd, self.busy)
        self.events.remove(ev)
        return (cmd, self.empty)

    def gen_disable_all(self):
        for ev in self.events:
            ev.enabled = False
        return ("echo 0 > events/enable", self.empty)

    def gen_group(self):
        """All events, or one group's, on or off at once; or clear a file."""
        r = self.rng.random()
        if r < 0.3:
            for ev in self.events:
                ev.enabled = True
            return ("echo 1 > events/enable", self.empty)
        if r < 0.6:
            g = self.rng.choice(["kprobes", "fprobes", "grp1", "grp2"])
            mine = [e for e in self.events if e.group == g]
            if not mine:
                return ("ls events/%s" % g, self.no_such_dir("events/" + g))
            on = self.rng.random() < 0.5
            for ev in mine:
                ev.enabled = on
            return ("echo %d > events/%s/enable" % (on, g), self.empty)
        file = self.rng.choice(["kprobe_events", "dynamic_events"])
        gone = [e for e in self.events if e.kind != "f" or file == "dynamic_events"]
        if any(e.enabled for e in gone):
            return ("echo > " + file, self.busy)
        for e in gone:
            self.events.remove(e)
        return ("echo > " + file, self.empty)

    @staticmethod
    def no_such_dir(path):
        def chk(out):
            if "cannot access '%s'" % path not in out:
                raise TestFailure("ls of a group with no events: %r" % out)
        return chk

    def gen_tracer(self):
        """The function tracers and the livepatch demo on the same functions."""
        r = self.rng.random()
        if r < 0.35 or not self.filter:
            self.filter = self.rng.sample(FUNCS, self.rng.randint(1, 2))
            return ("echo %s > set_ftrace_filter" % " ".join(self.filter), self.empty)
        if r < 0.7:
            tracer = self.rng.choice(["function", "function_graph", "nop", "nop"])
            if tracer != self.tracer:
                # A switch empties the buffer, as on Linux.
                self.ever = set(e.name for e in self.events)
                self.traced = False
            self.tracer = tracer
            self.traced = self.traced or self.tracer != "nop"
            return ("echo %s > current_tracer" % self.tracer, self.empty)
        if r < 0.85:
            self.livepatch = not self.livepatch
            state = "on" if self.livepatch else "off"
            return ("livepatch demo " + state, self.want_lines(["livepatch demo %s: try `uptime`" % state]))
        on = self.livepatch

        def chk(out):
            if not re.match(r"^up \d+\.\d{3} s, \d+ ticks at \d+ Hz%s$"
                            % (r" \(livepatched: \d+ min \d+ s\)" if on else ""), out.strip()):
                raise TestFailure("uptime with the livepatch %s: %r" % ("on" if on else "off", out))
        return ("uptime", chk)

    def gen_switch(self):
        if self.rng.random() < 0.5:
            self.opt ^= 1
            return ("echo %d > %s" % (self.opt, KOPT), self.empty)
        self.kenabled ^= 1
        return ("echo %d > %s" % (self.kenabled, KENABLED), self.empty)

    def gen_job(self):
        kind = self.rng.choice(["fib", "alloc", "pingpong"])
        if sum(self.jobs.values()) >= 3:
            return self.gen_foreground()
        n = {"fib": lambda: self.rng.randint(21, 25), "alloc": lambda: self.rng.randint(10000, 200000),
             "pingpong": lambda: self.rng.randint(1000, 20000)}[kind]()
        self.jobs[kind] += 1
        return ("run %s %d &" % (kind, n), self.want_job(kind, n))

    def gen_foreground(self):
        if self.rng.random() < 0.7:
            n = self.rng.randint(3, 12)
            return ("run fib %d" % n, self.want_fib(n))
        n = self.rng.randint(1, 4)
        return ("run words %d" % n, self.want_words(n))

    def gen_read(self):
        r = self.rng.random()
        if r < 0.2:
            return ("cat kprobe_events", self.want_lines([e.listing() for e in self.events if e.kind != "f"]))
        if r < 0.4:
            return ("cat dynamic_events", self.want_lines([e.listing() for e in self.events]))
        if r < 0.55:
            return ("cat " + KLIST, self.want_klist())
        if r < 0.65:
            return ("cat kprobe_profile", self.want_profile())
        if r < 0.8 and not self.known_ok:
            fn = self.rng.choice(FUNCS)
            off = self.rng.choice(self.boundaries[fn])[0]
            return ("dis %s+%d 3" % (fn, off), self.want_dis(fn, off))
        if r < 0.9:
            return ("cat trace", self.want_trace())
        self.ever = set(e.name for e in self.events)
        self.traced = self.tracer != "nop"
        return ("echo > trace", self.empty)

    def gen_step(self):
        r = self.rng.random()
        if not self.events or (r < 0.22 and len(self.events) < 12):
            return self.gen_add()
        if r < 0.45:
            return self.gen_toggle_event()
        if r < 0.58:
            return self.gen_remove()
        if r < 0.59:
            return self.gen_disable_all()
        if r < 0.61:
            return self.gen_group()
        if r < 0.64:
            return self.gen_tracer()
        if r < 0.68:
            return self.gen_switch()
        if r < 0.70 and self.pids:
            return self.gen_task()
        if r < 0.71:
            return self.gen_buffer()
        if r < 0.72:
            return self.gen_job()
        if r < 0.78:
            return self.gen_foreground()
        if r < 0.80:
            ms = self.rng.randint(20, 200)
            return ("sleep %d" % ms, self.empty)
        return self.gen_read()

    # ---- the run

    def setup(self):
        """Decode the functions; leave out any the kernel blacklists."""
        self.one("cd " + T, self.empty)
        self.one("echo 'r:churn_probe fib' >> kprobe_events", self.empty)
        m = re.match(r"^r(\d+):kprobes/churn_probe fib$", self.one("cat kprobe_events").strip())
        if not m:
            raise ChurnFailure(self.report("no default maxactive in the listing"))
        DEFAULT_MAXACTIVE[0] = int(m.group(1))
        self.one("echo '-:churn_probe' >> kprobe_events", self.empty)
        ranges = [(int(a, 16), int(b, 16)) for a, b in
                  re.findall(r"^0x([0-9a-f]+)-0x([0-9a-f]+)\s", self.one("cat /sys/kernel/debug/kprobes/blacklist"),
                             re.M)]
        for fn in list(FUNCS):
            m = re.match(r"^%s: 0x([0-9a-f]+) size" % fn, self.one("sym " + fn).strip())
            if not m:
                raise ChurnFailure(self.report("sym %s" % fn))
            addr = int(m.group(1), 16)
            if any(a <= addr < b for a, b in ranges):
                print("  churn: %s is blacklisted, left out" % fn)
                FUNCS.remove(fn)
                if fn in HOT:
                    HOT.remove(fn)
        for fn in FUNCS:
            out = self.one("dis %s 256" % fn)
            b = [(int(m.group(1), 16), int(m.group(2)), m.group(3))
                 for m in re.finditer(r"<%s\+0x([0-9a-f]+)/0x[0-9a-f]+>\s+(?:[0-9a-f]{2} )+\s*(\d+)\s+(\S+)"
                                      % re.escape(fn), out)]
            if not b or b[0][0] != 0:
                raise ChurnFailure(self.report("cannot decode %s: %r" % (fn, out[:300])))
            self.boundaries[fn] = b

    def warm_up(self):
        """First uses that keep caches: one event of each kind, each workload."""
        for cmd in ("echo 'p:w1 fib+%d n=%%di' >> kprobe_events" % self.boundaries["fib"][3][0],
                    "echo 'r:w2 fib r=$retval' >> kprobe_events",
                    "echo 'f:w3 fib n=$arg1' >> dynamic_events",
                    "echo 'f:w4 fib%return r=$retval' >> dynamic_events",
                    "echo 'p:w5 fib' >> kprobe_events",
                    "echo 1 > events/enable"):
            self.one(cmd, self.empty)
        self.one("run fib 5", self.want_fib(5))
        self.one("run alloc 100", lambda out: None)
        self.one("run pingpong 10", lambda out: None)
        self.one("run words 1", self.want_words(1))
        # function_graph gives every task a return stack that it keeps.
        for cmd in ("echo fib > set_ftrace_filter", "echo function_graph > current_tracer"):
            self.one(cmd, self.empty)
        self.one("run fib 3", self.want_fib(3))
        self.one("livepatch demo on")
        self.one("livepatch demo off")
        self.settle()

    def settle(self):
        """Wait for the background jobs, remove everything, return `mem`."""
        deadline = time.time() + 120
        while True:
            out = self.one("ps")
            busy = re.findall(r"^\s*(\d+) [A-Z]\s.*\s(fib|alloc|pingpong|pong)$", out, re.M)
            if not busy:
                break
            if time.time() > deadline:
                for pid, _ in busy:
                    self.one("kill %s" % pid)
                deadline = time.time() + 30
            self.one("sleep 500", self.empty, timeout=60)
        for cmd in ("echo 0 > events/enable", "echo > dynamic_events", "echo 1 > " + KOPT,
                    "echo 1 > " + KENABLED, "echo nop > current_tracer", "echo > set_ftrace_filter",
                    "echo 1 > tracing_on", "echo 256 > buffer_size_kb",
                    "echo > trace", "echo > error_log"):
            self.one(cmd, self.empty)
        if self.livepatch:
            self.one("livepatch demo off")
            self.livepatch = False
        self.tracer, self.filter, self.traced = "nop", [], False
        self.tracing_on = 1
        for e in self.events:
            e.enabled = False
        self.events = []
        self.opt = self.kenabled = 1
        self.one("cat dynamic_events", self.want_lines([]))
        self.one("cat " + KLIST, self.want_lines([]))
        self.one("sleep 300", self.empty)
        return self.mem()

    def mem(self):
        out = self.one("mem")
        m = MEM_RE.search(out)
        classes = re.findall(r"^\s+(\d+)\s+(\d+)\s+\d+\s+\d+$", out, re.M)
        if not m or not classes:
            raise ChurnFailure(self.report("mem: %r" % out))
        return (m.groups(), classes, out)

    def walk(self, steps):
        done = 0
        while done < steps:
            batch, chars, fg = [], 0, False
            while done + len(batch) < steps and len(batch) < 10:
                cmd, chk = self.gen_step()
                batch.append((cmd, chk))
                chars += len(cmd) + 1
                fg = fg or cmd.startswith("run") and not cmd.endswith("&") or cmd == "cat trace"
                if chars > BATCH_CHARS or self.batch_break:
                    self.batch_break = False
                    break
            self.batch(batch, timeout=60 if fg else 30)
            done += len(batch)
            if done % 500 < len(batch):
                print("  churn: %d steps" % done, flush=True)


def run_churn(runner, args):
    """Run the churn as `make test` steps: the walk, then kmalloc back."""
    steps = args.churn_steps
    env = os.environ.get("REDTEAM_SEED")
    seed = int(env) if env else random.SystemRandom().randrange(1 << 31)
    known_ok = bool(os.environ.get("REDTEAM_SKIP_KNOWN"))
    print("churn: seed %d, %d steps (REDTEAM_SEED=%d to replay)%s"
          % (seed, steps, seed, ", known issues skipped" if known_ok else ""), flush=True)
    state = {}

    def walk():
        with Loupe(args.iso, args.accel, name="redteam-churn-seed%d" % seed) as k:
            c = Churn(k, seed, known_ok)
            try:
                c.setup()
                c.warm_up()
                state["base"] = c.mem()
                c.walk(steps)
                state["end"] = c.settle()
            except ChurnFailure as e:
                raise TestFailure(str(e))

    def memory_back():
        if "base" not in state or "end" not in state:
            raise TestFailure("the walk did not finish")
        (b, bc, bout), (e, ec, eout) = state["base"], state["end"]
        if b != e or bc != ec:
            raise TestFailure("kmalloc statistics after the walk differ from before it:\nbefore\n%s\nafter\n%s"
                              % (bout, eout))

    runner.run("churn_%d_steps_seed_%d" % (steps, seed), walk)
    runner.run("churn_kmalloc_back_to_start", memory_back)
