/* SPDX-License-Identifier: MIT */
/* Generic start-up, called by the arch once the hardware is up. */
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

#endif
