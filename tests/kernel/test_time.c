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

static void ticks_match_the_clock(struct selftest *t)
{
	u64 j0 = jiffies, t0 = clock_ns();
	u64 ticks, ms;

	while (clock_ns() - t0 < 200 * NSEC_PER_MSEC)
		cpu_halt();
	ticks = jiffies - j0;
	ms = (clock_ns() - t0) / NSEC_PER_MSEC;
	/*
	 * 200 ms is 50 ticks at 250 Hz. Under TCG on a busy host QEMU may
	 * coalesce timer interrupts, so ticks can fall behind the TSC but
	 * never run ahead of it: a generous floor, a tight ceiling.
	 */
	EXPECT_TRUE(t, ticks * 1000 / HZ >= ms / 2);
	EXPECT_TRUE(t, ticks * 1000 / HZ <= ms * 11 / 10 + 1000 / HZ);
}

static void udelay_waits_at_least_as_asked(struct selftest *t)
{
	u64 t0 = clock_ns();

	udelay(2000);
	EXPECT_TRUE(t, clock_ns() - t0 >= 2000 * NSEC_PER_USEC);
}

static const struct selftest_case time_cases[] = {
	SELFTEST_CASE(clock_is_monotonic),
	SELFTEST_CASE(ticks_match_the_clock),
	SELFTEST_CASE(udelay_waits_at_least_as_asked),
};
SELFTEST_SUITE("time", time_cases);
