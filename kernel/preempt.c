// SPDX-License-Identifier: MIT
/* The per-CPU preemption and context counters (see preempt.h). */
#include <kernel/preempt.h>
#include <kernel/main.h>

DEFINE_PER_CPU(unsigned int, __preempt_count);
DEFINE_PER_CPU(bool, need_resched_flag);

/* Until the scheduler exists nothing is ever preempted. */
__attribute__((weak)) void preempt_schedule(void) { }
__attribute__((weak)) void irq_exit_hook(struct pt_regs *regs) { (void)regs; }
