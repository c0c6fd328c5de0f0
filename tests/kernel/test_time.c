// SPDX-License-Identifier: MIT
/* Self-tests of the clocks: the TSC clock and the timer tick agree. */
#include <kernel/selftest.h>
#include <kernel/time.h>
#include <asm/cpu.h>

static void clock_is_monotonic(struct selftest *t)
{
	u64 prev = clock_ns();
	int i;

	for (i = 0; i < 100000; i++) {
		u64 now = clock_ns();

		if (now < prev) {
			EXPECT_TRUE(t, now >= prev);
			return;
		}
		prev = now;
	}
}

#define TICK_SAMPLES	41

/*
 * The timer ticks at HZ as measured by the TSC clock. We look at the median
 * gap between consecutive ticks, not their count: under TCG on a busy host
 * QEMU may deliver a tick late or drop one, which changes a few gaps and
 * the count, but not the median, which reflects the timer's calibration.
 */
static void timer_ticks_at_hz(struct selftest *t)
{
	u64 stamp[TICK_SAMPLES], gap[TICK_SAMPLES - 1], period = NSEC_PER_SEC / HZ;
	unsigned i, j;

	for (i = 0; i < TICK_SAMPLES; i++) {
		u64 j0 = jiffies;

		while (jiffies == j0)
			cpu_halt();
		stamp[i] = clock_ns();
	}
	for (i = 0; i + 1 < TICK_SAMPLES; i++) {
		u64 g = stamp[i + 1] - stamp[i];

		for (j = i; j > 0 && gap[j - 1] > g; j--)	/* insertion sort */
			gap[j] = gap[j - 1];
		gap[j] = g;
	}
	EXPECT_TRUE(t, gap[TICK_SAMPLES / 2] > period * 3 / 4);
	EXPECT_TRUE(t, gap[TICK_SAMPLES / 2] < period * 5 / 4);
}

static void udelay_waits_at_least_as_asked(struct selftest *t)
{
	u64 t0 = clock_ns();

	udelay(2000);
	EXPECT_TRUE(t, clock_ns() - t0 >= 2000 * NSEC_PER_USEC);
}

static const struct selftest_case time_cases[] = {
	SELFTEST_CASE(clock_is_monotonic),
	SELFTEST_CASE(timer_ticks_at_hz),
	SELFTEST_CASE(udelay_waits_at_least_as_asked),
};
SELFTEST_SUITE("time", time_cases);
