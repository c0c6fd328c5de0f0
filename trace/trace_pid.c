// SPDX-License-Identifier: MIT
/*
 * Tracing only some tasks, as Linux's pid files do:
 *
 *	set_ftrace_pid		the function tracers trace only these tasks
 *	set_ftrace_notrace_pid	... and never these
 *	set_event_pid		probe events record only for these tasks
 *	set_event_notrace_pid	... and never for these
 *
 * Each takes pids separated by blanks: `>` replaces the list, `>>` adds
 * to it, `echo > FILE` empties it. A write with a word that is not a pid
 * changes nothing and fails with EINVAL. A pid need not name a live
 * task (Linux does not ask either: a task may come and go). Reading
 * lists the pids in order; an empty ftrace list reads "no pid", an
 * empty event list reads nothing, as on Linux.
 *
 * With the option function-fork (event-fork for the event lists), a task
 * a listed task creates is listed too, and a listed task that exits is
 * taken off, as on Linux: `run` from a listed shell is traced.
 */
#include <trace/trace_pid.h>
#include <trace/trace.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/mutex.h>
#include <kernel/nokprobe.h>
#include <kernel/rcu.h>
#include <kernel/sched.h>
#include <lib/ctype.h>
#include <lib/errno.h>
#include <lib/kstrtox.h>
#include <lib/sort.h>
#include <lib/string.h>

/* Linux's PID_MAX_LIMIT: a larger number is no pid at all. */
#define TRACE_PID_MAX	(4UL * 1024 * 1024)

struct trace_pid_list *trace_pid_lists[TRACE_PID_SETS];
/* Serialises changes: file writes, and forks and exits with function-fork
 * or event-fork on. Readers take no lock (RCU). */
static DEFINE_MUTEX(pid_lists_lock);

/* Binary search in @l's sorted pids. Any context. */
static bool list_has(const struct trace_pid_list *l, unsigned long pid)
{
	unsigned lo = 0, hi = l->count;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (l->pids[mid] == pid)
			return true;
		if (l->pids[mid] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Called from tracer callbacks and probe handlers: lock-free, no fentry. */
__kprobes bool trace_pid_ignore_current(enum trace_pid_set only, enum trace_pid_set never)
{
	const struct trace_pid_list *yes = rcu_dereference(trace_pid_lists[only]);
	const struct trace_pid_list *no = rcu_dereference(trace_pid_lists[never]);
	struct task_struct *t = current;
	unsigned long pid = t ? (unsigned long)t->pid : 0;

	if (yes && !list_has(yes, pid))
		return true;
	return no && list_has(no, pid);
}

/* The pids @text names, appended to @out (room for len / 2 + 1). */
static int parse_pids(const char *text, size_t len, unsigned long *out, unsigned *n)
{
	size_t i = 0;

	while (i < len) {
		char word[24];
		size_t start, wlen;
		unsigned long pid;

		while (i < len && isspace((unsigned char)text[i]))
			i++;
		start = i;
		while (i < len && !isspace((unsigned char)text[i]))
			i++;
		wlen = i - start;
		if (!wlen)
			break;
		if (wlen >= sizeof(word))
			return -EINVAL;
		memcpy(word, text + start, wlen);
		word[wlen] = '\0';
		if (kstrtoul(word, 0, &pid) || pid >= TRACE_PID_MAX)
			return -EINVAL;
		out[(*n)++] = pid;
	}
	return 0;
}

/*
 * A new list: @old's pids (if @old), those of @add, less @drop (-1: none).
 * Returns it (NULL: empty) in *@out, or -ENOMEM.
 */
static int list_build(const struct trace_pid_list *old, const unsigned long *add, unsigned nadd,
		      long drop, struct trace_pid_list **out)
{
	unsigned keep = old ? old->count : 0, i, n = 0;
	struct trace_pid_list *l = kmalloc(sizeof(*l) + (keep + nadd) * sizeof(l->pids[0]));

	if (!l)
		return -ENOMEM;
	for (i = 0; i < keep; i++)
		if ((long)old->pids[i] != drop)
			l->pids[n++] = old->pids[i];
	for (i = 0; i < nadd; i++)
		l->pids[n++] = add[i];
	sort_ulong(l->pids, n);
	l->count = uniq_ulong(l->pids, n);
	if (!l->count) {
		kfree(l);
		l = NULL;
	}
	*out = l;
	return 0;
}

/* RCU callback: free a list no reader can hold any more. */
static void list_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct trace_pid_list, rcu));
}

/* Publish @l in @slot; the old list goes once no reader can hold it. */
static void list_publish(struct trace_pid_list **slot, struct trace_pid_list *l)
{
	struct trace_pid_list *old = *slot;

	rcu_assign_pointer(*slot, l);
	/* After the lists it stands for: a hit that sees it finds them. */
	WRITE_ONCE(trace_event_checks.pid_lists, trace_pid_lists[TRACE_PID_EVENT] ||
						 trace_pid_lists[TRACE_PID_EVENT_NOTRACE]);
	if (old)
		call_rcu(&old->rcu, list_free_rcu);
}

/* A write: the new list (with the old one's pids when @append). */
static int pid_file_write(const char *text, size_t len, bool append, void *data)
{
	struct trace_pid_list **slot = data, *l;
	unsigned long *pids = kmalloc((len / 2 + 1) * sizeof(*pids));
	unsigned n = 0;
	int err;

	if (!pids)
		return -ENOMEM;
	err = parse_pids(text, len, pids, &n);
	mutex_lock(&pid_lists_lock);
	if (!err)
		err = list_build(append ? *slot : NULL, pids, n, -1, &l);
	if (!err)
		list_publish(slot, l);
	mutex_unlock(&pid_lists_lock);
	kfree(pids);
	return err;
}

/* Does the fork (and exit) of tasks change the list @set? (options/) */
static bool follows_fork(enum trace_pid_set set)
{
	return trace_option_on(set <= TRACE_PID_FTRACE_NOTRACE ? TRACE_OPT_FUNCTION_FORK :
			       TRACE_OPT_EVENT_FORK);
}

/* Is any list set? (Unlocked: the fast way out for forks and exits.) */
static bool any_list(void)
{
	unsigned i;

	for (i = 0; i < TRACE_PID_SETS; i++)
		if (READ_ONCE(trace_pid_lists[i]))
			return true;
	return false;
}

/*
 * From kthread_create(): list @child in every list that follows forks
 * and holds @parent (the boot context, with no parent, forks nothing).
 * A list that cannot grow for lack of memory stays as it was. Takes
 * pid_lists_lock: the caller may sleep.
 */
void trace_pid_task_fork(const struct task_struct *parent, const struct task_struct *child)
{
	unsigned long pid = (unsigned long)child->pid;
	struct trace_pid_list *l;
	unsigned i;

	if (!parent || !any_list())
		return;
	mutex_lock(&pid_lists_lock);
	for (i = 0; i < TRACE_PID_SETS; i++) {
		const struct trace_pid_list *old = trace_pid_lists[i];

		if (!old || !follows_fork(i) || !list_has(old, (unsigned long)parent->pid))
			continue;
		if (!list_build(old, &pid, 1, -1, &l))
			list_publish(&trace_pid_lists[i], l);
	}
	mutex_unlock(&pid_lists_lock);
}

/* When a dead task is released: take its pid off the lists that follow
 * forks, as Linux does at exit. Takes pid_lists_lock; may sleep. */
void trace_pid_task_exit(const struct task_struct *t)
{
	struct trace_pid_list *l;
	unsigned i;

	if (!any_list())
		return;
	mutex_lock(&pid_lists_lock);
	for (i = 0; i < TRACE_PID_SETS; i++) {
		const struct trace_pid_list *old = trace_pid_lists[i];

		if (!old || !follows_fork(i) || !list_has(old, (unsigned long)t->pid))
			continue;
		if (!list_build(old, NULL, 0, t->pid, &l))
			list_publish(&trace_pid_lists[i], l);
	}
	mutex_unlock(&pid_lists_lock);
}

/* The pids in order; "no pid" for an empty ftrace list, nothing for an
 * empty event list, as Linux prints them. A fork or an exit may replace
 * the list meanwhile: the old one is freed a grace period later. */
static int pid_file_show(struct seq_out *s, void *data)
{
	struct trace_pid_list **slot = data;
	const struct trace_pid_list *l;
	bool is_event = slot >= &trace_pid_lists[TRACE_PID_EVENT];
	unsigned i;

	rcu_read_lock();
	l = rcu_dereference(*slot);
	if (!l && !is_event)
		seq_puts(s, "no pid\n");
	for (i = 0; l && i < l->count; i++)
		seq_printf(s, "%lu\n", l->pids[i]);
	rcu_read_unlock();
	return 0;
}

static const struct pfs_file_ops pid_file_ops = { .show = pid_file_show, .write = pid_file_write };

static const char *const pid_file_names[TRACE_PID_SETS] = {
	[TRACE_PID_FTRACE] = "set_ftrace_pid",
	[TRACE_PID_FTRACE_NOTRACE] = "set_ftrace_notrace_pid",
	[TRACE_PID_EVENT] = "set_event_pid",
	[TRACE_PID_EVENT_NOTRACE] = "set_event_notrace_pid",
};

/* Boot: the four files, each with its list's slot as data. */
void trace_pid_init(struct pfs_node *tracefs)
{
	unsigned i;

	for (i = 0; i < TRACE_PID_SETS; i++)
		pfs_create_file(tracefs, pid_file_names[i], true, &pid_file_ops, &trace_pid_lists[i]);
}
