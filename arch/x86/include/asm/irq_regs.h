/* SPDX-License-Identifier: MIT */
/*
 * Where this CPU was interrupted, for code that runs inside a device
 * interrupt (vector 32 and up) but is not handed the registers: a
 * function another CPU asked this one to run (kernel/smp_call.c) and
 * that wants to look at what the interrupt stopped.
 */
#ifndef ASM_IRQ_REGS_H
#define ASM_IRQ_REGS_H

#include <asm/percpu.h>
#include <asm/ptrace.h>

DECLARE_PER_CPU(struct pt_regs *, irq_regs);

/* The innermost device interrupt's registers, or NULL outside one. */
static inline struct pt_regs *get_irq_regs(void)
{
	return this_cpu_read(irq_regs);
}

/* Set by the interrupt entry; returns the outer value to put back. */
static inline struct pt_regs *set_irq_regs(struct pt_regs *regs)
{
	struct pt_regs *old = this_cpu_read(irq_regs);

	this_cpu_write(irq_regs, regs);
	return old;
}

#endif /* ASM_IRQ_REGS_H */
