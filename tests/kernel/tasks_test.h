/* SPDX-License-Identifier: MIT */
/*
 * What the tasks-RCU and probe-lifetime self-tests share
 * (test_tasks_rcu.c defines it, test_probe_lifetimes.c uses it too).
 */
#ifndef TESTS_KERNEL_TASKS_TEST_H
#define TESTS_KERNEL_TASKS_TEST_H

#include <kernel/selftest.h>
#include <kernel/sched.h>
#include <kernel/tasks_rcu.h>
#include <kernel/time.h>
#include <kernel/wait.h>

#define HOLD_MS		60	/* how long a wait must visibly hold */
#define DONE_MS		3000	/* how long it may take to end after */
#define SPIN_LIMIT_NS	(5ULL * NSEC_PER_SEC)	/* no test spins forever */

/* The code of function @fn, from kallsyms. */
bool trcu_func_range(void *fn, struct code_range *r);
/* Poll @flag for up to @ms; true once it is set. */
bool trcu_becomes_set(volatile int *flag, unsigned ms);
/* Start @fn on @cpu (tasks stay on the CPU they are placed on). */
struct task_struct *trcu_run_on(int cpu, int (*fn)(void *), void *arg, const char *name);
/* A CPU running tasks other than ours, or -1 after skipping @t. */
int trcu_other_cpu(struct selftest *t);

/* A thread spinning in trcu_spin_here() until @stop (or SPIN_LIMIT_NS). */
struct spin {
	volatile int stop, spinning;
	u64 released_ns;		/* when a releaser set stop */
	struct completion exited;
};

void trcu_spin_here(struct spin *s);
int trcu_spinner_thread(void *arg);	/* @arg: a struct spin */
int trcu_parked_here(int x);		/* a function no task runs */

#endif
