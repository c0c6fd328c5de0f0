/* SPDX-License-Identifier: MIT */
/*
 * Tasks RCU: wait until no task is inside some code (kernel/tasks_rcu.c).
 *
 * Freeing or rewriting run-time code - a kprobe's instruction slot, an
 * optimized probe's detour, an ftrace trampoline - is safe only once no
 * task can still execute it. Taking away the jump into the code stops new
 * tasks from entering; this waits for the ones already in:
 *
 *  - a task preempted inside it resumes there (slots and detours are
 *    preemptible code, so a task may sit in one for a whole time slice,
 *    or, on a busy CPU, much longer);
 *  - a task running on another CPU may be inside it right now, even in
 *    code that is never preempted (a trampoline before it counts
 *    preemption off): only that CPU can tell where it is.
 *
 * A plain RCU grace period covers neither: a preempted task has switched
 * out, and the timer tick counts a quiescent state whenever the preempt
 * count is zero, as it is in a slot or in a trampoline's first
 * instructions. Linux's answer is synchronize_rcu_tasks(); this is ours,
 * with a range form that waits only for the tasks that matter.
 */
#ifndef KERNEL_TASKS_RCU_H
#define KERNEL_TASKS_RCU_H

#include <lib/types.h>

struct pt_regs;

/* [start, end): a piece of code. */
struct code_range {
	unsigned long start, end;
};

/**
 * synchronize_rcu_tasks_ranges - wait until no task is inside @r[0..@n)
 *
 * Returns once no task, on any CPU, is running or preempted with its
 * instruction pointer, or a return address on its stack, inside one of
 * the ranges. Call it after the last way into the ranges is gone (the
 * jump patched out, or the decision that sends CPUs there published):
 * it waits for the tasks inside, not for new ones to stop coming.
 *
 * A task off its CPU is checked where it stopped (the address it was
 * preempted at, the words a frame walk may miss there, and its frames);
 * a task on another CPU is checked by that CPU's timer tick, or once it
 * is switched out. Context: task, preemptible; sleeps (polls every
 * millisecond while a task is inside). One wait runs at a time.
 */
void synchronize_rcu_tasks_ranges(const struct code_range *r, unsigned n);

/* The same for the one range [@start, @end). */
void synchronize_rcu_tasks_range(unsigned long start, unsigned long end);

/**
 * synchronize_rcu_tasks - wait until every task has left the run-time
 * code it was in (any page of the executable area: slots, detours,
 * trampolines). Context: as above.
 */
void synchronize_rcu_tasks(void);

/**
 * tasks_rcu_find_held - which of @r[0..@n) have a task parked inside?
 * @busy: @n flags, set for each range some task is inside, cleared for
 *        the others
 *
 * Like synchronize_rcu_tasks_ranges(), but a task found switched out
 * inside a range is reported instead of waited for; only tasks running
 * on other CPUs are waited for (briefly: until they are seen). For
 * garbage collectors that reclaim what is free and leave the rest for
 * later. Returns how many ranges are busy. Context: as above.
 */
unsigned tasks_rcu_find_held(const struct code_range *r, unsigned n, bool *busy);

/* From the timer tick on each CPU (kernel/time.c), inside irq_enter():
 * if a wait is on, check where the interrupted task is. */
void tasks_rcu_tick(struct pt_regs *regs);

/*
 * A growable list of ranges, for callers that collect them (the kprobe
 * optimizer). code_ranges_add() returns 0 or -ENOMEM; code_ranges_free()
 * releases the array.
 */
struct code_ranges {
	struct code_range *r;
	unsigned n, cap;
};

int code_ranges_add(struct code_ranges *c, unsigned long start, unsigned long end);
void code_ranges_free(struct code_ranges *c);

#endif /* KERNEL_TASKS_RCU_H */
