/* SPDX-License-Identifier: MIT */
/*
 * The clock trace records are stamped with (trace/trace_clock.c), chosen
 * in trace_clock as on Linux. Most are nanosecond clocks, which Loupe
 * reads from the TSC (stored raw, converted when read); three are not:
 *
 *	counter		a count shared by every CPU, one more per event:
 *			the order of events, exactly, and nothing of time
 *	uptime		jiffies, in Linux's clock_t units (1/100 s)
 *	x86-tsc		the TSC's cycles
 *
 * Records of those print their raw value instead of seconds.
 */
#ifndef TRACE_TRACE_CLOCK_H
#define TRACE_TRACE_CLOCK_H

#include <kernel/time.h>
#include <lib/atomic.h>
#include <lib/compiler.h>
#include <lib/types.h>

/* How the current clock reads: each clock of the file maps to one. */
enum trace_clock_kind {
	TRACE_CLOCK_TSC_NS,		/* local, global, perf, mono ...: TSC, shown in s */
	TRACE_CLOCK_COUNTER,
	TRACE_CLOCK_UPTIME,
	TRACE_CLOCK_TSC_RAW,		/* x86-tsc */
};

extern int trace_clock_kind;
extern u64 trace_clock_counter;

/* Linux's USER_HZ: the unit of the uptime clock. */
#define TRACE_CLOCK_USER_HZ	100

/* The current clock's reading, for the ring buffer's writers. Any context. */
static __always_inline u64 trace_clock_read(void)
{
	enum trace_clock_kind kind = READ_ONCE(trace_clock_kind);

	if (likely(kind == TRACE_CLOCK_TSC_NS))	/* local, the default: one test */
		return trace_clock_raw();
	switch (kind) {
	case TRACE_CLOCK_COUNTER:
		return fetch_add_relaxed(&trace_clock_counter, 1) + 1;
	case TRACE_CLOCK_UPTIME:
		return jiffies * TRACE_CLOCK_USER_HZ / HZ;
	default:
		return trace_clock_raw();
	}
}

/* A reading of the current clock as records show it: ns, or raw. */
static __always_inline u64 trace_clock_shown(u64 raw)
{
	return READ_ONCE(trace_clock_kind) == TRACE_CLOCK_TSC_NS ? trace_clock_raw_to_ns(raw) : raw;
}

/* Are timestamps nanoseconds (printed as seconds.micro)? */
static inline bool trace_clock_in_ns(void)
{
	return READ_ONCE(trace_clock_kind) == TRACE_CLOCK_TSC_NS;
}

struct seq_out;
/* A record's timestamp as the trace line shows it, with the ": " after. */
void trace_clock_print_ts(struct seq_out *s, u64 ts);

#endif
