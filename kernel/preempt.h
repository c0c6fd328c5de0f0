/* SPDX-License-Identifier: MIT */
/*
 * preempt_count: a per-CPU counter that says what context the CPU is in
 * and whether it may be preempted. As in Linux, its bits are split:
 *
 *	bits  0-7	preempt_disable() nesting
 *	bits  8-15	softirq-like (bottom half) nesting
 *	bits 16-19	hard interrupt nesting
 *	bits 20-23	NMI-like nesting (NMI, and the int3/debug trap path)
 *
 * The tracing recursion guards read the context from these bits.
 */
#ifndef KERNEL_PREEMPT_H
#define KERNEL_PREEMPT_H

#include <asm/percpu.h>
#include <lib/compiler.h>

#define PREEMPT_OFFSET	(1U << 0)
#define SOFTIRQ_OFFSET	(1U << 8)
#define HARDIRQ_OFFSET	(1U << 16)
#define NMI_OFFSET	(1U << 20)

#define PREEMPT_MASK	0x000000ffU
#define SOFTIRQ_MASK	0x0000ff00U
#define HARDIRQ_MASK	0x000f0000U
#define NMI_MASK	0x00f00000U

DECLARE_PER_CPU(unsigned int, __preempt_count);
DECLARE_PER_CPU(bool, need_resched_flag);

static inline unsigned int preempt_count(void)
{
	return this_cpu_read(__preempt_count);
}


void preempt_schedule(void);	/* kernel/sched: called when preemption is due */

static inline void preempt_disable(void)
{
	this_cpu_inc(__preempt_count);
	barrier();
}

static inline void preempt_enable_no_resched(void)
{
	barrier();
	this_cpu_dec(__preempt_count);
}

static inline void preempt_enable(void)
{
	preempt_enable_no_resched();
	if (__builtin_expect(this_cpu_read(need_resched_flag), 0) && preempt_count() == 0)
		preempt_schedule();
}

#define in_nmi()		(preempt_count() & NMI_MASK)
#define in_hardirq()		(preempt_count() & HARDIRQ_MASK)
#define in_softirq()		(preempt_count() & SOFTIRQ_MASK)
#define in_interrupt()		(preempt_count() & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_MASK))
#define in_task()		(!in_interrupt())
#define preemptible()		(preempt_count() == 0)

static inline void irq_enter(void) { this_cpu_add(__preempt_count, HARDIRQ_OFFSET); barrier(); }
static inline void irq_exit(void)  { barrier(); this_cpu_sub(__preempt_count, HARDIRQ_OFFSET); }
static inline void nmi_enter(void) { this_cpu_add(__preempt_count, NMI_OFFSET); barrier(); }
static inline void nmi_exit(void)  { barrier(); this_cpu_sub(__preempt_count, NMI_OFFSET); }

#endif /* KERNEL_PREEMPT_H */
