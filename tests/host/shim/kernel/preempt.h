/* SPDX-License-Identifier: MIT */
/* Host stand-in for kernel/preempt.h: a per-thread count and nothing else. */
#ifndef KERNEL_PREEMPT_H
#define KERNEL_PREEMPT_H

extern __thread unsigned host_preempt_count;

static inline void preempt_disable(void) { host_preempt_count++; }
static inline void preempt_enable(void) { host_preempt_count--; }
static inline unsigned preempt_count(void) { return host_preempt_count; }
#define preemptible()	(preempt_count() == 0)

#endif
