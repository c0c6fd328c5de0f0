/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for kernel/smp.h: what rethook's per-CPU node caches use.
 * Each test thread plays one CPU; the test sets host_cpu (0 unless set)
 * and defines nr_cpus_present.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#define NR_CPUS		8

extern __thread unsigned host_cpu;
extern int nr_cpus_present;

static inline unsigned smp_processor_id(void)
{
	return host_cpu;
}

#endif
