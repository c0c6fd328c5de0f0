// SPDX-License-Identifier: MIT
/*
 * The stack tracer: while it is on, every traced function's entry
 * measures how deep the kernel stack is, and the deepest call chain seen
 * is kept with the stack each frame uses, as Linux's does:
 *
 *	loupe> echo 1 > /proc/sys/kernel/stack_tracer_enabled
 *	loupe> cat stack_max_size
 *	2344
 *	loupe> cat stack_trace
 *	        Depth    Size   Location    (9 entries)
 *	        -----    ----   --------
 *	  0)     2344     208   fib+0x5/0x36
 *	  1)     2136      48   fib+0x1f/0x36
 *	  ...
 *
 * Depth is how far from the top of the task's stack a frame's return
 * address sits, Size the difference to the next frame. stack_trace_filter
 * limits the functions measured (globs, as set_ftrace_filter; empty: all),
 * `echo 0 > stack_max_size` starts the search over. The measure includes
 * the tracer's own frames above the traced function, as Linux's does.
 *
 * The callback runs on every traced call; it does the work only when the
 * depth beats the maximum, under a lock taken with interrupts off (or not
 * at all if another CPU holds it: that CPU is recording a maximum).
 */
#include <trace/trace.h>
#include <trace/ftrace.h>
#include <trace/tracefs.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/nokprobe.h>
#include <kernel/preempt.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>
#include <kernel/stacktrace.h>
#include <asm/irqflags.h>
#include <asm/layout.h>
#include <asm/ftrace.h>
#include <lib/errno.h>
#include <lib/kstrtox.h>
#include <lib/printf.h>
#include <lib/string.h>

#define STACK_TRACE_ENTRIES	64

/* The deepest stack seen, its frames and their depths (stack_lock). */
struct stack_max {
	unsigned long size;
	unsigned nr;
	unsigned long calls[STACK_TRACE_ENTRIES];
	unsigned long depth[STACK_TRACE_ENTRIES];
};

static struct stack_max max_seen;
static DEFINE_SPINLOCK(stack_lock);
static struct ftrace_ops stack_ops;
static bool stack_tracer_on;

/*
 * Find each return address of @calls (@n, innermost first) on the stack
 * between @sp and @top, in order, and keep those found with their depth.
 */
static void place_frames(struct stack_max *m, const unsigned long *calls, unsigned n,
			 const unsigned long *sp, const unsigned long *top)
{
	const unsigned long *p = sp;
	unsigned i;

	m->nr = 0;
	for (i = 0; i < n && m->nr < STACK_TRACE_ENTRIES; i++) {
		const unsigned long *q;

		for (q = p; q < top && *q != calls[i]; q++)
			;
		if (q == top)
			continue;	/* not on this stack (Linux drops it too) */
		m->calls[m->nr] = calls[i];
		m->depth[m->nr++] = (unsigned long)(top - q) * sizeof(*q);
		p = q + 1;
	}
}

/*
 * The traced function @ip was entered with the stack @size bytes deep at
 * @sp: record the chain if no deeper one was seen. Refused to kprobes;
 * the walk it makes is everyone's code (see check-nokprobe's STOPS).
 */
static noinline __kprobes void stack_trace_check(unsigned long ip, const unsigned long *sp,
				 const unsigned long *top, unsigned long size)
{
	unsigned long calls[STACK_TRACE_ENTRIES + 8];
	unsigned long flags;
	unsigned n, first;

	local_irq_save(flags);
	if (!spin_trylock(&stack_lock))
		goto out;
	if (size <= max_seen.size)
		goto unlock;
	n = stack_trace_save(calls, STACK_TRACE_ENTRIES + 8);
	/* Leave out the tracer's own frames: start at the traced function. */
	for (first = 0; first < n && calls[first] != ip + MCOUNT_INSN_SIZE; first++)
		;
	if (first == n)
		first = 0;
	max_seen.size = size;
	place_frames(&max_seen, calls + first, n - first, sp, top);
unlock:
	spin_unlock(&stack_lock);
out:
	local_irq_restore(flags);
}

/*
 * The stack tracer's ftrace callback, on every traced call: measure how
 * much of the task's stack is in use here, and take the slow path only
 * past the deepest seen so far. NMIs and interrupt stacks are left out.
 * Preemption off; no lock on the fast path.
 */
static void stack_trace_call(unsigned long ip, unsigned long parent_ip __always_unused,
			     struct ftrace_ops *op __always_unused,
			     struct pt_regs *regs __always_unused)
{
	struct task_struct *t = current;
	unsigned long here = 0, size;
	const unsigned long *top;

	if (!t || !t->stack || in_nmi())
		return;
	top = (const unsigned long *)((char *)t->stack + KERNEL_STACK_SIZE);
	if ((unsigned long)&here < (unsigned long)t->stack || (const unsigned long *)&here >= top)
		return;			/* on another stack (an IST's) */
	size = (unsigned long)top - (unsigned long)&here;
	if (size > READ_ONCE(max_seen.size))
		stack_trace_check(ip, &here, top, size);
}

static struct ftrace_ops stack_ops = { .func = stack_trace_call, .flags = FTRACE_OPS_FL_RECURSION };

/* ---- /proc/sys/kernel/stack_tracer_enabled ---- */

static int enabled_show(struct seq_out *s, void *data __always_unused)
{
	seq_printf(s, "%d\n", stack_tracer_on);
	return 0;
}

/* /proc/sys/kernel/stack_tracer_enabled: 1 registers the callback, 0
 * removes it; the deepest stack stays until stack_max_size is written. */
static int enabled_write(const char *text, size_t len, bool append __always_unused,
			 void *data __always_unused)
{
	int err = 0;
	bool on;

	if (tracefs_get_switch(text, len, &on))
		return -EINVAL;
	if (on == stack_tracer_on)
		return 0;
	err = on ? register_ftrace_function(&stack_ops) : unregister_ftrace_function(&stack_ops);
	if (!err)
		stack_tracer_on = on;
	return err;
}

/* ---- stack_max_size, stack_trace, stack_trace_filter ---- */

static int max_size_show(struct seq_out *s, void *data __always_unused)
{
	seq_printf(s, "%ld\n", (long)READ_ONCE(max_seen.size));
	return 0;
}

/* stack_max_size: write a number (0 usually) to start measuring again
 * from that depth. */
static int max_size_write(const char *text, size_t len, bool append __always_unused,
			  void *data __always_unused)
{
	unsigned long flags, size;
	char word[24];

	if (tracefs_get_word(text, len, word, sizeof(word)) || kstrtoul(word, 10, &size))
		return -EINVAL;
	spin_lock_irqsave(&stack_lock, flags);
	max_seen.size = size;
	spin_unlock_irqrestore(&stack_lock, flags);
	return 0;
}

/* stack_trace: the deepest call chain seen, each frame with its depth and
 * size, from a copy taken under the lock; Linux's hint when it is off. */
static int stack_trace_show(struct seq_out *s, void *data __always_unused)
{
	struct stack_max *m = kmalloc(sizeof(*m));
	unsigned long flags, size;
	unsigned i;

	if (!m)
		return -ENOMEM;
	spin_lock_irqsave(&stack_lock, flags);
	*m = max_seen;
	spin_unlock_irqrestore(&stack_lock, flags);
	seq_printf(s, "        Depth    Size   Location    (%u entries)\n"
		      "        -----    ----   --------\n", m->nr);
	if (!stack_tracer_on && !m->size)
		seq_puts(s, "#\n#  Stack tracer disabled\n#\n"
			    "# To enable the stack tracer, either add 'stacktrace' to the\n"
			    "# kernel command line\n"
			    "# or 'echo 1 > /proc/sys/kernel/stack_tracer_enabled'\n#\n");
	for (i = 0; i < m->nr; i++) {
		size = i + 1 < m->nr ? m->depth[i] - m->depth[i + 1] : m->depth[i];
		seq_printf(s, "%3u) %8lu   %5lu   %pS\n", i, m->depth[i], size, (void *)m->calls[i]);
	}
	kfree(m);
	return 0;
}

/* stack_trace_filter: the functions watched, or Linux's "all" line.
 * Tree lock held, which every writer of the set holds too. */
static int filter_show(struct seq_out *s, void *data __always_unused)
{
	const struct ftrace_hash *h = stack_ops.filter_hash;
	unsigned i;

	if (!h)
		seq_puts(s, "#### all functions enabled ####\n");
	for (i = 0; h && i < h->count && !seq_interrupted(s); i++)
		seq_printf(s, "%ps\n", (void *)h->ips[i]);
	return 0;
}

/* Globs, as set_ftrace_filter takes them: one change, or none. */
static int filter_write(const char *text, size_t len, bool append, void *data __always_unused)
{
	char *list = kmemdup_nul(text, len);
	int err;

	if (!list)
		return -ENOMEM;
	err = ftrace_set_filter_list(&stack_ops, list, !append);
	kfree(list);
	return err;
}

static const struct pfs_file_ops enabled_ops = { .show = enabled_show, .write = enabled_write };
static const struct pfs_file_ops max_size_ops = { .show = max_size_show, .write = max_size_write };
static const struct pfs_file_ops stack_trace_ops = { .show = stack_trace_show };
static const struct pfs_file_ops filter_ops = { .show = filter_show, .write = filter_write };

void trace_stack_init(struct pfs_node *tracefs)
{
	struct pfs_node *sysctl = pfs_mkdir_p("/proc/sys/kernel");

	pfs_create_file(tracefs, "stack_max_size", true, &max_size_ops, NULL);
	pfs_create_file(tracefs, "stack_trace", false, &stack_trace_ops, NULL);
	pfs_create_file(tracefs, "stack_trace_filter", true, &filter_ops, NULL);
	if (sysctl)
		pfs_create_file(sysctl, "stack_tracer_enabled", true, &enabled_ops, NULL);
}
