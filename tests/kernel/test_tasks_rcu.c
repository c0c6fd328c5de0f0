// SPDX-License-Identifier: MIT
/*
 * Self-tests of tasks RCU (kernel/tasks_rcu.c).
 *
 * The wait must hold while a task is inside the range in each way a task
 * can be: preempted there (faked, and for real: a spinner the tick
 * preempts), asleep with a return address there, and running there on
 * another CPU (that one needs a second CPU running tasks and skips
 * without one); and the tick's check of a running task is driven by hand
 * so that it is tested on one CPU too. Each test checks that the wait did
 * not end before the task left, and that it ended soon after.
 */
#include "tasks_test.h"
#include <kernel/kallsyms.h>
#include <kernel/smp.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>
#include <asm/ptrace.h>
#include <lib/compiler.h>
#include <lib/errno.h>

bool trcu_func_range(void *fn, struct code_range *r)
{
	struct ksym sym;

	if (!kallsyms_lookup_addr((unsigned long)fn, &sym, NULL))
		return false;
	*r = (struct code_range){ sym.addr, sym.addr + sym.size };
	return true;
}

/* Poll @flag for up to @ms; true once it is set. */
bool trcu_becomes_set(volatile int *flag, unsigned ms)
{
	unsigned i;

	for (i = 0; i < ms && !*flag; i++)
		msleep(1);
	return *flag;
}

/* Start @fn on @cpu (tasks stay on the CPU they are placed on). */
struct task_struct *trcu_run_on(int cpu, int (*fn)(void *), void *arg, const char *name)
{
	struct task_struct *t = kthread_create(fn, arg, name);

	if (t) {
		t->cpu = cpu;
		wake_up_process(t);
	}
	return t;
}

/* A CPU running tasks other than ours, or -1 (then the test skips). */
int trcu_other_cpu(struct selftest *t)
{
	if (nr_cpus_online >= 2)
		return (smp_processor_id() + 1) % nr_cpus_online;
	selftest_skip(t, "needs a second CPU running tasks (nr_cpus_online is 1)");
	return -1;
}

/* ---- a waiter in its own thread ---- */

struct waiter {
	struct code_range r;
	volatile int done;
	struct completion exited;
};

static int waiter_thread(void *arg)
{
	struct waiter *w = arg;

	synchronize_rcu_tasks_range(w->r.start, w->r.end);
	WRITE_ONCE(w->done, 1);
	complete(&w->exited);
	return 0;
}

static void start_waiter(struct waiter *w)
{
	w->done = 0;
	init_completion(&w->exited);
	kthread_run(waiter_thread, w, "tasks-rcu-wait");
}

/* ---- preempted inside (faked) ---- */

noinline int trcu_parked_here(int x)
{
	return x * 3 + 1;
}

static int empty_body(void *arg)
{
	(void)arg;
	return 0;
}

/* A task that looks preempted at @ip: created, never run until released. */
static struct task_struct *fake_preempted_at(unsigned long ip)
{
	struct task_struct *t = kthread_create(empty_body, NULL, "fake-preempted");

	if (t)
		t->preempt_ip = ip;
	return t;
}

static void release_fake(struct task_struct *t)
{
	t->preempt_ip = 0;
	wake_up_process(t);
}

static void wait_holds_while_a_task_is_preempted_in_the_range(struct selftest *t)
{
	static struct waiter w;
	struct task_struct *fake;

	ASSERT_TRUE(t, trcu_func_range(trcu_parked_here, &w.r));
	fake = fake_preempted_at(w.r.start + 1);
	ASSERT_TRUE(t, fake != NULL);
	start_waiter(&w);
	msleep(HOLD_MS);
	EXPECT_TRUE(t, !w.done);		/* held by the task */
	release_fake(fake);
	EXPECT_TRUE(t, trcu_becomes_set(&w.done, DONE_MS));
	if (w.done)
		wait_for_completion(&w.exited);
}

static void find_parked_reports_instead_of_waiting(struct selftest *t)
{
	struct code_range r[2];
	struct task_struct *fake;
	bool busy[2] = { false, true };

	ASSERT_TRUE(t, trcu_func_range(trcu_parked_here, &r[0]));
	ASSERT_TRUE(t, trcu_func_range(empty_body, &r[1]));
	fake = fake_preempted_at(r[0].start + 1);
	ASSERT_TRUE(t, fake != NULL);
	EXPECT_EQ(t, tasks_rcu_find_held(r, 2, busy), 1);
	EXPECT_TRUE(t, busy[0]);
	EXPECT_TRUE(t, !busy[1]);
	release_fake(fake);
	msleep(10);				/* it has run and exited */
	EXPECT_EQ(t, tasks_rcu_find_held(r, 2, busy), 0);
	EXPECT_TRUE(t, !busy[0]);
}

/* ---- asleep with a return address inside ---- */

static struct completion sleeper_go;
static volatile int sleeper_asleep;

noinline void trcu_sleep_below(void)
{
	WRITE_ONCE(sleeper_asleep, 1);
	wait_for_completion(&sleeper_go);
}

/* The range: the task's return address into here is on its stack. */
noinline int trcu_calls_a_sleep(int x)
{
	trcu_sleep_below();
	barrier();				/* the call is not a tail call */
	return x + 1;
}

static int sleeper_thread(void *arg)
{
	(void)arg;
	return trcu_calls_a_sleep(1) == 2 ? 0 : -EINVAL;
}

static void wait_holds_while_a_task_sleeps_below_the_range(struct selftest *t)
{
	static struct waiter w;

	ASSERT_TRUE(t, trcu_func_range(trcu_calls_a_sleep, &w.r));
	init_completion(&sleeper_go);
	sleeper_asleep = 0;
	ASSERT_TRUE(t, kthread_run(sleeper_thread, NULL, "tasks-rcu-sleep") != NULL);
	ASSERT_TRUE(t, trcu_becomes_set(&sleeper_asleep, DONE_MS));
	msleep(10);				/* and inside wait_for_completion() */
	start_waiter(&w);
	msleep(HOLD_MS);
	EXPECT_TRUE(t, !w.done);		/* its return address is inside */
	complete_all(&sleeper_go);
	EXPECT_TRUE(t, trcu_becomes_set(&w.done, DONE_MS));
	if (w.done)
		wait_for_completion(&w.exited);
}

/* ---- spinning inside: preempted for real, or running on another CPU ---- */


noinline void trcu_spin_here(struct spin *s)
{
	u64 limit = clock_ns() + SPIN_LIMIT_NS;

	WRITE_ONCE(s->spinning, 1);
	while (!READ_ONCE(s->stop) && clock_ns() < limit)
		cpu_relax();
}

int trcu_spinner_thread(void *arg)
{
	struct spin *s = arg;

	trcu_spin_here(s);
	complete(&s->exited);
	return 0;
}

/* Stop the spinner after HOLD_MS, noting when. */
static int releaser_thread(void *arg)
{
	struct spin *s = arg;

	msleep(HOLD_MS);
	s->released_ns = clock_ns();
	WRITE_ONCE(s->stop, 1);
	return 0;
}

/*
 * The spinner runs trcu_spin_here() on @cpu; we wait on that function's
 * range and must come back only after the releaser stopped it. On our
 * own CPU the tick preempts the spinner inside (we sleep, it runs); on
 * another one it never leaves its CPU and only that CPU's tick sees it.
 */
static void wait_outlasts_a_spinner_on(struct selftest *t, int cpu)
{
	static struct spin s;
	struct code_range r;
	u64 end;

	ASSERT_TRUE(t, trcu_func_range(trcu_spin_here, &r));
	s.stop = s.spinning = 0;
	s.released_ns = 0;
	init_completion(&s.exited);
	ASSERT_TRUE(t, trcu_run_on(cpu, trcu_spinner_thread, &s, "tasks-rcu-spin") != NULL);
	ASSERT_TRUE(t, trcu_becomes_set(&s.spinning, DONE_MS));
	ASSERT_TRUE(t, kthread_run(releaser_thread, &s, "tasks-rcu-stop") != NULL);
	synchronize_rcu_tasks_range(r.start, r.end);
	end = clock_ns();
	EXPECT_TRUE(t, s.stop);
	EXPECT_TRUE(t, s.released_ns && end >= s.released_ns);
	WRITE_ONCE(s.stop, 1);
	wait_for_completion(&s.exited);
}

static void wait_holds_while_a_task_is_preempted_spinning_in_the_range(struct selftest *t)
{
	wait_outlasts_a_spinner_on(t, smp_processor_id());
}

static void wait_holds_while_another_cpu_runs_in_the_range(struct selftest *t)
{
	int cpu = trcu_other_cpu(t);

	if (cpu >= 0)
		wait_outlasts_a_spinner_on(t, cpu);
}

static void wait_on_code_no_task_is_in_returns(struct selftest *t)
{
	u64 start = clock_ns();

	synchronize_rcu_tasks_range((unsigned long)trcu_parked_here, (unsigned long)trcu_parked_here + 1);
	synchronize_rcu_tasks();
	EXPECT_TRUE(t, clock_ns() - start < (u64)DONE_MS * NSEC_PER_MSEC);
	EXPECT_EQ(t, trcu_parked_here(1), 4);
}

/*
 * The tick's half, which the other tests reach only with a second CPU:
 * while a wait is on (a faked preempted task keeps it on), a tick that
 * interrupts the current task marks it seen only if nothing of its
 * context - ip, the words at sp, its frames - is inside the range.
 */
static bool tick_marks(unsigned long ip, unsigned long sp, unsigned long bp)
{
	struct pt_regs regs = { .ip = ip, .sp = sp, .bp = bp };
	u64 before = current->tasks_rcu_gen;
	unsigned long flags;
	bool marked;

	/* The waiter may have seen us already (we sleep between calls). */
	local_irq_save(flags);
	irq_enter();
	current->tasks_rcu_gen = 0;
	tasks_rcu_tick(&regs);
	marked = current->tasks_rcu_gen != 0;
	current->tasks_rcu_gen = before;
	irq_exit();
	local_irq_restore(flags);
	return marked;
}

static void tick_sees_a_running_task_only_outside_the_range(struct selftest *t)
{
	static struct waiter w;
	static unsigned long stk[8] __aligned(16);
	unsigned long inside, outside = (unsigned long)empty_body;
	struct task_struct *fake;

	ASSERT_TRUE(t, trcu_func_range(trcu_parked_here, &w.r));
	inside = w.r.start + 1;
	fake = fake_preempted_at(inside);
	ASSERT_TRUE(t, fake != NULL);
	EXPECT_TRUE(t, !tick_marks(outside, 0, 0));	/* no wait on: nothing */
	start_waiter(&w);
	msleep(10);
	EXPECT_TRUE(t, !w.done);
	EXPECT_TRUE(t, !tick_marks(inside, 0, 0));	/* interrupted inside */
	stk[0] = outside;
	stk[1] = inside;
	EXPECT_TRUE(t, !tick_marks(outside, (unsigned long)&stk[0], 0));	/* return address at sp + 8 */
	stk[1] = outside;
	stk[2] = 0;				/* a frame record: next bp, return address */
	stk[3] = inside;
	EXPECT_TRUE(t, !tick_marks(outside, (unsigned long)&stk[0], (unsigned long)&stk[2]));
	stk[3] = outside;
	EXPECT_TRUE(t, tick_marks(outside, (unsigned long)&stk[0], (unsigned long)&stk[2]));
	release_fake(fake);
	EXPECT_TRUE(t, trcu_becomes_set(&w.done, DONE_MS));
	if (w.done)
		wait_for_completion(&w.exited);
}

static const struct selftest_case tasks_rcu_cases[] = {
	SELFTEST_CASE(wait_holds_while_a_task_is_preempted_in_the_range),
	SELFTEST_CASE(find_parked_reports_instead_of_waiting),
	SELFTEST_CASE(wait_holds_while_a_task_sleeps_below_the_range),
	SELFTEST_CASE(wait_holds_while_a_task_is_preempted_spinning_in_the_range),
	SELFTEST_CASE(wait_holds_while_another_cpu_runs_in_the_range),
	SELFTEST_CASE(wait_on_code_no_task_is_in_returns),
	SELFTEST_CASE(tick_sees_a_running_task_only_outside_the_range),
};
SELFTEST_SUITE("tasks_rcu", tasks_rcu_cases);
