/* SPDX-License-Identifier: MIT */
/*
 * Backtraces. The arch code walks frame pointers; this header is what the
 * rest of the kernel calls. Every address is printed as sym+off/size.
 */
#ifndef KERNEL_STACKTRACE_H
#define KERNEL_STACKTRACE_H

#include <kernel/arch.h>
#include <lib/types.h>

struct pt_regs;
struct task_struct;

#define STACKTRACE_MAX	64

/* The walks themselves (arch_stack_walk_task() ...), the types of their
 * callbacks and show_regs() are the arch's: kernel/arch.h. */

/*
 * A backtrace of @task into @store (up to @max): of the caller if @task
 * is current, else of @task held off its CPU while the walk runs.
 * Returns the number of entries, or -EBUSY if @task is running on
 * another CPU (its stack moves under any reader). The caller keeps
 * @task alive (rcu_read_lock() around find_task() and this, say).
 */
int stack_trace_save_tsk(struct task_struct *task, unsigned long *store, unsigned max);
/* The same, with each entry's enum stack_hook in @hooks[] (for `bt`). */
int stack_trace_save_tsk_hooks(struct task_struct *task, unsigned long *store, u8 *hooks,
			       unsigned max);

/* Fill @store with up to @max return addresses from frame @bp. */
unsigned stack_trace_save_bp(unsigned long *store, unsigned max, unsigned long bp);
/* The same for @task's stack: current, or held off its CPU by
 * sched_call_held() (see stack_trace_save_tsk()). */
unsigned stack_trace_save_task_bp(struct task_struct *task, unsigned long *store,
				  unsigned max, unsigned long bp);
/* ... from the caller of this function. */
unsigned stack_trace_save(unsigned long *store, unsigned max);

void stack_trace_print(const unsigned long *entries, unsigned n, const char *prefix);

/* Print the current call chain (printk, KERN_EMERG). */
void dump_stack(void);

#endif
