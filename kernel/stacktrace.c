// SPDX-License-Identifier: MIT
/*
 * Saving and printing call chains. The arch walks the frames
 * (arch_stack_walk); this file collects and prints them with symbols.
 */
#include <kernel/stacktrace.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <asm/cpu.h>
#include <lib/errno.h>

struct trace_store {
	unsigned long *entries;
	unsigned max, n;
	u8 *hooks;		/* each entry's enum stack_hook, or NULL */
};

/*
 * The walkers' callbacks: keep one return address (and, for `bt`,
 * whether the stack held rethook's or function_graph's return trampoline
 * there: enum stack_hook). Returning false stops the walk: it is full.
 */
static bool store_entry(void *arg, unsigned long addr)
{
	struct trace_store *s = arg;

	if (s->n >= s->max)
		return false;
	s->entries[s->n++] = addr;
	return true;
}

static bool store_hooked(void *arg, unsigned long addr, enum stack_hook hook)
{
	struct trace_store *s = arg;

	if (s->n >= s->max)
		return false;
	s->hooks[s->n] = (u8)hook;
	s->entries[s->n++] = addr;
	return true;
}

/* Walk @task's stack from frame @bp. The caller makes sure the stack
 * cannot move: @task is current or held by sched_call_held(). */
unsigned stack_trace_save_task_bp(struct task_struct *task, unsigned long *store,
				  unsigned max, unsigned long bp)
{
	struct trace_store s = { store, max, 0, NULL };

	arch_stack_walk_task(store_entry, &s, task, bp);
	return s.n;
}

/* sched_call_held() callback: walk the held task from its saved frame. */
static int save_held(struct task_struct *task, void *arg)
{
	struct trace_store *s = arg;

	if (s->hooks)
		arch_stack_walk_task_hooks(store_hooked, s, task, arch_task_frame_pointer(task));
	else
		arch_stack_walk_task(store_entry, s, task, arch_task_frame_pointer(task));
	return 0;
}

/*
 * The current task walks its own stack from here; any other is walked
 * only while sched_call_held() keeps it off every CPU. Returns the
 * number of entries or -EBUSY (it was running). May spin on the task's
 * run-queue lock; the caller keeps @task alive.
 */
int stack_trace_save_tsk_hooks(struct task_struct *task, unsigned long *store, u8 *hooks,
			       unsigned max)
{
	struct trace_store s = { store, max, 0, hooks };
	int err;

	if (task == current) {
		arch_stack_walk_task_hooks(store_hooked, &s, task, read_rbp());
		return (int)s.n;
	}
	err = sched_call_held(task, save_held, &s);
	return err < 0 ? err : (int)s.n;
}

/* As above, without the hooks: the entries alone. */
int stack_trace_save_tsk(struct task_struct *task, unsigned long *store, unsigned max)
{
	struct trace_store s = { store, max, 0, NULL };
	int err;

	if (task == current)
		return stack_trace_save_bp(store, max, read_rbp());
	err = sched_call_held(task, save_held, &s);
	return err < 0 ? err : (int)s.n;
}

/* Walk the current stack from frame @bp (a trap's saved rbp, say). Any
 * context; returns how many entries were stored. */
unsigned stack_trace_save_bp(unsigned long *store, unsigned max, unsigned long bp)
{
	struct trace_store s = { store, max, 0, NULL };

	arch_stack_walk(store_entry, &s, bp);
	return s.n;
}

noinline unsigned stack_trace_save(unsigned long *store, unsigned max)
{
	/* Start from our caller's frame: this function is not part of the trace. */
	return stack_trace_save_bp(store, max, read_rbp());
}

/* One symbolised line per entry (%pB), at KERN_EMERG so that it shows
 * whatever the console level (a crash report needs it). */
void stack_trace_print(const unsigned long *entries, unsigned n, const char *prefix)
{
	unsigned i;

	for (i = 0; i < n; i++)
		printk(KERN_EMERG "%s%pB\n", prefix, (void *)entries[i]);
}

/* Print the caller's call chain. noinline, and it starts at its own
 * frame pointer: the first line is the function that called dump_stack.
 * Any context. */
noinline void dump_stack(void)
{
	unsigned long entries[STACKTRACE_MAX];
	unsigned n = stack_trace_save_bp(entries, STACKTRACE_MAX, read_rbp());

	printk(KERN_EMERG "Call Trace:\n");
	stack_trace_print(entries, n, " ");
}
