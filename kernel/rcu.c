// SPDX-License-Identifier: MIT
/*
 * RCU: grace-period detection, deferred callbacks, and the barrier.
 *
 * Quiescent states. Each CPU counts them: the scheduler counts context
 * switches (sched_switch_count()) and every other pass through it, and
 * the timer tick adds one whenever it interrupts code with a preempt
 * count of zero - idle, or any task code outside rcu_read_lock() and
 * spinlocks. Readers run with preemption off, so none of these can
 * happen in the middle of one. synchronize_rcu() snapshots
 * every online CPU's count and sleeps until each has moved.
 *
 * Expedited. Waiting for the ticks costs a tick period per grace period,
 * and tracing's register/unregister paths wait several grace periods
 * each. So synchronize_rcu() first asks every other CPU with an IPI: the
 * interrupt, like a tick, counts a quiescent state if it found its CPU
 * preemptible (Linux's expedited grace periods ask the same question).
 * A CPU inside a reader cannot answer yet; as Linux does, the IPI asks
 * for a reschedule, so that the reader's last preempt_enable() passes
 * through the scheduler, which counts one (rcu_note_context_switch()).
 * A reader with interrupts off (an int3 handler) ends without that call:
 * the IPI is sent again for a quarter of a tick period, as such readers
 * last microseconds, and only then does the wait fall back to the ticks.
 * The caller's own CPU needs no question: the caller runs there with
 * preemption on, so no reader is running there now.
 *
 * Callbacks. call_rcu() pushes the rcu_head on one lock-free list
 * (lib/llist.h), which is safe from any context and takes no lock that
 * the caller might already hold. It wakes nobody, for the same reason: a
 * wake-up takes the run-queue lock, and call_rcu() may be called from code
 * that holds it. The timer tick, which runs where no such lock is held,
 * wakes the rcu thread when the list is not empty. The thread takes the
 * whole list at once (a batch), waits for a grace period - every callback
 * in the batch was queued before the grace period began - and runs the
 * batch oldest first. Callbacks queued meanwhile wait for the next batch,
 * so callbacks run in the order they were queued, which rcu_barrier()
 * relies on.
 */
#include <kernel/rcu.h>
#include <kernel/nokprobe.h>
#include <kernel/panic.h>
#include <kernel/preempt.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <kernel/wait.h>
#include <lib/atomic.h>

/* Quiescent states of this CPU other than context switches: ticks and
 * IPIs that found it preemptible, and passes through the scheduler. */
static DEFINE_PER_CPU(u64, rcu_other_qs);

/* How long an expedited grace period asks again before it waits for the
 * ticks: a quarter of a tick period. */
#define RCU_EXP_NS	(NSEC_PER_SEC / HZ / 4)

/* Callbacks queued and not yet taken by the rcu thread, newest first. */
static LLIST_HEAD(rcu_pending);
static DECLARE_WAIT_QUEUE_HEAD(rcu_wq);

u64 rcu_qs_count(int cpu)
{
	u64 other = smp_load_relaxed(per_cpu_ptr(&rcu_other_qs, cpu));

	return sched_switch_count(cpu) + other;
}

/* In an interrupt: count a quiescent state if it interrupted a
 * preemptible context. irq_enter() added one hard-interrupt level; if
 * that is all the count holds, the interrupted code was not inside a
 * read-side section. */
static bool rcu_irq_qs(void)
{
	if (preempt_count() != HARDIRQ_OFFSET)
		return false;
	this_cpu_inc(rcu_other_qs);
	return true;
}

/* From __schedule(): the caller had preemption on, so no reader runs. */
notrace void rcu_note_context_switch(void)
{
	this_cpu_inc(rcu_other_qs);
}
NOKPROBE_SYMBOL(rcu_note_context_switch);

/* An expedited grace period's question; see the top of the file. */
static void rcu_exp_handler(void *unused __always_unused)
{
	if (!in_hardirq())
		return;		/* the caller's own CPU, called directly */
	if (!rcu_irq_qs())
		this_cpu_write(need_resched_flag, true);
}

/* Has every online CPU but @me moved past its count in @snap? */
static bool rcu_all_moved(const u64 *snap, int me)
{
	int cpu;

	for_each_online_cpu(cpu)
		if (cpu != me && rcu_qs_count(cpu) == snap[cpu])
			return false;
	return true;
}

/*
 * Wait until every CPU has passed a quiescent state since the call, so
 * that no reader still holds what the caller unpublished. Other CPUs are
 * asked at once (an IPI that counts a quiescent state if it interrupted
 * preemptible code) rather than at their next tick. Process context,
 * preemptible; sleeps.
 */
void synchronize_rcu(void)
{
	u64 snap[NR_CPUS];
	int cpu, me;
	bool ask = false;
	u64 until;

	/* Sleeping in a read-side section would end it early: a bug. */
	WARN_ON(!preemptible());
	/*
	 * The caller's unpublishing store must be visible to every CPU
	 * before we read their counts: otherwise a CPU could pass a
	 * quiescent state after our snapshot and still load the old
	 * pointer in its next reader (a store may wait in this CPU's store
	 * buffer past later loads, even on x86).
	 */
	smp_mb();
	me = smp_processor_id();	/* quiescent: see the top of the file */
	for_each_online_cpu(cpu) {
		snap[cpu] = rcu_qs_count(cpu);
		ask |= cpu != me;
	}
	until = clock_ns() + RCU_EXP_NS;
	while (ask && !rcu_all_moved(snap, me) && clock_ns() < until)
		on_each_cpu_preemptible(rcu_exp_handler, NULL);	/* here: counts nothing */
	for_each_online_cpu(cpu) {
		/* A CPU that was in a reader moves at its next switch or
		 * preemptible tick. */
		while (cpu != me && rcu_qs_count(cpu) == snap[cpu])
			if (msleep(1))
				yield();	/* asked to stop: still let the CPU go */
	}
	/* And the caller's frees come after every count we read. */
	smp_mb();
}

/* Queue @func(@head) to run after a grace period, on the rcu thread.
 * Lock-free and never sleeps: any context, probe handlers included. */
void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	head->func = func;
	/* Fully ordered: the caller's last stores to the object come first. */
	llist_add(&head->node, &rcu_pending);
}
NOKPROBE_SYMBOL(call_rcu);

/* From every CPU's tick (interrupts off): count a quiescent state if the
 * tick interrupted preemptible code, and wake the rcu thread if
 * callbacks wait. */
void rcu_sched_clock_irq(void)
{
	rcu_irq_qs();
	if (!llist_empty(&rcu_pending))
		wake_up(&rcu_wq);
}

/* Run a batch of callbacks, given oldest first. Each may free its head. */
static void rcu_invoke(struct llist_node *batch)
{
	struct llist_node *pos, *next;

	llist_for_each_safe(pos, next, batch) {
		struct rcu_head *head = llist_entry(pos, struct rcu_head, node);

		head->func(head);
	}
}

/* The rcu thread: take a batch, wait a grace period, run it; forever. */
static int rcu_thread(void *unused __always_unused)
{
	for (;;) {
		struct llist_node *batch;

		wait_event(rcu_wq, !llist_empty(&rcu_pending));
		batch = llist_del_all(&rcu_pending);
		synchronize_rcu();
		rcu_invoke(llist_reverse_order(batch));
	}
	return 0;
}

struct rcu_barrier_req {
	struct rcu_head head;
	struct completion done;
};

static void rcu_barrier_cb(struct rcu_head *head)
{
	complete(&container_of(head, struct rcu_barrier_req, head)->done);
}

/* Wait until every callback queued before the call has run. Sleeps. */
void rcu_barrier(void)
{
	struct rcu_barrier_req req;

	/*
	 * Callbacks run in queue order, so when ours has run, so has every
	 * one queued before it. We may sleep, so we can wake the thread now
	 * rather than at the next tick.
	 */
	init_completion(&req.done);
	call_rcu(&req.head, rcu_barrier_cb);
	wake_up(&rcu_wq);
	wait_for_completion(&req.done);
}

/* Boot: start the thread that runs callbacks. */
void rcu_init(void)
{
	if (!kthread_run(rcu_thread, NULL, "rcu"))
		panic("rcu_init: cannot start the rcu thread");
}
