// SPDX-License-Identifier: MIT
/*
 * Self-tests of CPU bring-up: every CPU that came up has its own per-CPU
 * area (GS base, cpu_number), GDT, TSS and IST stacks, as it saw them from
 * its own registers when it parked (arch/x86/smpboot.c); every parked CPU
 * keeps taking its own timer tick, always in its park loop, and runs no
 * task; the counts agree; and
 * the trampoline's identity mapping is gone. With one CPU the checks run
 * on the boot CPU alone and still pass.
 */
#include <kernel/selftest.h>
#include <kernel/kallsyms.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <arch/x86/smpboot.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <asm/pgtable.h>
#include <asm/trampoline.h>
#include <lib/compiler.h>
#include <lib/printf.h>
#include <lib/string.h>

static bool started(int cpu)
{
	enum cpu_state st = READ_ONCE(cpu_info[cpu].state);

	return st == CPU_ONLINE || st == CPU_PARKED;
}

/* CPU 0's view is read now (tests run there); the others', at parking. */
static void view_of(int cpu, struct cpu_boot_view *v)
{
	if (cpu == 0)
		cpu_boot_view_read(v);
	else
		*v = cpu_boot_views[cpu];
}

static bool inside_percpu_area(int cpu, u64 addr)
{
	u64 base = (u64)__per_cpu_start + __per_cpu_offset[cpu];

	return addr >= base && addr < base + (__per_cpu_end - __per_cpu_start);
}

static void each_cpu_sees_its_own_number_gs_base_gdt_and_tss(struct selftest *t)
{
	struct cpu_boot_view v;
	int cpu, i;

	ASSERT_EQ(t, smp_processor_id(), 0);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!started(cpu))
			continue;
		view_of(cpu, &v);
		EXPECT_EQ(t, v.cpu_number, cpu);
		EXPECT_EQ(t, per_cpu(cpu_number, cpu), cpu);
		EXPECT_EQ(t, v.gs_base, (u64)__per_cpu_offset[cpu]);
		EXPECT_EQ(t, v.apic_id, cpu_info[cpu].apic_id);
		EXPECT_EQ(t, v.tr, GDT_TSS);
		/* GDT and TSS are per-CPU variables: in this CPU's own copy. */
		EXPECT_TRUE(t, inside_percpu_area(cpu, v.gdt_base));
		EXPECT_TRUE(t, inside_percpu_area(cpu, v.tss_base));
		for (i = 0; i < IST_COUNT; i++)
			EXPECT_NE(t, v.ist[i], 0);
	}
}

/* No two CPUs share a per-CPU area, a TSS or any IST stack. */
static void no_two_cpus_share_percpu_area_tss_or_ist_stacks(struct selftest *t)
{
	struct cpu_boot_view a, b;
	int i, j, k, l, shared = 0;

	for (i = 0; i < NR_CPUS; i++) {
		if (!started(i))
			continue;
		view_of(i, &a);
		for (j = i + 1; j < NR_CPUS; j++) {
			int same;

			if (!started(j))
				continue;
			view_of(j, &b);
			same = (a.gs_base == b.gs_base) + (a.tss_base == b.tss_base);
			for (k = 0; k < IST_COUNT; k++)
				for (l = 0; l < IST_COUNT; l++)
					same += a.ist[k] == b.ist[l];
			if (same)
				selftest_fail(t, __FILE__, __LINE__, "CPU%d and CPU%d share state", i, j);
			shared += same;
		}
	}
	EXPECT_EQ(t, shared, 0);
}

/* 100 ms is 25 ticks at 250 Hz; a parked CPU must see some of them. */
static void every_started_cpu_takes_its_own_timer_tick(struct selftest *t)
{
	u64 before[NR_CPUS];
	int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		before[cpu] = started(cpu) ? READ_ONCE(per_cpu(cpu_stats, cpu).ticks) : 0;
	msleep(100);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		u64 now;

		if (!started(cpu))
			continue;
		now = READ_ONCE(per_cpu(cpu_stats, cpu).ticks);
		if (!EXPECT_TRUE(t, now >= before[cpu] + 2))
			selftest_fail(t, __FILE__, __LINE__, "CPU%d: %llu ticks, then %llu", cpu,
				      (unsigned long long)before[cpu], (unsigned long long)now);
		EXPECT_TRUE(t, READ_ONCE(per_cpu(cpu_stats, cpu).irqs) >= now);
	}
}

/* Every tick a parked CPU takes finds it in its park loop (and nowhere
 * traceable): the loop is all it runs between interrupts. */
static void parked_cpus_are_ticked_inside_their_park_loop(struct selftest *t)
{
	struct ksym park, sym;
	unsigned long off;
	int cpu;

	ASSERT_TRUE(t, kallsyms_lookup_name("smp_park", &park));
	msleep(20);			/* every CPU has ticked since boot */
	for (cpu = 1; cpu < NR_CPUS; cpu++) {
		unsigned long ip = smp_parked_tick_ip(cpu);

		if (READ_ONCE(cpu_info[cpu].state) != CPU_PARKED)
			continue;
		if (!EXPECT_TRUE(t, kallsyms_lookup_addr(ip, &sym, &off) && sym.addr == park.addr))
			selftest_fail(t, __FILE__, __LINE__, "CPU%d ticked at %pS", cpu, (void *)ip);
	}
}

/* Parked CPUs run their idle task only: never a switch. */
static void parked_cpus_run_only_their_idle_task(struct selftest *t)
{
	int cpu;

	for (cpu = 1; cpu < NR_CPUS; cpu++) {
		struct task_struct *idle;
		char name[TASK_COMM_LEN];

		if (READ_ONCE(cpu_info[cpu].state) != CPU_PARKED)
			continue;
		idle = READ_ONCE(per_cpu(current_task, cpu));
		ASSERT_TRUE(t, idle != NULL);
		snprintf(name, sizeof(name), "idle/%d", cpu);
		EXPECT_STREQ(t, idle->comm, name);
		EXPECT_EQ(t, idle->pid, 0);
		EXPECT_EQ(t, idle->cpu, cpu);
		EXPECT_EQ(t, sched_switch_count(cpu), 0);
	}
}

static void cpu_counts_agree_with_the_cpu_table(struct selftest *t)
{
	int cpu, up = 0, present = 0;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		up += started(cpu);
		present += READ_ONCE(cpu_info[cpu].state) != CPU_ABSENT;
	}
	EXPECT_EQ(t, cpu_info[0].state, CPU_ONLINE);
	EXPECT_EQ(t, nr_cpus_up, up);
	EXPECT_EQ(t, nr_cpus_present, present);
	/* Only the boot CPU runs tasks until the scheduler is per-CPU. */
	EXPECT_EQ(t, nr_cpus_online, 1);
}

static void trampoline_is_unmapped_after_bring_up(struct selftest *t)
{
	EXPECT_TRUE(t, !page_is_mapped(TRAMPOLINE_PHYS, NULL, NULL));
}

static const struct selftest_case smp_cases[] = {
	SELFTEST_CASE(each_cpu_sees_its_own_number_gs_base_gdt_and_tss),
	SELFTEST_CASE(no_two_cpus_share_percpu_area_tss_or_ist_stacks),
	SELFTEST_CASE(every_started_cpu_takes_its_own_timer_tick),
	SELFTEST_CASE(parked_cpus_are_ticked_inside_their_park_loop),
	SELFTEST_CASE(parked_cpus_run_only_their_idle_task),
	SELFTEST_CASE(cpu_counts_agree_with_the_cpu_table),
	SELFTEST_CASE(trampoline_is_unmapped_after_bring_up),
};
SELFTEST_SUITE("smp", smp_cases);
