// SPDX-License-Identifier: MIT
/*
 * Self-tests of the trace ring buffer in the kernel, with the kernel's
 * own clock, CPUs and memory, and a real interrupt as the nested
 * writer: for the length of the test, the timer tick writes events of its
 * own into the same CPU buffer the task is writing and reading. Ticks land
 * inside the task's reserve/commit, inside its consume, and inside its
 * walks with an iterator. Every event read must be whole and in order,
 * and the counts must add up exactly. Then the one-CPU calls behind
 * tracefs's per_cpu/ files, and the trace buffer's size in CPUs. The host
 * tests (tests/host/test_ring_buffer*.c) cover the rest in detail.
 */
#include "leak_check.h"
#include <kernel/selftest.h>
#include <kernel/printk.h>
#include <kernel/time.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/mm/page_alloc.h>
#include <kernel/preempt.h>
#include <kernel/smp.h>
#include <trace/ring_buffer.h>
#include <trace/trace.h>
#include <trace/tracefs.h>
#include <lib/compiler.h>
#include <lib/printf.h>
#include <lib/errno.h>
#include <lib/string.h>

#define KEV_MAGIC	0x6b657665U
#define KEV_MAX_WORDS	((RING_BUFFER_MAX_PAYLOAD - sizeof(struct kev)) / sizeof(u64))
#define STREAM_TASK	0
#define STREAM_TICK	1
#define TICK_EVENTS	4		/* events each tick writes */
#define MIN_TICKS	60
#define MIN_NESTED	5
#define MAX_RUN_NS	(5 * NSEC_PER_SEC)

/* A self-checking payload: every word derives from (stream, seq, index). */
struct kev {
	u32 magic;
	u16 stream;
	u16 nwords;
	u64 seq;
	u64 w[];
};

struct side {
	u64 seq;			/* next sequence number */
	long written, dropped;
};

struct view {
	u64 next_seq[2];
	u64 last_ts;
	long read, torn, out_of_order, walks, walk_bad;
};

static struct ring_buffer *krb;
static struct side task_side, tick_side;
static long ticks, nested;
static int task_in_write;
static int test_cpu;		/* the buffer has one CPU: ours */

static u64 kev_word(unsigned int stream, u64 seq, unsigned int i)
{
	u64 x = (seq << 1 | stream) * 0x9e3779b97f4a7c15ULL + i;

	return x ^ (x >> 29);
}

/* Reserve, fill and commit the next event of @stream; count the outcome. */
static void kev_write(struct side *s, unsigned int stream, unsigned int max_words)
{
	unsigned int nwords = (unsigned int)(s->seq * 7 % (max_words + 1)), i;
	struct kev *e = ring_buffer_reserve(krb, sizeof(*e) + nwords * sizeof(u64));

	if (!e) {
		s->dropped++;
		return;
	}
	e->magic = KEV_MAGIC;
	e->stream = (u16)stream;
	e->nwords = (u16)nwords;
	e->seq = s->seq;
	for (i = 0; i < nwords; i++)
		e->w[i] = kev_word(stream, s->seq, i);
	ring_buffer_commit(krb, e);
	s->seq++;
	s->written++;
}

static bool kev_intact(const struct ring_buffer_record *r)
{
	const struct kev *e = (const struct kev *)r->data;
	unsigned int i;

	if (r->len < sizeof(*e) || e->magic != KEV_MAGIC || e->stream > STREAM_TICK ||
	    e->nwords > KEV_MAX_WORDS || r->len != sizeof(*e) + e->nwords * sizeof(u64))
		return false;
	for (i = 0; i < e->nwords; i++)
		if (e->w[i] != kev_word(e->stream, e->seq, i))
			return false;
	return true;
}

/* The tick hook: an interrupt writing on top of whatever the task does.
 * Every CPU's tick calls it; only this test's CPU takes part. */
static void rb_test_tick(void)
{
	int i;

	if ((int)smp_processor_id() != READ_ONCE(test_cpu))
		return;
	ticks++;
	if (READ_ONCE(task_in_write))
		nested++;
	for (i = 0; i < TICK_EVENTS; i++)
		kev_write(&tick_side, STREAM_TICK, 8);
}

static void check_read(struct view *v, const struct ring_buffer_record *r)
{
	const struct kev *e = (const struct kev *)r->data;

	if (!kev_intact(r)) {
		v->torn++;
		return;
	}
	if (e->seq < v->next_seq[e->stream] || r->ts < v->last_ts)
		v->out_of_order++;
	v->next_seq[e->stream] = e->seq + 1;
	v->last_ts = r->ts;
	v->read++;
}

/* `cat trace` in miniature: a walk that must find only whole events. */
static void walk(struct view *v, struct ring_buffer_record *r)
{
	struct ring_buffer_iter *it = ring_buffer_iter_start(krb);

	if (IS_ERR(it))
		return;
	v->walks++;
	while (ring_buffer_iter_next(it, r) == 0)
		if (!kev_intact(r))
			v->walk_bad++;
	ring_buffer_iter_end(it);
}

/*
 * The task's loop: write, and every so often consume a few events or walk
 * the buffer, until enough ticks have come and enough of them landed
 * inside a write (or time runs out).
 */
static void run_task(struct view *v, struct ring_buffer_record *r)
{
	u64 deadline = clock_ns() + MAX_RUN_NS;
	long i;

	for (i = 0; READ_ONCE(ticks) < MIN_TICKS || READ_ONCE(nested) < MIN_NESTED; i++) {
		if (clock_ns() > deadline)
			break;
		WRITE_ONCE(task_in_write, 1);
		kev_write(&task_side, STREAM_TASK, KEV_MAX_WORDS);
		WRITE_ONCE(task_in_write, 0);
		if (i % 16 == 0)
			for (int n = 0; n < 8 && ring_buffer_consume(krb, 0, r) == 0; n++)
				check_read(v, r);
		if (i % 512 == 0)
			walk(v, r);
	}
}

static void ring_buffer_task_and_tick_write_together(struct selftest *t)
{
	struct ring_buffer_record *r = kmalloc(sizeof(*r));
	struct ring_buffer_stats st;
	struct view v;
	int err;

	memset(&v, 0, sizeof(v));

	ASSERT_TRUE(t, r != NULL);
	krb = ring_buffer_alloc(3 * RING_BUFFER_PAGE_SIZE, 1);
	ASSERT_TRUE(t, !IS_ERR(krb));
	task_side = (struct side){ 0 };
	tick_side = (struct side){ 0 };
	ticks = nested = 0;
	test_cpu = smp_processor_id();	/* the self-tests run on CPU 0 */
	err = timer_tick_set_hook(rb_test_tick);
	EXPECT_EQ(t, err, 0);
	if (!err) {
		run_task(&v, r);
		timer_tick_set_hook(NULL);
	}
	while ((err = ring_buffer_consume(krb, 0, r)) == 0)
		check_read(&v, r);
	EXPECT_EQ(t, err, -ENODATA);

	EXPECT_TRUE(t, ticks >= MIN_TICKS);
	EXPECT_TRUE(t, nested >= MIN_NESTED);
	EXPECT_EQ(t, v.torn, 0);
	EXPECT_EQ(t, v.out_of_order, 0);
	EXPECT_TRUE(t, v.walks > 0);
	EXPECT_EQ(t, v.walk_bad, 0);
	ring_buffer_cpu_stats(krb, 0, &st);
	EXPECT_EQ(t, st.written, task_side.written + tick_side.written);
	EXPECT_EQ(t, st.dropped, task_side.dropped + tick_side.dropped);
	EXPECT_EQ(t, st.read, v.read);
	EXPECT_EQ(t, st.read + st.overrun, st.written);
	EXPECT_TRUE(t, st.overrun > 0);
	console_printf("        # %ld ticks, %ld inside a task write; %ld + %ld written, "
		       "%ld read, %llu overrun, %llu dropped, %ld walks\n",
		       ticks, nested, task_side.written, tick_side.written, v.read,
		       (unsigned long long)st.overrun, (unsigned long long)st.dropped, v.walks);
	ring_buffer_free(krb);
	krb = NULL;
	kfree(r);
}

/* Allocate, write, resize (good and bad), write, free. */
static void alloc_resize_free(struct selftest *t)
{
	struct ring_buffer *rb;
	u64 v = 1;

	rb = ring_buffer_alloc(64 * 1024, 2);
	ASSERT_TRUE(t, !IS_ERR(rb));
	EXPECT_EQ(t, ring_buffer_write(rb, &v, sizeof(v)), 0);
	EXPECT_EQ(t, ring_buffer_resize(rb, 200 * 1024), 0);
	EXPECT_EQ(t, ring_buffer_size(rb), 200 * 1024);
	EXPECT_EQ(t, ring_buffer_resize(rb, 0), -EINVAL);
	EXPECT_EQ(t, ring_buffer_write(rb, &v, sizeof(v)), 0);
	EXPECT_EQ(t, ring_buffer_entries(rb), 1);
	/* One CPU at a time (per_cpu/): the other CPU's event stays. */
	EXPECT_EQ(t, ring_buffer_resize_cpu(rb, 1, 300 * 1024), 0);
	EXPECT_EQ(t, ring_buffer_size_cpu(rb, 1), 300 * 1024);
	EXPECT_EQ(t, ring_buffer_resize_cpu(rb, 1, 8 * 1024), 0);
	EXPECT_EQ(t, ring_buffer_reset_cpu(rb, 1), 0);
	EXPECT_EQ(t, ring_buffer_entries(rb), 1);
	ring_buffer_free(rb);
}

/*
 * The kernel's writers record into the buffer of the CPU they run on:
 * an event written here is seen by a walk of this CPU alone, by no walk
 * of another CPU, and survives that CPU's reset.
 */
static void ring_buffer_writer_records_on_its_own_cpu(struct selftest *t)
{
	struct ring_buffer_record *r = kmalloc(sizeof(*r));
	struct ring_buffer_iter *it;
	struct ring_buffer *rb;
	unsigned int me, other, cpu;
	u64 v = 0x5eed;

	ASSERT_TRUE(t, r != NULL);
	rb = ring_buffer_alloc(8 * 1024, 2);
	if (!EXPECT_TRUE(t, !IS_ERR(rb)))
		goto out;
	preempt_disable();		/* stay on this CPU from write to check */
	me = smp_processor_id();
	other = me ? 0 : 1;
	EXPECT_EQ(t, ring_buffer_write(rb, &v, sizeof(v)), 0);
	preempt_enable();
	EXPECT_TRUE(t, me < 2);
	EXPECT_EQ(t, ring_buffer_reset_cpu(rb, other), 0);
	for (cpu = 0; cpu < 2; cpu++) {
		it = ring_buffer_iter_start_cpu(rb, cpu);
		if (!EXPECT_TRUE(t, !IS_ERR(it)))
			break;
		if (cpu == me) {
			EXPECT_EQ(t, ring_buffer_iter_next(it, r), 0);
			EXPECT_EQ(t, r->cpu, me);
			EXPECT_EQ(t, r->data[0], v);
		}
		EXPECT_EQ(t, ring_buffer_iter_next(it, r), -ENODATA);
		ring_buffer_iter_end(it);
	}
	ring_buffer_free(rb);
out:
	kfree(r);
}

/* tracefs has per_cpu/cpuN/ for each CPU firmware lists, and the trace
 * buffer a buffer for each: not only for the CPUs running tasks. */
static void trace_buffer_has_a_buffer_per_present_cpu(struct selftest *t)
{
	char path[64];
	int cpu;

	ASSERT_TRUE(t, trace_buffer != NULL);
	EXPECT_EQ(t, ring_buffer_nr_cpus(trace_buffer), (unsigned int)nr_cpus_present);
	for (cpu = 0; cpu <= nr_cpus_present; cpu++) {
		snprintf(path, sizeof(path), TRACEFS_PATH "/per_cpu/cpu%d/stats", cpu);
		EXPECT_EQ(t, pfs_lookup(path) != NULL, cpu < nr_cpus_present);
	}
	EXPECT_EQ(t, trace_nr_cpus_online(), (unsigned int)nr_cpus_online);
}

/*
 * kmalloc keeps an empty slab page per size class once it has made one,
 * so the first round may leave pages with kmalloc; the second must leave
 * everything exactly as it found it.
 */
static void ring_buffer_leaves_no_memory_behind(struct selftest *t)
{
	struct kmalloc_usage kb, ka;
	struct buddy_stats pb, pa;

	alloc_resize_free(t);
	leak_check_start(&kb);
	page_alloc_stats(&pb);
	alloc_resize_free(t);
	leak_check_end(&kb, &ka);
	page_alloc_stats(&pa);
	EXPECT_EQ(t, ka.objects, kb.objects);
	EXPECT_EQ(t, ka.bytes, kb.bytes);
	EXPECT_EQ(t, pa.free_pages, pb.free_pages);
}

static const struct selftest_case ring_buffer_cases[] = {
	SELFTEST_CASE(ring_buffer_task_and_tick_write_together),
	SELFTEST_CASE(ring_buffer_leaves_no_memory_behind),
	SELFTEST_CASE(ring_buffer_writer_records_on_its_own_cpu),
	SELFTEST_CASE(trace_buffer_has_a_buffer_per_present_cpu),
};
SELFTEST_SUITE("ring_buffer", ring_buffer_cases);
