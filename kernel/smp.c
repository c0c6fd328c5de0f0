// SPDX-License-Identifier: MIT
/* Cross-CPU calls (see smp.h). */
#include <kernel/smp.h>
#include <asm/irqflags.h>

void on_each_cpu(void (*fn)(void *arg), void *arg)
{
	unsigned long flags;

	/* nr_cpus_online is 1: the only CPU is this one. */
	local_irq_save(flags);
	fn(arg);
	local_irq_restore(flags);
}
