// SPDX-License-Identifier: MIT
/*
 * Tasks RCU: "no task, on any CPU, is running or preempted inside this
 * code" (see kernel/tasks_rcu.h for why code owners need it).
 *
 * Every user of executable pages that can go away - kprobe instruction
 * slots (trace/kprobe_slots.c), optimized probes' detours and the
 * optimizer's wait before it writes a jmp (arch/x86/kprobes/opt.c,
 * trace/kprobes.c), ftrace trampolines (trace/ftrace.c) - waits here.
 *
 * How a wait works. The caller has already taken away every way into the
 * ranges, so the set of tasks inside can only shrink; a task seen outside
 * once, after that, is done for good. The wait publishes its ranges under
 * a new generation number and then looks at every task until each one
 * has been seen outside:
 *
 *  - a task off its CPU is held there (sched_call_held(): its run
 *    queue's lock keeps its CPU from switching to it) and checked where
 *    it stopped: the address the interrupt path preempted it at
 *    (task_struct::preempt_ip), the two words at its stack pointer then
 *    (a function interrupted on its first instruction, or just after its
 *    push %rbp, has its return address there and not yet in the frame
 *    chain), and every return address of its frame chain;
 *  - a task on another CPU cannot be read while it runs. That CPU's
 *    timer tick checks it the same way, from the interrupt's registers,
 *    when the tick finds preemption on (a preempt-off section may be a
 *    trampoline calling its handler), and records the generation in the
 *    task (task_struct::tasks_rcu_gen). A task switched out meanwhile is
 *    found off its CPU on the next pass. So as not to wait a tick period
 *    for that, every pass also interrupts the other CPUs (an IPI), whose
 *    handler makes the same check the tick makes.
 *
 * The waiter polls every millisecond until no task is left. Nothing is
 * waited for that holds a lock or sleeps: a task inside one of these
 * pieces of code is only ever a few instructions from leaving it, and is
 * runnable.
 */
#include <kernel/tasks_rcu.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/mutex.h>
#include <kernel/nofault.h>
#include <kernel/panic.h>
#include <kernel/preempt.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <kernel/stacktrace.h>
#include <asm/irq_regs.h>
#include <asm/layout.h>
#include <asm/ptrace.h>
#include <lib/atomic.h>
#include <lib/errno.h>
#include <lib/string.h>

/* One wait at a time; the tick reads the published one under the lock. */
static DEFINE_MUTEX(tasks_rcu_mutex);
static DEFINE_SPINLOCK(tasks_rcu_lock);
static const struct code_range *wait_ranges;
static unsigned wait_nr;
static u64 wait_gen;		/* the wait in progress, 0 for none */
static u64 last_gen;

/* What one check of a task looks for, and what it found. */
struct tasks_scan {
	const struct code_range *r;
	unsigned n;
	bool *busy;		/* per range, or NULL: stop at the first hit */
	bool hit;
};

/* Note @addr if it lies in a range; false ends a frame walk. */
static bool scan_addr(void *arg, unsigned long addr)
{
	struct tasks_scan *s = arg;
	unsigned i;

	for (i = 0; i < s->n; i++) {
		if (addr < s->r[i].start || addr >= s->r[i].end)
			continue;
		s->hit = true;
		if (!s->busy)
			return false;
		s->busy[i] = true;
	}
	return true;
}

/*
 * Check the context of @t: the instruction pointer @ip (0: none), the
 * words at @sp (0: none) and the frames from @bp. @t is current (the tick)
 * or held off its CPU (sched_call_held()), so its stack stays still.
 */
static bool scan_context(struct task_struct *t, unsigned long ip, unsigned long sp,
			 unsigned long bp, struct tasks_scan *s)
{
	unsigned long leaf[STACK_LEAF_WORDS];
	unsigned i, n;

	if (ip && !scan_addr(s, ip))
		return true;
	n = sp ? arch_stack_leaf_words(sp, leaf) : 0;
	for (i = 0; i < n; i++)
		if (!scan_addr(s, leaf[i]))
			return true;
	if (bp)
		arch_stack_walk_task(scan_addr, s, t, bp);
	return s->hit;
}

/* sched_call_held() callback: 1 if the held task @t is inside. */
static int scan_held(struct task_struct *t, void *arg)
{
	return scan_context(t, READ_ONCE(t->preempt_ip), READ_ONCE(t->preempt_sp),
			    arch_task_frame_pointer(t), arg);
}

/*
 * One pass over every task. A task is done once seen outside every range
 * (or, with @s->busy, seen off its CPU at all: its ranges are marked).
 * Returns true when no task is left to wait for.
 */
static bool scan_tasks(u64 gen, struct tasks_scan *s)
{
	int online = READ_ONCE(nr_cpus_online);
	struct task_struct *t, *me = current;
	bool pending = false;
	unsigned long flags;

	tasklist_lock(&flags);
	list_for_each_entry(t, &task_list, tasks_node) {
		int in;

		/* We are not inside (we are here); a CPU not yet running
		 * tasks runs no code that can be patched or freed. */
		if (t == me || t->cpu >= online || READ_ONCE(t->tasks_rcu_gen) == gen)
			continue;
		s->hit = false;
		in = sched_call_held(t, scan_held, s);
		if (in == -EBUSY)
			pending = true;		/* on its CPU: the tick will see */
		else if (in && !s->busy)
			pending = true;		/* preempted inside: wait */
		else
			WRITE_ONCE(t->tasks_rcu_gen, gen);
	}
	tasklist_unlock(flags);
	return !pending;
}

/*
 * From every CPU's tick: while a waiter waits, check whether the task
 * this tick interrupted is inside a waited-for range (at its ip or in its
 * return addresses); if not, mark it seen for this generation. Hard
 * interrupt context, interrupts off.
 */
void tasks_rcu_tick(struct pt_regs *regs)
{
	struct task_struct *t = current;
	u64 gen = READ_ONCE(wait_gen);
	struct tasks_scan s;

	/*
	 * Only with preemption on in the interrupted code: a preempt-off
	 * section may be a trampoline's or detour's call to its handler,
	 * whose return address into it a frame walk from here may not
	 * reach in one piece. The next tick looks again.
	 */
	if (!gen || !t || preempt_count() != HARDIRQ_OFFSET || READ_ONCE(t->tasks_rcu_gen) == gen)
		return;
	spin_lock(&tasks_rcu_lock);		/* interrupts are off already */
	if (wait_gen == gen) {
		s = (struct tasks_scan){ .r = wait_ranges, .n = wait_nr };
		if (!scan_context(t, regs->ip, regs->sp, regs->bp, &s))
			WRITE_ONCE(t->tasks_rcu_gen, gen);
	}
	spin_unlock(&tasks_rcu_lock);
}

/* Asked by a waiter on another CPU: check now what the tick would check. */
static void tasks_rcu_ipi(void *unused __always_unused)
{
	struct pt_regs *regs = get_irq_regs();

	if (regs)			/* NULL: run here, not interrupted */
		tasks_rcu_tick(regs);
}

/* Publish @s, wait until scan_tasks() is satisfied, withdraw it. */
static void tasks_rcu_wait(struct tasks_scan *s)
{
	unsigned long flags;
	u64 gen;

	if (!s->n)
		return;
	WARN_ON(!preemptible());
	mutex_lock(&tasks_rcu_mutex);
	spin_lock_irqsave(&tasks_rcu_lock, flags);
	gen = ++last_gen;
	wait_ranges = s->r;
	wait_nr = s->n;
	WRITE_ONCE(wait_gen, gen);
	spin_unlock_irqrestore(&tasks_rcu_lock, flags);
	/*
	 * The caller closed the way in before calling; a tick or a pass
	 * that sees this generation must also see that (x86 keeps stores
	 * in order, the compiler is told to as well).
	 */
	smp_mb();
	while (!scan_tasks(gen, s)) {
		on_each_cpu_preemptible(tasks_rcu_ipi, NULL);
		if (scan_tasks(gen, s))
			break;
		/* msleep() returns at once for a thread asked to stop:
		 * yield then, so the task we wait for gets the CPU. */
		if (msleep(1))
			yield();
	}
	spin_lock_irqsave(&tasks_rcu_lock, flags);
	WRITE_ONCE(wait_gen, 0);
	wait_ranges = NULL;
	wait_nr = 0;
	spin_unlock_irqrestore(&tasks_rcu_lock, flags);
	mutex_unlock(&tasks_rcu_mutex);
	/* The caller's frees come after everything we read. */
	smp_mb();
}

/* Wait until no task is inside any of the @n ranges @r. Sleeps. */
void synchronize_rcu_tasks_ranges(const struct code_range *r, unsigned n)
{
	struct tasks_scan s = { .r = r, .n = n };

	tasks_rcu_wait(&s);
}

void synchronize_rcu_tasks_range(unsigned long start, unsigned long end)
{
	struct code_range r = { start, end };

	if (start < end)
		synchronize_rcu_tasks_ranges(&r, 1);
}

/* Wait for the whole run-time code area: the slowest, simplest form. */
void synchronize_rcu_tasks(void)
{
	synchronize_rcu_tasks_range(EXEC_AREA_BASE, EXEC_AREA_BASE + EXEC_AREA_SIZE);
}

/* Not a wait for the ranges to empty: a task found switched out inside
 * a range marks it in @busy instead of being waited for (the slot
 * collector keeps those). Returns how many are busy. Sleeps. */
unsigned tasks_rcu_find_held(const struct code_range *r, unsigned n, bool *busy)
{
	struct tasks_scan s = { .r = r, .n = n, .busy = busy };
	unsigned i, nbusy = 0;

	memset(busy, 0, n * sizeof(*busy));
	tasks_rcu_wait(&s);
	for (i = 0; i < n; i++)
		nbusy += busy[i];
	return nbusy;
}

/* Append [@start, @end) to @c, growing its array by doubling. 0 or
 * -ENOMEM (then @c is unchanged). */
int code_ranges_add(struct code_ranges *c, unsigned long start, unsigned long end)
{
	if (c->n == c->cap) {
		unsigned cap = c->cap ? 2 * c->cap : 8;
		struct code_range *r = kmalloc(cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		if (c->n)
			memcpy(r, c->r, c->n * sizeof(*r));
		kfree(c->r);
		c->r = r;
		c->cap = cap;
	}
	c->r[c->n++] = (struct code_range){ start, end };
	return 0;
}

void code_ranges_free(struct code_ranges *c)
{
	kfree(c->r);
	*c = (struct code_ranges){ 0 };
}
