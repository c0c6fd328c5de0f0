/* SPDX-License-Identifier: MIT */
/*
 * The benchmark's target: a small function with a fentry site and a few
 * ordinary instructions (push %rbp first, which a kprobe can boost). Its
 * body is defined once here and compiled twice: bench_target() with the
 * fentry site, bench_target_nopg() without (the `nop` kind's baseline).
 */
#ifndef KERNEL_WORKLOADS_BENCH_TARGET_H
#define KERNEL_WORKLOADS_BENCH_TARGET_H

#define BENCH_TARGET_BODY(x)	\
	int y = (x) * 3;	\
	barrier();		\
	return y ^ ((x) >> 2)

int bench_target(int x);
int bench_target_nopg(int x);

#endif
