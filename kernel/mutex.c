// SPDX-License-Identifier: MIT
/*
 * Mutexes (see mutex.h). The owner field is the lock word: taking the
 * mutex is one compare-and-swap from NULL to the current task. Waiters
 * sleep on the wait queue and try again when woken; unlock wakes them all
 * and the first to run takes it (simple, and fine at this scale).
 */
#include <kernel/mutex.h>
#include <kernel/sched.h>
#include <kernel/panic.h>
#include <lib/atomic.h>

void mutex_init(struct mutex *m)
{
	m->owner = NULL;
	init_waitqueue_head(&m->wq);
}

/* Take @m if it is free; never sleeps. */
bool mutex_trylock(struct mutex *m)
{
	struct task_struct *expected = NULL;

	return try_cmpxchg_acquire(&m->owner, &expected, current);
}

/* Take @m, sleeping until it is free. Process context only. */
void mutex_lock(struct mutex *m)
{
	if (mutex_trylock(m))
		return;
	wait_event(m->wq, mutex_trylock(m));
}

/* Release @m (only its owner may) and wake every waiter to race for it. */
void mutex_unlock(struct mutex *m)
{
	if (m->owner != current)
		panic("mutex_unlock: %p not held by pid %d", (void *)m, current->pid);
	smp_store_release(&m->owner, NULL);
	wake_up(&m->wq);
}

bool mutex_is_locked(struct mutex *m)
{
	return smp_load_relaxed(&m->owner) != NULL;
}
