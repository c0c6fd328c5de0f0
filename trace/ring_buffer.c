// SPDX-License-Identifier: MIT
/*
 * The trace ring buffer: allocation, size, on/off, and the writers. The
 * readers are in ring_buffer_read.c, reset, swap and resize in
 * ring_buffer_resize.c; the API is in ring_buffer.h.
 *
 * Layout. Each CPU has its own ring of 4 KiB pages and three byte
 * positions that only ever grow (see struct rb_cpu): head (oldest byte
 * still wanted), commit (end of what is complete) and tail (end of what is
 * reserved). An event is a 16-byte header (type, length, timestamp) and
 * its payload, 8-byte aligned, and never crosses a page: a writer that
 * would cross one first fills the rest of the page with a padding event.
 *
 *              head               commit             tail
 *   ... ---------+------------------+------------------+-------------- ...
 *     consumed or| complete events: | reserved, maybe  | free, up to
 *     overwritten| readers take     | still being      | head + capacity
 *                | these            | written          |
 *
 * Who moves what:
 *
 *   tail    only writers on this CPU: cmpxchg from the tail they read to
 *           the end of their event. Writers on one CPU are a task and the
 *           interrupts and NMIs that land on top of it, so the cmpxchg only
 *           fails when something nested reserved in between; then the
 *           writer starts over (new position, new timestamp), a bounded
 *           number of times (RB_MAX_TRIES), then drops its event.
 *   commit  only the outermost writer on this CPU, when it commits.
 *   head    readers, and writers that need room: cmpxchg from one event
 *           boundary to the next, after reading the event's header.
 *
 * Nesting. cb->committing counts this CPU's writers between reserve and
 * commit. A nested writer (an interrupt) runs to completion before the
 * writer it interrupted resumes, so when a writer commits with committing
 * == 1 every event below tail is complete, and it publishes commit = tail.
 * Nested writers publish nothing; the writer they interrupted will. The
 * outermost writer re-checks tail after dropping committing to 0: an
 * interrupt that reserved between its read of tail and that drop saw
 * committing == 2 and published nothing, so the writer publishes again.
 * Commit never moves backwards, since only a writer at depth 1 stores it.
 * A reserve that fails at depth 1 also publishes: nested writers may have
 * committed above it.
 *
 * Overwriting. Position p and p + capacity share their bytes. Before a
 * writer moves tail to T it moves head to at least T - capacity, skipping
 * (and counting in overrun) whole events; so head >= tail - capacity
 * always holds and a writer never reuses bytes someone may still want.
 * Like Linux, it overwrites the oldest page whole when it can (head goes
 * on to the page's end), so a full buffer holds between capacity minus a
 * page and capacity, and only the first writer into a page pays for it. It
 * may only skip complete events (below commit); if the way is blocked by
 * an event that an interrupted writer is still filling, the reserve fails
 * and counts a drop. It never waits.
 *
 * Timestamps. A writer reads the clock after reading tail and before its
 * cmpxchg on tail. If the cmpxchg succeeds nobody reserved in between, so
 * the previous event's timestamp was read earlier: timestamps never go
 * backwards within one CPU's buffer.
 *
 * Readers, on any CPU, read only below commit (loaded with acquire: the
 * events there are complete) and copy the event out. A consumer then moves
 * head past it with cmpxchg: success means head never passed the event
 * while it was being copied, so no writer reused its bytes (a writer moves
 * head before it reuses anything), and the copy is whole. Failure means a
 * writer overwrote it or another reader took it; the reader starts over at
 * the new head. An iterator does not move head; after copying it checks
 * rb_intact() (tail still within a capacity of the event) instead. Either
 * way a reader never hands out a torn event, and each event is counted
 * exactly once: read by the consumer whose cmpxchg won, or overrun by the
 * writer whose cmpxchg won.
 *
 * Reset and resize change positions and pages under everyone, so they
 * first set rb->quiesce and wait for the writers (committing) and readers
 * (readers) in flight to leave. Writers and readers raise their counter
 * before they look at the flag and the resetter raises the flag before it
 * looks at the counters, both with seq_cst operations, so at least one
 * side sees the other: a writer either sees the flag and backs out, or is
 * waited for.
 *
 * Environment. Writers and readers keep preemption off while they work,
 * and turn it back on with preempt_enable_no_resched(): a writer may be in
 * an interrupt or on the int3 path, where it must not schedule; a task
 * asked to reschedule meanwhile is preempted at the next interrupt exit or
 * preempt_enable() instead. The buffer calls these, smp_processor_id(),
 * trace_clock_read() and its allocators directly, with no table of
 * function pointers between: the host tests supply the same names through
 * their own headers (tests/host/README).
 */
#include <trace/ring_buffer_internal.h>
#include <trace/trace_clock.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/mm/page_alloc.h>
#include <kernel/nokprobe.h>
#include <kernel/preempt.h>
#include <kernel/smp.h>
#include <asm/cpu.h>
#include <lib/atomic.h>
#include <lib/errno.h>
#include <lib/string.h>

/* Interrupts and NMIs on top of a task (plus a tracer tracing itself). */
#define RB_MAX_NESTING	8

/*
 * Tries a writer makes to claim its bytes. Each failed try means a nested
 * writer reserved between our read of tail and our cmpxchg: an interrupt
 * landing in those few instructions, which does not happen many times in
 * a row. Something that does - a probe on the clock we read in that
 * window, writing an event at every read - would keep us retrying
 * forever; past this many tries we give up and count a drop instead
 * (Linux's ring buffer has the same backstop).
 */
#define RB_MAX_TRIES	64

/* ring_buffer_event_stamp() (ring_buffer.h) reads the word below the payload. */
_Static_assert(offsetof(struct rb_event, data) == offsetof(struct rb_event, ts) + sizeof(u64),
	       "an event's stamp is the last word of its header");

/* ------------------------------------------------------------ pages */

/* Pages per CPU for @bytes, or 0 if @bytes is not a size we accept. */
unsigned long rb_pages_for(size_t bytes)
{
	if (bytes == 0 || bytes > RING_BUFFER_MAX_BYTES)
		return 0;
	return max_t(unsigned long, DIV_ROUND_UP(bytes, RING_BUFFER_PAGE_SIZE),
		     RING_BUFFER_MIN_PAGES);
}

/* Free the first @n pages of @pages (NULL entries skipped) and the array. */
void rb_free_pages(char **pages, unsigned long n)
{
	unsigned long i;

	if (!pages)
		return;
	for (i = 0; i < n; i++)
		if (pages[i])
			free_page(pages[i]);
	kfree(pages);
}

/* An array of @n pages, or NULL with nothing left allocated. */
char **rb_alloc_pages(unsigned long n)
{
	char **pages = kzalloc(n * sizeof(*pages));
	unsigned long i;

	if (!pages)
		return NULL;
	for (i = 0; i < n; i++) {
		pages[i] = alloc_page();
		if (!pages[i]) {
			rb_free_pages(pages, i);
			return NULL;
		}
	}
	return pages;
}

/*
 * Empty @cb and zero its counters. Nobody may be using it - but under
 * quiesce a writer may still pass through its back-out, raising and
 * dropping cb->committing, so that count is left alone: it is back at
 * zero by itself (and zeroed once, when the buffer is allocated).
 */
void rb_cpu_clear(struct rb_cpu *cb)
{
	cb->head = cb->commit = cb->tail = 0;
	atomic_long_set(&cb->read, 0);
	atomic_long_set(&cb->written, 0);
	atomic_long_set(&cb->overrun, 0);
	atomic_long_set(&cb->dropped, 0);
}

/* Install @pages (@n of them) in @cb, emptied. Nobody may be using it. */
void rb_cpu_set_pages(struct rb_cpu *cb, char **pages, unsigned long n)
{
	cb->pages = pages;
	cb->nr_pages = n;
	cb->capacity = (u64)n * RING_BUFFER_PAGE_SIZE;
	rb_cpu_clear(cb);
}

/*
 * A buffer of @nr_cpus per-CPU rings of @bytes_per_cpu each (rounded up
 * to whole pages, at least RING_BUFFER_MIN_PAGES). Returns it, or
 * ERR_PTR(-EINVAL) for a bad size or CPU count, or ERR_PTR(-ENOMEM).
 * Process context (it allocates).
 */
struct ring_buffer *ring_buffer_alloc(size_t bytes_per_cpu, unsigned int nr_cpus)
{
	unsigned long n = rb_pages_for(bytes_per_cpu);
	struct ring_buffer *rb;
	unsigned int cpu;

	if (!n || nr_cpus == 0 || nr_cpus > RING_BUFFER_MAX_CPUS)
		return ERR_PTR(-EINVAL);
	rb = kzalloc(sizeof(*rb));
	if (!rb)
		return ERR_PTR(-ENOMEM);
	rb->nr_cpus = nr_cpus;
	/*
	 * Cache-line aligned (the allocator promises 16 bytes): one CPU's
	 * tail and commit, written on every event, must not share a line
	 * with the next CPU's head, which its writers read on every event
	 * once the buffer is full.
	 */
	rb->cpus_mem = kzalloc(nr_cpus * sizeof(*rb->cpus) + RB_CACHE_LINE);
	if (!rb->cpus_mem)
		goto err_free;
	rb->cpus = (struct rb_cpu *)(((unsigned long)rb->cpus_mem + RB_CACHE_LINE - 1) &
				     ~(unsigned long)(RB_CACHE_LINE - 1));
	for (cpu = 0; cpu < nr_cpus; cpu++) {
		char **pages = rb_alloc_pages(n);

		if (!pages)
			goto err_free;
		rb_cpu_set_pages(&rb->cpus[cpu], pages, n);
		atomic_set(&rb->cpus[cpu].committing, 0);
	}
	return rb;

err_free:
	ring_buffer_free(rb);
	return ERR_PTR(-ENOMEM);
}

/* Free @rb, partial or whole (NULL is fine). No writer or reader may be
 * using it any more: the caller sees to that. */
void ring_buffer_free(struct ring_buffer *rb)
{
	unsigned int cpu;

	if (!rb)
		return;
	if (rb->cpus) {
		for (cpu = 0; cpu < rb->nr_cpus; cpu++)
			rb_free_pages(rb->cpus[cpu].pages, rb->cpus[cpu].nr_pages);
		kfree(rb->cpus_mem);
	}
	kfree(rb);
}

size_t ring_buffer_size_cpu(const struct ring_buffer *rb, unsigned int cpu)
{
	return cpu < rb->nr_cpus ? (size_t)READ_ONCE(rb->cpus[cpu].capacity) : 0;
}

/* The per-CPU size when every CPU has the same, else 0 (buffer_size_kb
 * then reads "X", as on Linux). */
size_t ring_buffer_size(const struct ring_buffer *rb)
{
	size_t size = ring_buffer_size_cpu(rb, 0);
	unsigned int cpu;

	for (cpu = 1; cpu < rb->nr_cpus; cpu++)
		if (ring_buffer_size_cpu(rb, cpu) != size)
			return 0;
	return size;
}

unsigned int ring_buffer_nr_cpus(const struct ring_buffer *rb)
{
	return rb->nr_cpus;
}

/* ------------------------------------------------------------ on/off */

/*
 * Writers test one word, record_off, for both reasons to refuse: its low
 * bit is tracing_on's switch, the rest counts readers that paused
 * recording. Either may change under the other, hence the atomic ops.
 */
void ring_buffer_record_off(struct ring_buffer *rb)
{
	fetch_or(&rb->record_off, RB_OFF);
}

void ring_buffer_record_on(struct ring_buffer *rb)
{
	fetch_and(&rb->record_off, ~RB_OFF);
}

void ring_buffer_record_cpu(struct ring_buffer *rb, unsigned int cpu, bool on)
{
	if (cpu < rb->nr_cpus)
		WRITE_ONCE(rb->cpus[cpu].record_off, !on);
}

bool ring_buffer_record_is_on(const struct ring_buffer *rb)
{
	return !(READ_ONCE(rb->record_off) & RB_OFF);
}

void ring_buffer_record_pause(struct ring_buffer *rb)
{
	fetch_add(&rb->record_off, RB_PAUSE);
}

void ring_buffer_record_resume(struct ring_buffer *rb)
{
	fetch_sub(&rb->record_off, RB_PAUSE);
}

/* ------------------------------------------------------------ writers */

/*
 * The writer's helpers below are __always_inline: each event would
 * otherwise pay a call and a return per helper, and under QEMU's TCG a
 * return is an indirect jump that costs a block lookup. What they inline
 * into (ring_buffer_reserve/commit/discard/write) is NOKPROBE, so they
 * need no entry of their own. rb_make_room(), the overwriting slow path,
 * stays a call.
 */

/*
 * rb_end_write - a writer on this CPU is done (committed, discarded, or
 * failed to reserve). The outermost one publishes everything below tail;
 * the loop catches an interrupt that reserved while it was doing so (see
 * "Nesting" above). Interrupts on this CPU see our accesses in program
 * order, so compiler barriers are all the ordering this dance needs
 * between tail, commit and committing; the release store is for readers
 * on other CPUs.
 */
static __always_inline void rb_end_write(struct rb_cpu *cb)
{
	u64 tail;

	if (atomic_read(&cb->committing) != 1) {
		atomic_dec(&cb->committing);
		return;
	}
	for (;;) {
		tail = READ_ONCE(cb->tail);
		smp_store_release(&cb->commit, tail);
		barrier();
		atomic_dec(&cb->committing);
		barrier();
		if (likely(READ_ONCE(cb->tail) == tail))
			return;
		/* Someone reserved after we read tail: publish again. */
		atomic_inc(&cb->committing);
		barrier();
	}
}

/*
 * rb_make_room - move head to at least @need by skipping the oldest
 * events, counting the data events among them as overrun.
 *
 * It goes on to the end of @need's page when it can, as Linux overwrites
 * the oldest page whole: the writers after us then find their room made
 * and do not call here again until the next page, instead of each paying
 * a call to skip one event. A page's end is always an event boundary
 * (events never cross one; padding fills the rest).
 *
 * Only complete events (below commit) may be skipped. Their headers are
 * read from head on, and then head moves past all of them with one
 * cmpxchg. They are ours to read unless an interrupt or a reader moved
 * head meanwhile (and a writer then reused their bytes): then the cmpxchg
 * fails, as head only grows, and we look again. Returns false if the way
 * to @need is blocked by an event still being written.
 */
static bool rb_make_room(struct rb_cpu *cb, u64 need)
{
	u64 want = ALIGN(need, (u64)RING_BUFFER_PAGE_SIZE);
	struct rb_header h;
	u64 head, pos, commit;
	long data;

	for (;;) {
		head = smp_load_acquire(&cb->head);
		commit = READ_ONCE(cb->commit);
		data = 0;
		for (pos = head; pos < want && pos < commit; pos += h.size) {
			if (!rb_read_header(cb, pos, &h))
				break;
			data += h.type == RB_TYPE_DATA;
		}
		if (pos == head) {
			if (head >= want)
				return true;
			if (head >= commit)
				return head >= need;
			/* A header that makes no sense at head. */
			if (smp_load_acquire(&cb->head) == head)
				return false;	/* corrupt: refuse rather than loop */
			continue;
		}
		if (cmpxchg(&cb->head, head, pos) == head && data)
			atomic_long_add(data, &cb->overrun);
	}
}
NOKPROBE_SYMBOL(rb_make_room);

/* Fill @pad bytes at @pos with a padding event. */
static void rb_write_pad(struct rb_cpu *cb, u64 pos, u32 pad)
{
	struct rb_event *ev = rb_event_at(cb, pos);

	ev->type = RB_TYPE_PAD;
	ev->len = pad;
}

/*
 * rb_reserve_space - claim the bytes for a @len-byte event on @cb and
 * write its header. Returns the event, or NULL if there was no room or
 * nested writers kept taking it (RB_MAX_TRIES).
 */
static __always_inline struct rb_event *rb_reserve_space(struct rb_cpu *cb, u32 len)
{
	u32 size = rb_event_size(len), off, pad;
	unsigned int tries = 0;
	struct rb_event *ev;
	u64 tail, end, ts;

	/* The count is checked after a failed try, not before each: the
	 * usual first try then touches no counter at all. */
	for (;;) {
		tail = READ_ONCE(cb->tail);
		ts = trace_clock_read();
		off = tail % RING_BUFFER_PAGE_SIZE;
		pad = off + size > RING_BUFFER_PAGE_SIZE ? RING_BUFFER_PAGE_SIZE - off : 0;
		end = tail + pad + size;
		/* Full: make room unless an earlier writer made enough - or
		 * refuse the event, when the oldest may not be overwritten. */
		if (end > cb->capacity &&
		    smp_load_acquire(&cb->head) < end - cb->capacity &&
		    (READ_ONCE(cb->no_overwrite) || !rb_make_room(cb, end - cb->capacity)))
			return NULL;
		if (cmpxchg(&cb->tail, tail, end) == tail)
			break;
		if (unlikely(++tries >= RB_MAX_TRIES))
			return NULL;
	}
	/*
	 * The bytes are ours. Make the tail move visible before the stores
	 * that reuse them, for readers checking rb_intact().
	 */
	smp_wmb();
	if (pad)
		rb_write_pad(cb, tail, pad);
	ev = rb_event_at(cb, tail + pad);
	ev->type = RB_TYPE_DATA;
	ev->len = len;
	ev->ts = ts;
	return ev;
}

/*
 * rb_begin_write - the writer side of reserve, preemption already off.
 * Returns the event, or ERR_PTR(-EAGAIN) when a reset/resize is running,
 * -E2BIG or -ENOSPC (counted as dropped). On failure the write is ended.
 */
static __always_inline struct rb_event *rb_begin_write(struct ring_buffer *rb,
						       struct rb_cpu *cb, size_t len)
{
	struct rb_event *ev;
	int depth, err;

	depth = atomic_inc_return(&cb->committing);
	/*
	 * After the seq_cst increment: see the quiesce handshake above. Back
	 * out without publishing: the resetter may be rewriting tail and
	 * commit right now, and any writer nested on us backs out too, as it
	 * sees the same flag.
	 */
	if (unlikely(rb_load_sc(&rb->quiesce))) {
		atomic_dec(&cb->committing);
		return ERR_PTR(-EAGAIN);
	}
	err = -E2BIG;
	if (len > RING_BUFFER_MAX_PAYLOAD)
		goto drop;
	err = -ENOSPC;
	if (depth > RB_MAX_NESTING)
		goto drop;
	ev = rb_reserve_space(cb, (u32)len);
	if (!ev)
		goto drop;
	return ev;

drop:
	atomic_long_inc(&cb->dropped);
	rb_end_write(cb);
	return ERR_PTR(err);
}

/* This CPU's buffer, or NULL if this CPU has none. Preemption off. */
static __always_inline struct rb_cpu *rb_this_cpu(struct ring_buffer *rb)
{
	unsigned int cpu = smp_processor_id();

	return cpu < rb->nr_cpus ? &rb->cpus[cpu] : NULL;
}

/* reserve with an error code; preemption stays off on success only. */
static __always_inline struct rb_event *rb_reserve(struct ring_buffer *rb, size_t len)
{
	struct rb_event *ev;
	struct rb_cpu *cb;

	/*
	 * No look at rb->quiesce here: rb_begin_write() must look after its
	 * increment anyway (the handshake), and rb->cpus itself never moves,
	 * so a writer that comes during a reset or resize backs out there.
	 */
	if (unlikely(READ_ONCE(rb->record_off)))
		return ERR_PTR(-EAGAIN);
	preempt_disable();
	cb = rb_this_cpu(rb);
	if (cb && unlikely(READ_ONCE(cb->record_off)))
		cb = NULL;		/* this CPU is not recording */
	ev = cb ? rb_begin_write(rb, cb, len) : ERR_PTR(-EAGAIN);
	if (IS_ERR(ev))
		preempt_enable_no_resched();
	return ev;
}

void ring_buffer_set_overwrite(struct ring_buffer *rb, bool overwrite)
{
	unsigned int cpu;

	for (cpu = 0; cpu < rb->nr_cpus; cpu++)
		WRITE_ONCE(rb->cpus[cpu].no_overwrite, !overwrite);
}

bool ring_buffer_overwrites(const struct ring_buffer *rb)
{
	return !READ_ONCE(rb->cpus[0].no_overwrite);
}

void *ring_buffer_reserve(struct ring_buffer *rb, size_t len)
{
	struct rb_event *ev = rb_reserve(rb, len);

	return IS_ERR(ev) ? NULL : ev->data;
}
NOKPROBE_SYMBOL(ring_buffer_reserve);

/*
 * This CPU's buffer for a writer that reserved on it: the reserve found
 * one, and preemption has stayed off since, so no bound to check.
 */
static __always_inline struct rb_cpu *rb_writer_cpu(struct ring_buffer *rb)
{
	return &rb->cpus[smp_processor_id()];
}

/* Publish the event reserved on this CPU and end the reservation (it
 * turns preemption back on). Only the reserving context may call it. */
void ring_buffer_commit(struct ring_buffer *rb, void *data __always_unused)
{
	struct rb_cpu *cb = rb_writer_cpu(rb);

	atomic_long_inc(&cb->written);
	rb_end_write(cb);
	preempt_enable_no_resched();
}
NOKPROBE_SYMBOL(ring_buffer_commit);

/* Drop a reserved event instead of committing it: it becomes padding,
 * which readers skip. Ends the reservation, as a commit would. */
void ring_buffer_discard(struct ring_buffer *rb, void *data)
{
	struct rb_event *ev = container_of(data, struct rb_event, data);
	struct rb_cpu *cb = rb_writer_cpu(rb);

	/* Readers cannot see it yet (it is above commit): just retype it. */
	ev->type = RB_TYPE_PAD;
	ev->len = rb_event_size(ev->len);
	rb_end_write(cb);
	preempt_enable_no_resched();
}
NOKPROBE_SYMBOL(ring_buffer_discard);

/* Reserve, copy @len bytes in, commit. 0 or the reservation's errno. */
int ring_buffer_write(struct ring_buffer *rb, const void *data, size_t len)
{
	struct rb_event *ev = rb_reserve(rb, len);

	if (IS_ERR(ev))
		return PTR_ERR(ev);
	memcpy(ev->data, data, len);
	ring_buffer_commit(rb, ev->data);
	return 0;
}
NOKPROBE_SYMBOL(ring_buffer_write);

/* ------------------------------------------------------------ counters */

u64 ring_buffer_written_cpu(const struct ring_buffer *rb, unsigned int cpu)
{
	return cpu < rb->nr_cpus ? (u64)atomic_long_read(&rb->cpus[cpu].written) : 0;
}

/* @cpu's counters (all zero past the last CPU), read without stopping
 * its writers: a consistent-enough snapshot, never negative. */
void ring_buffer_cpu_stats(struct ring_buffer *rb, unsigned int cpu,
			   struct ring_buffer_stats *st)
{
	u64 gone, head, commit;
	struct rb_cpu *cb;

	memset(st, 0, sizeof(*st));
	if (cpu >= rb->nr_cpus)
		return;
	cb = &rb->cpus[cpu];
	/* Read what leaves before what enters, so entries does not go negative. */
	st->read = atomic_long_read_acquire(&cb->read);
	st->overrun = atomic_long_read_acquire(&cb->overrun);
	st->dropped = atomic_long_read(&cb->dropped);
	st->written = atomic_long_read_acquire(&cb->written);
	gone = st->read + st->overrun;
	st->entries = st->written > gone ? st->written - gone : 0;
	/*
	 * head, then commit: commit only grows, so it is at least the head
	 * we read - unless a reset came between, hence the check.
	 */
	head = smp_load_acquire(&cb->head);
	commit = smp_load_acquire(&cb->commit);
	st->bytes = commit > head ? commit - head : 0;
}

/* The sums of ring_buffer_cpu_stats() over every CPU. */
void ring_buffer_stats(struct ring_buffer *rb, struct ring_buffer_stats *st)
{
	struct ring_buffer_stats one;
	unsigned int cpu;

	memset(st, 0, sizeof(*st));
	for (cpu = 0; cpu < rb->nr_cpus; cpu++) {
		ring_buffer_cpu_stats(rb, cpu, &one);
		st->entries += one.entries;
		st->written += one.written;
		st->overrun += one.overrun;
		st->dropped += one.dropped;
		st->read += one.read;
		st->bytes += one.bytes;
	}
}

u64 ring_buffer_entries(struct ring_buffer *rb)
{
	struct ring_buffer_stats st;

	ring_buffer_stats(rb, &st);
	return st.entries;
}

u64 ring_buffer_overrun(struct ring_buffer *rb)
{
	struct ring_buffer_stats st;

	ring_buffer_stats(rb, &st);
	return st.overrun;
}
