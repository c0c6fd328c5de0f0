// SPDX-License-Identifier: MIT
/*
 * Kernel threads: creation, exit, and release.
 *
 * A thread's body runs in kthread_entry() and its return value becomes
 * its exit code. An exited task cannot free its own stack (it is running
 * on it), so the switch away from it hands it to the reaper thread, which
 * waits a grace period (so nothing still looking at the task under RCU or
 * with preemption off can be surprised), lets tracing clean up what the
 * task left (pending return hooks), and frees it.
 */
#include <kernel/sched.h>
#include <kernel/main.h>
#include <kernel/wait.h>
#include <kernel/rcu.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/mm/vmap.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <trace/ftrace.h>
#include <trace/rethook.h>
#include <trace/trace_pid.h>
#include <asm/irqflags.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/string.h>
#include <lib/printf.h>

LIST_HEAD(task_list);
static DEFINE_SPINLOCK(task_list_lock);
static int next_pid = 1;

static LIST_HEAD(dead_tasks);
static DEFINE_SPINLOCK(dead_lock);
static DECLARE_WAIT_QUEUE_HEAD(reaper_wq);

/* The lock over task_list. It turns interrupts off: hold it briefly and
 * never sleep under it. */
void tasklist_lock(unsigned long *flags)
{
	spin_lock_irqsave(&task_list_lock, *flags);
}

void tasklist_unlock(unsigned long flags)
{
	spin_unlock_irqrestore(&task_list_lock, flags);
}

/* Name @t and list it; an idle task gets pid 0, as every idle task in Linux. */
static void task_init_common(struct task_struct *t, const char *name, bool idle)
{
	unsigned long flags;

	strscpy(t->comm, name, TASK_COMM_LEN);
	t->state = TASK_SLEEPING;	/* until woken for the first time */
	INIT_LIST_HEAD(&t->run_node);
	INIT_LIST_HEAD(&t->dead_node);
	t->rethooks.first = NULL;
	tasklist_lock(&flags);
	t->pid = idle ? 0 : next_pid++;
	list_add_tail(&t->tasks_node, &task_list);
	tasklist_unlock(flags);
}

/*
 * A new thread that will run @fn(@arg), not yet woken, placed on the
 * creating task's CPU (kthread_bind() can move it before it is woken):
 * stack, arch frame, graph return stack, pid. NULL without memory.
 */
struct task_struct *kthread_create(int (*fn)(void *), void *arg, const char *name)
{
	struct task_struct *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->stack = stack_alloc();
	if (!t->stack) {
		kfree(t);
		return NULL;
	}
	t->fn = fn;
	t->arg = arg;
	t->cpu = current ? current->cpu : 0;
	arch_prepare_kthread(t);
	ftrace_graph_init_task(t);
	task_init_common(t, name, false);
	trace_pid_task_fork(current, t);	/* function-fork, event-fork */
	return t;
}

/* kthread_create() and wake it: it may run before this returns. */
struct task_struct *kthread_run(int (*fn)(void *), void *arg, const char *name)
{
	struct task_struct *t = kthread_create(fn, arg, name);

	if (t)
		wake_up_process(t);
	return t;
}

/*
 * Called on the new task's stack right after every switch, with @prev
 * the task switched away from. A dead @prev goes to the reaper only now,
 * since until the switch its own stack was in use. Interrupts off.
 */
void finish_task_switch(struct task_struct *prev)
{
	unsigned long flags;

	if (prev->state != TASK_DEAD)
		return;
	/* We are off its stack now: the reaper may have it. */
	spin_lock_irqsave(&dead_lock, flags);
	list_add_tail(&prev->dead_node, &dead_tasks);
	spin_unlock_irqrestore(&dead_lock, flags);
	wake_up(&reaper_wq);
}

/* Where a new thread starts (ret_from_kthread), holding the run-queue lock
 * taken by the task that switched to it. */
void kthread_entry(struct task_struct *prev)
{
	struct task_struct *me = current;

	sched_unlock_after_switch();
	finish_task_switch(prev);
	kthread_exit(me->fn(me->arg));
}

/* End the current thread with @code: complete its exit_done, then die
 * in schedule(). Never returns. */
void kthread_exit(int code)
{
	struct task_struct *me = current;
	struct completion *done = me->exit_done;

	/*
	 * A tick from here on must not send us to the exit again (a kill
	 * that races with the body's return), and the waiter may free @done
	 * as soon as it is completed: it is completed once.
	 */
	WRITE_ONCE(me->async_kill, false);
	/* Before the waiter wakes: kernel_quiesce() counts us as dead from
	 * here, though we have a few instructions left to run. */
	WRITE_ONCE(me->exiting, true);
	me->exit_done = NULL;
	barrier();
	me->exit_code = code;
	if (done)
		complete(done);
	local_irq_disable();
	me->state = TASK_DEAD;
	schedule();
	panic("kthread_exit: dead task %d ran again", me->pid);
}

bool kthread_should_stop(void)
{
	return current->kthread_stop;
}

/* What tracing keeps per task, let go when the task is released (the
 * reaper, a grace period after the task died): rethook recycles the
 * return hooks the task left pending (trace/rethook.h). May sleep. */
void task_release_hooks(struct task_struct *t)
{
	rethook_flush_task(t);
	trace_pid_task_exit(t);
}

/* Free a dead task, a grace period after it died (reaper only). */
static void task_release(struct task_struct *t)
{
	unsigned long flags;

	task_release_hooks(t);
	tasklist_lock(&flags);
	list_del_init(&t->tasks_node);
	tasklist_unlock(flags);
	stack_free(t->stack);
	kfree(t->ret_stack);
	kfree(t->release_data);
	kfree(t);
}

/* Move every task queued for the reaper to @out; true if any. */
static bool take_dead(struct list_head *out)
{
	unsigned long flags;
	bool any;

	spin_lock_irqsave(&dead_lock, flags);
	any = !list_empty(&dead_tasks);
	list_splice_tail_init(&dead_tasks, out);
	spin_unlock_irqrestore(&dead_lock, flags);
	return any;
}

/*
 * The reaper thread: wait for dead tasks, then one grace period for the
 * whole batch, so that code still holding a pointer to one under RCU or
 * with preemption off (ps, bt, a tracer) finishes first; then free them.
 */
static int reaper(void *unused __always_unused)
{
	for (;;) {
		struct list_head batch;
		struct task_struct *t, *tmp;

		INIT_LIST_HEAD(&batch);
		wait_event(reaper_wq, take_dead(&batch));
		synchronize_rcu();
		list_for_each_entry_safe(t, tmp, &batch, dead_node)
			task_release(t);
	}
	return 0;
}

/* The live task with @pid, or NULL. The pointer stays valid only inside
 * an RCU read-side section (or preemption off): see reaper(). */
struct task_struct *find_task(int pid)
{
	struct task_struct *t, *found = NULL;
	unsigned long flags;

	tasklist_lock(&flags);
	list_for_each_entry(t, &task_list, tasks_node)
		if (t->pid == pid && t->state != TASK_DEAD)
			found = t;
	tasklist_unlock(flags);
	return found;
}

/*
 * Ask the task @pid to stop: it sees kthread_should_stop() at its next
 * check. Returns 0, -ESRCH (no such live task) or -EPERM (a system task,
 * not marked killable). Any context but under the task-list lock.
 */
int task_kill(int pid)
{
	struct task_struct *t;
	unsigned long flags;
	int err = -ESRCH;

	tasklist_lock(&flags);
	list_for_each_entry(t, &task_list, tasks_node) {
		if (t->pid != pid || t->state == TASK_DEAD)
			continue;
		err = -EPERM;
		if (t->killable) {
			t->kthread_stop = true;
			/* Under the lock: once we let go, @t may exit and be
			 * released (on its own CPU, or preempting us). */
			wake_up_process(t);
			err = 0;
		}
	}
	tasklist_unlock(flags);
	return err;
}

/* The boot context as task 0 (idle), then the reaper. */
static struct task_struct idle_task;

/* Boot, CPU 0: the boot context becomes the idle task, then the reaper
 * starts (first thread of all). */
void sched_init(void)
{
	extern char boot_stack[];

	idle_task.stack = boot_stack;
	task_init_common(&idle_task, "idle", true);
	idle_task.state = TASK_RUNNING;
	sched_init_cpu(0, &idle_task);
	if (!kthread_run(reaper, NULL, "reaper"))
		panic("sched_init: cannot start the reaper");
}

/* Another CPU's idle task, on the stack that CPU started on (kernel/smp.c).
 * Named idle/N; it is never queued: it runs when nothing else does. */
void idle_task_init(struct task_struct *t, int cpu, void *stack)
{
	char name[TASK_COMM_LEN];

	snprintf(name, sizeof(name), "idle/%d", cpu);
	t->stack = stack;
	t->cpu = cpu;
	task_init_common(t, name, true);
	t->state = TASK_RUNNING;
}

/* Wait until the reaper has released every exited task, and every task
 * in kthread_exit(): one that has just woken whoever waits for its end
 * still has its struct and stack, and soon will not. */
static void wait_dead_released(void)
{
	for (;;) {
		struct task_struct *t;
		unsigned long flags;
		bool dead = false;

		tasklist_lock(&flags);
		list_for_each_entry(t, &task_list, tasks_node)
			dead |= t->state == TASK_DEAD || READ_ONCE(t->exiting);
		tasklist_unlock(flags);
		if (!dead)
			break;
		msleep(5);
	}
}

/*
 * Wake every sleeping task that holds a return hook of a freed rethook.
 * Every sleep in this kernel rechecks its condition in a loop
 * (wait_event(), msleep()), so the wake-up costs the task one pass of
 * that loop; and the return from schedule() to the loop - or from
 * whatever hooked function it slept in, once that is done - runs the
 * hook, which hands the node to call_rcu() for freeing.
 */
static int holds_freed(struct task_struct *t, void *unused __always_unused)
{
	return rethook_task_holds_freed(t);
}

/* The wake-up described above, for every sleeping task that holds one;
 * a running task will return through its hooks by itself. */
static void wake_rethook_holders(void)
{
	struct task_struct *t;
	unsigned long flags;

	tasklist_lock(&flags);
	list_for_each_entry(t, &task_list, tasks_node)	/* read held, woken after */
		if (t->state == TASK_SLEEPING && sched_call_held(t, holds_freed, NULL) > 0)
			wake_up_process(t);
	tasklist_unlock(flags);
}

/*
 * Wait until nothing freed "later" is still pending: exited tasks released
 * by the reaper, freed rethooks whose return hooks were still pending on
 * sleeping tasks (a thread that slept in schedule() while every function
 * was hooked keeps its hooks until it is woken, which for the reaper can
 * be a whole test later), and RCU callbacks run. Tests call it before
 * they take a kmalloc baseline and before they compare with it, so that
 * earlier work does not free memory inside the window and this test's
 * work does not free it outside.
 */
void kernel_quiesce(void)
{
	wait_dead_released();
	while (!rethook_all_freed()) {
		wake_rethook_holders();
		/* A barrier after the woken tasks queued their frees, those
		 * frees have run; a task that queued after our barrier's
		 * callback is waited for on the next pass. */
		rcu_barrier();
	}
	rcu_barrier();
}
