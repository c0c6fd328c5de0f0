// SPDX-License-Identifier: MIT
/*
 * `bench [KIND...]`: what each probe kind costs per hit.
 *
 * Each kind times calls of bench_target() in a tight loop: a warm-up, then
 * BENCH_REPS pairs of repetitions, one with the probe off and one with it
 * on, alternating so that drifts of the machine's speed affect both alike.
 * It reports the median time per call of each side, their difference (the
 * overhead), the difference of the fastest repetitions, and the overhead
 * in TSC cycles, as one machine-readable BENCH line per kind, then a
 * table. Every kind also checks that its handler ran exactly once per
 * probed call, and counts the traps (int3, #DB, page faults) its probed
 * repetitions took, per call. `bench --quick` does a few short
 * repetitions: enough to prove every kind works and takes the traps it
 * should (make test), with no claim about time. `bench --cpus` times
 * each kind on one CPU and then on every CPU at once (trace/bench_smp.c).
 *
 * The unit. Under QEMU's `-icount shift=0,sleep=off` every guest
 * instruction advances the virtual clock, and the TSC with it, by exactly
 * one: a cycle is then an instruction, identical from run to run. The
 * kernel cannot see that for itself, so `make bench ICOUNT=1` says so on
 * the command line, `bench_unit=insn`, and bench then reports TSC cycles
 * as instructions. Otherwise it reports nanoseconds.
 */
#include <trace/bench.h>
#include <trace/ftrace.h>
#include <trace/kprobes.h>
#include <trace/trace.h>
#include <trace/tracefs.h>
#include <kernel/bootinfo.h>
#include <kernel/console.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <kernel/workloads/bench_target.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/sort.h>
#include <lib/string.h>

#define BENCH_REPS		21
#define BENCH_QUICK_REPS	3
#define BENCH_CALLS		20000
#define BENCH_QUICK_CALLS	200

DEFINE_PER_CPU(unsigned long, bench_hits);	/* what the kinds' handlers count */

bool bench_unit_insn;			/* bench_unit=insn: cycles are instructions */

/* The traps this CPU has taken, from the counters in arch/x86/traps.c. */
struct trap_counts {
	u64 int3, debug, page_faults;
};

struct bench_result {
	const char *name;
	unsigned long calls;
	u64 base_ns_x1000, probed_ns_x1000;	/* medians, in units/1000 per call */
	u64 base_min_x1000, probed_min_x1000;
	struct trap_counts traps;		/* over every probed repetition */
	unsigned long probed_calls;		/* calls in those repetitions */
	bool hits_ok;
};

/* ---- the loops ---- */

/*
 * Call @fn @calls times (and the empty call after each, when a kind
 * needs the same number of calls on both sides) and return the clock
 * cycles spent. noinline so that every kind times the same code; the
 * volatile sink keeps the calls from being optimized away.
 */
noinline u64 bench_time_loop(int (*fn)(int), unsigned long calls, bool extra_call)
{
	volatile int sink = 0;
	u64 t0 = clock_cycles();
	unsigned long i;

	for (i = 0; i < calls; i++) {
		sink += fn((int)i);
		if (extra_call)
			bench_empty_call(i);
	}
	return clock_cycles() - t0;
}

/* A call that does nothing, for the side of a comparison that lacks one. */
noinline void bench_empty_call(unsigned long x __always_unused)
{
	barrier();
}

/* How many times the kinds' handlers ran, on every CPU. Read between
 * runs, when no handler runs. */
unsigned long bench_hits_sum(void)
{
	unsigned long sum = 0;
	int cpu;

	for_each_online_cpu(cpu)
		sum += per_cpu(bench_hits, cpu);
	return sum;
}

void bench_hits_reset(void)
{
	int cpu;

	for_each_online_cpu(cpu)
		per_cpu(bench_hits, cpu) = 0;
}

/*
 * This CPU's trap counts. The single-CPU loop runs in the console's task,
 * which never leaves its CPU (no migration, kernel/sched.c), so this
 * CPU's counters alone see every trap the loop takes.
 */
static void read_traps(struct trap_counts *t)
{
	t->int3 = this_cpu_read(cpu_stats.int3);
	t->debug = this_cpu_read(cpu_stats.debug);
	t->page_faults = this_cpu_read(cpu_stats.page_faults);
}

/* @sum += @after - @before. */
static void add_traps(struct trap_counts *sum, const struct trap_counts *before,
		      const struct trap_counts *after)
{
	sum->int3 += after->int3 - before->int3;
	sum->debug += after->debug - before->debug;
	sum->page_faults += after->page_faults - before->page_faults;
}

/* Sorts @v in place (so v[0] is then the fastest) and returns its median. */
static u64 median_of(u64 *v, unsigned n)
{
	sort_ulong((unsigned long *)v, n);
	return v[n / 2];
}

/* Units/1000 per call (ns, or instructions) for @cycles spent on @calls calls. */
u64 bench_per_call_x1000(u64 cycles, unsigned long calls)
{
	if (bench_unit_insn)
		return cycles * 1000 / calls;
	return cycles_to_ns(cycles * 1000) / calls;
}

/* ---- running one kind ---- */

/*
 * Time kind @k: set up, warm up, then @reps alternating pairs (probe off,
 * probe on), counting traps around the probed loop only. Returns 0 with
 * @r filled, or the set-up's or switch's error, or -EINTR on Ctrl-C;
 * the kind is torn down either way. Console task; sleeps.
 */
static int run_kind(const struct bench_kind *k, unsigned reps, unsigned long calls,
		    struct bench_result *r)
{
	u64 base[BENCH_REPS], probed[BENCH_REPS];
	struct trap_counts before, after;
	unsigned i;
	int err;

	memset(r, 0, sizeof(*r));
	r->name = k->name;
	r->calls = calls;
	err = k->setup ? k->setup() : 0;
	if (err)
		return err;
	bench_time_loop(k->base_fn, calls, false);			/* warm-up */
	bench_hits_reset();
	for (i = 0; i < reps && !err; i++) {
		base[i] = bench_time_loop(k->base_fn, calls, false);
		err = k->on ? k->on() : 0;
		if (!err) {
			read_traps(&before);
			probed[i] = bench_time_loop(k->probed_fn, calls, k->extra_call);
			read_traps(&after);
			add_traps(&r->traps, &before, &after);
			r->probed_calls += calls;
		}
		if (!err && k->off)
			err = k->off();
		if (console_break_pending())
			err = -EINTR;
	}
	r->hits_ok = k->counts_hits ? bench_hits_sum() == reps * calls : true;
	if (k->teardown)
		k->teardown();
	if (err)
		return err;
	for (i = 0; i < reps; i++) {
		base[i] = bench_per_call_x1000(base[i], calls);
		probed[i] = bench_per_call_x1000(probed[i], calls);
	}
	r->base_ns_x1000 = median_of(base, reps);
	r->probed_ns_x1000 = median_of(probed, reps);
	r->base_min_x1000 = base[0];
	r->probed_min_x1000 = probed[0];
	return 0;
}

/* The difference of two per-call figures, back in whole units. */
static long diff_ns(u64 a_x1000, u64 b_x1000)
{
	return ((long)a_x1000 - (long)b_x1000) / 1000;
}

/*
 * @count per call of @calls, into @buf: a whole number when it divides
 * ("1"), otherwise with two decimals ("0.50").
 */
static const char *per_call(char *buf, size_t size, u64 count, unsigned long calls)
{
	u64 x100;

	if (!calls || count % calls == 0) {
		snprintf(buf, size, "%llu", (unsigned long long)(calls ? count / calls : 0));
		return buf;
	}
	x100 = count * 100 / calls;
	snprintf(buf, size, "%llu.%02llu", (unsigned long long)(x100 / 100),
		 (unsigned long long)(x100 % 100));
	return buf;
}

/* The BENCH line of one kind, which scripts/bench-table.py parses: keep
 * its keys as they are. */
static void print_line(const struct bench_result *r)
{
	long ovh = diff_ns(r->probed_ns_x1000, r->base_ns_x1000);
	const struct trap_counts *t = &r->traps;
	char int3[24], db[24], pf[24], all[24];

	per_call(int3, sizeof(int3), t->int3, r->probed_calls);
	per_call(db, sizeof(db), t->debug, r->probed_calls);
	per_call(pf, sizeof(pf), t->page_faults, r->probed_calls);
	per_call(all, sizeof(all), t->int3 + t->debug + t->page_faults, r->probed_calls);
	if (bench_unit_insn)
		console_printf("BENCH kind=%s calls=%lu base_insn=%llu probed_insn=%llu "
			       "overhead_insn=%ld overhead_min_insn=%ld",
			       r->name, r->calls, (unsigned long long)(r->base_ns_x1000 / 1000),
			       (unsigned long long)(r->probed_ns_x1000 / 1000), ovh,
			       diff_ns(r->probed_min_x1000, r->base_min_x1000));
	else
		console_printf("BENCH kind=%s calls=%lu base_ns=%llu probed_ns=%llu overhead_ns=%ld "
			       "overhead_min_ns=%ld overhead_cycles=%lld",
			       r->name, r->calls, (unsigned long long)(r->base_ns_x1000 / 1000),
			       (unsigned long long)(r->probed_ns_x1000 / 1000), ovh,
			       diff_ns(r->probed_min_x1000, r->base_min_x1000),
			       (long long)ovh * (long long)clock_tsc_khz() / 1000000);
	console_printf(" int3=%s db=%s pf=%s traps_per_hit=%s hits=%s\n", int3, db, pf, all,
		       r->hits_ok ? "ok" : "WRONG");
}

/* The same results as a table for a person. */
static void print_table(const struct bench_result *rs, unsigned n)
{
	unsigned i;

	const char *u = bench_unit_insn ? "insn" : "ns";
	char h[4][24];

	snprintf(h[0], sizeof(h[0]), "base %s", u);
	snprintf(h[1], sizeof(h[1]), "probed %s", u);
	snprintf(h[2], sizeof(h[2]), "overhead %s", u);
	snprintf(h[3], sizeof(h[3]), "min ovh %s", u);
	console_printf("\n%-18s %10s %12s %14s %13s\n", "kind", h[0], h[1], h[2], h[3]);
	for (i = 0; i < n; i++)
		console_printf("%-18s %10llu %12llu %14ld %13ld%s\n", rs[i].name,
			       (unsigned long long)(rs[i].base_ns_x1000 / 1000),
			       (unsigned long long)(rs[i].probed_ns_x1000 / 1000),
			       diff_ns(rs[i].probed_ns_x1000, rs[i].base_ns_x1000),
			       diff_ns(rs[i].probed_min_x1000, rs[i].base_min_x1000),
			       rs[i].hits_ok ? "" : "   (handler hits WRONG)");
}

/* Did the command line say the TSC counts instructions (bench_unit=insn)? */
static bool cmdline_says_insn(void)
{
	char unit[8];
	const char *v = cmdline_get("bench_unit", unit, sizeof(unit));

	return v && !strcmp(v, "insn");
}

/* Was kind @name asked for? No names at all: every kind is. */
static bool wanted(const char *name, int argc, char **argv)
{
	int i, named = 0;

	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		named++;
		if (!strcmp(argv[i], name))
			return true;
	}
	return !named;
}

/*
 * Every argument must be --quick (sets *@quick), --cpus (sets *@cpus) or a
 * kind's name. Returns the first one that is none of those, or NULL.
 */
static const char *parse_args(int argc, char **argv, bool *quick, bool *cpus)
{
	const struct bench_kind *k;
	int i;

	*quick = *cpus = false;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			*quick = true;
			continue;
		}
		if (!strcmp(argv[i], "--cpus")) {
			*cpus = true;
			continue;
		}
		for (k = bench_kinds; k->name && strcmp(k->name, argv[i]); k++)
			;
		if (!k->name && strcmp(argv[i], bench_smp_clock_ref.name) &&
		    strcmp(argv[i], bench_smp_trap_ref.name))
			return argv[i];
	}
	return NULL;
}

/* `bench --cpus`: a BENCH_SMP line per kind (trace/bench_smp.c). */
static int bench_cpus(bool quick, int argc, char **argv)
{
	const struct bench_kind *k;
	unsigned n = 0, bad = 0;
	int err = 0;

	if (bench_unit_insn)
		console_printf("bench: note: under -icount one host thread runs the CPUs in "
			       "turn on one instruction clock, so n_cpu counts every CPU's "
			       "instructions: compare hit counts, not ratios\n");
	for (k = bench_kinds; k->name && !err; k++) {
		if (!wanted(k->name, argc, argv))
			continue;
		err = bench_smp_run(k, quick, &bad);
		if (err)
			console_printf("bench: %s: %s\n", k->name, errno_message(err));
		else
			n++;
	}
	if (!err && wanted(bench_smp_clock_ref.name, argc, argv))
		err = bench_smp_run(&bench_smp_clock_ref, quick, &bad);
	if (!err && wanted(bench_smp_trap_ref.name, argc, argv))
		err = bench_smp_run(&bench_smp_trap_ref, quick, &bad);
	if (!err)
		console_printf("bench: %u kinds on 1 CPU and on every CPU, handler hits %s\n",
			       n, bad ? "WRONG" : "exact");
	return err == -EINTR ? -EINTR : (err || bad) ? 1 : 0;
}

/*
 * bench [--quick] [--cpus] [KIND...]: 0 when every kind ran and its
 * handler counted every call exactly, 1 otherwise (after a message),
 * -EINTR on Ctrl-C, -ENOMEM.
 */
static int cmd_bench(int argc, char **argv)
{
	bool quick, cpus;
	const char *unknown = parse_args(argc, argv, &quick, &cpus);
	const struct bench_kind *k;
	struct bench_result *rs;
	unsigned n = 0, bad = 0;
	int err = 0;

	if (unknown) {
		console_printf("bench: %s: %s (see help bench)\n",
			       unknown[0] == '-' ? "unknown option" : "no such kind", unknown);
		return 1;
	}
	bench_unit_insn = cmdline_says_insn();
	console_printf("bench: unit=%s\n", bench_unit_insn ?
		       "insn (bench_unit=insn: QEMU -icount shift=0, one cycle is one instruction)" :
		       "ns");
	if (cpus)
		return bench_cpus(quick, argc, argv);
	rs = kcalloc(BENCH_MAX_KINDS, sizeof(*rs));
	if (!rs)
		return -ENOMEM;
	for (k = bench_kinds; k->name && !err; k++) {
		if (!wanted(k->name, argc, argv))
			continue;
		err = run_kind(k, quick ? BENCH_QUICK_REPS : BENCH_REPS,
			       quick ? BENCH_QUICK_CALLS : BENCH_CALLS, &rs[n]);
		if (err) {
			console_printf("bench: %s: %s\n", k->name, errno_message(err));
			break;
		}
		bad += !rs[n].hits_ok;
		print_line(&rs[n++]);
	}
	if (!err) {
		bench_scale_figures(quick);
		print_table(rs, n);
		console_printf("bench: %u kinds, handler hits %s\n", n, bad ? "WRONG" : "exact");
	}
	kfree(rs);
	return err == -EINTR ? -EINTR : (err || bad) ? 1 : 0;
}
SHELL_COMMAND(SHELL_TRACING, "bench", "[--quick] [--cpus] [KIND...]",
	      "time each probe kind per hit (BENCH lines, then a table); --cpus: on 1 CPU, "
	      "then every CPU hitting it at once (BENCH_SMP lines: ratio = N-CPU / 1-CPU cost)",
	      cmd_bench);
