// SPDX-License-Identifier: MIT
/* Wait queues and completions (see wait.h). */
#include <kernel/wait.h>
#include <kernel/sched.h>
#include <kernel/time.h>

/* An empty queue; for one not defined with DECLARE_WAIT_QUEUE_HEAD. */
void init_waitqueue_head(struct wait_queue_head *wq)
{
	spin_lock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->waiters);
}

/* Mark current sleeping and queue it (once) on @wq. */
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *e)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	if (e->task != current) {
		e->task = current;
		list_add_tail(&e->node, &wq->waiters);
	}
	current->state = TASK_SLEEPING;
	spin_unlock_irqrestore(&wq->lock, flags);
}

/* Back to running and off @wq: a wake-up does not unqueue a waiter, each
 * leaves the queue itself, here. Process context. */
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *e)
{
	unsigned long flags;

	current->state = TASK_RUNNING;
	spin_lock_irqsave(&wq->lock, flags);
	if (e->task == current)
		list_del_init(&e->node);
	e->task = NULL;
	spin_unlock_irqrestore(&wq->lock, flags);
}

/* Wake every waiter on @wq; the caller holds wq->lock. */
static void __wake_up_locked(struct wait_queue_head *wq)
{
	struct wait_queue_entry *e;

	list_for_each_entry(e, &wq->waiters, node)
		wake_up_process(e->task);
}

/* Wake every task sleeping on @wq. Any context, interrupts included
 * (the UART interrupt wakes the console reader this way). */
void wake_up(struct wait_queue_head *wq)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	__wake_up_locked(wq);
	spin_unlock_irqrestore(&wq->lock, flags);
}

/* Not done, nobody waiting. */
void init_completion(struct completion *c)
{
	c->done = 0;
	init_waitqueue_head(&c->wq);
}

/*
 * complete() and complete_all() count and wake under one hold of the lock.
 * A completion usually lives on the waiter's stack: once the waiter can
 * see the count it may return and reuse that memory, and it can only see
 * the count after we drop the lock (try_take() and finish_wait() take
 * it). Releasing the lock between the count and the wake-up would let
 * the waiter go while we still had c->wq to touch.
 */
void complete(struct completion *c)
{
	unsigned long flags;

	spin_lock_irqsave(&c->wq.lock, flags);
	c->done++;
	__wake_up_locked(&c->wq);
	spin_unlock_irqrestore(&c->wq.lock, flags);
}

/* Done for every waiter, present and future: the count is set so high
 * that no number of waits takes it to zero. Any context. */
void complete_all(struct completion *c)
{
	unsigned long flags;

	spin_lock_irqsave(&c->wq.lock, flags);
	c->done = ~0U / 2;
	__wake_up_locked(&c->wq);
	spin_unlock_irqrestore(&c->wq.lock, flags);
}

/* Consume one completion if there is one. */
static bool try_take(struct completion *c)
{
	unsigned long flags;
	bool taken = false;

	spin_lock_irqsave(&c->wq.lock, flags);
	if (c->done) {
		c->done--;
		taken = true;
	}
	spin_unlock_irqrestore(&c->wq.lock, flags);
	return taken;
}

/* Sleep until @c is completed, and take one completion. Process context. */
void wait_for_completion(struct completion *c)
{
	wait_event(c->wq, try_take(c));
}

/* As above, giving up after @ms milliseconds: true if it was completed
 * (and one completion taken), false on timeout. Process context. */
bool wait_for_completion_timeout(struct completion *c, u64 ms)
{
	u64 deadline = clock_ns() + ms * NSEC_PER_MSEC;
	bool done = false;

	/* The sleep deadline doubles as a wake-up when time runs out. */
	current->wake_at_ns = deadline;
	wait_event(c->wq, (done = try_take(c)) || clock_ns() >= deadline);
	current->wake_at_ns = 0;
	return done;
}
