// SPDX-License-Identifier: MIT
/* Console commands about tasks: ps, kill, bt. */
#include <kernel/sched.h>
#include <kernel/shell.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/rcu.h>
#include <kernel/stacktrace.h>
#include <kernel/time.h>
#include <asm/cpu.h>
#include <lib/errno.h>
#include <lib/kstrtox.h>
#include <lib/string.h>

/* ps's one-letter state, as Linux's ps prints it (Z: dead, not yet
 * freed). */
static char state_letter(const struct task_struct *t)
{
	switch (t->state) {
	case TASK_RUNNING:	return 'R';
	case TASK_SLEEPING:	return 'S';
	case TASK_DEAD:		return 'Z';
	}
	return '?';
}

/* ps: every task with its CPU time, walked under the task-list lock
 * (interrupts off), so no task comes or goes while it prints. */
static int cmd_ps(int argc, char **argv __always_unused)
{
	struct task_struct *t;
	unsigned long flags;

	if (argc != 1)
		return -EINVAL;
	console_printf("  PID S CPU        TIME NAME\n");
	tasklist_lock(&flags);
	list_for_each_entry(t, &task_list, tasks_node) {
		u64 ns = t->cpu_time_ns;

		/* A task on a CPU now (the shell here, idle/N on an idle CPU)
		 * has run since it was switched in, too. */
		if (task_curr(t))
			ns += clock_ns() - t->switched_in_ns;
		console_printf("%5d %c %3d %7llu.%03llu %s%s\n", t->pid, state_letter(t), t->cpu,
			       (unsigned long long)(ns / NSEC_PER_SEC),
			       (unsigned long long)(ns % NSEC_PER_SEC / NSEC_PER_MSEC),
			       t->comm, t == current ? " (this shell)" : "");
	}
	tasklist_unlock(flags);
	return 0;
}
SHELL_COMMAND(SHELL_TASKS, "ps", "", "list tasks: pid, state, cpu, cpu time (s), name", cmd_ps);

/* A non-negative decimal pid, or -EINVAL after a message. */
static int parse_pid(const char *cmd, const char *s, int *pid)
{
	if (kstrtoint(s, 10, pid) || *pid < 0) {
		console_printf("%s: '%s' is not a pid\n", cmd, s);
		return -EINVAL;
	}
	return 0;
}

/*
 * kill PID|%N: ask a workload thread or a job to stop (it stops at its
 * next check of kthread_should_stop()). Returns 0, or 1 after printing
 * why not: no such task, or a system task, which cannot be killed.
 */
static int cmd_kill(int argc, char **argv)
{
	int pid, err;

	if (argc != 2)
		return -EINVAL;
	if (argv[1][0] == '%')
		return shell_job_kill(argv[1]);
	if (parse_pid("kill", argv[1], &pid))
		return -EINVAL;
	err = task_kill(pid);
	if (!err)
		shell_job_note_kill(pid);	/* a job's thread: "Terminated" */
	if (err == -ESRCH)
		console_printf("kill: no task with pid %d\n", pid);
	else if (err == -EPERM)
		console_printf("kill: pid %d is a system task; only workloads can be killed\n", pid);
	return err ? 1 : 0;	/* message printed */
}
SHELL_COMMAND(SHELL_TASKS, "kill", "PID|%N", "stop a workload thread (see run, ps) or background job N (see jobs)",
	      cmd_kill);

/*
 * Save @pid's backtrace (the shell's if @pid < 0) with its name and CPU.
 * The task is looked up and walked inside one RCU read-side section: a
 * task killed meanwhile on another CPU is released (its stack and
 * shadow-stack nodes freed) only after a grace period, so not under us.
 * Returns the number of entries, -ESRCH, or -EBUSY (running elsewhere).
 */
static int bt_save(int pid, unsigned long *entries, u8 *hooks, char *comm, int *cpu)
{
	struct task_struct *t;
	int n;

	rcu_read_lock();
	t = pid < 0 ? current : find_task(pid);
	if (!t) {
		rcu_read_unlock();
		return -ESRCH;
	}
	memcpy(comm, t->comm, TASK_COMM_LEN);
	*cpu = t->cpu;
	n = stack_trace_save_tsk_hooks(t, entries, hooks, STACKTRACE_MAX);
	rcu_read_unlock();
	return n;
}

/*
 * A frame whose return address a trampoline took (a kretprobe's or an
 * fprobe's rethook, or function_graph) shows the real caller, from the
 * task's shadow stack, marked with whose trampoline sits on the stack.
 */
static const char *const hook_marks[] = {
	[STACK_HOOK_NONE] = "", [STACK_HOOK_RETHOOK] = " [rethook]", [STACK_HOOK_GRAPH] = " [graph]",
};

/* bt [PID]: print a task's call chain; returns 1 (after a message) when
 * there is no such task or it runs on another CPU. */
static int cmd_bt(int argc, char **argv)
{
	unsigned long entries[STACKTRACE_MAX];
	u8 hooks[STACKTRACE_MAX];
	char comm[TASK_COMM_LEN];
	int pid = -1, n, i, cpu;

	if (argc > 2)
		return -EINVAL;
	if (argc == 2 && parse_pid("bt", argv[1], &pid))
		return -EINVAL;
	n = bt_save(pid, entries, hooks, comm, &cpu);
	if (n == -ESRCH) {
		console_printf("bt: no task with pid %d\n", pid);
		return 1;
	}
	if (pid < 0)
		pid = current->pid;
	if (n == -EBUSY) {
		/* Its stack changes under any reader while it runs. */
		console_printf("bt: pid %d (%s) is running on CPU %d; try again\n", pid, comm, cpu);
		return 1;
	}
	console_printf("pid %d (%s):\n", pid, comm);
	for (i = 0; i < n; i++)
		console_printf("  %pB%s\n", (void *)entries[i],
			       hooks[i] < ARRAY_SIZE(hook_marks) ? hook_marks[hooks[i]] : "");
	return 0;
}
static const char bt_more[] =
"A frame marked [rethook] or [graph] had its return address taken by a\n"
"trampoline (a kretprobe's or an fprobe's rethook, or function_graph): the\n"
"caller shown is the real one, read from the task's shadow stack, which\n"
"/proc/PID/rethook and /proc/PID/graph_stack list. A task running on another\n"
"CPU cannot be walked (its stack moves): try again while it waits.\n";
SHELL_COMMAND_MORE(SHELL_INSPECTION, "bt", "[PID]", "backtrace of a task (default: the shell)",
		   bt_more, cmd_bt);
