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
 */
#include <trace/trace_pid.h>
#include <trace/trace.h>
#include <kernel/mm/kmalloc.h>
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
 * A write: build the new list (the old one's pids too when @append),
 * publish it, and free the old one after a grace period.
 */
static int pid_file_write(const char *text, size_t len, bool append, void *data)
{
	struct trace_pid_list **slot = data;
	const struct trace_pid_list *old = *slot;
	unsigned keep = (append && old) ? old->count : 0, n = 0;
	struct trace_pid_list *l = kmalloc(sizeof(*l) + (keep + len / 2 + 1) * sizeof(l->pids[0]));
	int err;

	if (!l)
		return -ENOMEM;
	err = parse_pids(text, len, l->pids + keep, &n);
	if (err) {
		kfree(l);
		return err;
	}
	if (keep)
		memcpy(l->pids, old->pids, keep * sizeof(l->pids[0]));
	sort_ulong(l->pids, keep + n);
	l->count = uniq_ulong(l->pids, keep + n);
	if (!l->count) {
		kfree(l);
		l = NULL;
	}
	rcu_assign_pointer(*slot, l);
	synchronize_rcu();
	kfree((void *)old);
	return 0;
}

static int pid_file_show(struct seq_out *s, void *data)
{
	struct trace_pid_list **slot = data;
	const struct trace_pid_list *l = *slot;
	bool is_event = slot >= &trace_pid_lists[TRACE_PID_EVENT];
	unsigned i;

	if (!l && !is_event)
		seq_puts(s, "no pid\n");
	for (i = 0; l && i < l->count; i++)
		seq_printf(s, "%lu\n", l->pids[i]);
	return 0;
}

static const struct pfs_file_ops pid_file_ops = { .show = pid_file_show, .write = pid_file_write };

static const char *const pid_file_names[TRACE_PID_SETS] = {
	[TRACE_PID_FTRACE] = "set_ftrace_pid",
	[TRACE_PID_FTRACE_NOTRACE] = "set_ftrace_notrace_pid",
	[TRACE_PID_EVENT] = "set_event_pid",
	[TRACE_PID_EVENT_NOTRACE] = "set_event_notrace_pid",
};

void trace_pid_init(struct pfs_node *tracefs)
{
	unsigned i;

	for (i = 0; i < TRACE_PID_SETS; i++)
		pfs_create_file(tracefs, pid_file_names[i], true, &pid_file_ops, &trace_pid_lists[i]);
}
