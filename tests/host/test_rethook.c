// SPDX-License-Identifier: MIT
/*
 * Host tests for rethook's bookkeeping (trace/rethook.c), compiled against
 * the stand-in kernel headers of tests/host/shim/ (defined in
 * tests/host/kernel_host.c; see tests/host/README) and a pretend arch that
 * does what x86 does to a stack: arch_rethook_prepare() swaps the word at
 * regs->sp for the trampoline's address, arch_rethook_fixup_return() puts
 * the real one back. The "stack" is an array; "calling" a hooked function
 * is enter(), its "return" is leave(), which checks the slot holds the
 * trampoline and calls rethook_trampoline_handler() as the trampoline
 * would. Grace periods end when a test says so (host_rcu_run()), so the
 * deferred frees can be watched one step at a time.
 *
 * Covered: the pool and its reference count, handler arguments (real
 * address, entry arguments, return value), LIFO order over nested frames,
 * two rethooks on one frame, the unwinder lookups, freeing with nodes in
 * flight, task flush, the fatal missing-address case, and a threaded
 * stress of many tasks sharing one small pool, with and without a
 * rethook_free() in the middle.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/preempt.h>
#include <kernel/rcu.h>
#include <kernel/sched.h>
#include <trace/rethook.h>
#include <asm/ptrace.h>

/* --------------------------------------------------- the pretend arch */

void arch_rethook_trampoline(void)
{
	/* Never called: only its address matters. */
	abort();
}

void arch_rethook_prepare(struct rethook_node *node, struct pt_regs *regs, bool mcount)
{
	unsigned long *slot = (unsigned long *)regs->sp;

	(void)mcount;
	node->ret_addr = *slot;
	node->frame = regs->sp;
	*slot = (unsigned long)arch_rethook_trampoline;
}

void arch_rethook_save_entry_args(struct rethook_node *node, const struct pt_regs *regs)
{
	for (unsigned i = 0; i < RETHOOK_ENTRY_ARGS; i++)
		node->entry_args[i] = regs_get_arg(regs, i + 1);
}

void arch_rethook_fixup_return(struct pt_regs *regs, unsigned long correct_ret_addr)
{
	*(unsigned long *)(regs->sp - 8) = correct_ret_addr;
}

/* ------------------------------------------------------------ helpers */

#define TRAMP	((unsigned long)arch_rethook_trampoline)

/* What handlers saw, in order. */
struct seen {
	struct rethook_node *node;
	void *data;
	unsigned long ret_addr, ax, arg1, arg6;
};

static __thread struct seen seen[16];
static __thread int nseen;
static __thread unsigned long handler_calls;

static void record_handler(struct rethook_node *node, void *data,
			   unsigned long ret_addr, struct pt_regs *regs)
{
	handler_calls++;
	cr_assert_eq(preempt_count(), 1, "handler with preemption on");
	if (nseen < 16)
		seen[nseen++] = (struct seen){ node, data, ret_addr, regs->ax,
					       rethook_entry_arg(node, 1),
					       rethook_entry_arg(node, 6) };
}

static struct task_struct task_a = { .comm = "a" };

static void use_task(struct task_struct *t)
{
	host_current = t;
}

/* A rethook with @n nodes, through the public API. */
static struct rethook *new_rethook(void *data, int n)
{
	struct rethook *rh = rethook_alloc(data, record_handler);

	cr_assert_not_null(rh);
	for (int i = 0; i < n; i++) {
		struct rethook_node *node = kzalloc(sizeof(*node));

		cr_assert_not_null(node);
		rethook_add_node(rh, node);
	}
	return rh;
}

/*
 * "Call" a function whose return address is in @slot, with @arg as its
 * first argument (and arg * 6 as its sixth), hooking it with @rh as an
 * entry probe does. Returns false if the pool was empty.
 */
static bool enter(struct rethook *rh, unsigned long *slot, unsigned long arg)
{
	struct pt_regs regs = { .sp = (unsigned long)slot, .di = arg, .r9 = arg * 6 };
	struct rethook_node *node;

	preempt_disable();
	node = rethook_try_get(rh);
	if (node)
		rethook_hook(node, &regs, false);
	preempt_enable();
	return node != NULL;
}

/* The function with its return address in @slot returns @ax. */
static unsigned long leave(unsigned long *slot, unsigned long ax)
{
	struct pt_regs regs = { .sp = (unsigned long)(slot + 1), .ax = ax };
	unsigned long real;

	cr_assert_eq(*slot, TRAMP, "not hooked: slot holds %#lx", *slot);
	real = rethook_trampoline_handler(&regs, (unsigned long)slot);
	cr_assert_eq(*slot, real, "real address not put back");
	cr_assert_eq(regs.ip, real);
	cr_assert_eq(preempt_count(), 0);
	return real;
}

/*
 * Nodes in @rh's pool right now: those this thread can take (its CPU's
 * cache, then the shared stack), plus those in other CPUs' caches (read
 * only when no other thread runs).
 */
static int pool_count(struct rethook *rh)
{
	struct rethook_node *got[64];
	int n = 0, cached = 0;

	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		if ((unsigned)cpu != host_cpu)
			cached += (int)rh->cache[cpu].count;
	preempt_disable();
	while (n < 64 && (got[n] = rethook_try_get(rh)))
		n++;
	for (int i = 0; i < n; i++)
		rethook_recycle(got[i]);
	preempt_enable();
	return n + cached;
}

/* --------------------------------------------------------------- tests */

Test(rethook, alloc_refuses_a_null_handler)
{
	cr_assert_null(rethook_alloc(NULL, NULL));
	cr_assert_eq(host_warnings, 1);
	cr_assert_eq(host_kmalloc_outstanding(), 0);
}

Test(rethook, pool_gives_each_node_once_then_nothing)
{
	struct rethook *rh = new_rethook(NULL, 3);
	struct rethook_node *a, *b, *c;

	cr_assert_eq(refcount_read(&rh->ref), 4, "one for the rethook, one per node");
	preempt_disable();
	a = rethook_try_get(rh);
	b = rethook_try_get(rh);
	c = rethook_try_get(rh);
	cr_assert(a && b && c && a != b && b != c && a != c);
	cr_assert_null(rethook_try_get(rh));
	cr_assert_eq(a->rethook, rh);
	rethook_recycle(b);
	cr_assert_eq(rethook_try_get(rh), b);
	rethook_recycle(a);
	rethook_recycle(b);
	rethook_recycle(c);
	preempt_enable();
	cr_assert_eq(pool_count(rh), 3);
	cr_assert_eq(host_warnings, 0);
	rethook_free(rh);
	host_rcu_run();
	cr_assert_eq(host_kmalloc_outstanding(), 0);
}

Test(rethook, recycle_with_preemption_on_is_reported)
{
	struct rethook *rh = new_rethook(NULL, 1);
	struct rethook_node *n;

	preempt_disable();
	n = rethook_try_get(rh);
	preempt_enable();
	cr_assert_eq(host_warnings, 0);
	rethook_recycle(n);
	cr_assert_eq(host_warnings, 1);
	rethook_free(rh);
	host_rcu_run();
}

Test(rethook, return_runs_handler_with_real_address_and_entry_args)
{
	unsigned long stack[4] = { 0, 0x1234, 0, 0 };
	struct rethook *rh = new_rethook((void *)0xda7a, 2);

	use_task(&task_a);
	cr_assert(enter(rh, &stack[1], 7));
	cr_assert_eq(stack[1], TRAMP);
	cr_assert_eq(task_a.rethooks.first != NULL, true);
	cr_assert_eq(handler_calls, 0);
	cr_assert_eq(leave(&stack[1], 99), 0x1234);
	cr_assert_eq(nseen, 1);
	cr_assert_eq(seen[0].data, (void *)0xda7a);
	cr_assert_eq(seen[0].ret_addr, 0x1234);
	cr_assert_eq(seen[0].ax, 99);
	cr_assert_eq(seen[0].arg1, 7);
	cr_assert_eq(seen[0].arg6, 42);
	cr_assert_null(task_a.rethooks.first, "node left on the shadow stack");
	cr_assert_eq(pool_count(rh), 2, "node not back in the pool");
	rethook_free(rh);
	host_rcu_run();
	cr_assert_eq(host_kmalloc_outstanding(), 0);
}

Test(rethook, nested_returns_unwind_in_lifo_order)
{
	unsigned long stack[8] = { 0, 0x100, 0, 0x200, 0, 0x300, 0, 0 };
	struct rethook *rh = new_rethook(NULL, 4);

	use_task(&task_a);
	cr_assert(enter(rh, &stack[5], 1));	/* outer: highest address */
	cr_assert(enter(rh, &stack[3], 2));
	cr_assert(enter(rh, &stack[1], 3));	/* inner */
	cr_assert_eq(leave(&stack[1], 30), 0x100);
	cr_assert_eq(leave(&stack[3], 20), 0x200);
	cr_assert_eq(leave(&stack[5], 10), 0x300);
	cr_assert_eq(nseen, 3);
	cr_assert_eq(seen[0].arg1, 3);
	cr_assert_eq(seen[1].arg1, 2);
	cr_assert_eq(seen[2].arg1, 1);
	cr_assert_eq(seen[2].ax, 10);
	cr_assert_null(task_a.rethooks.first);
	cr_assert_eq(host_warnings, 0);
	rethook_free(rh);
	host_rcu_run();
	cr_assert_eq(host_kmalloc_outstanding(), 0);
}

Test(rethook, two_rethooks_on_one_frame_run_newest_first)
{
	unsigned long stack[4] = { 0, 0x777, 0, 0 };
	struct rethook *first = new_rethook((void *)1, 1), *second = new_rethook((void *)2, 1);

	use_task(&task_a);
	cr_assert(enter(first, &stack[1], 5));
	cr_assert(enter(second, &stack[1], 5));	/* saves the trampoline's address */
	cr_assert_eq(leave(&stack[1], 0), 0x777);
	cr_assert_eq(nseen, 2);
	cr_assert_eq(seen[0].data, (void *)2);
	cr_assert_eq(seen[1].data, (void *)1);
	cr_assert_eq(seen[0].ret_addr, 0x777, "both see the real address");
	cr_assert_eq(seen[1].ret_addr, 0x777);
	cr_assert_null(task_a.rethooks.first);
	cr_assert_eq(pool_count(first) + pool_count(second), 2);
	rethook_free(first);
	rethook_free(second);
	host_rcu_run();
	cr_assert_eq(host_kmalloc_outstanding(), 0);
}

Test(rethook, find_ret_addr_walks_frames_in_order)
{
	unsigned long stack[8] = { 0, 0x100, 0, 0x200, 0, 0x300, 0, 0 };
	struct rethook *rh = new_rethook(NULL, 4), *rh2 = new_rethook(NULL, 1);
	struct llist_node *cur = NULL;

	use_task(&task_a);
	enter(rh, &stack[5], 1);
	enter(rh, &stack[3], 2);
	enter(rh2, &stack[3], 2);		/* a second node on frame 3 */
	enter(rh, &stack[1], 3);
	/* An unwinder going up the stack meets the frames innermost first. */
	cr_assert_eq(rethook_find_ret_addr(&task_a, (unsigned long)&stack[1], &cur), 0x100);
	cr_assert_eq(rethook_find_ret_addr(&task_a, (unsigned long)&stack[3], &cur), 0x200);
	/* A frame with no hook: nothing, and the cursor stays put. */
	cr_assert_eq(rethook_find_ret_addr(&task_a, (unsigned long)&stack[7], &cur), 0);
	cr_assert_eq(rethook_find_ret_addr(&task_a, (unsigned long)&stack[5], &cur), 0x300);
	cr_assert_eq(rethook_next_ret_addr(&task_a, &cur), 0);
	/* Without matching a frame: the pending returns in order. */
	cur = NULL;
	cr_assert_eq(rethook_next_ret_addr(&task_a, &cur), 0x100);
	cr_assert_eq(rethook_next_ret_addr(&task_a, &cur), 0x200);
	cr_assert_eq(rethook_next_ret_addr(&task_a, &cur), 0x300);

	leave(&stack[1], 0);
	leave(&stack[3], 0);
	leave(&stack[5], 0);
	cr_assert_eq(nseen, 4);
	rethook_free(rh);
	rethook_free(rh2);
	host_rcu_run();
	cr_assert_eq(host_kmalloc_outstanding(), 0);
}

/* Another task's shadow stack is read only while it cannot run (held):
 * a task off its CPU now may be switched to halfway through the walk. */
Test(rethook, find_ret_addr_reads_only_current_or_a_held_task)
{
	unsigned long stack[4] = { 0, 0x100, 0, 0 };
	struct task_struct other = { .comm = "other" };
	struct rethook *rh = new_rethook(NULL, 1);
	struct llist_node *cur = NULL;

	use_task(&other);
	enter(rh, &stack[1], 1);
	cr_assert_eq(rethook_find_ret_addr(&other, (unsigned long)&stack[1], &cur), 0x100);
	use_task(&task_a);
	cur = NULL;
	other.held = true;
	cr_assert_eq(rethook_find_ret_addr(&other, (unsigned long)&stack[1], &cur), 0x100);
	cur = NULL;
	other.held = false;		/* off its CPU, but free to run */
	cr_assert_eq(rethook_find_ret_addr(&other, (unsigned long)&stack[1], &cur), 0);
	cr_assert_eq(rethook_next_ret_addr(&other, &cur), 0);
	use_task(&other);
	leave(&stack[1], 0);
	rethook_free(rh);
	host_rcu_run();
	cr_assert_eq(host_kmalloc_outstanding(), 0);
}

Test(rethook, free_with_nodes_in_flight_frees_after_the_last_return)
{
	unsigned long stack[4] = { 0, 0x100, 0, 0x200 };
	struct rethook *rh = new_rethook(NULL, 4);

	use_task(&task_a);
	enter(rh, &stack[3], 1);
	enter(rh, &stack[1], 2);
	cr_assert_eq(host_kmalloc_outstanding(), 5);
	rethook_free(rh);
	/* Stopped at once: no node for new calls. */
	preempt_disable();
	cr_assert_null(rethook_try_get(rh));
	preempt_enable();
	/* A grace period later the two pooled nodes are gone, nothing else. */
	cr_assert_eq(host_rcu_run(), 1);
	cr_assert_eq(host_kmalloc_outstanding(), 3);
	cr_assert_eq(refcount_read(&rh->ref), 2);

	cr_assert_eq(leave(&stack[1], 0), 0x100);	/* returns still work */
	cr_assert_eq(handler_calls, 0, "handler called after rethook_free()");
	cr_assert_eq(host_rcu_run(), 1);
	cr_assert_eq(host_kmalloc_outstanding(), 2);
	cr_assert_eq(leave(&stack[3], 0), 0x200);
	cr_assert_eq(host_rcu_run(), 1);		/* the last node takes the rethook */
	cr_assert_eq(host_kmalloc_outstanding(), 0);
	cr_assert_eq(host_warnings, 0);
}

/* What kernel_quiesce() asks: which task keeps a freed rethook alive? */
Test(rethook, a_sleeper_holding_a_freed_node_is_found_until_it_returns)
{
	unsigned long stack[2] = { 0, 0x100 };
	struct task_struct sleeper = { .comm = "sleeper" };
	struct rethook *rh = new_rethook(NULL, 2);

	cr_assert(rethook_all_freed());
	use_task(&sleeper);
	enter(rh, &stack[1], 1);
	use_task(&task_a);
	sleeper.held = true;			/* as kernel_quiesce() holds it */
	/* Registered: its node is an ordinary pending return. */
	cr_assert_not(rethook_task_holds_freed(&sleeper));
	rethook_free(rh);
	host_rcu_run();
	cr_assert_not(rethook_all_freed());
	cr_assert(rethook_task_holds_freed(&sleeper));
	cr_assert_not(rethook_task_holds_freed(&task_a));
	/* A task that is not held is not read. */
	sleeper.held = false;
	cr_assert_not(rethook_task_holds_freed(&sleeper));
	sleeper.held = true;

	use_task(&sleeper);
	leave(&stack[1], 0);
	use_task(&task_a);
	cr_assert_not(rethook_task_holds_freed(&sleeper));
	cr_assert_not(rethook_all_freed(), "freed before its node's grace period");
	host_rcu_run();
	cr_assert(rethook_all_freed());
	cr_assert_eq(host_kmalloc_outstanding(), 0);
}

Test(rethook, flush_task_recycles_without_calling_handlers)
{
	unsigned long stack[4] = { 0, 0x100, 0, 0x200 };
	struct task_struct dead = { .comm = "dead" };
	struct rethook *rh = new_rethook(NULL, 2);

	use_task(&dead);
	enter(rh, &stack[3], 1);
	enter(rh, &stack[1], 2);
	use_task(&task_a);
	cr_assert_eq(pool_count(rh), 0);
	rethook_flush_task(&dead);
	cr_assert_null(dead.rethooks.first);
	cr_assert_eq(pool_count(rh), 2);
	cr_assert_eq(handler_calls, 0);
	rethook_free(rh);
	host_rcu_run();
	cr_assert_eq(host_kmalloc_outstanding(), 0);
}

Test(rethook, flush_task_after_free_frees_everything)
{
	unsigned long stack[4] = { 0, 0x100, 0, 0x200 };
	struct task_struct dead = { .comm = "dead" };
	struct rethook *rh = new_rethook(NULL, 3);

	use_task(&dead);
	enter(rh, &stack[3], 1);
	enter(rh, &stack[1], 2);
	rethook_free(rh);
	host_rcu_run();
	cr_assert_eq(host_kmalloc_outstanding(), 3);
	use_task(&task_a);
	rethook_flush_task(&dead);
	host_rcu_run();
	cr_assert_eq(host_kmalloc_outstanding(), 0);
	cr_assert_eq(handler_calls, 0);
}

Test(rethook, return_with_empty_shadow_stack_panics, .signal = SIGABRT)
{
	unsigned long stack[2] = { TRAMP, 0 };
	struct pt_regs regs = { .sp = (unsigned long)&stack[1] };

	use_task(&task_a);
	rethook_trampoline_handler(&regs, (unsigned long)&stack[0]);
}

/* ------------------------------------------------------------- stress */

/*
 * STRESS_THREADS tasks, one thread each, share a rethook with too few
 * nodes for all of them. Each makes nested "calls" 1 to 4 deep, hooked
 * when a node is free, and checks every return: the real address comes
 * back, the handler saw this frame and this call's argument. In the
 * second variant the main thread frees the rethook halfway through.
 */
#define STRESS_THREADS	4
#define STRESS_ROUNDS	1000000
#define STRESS_NODES	6		/* fewer than the deepest nesting of all */

struct stress_task {
	struct task_struct task;
	struct rethook *rh;
	unsigned long stack[16];
	unsigned long hooked, missed, bad, seed;
	unsigned long calls;		/* handler calls, via data */
	int id;
};

static int stress_done;

static void stress_handler(struct rethook_node *node, void *data,
			   unsigned long ret_addr, struct pt_regs *regs)
{
	struct stress_task *st = container_of(host_current, struct stress_task, task);

	(void)data;
	/* The real address encodes the frame: see stress_call(). */
	if (ret_addr != node->frame + 0x10000 || node->frame != regs->sp - 8 ||
	    rethook_entry_arg(node, 1) != ret_addr * 3)
		st->bad++;
	st->calls++;
}

/*
 * A call with its return address at stack[2 * @depth + 1], which makes
 * @depth more nested calls before returning: outer calls higher up.
 */
static void stress_call(struct stress_task *st, int depth)
{
	unsigned long *slot = &st->stack[2 * depth + 1];
	unsigned long real = (unsigned long)slot + 0x10000;
	struct pt_regs regs = { .sp = (unsigned long)slot, .di = real * 3 };
	struct rethook_node *node;

	*slot = real;
	preempt_disable();
	node = rethook_try_get(st->rh);
	if (node)
		rethook_hook(node, &regs, true);
	preempt_enable();
	node ? st->hooked++ : st->missed++;
	if (depth > 0)
		stress_call(st, depth - 1);
	if (*slot == TRAMP) {
		struct pt_regs ret = { .sp = (unsigned long)(slot + 1) };

		if (rethook_trampoline_handler(&ret, (unsigned long)slot) != real)
			st->bad++;
	}
	if (*slot != real)
		st->bad++;
}

static void *stress_thread(void *arg)
{
	struct stress_task *st = arg;

	host_cpu = (unsigned)st->id + 1;	/* the main thread is CPU 0 */
	use_task(&st->task);
	for (long i = 0; i < STRESS_ROUNDS; i++) {
		st->seed = st->seed * 6364136223846793005ULL + 1442695040888963407ULL;
		stress_call(st, (int)(st->seed >> 62));	/* 0..3: 1 to 4 deep */
	}
	__atomic_fetch_add(&stress_done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void stress_run(bool free_halfway)
{
	static struct stress_task st[STRESS_THREADS];
	pthread_t th[STRESS_THREADS];
	struct rethook *rh = rethook_alloc(NULL, stress_handler);
	unsigned long hooked = 0, calls = 0, bad = 0, missed = 0;

	cr_assert_not_null(rh);
	for (int i = 0; i < STRESS_NODES; i++)
		rethook_add_node(rh, kzalloc(sizeof(struct rethook_node)));
	for (int i = 0; i < STRESS_THREADS; i++) {
		st[i] = (struct stress_task){ .task = { .comm = "stress" }, .rh = rh,
					      .id = i, .seed = (unsigned long)i * 977 + 1 };
		cr_assert_eq(pthread_create(&th[i], NULL, stress_thread, &st[i]), 0);
	}
	if (free_halfway) {
		struct timespec ms = { 0, 1000000 };

		nanosleep(&ms, NULL);
		rethook_free(rh);	/* no grace period ends until all are done */
	}
	for (int i = 0; i < STRESS_THREADS; i++) {
		pthread_join(th[i], NULL);
		hooked += st[i].hooked;
		missed += st[i].missed;
		calls += st[i].calls;
		bad += st[i].bad;
		cr_assert_null(st[i].task.rethooks.first, "thread %d left nodes behind", i);
	}
	cr_log_info("rethook stress: %lu hooked, %lu missed, %lu handler calls",
		    hooked, missed, calls);
	cr_assert_eq(bad, 0);
	cr_assert_gt(missed, 0, "the pool never ran dry: not much of a stress");
	cr_assert_eq(host_warnings, 0);
	if (!free_halfway) {
		cr_assert_eq(calls, hooked);
		cr_assert_eq(pool_count(rh), STRESS_NODES);
		cr_assert_eq(refcount_read(&rh->ref), STRESS_NODES + 1);
		rethook_free(rh);
	} else {
		cr_assert_leq(calls, hooked);
	}
	host_rcu_run();
	cr_assert_eq(host_kmalloc_outstanding(), 0, "%ld objects leaked",
		     host_kmalloc_outstanding());
}

Test(rethook, stress_tasks_share_a_small_pool, .timeout = 60)
{
	stress_run(false);
}

Test(rethook, stress_free_while_tasks_are_hooking, .timeout = 60)
{
	stress_run(true);
}
