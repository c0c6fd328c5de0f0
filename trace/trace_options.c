// SPDX-License-Identifier: MIT
/*
 * Tracing options, shown as Linux shows them: the file trace_options lists
 * every option, NAME when it is on and noNAME when it is off, and takes
 * one such word to switch it; the directory options/ has a file per
 * option that reads and takes 1 or 0.
 *
 *	echo nopause-on-trace > trace_options
 *	echo 1 > options/pause-on-trace
 *
 * function_graph's options (funcgraph-*) are listed in trace_options only
 * while it is the current tracer, as Linux lists a tracer's own flags.
 *
 * pause-on-trace: recording pauses while the
 * trace file is read. Under the function tracer the reader's own calls
 * are traced like anyone's; without the pause they would overwrite the
 * records it has yet to print, and the header's counts would not be what
 * it prints. Linux has it off by default (since 5.11, before which
 * reading always paused); here it is on, since a student reads the trace
 * over a slow serial line while every function is traced.
 */
#include <trace/trace.h>
#include <trace/tracefs.h>
#include <trace/trace_graph.h>
#include <lib/errno.h>
#include <lib/string.h>

struct trace_option {
	const char *name;
	bool on;
	/* A tracer's own option (Linux's tracer flags): trace_options lists
	 * and takes it only while that tracer is current; options/NAME
	 * always. NULL: a global option. */
	const char *tracer;
	void (*changed)(bool on);	/* told after each write, or NULL */
};

#define FUNCGRAPH	.tracer = "function_graph"

static struct trace_option options[TRACE_OPT_MAX] = {
	[TRACE_OPT_PAUSE_ON_TRACE] = { "pause-on-trace", true },
	[TRACE_OPT_FUNCTION_FORK] = { "function-fork", false },
	[TRACE_OPT_EVENT_FORK] = { "event-fork", false },
	[TRACE_OPT_FUNCGRAPH_OVERRUN] = { "funcgraph-overrun", false, FUNCGRAPH },
	[TRACE_OPT_FUNCGRAPH_CPU] = { "funcgraph-cpu", true, FUNCGRAPH },
	[TRACE_OPT_FUNCGRAPH_OVERHEAD] = { "funcgraph-overhead", true, FUNCGRAPH },
	[TRACE_OPT_FUNCGRAPH_PROC] = { "funcgraph-proc", false, FUNCGRAPH },
	[TRACE_OPT_FUNCGRAPH_DURATION] = { "funcgraph-duration", true, FUNCGRAPH },
	[TRACE_OPT_FUNCGRAPH_ABSTIME] = { "funcgraph-abstime", false, FUNCGRAPH },
	[TRACE_OPT_FUNCGRAPH_IRQS] = { "funcgraph-irqs", true, FUNCGRAPH,
				       .changed = graph_irqs_option_changed },
	[TRACE_OPT_FUNCGRAPH_TAIL] = { "funcgraph-tail", false, FUNCGRAPH },
	[TRACE_OPT_FUNCGRAPH_RETVAL] = { "funcgraph-retval", false, FUNCGRAPH },
	[TRACE_OPT_FUNCGRAPH_RETVAL_HEX] = { "funcgraph-retval-hex", false, FUNCGRAPH },
};

/* Does trace_options show @opt now (a tracer's: while it is current)? */
static bool option_listed(const struct trace_option *opt)
{
	return !opt->tracer || !strcmp(opt->tracer, trace_current_tracer());
}

static void option_set(struct trace_option *opt, bool on)
{
	WRITE_ONCE(opt->on, on);
	if (opt->changed)
		opt->changed(on);
}

bool trace_option_on(enum trace_option_id id)
{
	return READ_ONCE(options[id].on);
}

/* The global options, then the current tracer's, as Linux lists them. */
static int trace_options_show(struct seq_out *s, void *data)
{
	unsigned pass, i;

	(void)data;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < TRACE_OPT_MAX; i++)
			if (!options[i].tracer == !pass && option_listed(&options[i]))
				seq_printf(s, "%s%s\n", options[i].on ? "" : "no", options[i].name);
	return 0;
}

/* "NAME" turns the option on, "noNAME" off; anything else is -EINVAL. */
static int trace_options_write(const char *text, size_t len, bool append, void *data)
{
	char word[32];
	const char *name = word;
	bool on = true;
	unsigned i;

	(void)append;
	(void)data;
	if (tracefs_get_word(text, len, word, sizeof(word)))
		return -EINVAL;
	if (!strncmp(word, "no", 2)) {
		name += 2;
		on = false;
	}
	for (i = 0; i < TRACE_OPT_MAX; i++) {
		if (!strcmp(name, options[i].name) && option_listed(&options[i])) {
			option_set(&options[i], on);
			return 0;
		}
	}
	return -EINVAL;
}

/* options/NAME: the option @data points to, as 1 or 0. */
static int option_file_show(struct seq_out *s, void *data)
{
	const struct trace_option *opt = data;

	seq_printf(s, "%d\n", opt->on);
	return 0;
}

static int option_file_write(const char *text, size_t len, bool append, void *data)
{
	struct trace_option *opt = data;
	bool on;

	(void)append;
	if (tracefs_get_switch(text, len, &on))
		return -EINVAL;
	option_set(opt, on);
	return 0;
}

static const struct pfs_file_ops trace_options_ops = {
	.show = trace_options_show, .write = trace_options_write };
static const struct pfs_file_ops option_file_ops = {
	.show = option_file_show, .write = option_file_write };

void trace_options_init(struct pfs_node *tracefs)
{
	struct pfs_node *dir;
	unsigned i;

	if (!tracefs)
		return;
	pfs_create_file(tracefs, "trace_options", true, &trace_options_ops, NULL);
	dir = pfs_create_dir(tracefs, "options");
	for (i = 0; dir && i < TRACE_OPT_MAX; i++)
		pfs_create_file(dir, options[i].name, true, &option_file_ops, &options[i]);
}
