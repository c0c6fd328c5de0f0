// SPDX-License-Identifier: MIT
/*
 * `bench --cpus`: does a probe cost more per hit when every CPU hits it at
 * once?
 *
 * For each kind, a kernel thread bound to one CPU runs the kind's loop
 * alone; then one thread bound to every online CPU runs the same loop at
 * the same moment (they meet at a barrier first). Each thread times its
 * own loop with its own TSC reads. A repetition does that with the probe
 * off (the base: the machine's own scaling) and on, and the figures are
 * medians over the repetitions:
 *
 *	one_cpu		per-call time of the probed loop on one CPU
 *	n_cpu		the same with every CPU in it: the mean over the CPUs
 *	n_cpu_max	... and the slowest CPU
 *	ratio		n_cpu / one_cpu: 1.00 when hits on different CPUs
 *			never wait for each other
 *	ratio_min	the same from the fastest repetitions
 *	base_*		the same figures with the probe off: how the machine
 *			(the host, the emulator) scales by itself
 *
 * What makes the ratio grow is whatever every hit writes that all CPUs
 * share: a counter, a lock, a pool's head, a ring buffer's state. Such a
 * cache line moves between the CPUs on every hit, and a lock makes them
 * take turns. Hits are counted per CPU (bench_hit()), and the sum over
 * the CPUs must come out exact.
 */
#include <trace/bench.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <kernel/wait.h>
#include <kernel/nofault.h>
#include <asm/cpu.h>
#include <lib/atomic.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/sort.h>
#include <kernel/workloads/bench_target.h>

#define SMP_REPS		15
#define SMP_QUICK_REPS		2
#define SMP_CALLS		5000
#define SMP_QUICK_CALLS		200

/* One CPU's part of a run. */
struct smp_worker {
	int cpu;
	u64 cycles;			/* its loop took */
	struct completion done;
};

/*
 * The run under way. Static: a thread that has not finished must never
 * write into a stack frame its starter has left.
 */
static struct {
	int (*fn)(int);
	unsigned long calls;
	bool extra_call;
	bool abort;			/* a thread could not be made: skip the loop */
	int nr;				/* threads in the run */
	int arrived;			/* at the start barrier */
	struct smp_worker w[NR_CPUS];
} run;

/* One CPU's thread: wait for all the others, then time the loop. */
static int smp_worker_fn(void *arg)
{
	struct smp_worker *w = arg;

	fetch_add_acq_rel(&run.arrived, 1);
	while (smp_load_acquire(&run.arrived) < run.nr)
		cpu_relax();
	if (!READ_ONCE(run.abort))
		w->cycles = bench_time_loop(run.fn, run.calls, run.extra_call);
	complete(&w->done);
	return 0;
}

/*
 * Run @fn's loop on @only_cpu, or on every online CPU at once if it is
 * -1, and wait for the end. Stores the mean and the maximum per-call time
 * over the CPUs (units/1000). Sleeps. Returns 0 or -ENOMEM.
 */
static int run_loops(int (*fn)(int), bool extra_call, unsigned long calls, int only_cpu,
		     u64 *mean_x1000, u64 *max_x1000)
{
	struct task_struct *tasks[NR_CPUS];
	int cpu, i, here = smp_processor_id();
	u64 sum = 0, max = 0;

	run.fn = fn;
	run.calls = calls;
	run.extra_call = extra_call;
	run.abort = false;
	run.nr = 0;
	run.arrived = 0;
	for_each_online_cpu(cpu) {
		struct smp_worker *w;

		if (only_cpu >= 0 && cpu != only_cpu)
			continue;
		w = &run.w[run.nr];
		w->cpu = cpu;
		w->cycles = 0;
		init_completion(&w->done);
		tasks[run.nr] = kthread_create(smp_worker_fn, w, "bench-cpu");
		if (!tasks[run.nr]) {
			run.abort = true;	/* those made still run, to the barrier */
			break;
		}
		kthread_bind(tasks[run.nr], cpu);
		run.nr++;
	}
	/* This CPU's thread last: it spins at the barrier until the others
	 * come, and this task must have woken them all by then. */
	for (i = 0; i < run.nr; i++)
		if (run.w[i].cpu != here)
			wake_up_process(tasks[i]);
	for (i = 0; i < run.nr; i++)
		if (run.w[i].cpu == here)
			wake_up_process(tasks[i]);
	for (i = 0; i < run.nr; i++) {
		u64 t;

		wait_for_completion(&run.w[i].done);
		t = bench_per_call_x1000(run.w[i].cycles, calls);
		sum += t;
		if (t > max)
			max = t;
	}
	if (run.abort)
		return -ENOMEM;
	*mean_x1000 = sum / run.nr;
	if (max_x1000)
		*max_x1000 = max;
	return 0;
}

static u64 median(u64 *v, unsigned n)
{
	sort_ulong((unsigned long *)v, n);
	return v[n / 2];
}

static int first_online_cpu(void)
{
	int cpu;

	for_each_online_cpu(cpu)
		return cpu;
	return 0;
}

static int nr_online(void)
{
	int cpu, n = 0;

	for_each_online_cpu(cpu)
		n++;
	return n;
}

/* "1.07": @a / @b with two decimals. */
static const char *ratio(char *buf, size_t size, u64 a, u64 b)
{
	u64 x100 = b ? (a * 100 + b / 2) / b : 0;

	snprintf(buf, size, "%llu.%02llu", (unsigned long long)(x100 / 100),
		 (unsigned long long)(x100 % 100));
	return buf;
}

/*
 * What one kind measured (units/1000): medians over the repetitions, and
 * the fastest repetition of each side (the least disturbed by the host).
 */
struct smp_result {
	u64 one, mean, max, base_one, base_mean;
	u64 one_min, mean_min;
	bool hits_ok;
};

/* The repetitions of one kind: base on 1 and N CPUs, then probed on both. */
static int smp_reps(const struct bench_kind *k, unsigned reps, unsigned long calls,
		    int first, struct smp_result *r)
{
	u64 one[SMP_REPS], mean[SMP_REPS], max[SMP_REPS], b1[SMP_REPS], bn[SMP_REPS];
	unsigned i;
	int err;

	for (i = 0; i < reps; i++) {
		err = run_loops(k->base_fn, false, calls, first, &b1[i], NULL);
		if (!err)
			err = run_loops(k->base_fn, false, calls, -1, &bn[i], NULL);
		if (!err)
			err = k->on ? k->on() : 0;
		if (err)
			return err;
		err = run_loops(k->probed_fn, k->extra_call, calls, first, &one[i], NULL);
		if (!err)
			err = run_loops(k->probed_fn, k->extra_call, calls, -1, &mean[i], &max[i]);
		if (k->off) {
			int off = k->off();

			err = err ? err : off;
		}
		if (!err && console_break_pending())
			err = -EINTR;
		if (err)
			return err;
	}
	r->one = median(one, reps);
	r->mean = median(mean, reps);
	r->one_min = one[0];		/* median() sorted them */
	r->mean_min = mean[0];
	r->max = median(max, reps);
	r->base_one = median(b1, reps);
	r->base_mean = median(bn, reps);
	return 0;
}

/**
 * bench_smp_run - time kind @k on one CPU, then on every CPU at once
 * @quick: a few short repetitions (proves the hits are exact; no timing)
 * @bad: incremented when the handler's hits do not add up
 *
 * Prints one BENCH_SMP line. Context: a task; sleeps.
 * Returns 0 or the negative errno that stopped it.
 */
int bench_smp_run(const struct bench_kind *k, bool quick, unsigned *bad)
{
	unsigned reps = quick ? SMP_QUICK_REPS : SMP_REPS;
	unsigned long calls = quick ? SMP_QUICK_CALLS : SMP_CALLS;
	int first = first_online_cpu(), ncpu = nr_online();
	struct smp_result r = { 0 };
	char rat[16], brat[16], mrat[16];
	u64 dummy;
	int err;

	err = k->setup ? k->setup() : 0;
	if (err)
		return err;
	err = run_loops(k->base_fn, false, calls, -1, &dummy, NULL);	/* warm-up */
	bench_hits_reset();
	if (!err)
		err = smp_reps(k, reps, calls, first, &r);
	r.hits_ok = !k->counts_hits ||
		    bench_hits_sum() == (unsigned long)reps * calls * (1 + ncpu);
	if (k->teardown)
		k->teardown();
	if (err)
		return err;
	*bad += !r.hits_ok;
	console_printf("BENCH_SMP kind=%s cpus=%d calls=%lu unit=%s one_cpu=%llu n_cpu=%llu "
		       "n_cpu_max=%llu ratio=%s ratio_min=%s base_one_cpu=%llu base_n_cpu=%llu "
		       "base_ratio=%s hits=%s\n", k->name, ncpu, calls,
		       bench_unit_insn ? "insn" : "ns",
		       (unsigned long long)(r.one / 1000), (unsigned long long)(r.mean / 1000),
		       (unsigned long long)(r.max / 1000), ratio(rat, sizeof(rat), r.mean, r.one),
		       ratio(mrat, sizeof(mrat), r.mean_min, r.one_min),
		       (unsigned long long)(r.base_one / 1000),
		       (unsigned long long)(r.base_mean / 1000),
		       ratio(brat, sizeof(brat), r.base_mean, r.base_one),
		       r.hits_ok ? "ok" : "WRONG");
	return 0;
}

/*
 * A reference that is not a probe: bench_target's work plus one read of
 * the trace clock (the TSC), what every ring-buffer event pays. Under
 * QEMU's TCG each guest RDTSC takes a lock shared by all virtual CPUs, so
 * its N-CPU ratio shows what the emulator itself serializes.
 */
static noinline int clock_target(int x)
{
	return x ^ (int)trace_clock_ns();
}

const struct bench_kind bench_smp_clock_ref = {
	.name = "ref_clock_read", .base_fn = bench_target, .probed_fn = clock_target,
};

/*
 * The other reference: bench_target's work plus one exception taken and
 * returned from, with a handler of a few instructions - a fault-safe read
 * of the kernel half's first page, which Loupe never maps, so the page
 * fault handler resumes at the read's fixup. QEMU's TCG delivers every
 * guest exception holding its global lock (the BQL), one CPU at a time,
 * so this ratio is the floor for the kinds that trap: kprobes by int3,
 * and the single-step after it.
 */
#define NEVER_MAPPED	((const void *)0xffff800000000000UL)

static noinline int trap_target(int x)
{
	u64 v;

	return x ^ (int)copy_from_kernel_nofault(&v, NEVER_MAPPED, sizeof(v));
}

const struct bench_kind bench_smp_trap_ref = {
	.name = "ref_trap", .base_fn = bench_target, .probed_fn = trap_target,
};
