// SPDX-License-Identifier: MIT
/*
 * The time-stamp counter as the kernel's clock.
 *
 * At boot the PIT (a crystal of known frequency, 1.193182 MHz) measures how
 * fast the TSC runs. From then on the monotonic clock is the TSC scaled to
 * nanoseconds: cheap to read (one rdtsc, a multiply and a shift) from any
 * context, which tracing needs for its timestamps.
 */
#include <asm/io.h>
#include <asm/cpu.h>
#include <arch/x86/time.h>
#include <kernel/nokprobe.h>
#include <kernel/time.h>

#define PIT_HZ		1193182ULL
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_GATE	0x61

u64 tsc_khz;
static u64 tsc_at_boot;
static u32 tsc_mult;		/* ns = (tsc * mult) >> TSC_SHIFT */
#define TSC_SHIFT	22

u64 pit_wait_ms(unsigned ms)
{
	u64 ticks = PIT_HZ * ms / 1000;
	u8 gate = inb(PIT_GATE);

	/* Channel 2, mode 0 (count down once), gate on, speaker off. */
	outb(PIT_GATE, (gate & ~0x02) | 0x01);
	outb(PIT_CMD, 0xb0);
	outb(PIT_CH2, ticks & 0xff);
	outb(PIT_CH2, (ticks >> 8) & 0xff);
	while (!(inb(PIT_GATE) & 0x20))		/* OUT2 rises at terminal count */
		cpu_relax();
	outb(PIT_GATE, gate);
	return ticks * 1000000000ULL / PIT_HZ;
}

void tsc_init(void)
{
	u64 t0 = rdtsc_ordered();
	u64 ns = pit_wait_ms(PIT_CALIBRATE_MS);
	u64 t1 = rdtsc_ordered();

	tsc_khz = (t1 - t0) * 1000000ULL / ns;
	tsc_mult = (u32)((1000000ULL << TSC_SHIFT) / tsc_khz);
	tsc_at_boot = t0;
}

/* A TSC reading in nanoseconds since tsc_init(); 0 before it. Any context. */
static __always_inline u64 tsc_to_ns(u64 tsc)
{
	u64 delta;

	if (!tsc_mult)
		return 0;
	delta = tsc - tsc_at_boot;
	/* Split so the multiply cannot overflow for centuries of uptime. */
	return ((delta >> TSC_SHIFT) * tsc_mult) +
	       (((delta & ((1ULL << TSC_SHIFT) - 1)) * tsc_mult) >> TSC_SHIFT);
}

static __always_inline u64 tsc_ns(void)
{
	return tsc_to_ns(rdtsc());
}

u64 clock_ns(void)
{
	return tsc_ns();
}

/*
 * The same clock for the tracers' timestamps, under a name of its own (as
 * Linux has trace_clock_local()) so that clock_ns() stays probeable. This
 * one is not: the ring buffer reads it inside its reserve loop, and an
 * event fired there moves the tail the loop is about to claim, so the
 * writer retries, reads the clock and fires again. With a kprobe event on
 * the clock, `run fib 5` under the function tracer once wrote 61,507 such
 * events and not one line for fib.
 */
u64 trace_clock_ns(void)
{
	return tsc_ns();
}
NOKPROBE_SYMBOL(trace_clock_ns);

/* A reading from before tsc_init() (never a ring-buffer event's, in
 * practice) is 0, as trace_clock_ns() gave then. */
u64 trace_clock_raw_to_ns(u64 raw)
{
	return raw < tsc_at_boot ? 0 : tsc_to_ns(raw);
}
/* The graph tracer's hooks turn their records' stamps into call times. */
NOKPROBE_SYMBOL(trace_clock_raw_to_ns);

u64 cycles_to_ns(u64 cycles)
{
	return tsc_khz ? cycles * 1000000ULL / tsc_khz : 0;
}

u64 clock_cycles(void)
{
	return rdtsc_ordered();
}

u64 clock_tsc_khz(void)
{
	return tsc_khz;
}
