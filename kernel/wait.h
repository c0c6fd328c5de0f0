/* SPDX-License-Identifier: MIT */
/*
 * Wait queues and completions: how a task sleeps until something happens.
 *
 *	wait_event(wq, cond)	sleep until cond is true (re-checked after
 *				every wake-up, so spurious wake-ups are fine)
 *	wake_up(wq)		wake every waiter; safe from interrupts
 *
 * The waiter marks itself sleeping *before* testing the condition, so a
 * wake-up between the test and schedule() is never lost: it just makes the
 * task runnable again and schedule() returns at once.
 */
#ifndef KERNEL_WAIT_H
#define KERNEL_WAIT_H

#include <kernel/spinlock.h>
#include <lib/list.h>

struct task_struct;

struct wait_queue_head {
	spinlock_t lock;
	struct list_head waiters;
};

struct wait_queue_entry {
	struct task_struct *task;
	struct list_head node;
};

#define WAIT_QUEUE_HEAD_INIT(name) { SPINLOCK_INIT, LIST_HEAD_INIT(name.waiters) }
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	struct wait_queue_head name = WAIT_QUEUE_HEAD_INIT(name)

void init_waitqueue_head(struct wait_queue_head *wq);
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *e);
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *e);
void wake_up(struct wait_queue_head *wq);

void schedule(void);

#define wait_event(wq, cond)						\
do {									\
	struct wait_queue_entry __e = { .task = NULL };			\
	for (;;) {							\
		prepare_to_wait(&(wq), &__e);				\
		if (cond)						\
			break;						\
		schedule();						\
	}								\
	finish_wait(&(wq), &__e);					\
} while (0)

/* A one-shot (or counted) event: complete() once, wait once. */
struct completion {
	unsigned done;
	struct wait_queue_head wq;
};

void init_completion(struct completion *c);
void complete(struct completion *c);
void complete_all(struct completion *c);
void wait_for_completion(struct completion *c);
/* Wait at most @ms; returns true if completed, false on timeout. */
bool wait_for_completion_timeout(struct completion *c, u64 ms);

#endif
