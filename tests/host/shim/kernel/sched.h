/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for kernel/sched.h: the part of struct task_struct that
 * rethook uses, and `current` as a per-thread pointer the test sets.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>
#include <lib/llist.h>

struct task_struct {
	const char *comm;
	struct llist_head rethooks;	/* rethook shadow stack */
	bool on_cpu;			/* what task_curr() answers */
	bool held;			/* held off its CPU (sched_call_held) */
};

extern __thread struct task_struct *host_current;
#define current	host_current

static inline bool task_curr(const struct task_struct *t)
{
	return t->on_cpu;
}

/* Current, or held off its CPU by sched_call_held(): readable. */
static inline bool sched_task_held(const struct task_struct *t)
{
	return t == current || t->held;
}

#endif
