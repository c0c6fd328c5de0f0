/* SPDX-License-Identifier: MIT */
/*
 * Backtraces. The arch code walks frame pointers; this header is what the
 * rest of the kernel calls. Every address is printed as sym+off/size.
 */
#ifndef KERNEL_STACKTRACE_H
#define KERNEL_STACKTRACE_H

#include <lib/types.h>

struct pt_regs;
struct task_struct;

#define STACKTRACE_MAX	64

/* Called for each return address; return false to stop the walk. */
typedef bool (*stack_walk_fn)(void *arg, unsigned long addr);

/*
 * Walk the frames of @task starting at frame pointer @bp (arch code).
 * @task is current or a task that is not running; its pending rethook
 * returns turn trampoline addresses back into the real callers.
 */
void arch_stack_walk_task(stack_walk_fn fn, void *arg, struct task_struct *task,
			  unsigned long bp);

/* Where a return address the walk reports came from (`bt` marks them). */
enum stack_hook {
	STACK_HOOK_NONE,	/* the stack, as it is */
	STACK_HOOK_RETHOOK,	/* the stack holds rethook's trampoline: the real
				 * caller comes from the task's rethook nodes */
	STACK_HOOK_GRAPH,	/* ... function_graph's return_to_handler: from
				 * the task's return stack */
};
typedef bool (*stack_walk_hook_fn)(void *arg, unsigned long addr, enum stack_hook hook);
/* arch_stack_walk_task(), also saying where each address came from. */
void arch_stack_walk_task_hooks(stack_walk_hook_fn fn, void *arg, struct task_struct *task,
				unsigned long bp);
/* ... of the current task. */
void arch_stack_walk(stack_walk_fn fn, void *arg, unsigned long bp);
/*
 * ... of the current task, within its own kernel stack, without the
 * fault-safe reads (which a kprobe may sit on): for ftrace callbacks.
 */
void arch_stack_walk_current(stack_walk_fn fn, void *arg, unsigned long bp);

/*
 * The words at @sp of code interrupted before its frame record was built
 * or after it was taken down - on a function's first instruction, or
 * just after its push of the frame pointer - where its return address
 * is, out of reach of a frame walk. Fills @out with up to
 * STACK_LEAF_WORDS words that could be read (arch code); returns how
 * many. Some are not return addresses: use them only to rule code out.
 */
#define STACK_LEAF_WORDS	2
unsigned arch_stack_leaf_words(unsigned long sp, unsigned long *out);

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
/* Print @regs and the call chain of the interrupted code. */
void show_regs(struct pt_regs *regs, unsigned long vector);

#endif
