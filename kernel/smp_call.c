// SPDX-License-Identifier: MIT
/*
 * Asking other CPUs to do something: run a function, or reschedule.
 *
 * A function call to another CPU is a request on that CPU's call queue (a
 * lock-free list, lib/llist.h) and an interrupt (CALL_FUNCTION_VECTOR)
 * that makes it look. The request lives on the caller's stack, so the
 * caller waits until the target has run it and said so (->done); the
 * target reads everything it needs from a request before it says so.
 *
 * Waiting is a spin, because the point is usually that *every* CPU has
 * done something (executed a serializing instruction after a code patch,
 * flushed a TLB entry) before the caller goes on. A caller that spins
 * with interrupts off could deadlock with another doing the same towards
 * it, so while it waits it also runs the requests queued for its own CPU.
 * It must still not hold a spinlock that the target may be spinning on
 * with interrupts off: the rule Linux has for smp_call_function() too.
 *
 * Rescheduling another CPU (after queueing a task there, see kernel/sched.c)
 * needs no data: the waker sets that CPU's need_resched flag, and the
 * interrupt's only job is to make the return path look at it.
 */
#include <kernel/smp.h>
#include <kernel/preempt.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>
#include <lib/atomic.h>
#include <lib/errno.h>
#include <lib/llist.h>

struct call_request {
	struct llist_node node;
	void (*fn)(void *arg);
	void *arg;
	int done;		/* set by the target once fn has returned */
};

static DEFINE_PER_CPU(struct llist_head, call_queue);

/* Run what is queued for this CPU, oldest first. Interrupts are off. */
void smp_call_function_interrupt(void)
{
	struct llist_node *batch = llist_del_all(this_cpu_ptr(&call_queue));
	struct llist_node *pos, *next;

	llist_for_each_safe(pos, next, llist_reverse_order(batch)) {
		struct call_request *req = llist_entry(pos, struct call_request, node);

		req->fn(req->arg);
		/* After this store the caller may return and reuse its stack. */
		smp_store_release(&req->done, 1);
	}
}

static void queue_request(int cpu, struct call_request *req)
{
	/* Only the first request on an empty queue needs an interrupt. */
	if (llist_add(&req->node, per_cpu_ptr(&call_queue, cpu)))
		arch_send_call_function_ipi(cpu);
}

/* Spin until the target says @req ran; with interrupts off, serve this
 * CPU's own queue meanwhile (see the top: two CPUs asking each other). */
static void wait_for_request(struct call_request *req)
{
	while (!smp_load_acquire(&req->done)) {
		if (irqs_disabled())
			smp_call_function_interrupt();
		cpu_relax();
	}
}

/* Run @fn on this CPU as an IPI would: with interrupts off. */
static void run_here(void (*fn)(void *arg), void *arg)
{
	unsigned long flags;

	local_irq_save(flags);
	fn(arg);
	local_irq_restore(flags);
}

/*
 * Run @fn(@arg) on @cpu, with interrupts off there, and wait until it
 * has run. Returns 0 or -ENXIO (no such CPU online). The caller may not
 * hold a spinlock with interrupts off: the target could be waiting on
 * it, and this waits on the target.
 */
int smp_call_function_single(int cpu, void (*fn)(void *arg), void *arg)
{
	struct call_request req = { .fn = fn, .arg = arg };

	if (cpu < 0 || cpu >= NR_CPUS || !cpu_online(cpu))
		return -ENXIO;
	preempt_disable();		/* stay on this CPU while we compare */
	if (cpu == (int)smp_processor_id())
		run_here(fn, arg);
	else {
		queue_request(cpu, &req);
		wait_for_request(&req);
	}
	preempt_enable();
	return 0;
}

/* Queue @fn on every other online CPU and run it here; say where it was
 * sent. Preemption is off. */
static void queue_each_cpu(void (*fn)(void *arg), void *arg, struct call_request *req, bool *sent)
{
	int cpu, me = smp_processor_id();

	for_each_online_cpu(cpu) {
		if (cpu == me)
			continue;
		req[cpu] = (struct call_request){ .fn = fn, .arg = arg };
		queue_request(cpu, &req[cpu]);
		sent[cpu] = true;
	}
	run_here(fn, arg);
}

/* Run @fn(@arg) on every online CPU (this one included) and wait for
 * all of them. Preemption is off while it waits; same rule as above. */
void on_each_cpu(void (*fn)(void *arg), void *arg)
{
	struct call_request req[NR_CPUS];
	bool sent[NR_CPUS] = { false };	/* a CPU may come online meanwhile */
	int cpu;

	preempt_disable();
	queue_each_cpu(fn, arg, req, sent);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (sent[cpu])
			wait_for_request(&req[cpu]);
	preempt_enable();
}

/*
 * A CPU that keeps interrupts off for long (a probe handler that spins)
 * answers late. on_each_cpu()'s caller waits for it with preemption off,
 * so the tasks queued behind the caller wait too. Here the caller waits
 * preemptibly: the tick sends it to the back of its queue like any task
 * that spins. Fine for the questions RCU asks, which only need each CPU
 * to have looked at some point.
 */
void on_each_cpu_preemptible(void (*fn)(void *arg), void *arg)
{
	struct call_request req[NR_CPUS];
	bool sent[NR_CPUS] = { false };
	int cpu;

	preempt_disable();
	queue_each_cpu(fn, arg, req, sent);
	preempt_enable();
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		while (sent[cpu] && !smp_load_acquire(&req[cpu].done))
			cpu_relax();
}

void smp_send_reschedule(int cpu)
{
	WRITE_ONCE(per_cpu(need_resched_flag, cpu), true);
	if (cpu != (int)smp_processor_id())
		arch_send_reschedule_ipi(cpu);
}
