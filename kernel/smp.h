/* SPDX-License-Identifier: MIT */
/* CPUs: how many exist, which one this is. */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <asm/percpu.h>

#define NR_CPUS		8

extern int nr_cpus_online;
DECLARE_PER_CPU(unsigned int, cpu_number);

static inline unsigned smp_processor_id(void)
{
	return this_cpu_read(cpu_number);
}

/*
 * Run @fn(@arg) on every online CPU and wait until all have. Today only
 * the boot CPU runs, so this calls @fn here; with more CPUs it becomes an
 * IPI (CALL_FUNCTION_VECTOR) and a wait for each CPU's acknowledgement.
 */
void on_each_cpu(void (*fn)(void *arg), void *arg);

#endif
