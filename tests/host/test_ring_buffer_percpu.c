// SPDX-License-Identifier: MIT
/*
 * Host tests for the ring buffer's one-CPU calls, behind tracefs's
 * per_cpu/cpuN/ files: the walk of one CPU (trace), the reset of one CPU
 * (echo > trace), the size of one CPU (buffer_size_kb) and what stats
 * shows (bytes, the oldest event's timestamp). Each test writes on
 * several CPUs and checks that only the chosen one is seen or touched.
 *
 * Every test ends through done(), which frees the buffer and checks that
 * preemption is balanced and no memory is left allocated.
 */
#include <criterion/criterion.h>
#include "ring_buffer_host.h"
#include <lib/compiler.h>
#include <lib/errno.h>

#define PAGE	RING_BUFFER_PAGE_SIZE

static struct ring_buffer_record rec;

static struct ring_buffer *new_rb(size_t bytes, unsigned int nr_cpus)
{
	struct ring_buffer *rb = ring_buffer_alloc(bytes, nr_cpus);

	cr_assert(!IS_ERR(rb), "ring_buffer_alloc: %ld", PTR_ERR(rb));
	rbh_set_cpu(0);
	rbh_real_clock();
	return rb;
}

static void done(struct ring_buffer *rb)
{
	rbh_real_clock();
	rbh_set_cpu(0);
	ring_buffer_free(rb);
	cr_expect_eq(rbh_preempt_depth(), 0, "preemption left disabled");
	cr_expect_eq(rbh_outstanding(), 0, "%ld allocations leaked", rbh_outstanding());
}

/* Write u64 @v on @cpu at time @ts. */
static void put_on(struct ring_buffer *rb, unsigned int cpu, u64 ts, u64 v)
{
	rbh_set_cpu(cpu);
	rbh_set_clock(ts);
	cr_assert_eq(ring_buffer_write(rb, &v, sizeof(v)), 0);
}

/*
 * Values 100 * cpu + i, i = 0 .. @n - 1, written round-robin over @nr_cpus
 * CPUs, at times that interleave them: CPU c's i-th event at 10 * i + c.
 */
static void fill(struct ring_buffer *rb, unsigned int nr_cpus, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int cpu = 0; cpu < nr_cpus; cpu++)
			put_on(rb, cpu, 10 * i + cpu, 100 * cpu + i);
}

static u64 entries_of(struct ring_buffer *rb, unsigned int cpu)
{
	struct ring_buffer_stats st;

	ring_buffer_cpu_stats(rb, cpu, &st);
	return st.entries;
}

/* Walk @cpu alone: check that only its events come, in order; the count. */
static unsigned int walk_cpu(struct ring_buffer *rb, unsigned int cpu)
{
	struct ring_buffer_iter *it = ring_buffer_iter_start_cpu(rb, cpu);
	unsigned int n = 0;

	cr_assert(!IS_ERR(it), "iter_start_cpu(%u): %ld", cpu, PTR_ERR(it));
	while (ring_buffer_iter_next(it, &rec) == 0) {
		cr_assert_eq(rec.cpu, cpu, "CPU %u's walk met CPU %u's event", cpu, rec.cpu);
		cr_assert_eq(rec.data[0], 100 * cpu + n, "CPU %u: event %u out of order", cpu, n);
		n++;
	}
	ring_buffer_iter_end(it);
	return n;
}

/* ------------------------------------------------------------ walking */

Test(ring_buffer_percpu, walk_of_one_cpu_sees_only_that_cpu_in_order)
{
	struct ring_buffer *rb = new_rb(4 * PAGE, 3);

	fill(rb, 3, 20);
	put_on(rb, 2, 1000, 220);	/* CPU 2 has one more */
	cr_expect_eq(walk_cpu(rb, 0), 20);
	cr_expect_eq(walk_cpu(rb, 1), 20);
	cr_expect_eq(walk_cpu(rb, 2), 21);
	cr_expect_eq(ring_buffer_entries(rb), 61, "a walk consumes nothing");
	done(rb);
}

Test(ring_buffer_percpu, walk_of_an_empty_cpu_ends_at_once)
{
	struct ring_buffer *rb = new_rb(PAGE, 2);

	fill(rb, 1, 5);			/* CPU 0 only */
	cr_expect_eq(walk_cpu(rb, 1), 0);
	cr_expect_eq(walk_cpu(rb, 0), 5);
	done(rb);
}

Test(ring_buffer_percpu, bad_cpu_is_refused)
{
	struct ring_buffer *rb = new_rb(PAGE, 2);
	u64 ts;

	cr_expect_eq(PTR_ERR(ring_buffer_iter_start_cpu(rb, 2)), -EINVAL);
	cr_expect_eq(ring_buffer_reset_cpu(rb, 2), -EINVAL);
	cr_expect_eq(ring_buffer_resize_cpu(rb, 2, 4 * PAGE), -EINVAL);
	cr_expect_eq(ring_buffer_oldest_ts(rb, 2, &ts), -EINVAL);
	cr_expect_eq(ring_buffer_size_cpu(rb, 2), 0);
	done(rb);
}

Test(ring_buffer_percpu, merged_walk_still_interleaves_every_cpu)
{
	struct ring_buffer *rb = new_rb(4 * PAGE, 3);
	struct ring_buffer_iter *it;
	u64 prev_ts = 0;
	unsigned int n = 0;

	fill(rb, 3, 10);
	it = ring_buffer_iter_start(rb);
	cr_assert(!IS_ERR(it));
	while (ring_buffer_iter_next(it, &rec) == 0) {
		cr_assert_geq(rec.ts, prev_ts);
		cr_assert_eq(rec.cpu, n % 3, "event %u from CPU %u", n, rec.cpu);
		prev_ts = rec.ts;
		n++;
	}
	ring_buffer_iter_end(it);
	cr_expect_eq(n, 30);
	done(rb);
}

/* ------------------------------------------------------------ reset */

Test(ring_buffer_percpu, reset_of_one_cpu_leaves_the_others_alone)
{
	struct ring_buffer *rb = new_rb(2 * PAGE, 3);
	struct ring_buffer_stats st;

	fill(rb, 3, 10);
	rbh_set_cpu(1);
	cr_assert_eq(ring_buffer_consume(rb, 1, &rec), 0);
	cr_assert_eq(ring_buffer_reset_cpu(rb, 1), 0);
	ring_buffer_cpu_stats(rb, 1, &st);
	cr_expect_eq(st.entries + st.written + st.overrun + st.read + st.dropped + st.bytes, 0,
		     "CPU 1's counters survive its reset");
	cr_expect_eq(walk_cpu(rb, 1), 0);
	cr_expect_eq(walk_cpu(rb, 0), 10);
	cr_expect_eq(walk_cpu(rb, 2), 10);
	ring_buffer_cpu_stats(rb, 2, &st);
	cr_expect_eq(st.written, 10, "CPU 2's counters were touched");
	/* CPU 1 records again from an empty buffer. */
	put_on(rb, 1, 500, 100);
	cr_expect_eq(walk_cpu(rb, 1), 1);
	done(rb);
}

Test(ring_buffer_percpu, open_iterator_makes_reset_of_one_cpu_busy)
{
	struct ring_buffer *rb = new_rb(PAGE, 2);
	struct ring_buffer_iter *it;

	fill(rb, 2, 3);
	it = ring_buffer_iter_start_cpu(rb, 0);
	cr_assert(!IS_ERR(it));
	cr_expect_eq(ring_buffer_reset_cpu(rb, 1), -EBUSY);
	cr_expect_eq(ring_buffer_resize_cpu(rb, 1, 4 * PAGE), -EBUSY);
	ring_buffer_iter_end(it);
	cr_expect_eq(entries_of(rb, 1), 3, "a refused reset emptied the buffer");
	cr_expect_eq(ring_buffer_reset_cpu(rb, 1), 0);
	cr_expect_eq(entries_of(rb, 1), 0);
	done(rb);
}

/* ------------------------------------------------------------ stats */

Test(ring_buffer_percpu, bytes_count_unread_events_with_their_headers)
{
	struct ring_buffer *rb = new_rb(4 * PAGE, 2);
	struct ring_buffer_stats st;

	fill(rb, 1, 7);			/* 7 events of 16 + 8 bytes on CPU 0 */
	ring_buffer_cpu_stats(rb, 0, &st);
	cr_expect_eq(st.bytes, 7 * 24);
	ring_buffer_cpu_stats(rb, 1, &st);
	cr_expect_eq(st.bytes, 0);
	cr_assert_eq(ring_buffer_consume(rb, 0, &rec), 0);
	ring_buffer_cpu_stats(rb, 0, &st);
	cr_expect_eq(st.bytes, 6 * 24, "a consumed event still counted");
	ring_buffer_stats(rb, &st);
	cr_expect_eq(st.bytes, 6 * 24, "the sum over CPUs");
	done(rb);
}

Test(ring_buffer_percpu, oldest_timestamp_follows_reads_and_overwrites)
{
	struct ring_buffer *rb = new_rb(PAGE, 2);
	u64 ts = 0, n;

	cr_expect_eq(ring_buffer_oldest_ts(rb, 0, &ts), -ENODATA);
	put_on(rb, 1, 7, 1);
	put_on(rb, 0, 40, 2);
	put_on(rb, 0, 50, 3);
	cr_assert_eq(ring_buffer_oldest_ts(rb, 0, &ts), 0);
	cr_expect_eq(ts, 40);
	cr_assert_eq(ring_buffer_oldest_ts(rb, 1, &ts), 0);
	cr_expect_eq(ts, 7);
	cr_expect_eq(ring_buffer_entries(rb), 3, "peeking consumed");
	cr_assert_eq(ring_buffer_consume(rb, 0, &rec), 0);
	cr_assert_eq(ring_buffer_oldest_ts(rb, 0, &ts), 0);
	cr_expect_eq(ts, 50);
	/* Overwrite CPU 0's buffer (two pages): the oldest moves on. */
	for (n = 0; n < 1000; n++)
		put_on(rb, 0, 100 + n, n);
	cr_assert_gt(ring_buffer_overrun(rb), 0);
	cr_assert_eq(ring_buffer_oldest_ts(rb, 0, &ts), 0);
	cr_expect_eq(ts, 100 + 1000 - entries_of(rb, 0));
	done(rb);
}

/* ------------------------------------------------------------ size */

Test(ring_buffer_percpu, resize_of_one_cpu_changes_only_its_size_and_events)
{
	struct ring_buffer *rb = new_rb(2 * PAGE, 2);
	u64 e0, e1;

	fill(rb, 2, 5);
	cr_assert_eq(ring_buffer_resize_cpu(rb, 1, 6 * PAGE), 0);
	cr_expect_eq(ring_buffer_size_cpu(rb, 0), 2 * PAGE);
	cr_expect_eq(ring_buffer_size_cpu(rb, 1), 6 * PAGE);
	cr_expect_eq(ring_buffer_size(rb), 0, "sizes differ: no one size");
	cr_expect_eq(walk_cpu(rb, 0), 5, "CPU 0 lost its events");
	cr_expect_eq(walk_cpu(rb, 1), 0);
	/*
	 * Filled to overflowing, CPU 1 holds three times what CPU 0 does:
	 * a page holds 170 of these 24-byte events, and a full buffer lacks
	 * at most its last page's worth.
	 */
	for (u64 i = 0; i < 2000; i++) {
		put_on(rb, 0, i, i);
		put_on(rb, 1, i, i);
	}
	e0 = entries_of(rb, 0);
	e1 = entries_of(rb, 1);
	cr_expect(e0 > 170 && e0 <= 2 * 170, "CPU 0 holds %llu", (unsigned long long)e0);
	cr_expect(e1 > 5 * 170 && e1 <= 6 * 170, "CPU 1 holds %llu", (unsigned long long)e1);
	/* Shrinking CPU 1 back, then all CPUs together, agree again. */
	cr_assert_eq(ring_buffer_resize_cpu(rb, 1, 2 * PAGE), 0);
	cr_expect_eq(ring_buffer_size(rb), 2 * PAGE);
	cr_assert_eq(ring_buffer_resize(rb, 3 * PAGE), 0);
	cr_expect_eq(ring_buffer_size(rb), 3 * PAGE);
	done(rb);
}
