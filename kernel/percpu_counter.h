/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU counters: one unsigned long per CPU, added to on the CPU that
 * counts and summed over the CPUs when someone reads.
 *
 * A counter shared by all CPUs (even an atomic one) bounces its cache
 * line between them when N CPUs hit the same probe at once; Linux keeps
 * trace_kprobe's nhit per CPU for that reason. Here each counter is a word
 * in a block reserved in every CPU's per-CPU area (asm/percpu.h), and a
 * count is one instruction on this CPU's own word: safe against
 * preemption and interrupts without disabling either.
 *
 *	struct pcpu_counter c;
 *	pcpu_counter_init(&c);		0, or -ENOMEM when the block is full
 *	pcpu_counter_inc(&c);		any context, one instruction
 *	pcpu_counter_sum(&c);		any context; a moment's total
 *	pcpu_counter_destroy(&c);
 */
#ifndef KERNEL_PERCPU_COUNTER_H
#define KERNEL_PERCPU_COUNTER_H

#include <asm/percpu.h>
#include <lib/compiler.h>

/* Counters the block holds: every registered kprobe and probe event has one. */
#define PCPU_COUNTER_SLOTS	4096

/**
 * struct pcpu_counter - a counter with a word on every CPU
 * @addr: the word's address in the per-CPU template (each CPU's own is
 *        that plus its offset, as for any per-CPU variable); 0 when not
 *        initialised
 */
struct pcpu_counter {
	unsigned long addr;
};

/**
 * pcpu_counter_init - give @c a word on every CPU, all zero
 * Returns 0, or -ENOMEM if all PCPU_COUNTER_SLOTS are taken.
 * Context: any that may take a spinlock.
 */
int pcpu_counter_init(struct pcpu_counter *c);

/* Give @c's word back (nothing may count on it any more). */
void pcpu_counter_destroy(struct pcpu_counter *c);

/* Count one on this CPU. @c must be initialised. */
static __always_inline void pcpu_counter_inc(struct pcpu_counter *c)
{
	this_cpu_add_at(c->addr, 1);
}

/* The sum over the CPUs; 0 for a counter never initialised. */
unsigned long pcpu_counter_sum(const struct pcpu_counter *c);

/* Zero @c on every CPU (counts racing with this may survive it). */
void pcpu_counter_reset(struct pcpu_counter *c);

#endif /* KERNEL_PERCPU_COUNTER_H */
