// SPDX-License-Identifier: MIT
/*
 * /proc/PID/rethook and /proc/PID/graph_stack: a task's shadow stacks.
 *
 * A function whose return is hooked no longer has its real return address
 * on the stack: a kretprobe's or an fprobe's entry handler (rethook) or
 * the function_graph tracer put a trampoline's address there and keep the
 * real one on a stack of their own, per task. These files show those
 * stacks, newest (innermost) call first:
 *
 *	loupe> cat /proc/5/rethook
 *	# pid 5 (fib): 3 returns hooked by rethook, newest first
 *	# RETHOOK                 RETURNS TO                    FRAME
 *	kretprobe fib             fib+0x1e/0x36                 0xffffc90000013f48
 *	...
 *
 * and `bt PID` marks the frames they explain ([rethook], [graph]).
 *
 * Reading another task's shadow stack is safe only while that task cannot
 * run: it pushes and pops entries as it calls and returns, and a node it
 * pops goes straight back to a pool another CPU may take it from. So we
 * do what the unwinder does (rethook_find_ret_addr(), stack_trace_save_tsk()):
 * copy a snapshot with the task held off its CPU by sched_call_held() (its
 * run-queue lock taken, so it cannot be switched in until we are done),
 * and print after letting go. A task running on another CPU right now is
 * refused, as Linux refuses to walk it; the reader's own task is copied
 * with interrupts off, so that no interrupt handler's hooked call pushes
 * or pops meanwhile.
 *
 * The /proc/PID directories follow the task list: pseudofs asks
 * proc_refresh() to bring them up to date whenever /proc is looked in.
 */
#include <trace/ftrace.h>
#include <trace/rethook.h>
#include <trace/trace.h>
#include <kernel/kallsyms.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/pseudofs.h>
#include <kernel/rcu.h>
#include <kernel/sched.h>
#include <kernel/time.h>
#include <asm/irqflags.h>
#include <lib/errno.h>
#include <lib/kstrtox.h>
#include <lib/printf.h>
#include <lib/string.h>

#define SHADOW_MAX	64	/* entries a file shows (the graph stack's depth) */
#define PROC_MAX_TASKS	256	/* /proc/PID directories kept */

/* A snapshot of one task's shadow stack: a sched_call_held() callback's work. */
struct shadow_snap {
	bool graph;			/* function_graph's, else rethook's */
	union {
		struct rethook_snap_entry rethook[SHADOW_MAX];
		struct graph_snap_entry graph[SHADOW_MAX];
	} e;
};

/* sched_call_held() callback: copy the held task's return stack of the
 * kind @arg asks for. Interrupts off: copy only. */
static int take_snapshot(struct task_struct *t, void *arg)
{
	struct shadow_snap *snap = arg;

	if (snap->graph)
		return ftrace_graph_task_snapshot(t, snap->e.graph, SHADOW_MAX);
	return rethook_task_snapshot(t, snap->e.rethook, SHADOW_MAX);
}

/*
 * Fill @snap from task @pid, and its name and CPU. Returns the number of
 * entries pending, -ESRCH (no such task) or -EBUSY (running elsewhere).
 */
static int snapshot_task(int pid, struct shadow_snap *snap, char *comm, int *cpu)
{
	struct task_struct *t;
	unsigned long flags;
	int n;

	/* A task that dies meanwhile is released only after a grace period. */
	rcu_read_lock();
	t = find_task(pid);
	if (!t) {
		rcu_read_unlock();
		return -ESRCH;
	}
	memcpy(comm, t->comm, TASK_COMM_LEN);
	*cpu = t->cpu;
	if (t == current) {
		local_irq_save(flags);
		n = take_snapshot(t, snap);
		local_irq_restore(flags);
	} else {
		n = sched_call_held(t, take_snapshot, snap);
	}
	rcu_read_unlock();
	return n;
}

static void print_busy(struct seq_out *s, int pid, const char *comm, int cpu)
{
	seq_printf(s, "# pid %d (%s) is running on CPU %d: its shadow stack changes under any "
		   "reader; try again while it waits\n", pid, comm, cpu);
}

/* /proc/PID/rethook: the task's pending rethook nodes, newest first:
 * whose they are, where the call returns to, and its stack frame. */
static void print_rethook(struct seq_out *s, const struct shadow_snap *snap, unsigned n)
{
	unsigned i;

	seq_printf(s, "# %-24s %-36s %s\n", "RETHOOK", "RETURNS TO", "FRAME");
	for (i = 0; i < n && i < SHADOW_MAX; i++) {
		const struct rethook_snap_entry *e = &snap->e.rethook[i];
		char to[96];

		/* Several rethooks on one call: only the oldest node holds the
		 * real address, the others the trampoline's. */
		if (e->ret_addr == (unsigned long)arch_rethook_trampoline)
			scnprintf(to, sizeof(to), "(same call as the next line)");
		else
			scnprintf(to, sizeof(to), "%pB", (void *)e->ret_addr);
		seq_printf(s, "  %-24s %-36s %#lx\n", e->owner[0] ? e->owner : "(unnamed)", to,
			   e->frame);
	}
}

/* /proc/PID/graph_stack: function_graph's return stack, innermost first,
 * with how long ago each call was entered. */
static void print_graph(struct seq_out *s, const struct shadow_snap *snap, unsigned n)
{
	u64 now = clock_ns();		/* trace_clock_ns() is this clock */
	unsigned i;

	seq_printf(s, "# %-5s %-24s %-36s %-18s %s\n", "DEPTH", "FUNCTION", "RETURNS TO", "FRAME",
		   "ENTERED");
	for (i = 0; i < n && i < SHADOW_MAX; i++) {
		const struct graph_snap_entry *e = &snap->e.graph[i];
		u64 ago = now > e->calltime ? now - e->calltime : 0;
		char to[96], func[KSYM_NAME_LEN], frame[24];

		scnprintf(func, sizeof(func), "%ps", (void *)e->func);
		scnprintf(to, sizeof(to), "%pB", (void *)e->ret);
		scnprintf(frame, sizeof(frame), "%#lx", e->fp);
		seq_printf(s, "  %5u %-24s %-36s %-18s %llu.%03llu ms ago\n", n - 1 - i,
			   func, to, frame, (unsigned long long)(ago / NSEC_PER_MSEC),
			   (unsigned long long)(ago % NSEC_PER_MSEC / NSEC_PER_USEC));
	}
}

/* Both files: @data is the pid (a task may go; its directory stays until
 * /proc is next looked in). */
static int shadow_show(struct seq_out *s, int pid, bool graph)
{
	struct shadow_snap *snap = kmalloc(sizeof(*snap));
	char comm[TASK_COMM_LEN];
	int n, cpu;

	if (!snap)
		return -ENOMEM;
	snap->graph = graph;
	n = snapshot_task(pid, snap, comm, &cpu);
	if (n == -EBUSY)
		print_busy(s, pid, comm, cpu);
	if (n >= 0) {
		seq_printf(s, "# pid %d (%s): %d return%s hooked by %s, newest first%s\n", pid,
			   comm, n, n == 1 ? "" : "s", graph ? "function_graph" : "rethook",
			   n > SHADOW_MAX ? " (the first 64)" : "");
		if (graph)
			print_graph(s, snap, (unsigned)n);
		else
			print_rethook(s, snap, (unsigned)n);
	}
	kfree(snap);
	return n < 0 ? n : 0;
}

static int rethook_show(struct seq_out *s, void *data)
{
	return shadow_show(s, (int)(long)data, false);
}

static int graph_show(struct seq_out *s, void *data)
{
	return shadow_show(s, (int)(long)data, true);
}

static const struct pfs_file_ops rethook_ops = { .show = rethook_show };
static const struct pfs_file_ops graph_ops = { .show = graph_show };

/* ---- /proc/PID directories ---- */

struct pid_set {
	int pids[PROC_MAX_TASKS];
	unsigned n;
};

/* Keep every entry of /proc that is not a number, and the live pids. */
static bool keep_entry(void *arg, const char *name)
{
	const struct pid_set *set = arg;
	unsigned i;
	int pid;

	if (kstrtoint(name, 10, &pid))
		return true;
	for (i = 0; i < set->n; i++)
		if (set->pids[i] == pid)
			return true;
	return false;
}

/* /proc/PID with its two files; a refresh callback, so the tree lock is
 * held and the __pfs_ calls are used. */
static void add_task_dir(struct pfs_node *proc, int pid)
{
	struct pfs_node *dir;
	char name[16];

	snprintf(name, sizeof(name), "%d", pid);
	dir = __pfs_create_dir(proc, name);
	if (!dir)
		return;			/* there already (or no memory) */
	__pfs_create_file(dir, "rethook", false, &rethook_ops, (void *)(long)pid);
	__pfs_create_file(dir, "graph_stack", false, &graph_ops, (void *)(long)pid);
}

/* pseudofs refresh of /proc (tree lock held): a directory per live task. */
static void proc_refresh(struct pfs_node *proc)
{
	struct pid_set *set = kmalloc(sizeof(*set));
	struct task_struct *t;
	unsigned long flags;
	unsigned i;

	if (!set)
		return;
	set->n = 0;
	tasklist_lock(&flags);
	list_for_each_entry(t, &task_list, tasks_node)
		if (t->pid > 0 && t->state != TASK_DEAD && set->n < PROC_MAX_TASKS)
			set->pids[set->n++] = t->pid;	/* not the idle tasks (pid 0) */
	tasklist_unlock(flags);
	__pfs_prune(proc, keep_entry, set);
	for (i = 0; i < set->n; i++)
		add_task_dir(proc, set->pids[i]);
	kfree(set);
}

void shadow_stacks_init(void)
{
	struct pfs_node *proc = pfs_mkdir_p("/proc");

	if (proc)
		pfs_set_refresh(proc, proc_refresh);
}
