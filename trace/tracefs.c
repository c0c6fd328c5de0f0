// SPDX-License-Identifier: MIT
/*
 * The files of /sys/kernel/tracing, with Linux's names and behaviour:
 *
 *	available_tracers	current_tracer		tracing_on
 *	trace			trace_pipe		buffer_size_kb
 *	set_ftrace_filter	set_ftrace_notrace	available_filter_functions
 *	enabled_functions
 *
 * A bad write changes nothing and fails with an errno, which the shell's
 * echo prints ("echo: write error: Invalid argument").
 */
#include <trace/tracefs.h>
#include <trace/trace.h>
#include <trace/ftrace.h>
#include <kernel/kallsyms.h>
#include <kernel/mm/kmalloc.h>
#include <lib/ctype.h>
#include <lib/errno.h>
#include <lib/kstrtox.h>
#include <lib/string.h>

struct pfs_node *tracefs_root;

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

/* ---- tracers ---- */

static int tracers_show(struct seq_out *s, void *data)
{
	(void)data;
	trace_list_tracers(s);
	return 0;
}

static int current_tracer_show(struct seq_out *s, void *data)
{
	(void)data;
	seq_printf(s, "%s\n", trace_current_tracer());
	return 0;
}

static int current_tracer_write(const char *text, size_t len, bool append, void *data)
{
	char name[32];

	(void)append;
	(void)data;
	if (tracefs_get_word(text, len, name, sizeof(name)))
		return -EINVAL;
	return trace_set_tracer(name);
}

static int tracing_on_show(struct seq_out *s, void *data)
{
	(void)data;
	seq_printf(s, "%d\n", ring_buffer_record_is_on(trace_buffer));
	return 0;
}

static int tracing_on_write(const char *text, size_t len, bool append, void *data)
{
	char word[8];

	(void)append;
	(void)data;
	if (tracefs_get_word(text, len, word, sizeof(word)))
		return -EINVAL;
	if (!strcmp(word, "1"))
		ring_buffer_record_on(trace_buffer);
	else if (!strcmp(word, "0"))
		ring_buffer_record_off(trace_buffer);
	else
		return -EINVAL;
	return 0;
}

/* echo > trace: empty the buffer. */
static int trace_write(const char *text, size_t len, bool append, void *data)
{
	(void)text;
	(void)len;
	(void)data;
	return append ? 0 : ring_buffer_reset(trace_buffer);
}

/*
 * buffer_size_kb reads back the size each CPU's buffer really has: what
 * was written, rounded up to whole pages, at least two (echo 1 reads back
 * 8), as Linux 6.12 shows it (older kernels showed the request).
 */
static int buffer_size_show(struct seq_out *s, void *data)
{
	(void)data;
	seq_printf(s, "%zu\n", ring_buffer_size(trace_buffer) / 1024);
	return 0;
}

static int buffer_size_write(const char *text, size_t len, bool append, void *data)
{
	char word[24];
	unsigned long long kb;

	(void)append;
	(void)data;
	if (tracefs_get_word(text, len, word, sizeof(word)) || kstrtoull(word, 10, &kb) ||
	    !kb || kb > RING_BUFFER_MAX_BYTES / 1024)
		return -EINVAL;
	return ring_buffer_resize(trace_buffer, kb * 1024);
}

/* ---- function filters ---- */

static void show_hash(struct seq_out *s, const struct ftrace_hash *h)
{
	unsigned i;

	for (i = 0; h && i < h->count && !seq_interrupted(s); i++)
		seq_printf(s, "%ps\n", (void *)h->ips[i]);
}

static int filter_show(struct seq_out *s, void *data)
{
	bool is_notrace = data != NULL;

	if (!is_notrace && !trace_ops.filter_hash)
		seq_puts(s, "#### all functions enabled ####\n");
	show_hash(s, is_notrace ? trace_ops.notrace_hash : trace_ops.filter_hash);
	return 0;
}

/*
 * Apply each blank-separated glob of @text: `>` replaces the set, `>>`
 * adds, a leading '!' removes; `echo > set_ftrace_filter` empties it.
 * The globs make one change: if one matches nothing, none takes effect.
 */
static int filter_write(const char *text, size_t len, bool append, void *data)
{
	char *list = kmalloc(len + 1);
	int err;

	if (!list)
		return -ENOMEM;
	memcpy(list, text, len);
	list[len] = '\0';
	err = data ? ftrace_set_notrace_list(&trace_ops, list, !append) :
		     ftrace_set_filter_list(&trace_ops, list, !append);
	kfree(list);
	return err;
}

static int available_functions_show(struct seq_out *s, void *data)
{
	unsigned long ip;
	unsigned i;

	(void)data;
	for (i = 0; ftrace_rec_ip(i, &ip) && !seq_interrupted(s); i++)
		seq_printf(s, "%ps\n", (void *)ip);
	return 0;
}

static int enabled_functions_show(struct seq_out *s, void *data)
{
	unsigned long ip;
	unsigned i;

	(void)data;
	for (i = 0; ftrace_rec_ip(i, &ip) && !seq_interrupted(s); i++) {
		struct ftrace_site_info info;

		ftrace_site_info(i, &info);
		if (!info.target)
			continue;
		seq_printf(s, "%ps (%u)%s%s\ttramp: %pS", (void *)ip, info.nr_ops,
			   info.regs ? " R" : "", info.ipmodify ? " I" : "", (void *)info.target);
		if (info.nr_ops == 1)
			seq_printf(s, " ->%ps", (void *)info.func);
		seq_puts(s, "\n");
	}
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
static const struct pfs_file_ops enabled_ops = { .show = enabled_functions_show };

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
	{ "enabled_functions", false, &enabled_ops, NULL },
};

void tracefs_init(void)
{
	unsigned i;

	tracefs_root = pfs_mkdir_p(TRACEFS_PATH);
	if (!tracefs_root)
		return;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		pfs_create_file(tracefs_root, files[i].name, files[i].writable, files[i].ops,
				files[i].data);
	pfs_link_dir("/sys/kernel/debug/tracing", tracefs_root);
}
