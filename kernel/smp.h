/* SPDX-License-Identifier: MIT */
/*
 * CPUs: how many exist, which one this is, what each is doing.
 *
 * Bring-up happens in two steps, and Loupe is between them. The boot CPU
 * (CPU 0) runs every task. The other CPUs that ACPI's MADT lists are
 * started (INIT-SIPI-SIPI, arch/x86/smpboot.c) and then *parked*: each has
 * its own stacks, descriptor tables, per-CPU area and idle task, and takes
 * its own timer tick, but runs no task and no code that tracing patches
 * or probes - the scheduler is not yet per-CPU and text patching does not
 * yet synchronize other CPUs. The next step gives them tasks.
 *
 * So there are two counts. nr_cpus_online is the number of CPUs that run
 * tasks (Linux calls these "active"): per-CPU pools, ring buffers, RCU
 * and on_each_cpu() are sized and run by it, and it stays 1 for now.
 * nr_cpus_up counts every CPU started, parked ones included.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <lib/types.h>
#include <lib/compiler.h>
#include <asm/percpu.h>

#define NR_CPUS		8

enum cpu_state {
	CPU_ABSENT,		/* no such CPU */
	CPU_PRESENT,		/* listed by firmware, not started */
	CPU_FAILED,		/* did not answer its start-up */
	CPU_PARKED,		/* started, takes its tick, runs no tasks yet */
	CPU_ONLINE,		/* runs tasks */
};

struct cpu_info {
	enum cpu_state state;
	u32 apic_id;		/* the interrupt controller's id for this CPU */
	u64 boot_ns;		/* how long its start-up took */
};

extern struct cpu_info cpu_info[NR_CPUS];
extern int nr_cpus_present;	/* CPUs listed, up to NR_CPUS */
extern int nr_cpus_up;		/* started: online + parked */
extern int nr_cpus_online;	/* running tasks (see above) */

DECLARE_PER_CPU(unsigned int, cpu_number);

/* Per-CPU counters that `cpus` and /proc/cpuinfo show. */
struct cpu_stats {
	u64 ticks;		/* local timer interrupts */
	u64 irqs;		/* every interrupt (vectors 32-255) */
	u64 int3;		/* breakpoint traps (#BP, vector 3) */
	u64 debug;		/* debug traps (#DB, vector 1): single-steps */
	u64 page_faults;	/* page faults (#PF, vector 14) */
};
DECLARE_PER_CPU(struct cpu_stats, cpu_stats);

static inline unsigned smp_processor_id(void)
{
	return this_cpu_read(cpu_number);
}

/* Is this CPU parked (it must then run nothing traceable)? Any context. */
static inline bool this_cpu_parked(void)
{
	return READ_ONCE(cpu_info[smp_processor_id()].state) == CPU_PARKED;
}

const char *cpu_state_name(enum cpu_state state);

/*
 * Start every present CPU and park it (kernel_main(), after sched_init():
 * each CPU gets an idle task). Reports each CPU in the kernel log.
 */
void smp_init(void);
/* /proc/cpuinfo (kernel/cpuinfo.c; the `cpus` command lives there too). */
void cpuinfo_init(void);

/*
 * The arch's half of smp_init().
 * arch_cpu_prepare(): give @cpu its per-CPU area. 0 or -ENOMEM.
 * arch_cpu_start(): start @cpu on a stack whose top is @stack_top; return
 * once it is parked (0), or -ETIMEDOUT / -EIO if it did not come up (it
 * is then reset again and touches nothing).
 */
int arch_cpu_prepare(int cpu);
int arch_cpu_start(int cpu, unsigned long stack_top);
/* After the last start: undo what only bring-up needed (the trampoline). */
void arch_smp_boot_done(void);

/*
 * Run @fn(@arg) on every CPU that runs tasks and wait until all have.
 * Today only the boot CPU does, so this calls @fn here; parked CPUs run
 * nothing @fn could be about (no patched text, no tracing). With tasks on
 * every CPU it becomes an IPI (CALL_FUNCTION_VECTOR) and a wait.
 */
void on_each_cpu(void (*fn)(void *arg), void *arg);

#endif
