/* SPDX-License-Identifier: MIT */
/*
 * RCU (read-copy update): readers that take no lock, writers that wait.
 *
 * A reader brackets its use of shared pointers with rcu_read_lock() /
 * rcu_read_unlock(), which only turn preemption off, and loads them with
 * rcu_dereference(). A writer publishes a new version with
 * rcu_assign_pointer() and may free the old one only after a *grace
 * period*: a span of time during which every CPU has passed through a
 * *quiescent state*, a moment at which it cannot be inside a read-side
 * section. Here a CPU is quiescent when it context-switches (a reader
 * never sleeps or gets preempted) and when the timer tick finds it
 * preemptible - running idle, or ordinary task code with a preempt count
 * of zero (kernel/rcu.c). Every read-side section that was running when
 * the grace period began has then ended.
 *
 * The writer either waits for a grace period itself, synchronize_rcu(),
 * or hands a callback to call_rcu(), which may be called from any context
 * (interrupt handlers, the return trampoline of rethook, with interrupts
 * off) and never blocks. Callbacks run later in the "rcu" kernel thread,
 * in the order they were queued; rcu_barrier() waits until every callback
 * queued before it has run.
 */
#ifndef KERNEL_RCU_H
#define KERNEL_RCU_H

#include <kernel/preempt.h>
#include <lib/atomic.h>
#include <lib/compiler.h>
#include <lib/llist.h>
#include <lib/types.h>

struct rcu_head;
typedef void (*rcu_callback_t)(struct rcu_head *head);

/*
 * struct rcu_head - embed one in an object to free it with call_rcu().
 * Its contents belong to RCU from call_rcu() until the callback runs.
 */
struct rcu_head {
	struct llist_node node;		/* on the list of pending callbacks */
	rcu_callback_t func;
};

/* Begin and end a read-side section. Context: any; must not sleep inside. */
static inline void rcu_read_lock(void)
{
	preempt_disable();
}

static inline void rcu_read_unlock(void)
{
	preempt_enable();
}

/*
 * rcu_dereference(p) loads an RCU-protected pointer inside a read-side
 * section; whatever it points to is as initialised as it was when it was
 * published. rcu_assign_pointer(p, v) publishes v: every store the writer
 * made to *v before is visible to a reader that loads v.
 */
#define rcu_dereference(p)		smp_load_consume(&(p))
#define rcu_assign_pointer(p, v)	smp_store_release(&(p), (v))

/**
 * synchronize_rcu - wait for a grace period
 *
 * Returns once every read-side section that had begun when it was called
 * has ended. Context: task, preemptible; sleeps (a few ticks).
 */
void synchronize_rcu(void);

/**
 * call_rcu - run @func(@head) after a grace period
 * @head: in the object the callback will free; untouched until then
 * @func: the callback. It runs in the rcu thread, with preemption on, and
 *        must not sleep: one day it may run from an interrupt.
 *
 * Context: any, including interrupts and preemption or interrupts off;
 * never blocks and never allocates. The rcu thread notices new callbacks
 * at the next timer tick.
 */
void call_rcu(struct rcu_head *head, rcu_callback_t func);

/**
 * rcu_barrier - wait until every callback queued so far has run
 *
 * Use it before checking that deferred frees have happened (leak checks)
 * or before freeing code or data the callbacks use. Context: task, may
 * sleep; not from an RCU callback (it would wait for itself).
 */
void rcu_barrier(void);

/* Start the callback thread. Called once by kernel_main(), after sched_init(). */
void rcu_init(void);

/*
 * From the timer tick, inside irq_enter(): count a quiescent state if the
 * tick interrupted preemptible code, and wake the rcu thread if callbacks
 * are waiting.
 */
void rcu_sched_clock_irq(void);

/* From the scheduler, whether or not it switches: a quiescent state. */
void rcu_note_context_switch(void);

/*
 * Quiescent states seen on @cpu so far (context switches, preemptible
 * ticks and IPIs, passes through the scheduler). A grace period is over when every online CPU's count has moved.
 * Exposed for the self-tests and for curiosity.
 */
u64 rcu_qs_count(int cpu);

#endif /* KERNEL_RCU_H */
