// SPDX-License-Identifier: MIT
/*
 * snapshot: a spare buffer to swap with the trace buffer, so that what
 * was recorded up to a moment can be kept and read while tracing goes on:
 *
 *	echo 1 > snapshot	allocate the spare if need be, and swap: the
 *				records so far are now the snapshot's, and
 *				recording goes on into what the spare held
 *	echo 2 > snapshot	empty the snapshot (any number but 0 and 1)
 *	echo 0 > snapshot	empty it and free it
 *	cat snapshot		the snapshot's records, as cat trace prints;
 *				when it is empty, Linux's help text instead
 *
 * Each CPU has its own buffer, and per_cpu/cpuN/snapshot swaps, empties
 * and shows CPU N's alone (0 is refused there: the spare is shared).
 * As on Linux a swap does not empty what comes back: after a second
 * `echo 1`, the trace buffer holds the first snapshot's records.
 */
#include <trace/trace.h>
#include <trace/tracefs.h>
#include <kernel/kallsyms.h>
#include <lib/errno.h>
#include <lib/kstrtox.h>
#include <lib/printf.h>
#include <lib/string.h>

static struct ring_buffer *spare;	/* NULL: freed */
static unsigned int snapshot_cpu_ids[RING_BUFFER_MAX_CPUS];

/* A snapshot file's CPU: its data points at the CPU number, or is NULL
 * for the top-level file (every CPU). */
static int data_cpu(void *data)
{
	return data ? (int)*(const unsigned int *)data : TRACE_ALL_CPUS;
}

/* Linux's help text for an empty snapshot, for the top file or a CPU's. */
static void print_help(struct seq_out *s, int cpu)
{
	seq_puts(s, spare ? "#\n# * Snapshot is allocated *\n#\n" : "#\n# * Snapshot is freed *\n#\n");
	seq_puts(s, "# Snapshot commands:\n");
	if (cpu == TRACE_ALL_CPUS) {
		seq_puts(s, "# echo 0 > snapshot : Clears and frees snapshot buffer\n"
			    "# echo 1 > snapshot : Allocates snapshot buffer, if not already allocated.\n"
			    "#                      Takes a snapshot of the main buffer.\n"
			    "# echo 2 > snapshot : Clears snapshot buffer (but does not allocate or free)\n");
	} else {
		seq_puts(s, "# echo 0 > snapshot : Invalid for per_cpu snapshot file.\n"
			    "# echo 1 > snapshot : Allocates snapshot buffer, if not already allocated.\n"
			    "#                      Takes a snapshot of the main buffer for this cpu.\n"
			    "# echo 2 > snapshot : Clears this cpu's snapshot buffer (but does not allocate)\n");
	}
	seq_puts(s, "#                      (Doesn't have to be '2' works with any number that\n"
		    "#                       is not a '0' or '1')\n");
}

/* Does the snapshot hold no record (for @cpu, or at all)? Freed counts
 * as empty. */
static bool spare_empty(int cpu)
{
	struct ring_buffer_stats st;

	if (!spare)
		return true;
	if (cpu == TRACE_ALL_CPUS)
		ring_buffer_stats(spare, &st);
	else
		ring_buffer_cpu_stats(spare, (unsigned int)cpu, &st);
	return !st.entries;
}

/* cat snapshot: its records as cat trace prints them, or the help when
 * there are none. Tree lock held. */
static int snapshot_show(struct seq_out *s, void *data)
{
	int cpu = data_cpu(data);

	if (spare_empty(cpu)) {
		seq_printf(s, "# tracer: %s\n#\n", trace_current_tracer());
		print_help(s, cpu);
		return 0;
	}
	return trace_show_buffer(s, spare, cpu);
}

/* A spare as large as the trace buffer, CPU by CPU. */
static int spare_alloc(void)
{
	unsigned int cpu, n = ring_buffer_nr_cpus(trace_buffer);
	struct ring_buffer *rb;

	if (spare)
		return 0;
	rb = ring_buffer_alloc(ring_buffer_size_cpu(trace_buffer, 0), n);
	if (IS_ERR(rb))
		return (int)PTR_ERR(rb);
	for (cpu = 1; cpu < n; cpu++) {
		int err = ring_buffer_resize_cpu(rb, cpu, ring_buffer_size_cpu(trace_buffer, cpu));

		if (err) {
			ring_buffer_free(rb);
			return err;
		}
	}
	spare = rb;
	return 0;
}

/*
 * Swap @cpu (or every CPU). The trace buffer may have been resized since
 * the spare was made: a CPU whose sizes differ first gets a spare of the
 * right size (what it held is about to leave the snapshot anyway).
 */
static int snapshot_take(int cpu)
{
	unsigned int i, n = ring_buffer_nr_cpus(trace_buffer);
	int err = spare_alloc();

	for (i = 0; !err && i < n; i++) {
		size_t want = ring_buffer_size_cpu(trace_buffer, i);

		if ((cpu == TRACE_ALL_CPUS || (unsigned int)cpu == i) &&
		    ring_buffer_size_cpu(spare, i) != want)
			err = ring_buffer_resize_cpu(spare, i, want);
	}
	return err ? err : ring_buffer_swap_cpu(trace_buffer, spare, cpu);
}

/* Empty the snapshot (one CPU or all), keeping its memory. 0 or the
 * ring buffer's error. */
static int snapshot_clear(int cpu)
{
	if (!spare)
		return 0;
	return cpu == TRACE_ALL_CPUS ? ring_buffer_reset(spare) :
	       ring_buffer_reset_cpu(spare, (unsigned int)cpu);
}

/* A change of trace clock empties the snapshot too, as it does the
 * trace: records stamped by two clocks cannot be ordered. */
void trace_snapshot_reset(void)
{
	snapshot_clear(TRACE_ALL_CPUS);
}

/* 0, 1 or another number (see the top). Returns 0, -EINVAL (not a
 * number; 0 on a per-CPU file) or the allocation or swap error. Tree
 * lock held. */
static int snapshot_write(const char *text, size_t len, bool append __always_unused, void *data)
{
	int cpu = data_cpu(data);
	unsigned long val;
	char word[24];

	if (tracefs_get_word(text, len, word, sizeof(word)) || kstrtoul(word, 10, &val))
		return -EINVAL;
	switch (val) {
	case 0:
		if (cpu != TRACE_ALL_CPUS)
			return -EINVAL;
		ring_buffer_free(spare);	/* nobody writes into the spare */
		spare = NULL;
		return 0;
	case 1:
		return snapshot_take(cpu);
	default:
		return snapshot_clear(cpu);
	}
}

static const struct pfs_file_ops snapshot_ops = { .show = snapshot_show, .write = snapshot_write };

/* Boot, after per_cpu/cpuN exist: the top file and one per CPU. */
void trace_snapshot_init(struct pfs_node *tracefs)
{
	unsigned int cpu;

	pfs_create_file(tracefs, "snapshot", true, &snapshot_ops, NULL);
	for (cpu = 0; cpu < ring_buffer_nr_cpus(trace_buffer); cpu++) {
		char path[64];
		struct pfs_node *dir;

		snprintf(path, sizeof(path), TRACEFS_PATH "/per_cpu/cpu%u", cpu);
		dir = pfs_lookup(path);
		snapshot_cpu_ids[cpu] = cpu;
		if (dir)
			pfs_create_file(dir, "snapshot", true, &snapshot_ops, &snapshot_cpu_ids[cpu]);
	}
}
