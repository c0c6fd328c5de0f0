/* SPDX-License-Identifier: MIT */
/*
 * Tracing only some tasks (trace/trace_pid.c): the pid lists that
 * set_ftrace_pid, set_ftrace_notrace_pid, set_event_pid and
 * set_event_notrace_pid hold, and the test the recording paths make.
 *
 * A list is a sorted array of pids, published with rcu_assign_pointer()
 * and never changed afterwards (a write builds a new one); NULL is the
 * empty list. The tests run in tracer callbacks and probe handlers, with
 * preemption off, which is their RCU read-side section.
 */
#ifndef TRACE_TRACE_PID_H
#define TRACE_TRACE_PID_H

#include <kernel/rcu.h>
#include <lib/compiler.h>
#include <lib/types.h>

struct task_struct;

struct trace_pid_list {
	struct rcu_head rcu;		/* freed after a grace period */
	unsigned count;
	unsigned long pids[];		/* sorted, no duplicates */
};

enum trace_pid_set {
	TRACE_PID_FTRACE,		/* set_ftrace_pid: only these */
	TRACE_PID_FTRACE_NOTRACE,	/* set_ftrace_notrace_pid: never these */
	TRACE_PID_EVENT,		/* set_event_pid */
	TRACE_PID_EVENT_NOTRACE,	/* set_event_notrace_pid */
	TRACE_PID_SETS
};

extern struct trace_pid_list *trace_pid_lists[TRACE_PID_SETS];

/* Does the current task fall outside @only, or inside @never? */
bool trace_pid_ignore_current(enum trace_pid_set only, enum trace_pid_set never);

/*
 * Should the function tracers (function, function_graph) pass over the
 * current task? Two loads when no pid is set. Any context.
 */
static __always_inline bool trace_pid_ftrace_ignored(void)
{
	if (likely(!READ_ONCE(trace_pid_lists[TRACE_PID_FTRACE]) &&
		   !READ_ONCE(trace_pid_lists[TRACE_PID_FTRACE_NOTRACE])))
		return false;
	return trace_pid_ignore_current(TRACE_PID_FTRACE, TRACE_PID_FTRACE_NOTRACE);
}

/* ... and the probe events, by set_event_pid and set_event_notrace_pid. */
static __always_inline bool trace_pid_event_ignored(void)
{
	if (likely(!READ_ONCE(trace_pid_lists[TRACE_PID_EVENT]) &&
		   !READ_ONCE(trace_pid_lists[TRACE_PID_EVENT_NOTRACE])))
		return false;
	return trace_pid_ignore_current(TRACE_PID_EVENT, TRACE_PID_EVENT_NOTRACE);
}

/*
 * Tasks come and go (kernel/kthread.c): with function-fork / event-fork
 * on, a child of a listed task joins its lists, and an exiting listed
 * task leaves them. Process context; may sleep.
 */
void trace_pid_task_fork(const struct task_struct *parent, const struct task_struct *child);
void trace_pid_task_exit(const struct task_struct *t);

#endif
