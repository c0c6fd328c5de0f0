/* SPDX-License-Identifier: MIT */
/*
 * What trace/ring_buffer.c (allocation, writers) and
 * trace/ring_buffer_read.c (readers) share: the layout of a CPU's buffer
 * and of an event in it, and the checks both sides make on a header that
 * a writer might be overwriting. Nothing outside those two files includes
 * this; the design is explained at the top of ring_buffer.c.
 */
#ifndef TRACE_RING_BUFFER_INTERNAL_H
#define TRACE_RING_BUFFER_INTERNAL_H

#include <trace/ring_buffer.h>
#include <lib/atomic.h>
#include <lib/compiler.h>

/* Event types; unlikely bit patterns, so garbage rarely passes for one. */
#define RB_TYPE_DATA	0x7a3dU		/* a payload of len bytes */
#define RB_TYPE_PAD	0x5ad0U		/* len bytes to skip, header included */

/*
 * An event as it sits in a page. A padding event may be only 8 bytes long
 * (the end of a page): only type and len exist for it, never ts.
 */
struct rb_event {
	u32 type;
	u32 len;
	u64 ts;
	u64 data[];
};

#define RB_HDR_SIZE	((u32)sizeof(struct rb_event))
#define RB_PAD_MIN	8U
#define RB_ALIGN	8U

/*
 * One CPU's buffer. Positions (head, commit, tail) are byte counts since
 * the last reset: they only grow, so they never wrap and a stale one can
 * never look current again. Position p lives in page (p / PAGE_SIZE) %
 * nr_pages at offset p % PAGE_SIZE.
 *
 *   head    first byte not yet read or overwritten. Moved forward, one
 *           whole event at a time, with cmpxchg, by readers (consuming)
 *           and by this CPU's writers (overwriting the oldest).
 *   commit  everything below is complete. Stored (release) only by the
 *           outermost writer on this CPU.
 *   tail    first free byte. Moved with cmpxchg by this CPU's writers.
 *
 * Always head <= commit <= tail <= head + capacity.
 *
 * head is written from other CPUs and tail/commit only from this one, so
 * they sit on different cache lines.
 */
#define RB_CACHE_LINE	64

struct rb_cpu {
	u64 head;
	atomic_long_t read;		/* events consumed */

	u64 tail __aligned(RB_CACHE_LINE);
	u64 commit;
	atomic_t committing;		/* writers between reserve and commit */
	int record_off;			/* tracing_cpumask left this CPU out */
	atomic_long_t written;		/* events committed */
	atomic_long_t overrun;		/* events overwritten unread */
	atomic_long_t dropped;		/* reserves refused (see stats) */

	char **pages;			/* stable except under quiesce */
	unsigned long nr_pages;
	u64 capacity;			/* nr_pages * RING_BUFFER_PAGE_SIZE */
	/* Full: refuse new events, keep the old (every CPU's the same; here,
	 * not in struct ring_buffer, so that the writer needs no pointer to
	 * that in its loop: one more live register costs a spill per event). */
	bool no_overwrite;
};

struct ring_buffer {
	unsigned int nr_cpus;
	int record_off;			/* RB_OFF | pauses * RB_PAUSE; 0: record */
	int quiesce;			/* reset/resize in progress */
	atomic_t readers;		/* consume/peek calls in flight */
	atomic_t iters;			/* iterators open */
	struct rb_cpu *cpus;		/* [nr_cpus], in cpus_mem, line-aligned */
	void *cpus_mem;			/* what kzalloc() gave */
};

/* record_off: tracing_on's bit, and a count of pauses above it. */
#define RB_OFF		1
#define RB_PAUSE	2

/* A header read and checked by rb_read_header(). */
struct rb_header {
	u32 type;
	u32 len;			/* payload bytes (DATA) */
	u32 size;			/* bytes the event takes, header included */
	u64 ts;				/* DATA only */
};

/* Bytes an event with a @len-byte payload takes in a page. */
static inline u32 rb_event_size(u32 len)
{
	return ALIGN(RB_HDR_SIZE + len, RB_ALIGN);
}

/* Where position @pos lives. */
static inline struct rb_event *rb_event_at(const struct rb_cpu *cb, u64 pos)
{
	char *page = cb->pages[(pos / RING_BUFFER_PAGE_SIZE) % cb->nr_pages];

	return (struct rb_event *)(page + pos % RING_BUFFER_PAGE_SIZE);
}

/*
 * A load that takes part in the single total order of seq_cst operations.
 * Flag checks in a "set mine, then look at yours" handshake (reset and
 * resize against writers and readers) need it: two sides that each store
 * then load could otherwise both miss the other's store. On x86 this is a
 * plain load; the RMW before it is what carries the cost.
 */
static inline int rb_load_sc(const int *p)
{
	return smp_load_mb(p);
}

/*
 * rb_read_header - read the header at @pos and check it makes sense
 *
 * The header may be under a writer's pen (a reader on another CPU, or a
 * writer interrupted after it looked at head); so each field is read once
 * and checked before anything trusts it: a known type, a length in range,
 * and an event that ends inside its page. Passing the check does not prove
 * the header current — callers still confirm that nobody overwrote @pos
 * (see ring_buffer.c) — but it keeps a garbage length from sending a copy
 * out of the page. Returns true if the header is plausible.
 */
static inline bool rb_read_header(const struct rb_cpu *cb, u64 pos, struct rb_header *h)
{
	const struct rb_event *ev = rb_event_at(cb, pos);
	u32 room = RING_BUFFER_PAGE_SIZE - pos % RING_BUFFER_PAGE_SIZE;

	h->type = READ_ONCE(ev->type);
	h->len = READ_ONCE(ev->len);
	h->ts = 0;
	if (h->type == RB_TYPE_DATA) {
		if (h->len > RING_BUFFER_MAX_PAYLOAD)
			return false;
		h->size = rb_event_size(h->len);
		if (h->size > room)
			return false;
		h->ts = READ_ONCE(ev->ts);	/* in the page: size > 8 fits */
		return true;
	}
	if (h->type == RB_TYPE_PAD) {
		h->size = h->len;
		return h->len >= RB_PAD_MIN && h->len % RB_ALIGN == 0 && h->len <= room;
	}
	return false;
}

/*
 * rb_intact - were the bytes from @pos on still unwritten by newer events
 * when the caller finished reading them?
 *
 * Position p and p + capacity share their bytes, and a writer writes below
 * tail only after moving tail there (ring_buffer.c). So while tail <=
 * @pos + capacity, no byte at or after @pos was reused. The read barrier
 * orders the caller's reads of the event before this read of tail; the
 * writer's smp_wmb() orders its tail move before its stores.
 *
 * When this returns false, head has passed @pos, and a later acquire load
 * of head will show it: the writer moved head before it moved tail, and
 * we read tail with acquire.
 */
static inline bool rb_intact(const struct rb_cpu *cb, u64 pos)
{
	smp_rmb();
	return smp_load_acquire(&cb->tail) <= pos + cb->capacity;
}

/* Pages (ring_buffer.c), shared with reset and resize (ring_buffer_resize.c). */

/* Pages per CPU for @bytes, or 0 if @bytes is not a size we accept. */
unsigned long rb_pages_for(size_t bytes);
/* An array of @n pages, or NULL with nothing left allocated; and its free
 * (the first @n pages, NULL entries skipped, then the array). */
char **rb_alloc_pages(unsigned long n);
void rb_free_pages(char **pages, unsigned long n);
/* Empty @cb and zero its counters, or install @n @pages in it, emptied.
 * Nobody may be using it. */
void rb_cpu_clear(struct rb_cpu *cb);
void rb_cpu_set_pages(struct rb_cpu *cb, char **pages, unsigned long n);

#endif /* TRACE_RING_BUFFER_INTERNAL_H */
