// SPDX-License-Identifier: MIT
/*
 * Self-tests of tasks and synchronisation: preemption shares the CPU,
 * mutexes exclude, sleeps end on time, wait queues and completions wake,
 * exited threads are released and leak nothing.
 */
#include "leak_check.h"
#include <kernel/selftest.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/mutex.h>
#include <kernel/sched.h>
#include <kernel/time.h>
#include <kernel/wait.h>
#include <kernel/workloads/workloads.h>
#include <asm/text-patching.h>
#include <lib/compiler.h>
#include <lib/string.h>

#define COUNTER_THREADS	4
#define COUNTER_ROUNDS	2000

struct counter_test {
	struct mutex lock;
	unsigned long value;
	struct completion done[COUNTER_THREADS];
};

static int counter_thread(void *arg)
{
	struct counter_test *ct = arg;
	int i;

	for (i = 0; i < COUNTER_ROUNDS; i++) {
		mutex_lock(&ct->lock);
		unsigned long v = READ_ONCE(ct->value);

		if (i % 64 == 0)
			yield();	/* let another thread try the held mutex */
		WRITE_ONCE(ct->value, v + 1);
		mutex_unlock(&ct->lock);
	}
	return 0;
}

static void mutex_counter_reaches_exact_total(struct selftest *t)
{
	struct counter_test *ct = kzalloc(sizeof(*ct));
	int i;

	ASSERT_TRUE(t, ct != NULL);
	mutex_init(&ct->lock);
	for (i = 0; i < COUNTER_THREADS; i++) {
		struct task_struct *th;

		init_completion(&ct->done[i]);
		th = kthread_create(counter_thread, ct, "counter");
		ASSERT_TRUE(t, th != NULL);
		th->exit_done = &ct->done[i];
		wake_up_process(th);
	}
	for (i = 0; i < COUNTER_THREADS; i++)
		wait_for_completion(&ct->done[i]);
	EXPECT_EQ(t, ct->value, COUNTER_THREADS * COUNTER_ROUNDS);
	EXPECT_TRUE(t, !mutex_is_locked(&ct->lock));
	kfree(ct);
}

/*
 * msleep(50) returns after at least 50 ms, woken by the first tick past the
 * deadline: "within a tick". Under TCG on a loaded host wall time and tick
 * count can each be skewed (a stalled emulator lets wall time pass without
 * ticks; a catching-up one delivers ticks in a burst), so a wake-up counts
 * as on time if either measure says so, and a loaded moment gets three
 * attempts. A scheduler that oversleeps fails every one.
 */
static bool msleep_50_on_time(u64 *elapsed_ns, u64 *ticks)
{
	u64 t0 = clock_ns(), j0 = jiffies;

	if (msleep(50))
		return false;
	*elapsed_ns = clock_ns() - t0;
	*ticks = jiffies - j0;
	if (*elapsed_ns < 50 * NSEC_PER_MSEC)
		return false;
	return *elapsed_ns <= 50 * NSEC_PER_MSEC + NSEC_PER_SEC / HZ + NSEC_PER_MSEC ||
	       *ticks <= 50 * HZ / 1000 + 2;
}

static void msleep_wakes_within_a_tick(struct selftest *t)
{
	u64 elapsed = 0, ticks = 0;
	int attempt;

	for (attempt = 0; attempt < 3; attempt++)
		if (msleep_50_on_time(&elapsed, &ticks))
			return;
	selftest_fail(t, __FILE__, __LINE__, "msleep(50) took %llu us and %llu ticks",
		      (unsigned long long)(elapsed / NSEC_PER_USEC), (unsigned long long)ticks);
}

struct spinner {
	volatile bool stop;
	struct completion done;
};

static int spin_thread(void *arg)
{
	struct spinner *s = arg;

	while (!s->stop)
		;	/* never sleeps: only preemption lets others run */
	return 0;
}

static void preemption_shares_the_cpu(struct selftest *t)
{
	struct spinner s = { .stop = false };
	struct task_struct *th;
	u64 t0;

	init_completion(&s.done);
	th = kthread_create(spin_thread, &s, "spinner");
	ASSERT_TRUE(t, th != NULL);
	th->exit_done = &s.done;
	wake_up_process(th);
	t0 = clock_ns();
	msleep(100);		/* returns only if the spinner is preempted */
	EXPECT_TRUE(t, clock_ns() - t0 < 100 * NSEC_PER_MSEC + 3 * SCHED_SLICE_TICKS * NSEC_PER_SEC / HZ);
	s.stop = true;
	wait_for_completion(&s.done);
}

struct waiter {
	struct wait_queue_head wq;
	volatile bool flag;
	struct completion woke;
};

static int wait_thread(void *arg)
{
	struct waiter *w = arg;

	wait_event(w->wq, w->flag);
	complete(&w->woke);
	return 0;
}

static void wait_queue_wakes_the_sleeper(struct selftest *t)
{
	struct waiter w = { .flag = false };
	struct task_struct *th;

	init_waitqueue_head(&w.wq);
	init_completion(&w.woke);
	th = kthread_run(wait_thread, &w, "waiter");
	ASSERT_TRUE(t, th != NULL);
	msleep(20);
	EXPECT_TRUE(t, !wait_for_completion_timeout(&w.woke, 1));	/* still waiting */
	w.flag = true;
	wake_up(&w.wq);
	EXPECT_TRUE(t, wait_for_completion_timeout(&w.woke, 1000));
}

static void completion_counts_and_times_out(struct selftest *t)
{
	struct completion c;
	u64 t0;

	init_completion(&c);
	complete(&c);
	complete(&c);
	EXPECT_TRUE(t, wait_for_completion_timeout(&c, 10));
	EXPECT_TRUE(t, wait_for_completion_timeout(&c, 10));
	t0 = clock_ns();
	EXPECT_TRUE(t, !wait_for_completion_timeout(&c, 30));
	EXPECT_TRUE(t, clock_ns() - t0 >= 30 * NSEC_PER_MSEC);
}

static int exit_42(void *arg)
{
	(void)arg;
	return 42;
}

static void exited_threads_are_released(struct selftest *t)
{
	struct kmalloc_usage before, after;
	struct completion done;
	struct task_struct *th;
	int pid, i;

	leak_check_start(&before);
	init_completion(&done);
	th = kthread_create(exit_42, NULL, "exit42");
	ASSERT_TRUE(t, th != NULL);
	pid = th->pid;
	th->exit_done = &done;
	wake_up_process(th);
	wait_for_completion(&done);
	/* The reaper frees it after a grace period. */
	for (i = 0; i < 100 && find_task(pid); i++)
		msleep(10);
	EXPECT_TRUE(t, find_task(pid) == NULL);
	leak_check_end(&before, &after);
	EXPECT_EQ(t, after.objects, before.objects);
	EXPECT_EQ(t, after.bytes, before.bytes);
}

static void fib_makes_the_naive_number_of_calls(struct selftest *t)
{
	const u8 *code = (const u8 *)fib;
	unsigned long i, self_calls = 0;

	EXPECT_EQ(t, fib(7), 13);
	EXPECT_EQ(t, fib_calls(5), 15);
	EXPECT_EQ(t, fib_calls(7), 41);
	/* Both recursive calls survive -O2: two `call fib` in its body. */
	for (i = 0; i + CALL_INSN_SIZE <= 0x100; i++) {
		u8 call_fib[CALL_INSN_SIZE];

		text_gen_insn(call_fib, CALL_INSN_OPCODE, (unsigned long)code + i, (unsigned long)fib);
		if (!memcmp(code + i, call_fib, CALL_INSN_SIZE))
			self_calls++;
	}
	EXPECT_EQ(t, self_calls, 2);
}

static const struct selftest_case sched_cases[] = {
	SELFTEST_CASE(mutex_counter_reaches_exact_total),
	SELFTEST_CASE(msleep_wakes_within_a_tick),
	SELFTEST_CASE(preemption_shares_the_cpu),
	SELFTEST_CASE(wait_queue_wakes_the_sleeper),
	SELFTEST_CASE(completion_counts_and_times_out),
	SELFTEST_CASE(exited_threads_are_released),
	SELFTEST_CASE(fib_makes_the_naive_number_of_calls),
};
SELFTEST_SUITE("sched", sched_cases);
