/* SPDX-License-Identifier: MIT */
/* The calls up from the arch into the generic kernel: start-up once the
 * hardware is up, the timer tick, the interrupt exit, a new thread. */
#ifndef KERNEL_MAIN_H
#define KERNEL_MAIN_H

#include <lib/types.h>

struct pt_regs;

__attribute__((noreturn)) void kernel_main(void);

/* The timer interrupt, HZ times a second. */
void timer_tick(struct pt_regs *regs);

/* On the way out of every device interrupt, interrupts off: where the
 * scheduler preempts the interrupted task. */
void irq_exit_hook(struct pt_regs *regs);

/* Where a new thread starts, called by the arch's first switch to it
 * (ret_from_kthread) with the task switched away from. Never returns. */
struct task_struct;
void kthread_entry(struct task_struct *prev);

#endif
