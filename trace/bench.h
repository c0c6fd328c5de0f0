/* SPDX-License-Identifier: MIT */
/* The probe benchmark (trace/bench.c) and its kinds (trace/bench_kinds.c). */
#ifndef TRACE_BENCH_H
#define TRACE_BENCH_H

#include <lib/types.h>

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
extern unsigned long bench_hits;

void bench_empty_call(unsigned long x);
/* The scale figures (BENCH kind=... ms=...). */
void bench_scale_figures(bool quick);

#endif
