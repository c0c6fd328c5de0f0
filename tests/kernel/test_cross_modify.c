// SPDX-License-Identifier: MIT
/*
 * Cross-modifying code: one CPU calls a function in a tight loop while
 * this one patches it - its fentry site NOP <-> call (an ftrace ops), an
 * int3 kprobe in its middle, the same probe jump-optimized, and an entry
 * kprobe on ftrace - thousands of times, with no CPU stopped.
 *
 * The looping CPU runs a kernel thread bound to it (the "looper"). It
 * makes calls up to a limit this CPU sets, and says when it has stopped
 * (a request number it echoes back). That gives two kinds of phase:
 *
 *  - windows: stop the looper, arm, let it make exactly N calls, stop it,
 *    disarm. Every call in the window ran with the probe in place, and
 *    none outside it did, so the handler count must be exactly N;
 *  - free running: the looper never stops while this CPU arms and disarms
 *    as fast as it can, so patches land in the middle of calls. No crash,
 *    every call returns the right value, and the handlers ran at most
 *    once per call and at least once.
 *
 * Needs two CPUs: with one, nothing runs while the text changes.
 */
#include <kernel/selftest.h>
#include <kernel/kallsyms.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <trace/ftrace.h>
#include <trace/kprobes.h>
#include <asm/cpu.h>
#include <asm/insn.h>
#include <asm/ptrace.h>
#include <asm/text-patching.h>
#include <lib/atomic.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/string.h>

#define XM_WINDOWS	60	/* windows per kind of patch */
#define XM_WINDOW_CALLS	40	/* calls in each window */
#define XM_FLIPS	1000	/* free-running arm/disarm pairs per kind */
#define XM_LIMIT_FREE	(~0UL - 1)
#define XM_LIMIT_QUIT	(~0UL)
#define XM_TIMEOUT_NS	(10ULL * 1000 * 1000 * 1000)

static volatile int xm_bias = 11;

/* The function patched under the looper's feet: an fentry site, then a
 * few plain instructions a jmp can replace. */
noinline int xm_target(int x)
{
	int r = x * 3 + xm_bias;

	barrier();
	return r ^ 0x55;
}

static int xm_expected(int x)
{
	return (x * 3 + 11) ^ 0x55;
}

/*
 * The looper's state. This CPU writes limit then req (release); the
 * looper reads req (acquire) then limit, makes calls while calls < limit,
 * and, once it has stopped, stores that req in ack.
 */
struct xm_loop {
	unsigned long limit;
	unsigned long req;
	unsigned long ack;
	unsigned long calls;	/* written by the looper only */
	unsigned long wrong;	/* calls that returned a wrong value */
	int cpu;
	int done;
};

static struct xm_loop xm;	/* static: the looper may outlive a failed test */

static int xm_looper(void *arg)
{
	struct xm_loop *l = arg;

	l->cpu = smp_processor_id();
	for (;;) {
		unsigned long req = smp_load_acquire(&l->req);
		unsigned long limit = READ_ONCE(l->limit);
		int x;

		if (limit == XM_LIMIT_QUIT)
			break;
		if (l->calls >= limit) {
			smp_store_release(&l->ack, req);
			cpu_relax();
			continue;
		}
		x = (int)(l->calls & 0xffff);
		if (xm_target(x) != xm_expected(x))
			l->wrong++;
		smp_store_release(&l->calls, l->calls + 1);
	}
	smp_store_release(&l->done, 1);
	return 0;
}

/* Tell the looper its new limit; with @wait, until it has stopped there. */
static bool xm_set_limit(unsigned long limit, bool wait)
{
	u64 deadline = clock_ns() + XM_TIMEOUT_NS;
	unsigned long req = xm.req + 1;

	WRITE_ONCE(xm.limit, limit);
	smp_store_release(&xm.req, req);
	while (wait && smp_load_acquire(&xm.ack) != req) {
		if (clock_ns() > deadline)
			return false;
		cpu_relax();
	}
	return true;
}

static unsigned long xm_calls(void)
{
	return smp_load_acquire(&xm.calls);
}

/* Wait until the free-running looper has made @n more calls. */
static bool xm_wait_calls(unsigned long n)
{
	u64 deadline = clock_ns() + XM_TIMEOUT_NS;
	unsigned long want = xm_calls() + n;

	while (xm_calls() < want) {
		if (clock_ns() > deadline)
			return false;
		cpu_relax();
	}
	return true;
}

/* ---- the four kinds of patch ---- */

static unsigned long xm_hits, xm_posts;

static void xm_count_ftrace(unsigned long ip, unsigned long parent_ip, struct ftrace_ops *ops,
			    struct pt_regs *regs)
{
	(void)ip;
	(void)parent_ip;
	(void)ops;
	(void)regs;
	fetch_add_relaxed(&xm_hits, 1);
}

static int xm_count_pre(struct kprobe *p, struct pt_regs *regs)
{
	(void)p;
	(void)regs;
	fetch_add_relaxed(&xm_hits, 1);
	return 0;
}

static void xm_count_post(struct kprobe *p, struct pt_regs *regs, unsigned long flags)
{
	(void)p;
	(void)regs;
	(void)flags;
	fetch_add_relaxed(&xm_posts, 1);
}

enum xm_kind { XM_FTRACE, XM_KPROBE_INT3, XM_KPROBE_OPT, XM_KPROBE_ENTRY };

static const char *const xm_kind_name[] = {
	[XM_FTRACE] = "ftrace ops", [XM_KPROBE_INT3] = "int3 kprobe",
	[XM_KPROBE_OPT] = "optimized kprobe", [XM_KPROBE_ENTRY] = "entry kprobe",
};

static struct ftrace_ops xm_ops = { .func = xm_count_ftrace };
static struct kprobe xm_kp;
static unsigned long xm_mid;	/* the mid-function probe's address */

static unsigned long xm_kprobe_flags(void)
{
	return xm_kp.flags | kprobe_state(&xm_kp);
}

static int xm_arm(enum xm_kind kind)
{
	if (kind == XM_FTRACE)
		return register_ftrace_function(&xm_ops);
	xm_kp = (struct kprobe){ .pre_handler = xm_count_pre };
	if (kind == XM_KPROBE_ENTRY) {
		xm_kp.addr = (unsigned long)xm_target;
	} else {
		xm_kp.addr = xm_mid;
		/* A post_handler needs the trap: never optimized, single-stepped. */
		if (kind == XM_KPROBE_INT3)
			xm_kp.post_handler = xm_count_post;
	}
	return register_kprobe(&xm_kp);
}

static void xm_disarm(enum xm_kind kind)
{
	if (kind == XM_FTRACE)
		unregister_ftrace_function(&xm_ops);
	else
		unregister_kprobe(&xm_kp);
}

/* Did arming give the kind of patch the phase is about? */
static bool xm_armed_as(struct selftest *t, enum xm_kind kind)
{
	unsigned long flags;

	if (kind == XM_FTRACE)
		return EXPECT_TRUE(t, *(u8 *)xm_target == CALL_INSN_OPCODE);
	flags = xm_kprobe_flags();
	if (kind == XM_KPROBE_ENTRY)
		return EXPECT_TRUE(t, flags & KPROBE_FLAG_FTRACE);
	if (kind == XM_KPROBE_OPT)
		return EXPECT_TRUE(t, (flags & KPROBE_FLAG_OPTIMIZED) && *(u8 *)xm_mid == JMP32_INSN_OPCODE);
	return EXPECT_TRUE(t, !(flags & KPROBE_FLAG_OPTIMIZED) && *(u8 *)xm_mid == INT3_INSN_OPCODE);
}

/* ---- set-up ---- */

static int xm_other_cpu(void)
{
	int cpu, me = smp_processor_id();

	for_each_online_cpu(cpu)
		if (cpu != me)
			return cpu;
	return -1;
}

/*
 * The first instruction after the fentry site where a probe is jump-
 * optimized: the int3 and optimized probes both go there. 0 if none.
 */
static unsigned long xm_find_mid(void)
{
	struct ksym sym;
	unsigned long pc;

	if (!kallsyms_lookup_addr((unsigned long)xm_target, &sym, NULL))
		return 0;
	for (pc = sym.addr + MCOUNT_INSN_SIZE; pc < sym.addr + sym.size;) {
		struct insn in;
		bool opt;

		if (insn_decode(&in, (void *)pc, INSN_MAX_LEN))
			return 0;
		xm_mid = pc;
		if (!xm_arm(XM_KPROBE_OPT)) {
			opt = xm_kprobe_flags() & KPROBE_FLAG_OPTIMIZED;
			xm_disarm(XM_KPROBE_OPT);
			if (opt)
				return pc;
		}
		pc += in.length;
	}
	return 0;
}

static void xm_finish(struct selftest *t);

static bool xm_start(struct selftest *t)
{
	struct task_struct *task;
	int other = xm_other_cpu();

	if (other < 0) {
		selftest_skip(t, "needs a second CPU (boot with SMP=2 or more)");
		return false;
	}
	kprobes_set_optimization(true);
	kprobes_set_optimize_sync(true);
	xm_mid = xm_find_mid();
	if (!EXPECT_TRUE(t, xm_mid != 0))
		return false;
	if (!EXPECT_EQ(t, ftrace_set_filter_ip(&xm_ops, (unsigned long)xm_target, false, true), 0))
		return false;
	xm = (struct xm_loop){ .limit = 0, .cpu = -1 };
	task = kthread_create(xm_looper, &xm, "xmod-loop");
	if (!EXPECT_TRUE(t, task != NULL))
		return false;
	kthread_bind(task, other);
	wake_up_process(task);
	if (EXPECT_TRUE(t, xm_set_limit(0, true)) && EXPECT_EQ(t, READ_ONCE(xm.cpu), other))
		return true;
	xm_finish(t);		/* never leave the looper spinning */
	return false;
}

static void xm_finish(struct selftest *t)
{
	u64 deadline = clock_ns() + XM_TIMEOUT_NS;

	xm_set_limit(XM_LIMIT_QUIT, false);
	while (!smp_load_acquire(&xm.done) && clock_ns() < deadline)
		msleep(1);
	EXPECT_TRUE(t, smp_load_acquire(&xm.done));
	ftrace_free_filter(&xm_ops);
	kprobes_set_optimize_sync(false);
	EXPECT_TRUE(t, *(u8 *)xm_target != CALL_INSN_OPCODE);	/* back to the NOP */
}

/* ---- the phases ---- */

/* Windows: exactly the calls made while armed ran the handlers. */
static void xm_windows(struct selftest *t, enum xm_kind kind)
{
	int w;

	for (w = 0; w < XM_WINDOWS; w++) {
		unsigned long start = xm_calls();

		xm_hits = xm_posts = 0;
		if (!EXPECT_EQ(t, xm_arm(kind), 0))
			return;
		if (w == 0 && !xm_armed_as(t, kind)) {
			xm_disarm(kind);
			return;
		}
		if (!EXPECT_TRUE(t, xm_set_limit(start + XM_WINDOW_CALLS, true))) {
			xm_disarm(kind);
			return;
		}
		xm_disarm(kind);
		/* A call made with nothing armed runs no handler. */
		if (!EXPECT_TRUE(t, xm_set_limit(start + XM_WINDOW_CALLS + 3, true)))
			return;
		if (!EXPECT_EQ(t, READ_ONCE(xm_hits), XM_WINDOW_CALLS) ||
		    (kind == XM_KPROBE_INT3 && !EXPECT_EQ(t, READ_ONCE(xm_posts), XM_WINDOW_CALLS))) {
			selftest_fail(t, __FILE__, __LINE__, "%s: window %d", xm_kind_name[kind], w);
			return;
		}
	}
	EXPECT_EQ(t, READ_ONCE(xm.wrong), 0);
}

/* Free running: patches land mid-call; results stay right, counts bounded. */
static void xm_free_run(struct selftest *t, enum xm_kind kind)
{
	unsigned long start = xm_calls(), made;
	int f;

	xm_hits = xm_posts = 0;
	xm_set_limit(XM_LIMIT_FREE, false);
	for (f = 0; f < XM_FLIPS; f++) {
		if (!EXPECT_EQ(t, xm_arm(kind), 0))
			break;
		/* Every tenth time, make sure calls do run through the probe. */
		if (f % 10 == 0 && !EXPECT_TRUE(t, xm_wait_calls(2))) {
			xm_disarm(kind);
			break;
		}
		xm_disarm(kind);
	}
	ASSERT_TRUE(t, xm_set_limit(0, true));
	made = xm_calls() - start;
	EXPECT_EQ(t, READ_ONCE(xm.wrong), 0);
	EXPECT_TRUE(t, READ_ONCE(xm_hits) > 0);
	EXPECT_TRUE(t, READ_ONCE(xm_hits) <= made);
	/* A hit whose pre_handler ran as the probe was being unregistered
	 * finds it unlinked after the single-step, and runs no post_handler
	 * (as Linux's aggregated probes): at most one post per pre. */
	if (kind == XM_KPROBE_INT3)
		EXPECT_TRUE(t, READ_ONCE(xm_posts) <= READ_ONCE(xm_hits));
}

static void xm_suite_case(struct selftest *t, enum xm_kind kind)
{
	if (!xm_start(t))
		return;
	xm_windows(t, kind);
	xm_free_run(t, kind);
	xm_finish(t);
}

static void fentry_site_flips_under_a_running_cpu(struct selftest *t)
{
	xm_suite_case(t, XM_FTRACE);
}

static void int3_kprobe_flips_under_a_running_cpu(struct selftest *t)
{
	xm_suite_case(t, XM_KPROBE_INT3);
}

static void optimized_kprobe_flips_under_a_running_cpu(struct selftest *t)
{
	xm_suite_case(t, XM_KPROBE_OPT);
}

static void entry_kprobe_flips_under_a_running_cpu(struct selftest *t)
{
	xm_suite_case(t, XM_KPROBE_ENTRY);
}

static const struct selftest_case cross_modify_cases[] = {
	SELFTEST_CASE(fentry_site_flips_under_a_running_cpu),
	SELFTEST_CASE(int3_kprobe_flips_under_a_running_cpu),
	SELFTEST_CASE(optimized_kprobe_flips_under_a_running_cpu),
	SELFTEST_CASE(entry_kprobe_flips_under_a_running_cpu),
};
SELFTEST_SUITE("cross_modify", cross_modify_cases);
