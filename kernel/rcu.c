// SPDX-License-Identifier: MIT
/*
 * The grace-period detector: snapshot each online CPU's context-switch
 * count, then sleep until every count has moved (see rcu.h).
 */
#include <kernel/rcu.h>
#include <kernel/sched.h>
#include <kernel/smp.h>

void synchronize_rcu(void)
{
	u64 snap[NR_CPUS];
	int cpu;

	for (cpu = 0; cpu < nr_cpus_online; cpu++)
		snap[cpu] = sched_switch_count(cpu);
	for (cpu = 0; cpu < nr_cpus_online; cpu++) {
		/* Sleeping switches this CPU; other CPUs switch on their own. */
		while (sched_switch_count(cpu) == snap[cpu])
			msleep(1);
	}
}
