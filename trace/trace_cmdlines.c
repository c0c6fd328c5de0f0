// SPDX-License-Identifier: MIT
/*
 * saved_cmdlines: the pid and name of each task that was running while
 * trace events were recorded, as Linux keeps them for its trace output
 * (Loupe's records carry the name themselves; the file is for the person
 * or tool that asks which task a pid was):
 *
 *	loupe> cat saved_cmdlines
 *	12 fib
 *	3 shell
 *
 * The table has saved_cmdlines_size slots (128, as on Linux); when it is
 * full the oldest slot is reused. A write to saved_cmdlines_size (1 to
 * 32768, Linux's limits) makes a new, empty table.
 *
 * A task is saved when the scheduler switches away from it and its CPU's
 * trace buffer has taken events since the previous switch: the events
 * were most likely its own, and the check costs one load per switch.
 */
#include <trace/trace_cmdlines.h>
#include <trace/trace.h>
#include <trace/tracefs.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <lib/errno.h>
#include <lib/kstrtox.h>
#include <lib/string.h>

#define CMDLINES_DEFAULT	128
#define CMDLINES_MAX		32768	/* Linux's PID_MAX_DEFAULT */

struct saved_cmdline {
	int pid;
	char comm[TRACE_COMM_LEN];
};

struct cmdline_table {
	unsigned size, used, next;	/* slots, slots filled, slot to reuse next */
	struct saved_cmdline slot[];
};

static struct cmdline_table *cmdlines;
static DEFINE_SPINLOCK(cmdlines_lock);
/* Per CPU: the buffer's written count when that CPU last switched. */
static u64 seen_written[RING_BUFFER_MAX_CPUS];

/* Save @t's pid and name (lock held). */
static void cmdline_save(struct cmdline_table *tab, const struct task_struct *t)
{
	struct saved_cmdline *s = NULL;
	unsigned i;

	for (i = 0; i < tab->used && !s; i++)
		if (tab->slot[i].pid == t->pid)
			s = &tab->slot[i];
	if (!s && tab->used < tab->size)
		s = &tab->slot[tab->used++];
	if (!s) {
		s = &tab->slot[tab->next];
		tab->next = (tab->next + 1) % tab->size;
	}
	s->pid = t->pid;
	memcpy(s->comm, t->comm, TRACE_COMM_LEN);
	s->comm[TRACE_COMM_LEN - 1] = '\0';
}

/*
 * From every context switch (interrupts off, run-queue lock held): save
 * @prev's pid and name if this CPU recorded something since the last
 * switch, as Linux saves a task's comm only when it traced. Never
 * sleeps; the table lock is a spinlock for that reason.
 */
void trace_cmdline_switch(struct task_struct *prev)
{
	unsigned int cpu = smp_processor_id();
	u64 written;

	if (!trace_buffer || cpu >= RING_BUFFER_MAX_CPUS)
		return;
	written = ring_buffer_written_cpu(trace_buffer, cpu);
	if (written == seen_written[cpu])
		return;
	seen_written[cpu] = written;
	if (prev->pid <= 0)		/* idle tasks: Linux does not save them */
		return;
	spin_lock(&cmdlines_lock);	/* interrupts are off */
	if (cmdlines)
		cmdline_save(cmdlines, prev);
	spin_unlock(&cmdlines_lock);
}

static struct cmdline_table *table_alloc(unsigned size)
{
	struct cmdline_table *tab = kzalloc(sizeof(*tab) + size * sizeof(tab->slot[0]));

	if (tab)
		tab->size = size;
	return tab;
}

/*
 * A copy of the table, taken under the lock, so that printing (which may
 * take long on a serial line) holds no lock the scheduler wants.
 */
static struct cmdline_table *table_copy(void)
{
	struct cmdline_table *copy;
	unsigned long flags;
	unsigned size;

	spin_lock_irqsave(&cmdlines_lock, flags);
	size = cmdlines ? cmdlines->size : 0;
	spin_unlock_irqrestore(&cmdlines_lock, flags);
	copy = table_alloc(size);
	if (!copy)
		return NULL;
	spin_lock_irqsave(&cmdlines_lock, flags);
	if (cmdlines && cmdlines->size == size)
		memcpy(copy, cmdlines, sizeof(*copy) + size * sizeof(copy->slot[0]));
	spin_unlock_irqrestore(&cmdlines_lock, flags);
	return copy;
}

/* saved_cmdlines: "pid name" per line, from a copy (see table_copy()). */
static int saved_cmdlines_show(struct seq_out *s, void *data __always_unused)
{
	struct cmdline_table *tab = table_copy();
	unsigned i;

	if (!tab)
		return -ENOMEM;
	for (i = 0; i < tab->used && !seq_interrupted(s); i++)
		seq_printf(s, "%d %s\n", tab->slot[i].pid, tab->slot[i].comm);
	kfree(tab);
	return 0;
}

static int cmdlines_size_show(struct seq_out *s, void *data __always_unused)
{
	seq_printf(s, "%u\n", cmdlines ? cmdlines->size : 0);
	return 0;
}

/* A new, empty table of the size written (1 .. CMDLINES_MAX). */
static int cmdlines_size_write(const char *text, size_t len, bool append __always_unused,
			       void *data __always_unused)
{
	struct cmdline_table *tab, *old;
	unsigned long flags, size;
	char word[16];

	if (tracefs_get_word(text, len, word, sizeof(word)) || kstrtoul(word, 10, &size) ||
	    !size || size > CMDLINES_MAX)
		return -EINVAL;
	tab = table_alloc((unsigned)size);
	if (!tab)
		return -ENOMEM;
	spin_lock_irqsave(&cmdlines_lock, flags);
	old = cmdlines;
	cmdlines = tab;
	spin_unlock_irqrestore(&cmdlines_lock, flags);
	kfree(old);
	return 0;
}

static const struct pfs_file_ops saved_cmdlines_ops = { .show = saved_cmdlines_show };
static const struct pfs_file_ops cmdlines_size_ops = {
	.show = cmdlines_size_show, .write = cmdlines_size_write };

void trace_cmdlines_init(struct pfs_node *tracefs)
{
	cmdlines = table_alloc(CMDLINES_DEFAULT);
	pfs_create_file(tracefs, "saved_cmdlines", false, &saved_cmdlines_ops, NULL);
	pfs_create_file(tracefs, "saved_cmdlines_size", true, &cmdlines_size_ops, NULL);
}
