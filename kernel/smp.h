/* SPDX-License-Identifier: MIT */
/*
 * CPUs: how many exist, which one this is, what each is doing, and how
 * one asks another to do something.
 *
 * The boot CPU (CPU 0) starts the others that ACPI's MADT lists
 * (INIT-SIPI-SIPI, arch/x86/smpboot.c). Each gets its own stacks,
 * descriptor tables, per-CPU area, timer tick and idle task, and from then
 * on it runs tasks like CPU 0: its own run queue (kernel/sched.c), its own
 * ring buffer, its own probe state.
 *
 * Counts. nr_cpus_present is what Linux calls the possible CPUs: those
 * firmware lists, numbered 0 .. nr_cpus_present - 1; per-CPU pools and
 * buffers are sized by it. nr_cpus_online counts those that came up and
 * run tasks; a CPU that failed to start leaves a hole, so walk them with
 * for_each_online_cpu().
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <kernel/arch.h>
#include <lib/types.h>
#include <lib/compiler.h>
#include <asm/percpu.h>

#define NR_CPUS		8

enum cpu_state {
	CPU_ABSENT,		/* no such CPU */
	CPU_PRESENT,		/* listed by firmware, not started */
	CPU_FAILED,		/* did not answer its start-up */
	CPU_STARTING,		/* running its own code, waiting for its idle task */
	CPU_ONLINE,		/* runs tasks */
};

struct cpu_info {
	enum cpu_state state;
	u32 apic_id;		/* the interrupt controller's id for this CPU */
	u64 boot_ns;		/* how long its start-up took */
};

extern struct cpu_info cpu_info[NR_CPUS];
extern int nr_cpus_present;	/* CPUs listed, up to NR_CPUS */
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

static inline bool cpu_online(int cpu)
{
	return READ_ONCE(cpu_info[cpu].state) == CPU_ONLINE;
}

#define for_each_online_cpu(cpu)					\
	for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++)			\
		if (!cpu_online(cpu)) {} else

const char *cpu_state_name(enum cpu_state state);

/*
 * Start every present CPU and put it to work (kernel_main(), after
 * sched_init()). Reports each CPU in the kernel log.
 */
void smp_init(void);
/* /proc/cpuinfo (kernel/cpuinfo.c; the `cpus` command lives there too). */
void cpuinfo_init(void);

/* The arch's half of smp_init() and the IPIs: kernel/arch.h. */

/*
 * Cross-CPU calls (kernel/smp_call.c). Process context, preemptible or
 * not; never while holding a spinlock the target CPU might spin on.
 *
 * on_each_cpu(): run @fn(@arg) on every online CPU, this one included
 * (with interrupts off on each), and return once all have.
 * on_each_cpu_preemptible(): the same, but the caller waits with
 * preemption on (task context only).
 * smp_call_function_single(): the same on one CPU; -ENXIO if @cpu is not
 * online.
 * smp_send_reschedule(): make @cpu look at its run queue now (it sets the
 * CPU's need_resched; an interrupt if @cpu is another CPU).
 * smp_call_function_interrupt(): the CALL_FUNCTION_VECTOR handler's body.
 */
void on_each_cpu(void (*fn)(void *arg), void *arg);
void on_each_cpu_preemptible(void (*fn)(void *arg), void *arg);
int smp_call_function_single(int cpu, void (*fn)(void *arg), void *arg);
void smp_send_reschedule(int cpu);
void smp_call_function_interrupt(void);

#endif
