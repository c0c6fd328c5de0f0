/* SPDX-License-Identifier: MIT */
/*
 * The ring buffer's environment on the host, shared by its unit tests
 * (test_ring_buffer*.c) and its thread stress tests
 * (test_ring_buffer_stress.c); defined in ring_buffer_host.c. The buffer
 * asks the kernel's own functions (smp_processor_id(), trace_clock_read(),
 * alloc_page() ...), which the headers of tests/host/shim/ stand in for;
 * these are the controls the tests turn.
 *
 * A "CPU" is a thread: each test thread says which CPU it plays with
 * rbh_set_cpu(). The clock is CLOCK_MONOTONIC, or a value the test sets
 * for exact timestamps. Preemption is a per-thread counter that tests
 * check comes back to zero; memory is counted so tests can check nothing
 * leaks. A checked payload format (struct tev) lets a reader prove an
 * event is whole: every word is a function of the event's identity.
 */
#ifndef TESTS_HOST_RING_BUFFER_HOST_H
#define TESTS_HOST_RING_BUFFER_HOST_H

#include <trace/ring_buffer.h>

/* The CPU the calling thread plays. */
void rbh_set_cpu(unsigned int cpu);
/* Use @ns as the clock from now on (fake), or the real clock again. */
void rbh_set_clock(u64 ns);
void rbh_real_clock(void);
/* Call @hook (NULL: nothing) on each clock read of this thread: what a
 * probe on the kernel's clock does to a writer reading it. */
void rbh_set_clock_hook(void (*hook)(void));
/* preempt_disable depth of the calling thread (0 outside the buffer). */
int rbh_preempt_depth(void);
/* Allocations (objects + pages) not yet freed. */
long rbh_outstanding(void);
/* Let at most @pages buffer pages be allocated at once (< 0: no limit),
 * as a kernel whose memory the buffer has taken would. */
void rbh_set_page_limit(long pages);

/* A self-checking event payload: stream, sequence and checked words. */
struct tev {
	u32 magic;
	u16 cpu;
	u16 stream;
	u64 seq;
	u32 nwords;
	u32 sum;
	u64 w[];
};

#define TEV_MAGIC	0x7e57e7e5U
#define TEV_MAX_WORDS	((RING_BUFFER_MAX_PAYLOAD - sizeof(struct tev)) / sizeof(u64))

static inline size_t tev_size(u32 nwords)
{
	return sizeof(struct tev) + nwords * sizeof(u64);
}

/* Fill @t (tev_size(@nwords) bytes) for event @seq of @stream on @cpu. */
void tev_fill(struct tev *t, unsigned int cpu, unsigned int stream, u64 seq, u32 nwords);
/* True if @rec holds one whole struct tev, every word as tev_fill made it. */
bool tev_intact(const struct ring_buffer_record *rec);

#endif
