// SPDX-License-Identifier: MIT
/*
 * Which CPUs exist and bringing them up (see smp.h), and cross-CPU calls.
 *
 * The arch fills cpu_info[] at boot from firmware tables (CPU 0 is the
 * boot CPU). smp_init() then starts the others one at a time: a per-CPU
 * area, a stack that becomes the idle task's, the arch's start-up, and a
 * line in the kernel log with the time it took. A CPU that does not come
 * up is reported and left out; the rest still start.
 */
#include <kernel/smp.h>
#include <kernel/sched.h>
#include <kernel/printk.h>
#include <kernel/time.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/mm/vmap.h>
#include <asm/irqflags.h>
#include <asm/layout.h>
#include <lib/errno.h>

struct cpu_info cpu_info[NR_CPUS] = { [0] = { .state = CPU_ONLINE } };
int nr_cpus_present = 1;
int nr_cpus_up = 1;
DEFINE_PER_CPU(struct cpu_stats, cpu_stats);

const char *cpu_state_name(enum cpu_state state)
{
	switch (state) {
	case CPU_ABSENT:	return "absent";
	case CPU_PRESENT:	return "present";
	case CPU_FAILED:	return "failed";
	case CPU_PARKED:	return "parked";
	case CPU_ONLINE:	return "online";
	}
	return "?";
}

/* Start @cpu and give it its idle task. 0 or -errno (reported by the caller). */
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
	/* The CPU runs on @stack from now on, but reads none of this yet. */
	idle_task_init(idle, cpu, stack);
	sched_init_cpu(cpu, idle);
	return 0;

err_free:
	if (stack)
		stack_free(stack);
	kfree(idle);
	return err;
}

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
		nr_cpus_up++;
		pr_info("smp: CPU%d (APIC id %u) up in %llu us, parked\n", cpu,
			cpu_info[cpu].apic_id, (unsigned long long)(cpu_info[cpu].boot_ns / 1000));
	}
	arch_smp_boot_done();
	if (nr_cpus_present > 1)
		pr_info("smp: %d of %d CPUs up; CPU0 runs tasks, %d parked (idle, taking their "
			"timer ticks, no tasks yet: the scheduler is not per-CPU)\n",
			nr_cpus_up, nr_cpus_present, nr_cpus_up - nr_cpus_online);
}

void on_each_cpu(void (*fn)(void *arg), void *arg)
{
	unsigned long flags;

	/* nr_cpus_online is 1: the only CPU running tasks is this one. */
	local_irq_save(flags);
	fn(arg);
	local_irq_restore(flags);
}
