/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for kernel/rcu.h. call_rcu() only queues; the test decides
 * when a grace period has passed by calling host_rcu_run(), which runs
 * everything queued so far, oldest first.
 */
#ifndef KERNEL_RCU_H
#define KERNEL_RCU_H

#include <kernel/preempt.h>
#include <lib/llist.h>

struct rcu_head;
typedef void (*rcu_callback_t)(struct rcu_head *head);

struct rcu_head {
	struct llist_node node;
	rcu_callback_t func;
};

static inline void rcu_read_lock(void) { preempt_disable(); }
static inline void rcu_read_unlock(void) { preempt_enable(); }

#define rcu_dereference(p)		__atomic_load_n(&(p), __ATOMIC_CONSUME)
#define rcu_assign_pointer(p, v)	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)

void call_rcu(struct rcu_head *head, rcu_callback_t func);
/* Run every queued callback (a grace period ended). Returns how many. */
int host_rcu_run(void);

#endif
