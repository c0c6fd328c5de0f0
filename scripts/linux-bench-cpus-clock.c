// SPDX-License-Identifier: MIT
/*
 * clockloop: the Linux side of Loupe's `bench --cpus ref_clock_read`, for
 * scripts/linux-bench-cpus-init.sh (mode ref_clock_read). No probe: a loop
 * of N iterations with (RDTSC=1) or without (0) one RDTSC each, REPS
 * times, printing sysloop.c's plain RESULT line, so that the init's
 * phases and the table treat it as a probe that is "on" with RDTSC=1.
 * Under QEMU's TCG every RDTSC, from any virtual CPU, takes a lock all of
 * them share: its N-CPU ratio is the emulator's, not the kernel's.
 * A loop runs 32 * N iterations: an RDTSC costs about 1/30 of a getppid()
 * call here, so a loop lasts about as long as sysloop's.
 *
 *   gcc -static -O2 -o clockloop linux-bench-cpus-clock.c
 *   clockloop RDTSC LABEL N REPS
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MAXREPS 101

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static inline unsigned long long rdtsc(void)
{
	unsigned lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (unsigned long long)hi << 32 | lo;
}

static double loop(int with_rdtsc, long n)
{
	unsigned long long sink = 0;
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		if (with_rdtsc)
			sink += rdtsc();
		__asm__ volatile("" : "+r"(sink));
	}
	return (now_ns() - t0) / (double)n;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	double t[MAXREPS];
	int with_rdtsc, reps;
	long n;

	if (argc < 5) {
		fprintf(stderr, "usage: clockloop RDTSC(0|1) LABEL N REPS\n");
		return 2;
	}
	with_rdtsc = atoi(argv[1]);
	n = atol(argv[3]) * 32;
	reps = atoi(argv[4]);
	if (reps < 1 || reps > MAXREPS)
		reps = 9;
	loop(with_rdtsc, n / 5 + 100);		/* warm-up */
	for (int r = 0; r < reps; r++)
		t[r] = loop(with_rdtsc, n);
	qsort(t, reps, sizeof(t[0]), cmpd);
	printf("RESULT label=%s n=%ld reps=%d min_ns=%.1f med_ns=%.1f max_ns=%.1f\n", argv[2], n,
	       reps, t[0], reps % 2 ? t[reps / 2] : (t[reps / 2 - 1] + t[reps / 2]) / 2,
	       t[reps - 1]);
	return 0;
}
