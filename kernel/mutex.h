/* SPDX-License-Identifier: MIT */
/*
 * Mutexes: sleeping locks for task context. A task that finds the mutex
 * held sleeps on its wait queue instead of spinning. Never take one in an
 * interrupt handler or with preemption off.
 */
#ifndef KERNEL_MUTEX_H
#define KERNEL_MUTEX_H

#include <kernel/wait.h>

struct task_struct;

struct mutex {
	struct task_struct *owner;	/* NULL when free */
	struct wait_queue_head wq;
};

#define MUTEX_INIT(name)	{ NULL, WAIT_QUEUE_HEAD_INIT(name.wq) }
#define DEFINE_MUTEX(name)	struct mutex name = MUTEX_INIT(name)

void mutex_init(struct mutex *m);
void mutex_lock(struct mutex *m);
bool mutex_trylock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_is_locked(struct mutex *m);

#endif
