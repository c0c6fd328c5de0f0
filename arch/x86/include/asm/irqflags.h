/* SPDX-License-Identifier: MIT */
/* The local CPU's interrupt flag: save, restore, enable, disable. */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#include <lib/types.h>

#define X86_FLAGS_IF	(1UL << 9)

static inline unsigned long arch_local_save_flags(void)
{
	unsigned long flags;

	asm volatile("pushf; pop %0" : "=rm"(flags) : : "memory");
	return flags;
}

static inline void local_irq_disable(void)
{
	asm volatile("cli" : : : "memory");
}

static inline void local_irq_enable(void)
{
	asm volatile("sti" : : : "memory");
}

static inline bool irqs_disabled(void)
{
	return !(arch_local_save_flags() & X86_FLAGS_IF);
}

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = arch_local_save_flags();

	local_irq_disable();
	return flags;
}

/* Interrupts were usually on: likely() keeps the STI in line, so the
 * common case does not jump out to it and back (probe hit paths). */
static inline void local_irq_restore(unsigned long flags)
{
	if (__builtin_expect(!!(flags & X86_FLAGS_IF), 1))
		local_irq_enable();
}

/* Were interrupts off in @flags (from arch_local_save_flags())? */
static inline bool arch_irqs_disabled_flags(unsigned long flags)
{
	return !(flags & X86_FLAGS_IF);
}

#define local_irq_save(flags)	((flags) = arch_local_irq_save())

#endif /* ASM_IRQFLAGS_H */
