// SPDX-License-Identifier: MIT
/*
 * Self-tests of probe lifetimes across CPUs.
 *
 * Another task's shadow stack is read only while that task cannot run
 * (current, or held off its CPU); a backtrace of a preempted task is
 * whole, one of a task running elsewhere is refused, and backtraces of
 * tasks being killed are safe. Unregistering a kprobe, a kretprobe or an
 * fprobe must not return while one of its handlers runs on another CPU.
 * Handlers run with preemption or interrupts off, so on one CPU no
 * handler can be running while unregister runs: those tests need a
 * second CPU running tasks and skip with a message without one.
 */
#include "tasks_test.h"
#include <kernel/kallsyms.h>
#include <kernel/printk.h>
#include <kernel/rcu.h>
#include <kernel/smp.h>
#include <kernel/stacktrace.h>
#include <trace/fprobe.h>
#include <trace/kprobes.h>
#include <trace/rethook.h>
#include <asm/cpu.h>
#include <asm/kprobes.h>
#include <lib/atomic.h>
#include <lib/compiler.h>
#include <lib/errno.h>

/* ---- reading another task's shadow stack ---- */

struct held_find {
	unsigned long frame, addr;
};

static int find_held(struct task_struct *task, void *arg)
{
	struct held_find *f = arg;
	struct llist_node *cur = NULL;

	f->addr = rethook_find_ret_addr(task, f->frame, &cur);
	return 0;
}

static void rethook_reads_only_current_or_a_held_task(struct selftest *t)
{
	static struct task_struct fake;
	struct rethook_node node = { .ret_addr = (unsigned long)trcu_parked_here + 4, .frame = 0x1000 };
	struct held_find f = { .frame = 0x1000 };
	struct llist_node *cur = NULL;

	fake.cpu = smp_processor_id();		/* present, not running */
	fake.rethooks.first = &node.llist;
	node.llist.next = NULL;
	/* Not held: it could start running (and pop) under the walk. */
	EXPECT_EQ(t, rethook_find_ret_addr(&fake, 0x1000, &cur), 0);
	EXPECT_TRUE(t, cur == NULL);
	EXPECT_EQ(t, sched_call_held(&fake, find_held, &f), 0);
	EXPECT_EQ(t, f.addr, node.ret_addr);
	/* Current is on its CPU: it cannot be held, only read as current. */
	EXPECT_EQ(t, sched_call_held(current, find_held, &f), -EBUSY);
}

/*
 * A task preempted on our CPU is runnable (TASK_RUNNING) but off its CPU:
 * held, its backtrace is whole, and starts where the tick stopped it.
 */
static bool in_range_of(unsigned long addr, void *fn)
{
	struct code_range r;

	return trcu_func_range(fn, &r) && addr >= r.start && addr < r.end;
}

static void backtrace_of_a_preempted_task_shows_where_it_stopped(struct selftest *t)
{
	unsigned long entries[STACKTRACE_MAX];
	struct task_struct *spinner;
	static struct spin s;
	int n = 0, i, attempt, pid, spin_at = -1, body_at = -1;

	s.stop = s.spinning = 0;
	init_completion(&s.exited);
	spinner = trcu_run_on(smp_processor_id(), trcu_spinner_thread, &s, "tasks-rcu-spin");
	ASSERT_TRUE(t, spinner != NULL);
	pid = spinner->pid;		/* it spins for seconds before it can exit */
	ASSERT_TRUE(t, trcu_becomes_set(&s.spinning, DONE_MS));
	/*
	 * Stopped at the first instruction of a function trcu_spin_here()
	 * calls (clock_ns), before that function's frame exists, a frame-
	 * pointer walk cannot see trcu_spin_here() itself: sample again.
	 */
	for (attempt = 0; attempt < 5 && spin_at < 0; attempt++) {
		msleep(10);			/* it ran again, and was preempted */
		/* As `bt` does: on a slow host the spinner may have reached
		 * its time limit and exited; its pid finds it only alive, and
		 * the read-side section keeps it from being released. */
		rcu_read_lock();
		spinner = find_task(pid);
		if (spinner)
			EXPECT_EQ(t, spinner->state, TASK_RUNNING);
		n = spinner ? stack_trace_save_tsk(spinner, entries, STACKTRACE_MAX) : -ESRCH;
		rcu_read_unlock();
		spin_at = body_at = -1;
		for (i = 0; i < n; i++) {
			if (spin_at < 0 && in_range_of(entries[i], trcu_spin_here))
				spin_at = i;
			if (body_at < 0 && in_range_of(entries[i], trcu_spinner_thread))
				body_at = i;
		}
	}
	EXPECT_TRUE(t, n > 0);
	EXPECT_TRUE(t, spin_at >= 0);
	EXPECT_TRUE(t, body_at > spin_at);
	WRITE_ONCE(s.stop, 1);
	wait_for_completion(&s.exited);
}

static void backtrace_of_a_task_running_elsewhere_is_refused(struct selftest *t)
{
	unsigned long entries[STACKTRACE_MAX];
	struct task_struct *spinner;
	static struct spin s;
	int pid, cpu = trcu_other_cpu(t);

	if (cpu < 0)
		return;
	s.stop = s.spinning = 0;
	init_completion(&s.exited);
	spinner = trcu_run_on(cpu, trcu_spinner_thread, &s, "tasks-rcu-spin");
	ASSERT_TRUE(t, spinner != NULL);
	pid = spinner->pid;
	ASSERT_TRUE(t, trcu_becomes_set(&s.spinning, DONE_MS));
	rcu_read_lock();		/* see the test above */
	spinner = find_task(pid);
	EXPECT_TRUE(t, spinner && task_curr(spinner));
	if (spinner)
		EXPECT_EQ(t, stack_trace_save_tsk(spinner, entries, STACKTRACE_MAX), -EBUSY);
	rcu_read_unlock();
	EXPECT_TRUE(t, stack_trace_save_tsk(current, entries, STACKTRACE_MAX) > 0);
	WRITE_ONCE(s.stop, 1);
	wait_for_completion(&s.exited);
}

/*
 * Backtraces of tasks being killed: workers sleep under a hooked return
 * (a node on their shadow stack), on another CPU when there is one, and
 * are killed while we walk them. Each walk is a lookup and a walk inside
 * one RCU read-side section, as the bt command does: a task that exits
 * meanwhile is not released under us. It must never crash, and every
 * walk must find the task, find it gone, or find it running.
 */
#define KILL_WORKERS	4

static volatile int nap_rets;

noinline int trcu_hooked_nap(void)
{
	return msleep(1);
}

static int nap_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	(void)ri;
	(void)regs;
	fetch_add_relaxed(&nap_rets, 1);
	return 0;
}

static int napper_thread(void *arg)
{
	(void)arg;
	while (!kthread_should_stop())
		trcu_hooked_nap();
	return 0;
}

static int walk_pid(int pid, unsigned long *entries)
{
	struct task_struct *p;
	int n = -ESRCH;

	rcu_read_lock();
	p = find_task(pid);
	if (p)
		n = stack_trace_save_tsk(p, entries, STACKTRACE_MAX);
	rcu_read_unlock();
	return n;
}

static void backtraces_of_tasks_being_killed_are_safe(struct selftest *t)
{
	static struct kretprobe rp;
	unsigned long entries[STACKTRACE_MAX];
	int pids[KILL_WORKERS], i, round, walked = 0, odd = 0;
	int cpu = nr_cpus_online >= 2 ? (int)(smp_processor_id() + 1) % nr_cpus_online :
					 (int)smp_processor_id();

	rp = (struct kretprobe){ .kp.symbol_name = "trcu_hooked_nap", .handler = nap_ret };
	nap_rets = 0;
	ASSERT_EQ(t, register_kretprobe(&rp), 0);
	for (i = 0; i < KILL_WORKERS; i++) {
		struct task_struct *w = kthread_create(napper_thread, NULL, "tasks-rcu-nap");

		pids[i] = -1;
		if (!EXPECT_TRUE(t, w != NULL))
			continue;
		w->killable = true;
		w->cpu = cpu;
		pids[i] = w->pid;
		wake_up_process(w);
	}
	msleep(20);
	for (round = 0; round < 200; round++) {
		i = round % KILL_WORKERS;
		if (pids[i] < 0)
			continue;
		if (round == 100 + i)
			EXPECT_EQ(t, task_kill(pids[i]), 0);
		switch (walk_pid(pids[i], entries)) {
		case -ESRCH:
		case -EBUSY:
			break;
		default:
			walked++;
		}
		if (round % 16 == 0)
			msleep(1);
	}
	for (i = 0; i < KILL_WORKERS; i++)
		if (pids[i] >= 0 && task_kill(pids[i]) && find_task(pids[i]))
			odd++;			/* alive but not killable: a bug */
	for (i = 0; i < 200 && odd == 0; i++) {
		int left = 0, k;

		for (k = 0; k < KILL_WORKERS; k++)
			left += pids[k] >= 0 && find_task(pids[k]) != NULL;
		if (!left)
			break;
		msleep(5);
	}
	EXPECT_EQ(t, odd, 0);
	EXPECT_TRUE(t, walked > 0);
	EXPECT_TRUE(t, nap_rets > 0);
	unregister_kretprobe(&rp);
}

/* ---- unregister waits for a handler running on another CPU ---- */

/*
 * A handler that, once let in, spins until released (or SPIN_LIMIT_NS):
 * it stands for a long handler running on another CPU while we
 * unregister. Only the first hit spins.
 */
struct blocking_handler {
	volatile int armed, inside, release, finished;
	u64 spin_ns;		/* the longest it spins unreleased */
};

static struct blocking_handler bh;

static void bh_reset(void)
{
	bh = (struct blocking_handler){ .armed = 1, .spin_ns = SPIN_LIMIT_NS };
}

static void bh_run(void)
{
	u64 limit;

	if (!xchg(&bh.armed, 0))
		return;
	limit = clock_ns() + bh.spin_ns;
	WRITE_ONCE(bh.inside, 1);
	while (!READ_ONCE(bh.release) && clock_ns() < limit)
		cpu_relax();
	WRITE_ONCE(bh.finished, 1);
}

static volatile int trcu_sink;

noinline int trcu_probed(int x)
{
	trcu_sink = x;
	return x + 2;
}

static int caller_thread(void *arg)
{
	(void)arg;
	trcu_probed(5);
	return 0;
}

struct unreg_job {
	void (*unreg)(void *probe);
	void *probe;
	volatile int done, finished_seen;
	struct completion exited;
};

static int unreg_thread(void *arg)
{
	struct unreg_job *j = arg;

	j->unreg(j->probe);
	j->finished_seen = READ_ONCE(bh.finished);	/* must be 1 */
	WRITE_ONCE(j->done, 1);
	complete(&j->exited);
	return 0;
}

/*
 * With the probe registered and bh armed: call the probed function on
 * another CPU, and once its handler is inside, unregister from here.
 * Unregister must still be waiting while the handler spins, and the
 * handler must have finished when it returns.
 *
 * An int3 handler (@irqs_off) spins with interrupts off, so the
 * unregistering CPU, whose text patching waits for every CPU to answer
 * an IPI, spins too, with preemption off (as in Linux): with two CPUs
 * nobody is left to watch it wait. Then the handler stops by itself
 * after HOLD_MS * 4 and only the order is checked: unregister returned
 * after the handler finished.
 */
/* An online CPU that is neither this one nor @busy (three or more online). */
static int third_cpu(int busy)
{
	int me = smp_processor_id(), c;

	for (c = 0; c < nr_cpus_online; c++)
		if (c != me && c != busy)
			return c;
	return me;
}

static void unregister_waits_for_handler(struct selftest *t, int cpu, void (*unreg)(void *),
					 void *probe, bool irqs_off)
{
	static struct unreg_job j;

	j = (struct unreg_job){ .unreg = unreg, .probe = probe };
	init_completion(&j.exited);
	ASSERT_TRUE(t, trcu_run_on(cpu, caller_thread, NULL, "tasks-rcu-call") != NULL);
	if (!EXPECT_TRUE(t, trcu_becomes_set(&bh.inside, DONE_MS))) {
		unreg(probe);
		return;
	}
	/*
	 * With three CPUs or more the unregistering thread gets one of its
	 * own: spinning there with preemption off, it must not keep this
	 * thread (the watcher) from waking up.
	 */
	ASSERT_TRUE(t, trcu_run_on(nr_cpus_online >= 3 ? third_cpu(cpu) : (int)smp_processor_id(),
				   unreg_thread, &j, "tasks-rcu-unreg") != NULL);
	if (!irqs_off || nr_cpus_online >= 3) {
		int done, finished;

		msleep(HOLD_MS);
		/*
		 * Unregister may not have returned while the handler still
		 * runs. (On a loaded host the sleep can outlast the handler's
		 * SPIN_LIMIT_NS; then only the order below is checked.)
		 */
		done = smp_load_acquire(&j.done);
		finished = smp_load_acquire(&bh.finished);
		EXPECT_TRUE(t, !done || finished);
		if (finished)
			console_printf("        # the handler gave up before the check\n");
		WRITE_ONCE(bh.release, 1);
	}
	wait_for_completion(&j.exited);
	EXPECT_EQ(t, j.finished_seen, 1);
}

static int kp_pre(struct kprobe *p, struct pt_regs *regs)
{
	(void)p;
	(void)regs;
	bh_run();
	return 0;
}

static void unreg_kprobe(void *p)
{
	unregister_kprobe(p);
}

static void unregister_kprobe_waits_for_a_running_handler(struct selftest *t)
{
	static struct kprobe kp;
	int cpu = trcu_other_cpu(t);

	if (cpu < 0)
		return;
	/* Past the fentry site: an int3 probe, its handler with interrupts off. */
	kp = (struct kprobe){ .symbol_name = "trcu_probed", .offset = CALL_INSN_SIZE,
			      .pre_handler = kp_pre };
	bh_reset();
	if (nr_cpus_online < 3)
		bh.spin_ns = HOLD_MS * 4 * NSEC_PER_MSEC;
	ASSERT_EQ(t, register_kprobe(&kp), 0);
	unregister_waits_for_handler(t, cpu, unreg_kprobe, &kp, true);
}

static int krp_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	(void)ri;
	(void)regs;
	bh_run();
	return 0;
}

/*
 * The window that matters for a kretprobe: a return handler that starts
 * after unregister_kprobe()'s grace period (the entry side is gone) and
 * before rethook_free() clears the handler. To open it on demand, a
 * kprobe on rethook_free() lets the hooked call return (on the other
 * CPU) and waits, there, until its handler has started.
 */
static struct {
	volatile int armed, entered, go_return;
} late;

noinline int trcu_returns_late(int x)
{
	u64 limit = clock_ns() + SPIN_LIMIT_NS;

	WRITE_ONCE(late.entered, 1);
	while (!READ_ONCE(late.go_return) && clock_ns() < limit)
		cpu_relax();
	return x + 1;
}

static int late_caller_thread(void *arg)
{
	(void)arg;
	return trcu_returns_late(1) == 2 ? 0 : -EINVAL;
}

static int on_rethook_free(struct kprobe *p, struct pt_regs *regs)
{
	u64 limit;

	(void)p;
	(void)regs;
	if (!xchg(&late.armed, 0))
		return 0;
	limit = clock_ns() + SPIN_LIMIT_NS;
	WRITE_ONCE(late.go_return, 1);
	while (!READ_ONCE(bh.inside) && clock_ns() < limit)
		cpu_relax();
	return 0;
}

static void unreg_kretprobe(void *rp)
{
	unregister_kretprobe(rp);
}

static void unregister_kretprobe_waits_for_a_running_handler(struct selftest *t)
{
	static struct kretprobe rp;
	static struct kprobe gate;
	static struct unreg_job j;
	int cpu = trcu_other_cpu(t);

	if (cpu < 0)
		return;
	rp = (struct kretprobe){ .kp.symbol_name = "trcu_returns_late", .handler = krp_ret };
	gate = (struct kprobe){ .symbol_name = "rethook_free", .pre_handler = on_rethook_free };
	late.entered = late.go_return = 0;
	late.armed = 1;
	bh_reset();
	j = (struct unreg_job){ .unreg = unreg_kretprobe, .probe = &rp };
	init_completion(&j.exited);
	ASSERT_EQ(t, register_kretprobe(&rp), 0);
	if (!EXPECT_EQ(t, register_kprobe(&gate), 0))
		goto out;
	if (!EXPECT_TRUE(t, trcu_run_on(cpu, late_caller_thread, NULL, "tasks-rcu-late") != NULL))
		goto out_gate;
	if (!EXPECT_TRUE(t, trcu_becomes_set(&late.entered, DONE_MS)))
		goto out_gate;
	if (!EXPECT_TRUE(t, kthread_run(unreg_thread, &j, "tasks-rcu-unreg") != NULL))
		goto out_gate;
	EXPECT_TRUE(t, trcu_becomes_set(&bh.inside, DONE_MS));
	msleep(HOLD_MS);
	EXPECT_TRUE(t, !j.done);		/* the return handler still runs */
	WRITE_ONCE(bh.release, 1);
	wait_for_completion(&j.exited);
	EXPECT_EQ(t, j.finished_seen, 1);
	unregister_kprobe(&gate);
	return;
out_gate:
	WRITE_ONCE(late.go_return, 1);
	unregister_kprobe(&gate);
out:
	WRITE_ONCE(bh.release, 1);
	unregister_kretprobe(&rp);
}

static void fp_exit(struct fprobe *fp, unsigned long ip, unsigned long ret_ip,
		    struct pt_regs *regs, void *data)
{
	(void)fp;
	(void)ip;
	(void)ret_ip;
	(void)regs;
	(void)data;
	bh_run();
}

static void unreg_fprobe(void *fp)
{
	unregister_fprobe(fp);
}

static void unregister_fprobe_waits_for_a_running_exit_handler(struct selftest *t)
{
	static struct fprobe fp;
	int cpu = trcu_other_cpu(t);

	if (cpu < 0)
		return;
	fp = (struct fprobe){ .exit_handler = fp_exit };
	bh_reset();
	ASSERT_EQ(t, register_fprobe(&fp, "trcu_probed", NULL), 0);
	unregister_waits_for_handler(t, cpu, unreg_fprobe, &fp, false);
}

static const struct selftest_case probe_lifetime_cases[] = {
	SELFTEST_CASE(rethook_reads_only_current_or_a_held_task),
	SELFTEST_CASE(backtrace_of_a_preempted_task_shows_where_it_stopped),
	SELFTEST_CASE(backtrace_of_a_task_running_elsewhere_is_refused),
	SELFTEST_CASE(backtraces_of_tasks_being_killed_are_safe),
	SELFTEST_CASE(unregister_kprobe_waits_for_a_running_handler),
	SELFTEST_CASE(unregister_kretprobe_waits_for_a_running_handler),
	SELFTEST_CASE(unregister_fprobe_waits_for_a_running_exit_handler),
};
SELFTEST_SUITE("probe_lifetimes", probe_lifetime_cases);
