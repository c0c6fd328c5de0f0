// SPDX-License-Identifier: MIT
/*
 * Thread stress tests for the trace ring buffer: real concurrency between
 * writers, their "interrupts", and readers on other "CPUs".
 *
 * Each writer thread plays one CPU and writes self-checking events
 * (struct tev) of varying size through reserve/fill/commit. A timer of its
 * own sends it SIGUSR1 every few tens of microseconds; the handler plays
 * an interrupt on that CPU and writes events of its own stream, landing at
 * random points of the interrupted writer's reserve/commit: nesting, for
 * real. A reader thread meanwhile consumes from all CPUs, and now and then
 * walks the buffer with an iterator. The buffer is small, so writers
 * overwrite what the reader has not read yet, all the time.
 *
 * Every event a reader gets must be whole (each word checked), in order
 * within its (CPU, stream), with timestamps that never go backwards per
 * CPU; and at the end, per CPU, written = read + overrun exactly, and the
 * buffer's own counters agree with what the threads counted.
 *
 * A second test has a reader interrupted by floods of writes on its own
 * CPU, the case of `cat trace` hit by a traced interrupt; a third keeps
 * writers and readers running while the main thread resets and resizes
 * the buffer under them.
 */
#define _GNU_SOURCE		/* SIGEV_THREAD_ID, gettid, nanosleep */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include "ring_buffer_host.h"
#include <lib/errno.h>

#define NR_WRITERS		2
#define STREAM_TASK		0
#define STREAM_IRQ		1
#define TICK_NS			20000	/* the writers' interrupt timers */
#define YIELD_EVERY		1024	/* writes between two pauses for the reader */
#define ITER_EVERY		100	/* consumed events between two walks */
#define DEADLINE_S		60

struct writer {
	unsigned int cpu;
	pthread_t thread;
	long rounds;			/* task events to attempt */
	int burst;			/* events per interrupt ... */
	u32 irq_words;			/* ... of at most this many words */
	u64 seq[2];			/* next sequence number, per stream */
	long written, dropped;		/* updated atomically (handler too) */
	long nested;			/* signals that landed inside a write */
	long interrupts;
	int in_write;
};

struct reader_view {
	u64 next_seq[NR_WRITERS][2];	/* lowest acceptable next seq */
	u64 last_ts[NR_WRITERS];
	long read[NR_WRITERS];
	long torn, out_of_order, walks, walked, walk_bad, busy;
};

static struct ring_buffer *srb;
static struct writer writers[NR_WRITERS];
static __thread struct writer *self;
static int writers_done, stop_reader;
static pthread_barrier_t go;

static void count(long *c)
{
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

/*
 * Write the next event of @stream on @w's CPU, of up to @max_words words
 * depending on its sequence number. The event is filled in place, word by
 * word, so that signals often land between reserve and commit.
 */
static void write_one(struct writer *w, unsigned int stream, u32 max_words)
{
	u64 seq = w->seq[stream];
	u32 nwords = (u32)(seq * 13 % (max_words + 1));
	struct tev *t;

	t = ring_buffer_reserve(srb, tev_size(nwords));
	if (!t) {
		count(&w->dropped);
		return;
	}
	tev_fill(t, w->cpu, stream, seq, nwords);
	ring_buffer_commit(srb, t);
	w->seq[stream] = seq + 1;
	count(&w->written);
}

/* SIGUSR1: an interrupt on this thread's CPU that writes a burst of events. */
static void on_interrupt(int sig)
{
	struct writer *w = self;

	(void)sig;
	if (!w)
		return;
	count(&w->interrupts);
	if (__atomic_load_n(&w->in_write, __ATOMIC_RELAXED))
		count(&w->nested);
	for (int i = 0; i < w->burst; i++)
		write_one(w, STREAM_IRQ, w->irq_words);
}

static void handle_interrupts(void)
{
	struct sigaction sa = { .sa_handler = on_interrupt, .sa_flags = SA_RESTART };

	sigemptyset(&sa.sa_mask);
	cr_assert_eq(sigaction(SIGUSR1, &sa, NULL), 0);
}

static void block_interrupts(void)
{
	sigset_t usr1;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
}

/*
 * A periodic timer that sends SIGUSR1 to the calling thread alone (a
 * Linux SIGEV_THREAD_ID timer): this thread's local "timer interrupt".
 * Called from worker threads, where cr_assert cannot unwind: a failure
 * aborts, which Criterion reports as a crash of the test.
 */
static timer_t start_ticking(void)
{
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGUSR1 };
	struct itimerspec period = { { 0, TICK_NS }, { 0, TICK_NS } };
	timer_t timer;

	sev._sigev_un._tid = gettid();
	if (timer_create(CLOCK_MONOTONIC, &sev, &timer) || timer_settime(timer, 0, &period, NULL))
		abort();
	return timer;
}

/*
 * A writer: its rounds of task events, under its timer's interrupts. At
 * the end it stops the timer, blocks the signal and reports done.
 */
static void *writer_thread(void *arg)
{
	struct writer *w = arg;
	timer_t timer;

	rbh_set_cpu(w->cpu);
	self = w;
	pthread_barrier_wait(&go);
	timer = start_ticking();
	for (long i = 0; i < w->rounds; i++) {
		__atomic_store_n(&w->in_write, 1, __ATOMIC_RELAXED);
		write_one(w, STREAM_TASK, TEV_MAX_WORDS);
		__atomic_store_n(&w->in_write, 0, __ATOMIC_RELAXED);
		if (i % YIELD_EVERY == 0)
			sched_yield();	/* let the reader catch up now and then */
	}
	timer_delete(timer);
	block_interrupts();
	__atomic_fetch_add(&writers_done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Check one consumed event against what came before on its CPU. */
static void check_event(struct reader_view *v, const struct ring_buffer_record *r)
{
	const struct tev *t = (const struct tev *)r->data;

	if (r->cpu >= NR_WRITERS || !tev_intact(r)) {
		v->torn++;
		return;
	}
	if (t->stream > STREAM_IRQ || t->seq < v->next_seq[r->cpu][t->stream] ||
	    r->ts < v->last_ts[r->cpu])
		v->out_of_order++;
	v->next_seq[r->cpu][t->stream] = t->seq + 1;
	v->last_ts[r->cpu] = r->ts;
	v->read[r->cpu]++;
}

/*
 * Walk the buffer as `cat trace` would: every event whole, and within
 * each (CPU, stream) in order. The walk's order must hold even though
 * writers overwrite parts of it meanwhile.
 */
static void walk(struct reader_view *v, struct ring_buffer_record *r)
{
	u64 next[NR_WRITERS][2] = { { 0 } };
	struct ring_buffer_iter *it = ring_buffer_iter_start(srb);

	if (IS_ERR(it)) {
		v->busy++;
		return;
	}
	v->walks++;
	while (ring_buffer_iter_next(it, r) == 0) {
		const struct tev *t = (const struct tev *)r->data;

		v->walked++;
		if (r->cpu >= NR_WRITERS || !tev_intact(r) || t->stream > STREAM_IRQ ||
		    t->seq < next[r->cpu][t->stream]) {
			v->walk_bad++;
			continue;
		}
		next[r->cpu][t->stream] = t->seq + 1;
	}
	ring_buffer_iter_end(it);
}

/* The reader: consume until the writers are done and nothing is left. */
static void *reader_thread(void *arg)
{
	struct reader_view *v = arg;
	struct ring_buffer_record *r = malloc(sizeof(*r));
	long n = 0;
	int err;

	pthread_barrier_wait(&go);
	for (;;) {
		int done = __atomic_load_n(&stop_reader, __ATOMIC_SEQ_CST);

		err = ring_buffer_consume_next(srb, r);
		if (err == 0) {
			check_event(v, r);
			if (++n % ITER_EVERY == 0)
				walk(v, r);
		} else if (err == -ENODATA && done) {
			break;
		} else if (err != -ENODATA && err != -EAGAIN) {
			v->torn++;		/* -EIO: a broken invariant */
			break;
		}
	}
	free(r);
	return NULL;
}

/* Wait for the writers to finish, then stop the reader once it drained. */
static void finish(pthread_t reader)
{
	struct timespec tick = { 0, 1000000 };
	long waited_ms = 0;

	while (__atomic_load_n(&writers_done, __ATOMIC_SEQ_CST) < NR_WRITERS) {
		if (++waited_ms > DEADLINE_S * 1000L)
			cr_assert_fail("writers still running after %d s", DEADLINE_S);
		nanosleep(&tick, NULL);
	}
	for (int i = 0; i < NR_WRITERS; i++)
		pthread_join(writers[i].thread, NULL);
	__atomic_store_n(&stop_reader, 1, __ATOMIC_SEQ_CST);
	pthread_join(reader, NULL);
}

/* Create the buffer, the writers and a reader, and start them together. */
static void start(size_t bytes, long rounds, struct reader_view *v, pthread_t *reader)
{
	handle_interrupts();
	srb = ring_buffer_alloc(bytes, NR_WRITERS);
	cr_assert(!IS_ERR(srb));
	rbh_real_clock();
	cr_assert_eq(pthread_barrier_init(&go, NULL, NR_WRITERS + 2), 0);
	for (unsigned int i = 0; i < NR_WRITERS; i++) {
		writers[i] = (struct writer){ .cpu = i, .rounds = rounds, .burst = 2,
					      .irq_words = 15 };
		cr_assert_eq(pthread_create(&writers[i].thread, NULL, writer_thread, &writers[i]), 0);
	}
	cr_assert_eq(pthread_create(reader, NULL, reader_thread, v), 0);
}

Test(ring_buffer, threads_and_interrupts_write_while_a_reader_reads, .timeout = 120)
{
	struct reader_view v = { 0 };
	struct ring_buffer_stats st;
	pthread_t reader;
	long nested = 0, interrupts = 0;

	start(4 * RING_BUFFER_PAGE_SIZE, 300000, &v, &reader);
	pthread_barrier_wait(&go);
	finish(reader);

	cr_expect_eq(v.torn, 0, "%ld torn events", v.torn);
	cr_expect_eq(v.out_of_order, 0, "%ld events out of order", v.out_of_order);
	cr_expect_eq(v.walk_bad, 0, "%ld bad events in %ld walks", v.walk_bad, v.walks);
	for (unsigned int cpu = 0; cpu < NR_WRITERS; cpu++) {
		struct writer *w = &writers[cpu];

		ring_buffer_cpu_stats(srb, cpu, &st);
		cr_expect_eq(st.written, (u64)w->written, "cpu %u", cpu);
		cr_expect_eq(st.dropped, (u64)w->dropped, "cpu %u", cpu);
		cr_expect_eq(st.read, (u64)v.read[cpu], "cpu %u", cpu);
		cr_expect_eq(st.read + st.overrun, st.written,
			     "cpu %u: %llu read + %llu overrun != %llu written", cpu,
			     (unsigned long long)st.read, (unsigned long long)st.overrun,
			     (unsigned long long)st.written);
		cr_expect_eq(st.entries, 0);
		nested += w->nested;
		interrupts += w->interrupts;
		cr_log_info("ring buffer stress cpu %u: %ld written, %llu read, %llu overrun, "
			    "%ld dropped", cpu, w->written, (unsigned long long)st.read,
			    (unsigned long long)st.overrun, w->dropped);
	}
	cr_log_info("ring buffer stress: %ld interrupts, %ld nested in a write, %ld walks "
		    "of %ld events", interrupts, nested, v.walks, v.walked);
	cr_expect_gt(nested, 0, "no interrupt ever landed inside a write");
	cr_expect_gt(v.walks, 0);
	ring_buffer_free(srb);
	cr_expect_eq(rbh_outstanding(), 0);
}

/*
 * Resets and resizes while everyone runs: writers and readers are turned
 * away for a moment (-EAGAIN, NULL), never let in on a buffer that is
 * changing. Counts cannot add up across resets, but every event read must
 * still be whole, and the threads must all finish.
 */
Test(ring_buffer, reset_and_resize_under_writers_and_readers, .timeout = 120)
{
	static const size_t sizes[] = { 2, 5, 3, 8 };
	struct reader_view v = { 0 };
	struct timespec pause = { 0, 200000 };
	pthread_t reader;
	int resets = 0, resizes = 0, busy = 0;

	start(4 * RING_BUFFER_PAGE_SIZE, 60000, &v, &reader);
	pthread_barrier_wait(&go);
	for (int i = 0; __atomic_load_n(&writers_done, __ATOMIC_SEQ_CST) < NR_WRITERS; i++) {
		int err = i % 2 ? ring_buffer_reset(srb)
				: ring_buffer_resize(srb, sizes[i / 2 % 4] * RING_BUFFER_PAGE_SIZE);

		cr_assert(err == 0 || err == -EBUSY, "err %d", err);
		if (err)
			busy++;
		else if (i % 2)
			resets++;
		else
			resizes++;
		nanosleep(&pause, NULL);
	}
	finish(reader);
	cr_log_info("ring buffer under reset: %d resets, %d resizes, %d busy", resets, resizes, busy);
	cr_expect_eq(v.torn, 0, "%ld torn events", v.torn);
	cr_expect_eq(v.out_of_order, 0, "%ld events out of order", v.out_of_order);
	cr_expect_eq(v.walk_bad, 0);
	cr_expect_gt(resets + resizes, 0);
	ring_buffer_free(srb);
	cr_expect_eq(rbh_outstanding(), 0);
}

/*
 * One thread reads its own CPU's buffer, consuming and walking, while its
 * "timer interrupt" writes bursts of large events that overwrite the whole
 * buffer, often in the middle of a copy. The reader must notice every
 * time and hand out only whole events; the counts must still add up.
 */
Test(ring_buffer, reader_interrupted_by_writers_on_its_own_cpu, .timeout = 60)
{
	struct ring_buffer_record *r = malloc(sizeof(*r));
	struct writer *w = &writers[0];
	struct reader_view v = { 0 };
	struct ring_buffer_stats st;
	u64 deadline = (u64)time(NULL) + 3;
	timer_t timer;

	srb = ring_buffer_alloc(2 * RING_BUFFER_PAGE_SIZE, 1);
	cr_assert(!IS_ERR(srb));
	rbh_real_clock();
	rbh_set_cpu(0);
	*w = (struct writer){ .cpu = 0, .burst = 12, .irq_words = TEV_MAX_WORDS };
	self = w;
	handle_interrupts();
	timer = start_ticking();
	while (__atomic_load_n(&w->interrupts, __ATOMIC_RELAXED) < 3000 &&
	       (u64)time(NULL) < deadline) {
		walk(&v, r);
		for (int n = 0; n < 4; n++)
			if (ring_buffer_consume(srb, 0, r) == 0)
				check_event(&v, r);
	}
	timer_delete(timer);
	block_interrupts();
	while (ring_buffer_consume(srb, 0, r) == 0)
		check_event(&v, r);

	cr_log_info("reader under interrupts: %ld interrupts, %ld written, %ld read, %ld walks "
		    "of %ld events", w->interrupts, w->written, v.read[0], v.walks, v.walked);
	cr_expect_eq(v.torn, 0, "%ld torn events", v.torn);
	cr_expect_eq(v.out_of_order, 0);
	cr_expect_eq(v.walk_bad, 0, "%ld bad events in %ld walks", v.walk_bad, v.walks);
	ring_buffer_cpu_stats(srb, 0, &st);
	cr_expect_eq(st.written, (u64)w->written);
	cr_expect_eq(st.read, (u64)v.read[0]);
	cr_expect_eq(st.read + st.overrun, st.written);
	cr_expect_gt(w->interrupts, 100);
	ring_buffer_free(srb);
	free(r);
	cr_expect_eq(rbh_outstanding(), 0);
}
