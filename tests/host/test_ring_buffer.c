// SPDX-License-Identifier: MIT
/*
 * Host tests for the trace ring buffer (trace/ring_buffer*.c), one thread
 * at a time: sizes, event lengths and alignment, wrap-around, overwriting
 * and its counters, timestamps, the merged reader's order, the iterator
 * leaving events in place, reset, resize, recording on/off, and nested
 * writers played out by hand in the order an interrupt would produce.
 * The threaded stress tests are in test_ring_buffer_stress.c.
 *
 * Every test ends through rb_done(), which frees the buffer and checks
 * that preemption is balanced and no memory is left allocated.
 */
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "ring_buffer_host.h"
#include <lib/compiler.h>
#include <lib/errno.h>

#define PAGE		RING_BUFFER_PAGE_SIZE
#define MAX_PAYLOAD	RING_BUFFER_MAX_PAYLOAD

static struct ring_buffer_record rec;

static struct ring_buffer *rb_new(size_t bytes, unsigned int nr_cpus)
{
	struct ring_buffer *rb = ring_buffer_alloc(bytes, nr_cpus);

	cr_assert(!IS_ERR(rb), "ring_buffer_alloc: %ld", PTR_ERR(rb));
	rbh_set_cpu(0);
	rbh_real_clock();
	return rb;
}

static void rb_done(struct ring_buffer *rb)
{
	ring_buffer_free(rb);
	cr_expect_eq(rbh_preempt_depth(), 0, "preemption left disabled");
	cr_expect_eq(rbh_outstanding(), 0, "%ld allocations leaked", rbh_outstanding());
}

/* Write one u64 @v as an event's whole payload. */
static void put(struct ring_buffer *rb, u64 v)
{
	cr_assert_eq(ring_buffer_write(rb, &v, sizeof(v)), 0);
}

/* Consume the next event of any CPU and return its u64 payload. */
static u64 take(struct ring_buffer *rb)
{
	cr_assert_eq(ring_buffer_consume_next(rb, &rec), 0);
	cr_assert_eq(rec.len, sizeof(u64));
	return rec.data[0];
}

static void stats(struct ring_buffer *rb, struct ring_buffer_stats *st)
{
	ring_buffer_stats(rb, st);
}

/* ------------------------------------------------------------ sizes */

Test(ring_buffer, alloc_refuses_bad_arguments)
{
	cr_expect_eq(PTR_ERR(ring_buffer_alloc(0, 1)), -EINVAL);
	cr_expect_eq(PTR_ERR(ring_buffer_alloc(RING_BUFFER_MAX_BYTES + 1, 1)), -EINVAL);
	cr_expect_eq(PTR_ERR(ring_buffer_alloc(PAGE, 0)), -EINVAL);
	cr_expect_eq(PTR_ERR(ring_buffer_alloc(PAGE, RING_BUFFER_MAX_CPUS + 1)), -EINVAL);
	cr_expect_eq(rbh_outstanding(), 0);
}

Test(ring_buffer, size_rounds_up_to_pages_with_a_minimum)
{
	struct ring_buffer *rb = rb_new(1, 3);

	cr_expect_eq(ring_buffer_size(rb), RING_BUFFER_MIN_PAGES * PAGE);
	cr_expect_eq(ring_buffer_nr_cpus(rb), 3);
	cr_expect_eq(ring_buffer_resize(rb, 5 * PAGE + 1), 0);
	cr_expect_eq(ring_buffer_size(rb), 6 * PAGE);
	rb_done(rb);
}

/* ------------------------------------------------------------ events */

Test(ring_buffer, empty_buffer_has_nothing_to_read)
{
	struct ring_buffer *rb = rb_new(PAGE, 2);

	cr_expect(ring_buffer_empty(rb));
	cr_expect_eq(ring_buffer_consume(rb, 0, &rec), -ENODATA);
	cr_expect_eq(ring_buffer_consume(rb, 2, &rec), -EINVAL);
	cr_expect_eq(ring_buffer_consume_next(rb, &rec), -ENODATA);
	cr_expect_eq(ring_buffer_entries(rb), 0);
	rb_done(rb);
}

Test(ring_buffer, every_length_from_zero_to_max_comes_back_whole)
{
	struct ring_buffer *rb = rb_new(4 * PAGE, 1);
	u8 buf[MAX_PAYLOAD];

	for (u32 len = 0; len <= MAX_PAYLOAD; len++) {
		for (u32 i = 0; i < len; i++)
			buf[i] = (u8)(len * 31 + i);
		cr_assert_eq(ring_buffer_write(rb, buf, len), 0, "len %u", len);
		cr_assert_eq(ring_buffer_consume(rb, 0, &rec), 0, "len %u", len);
		cr_assert_eq(rec.len, len);
		cr_assert_eq(memcmp(rec.data, buf, len), 0, "payload of len %u", len);
	}
	cr_expect_eq(ring_buffer_overrun(rb), 0);
	rb_done(rb);
}

Test(ring_buffer, too_large_event_is_refused_and_counted)
{
	struct ring_buffer *rb = rb_new(4 * PAGE, 1);
	static u8 big[MAX_PAYLOAD + 1];
	struct ring_buffer_stats st;

	cr_expect_null(ring_buffer_reserve(rb, MAX_PAYLOAD + 1));
	cr_expect_eq(ring_buffer_write(rb, big, sizeof(big)), -E2BIG);
	cr_expect_eq(rbh_preempt_depth(), 0);
	stats(rb, &st);
	cr_expect_eq(st.dropped, 2);
	cr_expect_eq(st.written, 0);
	cr_expect(ring_buffer_empty(rb));
	rb_done(rb);
}

Test(ring_buffer, reserved_payload_is_8_byte_aligned)
{
	struct ring_buffer *rb = rb_new(2 * PAGE, 1);

	for (size_t len = 0; len < 200; len += 3) {
		void *p = ring_buffer_reserve(rb, len);

		cr_assert_not_null(p);
		cr_expect_eq((uintptr_t)p % 8, 0, "len %zu at %p", len, p);
		cr_expect_eq(rbh_preempt_depth(), 1, "reserve keeps preemption off");
		memset(p, 0x5a, len);
		ring_buffer_commit(rb, p);
	}
	rb_done(rb);
}

Test(ring_buffer, consuming_while_writing_wraps_many_times_without_loss)
{
	struct ring_buffer *rb = rb_new(2 * PAGE, 1);
	struct ring_buffer_stats st;
	u64 next = 0;

	/* 20000 events of 24 bytes: about 60 trips round two pages. */
	for (u64 i = 0; i < 20000; i++) {
		put(rb, i);
		if (i % 7 == 6)
			while (ring_buffer_consume(rb, 0, &rec) == 0)
				cr_assert_eq(rec.data[0], next++);
	}
	while (ring_buffer_consume(rb, 0, &rec) == 0)
		cr_assert_eq(rec.data[0], next++);
	cr_expect_eq(next, 20000);
	stats(rb, &st);
	cr_expect_eq(st.overrun, 0);
	cr_expect_eq(st.read, 20000);
	cr_expect_eq(st.written, 20000);
	rb_done(rb);
}

/* ------------------------------------------------------------ overwrite */

Test(ring_buffer, full_buffer_drops_the_oldest_and_counts_them)
{
	struct ring_buffer *rb = rb_new(2 * PAGE, 1);
	struct ring_buffer_stats st;
	u64 n = 5000, first, kept;

	for (u64 i = 0; i < n; i++)
		put(rb, i);
	stats(rb, &st);
	kept = st.entries;
	cr_expect_eq(st.written, n);
	cr_expect_eq(st.overrun + kept, n);
	/* 24-byte events: two pages hold about 340 of them; the oldest page
	 * is overwritten whole, so at least one page's worth stays. */
	cr_expect(kept >= PAGE / 24 && kept <= 2 * PAGE / 24, "kept %llu", (unsigned long long)kept);

	first = take(rb);
	cr_expect_eq(first, n - kept, "the newest %llu survive", (unsigned long long)kept);
	for (u64 i = first + 1; i < n; i++)
		cr_assert_eq(take(rb), i);
	cr_expect_eq(ring_buffer_consume(rb, 0, &rec), -ENODATA);
	stats(rb, &st);
	cr_expect_eq(st.read + st.overrun, n);
	cr_expect_eq(st.entries, 0);
	rb_done(rb);
}

Test(ring_buffer, without_overwrite_a_full_buffer_keeps_the_oldest)
{
	struct ring_buffer *rb = rb_new(2 * PAGE, 1);
	struct ring_buffer_stats st;
	u64 v = 0, n = 5000, kept, i;

	ring_buffer_set_overwrite(rb, false);
	cr_expect(!ring_buffer_overwrites(rb));
	for (i = 0; i < n; i++)
		if (ring_buffer_write(rb, &i, sizeof(i)))
			v++;
	stats(rb, &st);
	kept = st.entries;
	cr_expect_eq(st.overrun, 0);
	cr_expect_eq(st.dropped, v, "refused writes are counted as dropped");
	cr_expect_eq(kept + st.dropped, n);
	cr_expect(kept >= PAGE / 24 && kept <= 2 * PAGE / 24, "kept %llu", (unsigned long long)kept);
	for (i = 0; i < kept; i++)
		cr_assert_eq(take(rb), i, "the oldest stay, in order");
	/* What a reader took is room again; switched back, it overwrites. */
	put(rb, n);
	cr_expect_eq(take(rb), n);
	ring_buffer_set_overwrite(rb, true);
	for (i = 0; i < n; i++)
		put(rb, i);
	stats(rb, &st);
	cr_expect(st.overrun > 0);
	rb_done(rb);
}

Test(ring_buffer, mixed_sizes_overwrite_only_whole_events)
{
	struct ring_buffer *rb = rb_new(3 * PAGE, 1);
	struct tev *t;
	struct ring_buffer_stats st;
	u64 seq, expect;

	t = malloc(MAX_PAYLOAD);
	for (seq = 0; seq < 3000; seq++) {
		tev_fill(t, 0, 0, seq, (u32)(seq * 37 % (TEV_MAX_WORDS + 1)));
		cr_assert_eq(ring_buffer_write(rb, t, tev_size(t->nwords)), 0);
	}
	free(t);
	stats(rb, &st);
	expect = 3000 - st.entries;
	while (ring_buffer_consume(rb, 0, &rec) == 0) {
		cr_assert(tev_intact(&rec), "event %llu torn", (unsigned long long)expect);
		cr_assert_eq(((struct tev *)rec.data)->seq, expect++);
	}
	cr_expect_eq(expect, 3000);
	stats(rb, &st);
	cr_expect_eq(st.read + st.overrun, 3000);
	rb_done(rb);
}

/* ------------------------------------------------------------ time */

Test(ring_buffer, timestamp_is_taken_at_reserve)
{
	struct ring_buffer *rb = rb_new(PAGE, 1);
	u64 *p;

	rbh_set_clock(1000);
	p = ring_buffer_reserve(rb, sizeof(*p));
	cr_assert_not_null(p);
	*p = 7;
	rbh_set_clock(5000);
	ring_buffer_commit(rb, p);
	cr_assert_eq(ring_buffer_consume(rb, 0, &rec), 0);
	cr_expect_eq(rec.ts, 1000);
	cr_expect_eq(rec.data[0], 7);
	rbh_real_clock();
	rb_done(rb);
}

Test(ring_buffer, timestamps_never_go_backwards_on_one_cpu)
{
	struct ring_buffer *rb = rb_new(8 * PAGE, 1);
	u64 prev = 0, n = 0;

	for (u64 i = 0; i < 1000; i++)
		put(rb, i);
	while (ring_buffer_consume(rb, 0, &rec) == 0) {
		cr_assert_geq(rec.ts, prev);
		cr_assert_neq(rec.ts, 0);
		prev = rec.ts;
		n++;
	}
	cr_expect_eq(n, 1000);
	rb_done(rb);
}

Test(ring_buffer, merged_reader_returns_all_cpus_in_time_order)
{
	static const struct { unsigned int cpu; u64 ts; } w[] = {
		{ 0, 10 }, { 0, 30 }, { 1, 20 }, { 0, 50 }, { 2, 5 }, { 1, 40 }, { 2, 40 },
	};
	static const u64 order[] = { 5, 10, 20, 30, 40, 40, 50 };
	static const unsigned int cpus[] = { 2, 0, 1, 0, 1, 2, 0 };
	struct ring_buffer *rb = rb_new(PAGE, 3);

	for (size_t i = 0; i < ARRAY_SIZE(w); i++) {
		rbh_set_cpu(w[i].cpu);
		rbh_set_clock(w[i].ts);
		put(rb, w[i].ts);
	}
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		cr_assert_eq(take(rb), order[i]);
		cr_expect_eq(rec.ts, order[i]);
		cr_expect_eq(rec.cpu, cpus[i], "tie at 40: lower CPU first");
	}
	cr_expect_eq(ring_buffer_consume_next(rb, &rec), -ENODATA);
	rbh_real_clock();
	rb_done(rb);
}

Test(ring_buffer, writer_on_a_cpu_without_buffer_is_ignored)
{
	struct ring_buffer *rb = rb_new(PAGE, 2);
	u64 v = 1;

	rbh_set_cpu(5);
	cr_expect_eq(ring_buffer_write(rb, &v, sizeof(v)), -EAGAIN);
	cr_expect_eq(rbh_preempt_depth(), 0);
	rbh_set_cpu(0);
	cr_expect(ring_buffer_empty(rb));
	rb_done(rb);
}

/* ------------------------------------------------------------ iterator */

/* Walk @rb with an iterator; check payloads @first.. in order; return count. */
static u64 iterate(struct ring_buffer *rb, u64 first)
{
	struct ring_buffer_iter *it = ring_buffer_iter_start(rb);
	u64 n = 0;

	cr_assert(!IS_ERR(it));
	while (ring_buffer_iter_next(it, &rec) == 0)
		cr_assert_eq(rec.data[0], first + n++);
	ring_buffer_iter_end(it);
	return n;
}

Test(ring_buffer, iterator_reads_without_consuming)
{
	struct ring_buffer *rb = rb_new(2 * PAGE, 2);

	for (u64 i = 0; i < 100; i++) {
		rbh_set_cpu(i % 2);
		put(rb, i);
	}
	cr_expect_eq(iterate(rb, 0), 100);
	cr_expect_eq(iterate(rb, 0), 100, "a second walk sees the same");
	cr_expect_eq(ring_buffer_entries(rb), 100);
	for (u64 i = 0; i < 100; i++)
		cr_assert_eq(take(rb), i);
	cr_expect_eq(iterate(rb, 0), 0);
	rb_done(rb);
}

/*
 * Peeking one CPU's next event reaches past any number of other CPUs'
 * (function_graph's fold of a call and its return), leaves it in the
 * walk, and skipping drops exactly that one.
 */
Test(ring_buffer, iterator_peeks_and_skips_one_cpus_next)
{
	struct ring_buffer *rb = rb_new(8 * PAGE, 2);
	struct ring_buffer_iter *it;
	u64 n = 0;

	rbh_set_cpu(0);
	put(rb, 0);			/* a call on CPU 0 ... */
	rbh_set_cpu(1);
	for (u64 i = 1; i <= 300; i++)	/* ... CPU 1 meanwhile ... */
		put(rb, i);
	rbh_set_cpu(0);
	put(rb, 301);			/* ... and its return */
	put(rb, 302);
	it = ring_buffer_iter_start(rb);
	cr_assert(!IS_ERR(it));
	cr_assert_eq(ring_buffer_iter_next(it, &rec), 0);
	cr_assert_eq(rec.data[0], 0);
	cr_assert_eq(ring_buffer_iter_peek_cpu(it, 0, &rec), 0);
	cr_expect_eq(rec.data[0], 301);
	cr_assert_eq(ring_buffer_iter_peek_cpu(it, 0, &rec), 0, "a peek takes nothing");
	cr_expect_eq(rec.data[0], 301);
	ring_buffer_iter_skip_cpu(it, 0);
	ring_buffer_iter_skip_cpu(it, 0);	/* no peek since: nothing more */
	while (ring_buffer_iter_next(it, &rec) == 0)
		cr_assert_eq(rec.data[0], n == 300 ? 302 : ++n);
	cr_expect_eq(n, 300);
	cr_expect_eq(ring_buffer_iter_peek_cpu(it, 1, &rec), -ENODATA);
	ring_buffer_iter_end(it);
	rb_done(rb);
}

Test(ring_buffer, iterator_stops_at_what_was_there_when_it_started)
{
	struct ring_buffer *rb = rb_new(4 * PAGE, 1);
	struct ring_buffer_iter *it;

	for (u64 i = 0; i < 10; i++)
		put(rb, i);
	it = ring_buffer_iter_start(rb);
	cr_assert(!IS_ERR(it));
	for (u64 i = 10; i < 20; i++)
		put(rb, i);
	for (u64 i = 0; i < 10; i++) {
		cr_assert_eq(ring_buffer_iter_next(it, &rec), 0);
		cr_assert_eq(rec.data[0], i);
	}
	cr_expect_eq(ring_buffer_iter_next(it, &rec), -ENODATA);
	ring_buffer_iter_end(it);
	rb_done(rb);
}

Test(ring_buffer, iterator_skips_what_was_overwritten_or_consumed)
{
	struct ring_buffer *rb = rb_new(2 * PAGE, 1);
	struct ring_buffer_iter *it;
	u64 prev = 0, n = 0;

	for (u64 i = 0; i < 300; i++)
		put(rb, i);
	it = ring_buffer_iter_start(rb);
	cr_assert(!IS_ERR(it));
	cr_assert_eq(ring_buffer_iter_next(it, &rec), 0);
	cr_assert_eq(rec.data[0], 0);
	for (u64 i = 300; i < 500; i++)	/* overwrite events 0 .. ~160 */
		put(rb, i);
	cr_assert_eq(take(rb), ring_buffer_overrun(rb));	/* and consume one */
	while (ring_buffer_iter_next(it, &rec) == 0) {
		cr_assert_gt(rec.data[0], prev);
		cr_assert_lt(rec.data[0], 300, "beyond the walk's end");
		cr_assert_gt(rec.data[0], ring_buffer_overrun(rb), "an overwritten event");
		prev = rec.data[0];
		n++;
	}
	cr_expect_eq(prev, 299);
	cr_expect_eq(n, 300 - ring_buffer_overrun(rb) - 1);
	ring_buffer_iter_end(it);
	rb_done(rb);
}

Test(ring_buffer, open_iterator_makes_reset_and_resize_busy)
{
	struct ring_buffer *rb = rb_new(PAGE, 1);
	struct ring_buffer_iter *it;

	put(rb, 1);
	it = ring_buffer_iter_start(rb);
	cr_assert(!IS_ERR(it));
	cr_expect_eq(ring_buffer_reset(rb), -EBUSY);
	cr_expect_eq(ring_buffer_resize(rb, 4 * PAGE), -EBUSY);
	cr_expect_eq(ring_buffer_size(rb), 2 * PAGE);
	cr_expect_eq(ring_buffer_iter_next(it, &rec), 0);
	ring_buffer_iter_end(it);
	cr_expect_eq(ring_buffer_reset(rb), 0);
	rb_done(rb);
}

/* ------------------------------------------------------------ control */

Test(ring_buffer, reset_empties_every_cpu_and_zeroes_counters)
{
	struct ring_buffer *rb = rb_new(2 * PAGE, 2);
	struct ring_buffer_stats st;

	for (u64 i = 0; i < 1000; i++) {
		rbh_set_cpu(i % 2);
		put(rb, i);
	}
	take(rb);
	cr_assert_eq(ring_buffer_reset(rb), 0);
	cr_expect(ring_buffer_empty(rb));
	stats(rb, &st);
	cr_expect_eq(st.entries + st.written + st.overrun + st.read + st.dropped, 0);
	put(rb, 42);
	cr_expect_eq(take(rb), 42);
	rb_done(rb);
}

Test(ring_buffer, resize_refuses_bad_sizes_and_keeps_working)
{
	struct ring_buffer *rb = rb_new(2 * PAGE, 2);
	static const size_t sizes[] = { 16 * PAGE, 1, 3 * PAGE, 64 * 1024 };

	put(rb, 1);
	cr_expect_eq(ring_buffer_resize(rb, 0), -EINVAL);
	cr_expect_eq(ring_buffer_resize(rb, RING_BUFFER_MAX_BYTES + 1), -EINVAL);
	cr_expect_eq(take(rb), 1, "a refused resize keeps the events");
	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		u64 n = 0, first;

		cr_assert_eq(ring_buffer_resize(rb, sizes[s]), 0);
		cr_expect(ring_buffer_empty(rb));
		for (u64 i = 0; i < 3000; i++)
			put(rb, i);
		first = 3000 - ring_buffer_entries(rb);
		while (ring_buffer_consume(rb, 0, &rec) == 0)
			cr_assert_eq(rec.data[0], first + n++);
		cr_expect_eq(first + n, 3000);
		cr_expect_eq(ring_buffer_overrun(rb), first);
	}
	rb_done(rb);
}

/* buffer_size_kb after a resize that took nearly all memory: shrinking
 * must not need memory for a second buffer first. */
Test(ring_buffer, shrinking_needs_no_new_pages)
{
	struct ring_buffer *rb = rb_new(2 * PAGE, 2);
	u64 first;

	rbh_set_page_limit(2 * 64 + 4);
	cr_assert_eq(ring_buffer_resize(rb, 64 * PAGE), 0);
	cr_expect_eq(ring_buffer_resize(rb, 80 * PAGE), -ENOMEM, "growing past the limit");
	cr_expect_eq(ring_buffer_size(rb), 64 * PAGE, "a refused grow keeps the size");
	cr_assert_eq(ring_buffer_resize(rb, 63 * PAGE), 0, "shrinking by one page");
	cr_assert_eq(ring_buffer_resize(rb, 3 * PAGE), 0, "shrinking a lot");
	cr_expect_eq(ring_buffer_size(rb), 3 * PAGE);
	for (u64 i = 0; i < 1000; i++)
		put(rb, i);
	first = 1000 - ring_buffer_entries(rb);
	cr_expect(first > 0, "three pages held 1000 events");
	cr_expect_eq(take(rb), first, "the shrunk buffer keeps the newest events");
	cr_assert_eq(ring_buffer_resize(rb, 60 * PAGE), 0, "growing back within the limit");
	rbh_set_page_limit(-1);
	rb_done(rb);
}

Test(ring_buffer, recording_off_refuses_writes_without_counting)
{
	struct ring_buffer *rb = rb_new(PAGE, 1);
	struct ring_buffer_stats st;
	u64 v = 3;

	cr_expect(ring_buffer_record_is_on(rb));
	ring_buffer_record_off(rb);
	cr_expect(!ring_buffer_record_is_on(rb));
	cr_expect_null(ring_buffer_reserve(rb, 8));
	cr_expect_eq(ring_buffer_write(rb, &v, sizeof(v)), -EAGAIN);
	stats(rb, &st);
	cr_expect_eq(st.dropped + st.written, 0);
	ring_buffer_record_on(rb);
	put(rb, 4);
	cr_expect_eq(take(rb), 4);
	rb_done(rb);
}

Test(ring_buffer, pauses_nest_and_are_apart_from_recording_off)
{
	struct ring_buffer *rb = rb_new(PAGE, 1);
	struct ring_buffer_stats st;
	u64 v = 5;

	ring_buffer_record_pause(rb);
	ring_buffer_record_pause(rb);
	cr_expect(ring_buffer_record_is_on(rb), "a pause is not tracing_on 0");
	cr_expect_eq(ring_buffer_write(rb, &v, sizeof(v)), -EAGAIN);
	ring_buffer_record_resume(rb);
	cr_expect_eq(ring_buffer_write(rb, &v, sizeof(v)), -EAGAIN, "one pause is left");
	ring_buffer_record_off(rb);
	ring_buffer_record_resume(rb);
	cr_expect_eq(ring_buffer_write(rb, &v, sizeof(v)), -EAGAIN, "recording is still off");
	ring_buffer_record_pause(rb);
	ring_buffer_record_on(rb);
	cr_expect_eq(ring_buffer_write(rb, &v, sizeof(v)), -EAGAIN, "a pause outlives tracing_on 1");
	ring_buffer_record_resume(rb);
	stats(rb, &st);
	cr_expect_eq(st.dropped + st.written, 0, "refused writes are not counted");
	put(rb, 6);
	cr_expect_eq(take(rb), 6);
	rb_done(rb);
}

Test(ring_buffer, discarded_event_is_never_seen)
{
	struct ring_buffer *rb = rb_new(PAGE, 1);
	struct ring_buffer_stats st;
	u64 *p;

	put(rb, 1);
	p = ring_buffer_reserve(rb, 100);
	cr_assert_not_null(p);
	ring_buffer_discard(rb, p);
	put(rb, 2);
	cr_expect_eq(take(rb), 1);
	cr_expect_eq(take(rb), 2);
	cr_expect_eq(ring_buffer_consume(rb, 0, &rec), -ENODATA);
	stats(rb, &st);
	cr_expect_eq(st.written, 2);
	cr_expect_eq(st.read, 2);
	rb_done(rb);
}

/* ------------------------------------------------------------ nesting */

/*
 * What an interrupt does to a task writing: the task reserves A, the
 * interrupt reserves B, fills and commits it, then the task fills and
 * commits A. B is complete first, but readers must see neither until the
 * task commits (A, below B, is still being written), and then both, A
 * first, each whole.
 */
Test(ring_buffer, nested_writer_is_published_by_the_outer_commit)
{
	struct ring_buffer *rb = rb_new(PAGE, 1);
	u64 *a, *b;

	rbh_set_clock(100);
	a = ring_buffer_reserve(rb, 16);
	cr_assert_not_null(a);
	rbh_set_clock(200);
	b = ring_buffer_reserve(rb, 8);		/* the "interrupt" */
	cr_assert_not_null(b);
	cr_expect_eq(rbh_preempt_depth(), 2);
	*b = 0xbbbb;
	ring_buffer_commit(rb, b);
	cr_expect(ring_buffer_empty(rb), "B visible while A is still being written");
	cr_expect_eq(ring_buffer_consume(rb, 0, &rec), -ENODATA);
	a[0] = 0xaaaa;
	a[1] = 0xaaab;
	ring_buffer_commit(rb, a);

	cr_assert_eq(ring_buffer_consume(rb, 0, &rec), 0);
	cr_expect_eq(rec.len, 16);
	cr_expect_eq(rec.ts, 100);
	cr_expect_eq(rec.data[0], 0xaaaa);
	cr_expect_eq(rec.data[1], 0xaaab);
	cr_assert_eq(ring_buffer_consume(rb, 0, &rec), 0);
	cr_expect_eq(rec.ts, 200);
	cr_expect_eq(rec.data[0], 0xbbbb);
	rbh_real_clock();
	rb_done(rb);
}

/*
 * Task → interrupt → NMI, each reserving before the one below commits;
 * the NMI then commits, the interrupt writes a second event, and so on.
 */
Test(ring_buffer, three_levels_of_nesting_keep_reserve_order)
{
	struct ring_buffer *rb = rb_new(PAGE, 1);
	u64 *task, *irq, *nmi, *irq2;

	task = ring_buffer_reserve(rb, 8);
	irq = ring_buffer_reserve(rb, 8);
	nmi = ring_buffer_reserve(rb, 8);
	cr_assert(task && irq && nmi);
	*nmi = 3;
	ring_buffer_commit(rb, nmi);
	*irq = 2;
	ring_buffer_commit(rb, irq);
	irq2 = ring_buffer_reserve(rb, 8);
	cr_assert_not_null(irq2);
	*irq2 = 4;
	ring_buffer_commit(rb, irq2);
	cr_expect(ring_buffer_empty(rb));
	*task = 1;
	ring_buffer_commit(rb, task);
	for (u64 i = 1; i <= 4; i++)
		cr_expect_eq(take(rb), i);
	rb_done(rb);
}

Test(ring_buffer, nesting_too_deep_is_dropped)
{
	struct ring_buffer *rb = rb_new(4 * PAGE, 1);
	struct ring_buffer_stats st;
	u64 *p[9];
	int depth;

	for (depth = 0; depth < 8; depth++) {
		p[depth] = ring_buffer_reserve(rb, 8);
		cr_assert_not_null(p[depth], "depth %d", depth + 1);
		*p[depth] = (u64)depth;
	}
	cr_expect_null(ring_buffer_reserve(rb, 8), "a ninth level");
	while (depth-- > 0)
		ring_buffer_commit(rb, p[depth]);
	stats(rb, &st);
	cr_expect_eq(st.dropped, 1);
	cr_expect_eq(st.written, 8);
	for (u64 i = 0; i < 8; i++)
		cr_expect_eq(take(rb), i);
	rb_done(rb);
}

/*
 * A writer reads the clock between reading tail and claiming its bytes;
 * a nested writer there (an interrupt, or a probe on the clock) moves
 * tail and the outer writer tries again. The hook below plays the nested
 * writer: it writes one event per clock read of the outer writer, up to
 * clock_hook_budget of them, and is not re-entered by its own write's
 * clock read (as a probe hit inside a probe handler is not).
 */
static struct ring_buffer *clock_hook_rb;
static long clock_hook_budget, clock_hook_writes;
static bool clock_hook_busy;

static void write_on_clock_read(void)
{
	if (clock_hook_busy || clock_hook_writes >= clock_hook_budget)
		return;
	clock_hook_busy = true;
	if (ring_buffer_write(clock_hook_rb, &(u64){ 0xbbbb }, sizeof(u64)) == 0)
		clock_hook_writes++;
	else
		clock_hook_budget = 0;		/* full: stop, as a bounded writer would */
	clock_hook_busy = false;
}

static void clock_hook_start(struct ring_buffer *rb, long budget)
{
	clock_hook_rb = rb;
	clock_hook_budget = budget;
	clock_hook_writes = 0;
	rbh_set_clock_hook(write_on_clock_read);
}

/* An interrupt writing while the task reserves: one retry, both whole. */
Test(ring_buffer, write_nested_in_the_clock_read_costs_one_retry)
{
	struct ring_buffer *rb = rb_new(4 * PAGE, 1);
	struct ring_buffer_stats st;

	clock_hook_start(rb, 1);
	put(rb, 0xaaaa);
	rbh_set_clock_hook(NULL);
	cr_expect_eq(clock_hook_writes, 1);
	cr_expect_eq(take(rb), 0xbbbb);		/* claimed its bytes first */
	cr_expect_eq(take(rb), 0xaaaa);
	stats(rb, &st);
	cr_expect_eq(st.dropped, 0);
	rb_done(rb);
}

/*
 * A nested writer on every clock read must not keep the outer one
 * retrying forever: it gives up after a bounded number of tries and
 * counts a drop. The nested writes stop when the buffer is full (they
 * cannot overwrite what sits above the outer writer's unfinished
 * reserve), so a writer without the bound still ends - late, after far
 * more nested writes than the bound allows, and fails the test.
 */
Test(ring_buffer, writer_nested_on_every_retry_gives_up_and_counts_a_drop)
{
	struct ring_buffer *rb = rb_new(16 * PAGE, 1);
	struct ring_buffer_stats st;

	clock_hook_start(rb, 100000);
	cr_expect_eq(ring_buffer_write(rb, &(u64){ 0xaaaa }, sizeof(u64)), -ENOSPC);
	rbh_set_clock_hook(NULL);
	cr_expect_lt(clock_hook_writes, 1000, "%ld nested writes before giving up",
		     clock_hook_writes);
	stats(rb, &st);
	cr_expect_eq(st.dropped, 1);
	cr_expect_eq(st.written, (u64)clock_hook_writes);
	put(rb, 0xcccc);			/* and the buffer still works */
	while (clock_hook_writes--)
		cr_expect_eq(take(rb), 0xbbbb);
	cr_expect_eq(take(rb), 0xcccc);
	rb_done(rb);
}

/*
 * While the task's event A is unfinished, "interrupts" write until the
 * buffer is full. They may overwrite older finished events, but not A:
 * once only A and what follows is left, they are dropped, never waiting.
 */
Test(ring_buffer, unfinished_event_is_never_overwritten)
{
	struct ring_buffer *rb = rb_new(2 * PAGE, 1);
	struct ring_buffer_stats st;
	u64 *a, fits = 0, i;

	for (i = 0; i < 50; i++)
		put(rb, 1000 + i);		/* old events, overwritable */
	a = ring_buffer_reserve(rb, 8);
	cr_assert_not_null(a);
	for (i = 0; i < 1000; i++) {
		u64 *b = ring_buffer_reserve(rb, 8);

		if (!b)
			continue;
		*b = 2000 + fits++;
		ring_buffer_commit(rb, b);
	}
	*a = 1;
	ring_buffer_commit(rb, a);
	stats(rb, &st);
	cr_expect_eq(st.overrun, 50, "all the old events made room");
	cr_expect_eq(st.dropped, 1000 - fits);
	cr_expect(fits > 300);
	cr_expect_eq(take(rb), 1, "A survives, first");
	for (i = 0; i < fits; i++)
		cr_assert_eq(take(rb), 2000 + i);
	cr_expect_eq(ring_buffer_consume(rb, 0, &rec), -ENODATA);
	rb_done(rb);
}

/* ------------------------------------------------------------ swap (snapshot) */

Test(ring_buffer, swap_cpu_moves_one_cpus_events_and_counters)
{
	struct ring_buffer *a = rb_new(PAGE, 2), *b = rb_new(4 * PAGE, 2), *c = rb_new(PAGE, 3);
	struct ring_buffer_stats st;

	rbh_set_cpu(0);
	put(a, 10);
	rbh_set_cpu(1);
	put(a, 11);
	put(a, 12);
	put(b, 21);
	cr_assert_eq(ring_buffer_swap_cpu(a, b, 1), 0);
	/* a: CPU 0's 10 and b's old CPU 1 (21); b: a's CPU 1 (11, 12) */
	cr_expect_eq(take(a), 10);
	cr_expect_eq(take(a), 21);
	cr_expect_eq(ring_buffer_consume_next(a, &rec), -ENODATA);
	ring_buffer_cpu_stats(b, 1, &st);
	cr_expect_eq(st.written, 2);
	cr_expect_eq(ring_buffer_size_cpu(b, 1), PAGE * 2, "the pages changed sides too");
	cr_expect_eq(ring_buffer_size_cpu(a, 1), 4 * PAGE);
	cr_expect_eq(take(b), 11);
	cr_expect_eq(take(b), 12);
	/* Writers go on into what each buffer holds now. */
	put(a, 13);
	cr_expect_eq(take(a), 13);
	cr_expect_eq(ring_buffer_swap_cpu(a, c, 0), -EINVAL, "different CPU counts");
	cr_expect_eq(ring_buffer_swap_cpu(a, b, 2), -EINVAL, "no CPU 2");
	cr_expect_eq(ring_buffer_swap_cpu(a, a, -1), -EINVAL, "with itself");
	ring_buffer_free(c);
	ring_buffer_free(b);
	rb_done(a);
}

Test(ring_buffer, swap_all_cpus_exchanges_everything)
{
	struct ring_buffer *a = rb_new(PAGE, 2), *b = rb_new(PAGE, 2);

	rbh_set_cpu(0);
	put(a, 1);
	rbh_set_cpu(1);
	put(a, 2);
	cr_assert_eq(ring_buffer_swap_cpu(a, b, -1), 0);
	cr_expect(ring_buffer_empty(a));
	cr_expect_eq(take(b), 1);
	cr_expect_eq(take(b), 2);
	ring_buffer_free(b);
	rb_done(a);
}

Test(ring_buffer, record_cpu_refuses_one_cpu_and_stays_with_its_slot)
{
	struct ring_buffer *a = rb_new(PAGE, 2), *b = rb_new(PAGE, 2);
	struct ring_buffer_stats st;
	u64 v = 7;

	ring_buffer_record_cpu(a, 1, false);
	ring_buffer_record_cpu(a, 9, false);		/* no such CPU: ignored */
	rbh_set_cpu(1);
	cr_expect_eq(ring_buffer_write(a, &v, sizeof(v)), -EAGAIN);
	cr_expect_eq(rbh_preempt_depth(), 0);
	rbh_set_cpu(0);
	put(a, 1);
	stats(a, &st);
	cr_expect_eq(st.written, 1);
	cr_expect_eq(st.dropped, 0, "a refused CPU is not counted");
	cr_assert_eq(ring_buffer_swap_cpu(a, b, -1), 0);
	rbh_set_cpu(1);
	cr_expect_eq(ring_buffer_write(a, &v, sizeof(v)), -EAGAIN, "the swap moved the switch");
	put(b, 2);
	ring_buffer_record_cpu(a, 1, true);
	put(a, 3);
	cr_expect_eq(take(a), 3);
	ring_buffer_free(b);
	rb_done(a);
}
