// SPDX-License-Identifier: MIT
/*
 * Which CPUs exist and bringing them up (see smp.h).
 *
 * The arch fills cpu_info[] at boot from firmware tables (CPU 0 is the
 * boot CPU). smp_init() then starts the others one at a time: a per-CPU
 * area, a stack that becomes the idle task's, the arch's start-up, the
 * idle task and run queue, and only then the word that lets the new CPU
 * take interrupts and run tasks. A line in the kernel log gives the time
 * each took. A CPU that does not come up is reported and left out; the
 * rest still start.
 */
#include <kernel/smp.h>
#include <kernel/sched.h>
#include <kernel/printk.h>
#include <kernel/time.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/mm/vmap.h>
#include <asm/layout.h>
#include <lib/atomic.h>
#include <lib/errno.h>

struct cpu_info cpu_info[NR_CPUS] = { [0] = { .state = CPU_ONLINE } };
int nr_cpus_present = 1;
DEFINE_PER_CPU(struct cpu_stats, cpu_stats);

/* The word `cpus` and /proc/cpuinfo print for @state. */
const char *cpu_state_name(enum cpu_state state)
{
	switch (state) {
	case CPU_ABSENT:	return "absent";
	case CPU_PRESENT:	return "present";
	case CPU_FAILED:	return "failed";
	case CPU_STARTING:	return "starting";
	case CPU_ONLINE:	return "online";
	}
	return "?";
}

/* Start @cpu, give it its idle task, let it run. 0 or -errno. */
static int cpu_up(int cpu)
{
	struct task_struct *idle;
	void *stack;
	u64 start;
	int err;

	err = arch_cpu_prepare(cpu);
	if (err)
		return err;
	idle = kzalloc(sizeof(*idle));
	stack = stack_alloc();
	if (!idle || !stack) {
		err = -ENOMEM;
		goto err_free;
	}
	start = clock_ns();
	err = arch_cpu_start(cpu, (unsigned long)stack + KERNEL_STACK_SIZE);
	if (err)
		goto err_free;
	cpu_info[cpu].boot_ns = clock_ns() - start;
	/* It runs on @stack now, spinning until it is online. */
	idle_task_init(idle, cpu, stack);
	sched_init_cpu(cpu, idle);
	fetch_add_relaxed(&nr_cpus_online, 1);
	smp_store_release(&cpu_info[cpu].state, CPU_ONLINE);
	return 0;

err_free:
	if (stack)
		stack_free(stack);
	kfree(idle);
	return err;
}

/* Boot, on CPU 0 with interrupts off: start every present CPU in turn. */
void smp_init(void)
{
	int cpu, err;

	for (cpu = 1; cpu < NR_CPUS; cpu++) {
		if (cpu_info[cpu].state != CPU_PRESENT)
			continue;
		err = cpu_up(cpu);
		if (err) {
			cpu_info[cpu].state = CPU_FAILED;
			pr_err("smp: CPU%d (APIC id %u) did not come up: %s\n", cpu,
			       cpu_info[cpu].apic_id, errno_message(err));
			continue;
		}
		pr_info("smp: CPU%d (APIC id %u) up in %llu us, online\n", cpu,
			cpu_info[cpu].apic_id, (unsigned long long)(cpu_info[cpu].boot_ns / 1000));
	}
	arch_smp_boot_done();
	if (nr_cpus_present > 1)
		pr_info("smp: %d of %d CPUs online\n", nr_cpus_online, nr_cpus_present);
}
