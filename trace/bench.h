/* SPDX-License-Identifier: MIT */
/*
 * The probe benchmark (trace/bench.c), its kinds (trace/bench_kinds.c) and
 * its N-CPU mode (trace/bench_smp.c).
 */
#ifndef TRACE_BENCH_H
#define TRACE_BENCH_H

#include <lib/types.h>
#include <lib/compiler.h>
#include <asm/percpu.h>

#define BENCH_MAX_KINDS	32

/*
 * One kind: how to set it up once, switch its probe on and off between
 * repetitions (not timed), and what to call: base_fn when off, probed_fn
 * when on (with an extra empty call after each if extra_call).
 */
struct bench_kind {
	const char *name;
	int (*setup)(void);
	void (*teardown)(void);
	int (*on)(void);
	int (*off)(void);
	int (*base_fn)(int);
	int (*probed_fn)(int);
	bool extra_call;
	bool counts_hits;	/* its handler counts bench_hits */
};

extern const struct bench_kind bench_kinds[];	/* ends with a NULL name */

/*
 * The hits the kinds' handlers count: one word per CPU, so that CPUs
 * hitting the same probe at once never write a shared line (and never
 * lose a count to a race). bench_hit() is one instruction, from any
 * context; the sum is read when nothing counts.
 */
DECLARE_PER_CPU(unsigned long, bench_hits);

static __always_inline void bench_hit(void)
{
	this_cpu_inc(bench_hits);
}

/* Add @n hits counted elsewhere (a probe event's own counter). */
static inline void bench_hits_add(unsigned long n)
{
	this_cpu_add(bench_hits, n);
}

unsigned long bench_hits_sum(void);
void bench_hits_reset(void);

/* Calls @fn @calls times (and bench_empty_call() after each if
 * @extra_call); returns the TSC cycles the loop took. */
u64 bench_time_loop(int (*fn)(int), unsigned long calls, bool extra_call);
/* Units/1000 per call (ns, or instructions: bench_unit_insn) for @cycles
 * spent on @calls calls. */
u64 bench_per_call_x1000(u64 cycles, unsigned long calls);
extern bool bench_unit_insn;

/* `bench --cpus`: every kind on one CPU, then on every CPU at once. */
int bench_smp_run(const struct bench_kind *k, bool quick, unsigned *bad);
/* Not probes: a read of the trace clock, and an exception taken and
 * returned from - the emulator's own scaling of what probes do. */
extern const struct bench_kind bench_smp_clock_ref;
extern const struct bench_kind bench_smp_trap_ref;

void bench_empty_call(unsigned long x);
/* The scale figures (BENCH kind=... ms=...). */
void bench_scale_figures(bool quick);

#endif
