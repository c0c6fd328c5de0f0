/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for trace/trace_clock.h: the ring buffer's clock. The
 * ring buffer's tests define it (tests/host/ring_buffer_host.c): the
 * host's CLOCK_MONOTONIC in ns, or a value the test sets.
 */
#ifndef TRACE_TRACE_CLOCK_H
#define TRACE_TRACE_CLOCK_H

#include <lib/types.h>

/* A timestamp for an event, from any context. */
u64 trace_clock_read(void);
/* A reading of trace_clock_read() as readers show it (ns already here). */
u64 trace_clock_shown(u64 raw);

#endif
