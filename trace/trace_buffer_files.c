// SPDX-License-Identifier: MIT
/*
 * Three files about the trace buffer as a whole, as Linux has them:
 *
 *	tracing_cpumask		which CPUs record, a hex mask ("3": CPUs 0
 *				and 1); a CPU left out keeps its records but
 *				takes no new ones
 *	buffer_total_size_kb	the KiB of every CPU's buffer, summed
 *	free_buffer		a write shrinks the buffer to its minimum
 *				(Linux does it when the file is closed, which
 *				for `echo > free_buffer` is the same moment)
 *
 * A mask naming a CPU the buffer does not have fails with EOVERFLOW, one
 * that is not hex with EINVAL; neither changes anything.
 */
#include <trace/trace.h>
#include <trace/tracefs.h>
#include <lib/ctype.h>
#include <lib/errno.h>
#include <lib/kstrtox.h>
#include <lib/string.h>

static u64 cpumask;			/* bit N: CPU N records */

static unsigned int nr_cpus(void)
{
	return ring_buffer_nr_cpus(trace_buffer);
}

static u64 all_cpus(void)
{
	return nr_cpus() >= 64 ? ~0ULL : (1ULL << nr_cpus()) - 1;
}

/*
 * As Linux's %*pb: hex, as many digits as the CPU count needs (leading
 * zeros kept), a comma between groups of 32 CPUs.
 */
static int cpumask_show(struct seq_out *s, void *data __always_unused)
{
	unsigned int n = nr_cpus();
	int digit;

	for (digit = (int)((n + 3) / 4) - 1; digit >= 0; digit--) {
		seq_printf(s, "%x", (unsigned)(cpumask >> (4 * digit)) & 0xf);
		if (digit && digit % 8 == 0)
			seq_puts(s, ",");
	}
	seq_puts(s, "\n");
	return 0;
}

/* The mask @text holds (hex, commas allowed between groups). */
static int cpumask_parse(const char *text, size_t len, u64 *mask)
{
	char word[40], digits[40];
	size_t i, n = 0;
	unsigned long long v;

	if (tracefs_get_word(text, len, word, sizeof(word)))
		return -EINVAL;
	for (i = 0; word[i]; i++) {
		if (word[i] == ',')
			continue;
		if (!isxdigit((unsigned char)word[i]))
			return -EINVAL;
		digits[n++] = word[i];
	}
	digits[n] = '\0';
	while (n > 1 && digits[0] == '0')
		memmove(digits, digits + 1, n--);
	if (n > 16 || kstrtoull(digits, 16, &v))
		return -EOVERFLOW;
	*mask = v;
	return 0;
}

/* tracing_cpumask: a hex mask of the CPUs that record. Returns 0,
 * -EINVAL (not hex), or -EOVERFLOW for a CPU that does not exist. A
 * CPU left out keeps what it recorded. */
static int cpumask_write(const char *text, size_t len, bool append __always_unused,
			 void *data __always_unused)
{
	unsigned int cpu;
	u64 mask;
	int err;

	err = cpumask_parse(text, len, &mask);
	if (err)
		return err;
	if (mask & ~all_cpus())
		return -EOVERFLOW;
	for (cpu = 0; cpu < nr_cpus(); cpu++)
		ring_buffer_record_cpu(trace_buffer, cpu, mask & (1ULL << cpu));
	cpumask = mask;
	return 0;
}

/* buffer_total_size_kb: every CPU's buffer size, added up. */
static int total_size_show(struct seq_out *s, void *data __always_unused)
{
	unsigned long kb = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < nr_cpus(); cpu++)
		kb += ring_buffer_size_cpu(trace_buffer, cpu) / 1024;
	seq_printf(s, "%lu\n", kb);
	return 0;
}

/* Any write: every CPU's buffer down to the smallest it can be. */
static int free_buffer_write(const char *text __always_unused, size_t len __always_unused,
			     bool append __always_unused, void *data __always_unused)
{
	return ring_buffer_resize(trace_buffer, 1);
}

static const struct pfs_file_ops cpumask_ops = { .show = cpumask_show, .write = cpumask_write };
static const struct pfs_file_ops total_size_ops = { .show = total_size_show };
/* Reading it is an error, as on Linux (a write-only file root may open). */
static int free_buffer_show(struct seq_out *s __always_unused, void *data __always_unused)
{
	return -EINVAL;
}

static const struct pfs_file_ops free_buffer_ops = { .show = free_buffer_show,
						      .write = free_buffer_write };

void trace_buffer_files_init(struct pfs_node *tracefs)
{
	cpumask = all_cpus();
	pfs_create_file(tracefs, "tracing_cpumask", true, &cpumask_ops, NULL);
	pfs_create_file(tracefs, "buffer_total_size_kb", false, &total_size_ops, NULL);
	pfs_create_file(tracefs, "free_buffer", true, &free_buffer_ops, NULL);
}
