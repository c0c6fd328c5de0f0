/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for kernel/preempt.h: a per-thread count and nothing else.
 * A signal handler playing an interrupt may change it under the thread,
 * hence the atomics.
 */
#ifndef KERNEL_PREEMPT_H
#define KERNEL_PREEMPT_H

extern __thread unsigned host_preempt_count;

static inline void preempt_disable(void)
{
	__atomic_fetch_add(&host_preempt_count, 1, __ATOMIC_RELAXED);
}

static inline void preempt_enable(void)
{
	__atomic_fetch_sub(&host_preempt_count, 1, __ATOMIC_RELAXED);
}

/* Nobody to reschedule on the host: the same as preempt_enable(). */
static inline void preempt_enable_no_resched(void)
{
	preempt_enable();
}

static inline unsigned preempt_count(void)
{
	return host_preempt_count;
}
#define preemptible()	(preempt_count() == 0)

#endif
