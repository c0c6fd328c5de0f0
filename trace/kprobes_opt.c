// SPDX-License-Identifier: MIT
/*
 * Jump optimization of kprobes, the generic half: which probes qualify,
 * the queue and the thread that optimizes them, and taking a probe back
 * to a plain int3 (arch/x86/kprobes/opt.c writes the jmp and the detour).
 *
 * Probe points change only under kprobe_mutex (trace/kprobes.c). The
 * optimizer thread and kprobes_set_optimization() take it; the kprobe_*
 * entries of kprobes_opt.h are called from kprobes.c with it held.
 */
#include <trace/kprobes_opt.h>
#include <kernel/mutex.h>
#include <kernel/rcu.h>
#include <kernel/sched.h>
#include <kernel/tasks_rcu.h>
#include <kernel/wait.h>

static bool optimize_on = true;		/* /proc/sys/debug/kprobes-optimization */
static bool optimize_sync;		/* tests: optimize before register returns */
static LIST_HEAD(opt_queue);
static DECLARE_WAIT_QUEUE_HEAD(optimizer_wq);

/* Has @addr a probe point of its own? (for arch_can_optimize()) */
static bool point_probed(unsigned long addr)
{
	return kprobe_point_find(addr) != NULL;
}

/* A boosted int3 probe whose handlers never need the trap or move RIP. */
static bool optimizable(struct kprobe_point *pt)
{
	return optimize_on && pt->armed && !pt->on_ftrace && pt->arch.run == KPROBE_RUN_COPY &&
	       !kprobe_point_has_post(pt) && !kprobe_point_wants_ipmodify(pt);
}

/*
 * Back to a plain armed int3 probe (kprobe_mutex held). Unlike optimizing
 * this needs no wait: no task can be inside the jmp being taken away (it
 * is one instruction), and the bytes put back are the original
 * instructions, whose boundaries are where every slot, detour and
 * preempted task will return to.
 */
void kprobe_unoptimize(struct kprobe_point *pt)
{
	if (pt->opt_queued) {
		list_del_init(&pt->opt_node);
		pt->opt_queued = false;
	}
	if (!pt->optimized)
		return;
	pt->via_detour = true;		/* int3 hits take the detour meanwhile */
	arch_unoptimize(pt);
	pt->optimized = false;
	pt->via_detour = false;
}

/*
 * The code a task may be inside of and come to an address in (start, end)
 * from - the bytes after the first that a jmp at @start replaces - so
 * that it would execute the middle of the jmp. Three kinds of place lead
 * there:
 *
 *  - the range itself: a task between its instructions (a single-step
 *    ends in the original code too, so it is one of these);
 *  - a kprobe slot, live or dirty, whose jmp back lands inside;
 *  - an optimized probe's detour whose jmp back lands inside.
 *
 * Nothing else can: a slot or detour is the only code that jumps into
 * the middle of a function from outside it, the function's own jumps into
 * the range are refused (arch_can_optimize), and return addresses each
 * follow a call, which the range has none of.
 * Returns 0 or -ENOMEM. Context: kprobe_mutex held (the points cannot
 * change); may sleep.
 */
static int places_returning_into(unsigned long start, unsigned long end, struct code_ranges *c)
{
	struct kprobe_point *pt;
	struct code_range detour;
	unsigned i;
	int err;

	err = code_ranges_add(c, start + 1, end) ?: kprobe_slots_returning_into(start, end, c);
	for (i = 0; !err && i < KPROBE_TABLE_SIZE; i++)
		for (pt = kprobe_table[i]; !err && pt; pt = pt->hnext)
			if (arch_detour_returns_into(pt, start, end, &detour))
				err = code_ranges_add(c, detour.start, detour.end);
	return err;
}

/*
 * After a grace period: no CPU still handles an old hit on the point.
 *
 * Why the wait below ends. It waits only for tasks already in the places
 * places_returning_into() names, and no task enters any of them any
 * more:
 *  - the range: only through our int3 at pt->addr (arch_can_optimize
 *    refused jumps into it), and from here on that sends a hit to the
 *    detour, which returns past the range;
 *  - our own slot: only through that int3, likewise;
 *  - another slot whose jmp lands inside: its instruction starts in
 *    [pt->addr, end) (instructions do not overlap), and arch_can_optimize
 *    refused a range with another probe in it, so that probe is gone (or
 *    was an earlier one at our address) and nothing sends a task to its
 *    dirty slot;
 *  - another detour whose jmp lands inside: its probe covers pt->addr, so
 *    it was taken back to an int3 when we armed (kprobe_unoptimize_covering) and
 *    cannot be optimized again while we exist.
 * So the set of tasks waited for only shrinks, even while another task
 * calls the probed function in a loop; synchronize_rcu_tasks_ranges()
 * sees tasks preempted there and, through their CPUs' ticks, tasks
 * running there on other CPUs - one just sent to our slot by an int3
 * handler that read via_detour before we set it, say.
 */
static void optimize_point(struct kprobe_point *pt)
{
	struct code_ranges places = { 0 };

	if (!optimizable(pt) || !arch_can_optimize(pt, point_probed))
		return;
	if (!pt->arch.detour && arch_prepare_optimized(pt))
		return;
	WRITE_ONCE(pt->via_detour, true);
	if (places_returning_into(pt->addr, pt->addr + pt->arch.opt_len, &places)) {
		/* No memory to list them: stay an int3 probe, which is
		 * correct, only slower. */
		WRITE_ONCE(pt->via_detour, false);
		code_ranges_free(&places);
		return;
	}
	synchronize_rcu_tasks_ranges(places.r, places.n);
	code_ranges_free(&places);
	arch_optimize(pt);
	pt->optimized = true;
}

/*
 * Optimize every queued point that still qualifies. The grace period
 * first: a CPU still handling an int3 hit from before the point was
 * queued has left the handler by then. Context: kprobe_mutex held;
 * sleeps.
 */
static void run_optimizer_locked(void)
{
	synchronize_rcu();
	while (!list_empty(&opt_queue)) {
		struct kprobe_point *pt = list_first_entry(&opt_queue, struct kprobe_point, opt_node);

		list_del_init(&pt->opt_node);
		pt->opt_queued = false;
		optimize_point(pt);
	}
}

/* Optimizing waits for a grace period and for tasks: it is left to the
 * optimizer thread, unless a test asked for it at once. */
void kprobe_queue_optimize(struct kprobe_point *pt)
{
	if (!optimizable(pt) || pt->optimized || pt->opt_queued)
		return;
	list_add_tail(&pt->opt_node, &opt_queue);
	pt->opt_queued = true;
	if (optimize_sync)
		run_optimizer_locked();
	else
		wake_up(&optimizer_wq);
}

static bool optimizer_has_work(void)
{
	return !list_empty(&opt_queue);
}

/* The "kprobe-opt" thread: sleeps until a point is queued. */
static int optimizer_thread(void *unused __always_unused)
{
	for (;;) {
		wait_event(optimizer_wq, optimizer_has_work());
		mutex_lock(&kprobe_mutex);
		run_optimizer_locked();
		mutex_unlock(&kprobe_mutex);
	}
	return 0;
}

/*
 * An int3 written inside another probe's jmp would turn its displacement
 * into nonsense: take that probe back to an int3 of its own first. It is
 * not optimized again while this point exists (arch_can_optimize() refuses
 * a range with another probe in it).
 */
void kprobe_unoptimize_covering(unsigned long addr)
{
	unsigned i;

	for (i = 1; i < KPROBE_OPT_MAX; i++) {
		struct kprobe_point *pt = kprobe_point_find(addr - i);

		if (pt && pt->optimized && addr < pt->addr + pt->arch.opt_len)
			kprobe_unoptimize(pt);
	}
}

/* /proc/sys/debug/kprobes-optimization: 0 takes every probe back to int3. */
void kprobes_set_optimization(bool on)
{
	struct kprobe *p;

	mutex_lock(&kprobe_mutex);
	optimize_on = on;
	list_for_each_entry(p, &kprobe_list, list) {
		if (on)
			kprobe_queue_optimize(p->point);
		else
			kprobe_unoptimize(p->point);
	}
	mutex_unlock(&kprobe_mutex);
}

bool kprobes_optimization(void)
{
	return optimize_on;
}

/* For tests: optimize (after a grace period) before register returns. */
void kprobes_set_optimize_sync(bool on)
{
	optimize_sync = on;
}

void kprobes_start_optimizer(void)
{
	kthread_run(optimizer_thread, NULL, "kprobe-opt");
}
