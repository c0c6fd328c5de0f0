// SPDX-License-Identifier: MIT
/*
 * Self-tests of backtraces across hooked returns (arch/x86/dumpstack.c
 * with rethook_find_ret_addr()): a backtrace taken inside a return handler
 * matches the one taken at the function's entry, from its caller down; a
 * backtrace of a task sleeping under two hooked returns names its real
 * callers, never the trampoline; and, on a stack built by hand, the
 * unwinder decodes interrupts that hit the trampoline before its frame
 * record exists. Hooks go through the same helpers as test_rethook.c.
 */
#include <kernel/selftest.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/stacktrace.h>
#include <kernel/workloads/workloads.h>
#include <trace/rethook.h>
#include <tests/kernel/leak_check.h>
#include <tests/kernel/rethook_test.h>
#include <asm/ptrace.h>
#include <asm/rethook_test_entry.h>
#include <lib/atomic.h>
#include <lib/compiler.h>
#include <lib/string.h>

static struct rt_bt {
	unsigned long entry[STACKTRACE_MAX], exit[STACKTRACE_MAX];
	unsigned n_entry, n_exit;
	unsigned long ret;			/* the real return address */
} btst;

static notrace void rt_bt_entry(struct rethook_node *node, struct pt_regs *regs)
{
	(void)node;
	btst.ret = *(unsigned long *)regs->sp;
	btst.n_entry = stack_trace_save(btst.entry, STACKTRACE_MAX);
}

static notrace void rt_bt_exit(struct rethook_node *node, void *data,
			       unsigned long ret_addr, struct pt_regs *regs)
{
	(void)node;
	(void)data;
	(void)ret_addr;
	(void)regs;
	btst.n_exit = stack_trace_save(btst.exit, STACKTRACE_MAX);
	rt.exits++;
}

rt_target int rt_bt_leaf(int x)
{
	barrier();
	return x + 1;
}

static rt_target int rt_bt_middle(int x)
{
	int r = rt_bt_leaf(x);

	barrier();
	return r * 2;
}

static rt_target int rt_bt_outer(int x)
{
	int r = rt_bt_middle(x);

	barrier();
	return r - 1;
}

static int rt_find(const unsigned long *v, unsigned n, unsigned long addr)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (v[i] == addr)
			return (int)i;
	return -1;
}

static void backtrace_in_return_handler_matches_entry(struct selftest *t)
{
	struct kmalloc_usage before;
	int ie, ix, i, same = 0, r;

	leak_check_start(&before);
	memset(&btst, 0, sizeof(btst));
	ASSERT_TRUE(t, rt_setup(4, rt_bt_exit, NULL));
	rt.on_hooked = rt_bt_entry;
	ASSERT_EQ(t, rethook_test_entry_install(rt_bt_leaf), 0);
	r = rt_bt_outer(20);
	rt_teardown(rt_bt_leaf, NULL);
	EXPECT_EQ(t, r, 41);
	ASSERT_EQ(t, rt.exits, 1);

	/* At entry: ... the shim, rt_bt_leaf, rt_bt_middle, rt_bt_outer ... */
	ie = rt_find(btst.entry, btst.n_entry, btst.ret);
	ix = rt_find(btst.exit, btst.n_exit, btst.ret);
	ASSERT_TRUE(t, ie > 0 && ix > 0);
	EXPECT_TRUE(t, rt_addr_in_func(btst.ret, rt_bt_middle));
	EXPECT_TRUE(t, rt_addr_in_func(btst.entry[ie - 1], rt_bt_leaf));
	EXPECT_EQ(t, rt_find(btst.exit, btst.n_exit, (unsigned long)arch_rethook_trampoline), -1);
	/* From the caller down, the two backtraces are the same. */
	EXPECT_EQ(t, btst.n_entry - ie, btst.n_exit - ix);
	for (i = 0; ie + i < (int)btst.n_entry && ix + i < (int)btst.n_exit; i++)
		same += btst.entry[ie + i] == btst.exit[ix + i];
	EXPECT_EQ(t, same, btst.n_entry - ie);
	EXPECT_TRUE(t, btst.n_entry - ie >= 3);
	for (i = 0; i <= ix && i < 8; i++)
		console_printf("        # in handler: %pB\n", (void *)btst.exit[i]);
	EXPECT_TRUE(t, leak_check_end(&before, NULL));
}

rt_target long rt_sleep_outer(struct completion *go, long v)
{
	long r = rt_sleep_mid(go, v);

	barrier();
	return r;
}

static int rt_sleep_outer_thread(void *arg)
{
	struct rt_sleep *s = arg;

	if (rt_sleep_outer(&s->go, 7) == 22)
		fetch_add_relaxed(&s->right, 1);
	return 0;
}

/* Find the task we started: the one sleeping under our hooks. */
static struct task_struct *rt_find_sleeper(void)
{
	struct task_struct *p, *found = NULL;
	unsigned long flags;

	tasklist_lock(&flags);
	list_for_each_entry(p, &task_list, tasks_node)
		if (!strcmp(p->comm, "rethook-test") && p->state == TASK_SLEEPING)
			found = p;
	tasklist_unlock(flags);
	return found;
}

static void sleeping_task_backtrace_shows_real_callers(struct selftest *t)
{
	unsigned long entries[STACKTRACE_MAX];
	struct kmalloc_usage before;
	struct task_struct *th;
	struct rt_sleep *s;
	int i, at_mid = -1, at_outer = -1, tramps = 0;
	unsigned n = 0;

	leak_check_start(&before);
	s = kzalloc(sizeof(*s));
	ASSERT_TRUE(t, s != NULL);
	init_completion(&s->go);
	init_completion(&s->exited);
	ASSERT_TRUE(t, rt_setup(4, rt_count_exit, NULL));
	ASSERT_EQ(t, rethook_test_entry_install(rt_sleeper), 0);
	ASSERT_EQ(t, rethook_test_entry_install(rt_sleep_mid), 0);
	rt_run_thread(rt_sleep_outer_thread, s, &s->exited);
	EXPECT_TRUE(t, rt_wait_hits(2));
	msleep(20);				/* let it reach its sleep */

	th = rt_find_sleeper();
	EXPECT_TRUE(t, th != NULL);
	if (th) {
		int got = stack_trace_save_tsk(th, entries, STACKTRACE_MAX);

		EXPECT_TRUE(t, got > 0);
		n = got > 0 ? got : 0;
	}
	for (i = 0; i < (int)n; i++) {
		console_printf("        # sleeper: %pB\n", (void *)entries[i]);
		tramps += is_rethook_trampoline(entries[i]);
		if (at_mid < 0 && rt_addr_in_func(entries[i], rt_sleep_mid))
			at_mid = i;
		if (at_outer < 0 && rt_addr_in_func(entries[i], rt_sleep_outer))
			at_outer = i;
	}
	EXPECT_EQ(t, tramps, 0);
	EXPECT_TRUE(t, at_mid > 0);
	EXPECT_EQ(t, at_outer, at_mid + 1);

	complete_all(&s->go);
	wait_for_completion(&s->exited);
	rt_teardown(rt_sleeper, rt_sleep_mid);
	EXPECT_EQ(t, s->right, 1);
	EXPECT_EQ(t, rt.exits, 2);
	kfree(s);
	EXPECT_TRUE(t, leak_check_end(&before, NULL));
}

/*
 * The unwinder on a stack built by hand, for the cases no test can time:
 * an interrupt inside the trampoline's prologue (its caller is only on
 * the shadow stack), and one on its very first instruction (the marker
 * address, but no frame of ours). x86-64 frame records: [bp] = the next
 * frame, [bp + 8] = the return address.
 */
static bool rt_collect(void *arg, unsigned long addr)
{
	unsigned long *v = arg;

	if (v[0] >= 15)
		return false;
	v[++v[0]] = addr;
	return true;
}

struct rt_walk {
	unsigned long *got, bp;
};

/* Walk the held fake task (rethook reads only a held task's shadow stack). */
static int rt_walk_held(struct task_struct *task, void *arg)
{
	struct rt_walk *w = arg;

	arch_stack_walk_task(rt_collect, w->got, task, w->bp);
	return 0;
}

static void unwinder_decodes_interrupted_trampoline(struct selftest *t)
{
	unsigned long tramp = (unsigned long)arch_rethook_trampoline;
	unsigned long ra = (unsigned long)fib + 0x10, rb = (unsigned long)fib + 0x20;
	unsigned long rc = (unsigned long)fib + 0x30, x = (unsigned long)fib_calls + 4;
	unsigned long y = (unsigned long)fib_calls + 8;
	struct rethook_node na = { .ret_addr = ra, .frame = 1 }, nb = { .ret_addr = rb },
			    nc = { .ret_addr = rc, .frame = 2 };
	static unsigned long stk[24] __aligned(16);
	unsigned long got[16] = { 0 };
	struct task_struct *fake = kzalloc(sizeof(*fake));
	struct rt_walk w;

	ASSERT_TRUE(t, fake != NULL);
	fake->cpu = smp_processor_id();		/* present, but not running */
	/* Shadow stack, newest first: a, b (frame = stk[9]), c. */
	nb.frame = (unsigned long)&stk[9];
	fake->rethooks.first = &na.llist;
	na.llist.next = &nb.llist;
	nb.llist.next = &nc.llist;
	nc.llist.next = NULL;
	/* Interrupted in the prologue, then x, then a hooked frame, then
	 * interrupted on the first instruction, then y. */
	stk[0] = (unsigned long)&stk[4];	stk[1] = tramp + 5;
	stk[4] = (unsigned long)&stk[8];	stk[5] = x;
	stk[8] = (unsigned long)&stk[12];	stk[9] = tramp;
	stk[12] = (unsigned long)&stk[16];	stk[13] = tramp;
	stk[16] = 0;				stk[17] = y;
	w.got = got;
	w.bp = (unsigned long)&stk[0];
	EXPECT_EQ(t, sched_call_held(fake, rt_walk_held, &w), 0);
	kfree(fake);

	ASSERT_EQ(t, got[0], 6);
	EXPECT_EQ(t, got[1], tramp + 5);	/* the trampoline's own code */
	EXPECT_EQ(t, got[2], ra);		/* its caller, from the shadow stack */
	EXPECT_EQ(t, got[3], x);
	EXPECT_EQ(t, got[4], rb);		/* matched by frame */
	EXPECT_EQ(t, got[5], rc);		/* no frame: the next pending return */
	EXPECT_EQ(t, got[6], y);
}

static const struct selftest_case rethook_unwind_cases[] = {
	SELFTEST_CASE(backtrace_in_return_handler_matches_entry),
	SELFTEST_CASE(sleeping_task_backtrace_shows_real_callers),
	SELFTEST_CASE(unwinder_decodes_interrupted_trampoline),
};
SELFTEST_SUITE("rethook_unwind", rethook_unwind_cases);
