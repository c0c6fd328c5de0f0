// SPDX-License-Identifier: MIT
/*
 * The files that choose what function_graph records, with Linux 6.12's
 * names, contents and rules:
 *
 *	set_graph_function	graph only calls of these functions, with
 *				everything they call ("#### all functions
 *				enabled ####" while empty)
 *	set_graph_notrace	graph neither these functions nor anything
 *				they call ("#### no functions disabled ####")
 *	max_graph_depth		graph calls at most this deep (0: no limit)
 *	tracing_thresh		record only calls that took at least this
 *				many microseconds; only their returns are
 *				recorded, each a `}` that names its function
 *
 * The two sets take globs, names or addresses as set_ftrace_filter does:
 * `>` replaces the set, `>>` adds to it, a leading '!' removes, and
 * `echo > set_graph_function` empties it. A pattern that names nothing
 * (or a '!' that removes nothing) fails the write with -EINVAL and,
 * unlike Linux - which keeps the patterns before the bad one and empties
 * the set on `>` - changes nothing. The sets only choose among the
 * functions ftrace traces: set_ftrace_filter still decides which sites
 * call function_graph at all.
 *
 * Each control sets a bit in graph_gate while it is set, so the entry
 * hook pays for none of them while none is (trace_graph.c).
 */
#include <trace/trace.h>
#include <trace/tracefs.h>
#include <trace/trace_graph.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/mutex.h>
#include <kernel/rcu.h>
#include <kernel/time.h>
#include <lib/atomic.h>
#include <lib/errno.h>
#include <lib/kstrtox.h>
#include <lib/string.h>

struct ftrace_hash *graph_funcs;
struct ftrace_hash *graph_notrace;
unsigned int graph_max_depth;
u64 graph_thresh_ns;

/* Serialises edits of the two sets (readers use RCU). */
static DEFINE_MUTEX(graph_sets_lock);

/* Open or shut one control's bit of graph_gate, which the entry hook
 * tests in one load to skip every control that is off. Any context. */
void graph_gate_set(unsigned int bit, bool on)
{
	if (on)
		fetch_or(&graph_gate, bit);
	else
		fetch_and(&graph_gate, ~bit);
}

/* funcgraph-irqs: off keeps calls made in a hard interrupt out. */
int graph_irqs_option_set(bool on)
{
	graph_gate_set(GRAPH_GATE_NO_IRQS, !on);
	return 0;
}

/* ---- set_graph_function and set_graph_notrace ---- */

struct graph_set_file {
	struct ftrace_hash **set;
	unsigned int gate;		/* its bit in graph_gate */
	const char *empty;		/* what reading the empty set prints */
};

static struct graph_set_file graph_funcs_file = {
	&graph_funcs, GRAPH_GATE_FUNCS, "#### all functions enabled ####" };
static struct graph_set_file graph_notrace_file = {
	&graph_notrace, GRAPH_GATE_NOTRACE, "#### no functions disabled ####" };

/* The set's functions by name, in address order, or Linux's line for an
 * empty set. graph_sets_lock keeps the set from being freed meanwhile. */
static int graph_set_show(struct seq_out *s, void *data)
{
	const struct graph_set_file *f = data;
	const struct ftrace_hash *h;
	unsigned i;

	mutex_lock(&graph_sets_lock);
	h = *f->set;
	if (!h)
		seq_printf(s, "%s\n", f->empty);
	for (i = 0; h && i < h->count && !seq_interrupted(s); i++)
		seq_printf(s, "%ps\n", (void *)h->ips[i]);
	mutex_unlock(&graph_sets_lock);
	return 0;
}

/*
 * Publish the new set, then open or close the gate: a set that becomes
 * empty closes it first, so that the hook never sees the gate open on an
 * empty set (which would skip every function). The old set is freed once
 * no hook can be reading it.
 */
static void graph_set_publish(struct graph_set_file *f, struct ftrace_hash *h)
{
	struct ftrace_hash *old = *f->set;

	if (!h)
		graph_gate_set(f->gate, false);
	rcu_assign_pointer(*f->set, h);
	if (h)
		graph_gate_set(f->gate, true);
	synchronize_rcu();
	kfree(old);
}

/*
 * set_graph_function / set_graph_notrace: globs (`!` removes), as in
 * set_ftrace_filter; `>` starts from an empty set. Returns 0, -EINVAL
 * (a glob named nothing, or a '!' removed nothing) or -ENOMEM; on error
 * the set is unchanged. Tree lock held; sleeps (a grace period).
 */
static int graph_set_write(const char *text, size_t len, bool append, void *data)
{
	struct graph_set_file *f = data;
	struct ftrace_hash *h;
	char *list = kmemdup_nul(text, len);
	int err;

	if (!list)
		return -ENOMEM;
	mutex_lock(&graph_sets_lock);
	err = ftrace_hash_edit(*f->set, list, !append, true, &h);
	if (!err)
		graph_set_publish(f, h);
	mutex_unlock(&graph_sets_lock);
	kfree(list);
	return err;
}

/* ---- max_graph_depth and tracing_thresh ---- */

/* A decimal number alone, at most @max; else -EINVAL. */
static int parse_number(const char *text, size_t len, unsigned long long max,
			unsigned long long *val)
{
	char word[24];

	if (tracefs_get_word(text, len, word, sizeof(word)) || kstrtoull(word, 10, val) ||
	    *val > max)
		return -EINVAL;
	return 0;
}

static int max_depth_show(struct seq_out *s, void *data __always_unused)
{
	seq_printf(s, "%u\n", READ_ONCE(graph_max_depth));
	return 0;
}

/* max_graph_depth: 0 for no limit. The gate is shut while the value
 * changes, so the hook never reads a half-made setting. */
static int max_depth_write(const char *text, size_t len, bool append __always_unused,
			   void *data __always_unused)
{
	unsigned long long depth;

	if (parse_number(text, len, 0xffffffffULL, &depth))
		return -EINVAL;
	graph_gate_set(GRAPH_GATE_DEPTH, false);
	WRITE_ONCE(graph_max_depth, (unsigned int)depth);
	if (depth)
		graph_gate_set(GRAPH_GATE_DEPTH, true);
	return 0;
}

static int thresh_show(struct seq_out *s, void *data __always_unused)
{
	seq_printf(s, "%llu\n", (unsigned long long)(READ_ONCE(graph_thresh_ns) / NSEC_PER_USEC));
	return 0;
}

/* tracing_thresh in microseconds (0: off), kept in ns for the hook. */
static int thresh_write(const char *text, size_t len, bool append __always_unused,
			void *data __always_unused)
{
	unsigned long long us;

	if (parse_number(text, len, ~0ULL / NSEC_PER_USEC, &us))
		return -EINVAL;
	graph_gate_set(GRAPH_GATE_THRESH, false);
	WRITE_ONCE(graph_thresh_ns, us * NSEC_PER_USEC);
	if (us)
		graph_gate_set(GRAPH_GATE_THRESH, true);
	return 0;
}

static const struct pfs_file_ops graph_set_ops = {
	.show = graph_set_show, .write = graph_set_write };
static const struct pfs_file_ops max_depth_ops = {
	.show = max_depth_show, .write = max_depth_write };
static const struct pfs_file_ops thresh_ops = { .show = thresh_show, .write = thresh_write };

void graph_files_init(void)
{
	if (!tracefs_root)
		return;
	pfs_create_file(tracefs_root, "set_graph_function", true, &graph_set_ops, &graph_funcs_file);
	pfs_create_file(tracefs_root, "set_graph_notrace", true, &graph_set_ops, &graph_notrace_file);
	pfs_create_file(tracefs_root, "max_graph_depth", true, &max_depth_ops, NULL);
	pfs_create_file(tracefs_root, "tracing_thresh", true, &thresh_ops, NULL);
}
