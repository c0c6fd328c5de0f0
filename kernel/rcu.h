/* SPDX-License-Identifier: MIT */
/*
 * RCU, the read side and the grace period.
 *
 * Readers run with preemption off (rcu_read_lock), so a CPU that has
 * context-switched since a given moment has finished every read-side
 * section that was running then. synchronize_rcu() waits until every
 * online CPU has done so: a grace period.
 */
#ifndef KERNEL_RCU_H
#define KERNEL_RCU_H

#include <kernel/preempt.h>
#include <lib/compiler.h>

static inline void rcu_read_lock(void)
{
	preempt_disable();
}

static inline void rcu_read_unlock(void)
{
	preempt_enable();
}

#define rcu_dereference(p)		__atomic_load_n(&(p), __ATOMIC_CONSUME)
#define rcu_assign_pointer(p, v)	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)

/* Wait for a grace period. Context: task, sleeps. */
void synchronize_rcu(void);

#endif
