// SPDX-License-Identifier: MIT
/*
 * What each CPU is doing, for people: the `cpus` console command and the
 * /proc/cpuinfo pseudo-file.
 *
 * Both list every CPU the firmware reported (up to NR_CPUS) with its
 * local APIC id, its state (online: runs tasks; failed: did not answer
 * its start-up - see kernel/smp.h), its counters (timer ticks, context
 * switches, interrupts) and the task it runs now. Counters of
 * other CPUs are read without stopping them, so they are a moment's
 * snapshot, each one exact but not all from the same instant.
 */
#include <kernel/smp.h>
#include <kernel/sched.h>
#include <kernel/shell.h>
#include <kernel/console.h>
#include <kernel/pseudofs.h>
#include <kernel/printk.h>
#include <kernel/rcu.h>
#include <asm/cpu.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/string.h>

/* Another CPU's counters, read without a lock: each read is whole (a
 * u64 load), the set is not one instant (see the top). */
static u64 cpu_ticks(int cpu)
{
	return READ_ONCE(per_cpu(cpu_stats, cpu).ticks);
}

static u64 cpu_irqs(int cpu)
{
	return READ_ONCE(per_cpu(cpu_stats, cpu).irqs);
}

/* Has @cpu a per-CPU area whose counters mean something? */
static bool cpu_was_started(int cpu)
{
	enum cpu_state st = READ_ONCE(cpu_info[cpu].state);

	return st == CPU_ONLINE;
}

/* The name of the task on @cpu now, copied into @comm: a task is freed
 * only a grace period after it died (kernel/kthread.c). */
static const char *cpu_running_comm(int cpu, char comm[TASK_COMM_LEN])
{
	const struct task_struct *t;

	rcu_read_lock();
	t = READ_ONCE(per_cpu(current_task, cpu));
	strscpy(comm, t ? t->comm : "-", TASK_COMM_LEN);
	rcu_read_unlock();
	return comm;
}

/* The table `cpus` prints: one line per CPU the firmware listed. A CPU
 * that never came online shows only its APIC id and state: it has no
 * counters to show. */
static void cpus_show(struct seq_out *s)
{
	char comm[TASK_COMM_LEN];
	int cpu;

	seq_printf(s, "CPU APIC STATE        TICKS   SWITCHES       IRQS RUNNING\n");
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		enum cpu_state st = READ_ONCE(cpu_info[cpu].state);

		if (st == CPU_ABSENT)
			continue;
		if (!cpu_was_started(cpu)) {
			seq_printf(s, "%3d %4u %s\n", cpu, cpu_info[cpu].apic_id, cpu_state_name(st));
			continue;
		}
		seq_printf(s, "%3d %4u %-7s %10llu %10llu %10llu %s\n", cpu, cpu_info[cpu].apic_id,
			   cpu_state_name(st), (unsigned long long)cpu_ticks(cpu),
			   (unsigned long long)sched_switch_count(cpu),
			   (unsigned long long)cpu_irqs(cpu), cpu_running_comm(cpu, comm));
	}
	seq_printf(s, "CPUs online: %d of %d present\n", nr_cpus_online, nr_cpus_present);
}

/* cpus: printed as a command's output (a seq_out without a buffer), so
 * it can be piped. */
static int cmd_cpus(int argc, char **argv __always_unused)
{
	struct seq_out s = { 0 };

	if (argc != 1)
		return -EINVAL;
	cpus_show(&s);
	return 0;
}
SHELL_COMMAND(SHELL_SYSTEM, "cpus", "", "list CPUs: APIC id, state, ticks, context switches, interrupts, "
	      "the task running now", cmd_cpus);

/* The processor's brand string, as CPUID leaves 0x80000002-4 give it. */
static void cpu_model_name(char name[49])
{
	u32 *regs = (u32 *)name, a, b, c, d;
	unsigned i;

	name[0] = '\0';
	cpuid(0x80000000, &a, &b, &c, &d);
	if (a < 0x80000004)
		return;
	for (i = 0; i < 3; i++)
		cpuid(0x80000002 + i, &regs[4 * i], &regs[4 * i + 1], &regs[4 * i + 2],
		      &regs[4 * i + 3]);
	name[48] = '\0';
}

/* Linux's layout, one block per CPU, with Loupe's counters. */
static int cpuinfo_show(struct seq_out *s, void *data __always_unused)
{
	char model[49] __attribute__((aligned(4)));
	int cpu;

	cpu_model_name(model);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!cpu_was_started(cpu))
			continue;
		seq_printf(s, "processor\t: %d\n", cpu);
		seq_printf(s, "model name\t: %s\n", model);
		seq_printf(s, "apicid\t\t: %u\n", cpu_info[cpu].apic_id);
		seq_printf(s, "state\t\t: %s\n", cpu_state_name(READ_ONCE(cpu_info[cpu].state)));
		if (cpu)
			seq_printf(s, "start-up\t: %llu us (INIT to online)\n",
				   (unsigned long long)(cpu_info[cpu].boot_ns / 1000));
		else
			seq_printf(s, "start-up\t: boot CPU\n");
		seq_printf(s, "ticks\t\t: %llu\n", (unsigned long long)cpu_ticks(cpu));
		seq_printf(s, "context switches: %llu\n", (unsigned long long)sched_switch_count(cpu));
		seq_printf(s, "interrupts\t: %llu\n\n", (unsigned long long)cpu_irqs(cpu));
	}
	return 0;
}

static const struct pfs_file_ops cpuinfo_ops = { .show = cpuinfo_show };

/* Boot: create /proc/cpuinfo; failing only costs the file, so warn. */
void cpuinfo_init(void)
{
	struct pfs_node *proc = pfs_mkdir_p("/proc");

	if (!proc || !pfs_create_file(proc, "cpuinfo", false, &cpuinfo_ops, NULL))
		pr_warn("cpuinfo: cannot create /proc/cpuinfo\n");
}
