// SPDX-License-Identifier: MIT
/*
 * The files of /sys/kernel/tracing, with Linux's names and behaviour:
 *
 *	available_tracers	current_tracer		tracing_on
 *	trace			trace_pipe		buffer_size_kb
 *	set_ftrace_filter	set_ftrace_notrace	available_filter_functions
 *	README
 *
 * and per_cpu/cpuN/ for each CPU that has a buffer, with that CPU's
 *
 *	trace			trace_pipe		stats
 *	buffer_size_kb
 *
 * A bad write changes nothing and fails with an errno, which the shell's
 * echo prints ("echo: write error: Invalid argument").
 *
 * The other files are made by what implements them (trace_init() calls
 * each): trace_options.c, trace_marker.c, trace_pid.c (set_*_pid),
 * trace_clock.c, trace_cmdlines.c, trace_snapshot.c (snapshot, and
 * per_cpu/cpuN/snapshot), trace_stack.c (stack_trace ...),
 * trace_buffer_files.c (tracing_cpumask, buffer_total_size_kb,
 * free_buffer), and probe_events.c (kprobe_events, events/ ...).
 * set_ftrace_filter's function commands are ftrace_func_cmds.c's;
 * enabled_functions and the other views of the fentry sites are
 * ftrace_site_files.c's.
 */
#include <trace/tracefs.h>
#include <trace/tracefs_readme.h>
#include <trace/trace.h>
#include <trace/ftrace.h>
#include <trace/ftrace_func_cmds.h>
#include <trace/trace_clock.h>
#include <kernel/kallsyms.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/time.h>
#include <lib/compiler.h>
#include <lib/ctype.h>
#include <lib/errno.h>
#include <lib/kstrtox.h>
#include <lib/printf.h>
#include <lib/string.h>

struct pfs_node *tracefs_root;

/* The one word a write holds, blanks and newline around it cut, into
 * @buf (@size bytes). 0, or -EINVAL for no word or one too long. */
int tracefs_get_word(const char *text, size_t len, char *buf, size_t size)
{
	size_t start = 0;

	while (len && isspace((unsigned char)text[len - 1]))
		len--;
	while (start < len && isspace((unsigned char)text[start]))
		start++;
	if (start == len || len - start >= size)
		return -EINVAL;
	memcpy(buf, text + start, len - start);
	buf[len - start] = '\0';
	return 0;
}

/* A write of "0" or "1" (echo's newline allowed) into *@on; anything
 * else is -EINVAL. */
int tracefs_get_switch(const char *text, size_t len, bool *on)
{
	unsigned long long val;
	char word[24];

	/* A number, as Linux reads these files (kstrtoul), not a yes/no. */
	if (tracefs_get_word(text, len, word, sizeof(word)) || kstrtoull(word, 10, &val) || val > 1)
		return -EINVAL;
	*on = val == 1;
	return 0;
}

int tracefs_get_bool(const char *text, size_t len, bool *on)
{
	char word[8];

	if (tracefs_get_word(text, len, word, sizeof(word)))
		return -EINVAL;
	return kstrtobool(word, on);
}

/* ---- tracers ---- */

static int tracers_show(struct seq_out *s, void *data __always_unused)
{
	trace_list_tracers(s);
	return 0;
}

static int current_tracer_show(struct seq_out *s, void *data __always_unused)
{
	seq_printf(s, "%s\n", trace_current_tracer());
	return 0;
}

/* current_tracer: a tracer's name. Returns 0, -EINVAL (unknown) or the
 * tracer's start-up error (nop is then current). Tree lock held. */
static int current_tracer_write(const char *text, size_t len, bool append __always_unused,
				void *data __always_unused)
{
	char name[32];

	if (tracefs_get_word(text, len, name, sizeof(name)))
		return -EINVAL;
	return trace_set_tracer(name);
}

static int tracing_on_show(struct seq_out *s, void *data __always_unused)
{
	seq_printf(s, "%d\n", ring_buffer_record_is_on(trace_buffer));
	return 0;
}

/* tracing_on: 0 stops every record (the tracers stay on), any other
 * number resumes (Linux reads it with kstrtoul, so `echo 2` is on). */
static int tracing_on_write(const char *text, size_t len, bool append __always_unused,
			    void *data __always_unused)
{
	unsigned long long val;
	char word[24];

	if (tracefs_get_word(text, len, word, sizeof(word)) || kstrtoull(word, 10, &val))
		return -EINVAL;
	if (val)
		ring_buffer_record_on(trace_buffer);
	else
		ring_buffer_record_off(trace_buffer);
	return 0;
}

/* echo > trace: empty the buffer. */
static int trace_write(const char *text __always_unused, size_t len __always_unused, bool append,
		       void *data __always_unused)
{
	return append ? 0 : trace_clear();
}

/*
 * buffer_size_kb reads back the size each CPU's buffer really has: what
 * was written, rounded up to whole pages, at least two (echo 1 reads back
 * 8), as Linux 6.12 shows it (older kernels showed the request); "X" when
 * per_cpu/cpuN/buffer_size_kb made the CPUs' sizes differ.
 */
static int buffer_size_show(struct seq_out *s, void *data __always_unused)
{
	size_t size = ring_buffer_size(trace_buffer);

	if (size)
		seq_printf(s, "%zu\n", size / 1024);
	else
		seq_puts(s, "X\n");
	return 0;
}

/* The KiB that a write to a buffer_size_kb asks for, or -EINVAL. */
static int buffer_size_parse(const char *text, size_t len, unsigned long long *kb)
{
	char word[24];

	if (tracefs_get_word(text, len, word, sizeof(word)) || kstrtoull(word, 10, kb) ||
	    !*kb || *kb > RING_BUFFER_MAX_BYTES / 1024)
		return -EINVAL;
	return 0;
}

/* buffer_size_kb: every CPU's buffer resized (emptied) to the given KiB.
 * 0, -EINVAL (not 1 .. the maximum), -ENOMEM or -EBUSY. */
static int buffer_size_write(const char *text, size_t len, bool append __always_unused,
			     void *data __always_unused)
{
	unsigned long long kb;

	if (buffer_size_parse(text, len, &kb))
		return -EINVAL;
	return ring_buffer_resize(trace_buffer, kb * 1024);
}

/* ---- per_cpu/cpuN/: each file's data points at its CPU's number ---- */

static unsigned int percpu_ids[RING_BUFFER_MAX_CPUS];

static int data_cpu(void *data)
{
	return (int)*(const unsigned int *)data;
}

static int cpu_trace_show(struct seq_out *s, void *data)
{
	return trace_show_cpu(s, data_cpu(data));
}

/* echo > per_cpu/cpuN/trace empties that CPU's buffer alone. */
static int cpu_trace_write(const char *text __always_unused, size_t len __always_unused,
			   bool append,
			   void *data)
{
	return append ? 0 : ring_buffer_reset_cpu(trace_buffer, (unsigned int)data_cpu(data));
}

static int cpu_trace_pipe_stream(void *data)
{
	return trace_pipe_stream_cpu(data_cpu(data));
}

static int cpu_buffer_size_show(struct seq_out *s, void *data)
{
	seq_printf(s, "%zu\n", ring_buffer_size_cpu(trace_buffer, (unsigned int)data_cpu(data)) / 1024);
	return 0;
}

/* per_cpu/cpuN/buffer_size_kb: that CPU's buffer alone. */
static int cpu_buffer_size_write(const char *text, size_t len, bool append __always_unused,
				 void *data)
{
	unsigned long long kb;

	if (buffer_size_parse(text, len, &kb))
		return -EINVAL;
	return ring_buffer_resize_cpu(trace_buffer, (unsigned int)data_cpu(data), kb * 1024);
}

/* A timestamp as Linux's stats prints it: seconds.microseconds, rounded;
 * a plain count under the counter, uptime and x86-tsc clocks. */
static void print_stats_ts(struct seq_out *s, const char *what, u64 ns)
{
	u64 us = trace_ts_usecs(ns);

	if (!trace_clock_in_ns()) {
		seq_printf(s, "%s: %llu\n", what, (unsigned long long)ns);
		return;
	}
	seq_printf(s, "%s: %5llu.%06llu\n", what, (unsigned long long)(us / TRACE_USEC_PER_SEC),
		   (unsigned long long)(us % TRACE_USEC_PER_SEC));
}

/*
 * per_cpu/cpuN/stats, line for line Linux 6.12's. Loupe's buffer always
 * overwrites and counts every write it refuses in one counter (too large,
 * nested too deep, or no room past an event still being written), shown
 * as dropped events; so commit overrun, which Linux keeps apart for the
 * last of those, is always 0 here. bytes is what the unread events take,
 * headers included; the oldest event's timestamp is 0 when there is none.
 */
static int cpu_stats_show(struct seq_out *s, void *data)
{
	unsigned int cpu = (unsigned int)data_cpu(data);
	struct ring_buffer_stats st;
	u64 oldest = 0;

	ring_buffer_cpu_stats(trace_buffer, cpu, &st);
	if (ring_buffer_oldest_ts(trace_buffer, cpu, &oldest))
		oldest = 0;
	seq_printf(s, "entries: %llu\n", (unsigned long long)st.entries);
	seq_printf(s, "overrun: %llu\n", (unsigned long long)st.overrun);
	seq_printf(s, "commit overrun: %d\n", 0);
	seq_printf(s, "bytes: %llu\n", (unsigned long long)st.bytes);
	print_stats_ts(s, "oldest event ts", oldest);
	print_stats_ts(s, "now ts", trace_clock_shown(trace_clock_read()));
	seq_printf(s, "dropped events: %llu\n", (unsigned long long)st.dropped);
	seq_printf(s, "read events: %llu\n", (unsigned long long)st.read);
	return 0;
}

/* ---- function filters ---- */

static void show_hash(struct seq_out *s, const struct ftrace_hash *h)
{
	unsigned i;

	for (i = 0; h && i < h->count && !seq_interrupted(s); i++)
		seq_printf(s, "%ps\n", (void *)h->ips[i]);
}

/* set_ftrace_filter (@data NULL) or set_ftrace_notrace: Linux's line for
 * an empty set, the functions by name, then (filter only) the function
 * commands. Tree lock held. */
static int filter_show(struct seq_out *s, void *data)
{
	bool is_notrace = data != NULL;

	if (!is_notrace && !trace_ops.filter_hash)
		seq_puts(s, "#### all functions enabled ####\n");
	if (is_notrace && (!trace_ops.notrace_hash || !trace_ops.notrace_hash->count))
		seq_puts(s, "#### no functions disabled ####\n");
	show_hash(s, is_notrace ? trace_ops.notrace_hash : trace_ops.filter_hash);
	if (!is_notrace)
		ftrace_func_cmds_show(s);	/* fib:traceoff:unlimited ... */
	return 0;
}

/*
 * Apply each blank-separated glob of @text: `>` replaces the set, `>>`
 * adds, a leading '!' removes; `echo > set_ftrace_filter` empties it.
 * The globs make one change: if one matches nothing, none takes effect.
 */
static int filter_write(const char *text, size_t len, bool append, void *data)
{
	char *list = kmemdup_nul(text, len);
	int err;

	if (!list)
		return -ENOMEM;
	err = data ? ftrace_set_notrace_list(&trace_ops, list, !append) :
		     ftrace_filter_write_cmds(list, !append);
	kfree(list);
	return err;
}

/* available_filter_functions: every function with a fentry site, in
 * address order. */
static int available_functions_show(struct seq_out *s, void *data __always_unused)
{
	unsigned long ip;
	unsigned i;

	for (i = 0; ftrace_rec_ip(i, &ip) && !seq_interrupted(s); i++)
		seq_printf(s, "%ps\n", (void *)ip);
	return 0;
}

/* ---- the table ---- */

static const struct pfs_file_ops tracers_ops = { .show = tracers_show };
static const struct pfs_file_ops current_tracer_ops = {
	.show = current_tracer_show, .write = current_tracer_write };
static const struct pfs_file_ops tracing_on_ops = {
	.show = tracing_on_show, .write = tracing_on_write };
static const struct pfs_file_ops trace_file_ops = { .show = trace_show, .write = trace_write };
static const struct pfs_file_ops trace_pipe_ops = { .stream = trace_pipe_stream };
static const struct pfs_file_ops buffer_size_ops = {
	.show = buffer_size_show, .write = buffer_size_write };
static const struct pfs_file_ops filter_ops = { .show = filter_show, .write = filter_write };
static const struct pfs_file_ops available_ops = { .show = available_functions_show };

static const struct pfs_file_ops cpu_trace_ops = {
	.show = cpu_trace_show, .write = cpu_trace_write };
static const struct pfs_file_ops cpu_trace_pipe_ops = { .stream = cpu_trace_pipe_stream };
static const struct pfs_file_ops cpu_stats_ops = { .show = cpu_stats_show };
static const struct pfs_file_ops cpu_buffer_size_ops = {
	.show = cpu_buffer_size_show, .write = cpu_buffer_size_write };

static int readme_show(struct seq_out *s, void *data __always_unused)
{
	seq_puts(s, tracefs_readme);
	return 0;
}

static const struct pfs_file_ops readme_ops = { .show = readme_show };

static int notrace_flag = 1;

static const struct {
	const char *name;
	bool writable;
	const struct pfs_file_ops *ops;
	void *data;
} files[] = {
	{ "available_tracers", false, &tracers_ops, NULL },
	{ "current_tracer", true, &current_tracer_ops, NULL },
	{ "tracing_on", true, &tracing_on_ops, NULL },
	{ "trace", true, &trace_file_ops, NULL },
	{ "trace_pipe", false, &trace_pipe_ops, NULL },
	{ "buffer_size_kb", true, &buffer_size_ops, NULL },
	{ "set_ftrace_filter", true, &filter_ops, NULL },
	{ "set_ftrace_notrace", true, &filter_ops, &notrace_flag },
	{ "available_filter_functions", false, &available_ops, NULL },
	{ "README", false, &readme_ops, NULL },
};

static const struct {
	const char *name;
	bool writable;
	const struct pfs_file_ops *ops;
} cpu_files[] = {
	{ "trace", true, &cpu_trace_ops },
	{ "trace_pipe", false, &cpu_trace_pipe_ops },
	{ "stats", false, &cpu_stats_ops },
	{ "buffer_size_kb", true, &cpu_buffer_size_ops },
};

/* per_cpu/cpuN/ for each CPU the trace buffer has, as Linux makes one for
 * each possible CPU. */
static void tracefs_percpu_init(void)
{
	struct pfs_node *per_cpu = pfs_create_dir(tracefs_root, "per_cpu");
	unsigned int cpu, i;

	for (cpu = 0; per_cpu && cpu < ring_buffer_nr_cpus(trace_buffer); cpu++) {
		struct pfs_node *dir;
		char name[16];

		snprintf(name, sizeof(name), "cpu%u", cpu);
		dir = pfs_create_dir(per_cpu, name);
		if (!dir)
			return;
		percpu_ids[cpu] = cpu;
		for (i = 0; i < ARRAY_SIZE(cpu_files); i++)
			pfs_create_file(dir, cpu_files[i].name, cpu_files[i].writable,
					cpu_files[i].ops, &percpu_ids[cpu]);
	}
}

/* Boot (trace_init()): /sys/kernel/tracing, its top-level files, per_cpu/
 * and the debugfs path as a link to the same tree. */
void tracefs_init(void)
{
	unsigned i;

	tracefs_root = pfs_mkdir_p(TRACEFS_PATH);
	if (!tracefs_root)
		return;
	for (i = 0; i < ARRAY_SIZE(files); i++)
		pfs_create_file(tracefs_root, files[i].name, files[i].writable, files[i].ops,
				files[i].data);
	tracefs_percpu_init();
	pfs_link_dir("/sys/kernel/debug/tracing", tracefs_root);
}
