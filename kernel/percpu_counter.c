// SPDX-License-Identifier: MIT
/*
 * Per-CPU counters (kernel/percpu_counter.h): a block of words in the
 * per-CPU template, so that every CPU's copy has it too, handed out one
 * word at a time from a bitmap.
 *
 * A CPU brought up later starts from the template as linked, where the
 * block is zero; a word handed out again is zeroed on every CPU that has
 * an area. CPUs with an area are the boot CPU (offset 0, the template
 * itself) and those arch_cpu_prepare() gave one (a non-zero offset).
 */
#include <kernel/percpu_counter.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <lib/errno.h>

#define BITS_PER_WORD	(8 * sizeof(unsigned long))

static DEFINE_PER_CPU(unsigned long[PCPU_COUNTER_SLOTS], pcpu_counter_block);
static unsigned long used[PCPU_COUNTER_SLOTS / BITS_PER_WORD];
static DEFINE_SPINLOCK(pcpu_counter_lock);

/* Has @cpu a per-CPU area of its own (or is it the boot CPU's template)? */
static bool cpu_has_area(int cpu)
{
	return cpu == 0 || __per_cpu_offset[cpu] != 0;
}

/* @c's word on @cpu. */
static unsigned long *slot_on(const struct pcpu_counter *c, int cpu)
{
	return per_cpu_ptr((unsigned long *)c->addr, cpu);
}

/* Zero @c on every CPU that has an area. Not atomic against increments
 * on other CPUs: a count racing with it may survive. */
void pcpu_counter_reset(struct pcpu_counter *c)
{
	int cpu;

	if (!c->addr)
		return;
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu_has_area(cpu))
			WRITE_ONCE(*slot_on(c, cpu), 0);
}

/* Take a free word of the block for @c, zeroed everywhere. 0, or -ENOMEM
 * when all PCPU_COUNTER_SLOTS are in use. Any context (a spinlock). */
int pcpu_counter_init(struct pcpu_counter *c)
{
	unsigned long flags;
	unsigned i;

	c->addr = 0;
	spin_lock_irqsave(&pcpu_counter_lock, flags);
	for (i = 0; i < PCPU_COUNTER_SLOTS; i++) {
		if (!(used[i / BITS_PER_WORD] & (1UL << (i % BITS_PER_WORD)))) {
			used[i / BITS_PER_WORD] |= 1UL << (i % BITS_PER_WORD);
			c->addr = (unsigned long)&pcpu_counter_block[i];
			break;
		}
	}
	spin_unlock_irqrestore(&pcpu_counter_lock, flags);
	if (!c->addr)
		return -ENOMEM;
	pcpu_counter_reset(c);
	return 0;
}

/* Give @c's word back. The caller makes sure no CPU still increments
 * it (kprobes: after the grace period of unregistering). */
void pcpu_counter_destroy(struct pcpu_counter *c)
{
	unsigned long flags;
	unsigned i;

	if (!c->addr)
		return;
	i = (unsigned)((unsigned long *)c->addr - pcpu_counter_block);
	spin_lock_irqsave(&pcpu_counter_lock, flags);
	used[i / BITS_PER_WORD] &= ~(1UL << (i % BITS_PER_WORD));
	spin_unlock_irqrestore(&pcpu_counter_lock, flags);
	c->addr = 0;
}

/* The total over every CPU, without stopping them: a moment's value. */
unsigned long pcpu_counter_sum(const struct pcpu_counter *c)
{
	unsigned long sum = 0;
	int cpu;

	if (!c->addr)
		return 0;
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu_has_area(cpu))
			sum += READ_ONCE(*slot_on(c, cpu));
	return sum;
}
