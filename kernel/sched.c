// SPDX-License-Identifier: MIT
/*
 * The scheduler: per-CPU run queues, round robin with time slices.
 *
 * Each CPU has a queue of runnable tasks (not including the one running)
 * guarded by its lock with interrupts off. schedule() puts the current
 * task back at the tail if it is still runnable, takes the head, and
 * switches. The timer tick counts down the running task's slice and sets
 * need_resched; the return path of the interrupt (irq_exit_hook) then
 * preempts it, as does preempt_enable() when it drops the count to zero.
 *
 * The run-queue lock is held across the switch and released by whichever
 * task runs next: the tail of schedule() for a task that slept in it,
 * kthread_entry() for a new one. So a waker on another CPU, who takes the
 * same lock, never finds a task half switched out.
 *
 * Which CPU. A task stays on the CPU it was placed on: a new kernel thread
 * on its creator's, unless kthread_bind() says otherwise - `run` places
 * each workload on the least busy CPU (sched_pick_cpu()), or on the one a
 * person names. There is no migration afterwards. That is the simplest
 * scheme that spreads work and keeps every question "which CPU is this
 * task on?" answerable by reading t->cpu; Linux balances load by moving
 * tasks between queues, which this kernel's workloads do not need.
 */
#include <kernel/sched.h>
#include <kernel/main.h>
#include <kernel/preempt.h>
#include <kernel/rcu.h>
#include <kernel/spinlock.h>
#include <kernel/time.h>
#include <kernel/nokprobe.h>
#include <kernel/panic.h>
#include <kernel/smp.h>
#include <trace/trace_cmdlines.h>
#include <asm/ptrace.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>
#include <lib/atomic.h>
#include <lib/errno.h>

struct run_queue {
	spinlock_t lock;
	struct list_head queue;		/* runnable, not running */
	struct list_head sleepers;	/* asleep with a deadline (wake_at_ns) */
	struct task_struct *idle;
	u64 switches;			/* context switches: RCU quiescent states */
};

static DEFINE_PER_CPU(struct run_queue, run_queues);
DEFINE_PER_CPU(struct task_struct *, current_task);

/* The run queue of the CPU @t is placed on (tasks never migrate). */
static struct run_queue *task_rq(struct task_struct *t)
{
	return per_cpu_ptr(&run_queues, t->cpu);
}

/* Context switches @cpu has made: read without its lock, a moment's value. */
u64 sched_switch_count(int cpu)
{
	return smp_load_relaxed(&per_cpu_ptr(&run_queues, cpu)->switches);
}

bool task_curr(const struct task_struct *t)
{
	return READ_ONCE(per_cpu(current_task, t->cpu)) == t;
}

/* The task sched_call_held() holds on this CPU, if any. */
static DEFINE_PER_CPU(struct task_struct *, held_task);

/* See sched.h. Interrupts are off and @t's run-queue lock held while @fn
 * runs; held_task nests, so @fn may hold a second task. */
int sched_call_held(struct task_struct *t, int (*fn)(struct task_struct *t, void *arg),
		      void *arg)
{
	struct run_queue *rq = task_rq(t);
	struct task_struct *outer;
	unsigned long flags;
	int ret = -EBUSY;

	/*
	 * A switch to @t happens under its queue's lock, and the one before
	 * it (away from @t) has finished by the time we get the lock.
	 */
	spin_lock_irqsave(&rq->lock, flags);
	if (!task_curr(t)) {
		outer = this_cpu_read(held_task);
		this_cpu_write(held_task, t);
		ret = fn(t, arg);
		this_cpu_write(held_task, outer);
	}
	spin_unlock_irqrestore(&rq->lock, flags);
	return ret;
}

/* May this CPU read @t's stack now: it is current, or held here? Any
 * context; read by the stack walkers on trap paths, hence unprobed. */
bool sched_task_held(const struct task_struct *t)
{
	return t == current || this_cpu_read(held_task) == t;
}
NOKPROBE_SYMBOL(sched_task_held);

/* Put @t at the tail of @rq, unless already queued or it is the idle
 * task (which runs only when the queue is empty). rq->lock held. */
static void enqueue(struct run_queue *rq, struct task_struct *t)
{
	if (t->on_rq || t == rq->idle)
		return;
	list_add_tail(&t->run_node, &rq->queue);
	t->on_rq = true;
}

/* Take the head of @rq's queue, or its idle task. rq->lock held. */
static struct task_struct *pick_next(struct run_queue *rq)
{
	struct task_struct *t;

	if (list_empty(&rq->queue))
		return rq->idle;
	t = list_first_entry(&rq->queue, struct task_struct, run_node);
	list_del_init(&t->run_node);
	t->on_rq = false;
	return t;
}

/* Charge the CPU time since the last switch to @prev and start @next's. */
static void account_switch(struct task_struct *prev, struct task_struct *next)
{
	u64 now = clock_ns();

	prev->cpu_time_ns += now - prev->switched_in_ns;
	next->switched_in_ns = now;
	next->slice_left = SCHED_SLICE_TICKS;
}


/*
 * Give the CPU to the next runnable task. @preempt: the current task is
 * being preempted, so it stays runnable whatever state it set. Returns
 * when the current task is chosen again. Context: a task with preempt
 * count 0, or an interrupt on its way out (irq_exit_hook()); takes the
 * run-queue lock with interrupts off, held across the switch (see the
 * top).
 */
static void __schedule(bool preempt)
{
	struct task_struct *prev = current, *next;
	struct run_queue *rq;
	unsigned long flags;

	local_irq_save(flags);
	rcu_note_context_switch();
	rq = this_cpu_ptr(&run_queues);
	spin_lock(&rq->lock);
	/* A preempted task stays runnable whatever it was about to do. */
	if (prev->state == TASK_RUNNING || (preempt && prev->state != TASK_DEAD))
		enqueue(rq, prev);
	else if (prev->state == TASK_SLEEPING && prev->wake_at_ns)
		list_add_tail(&prev->run_node, &rq->sleepers);	/* for the tick */
	next = pick_next(rq);
	this_cpu_write(need_resched_flag, false);
	if (next == prev) {
		prev->slice_left = SCHED_SLICE_TICKS;	/* nobody else: a new slice */
		spin_unlock(&rq->lock);
		local_irq_restore(flags);
		return;
	}
	account_switch(prev, next);
	trace_cmdline_switch(prev);	/* saved_cmdlines */
	rq->switches++;
	this_cpu_write(current_task, next);
	prev = __switch_to_asm(prev, next);
	/* Now running as next, on its stack; prev is the task we left. */
	spin_unlock(&rq->lock);
	local_irq_restore(flags);
	finish_task_switch(prev);
}

/* Sleep if current->state says so, else let the others run first. */
void schedule(void)
{
	__schedule(false);
}

void yield(void)
{
	__schedule(true);
}

/*
 * notrace, as in Linux: preempt_enable() calls it at the end of the rethook
 * return path too. Traced, a return hook on it would return through that
 * path, whose preempt_enable() calls it again - for ever while interrupts
 * are off and the pending preemption cannot happen (fprobe on `*`).
 */
notrace void preempt_schedule(void)
{
	if (preempt_count() || irqs_disabled())
		return;
	__schedule(true);
}
NOKPROBE_SYMBOL(preempt_schedule);

/* The interrupt return path: preempt if the slice ended or a wake-up asks. */
void irq_exit_hook(struct pt_regs *regs)
{
	struct task_struct *t = current;

	if (!t || preempt_count() || arch_in_trampoline_code(regs->ip))
		return;
	/* A compute-only workload asked to stop leaves from here, once: on
	 * its way out it is no longer stopped anywhere (kthread_exit()). */
	if (t->kthread_stop && t->async_kill && arch_regs_in_kernel_text(regs)) {
		t->async_kill = false;
		arch_redirect_to_exit(t, regs);
	}
	if (this_cpu_read(need_resched_flag)) {
		/* Where it stopped: code in use there must not be freed or
		 * rewritten until it resumes (kernel/tasks_rcu.c). */
		t->preempt_ip = regs->ip;
		t->preempt_sp = regs->sp;
		__schedule(true);
		t->preempt_ip = 0;
		t->preempt_sp = 0;
	}
}

/*
 * Make a sleeping @t runnable and queue it on its CPU, kicking that CPU
 * if it idles. Returns true if @t was asleep. Any context, interrupts
 * included: the lock is taken with interrupts off.
 */
/*
 * wake_up_process() with @rq (@t's) locked: true if @t was asleep. Sets
 * *@kick if @t's CPU idles and must be told.
 */
static bool wake_locked(struct run_queue *rq, struct task_struct *t, bool *kick)
{
	bool woke = false;

	if (t->state == TASK_SLEEPING) {
		t->state = TASK_RUNNING;
		/* Off rq->sleepers if a deadline had put it there (a task
		 * preempted on its way to sleep is queued instead). */
		if (!t->on_rq)
			list_del_init(&t->run_node);
		woke = true;
	}
	/* A task still on its CPU (maybe on its way into schedule()) is not
	 * queued: schedule() sees it runnable and keeps or requeues it. */
	if (t->state == TASK_RUNNING && per_cpu(current_task, t->cpu) != t) {
		enqueue(rq, t);
		*kick = per_cpu(current_task, t->cpu) == rq->idle;
	}
	return woke;
}

bool wake_up_process(struct task_struct *t)
{
	struct run_queue *rq = task_rq(t);
	unsigned long flags;
	bool woke, kick = false;

	spin_lock_irqsave(&rq->lock, flags);
	woke = wake_locked(rq, t, &kick);
	spin_unlock_irqrestore(&rq->lock, flags);
	if (kick)
		smp_send_reschedule(t->cpu);	/* an idle CPU: wake it now */
	return woke;
}

/* Choose @t's CPU; only before it is first woken, as it never moves. */
void kthread_bind(struct task_struct *t, int cpu)
{
	t->cpu = cpu;
}

/* Live tasks that want a CPU (running or runnable), not counting idle. */
static unsigned cpu_load(int cpu)
{
	struct task_struct *t;
	unsigned load = 0;

	list_for_each_entry(t, &task_list, tasks_node)
		if (t->cpu == cpu && t->state == TASK_RUNNING && t->pid)
			load++;
	return load;
}

/* The online CPU with the fewest runnable tasks (the lowest number on
 * ties), for `run` and for jobs. A snapshot: loads change at once. */
int sched_pick_cpu(void)
{
	unsigned long flags;
	unsigned best_load = ~0u;
	int cpu, best = 0;

	tasklist_lock(&flags);
	for_each_online_cpu(cpu) {
		unsigned load = cpu_load(cpu);

		if (load < best_load) {
			best = cpu;
			best_load = load;
		}
	}
	tasklist_unlock(flags);
	return best;
}

/*
 * Sleep at least @ms milliseconds; the tick of this CPU wakes the task
 * (wake_expired_sleepers()). Returns 0, or -EINTR as soon as the task is
 * asked to stop (kill), so that a killed thread does not sleep on.
 * Process context.
 */
int msleep(u64 ms)
{
	struct task_struct *me = current;

	me->wake_at_ns = clock_ns() + ms * NSEC_PER_MSEC;
	while (clock_ns() < me->wake_at_ns) {
		if (me->kthread_stop) {
			me->wake_at_ns = 0;
			return -EINTR;
		}
		me->state = TASK_SLEEPING;
		schedule();
	}
	me->wake_at_ns = 0;
	return 0;
}

/*
 * Wake every sleeper of this CPU whose deadline has passed (each CPU's
 * tick wakes its own, from its run queue's list of sleepers with a
 * deadline: no global lock, no walk over every task). Interrupts are off.
 * Returns true if one woke: it then preempts the running task at this
 * tick rather than at the end of its slice, so msleep() is accurate to a
 * tick even beside a task that never sleeps.
 */
static bool wake_expired_sleepers(void)
{
	struct run_queue *rq = this_cpu_ptr(&run_queues);
	struct task_struct *t, *tmp;
	u64 now = clock_ns();
	bool woke = false, kick = false;

	spin_lock(&rq->lock);
	list_for_each_entry_safe(t, tmp, &rq->sleepers, run_node)
		if (now >= t->wake_at_ns)
			woke |= wake_locked(rq, t, &kick);	/* our CPU: no kick */
	spin_unlock(&rq->lock);
	return woke;
}

/*
 * Every tick, on every CPU, in the timer interrupt: wake expired
 * sleepers, end the running task's slice, and get an idle CPU to look
 * at its queue. It only sets need_resched: the switch happens on the
 * way out of the interrupt (irq_exit_hook()).
 */
void sched_tick(void)
{
	struct task_struct *t = current;

	if (!t)
		return;
	if (wake_expired_sleepers())
		this_cpu_write(need_resched_flag, true);
	if (t == this_cpu_ptr(&run_queues)->idle) {
		if (!list_empty(&this_cpu_ptr(&run_queues)->queue))
			this_cpu_write(need_resched_flag, true);
		return;
	}
	if (t->slice_left && --t->slice_left == 0)
		this_cpu_write(need_resched_flag, true);
}

/* The idle loop each CPU ends in: halt until an interrupt, switch when
 * something is runnable. Never returns. */
void cpu_idle(void)
{
	for (;;) {
		local_irq_disable();
		if (this_cpu_read(need_resched_flag)) {
			local_irq_enable();
			schedule();
			continue;
		}
		cpu_safe_halt();	/* sti; hlt: no wake-up slips in between */
	}
}

/* The first thing a new thread does (kthread_entry()): drop the lock the
 * task that switched to it took, and let interrupts in. */
void sched_unlock_after_switch(void)
{
	spin_unlock(&this_cpu_ptr(&run_queues)->lock);
	local_irq_enable();
}

/*
 * @idle becomes @cpu's idle task: the boot context for CPU 0, the start-up
 * stack for the others. Called from the boot CPU for every CPU, before
 * that CPU may take its first tick.
 */
void sched_init_cpu(int cpu, struct task_struct *idle)
{
	struct run_queue *rq = per_cpu_ptr(&run_queues, cpu);

	spin_lock_init(&rq->lock);
	INIT_LIST_HEAD(&rq->queue);
	INIT_LIST_HEAD(&rq->sleepers);
	rq->idle = idle;
	idle->switched_in_ns = clock_ns();
	WRITE_ONCE(per_cpu(current_task, cpu), idle);
}
