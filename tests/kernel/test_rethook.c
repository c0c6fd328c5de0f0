// SPDX-License-Identifier: MIT
/*
 * Self-tests of rethook (trace/rethook.c, arch/x86/rethook*.{c,S}).
 *
 * Until ftrace exists, function entries are hooked through the test-only
 * shim of asm/rethook_test_entry.h, a miniature ftrace regs trampoline:
 * it patches a target's fentry site and calls rt_entry() with the entry
 * registers, which takes a node and hooks the return as an ftrace
 * callback would (rethook_hook(node, regs, true)).
 *
 * The cases prove what rethook promises: the exit handler sees the return
 * value and the entry arguments, and may change the return value; fib(15)
 * hooked at every level returns in exact LIFO order with the right values
 * and unwinds through every pending frame; two rethooks on one function
 * both run; an empty pool is a counted miss; rethook_free() with nodes in
 * flight frees everything once the last one returns; a task that dies
 * with returns pending gives its nodes back. Every case checks kmalloc
 * statistics. Backtraces: test_rethook_unwind.c.
 */
#include <kernel/selftest.h>
#include <kernel/kallsyms.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/preempt.h>
#include <kernel/printk.h>
#include <kernel/rcu.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/stacktrace.h>
#include <kernel/wait.h>
#include <kernel/workloads/workloads.h>
#include <trace/rethook.h>
#include <tests/kernel/leak_check.h>
#include <tests/kernel/rethook_test.h>
#include <asm/ptrace.h>
#include <asm/rethook.h>
#include <asm/rethook_test_entry.h>
#include <lib/atomic.h>
#include <lib/compiler.h>
#include <lib/string.h>

#define RT_POOL_MAX	32

struct rt_state rt;

/* The entry hook, as an ftrace callback would be. Preemption is off. */
static notrace void rt_entry(struct pt_regs *regs)
{
	struct rethook_node *node = rethook_try_get(rt.rh);

	if (!node) {
		rt.misses++;
		return;
	}
	rt.hits++;
	if (rt.on_hooked)
		rt.on_hooked(node, regs);
	rethook_hook(node, regs, true);
	if (rt.rh2 && (node = rethook_try_get(rt.rh2)))
		rethook_hook(node, regs, true);
}

bool rt_new(struct rethook **rhp, unsigned nodes, rethook_handler_t handler, void *data)
{
	struct rethook *rh = rethook_alloc(data, handler);
	unsigned i;

	if (!rh)
		return false;
	for (i = 0; i < nodes; i++) {
		struct rethook_node *node = kzalloc(sizeof(*node));

		if (!node)
			break;
		rethook_add_node(rh, node);
	}
	if (i < nodes) {
		rethook_free(rh);
		return false;
	}
	*rhp = rh;
	return true;
}

bool rt_setup(unsigned nodes, rethook_handler_t handler, void *data)
{
	memset(&rt, 0, sizeof(rt));
	if (!rt_new(&rt.rh, nodes, handler, data))
		return false;
	rethook_test_entry_handler = rt_entry;
	return true;
}

/*
 * End a test: no new entries (site gone, callback cleared, and a grace
 * period for a callback still running), then free the rethooks. Returns
 * in flight keep them alive; rcu_barrier() runs what is already freeable.
 */
void rt_teardown(void *site1, void *site2)
{
	if (site1)
		rethook_test_entry_remove(site1);
	if (site2)
		rethook_test_entry_remove(site2);
	rethook_test_entry_handler = NULL;
	synchronize_rcu();
	if (rt.rh)
		rethook_free(rt.rh);
	if (rt.rh2)
		rethook_free(rt.rh2);
	rt.rh = rt.rh2 = NULL;
	rcu_barrier();
}


bool rt_addr_in_func(unsigned long addr, const void *fn)
{
	struct ksym sym;
	unsigned long off;

	return kallsyms_lookup_addr(addr, &sym, &off) && sym.addr == (unsigned long)fn;
}

void rt_run_thread(int (*fn)(void *), void *arg, struct completion *done)
{
	struct task_struct *th = kthread_create(fn, arg, "rethook-test");

	if (th) {
		th->exit_done = done;
		wake_up_process(th);
	} else {
		complete(done);
	}
}

/* --------------------------------------------- return value, arguments */

static rt_target long rt_clobber(long a, long b, long c, long d, long e, long f)
{
	barrier();
	return a ^ b ^ c ^ d ^ e ^ f;
}

static long rt_args_formula(long a, long b, long c, long d, long e, long f)
{
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f;
}

/*
 * Six arguments, and a call that puts other values in all six argument
 * registers before we return: the exit handler can only know the entry
 * arguments from its node.
 */
rt_target long rt_args6(long a, long b, long c, long d, long e, long f)
{
	rt_clobber(f + 1, e + 1, d + 1, c + 1, b + 1, a + 1);
	return rt_args_formula(a, b, c, d, e, f);
}

static const long rt_argv[6] = { 0x11, -0x22, 0x333333333L, 0x44, -0x5555L, 0x66 };

static rt_target long rt_call_args6(void)
{
	long r = rt_args6(rt_argv[0], rt_argv[1], rt_argv[2], rt_argv[3], rt_argv[4], rt_argv[5]);

	barrier();
	return r;
}

static struct rt_args_seen {
	unsigned long args[RETHOOK_ENTRY_ARGS];
	unsigned long ret, ret_addr, ip, exit_di;
	long new_ret;			/* if set, the handler returns this */
} args_seen;

static notrace void rt_args_exit(struct rethook_node *node, void *data,
				 unsigned long ret_addr, struct pt_regs *regs)
{
	struct rt_args_seen *s = data;
	unsigned i;

	for (i = 0; i < RETHOOK_ENTRY_ARGS; i++)
		s->args[i] = rethook_entry_arg(node, i + 1);
	s->ret = regs_return_value(regs);
	s->ret_addr = ret_addr;
	s->ip = instruction_pointer(regs);
	s->exit_di = regs_get_arg(regs, 1);
	if (s->new_ret)
		regs->ax = s->new_ret;
	rt.exits++;
}

static void exit_handler_sees_return_value_and_entry_args(struct selftest *t)
{
	long expect = rt_args_formula(rt_argv[0], rt_argv[1], rt_argv[2], rt_argv[3],
				      rt_argv[4], rt_argv[5]);
	struct kmalloc_usage before;
	long r;
	unsigned i;

	leak_check_start(&before);
	memset(&args_seen, 0, sizeof(args_seen));
	ASSERT_TRUE(t, rt_setup(4, rt_args_exit, &args_seen));
	ASSERT_EQ(t, rethook_test_entry_install(rt_args6), 0);
	r = rt_call_args6();
	rt_teardown(rt_args6, NULL);

	EXPECT_EQ(t, r, expect);
	EXPECT_EQ(t, rt.hits, 1);
	EXPECT_EQ(t, rt.exits, 1);
	EXPECT_EQ(t, args_seen.ret, expect);
	for (i = 0; i < 6; i++)
		EXPECT_EQ(t, args_seen.args[i], rt_argv[i]);
	/* The register itself no longer holds the argument at the return. */
	EXPECT_NE(t, args_seen.exit_di, rt_argv[0]);
	EXPECT_TRUE(t, rt_addr_in_func(args_seen.ret_addr, rt_call_args6));
	EXPECT_EQ(t, args_seen.ip, args_seen.ret_addr);
	EXPECT_TRUE(t, leak_check_end(&before, NULL));
}

static void exit_handler_can_change_return_value(struct selftest *t)
{
	struct kmalloc_usage before;
	long r1, r2;

	leak_check_start(&before);
	memset(&args_seen, 0, sizeof(args_seen));
	args_seen.new_ret = 4242;
	ASSERT_TRUE(t, rt_setup(4, rt_args_exit, &args_seen));
	ASSERT_EQ(t, rethook_test_entry_install(rt_args6), 0);
	r1 = rt_call_args6();
	r2 = rt_call_args6();
	rt_teardown(rt_args6, NULL);
	EXPECT_EQ(t, r1, 4242);
	EXPECT_EQ(t, r2, 4242);
	EXPECT_EQ(t, rt.exits, 2);
	EXPECT_NE(t, rt_call_args6(), 4242);		/* unhooked again */
	EXPECT_TRUE(t, leak_check_end(&before, NULL));
}

/* ---------------------------------------------------------- recursion */

#define FIB_N		15
#define FIB_DEPTH_MAX	32

/* The entries still pending, as a stack: what each return must match. */
static struct rt_fib {
	unsigned long n[FIB_DEPTH_MAX], frame[FIB_DEPTH_MAX];
	int depth, max_depth;
	unsigned long value[FIB_N + 1];		/* fib(0..FIB_N) */
	unsigned long bad_order, bad_value;
	int bt_fib_frames;			/* at the first (deepest) return */
	bool bt_taken, bt_saw_trampoline, bt_reached_caller;
} fibst;

static notrace void rt_fib_entry(struct rethook_node *node, struct pt_regs *regs)
{
	(void)node;
	if (fibst.depth < FIB_DEPTH_MAX) {
		fibst.n[fibst.depth] = regs_get_arg(regs, 1);
		fibst.frame[fibst.depth] = regs->sp;
	}
	if (++fibst.depth > fibst.max_depth)
		fibst.max_depth = fibst.depth;
}

static rt_target unsigned long rt_call_fib(unsigned long n)
{
	unsigned long r = fib(n);

	barrier();
	return r;
}

/*
 * The first return is the deepest: fib(1) under fib(2) ... fib(FIB_N), all
 * pending. A backtrace from here must name fib once for each of those
 * frames, each decoded from the shadow stack, then rt_call_fib.
 */
static notrace void rt_fib_backtrace(void)
{
	unsigned long entries[STACKTRACE_MAX];
	unsigned n = stack_trace_save(entries, STACKTRACE_MAX), i;

	fibst.bt_taken = true;
	for (i = 0; i < n; i++) {
		if (is_rethook_trampoline(entries[i]))
			fibst.bt_saw_trampoline = true;
		if (rt_addr_in_func(entries[i], fib))
			fibst.bt_fib_frames++;
		else if (fibst.bt_fib_frames && rt_addr_in_func(entries[i], rt_call_fib))
			fibst.bt_reached_caller = true;
	}
}

static notrace void rt_fib_exit(struct rethook_node *node, void *data,
				unsigned long ret_addr, struct pt_regs *regs)
{
	unsigned long n = rethook_entry_arg(node, 1);
	int d = --fibst.depth;

	(void)data;
	(void)ret_addr;
	rt.exits++;
	if (!fibst.bt_taken)
		rt_fib_backtrace();
	if (d < 0 || d >= FIB_DEPTH_MAX || fibst.n[d] != n || fibst.frame[d] != node->frame)
		fibst.bad_order++;
	else if (n > FIB_N || regs_return_value(regs) != fibst.value[n])
		fibst.bad_value++;
}

static void recursive_fib_hooked_at_every_level_returns_in_order(struct selftest *t)
{
	struct kmalloc_usage before;
	unsigned long r;
	int i;

	leak_check_start(&before);
	memset(&fibst, 0, sizeof(fibst));
	fibst.value[1] = 1;
	for (i = 2; i <= FIB_N; i++)
		fibst.value[i] = fibst.value[i - 1] + fibst.value[i - 2];
	ASSERT_TRUE(t, rt_setup(RT_POOL_MAX, rt_fib_exit, NULL));
	rt.on_hooked = rt_fib_entry;
	ASSERT_EQ(t, rethook_test_entry_install(fib), 0);
	r = rt_call_fib(FIB_N);
	rt_teardown(fib, NULL);

	EXPECT_EQ(t, r, fibst.value[FIB_N]);
	EXPECT_EQ(t, rt.hits, fib_calls(FIB_N));
	EXPECT_EQ(t, rt.misses, 0);
	EXPECT_EQ(t, rt.exits, fib_calls(FIB_N));
	EXPECT_EQ(t, fibst.max_depth, FIB_N);
	EXPECT_EQ(t, fibst.depth, 0);
	EXPECT_EQ(t, fibst.bad_order, 0);
	EXPECT_EQ(t, fibst.bad_value, 0);
	EXPECT_TRUE(t, fibst.bt_taken);
	EXPECT_EQ(t, fibst.bt_fib_frames, FIB_N - 1);
	EXPECT_TRUE(t, fibst.bt_reached_caller);
	EXPECT_TRUE(t, !fibst.bt_saw_trampoline);
	EXPECT_TRUE(t, leak_check_end(&before, NULL));
}

/* Two rethooks on the same calls: both handlers, newest first. */
static int rt_two_order[4], rt_two_n;
static unsigned long rt_two_ret_addr[2];

static notrace void rt_two_exit(struct rethook_node *node, void *data,
				unsigned long ret_addr, struct pt_regs *regs)
{
	int which = (int)(long)data;

	(void)node;
	(void)regs;
	if (rt_two_n < 4)
		rt_two_order[rt_two_n++] = which;
	rt_two_ret_addr[which - 1] = ret_addr;
	if (which == 1)
		rt.exits++;
	else
		rt.exits2++;
}

static void two_rethooks_on_one_function_both_see_the_return(struct selftest *t)
{
	struct kmalloc_usage before;
	long r;

	leak_check_start(&before);
	rt_two_n = 0;
	ASSERT_TRUE(t, rt_setup(4, rt_two_exit, (void *)1L));
	ASSERT_TRUE(t, rt_new(&rt.rh2, 4, rt_two_exit, (void *)2L));
	ASSERT_EQ(t, rethook_test_entry_install(rt_args6), 0);
	r = rt_call_args6();
	rt_teardown(rt_args6, NULL);
	EXPECT_EQ(t, r, rt_args_formula(rt_argv[0], rt_argv[1], rt_argv[2], rt_argv[3],
					rt_argv[4], rt_argv[5]));
	EXPECT_EQ(t, rt.exits, 1);
	EXPECT_EQ(t, rt.exits2, 1);
	ASSERT_EQ(t, rt_two_n, 2);
	EXPECT_EQ(t, rt_two_order[0], 2);	/* hooked last, on top */
	EXPECT_EQ(t, rt_two_order[1], 1);
	EXPECT_TRUE(t, rt_addr_in_func(rt_two_ret_addr[0], rt_call_args6));
	EXPECT_EQ(t, rt_two_ret_addr[1], rt_two_ret_addr[0]);
	EXPECT_TRUE(t, leak_check_end(&before, NULL));
}

/* ------------------------------------------------------------ the pool */

static rt_target long rt_nest(long n)
{
	long r;

	if (n == 0)
		return 0;
	r = rt_nest(n - 1);
	barrier();		/* a real call per level, not a loop */
	return r + 1;
}

notrace void rt_count_exit(struct rethook_node *node, void *data,
				  unsigned long ret_addr, struct pt_regs *regs)
{
	(void)node;
	(void)data;
	(void)ret_addr;
	(void)regs;
	rt.exits++;
}

static void empty_pool_is_a_counted_miss(struct selftest *t)
{
	struct rethook_node *got[4];
	struct kmalloc_usage before;
	long r;
	int i;

	leak_check_start(&before);
	ASSERT_TRUE(t, rt_setup(3, rt_count_exit, NULL));

	/* Directly: three nodes, then nothing. */
	preempt_disable();
	for (i = 0; i < 4; i++)
		got[i] = rethook_try_get(rt.rh);
	for (i = 0; i < 3; i++)
		if (got[i])
			rethook_recycle(got[i]);
	preempt_enable();
	EXPECT_TRUE(t, got[0] && got[1] && got[2]);
	EXPECT_TRUE(t, got[3] == NULL);

	/* Six nested calls, three nodes: the outer three are hooked. */
	ASSERT_EQ(t, rethook_test_entry_install(rt_nest), 0);
	r = rt_nest(5);
	rt_teardown(rt_nest, NULL);
	EXPECT_EQ(t, r, 5);
	EXPECT_EQ(t, rt.hits, 3);
	EXPECT_EQ(t, rt.misses, 3);
	EXPECT_EQ(t, rt.exits, 3);
	EXPECT_TRUE(t, leak_check_end(&before, NULL));
}

/* ------------------------------------------- freeing with nodes in flight */

rt_target long rt_sleeper(struct completion *go, long v)
{
	wait_for_completion(go);
	return v * 3;
}

rt_target long rt_sleep_mid(struct completion *go, long v)
{
	long r = rt_sleeper(go, v);

	barrier();
	return r + 1;
}

static int rt_sleeper_thread(void *arg)
{
	struct rt_sleep *s = arg;

	if (rt_sleep_mid(&s->go, 7) == 22)
		fetch_add_relaxed(&s->right, 1);
	return 0;
}

bool rt_wait_hits(unsigned long n)
{
	int i;

	for (i = 0; i < 200 && READ_ONCE(rt.hits) < n; i++)
		msleep(10);
	return READ_ONCE(rt.hits) >= n;
}

static void free_with_nodes_in_flight_frees_after_last_return(struct selftest *t)
{
	struct kmalloc_usage before, hooked, freed;
	struct rt_sleep *s;
	int i;

	leak_check_start(&before);
	s = kzalloc(sizeof(*s));
	ASSERT_TRUE(t, s != NULL);
	init_completion(&s->go);
	init_completion(&s->exited);
	ASSERT_TRUE(t, rt_setup(4, rt_count_exit, NULL));
	ASSERT_EQ(t, rethook_test_entry_install(rt_sleeper), 0);
	for (i = 0; i < 2; i++)
		rt_run_thread(rt_sleeper_thread, s, &s->exited);
	EXPECT_TRUE(t, rt_wait_hits(2));

	kmalloc_usage(&hooked);
	rt_teardown(rt_sleeper, NULL);		/* rethook_free(): 2 nodes in flight */
	kmalloc_usage(&freed);
	/* The two pool nodes are gone; the rethook and its two nodes are not. */
	EXPECT_EQ(t, freed.objects, hooked.objects - 2);

	complete_all(&s->go);
	for (i = 0; i < 2; i++)
		wait_for_completion(&s->exited);
	EXPECT_EQ(t, s->right, 2);
	EXPECT_EQ(t, rt.exits, 0);		/* handler cleared before they returned */
	kfree(s);
	EXPECT_TRUE(t, leak_check_end(&before, NULL));
}

/* --------------------------------------------------------- task exit */

rt_target void rt_exit_inside(int code)
{
	kthread_exit(code);
}

static int rt_exiter_thread(void *arg)
{
	(void)arg;
	rt_exit_inside(5);
	return 0;
}

/* Nodes in @rh's pool now (takes them all and gives them back). */
static int rt_pool_count(struct rethook *rh)
{
	struct rethook_node *got[RT_POOL_MAX];
	int n = 0, i;

	preempt_disable();
	while (n < RT_POOL_MAX && (got[n] = rethook_try_get(rh)))
		n++;
	for (i = 0; i < n; i++)
		rethook_recycle(got[i]);
	preempt_enable();
	return n;
}

static void task_exit_with_pending_returns_recycles_nodes(struct selftest *t)
{
	struct kmalloc_usage before;
	struct completion exited;
	int i, pooled = 0;

	leak_check_start(&before);
	init_completion(&exited);
	ASSERT_TRUE(t, rt_setup(3, rt_count_exit, NULL));
	ASSERT_EQ(t, rethook_test_entry_install(rt_exit_inside), 0);
	rt_run_thread(rt_exiter_thread, NULL, &exited);
	wait_for_completion(&exited);
	EXPECT_EQ(t, rt.hits, 1);
	/* The reaper releases the task a grace period later. */
	for (i = 0; i < 300 && (pooled = rt_pool_count(rt.rh)) < 3; i++)
		msleep(10);
	EXPECT_EQ(t, pooled, 3);
	EXPECT_EQ(t, rt.exits, 0);		/* never returned: no handler */
	rt_teardown(rt_exit_inside, NULL);
	EXPECT_TRUE(t, leak_check_end(&before, NULL));
}

static const struct selftest_case rethook_cases[] = {
	SELFTEST_CASE(exit_handler_sees_return_value_and_entry_args),
	SELFTEST_CASE(exit_handler_can_change_return_value),
	SELFTEST_CASE(recursive_fib_hooked_at_every_level_returns_in_order),
	SELFTEST_CASE(two_rethooks_on_one_function_both_see_the_return),
	SELFTEST_CASE(empty_pool_is_a_counted_miss),
	SELFTEST_CASE(free_with_nodes_in_flight_frees_after_last_return),
	SELFTEST_CASE(task_exit_with_pending_returns_recycles_nodes),
};
SELFTEST_SUITE("rethook", rethook_cases);
