// SPDX-License-Identifier: MIT
/*
 * Self-tests of CPUs: every CPU that came up has its own per-CPU area (GS
 * base, cpu_number), GDT, TSS and IST stacks, as it saw them from its own
 * registers when it started (arch/x86/smpboot.c); each takes its own
 * timer tick and runs the tasks bound to it; cross-CPU calls run where
 * they are sent, once; a wake-up from another CPU never loses a sleeper;
 * the counts agree; and the trampoline's identity mapping is gone. With
 * one CPU the checks run on the boot CPU alone and still pass.
 */
#include <kernel/selftest.h>
#include <kernel/kallsyms.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/wait.h>
#include <asm/irqflags.h>
#include <lib/atomic.h>
#include <lib/errno.h>
#include <arch/x86/smpboot.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <asm/pgtable.h>
#include <asm/trampoline.h>
#include <asm/sections.h>
#include <lib/compiler.h>
#include <lib/printf.h>
#include <lib/string.h>

static bool started(int cpu)
{
	enum cpu_state st = READ_ONCE(cpu_info[cpu].state);

	return st == CPU_ONLINE;
}

/* CPU 0's view is read now (tests run there); the others', at start-up. */
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

/* 100 ms is 25 ticks at 250 Hz; every CPU must see some of them. */
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

/* A task bound to a CPU runs there, and only there. */
struct where_ran {
	int cpu, mismatches;
	struct completion done;
};

static int record_cpu(void *arg)
{
	struct where_ran *w = arg;
	int i;

	w->cpu = smp_processor_id();
	for (i = 0; i < 200; i++) {	/* and stays there across switches */
		if ((int)smp_processor_id() != w->cpu)
			w->mismatches++;
		yield();
	}
	complete(&w->done);
	return 0;
}

static void every_cpu_runs_the_tasks_bound_to_it(struct selftest *t)
{
	int cpu;

	for_each_online_cpu(cpu) {
		/* static: a task that never finishes must not write to a stack
		 * frame this test has left */
		static struct where_ran w;
		struct task_struct *task;

		w = (struct where_ran){ .cpu = -1 };
		init_completion(&w.done);
		task = kthread_create(record_cpu, &w, "smp-bound");
		ASSERT_TRUE(t, task != NULL);
		kthread_bind(task, cpu);
		wake_up_process(task);
		/* 200 switches take milliseconds; the bound is for 8 virtual
		 * CPUs sharing two busy host CPUs, where one may not run for
		 * seconds. */
		if (!EXPECT_TRUE(t, wait_for_completion_timeout(&w.done, 30000))) {
			selftest_fail(t, __FILE__, __LINE__, "task bound to CPU%d never finished", cpu);
			return;
		}
		EXPECT_EQ(t, w.cpu, cpu);
		EXPECT_EQ(t, w.mismatches, 0);
	}
}

static int call_counts[NR_CPUS];
static int call_irqs_on;

static void count_call(void *arg)
{
	(void)arg;
	fetch_add_relaxed(&call_counts[smp_processor_id()], 1);
	if (!irqs_disabled())
		fetch_add_relaxed(&call_irqs_on, 1);
}

/* on_each_cpu() runs the function once on every online CPU, with
 * interrupts off, and returns only after the last; 100 rounds. */
static void on_each_cpu_runs_once_on_every_cpu(struct selftest *t)
{
	int cpu, round;

	memset(call_counts, 0, sizeof(call_counts));
	call_irqs_on = 0;
	for (round = 1; round <= 100; round++) {
		on_each_cpu(count_call, NULL);
		for_each_online_cpu(cpu)
			if (!EXPECT_EQ(t, READ_ONCE(call_counts[cpu]), round))
				return;
	}
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (!cpu_online(cpu))
			EXPECT_EQ(t, call_counts[cpu], 0);
	EXPECT_EQ(t, call_irqs_on, 0);
}

static void smp_call_function_single_runs_on_that_cpu(struct selftest *t)
{
	int cpu;

	memset(call_counts, 0, sizeof(call_counts));
	for_each_online_cpu(cpu) {
		EXPECT_EQ(t, smp_call_function_single(cpu, count_call, NULL), 0);
		EXPECT_EQ(t, READ_ONCE(call_counts[cpu]), 1);
	}
	EXPECT_EQ(t, smp_call_function_single(NR_CPUS, count_call, NULL), -ENXIO);
	EXPECT_EQ(t, smp_call_function_single(-1, count_call, NULL), -ENXIO);
	if (nr_cpus_present < NR_CPUS)
		EXPECT_EQ(t, smp_call_function_single(nr_cpus_present, count_call, NULL), -ENXIO);
}

/*
 * Ping-pong across CPUs: each side sleeps until the other wakes it, 2000
 * times. A wake-up that races with its target going to sleep on another
 * CPU and gets lost stops the game (the test times out); one that queues
 * a task still running on its CPU corrupts its stack.
 */
struct pingpong {
	struct wait_queue_head wq;
	int turn;		/* whose move: 0 (the test) or 1 (the task) */
	int rounds;
	struct completion done;
};

static int pong(void *arg)
{
	struct pingpong *p = arg;
	int i;

	for (i = 0; i < p->rounds; i++) {
		wait_event(p->wq, READ_ONCE(p->turn) == 1);
		WRITE_ONCE(p->turn, 0);
		wake_up(&p->wq);
	}
	complete(&p->done);
	return 0;
}

static void wake_ups_across_cpus_are_never_lost(struct selftest *t)
{
	static struct pingpong p;	/* static, as above */
	struct task_struct *task;
	int i, other = -1, cpu;

	p = (struct pingpong){ .rounds = 2000 };
	for_each_online_cpu(cpu)
		if (cpu != (int)smp_processor_id())
			other = cpu;
	if (other < 0)
		other = smp_processor_id();	/* one CPU: still a valid game */
	init_waitqueue_head(&p.wq);
	init_completion(&p.done);
	task = kthread_create(pong, &p, "smp-pong");
	ASSERT_TRUE(t, task != NULL);
	kthread_bind(task, other);
	wake_up_process(task);
	for (i = 0; i < p.rounds; i++) {
		WRITE_ONCE(p.turn, 1);
		wake_up(&p.wq);
		wait_event(p.wq, READ_ONCE(p.turn) == 0);
	}
	EXPECT_TRUE(t, wait_for_completion_timeout(&p.done, 5000));
}

static void cpu_counts_agree_with_the_cpu_table(struct selftest *t)
{
	int cpu, up = 0, present = 0;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		up += started(cpu);
		present += READ_ONCE(cpu_info[cpu].state) != CPU_ABSENT;
	}
	EXPECT_EQ(t, cpu_info[0].state, CPU_ONLINE);
	EXPECT_EQ(t, nr_cpus_online, up);
	EXPECT_EQ(t, nr_cpus_present, present);
}

static void trampoline_is_unmapped_after_bring_up(struct selftest *t)
{
	EXPECT_TRUE(t, !page_is_mapped(TRAMPOLINE_PHYS, NULL, NULL));
}

static const struct selftest_case smp_cases[] = {
	SELFTEST_CASE(each_cpu_sees_its_own_number_gs_base_gdt_and_tss),
	SELFTEST_CASE(no_two_cpus_share_percpu_area_tss_or_ist_stacks),
	SELFTEST_CASE(every_started_cpu_takes_its_own_timer_tick),
	SELFTEST_CASE(every_cpu_runs_the_tasks_bound_to_it),
	SELFTEST_CASE(on_each_cpu_runs_once_on_every_cpu),
	SELFTEST_CASE(smp_call_function_single_runs_on_that_cpu),
	SELFTEST_CASE(wake_ups_across_cpus_are_never_lost),
	SELFTEST_CASE(cpu_counts_agree_with_the_cpu_table),
	SELFTEST_CASE(trampoline_is_unmapped_after_bring_up),
};
SELFTEST_SUITE("smp", smp_cases);
