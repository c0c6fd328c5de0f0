/* SPDX-License-Identifier: MIT */
/*
 * Tasks and the scheduler.
 *
 * Every thread of execution is a struct task_struct with its own guarded
 * kernel stack. The scheduler is preemptive round robin: runnable tasks
 * wait in a per-CPU queue, each runs for a time slice of SCHED_SLICE_TICKS
 * timer ticks, and the timer interrupt preempts it when the slice is used
 * up. When nothing is runnable the CPU runs its idle task, which halts.
 *
 * The task struct carries the state tracing needs: the rethook shadow
 * stack (a lock-free list of pending return hooks), per-context recursion
 * bits, and room for a function-graph return stack.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <lib/types.h>
#include <lib/list.h>
#include <lib/llist.h>
#include <asm/percpu.h>
#include <asm/switch_to.h>
#include <kernel/arch.h>

#define TASK_COMM_LEN		16
#define SCHED_SLICE_TICKS	5	/* 20 ms at HZ=250 */
#define TASK_RET_STACK_DEPTH	64	/* function_graph return stack entries */

enum task_state {
	TASK_RUNNING,		/* running, or runnable in the queue */
	TASK_SLEEPING,		/* waiting for a wake-up or a timeout */
	TASK_DEAD,		/* exited; released after a grace period */
};

struct task_ret_entry {		/* one function_graph frame */
	unsigned long ret;	/* the real return address */
	unsigned long func;
	u64 calltime;
	unsigned long fp;	/* frame pointer at entry, for the unwinder */
};

struct task_struct {
	struct thread_struct thread;	/* arch: saved stack pointer (first!) */
	int pid;
	char comm[TASK_COMM_LEN];
	enum task_state state;
	bool on_rq;			/* in a run queue */
	int cpu;
	void *stack;			/* lowest address of the kernel stack */
	int exit_code;
	u64 cpu_time_ns;		/* time spent running */
	u64 switched_in_ns;		/* when it last got the CPU */
	unsigned slice_left;		/* ticks before preemption */
	u64 wake_at_ns;			/* sleep deadline, 0 if none */
	unsigned long preempt_ip;	/* where the interrupt path preempted it, or 0 */
	unsigned long preempt_sp;	/* its stack pointer there (tasks_rcu) */
	u64 tasks_rcu_gen;		/* last tasks-RCU wait it was seen outside of */
	struct list_head run_node;	/* run queue or sleep list */
	struct list_head tasks_node;	/* all tasks */
	struct list_head dead_node;	/* waiting to be released */

	int (*fn)(void *arg);		/* a kernel thread's body */
	void *arg;
	bool kthread_stop;		/* asked to stop (kill, Ctrl-C) */
	bool killable;			/* `kill` may stop it (demo workloads) */
	bool async_kill;		/* may be stopped anywhere: holds no locks */
	bool exiting;			/* in kthread_exit(): released soon */
	struct completion *exit_done;	/* completed when it exits */
	void *release_data;		/* kfree()d when the task is released */
	struct shell_io *shell_io;	/* a shell command's input and output, or NULL */

	/* tracing state */
	struct llist_head rethooks;		/* rethook shadow stack */
	unsigned long trace_recursion;		/* recursion bits, per context */
	struct task_ret_entry *ret_stack;	/* function_graph frames */
	int curr_ret_depth;
	unsigned int graph_flags;		/* function_graph's filters (trace_graph.h) */
	int graph_func_depth;			/* depth of the set_graph_function call */
	unsigned int graph_overrun;		/* calls not hooked: return stack full */
};

DECLARE_PER_CPU(struct task_struct *, current_task);

static inline struct task_struct *get_current(void)
{
	return this_cpu_read(current_task);
}
#define current	get_current()

/* Start the scheduler: the caller becomes this CPU's idle task. */
void sched_init(void);
/* Make @idle the idle (and current) task of @cpu; its run queue empty. */
void sched_init_cpu(int cpu, struct task_struct *idle);
/* Set up another CPU's idle task, running on @stack (kernel/kthread.c). */
void idle_task_init(struct task_struct *t, int cpu, void *stack);
/* After a switch: drop the run-queue lock the previous task took. */
void sched_unlock_after_switch(void);
/* After a switch, with no lock held: hand a dead @prev to the reaper. */
void finish_task_switch(struct task_struct *prev);
/* The idle loop; never returns. */
__attribute__((noreturn)) void cpu_idle(void);

void schedule(void);
void yield(void);
/* Make a sleeping task runnable. Returns true if it was asleep. */
bool wake_up_process(struct task_struct *t);
/* Sleep @ms milliseconds. Returns 0, or -EINTR if asked to stop. */
int msleep(u64 ms);
/* One timer tick: account, wake sleepers, end the slice. From the IRQ. */
void sched_tick(void);

/**
 * kthread_create - a new kernel thread, not yet running
 * @fn: its body; its return value becomes the exit code
 *
 * Returns the task or NULL. Start it with wake_up_process().
 */
struct task_struct *kthread_create(int (*fn)(void *), void *arg, const char *name);
struct task_struct *kthread_run(int (*fn)(void *), void *arg, const char *name);
/* Before its first wake-up: @t will run on @cpu (an online CPU). */
void kthread_bind(struct task_struct *t, int cpu);
/* The online CPU with the fewest tasks running or runnable (see sched.c). */
int sched_pick_cpu(void);
/* End the calling thread. */
__attribute__((noreturn)) void kthread_exit(int code);
/* Has someone asked the current thread to stop? */
bool kthread_should_stop(void);

/* Find a live task by pid (caller holds tasklist_lock or accepts races). */
struct task_struct *find_task(int pid);
/* Ask a killable task to stop. 0, -ESRCH, or -EPERM (not killable). */
int task_kill(int pid);

/* Everything a dead task leaves behind is released after a grace period;
 * subsystems hook in here (rethook_flush_task ...). */
void task_release_hooks(struct task_struct *t);

/*
 * Is @t on a CPU right now? The answer may be stale by the time it is
 * used: to read a task's stack, hold it (sched_call_held()). Context:
 * any.
 */
bool task_curr(const struct task_struct *t);

/**
 * sched_call_held - call @fn(@t, @arg) with @t held off its CPU
 *
 * Takes @t's run-queue lock, so @t's CPU cannot switch to it, and calls
 * @fn if @t is not running: its stack, saved registers and rethook shadow
 * stack stay still until @fn returns, and sched_task_held(@t) is true
 * meanwhile. Returns @fn's value, or -EBUSY if @t is on a CPU (current
 * included). @fn runs with interrupts off and must not take a run-queue
 * lock (no wake-ups) or sleep. The caller keeps @t alive. Context: any
 * but a run-queue lock held; tasklist_lock may be held.
 */
int sched_call_held(struct task_struct *t, int (*fn)(struct task_struct *t, void *arg),
		      void *arg);

/* Is @t current, or held off its CPU by sched_call_held() on this CPU?
 * Then its stacks can be read. Context: any. */
bool sched_task_held(const struct task_struct *t);

/* Wait until dead tasks are released, freed rethooks have no return hooks
 * left pending, and RCU callbacks have run. May sleep. */
void kernel_quiesce(void);

/* Context switches so far on @cpu: RCU's quiescent-state counter. */
u64 sched_switch_count(int cpu);

void tasklist_lock(unsigned long *flags);
void tasklist_unlock(unsigned long flags);
extern struct list_head task_list;

#endif
