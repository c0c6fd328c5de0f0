/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for asm/irqflags.h: a test thread has no interrupts, so
 * saving and restoring the flag does nothing.
 */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#define local_irq_save(flags)	((flags) = 0)
#define local_irq_restore(flags)	((void)(flags))

#endif
