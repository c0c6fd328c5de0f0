/* SPDX-License-Identifier: MIT */
/*
 * Time: a monotonic nanosecond clock (the TSC scaled, arch code), and
 * jiffies, the tick count the scheduler keeps.
 */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include <asm/cpu.h>
#include <kernel/arch.h>
#include <lib/compiler.h>
#include <lib/types.h>

#define HZ		250
#define NSEC_PER_SEC	1000000000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_USEC	1000ULL

/* The clock itself is the arch's: clock_ns(), trace_clock_ns(),
 * clock_cycles() ... in kernel/arch.h. */
/*
 * The clock unscaled, as the ring buffer stamps events: the TSC, read
 * inline (no call, no multiply on every event). trace_clock_raw_to_ns()
 * gives what trace_clock_ns() would have returned at that moment; readers
 * convert when they copy an event out.
 */
static __always_inline u64 trace_clock_raw(void)
{
	return rdtsc();
}

extern volatile u64 jiffies;

/* What `uptime` prints, into @buf. */
int uptime_format(char *buf, size_t size);

/**
 * timer_tick_set_hook - have the timer interrupt call @fn on every tick
 * @fn: the hook, run in hard-interrupt context with interrupts off; NULL
 *      removes the hook
 *
 * One hook at a time, for tests that need to run code in interrupt
 * context alongside a task. Once a removal returns, a tick on this CPU no
 * longer calls the old hook (ticks on other CPUs may still be finishing
 * it). Returns 0, or -EBUSY if another hook is set.
 */
int timer_tick_set_hook(void (*fn)(void));

/* Spin for @us microseconds. */
void udelay(u64 us);

#endif
