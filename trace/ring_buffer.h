/* SPDX-License-Identifier: MIT */
/*
 * The trace ring buffer: where every tracer and probe event records.
 *
 * One buffer per CPU, each a ring of 4 KiB pages. A writer records on the
 * CPU it runs on, without a lock and without ever waiting, from any context:
 * task, interrupt, NMI, or the int3 path of a kprobe, including a writer
 * that interrupts another writer on the same CPU. When a CPU's buffer is
 * full the oldest events are overwritten and counted (overrun). Each event
 * carries a nanosecond timestamp taken when it was reserved.
 *
 * Readers run on any CPU while writers write:
 *
 *   ring_buffer_consume*()   take the oldest event off one CPU, or off
 *                            whichever CPU has the oldest (trace_pipe);
 *   ring_buffer_iter_*()     walk what was there when the walk started,
 *                            in time order, leaving it in place (trace);
 *                            of every CPU, or of one (per_cpu/cpuN/trace).
 *
 * Both copy each event out into a struct ring_buffer_record, checking that
 * no writer overwrote it during the copy; a reader never sees a half-written
 * or half-overwritten event. ring_buffer.c explains how.
 *
 * The buffer is generic C that also builds into the host unit tests. The
 * few things it needs from its surroundings (which CPU is this, what time is
 * it, pages of memory, preemption off) it asks of the kernel by the
 * kernel's own names (smp_processor_id(), trace_clock_read(), alloc_page(),
 * preempt_disable() ...); the host tests stand in for them through their
 * own headers (tests/host/README).
 */
#ifndef TRACE_RING_BUFFER_H
#define TRACE_RING_BUFFER_H

#include <lib/types.h>
#include <lib/compiler.h>

/* Sub-buffer size: events never straddle one. */
#define RING_BUFFER_PAGE_SIZE	4096UL
/* Largest payload one event may carry. */
#define RING_BUFFER_MAX_PAYLOAD	1024U
/* Every CPU's buffer has at least this many pages, and at most MAX_BYTES. */
#define RING_BUFFER_MIN_PAGES	2UL
#define RING_BUFFER_MAX_BYTES	(256UL << 20)
#define RING_BUFFER_MAX_CPUS	64U

/**
 * struct ring_buffer_record - one event, copied out of the buffer
 * @ts:   nanosecond timestamp taken when the event was reserved
 * @cpu:  the CPU whose buffer held it
 * @len:  payload length in bytes, as given to reserve/write
 * @data: the payload; its start is 8-byte aligned
 *
 * About 1 KiB: allocate one, do not put it on a small stack.
 */
struct ring_buffer_record {
	u64 ts;
	unsigned int cpu;
	unsigned int len;
	u64 data[RING_BUFFER_MAX_PAYLOAD / sizeof(u64)];
};

/**
 * struct ring_buffer_stats - one CPU's counters (or their sum)
 * @entries: events in the buffer now: written - overrun - read
 * @written: events committed
 * @overrun: events overwritten by newer ones before anyone read them
 * @dropped: writes refused: event too large, writers nested too deeply,
 *           or no room because what is in the way is still being written
 * @read:    events taken off by ring_buffer_consume*()
 * @bytes:   bytes the unread events take in the buffer now, their
 *           headers and any padding between them included
 *
 * Counted since ring_buffer_alloc, the last reset or the last resize.
 * Exact when no writer is writing; while one is, a snapshot may be an
 * event off. Writes refused because recording is off are not counted.
 */
struct ring_buffer_stats {
	u64 entries;
	u64 written;
	u64 overrun;
	u64 dropped;
	u64 read;
	u64 bytes;
};

struct ring_buffer;
struct ring_buffer_iter;

/* ------------------------------------------------- life and size */

/**
 * ring_buffer_alloc - a buffer of @bytes_per_cpu for each of @nr_cpus CPUs
 * @bytes_per_cpu: rounded up to whole pages, at least RING_BUFFER_MIN_PAGES
 * @nr_cpus:       CPUs 0 .. nr_cpus - 1 may write (at most
 *                 RING_BUFFER_MAX_CPUS); a writer on any other CPU is
 *                 ignored
 *
 * Recording starts on. Context: process (allocates).
 * Returns the buffer, ERR_PTR(-EINVAL) for a size of 0 or above
 * RING_BUFFER_MAX_BYTES or a bad CPU count, or ERR_PTR(-ENOMEM).
 */
struct ring_buffer *ring_buffer_alloc(size_t bytes_per_cpu, unsigned int nr_cpus);

/**
 * ring_buffer_free - free @rb and everything in it; NULL is a no-op
 *
 * The caller guarantees that no writer or reader can still reach @rb
 * (tracers unregistered, and a grace period waited for).
 */
void ring_buffer_free(struct ring_buffer *rb);

/**
 * ring_buffer_resize - give each CPU @bytes_per_cpu (buffer_size_kb)
 *
 * The contents and counters are discarded, as by ring_buffer_reset().
 * Shrinking frees pages in place and needs no memory; growing allocates
 * the whole new buffer before it lets the old one go.
 * Writers racing with the resize are refused (not counted).
 * Context: process; waits (briefly) for writers and readers in flight.
 * Returns 0; -EINVAL for 0 or more than RING_BUFFER_MAX_BYTES; -ENOMEM,
 * leaving the old buffer as it was; -EBUSY if an iterator is open or a
 * reset/resize is already running.
 */
int ring_buffer_resize(struct ring_buffer *rb, size_t bytes_per_cpu);

/**
 * ring_buffer_resize_cpu - give only @cpu's buffer @bytes_per_cpu
 *
 * As ring_buffer_resize() (per_cpu/cpuN/buffer_size_kb), for one CPU:
 * only @cpu's contents and counters are discarded, but writers on every
 * CPU are refused (not counted) for the moment the pages change hands.
 * Returns as ring_buffer_resize(), and -EINVAL for a bad @cpu.
 */
int ring_buffer_resize_cpu(struct ring_buffer *rb, unsigned int cpu, size_t bytes_per_cpu);

/*
 * ring_buffer_size - bytes each CPU's buffer holds (after rounding), or 0
 * if the CPUs' sizes differ (ring_buffer_resize_cpu). ring_buffer_size_cpu
 * - bytes @cpu's buffer holds; 0 for a bad @cpu.
 */
size_t ring_buffer_size(const struct ring_buffer *rb);
size_t ring_buffer_size_cpu(const struct ring_buffer *rb, unsigned int cpu);
unsigned int ring_buffer_nr_cpus(const struct ring_buffer *rb);

/**
 * ring_buffer_reset - discard every event and zero the counters (echo > trace)
 *
 * Context: process; waits (briefly) for writers and readers in flight.
 * Returns 0, or -EBUSY if an iterator is open or a reset/resize is
 * already running.
 */
int ring_buffer_reset(struct ring_buffer *rb);

/**
 * ring_buffer_reset_cpu - discard @cpu's events and zero its counters
 *
 * What `echo > per_cpu/cpuN/trace` does: the other CPUs keep their events
 * and counters. Writers on every CPU are refused (not counted) while it
 * runs, which is as briefly as for ring_buffer_reset().
 * Context and returns as ring_buffer_reset(), and -EINVAL for a bad @cpu.
 */
int ring_buffer_reset_cpu(struct ring_buffer *rb, unsigned int cpu);

/**
 * ring_buffer_swap_cpu - exchange the contents of @cpu's buffer in @a and
 * @b, or of every CPU's for @cpu < 0 (the snapshot file's swap)
 *
 * Pages, events and counters change sides: a CPU's events stay together
 * and in order, in the other buffer. Both buffers are quiesced for the
 * moment it takes, so writers racing with it are refused (not counted).
 * Context: process. Returns 0; -EINVAL if the buffers have different CPU
 * counts or @cpu is out of range; -EBUSY as for ring_buffer_reset().
 */
int ring_buffer_swap_cpu(struct ring_buffer *a, struct ring_buffer *b, int cpu);

/* ------------------------------------------------- recording on/off */

/*
 * ring_buffer_set_overwrite - what a full CPU buffer does with a new
 * event: overwrite its oldest events (@overwrite, the default, counted as
 * overrun), or refuse the new one and keep the old (counted as dropped),
 * as Linux's options/overwrite. Any context; takes effect at the next
 * write that finds the buffer full.
 */
void ring_buffer_set_overwrite(struct ring_buffer *rb, bool overwrite);
bool ring_buffer_overwrites(const struct ring_buffer *rb);

/* tracing_on: writers are refused (silently) while recording is off. */
void ring_buffer_record_off(struct ring_buffer *rb);
void ring_buffer_record_on(struct ring_buffer *rb);
bool ring_buffer_record_is_on(const struct ring_buffer *rb);
/*
 * ring_buffer_record_cpu - let @cpu's writers record (@on) or refuse them
 * (silently, as with recording off): tracing_cpumask. A bad @cpu is
 * ignored. Stays with the buffer's CPU slot: ring_buffer_swap_cpu() does
 * not move it. Context: any.
 */
void ring_buffer_record_cpu(struct ring_buffer *rb, unsigned int cpu, bool on);

/*
 * Pause recording while a reader walks the buffer (pause-on-trace), so
 * that nothing it has yet to read is overwritten. Pauses nest and are
 * separate from tracing_on: writers are refused (silently) while either
 * says so. Each pause needs its resume. Context: any.
 */
void ring_buffer_record_pause(struct ring_buffer *rb);
void ring_buffer_record_resume(struct ring_buffer *rb);

/* ------------------------------------------------- writing */

/**
 * ring_buffer_reserve - room for a @len-byte event on this CPU's buffer
 *
 * Takes the timestamp and disables preemption. On success the caller fills
 * the returned payload (8-byte aligned, @len bytes) and must then call
 * ring_buffer_commit() or ring_buffer_discard(), on this CPU, before
 * anything else that might sleep. Reserves nest: an interrupt or NMI may
 * reserve and commit while this CPU's task is between its own reserve and
 * commit.
 *
 * Context: any, including NMI. Never waits, never takes a lock.
 * Returns the payload, or NULL (preemption left as it was) if recording
 * is off, @len exceeds RING_BUFFER_MAX_PAYLOAD, or there is no room;
 * the last two are counted in stats.dropped.
 */
void *ring_buffer_reserve(struct ring_buffer *rb, size_t len);

/**
 * ring_buffer_event_stamp - the clock reading ring_buffer_reserve() stamped
 * @data: the payload it returned (reserved, not yet committed or discarded)
 *
 * The stamp is the header's last word, just below the payload (a build
 * check in ring_buffer.c keeps it there). A writer that needs the time of
 * its event reads it here instead of reading the clock again. Context:
 * the reserving writer's.
 */
static __always_inline u64 ring_buffer_event_stamp(const void *data)
{
	return ((const u64 *)data)[-1];
}

/**
 * ring_buffer_commit - publish the event ring_buffer_reserve() returned
 * @data: that payload
 *
 * Readers see the event once the outermost nested writer on this CPU has
 * committed. Re-enables preemption. Context: as for reserve, same CPU.
 */
void ring_buffer_commit(struct ring_buffer *rb, void *data);

/**
 * ring_buffer_discard - give up a reserved event (a filter said no)
 *
 * Its space stays used but readers skip it and it counts nowhere.
 * Re-enables preemption. Context: as for ring_buffer_commit().
 */
void ring_buffer_discard(struct ring_buffer *rb, void *data);

/**
 * ring_buffer_write - reserve, copy @len bytes from @data, commit
 *
 * Context: any. Returns 0; -EAGAIN if recording is off or a reset/resize
 * is running; -E2BIG if @len is too large; -ENOSPC if there was no room
 * (those two counted in stats.dropped).
 */
int ring_buffer_write(struct ring_buffer *rb, const void *data, size_t len);

/* ------------------------------------------------- reading */

/**
 * ring_buffer_consume - take the oldest event off @cpu's buffer
 * @rec: filled with the event on success
 *
 * Any number of readers may consume at once, from any CPU, concurrently
 * with writers. Context: any; does not sleep.
 * Returns 0; -ENODATA if the buffer is empty; -EINVAL for a bad @cpu;
 * -EAGAIN if a reset/resize is running or writers kept overwriting the
 * event being read (try again).
 */
int ring_buffer_consume(struct ring_buffer *rb, unsigned int cpu,
			struct ring_buffer_record *rec);

/**
 * ring_buffer_consume_next - take the oldest event of any CPU (trace_pipe)
 *
 * Compares the oldest event of every CPU by timestamp (the lowest CPU
 * wins a tie) and consumes that one; rec->cpu says which. Context and
 * returns as for ring_buffer_consume(), without -EINVAL.
 */
int ring_buffer_consume_next(struct ring_buffer *rb, struct ring_buffer_record *rec);

/* True if no CPU has an event to read. */
bool ring_buffer_empty(struct ring_buffer *rb);

/**
 * ring_buffer_oldest_ts - timestamp of the oldest event on @cpu's buffer
 * @ts: set on success
 *
 * Leaves the event in place (per_cpu/cpuN/stats shows it). Context: any;
 * does not sleep. Returns 0; -ENODATA if the buffer is empty; -EINVAL
 * for a bad @cpu; -EAGAIN as for ring_buffer_consume().
 */
int ring_buffer_oldest_ts(struct ring_buffer *rb, unsigned int cpu, u64 *ts);

/* Counters of one CPU, or (ring_buffer_stats) summed over all CPUs. */
void ring_buffer_cpu_stats(struct ring_buffer *rb, unsigned int cpu,
			   struct ring_buffer_stats *st);
void ring_buffer_stats(struct ring_buffer *rb, struct ring_buffer_stats *st);
/*
 * ring_buffer_written_cpu - events committed on @cpu since the last
 * reset or resize (0 for a bad @cpu): one load, for a caller that only
 * wants to know whether anything was written since it last looked.
 * Context: any.
 */
u64 ring_buffer_written_cpu(const struct ring_buffer *rb, unsigned int cpu);

/* Shorthands: events in the buffer now; events lost to overwriting. */
u64 ring_buffer_entries(struct ring_buffer *rb);
u64 ring_buffer_overrun(struct ring_buffer *rb);

/**
 * ring_buffer_iter_start - begin a non-consuming walk (cat trace)
 *
 * The walk covers the events committed before this call, all CPUs merged
 * in timestamp order; events written afterwards are not part of it, so it
 * ends even while writers keep writing. Events overwritten before the walk
 * reaches them are skipped. While an iterator is open, reset and resize
 * fail with -EBUSY. Context: process (allocates).
 * Returns the iterator, ERR_PTR(-ENOMEM), or ERR_PTR(-EAGAIN) during a
 * reset/resize.
 */
struct ring_buffer_iter *ring_buffer_iter_start(struct ring_buffer *rb);

/**
 * ring_buffer_iter_start_cpu - begin a non-consuming walk of @cpu alone
 *
 * As ring_buffer_iter_start() (per_cpu/cpuN/trace), over the events of
 * one CPU's buffer. Returns the iterator, ERR_PTR(-EINVAL) for a bad
 * @cpu, ERR_PTR(-ENOMEM) or ERR_PTR(-EAGAIN).
 */
struct ring_buffer_iter *ring_buffer_iter_start_cpu(struct ring_buffer *rb, unsigned int cpu);

/**
 * ring_buffer_iter_next - copy the next event of the walk into @rec
 *
 * Context: process or interrupt; one caller per iterator at a time.
 * Returns 0, or -ENODATA at the end of the walk.
 */
int ring_buffer_iter_next(struct ring_buffer_iter *iter, struct ring_buffer_record *rec);

/*
 * ring_buffer_iter_peek_cpu - copy the next event of @cpu in the walk into
 * @rec, without stepping past it: the walk returns it in its turn, unless
 * ring_buffer_iter_skip_cpu() drops it first (if it is still the next of
 * @cpu). Same context as ring_buffer_iter_next(). Returns 0, or -ENODATA
 * when @cpu has no more in this walk.
 */
int ring_buffer_iter_peek_cpu(struct ring_buffer_iter *iter, unsigned int cpu,
			      struct ring_buffer_record *rec);
void ring_buffer_iter_skip_cpu(struct ring_buffer_iter *iter, unsigned int cpu);

/* ring_buffer_iter_end - finish the walk and free @iter; NULL is a no-op. */
void ring_buffer_iter_end(struct ring_buffer_iter *iter);

#endif /* TRACE_RING_BUFFER_H */
