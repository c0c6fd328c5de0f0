// SPDX-License-Identifier: MIT
/*
 * Tracing options, shown as Linux shows them: the file trace_options lists
 * every option, NAME when it is on and noNAME when it is off, and takes
 * one such word to switch it; the directory options/ has a file per
 * option that reads and takes 1 or 0.
 *
 *	echo nopause-on-trace > trace_options
 *	echo 1 > options/func_stack_trace
 *
 * The table below is every option, one line each, in Linux's order. An
 * option belongs to the core (every tracer honours it) or to one tracer:
 * a tracer's options are listed in trace_options, and taken there, only
 * while that tracer is current; their options/ files are always there
 * (Linux makes the files of every tracer's options at boot).
 *
 * Whoever honours an option reads it with trace_option_on(); an option
 * that must act at once when switched (overwrite changes the ring
 * buffer, func_stack_trace the function tracer's callback) has a set()
 * hook, called before the change, which may refuse it.
 *
 * function_graph's options (funcgraph-*) are that tracer's own.
 *
 * pause-on-trace: recording pauses while the trace file is read. Under
 * the function tracer the reader's own calls are traced like anyone's;
 * without the pause they would overwrite the records it has yet to
 * print, and the header's counts would not be what it prints. Linux has
 * it off by default (since 5.11, before which reading always paused);
 * here it is on, since a student reads the trace over a slow serial line
 * while every function is traced.
 */
#include <trace/trace.h>
#include <trace/tracefs.h>
#include <trace/trace_graph.h>
#include <lib/errno.h>
#include <lib/string.h>

#define FUNCGRAPH	"function_graph"

struct trace_option trace_options[TRACE_OPT_MAX] = {
	/*				   name			on	tracer		set */
	[TRACE_OPT_PRINT_PARENT]	= { "print-parent",	true },
	[TRACE_OPT_SYM_OFFSET]		= { "sym-offset",	false },
	[TRACE_OPT_SYM_ADDR]		= { "sym-addr",		false },
	[TRACE_OPT_CONTEXT_INFO]	= { "context-info",	true },
	[TRACE_OPT_LATENCY_FMT]		= { "latency-format",	false },
	[TRACE_OPT_RECORD_CMD]		= { "record-cmd",	true },
	[TRACE_OPT_OVERWRITE]		= { "overwrite",	true,	NULL,		trace_set_overwrite },
	[TRACE_OPT_IRQ_INFO]		= { "irq-info",		true },
	[TRACE_OPT_MARKERS]		= { "markers",		true },	/* trace_marker.c */
	[TRACE_OPT_PAUSE_ON_TRACE]	= { "pause-on-trace",	true },
	[TRACE_OPT_STACKTRACE]		= { "stacktrace",	false,	NULL,		trace_set_event_stacktrace },
	[TRACE_OPT_FUNCTION_FORK]	= { "function-fork",	false },	/* trace_pid.c */
	[TRACE_OPT_EVENT_FORK]		= { "event-fork",	false },
	[TRACE_OPT_FUNC_STACK_TRACE]	= { "func_stack_trace",	false,	"function",	function_set_stack_trace },
	/* function_graph's (trace_graph_print.c) */
	[TRACE_OPT_FUNCGRAPH_OVERRUN]	= { "funcgraph-overrun",	false,	FUNCGRAPH },
	[TRACE_OPT_FUNCGRAPH_CPU]	= { "funcgraph-cpu",		true,	FUNCGRAPH },
	[TRACE_OPT_FUNCGRAPH_OVERHEAD]	= { "funcgraph-overhead",	true,	FUNCGRAPH },
	[TRACE_OPT_FUNCGRAPH_PROC]	= { "funcgraph-proc",		false,	FUNCGRAPH },
	[TRACE_OPT_FUNCGRAPH_DURATION]	= { "funcgraph-duration",	true,	FUNCGRAPH },
	[TRACE_OPT_FUNCGRAPH_ABSTIME]	= { "funcgraph-abstime",	false,	FUNCGRAPH },
	[TRACE_OPT_FUNCGRAPH_IRQS]	= { "funcgraph-irqs",		true,	FUNCGRAPH,	graph_irqs_option_set },
	[TRACE_OPT_FUNCGRAPH_TAIL]	= { "funcgraph-tail",		false,	FUNCGRAPH },
	[TRACE_OPT_FUNCGRAPH_RETVAL]	= { "funcgraph-retval",		false,	FUNCGRAPH },
	[TRACE_OPT_FUNCGRAPH_RETVAL_HEX] = { "funcgraph-retval-hex",	false,	FUNCGRAPH },
};

union trace_event_checks trace_event_checks;

/* stacktrace: probe events' hits look at it through trace_event_checks. */
int trace_set_event_stacktrace(bool on)
{
	WRITE_ONCE(trace_event_checks.stacktrace, on);
	return 0;
}

/* Is @opt one that trace_options shows and takes now? */
static bool option_listed(const struct trace_option *opt)
{
	return !opt->tracer || !strcmp(opt->tracer, trace_current_tracer());
}

/* Switch @opt to @on: its set() hook first, which may refuse. */
static int option_set(struct trace_option *opt, bool on)
{
	int err;

	if (READ_ONCE(opt->on) == on)
		return 0;
	err = opt->set ? opt->set(on) : 0;
	if (!err)
		WRITE_ONCE(opt->on, on);
	return err;
}

/* The global options, then the current tracer's, as Linux lists them. */
static int trace_options_show(struct seq_out *s, void *data __always_unused)
{
	unsigned pass, i;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < TRACE_OPT_MAX; i++)
			if (!trace_options[i].tracer == !pass && option_listed(&trace_options[i]))
				seq_printf(s, "%s%s\n", trace_options[i].on ? "" : "no",
					   trace_options[i].name);
	return 0;
}

/*
 * "NAME" turns the option on, "noNAME" off. -EINVAL for a name that is
 * not listed now (no such option, or another tracer's).
 */
static int trace_options_write(const char *text, size_t len, bool append __always_unused,
			       void *data __always_unused)
{
	char word[32];
	const char *name = word;
	bool on = true;
	unsigned i;

	if (tracefs_get_word(text, len, word, sizeof(word)))
		return -EINVAL;
	if (!strncmp(word, "no", 2)) {
		name += 2;
		on = false;
	}
	for (i = 0; i < TRACE_OPT_MAX; i++)
		if (!strcmp(name, trace_options[i].name) && option_listed(&trace_options[i]))
			return option_set(&trace_options[i], on);
	return -EINVAL;
}

/* options/NAME: the option @data points to, as 1 or 0. */
static int option_file_show(struct seq_out *s, void *data)
{
	const struct trace_option *opt = data;

	seq_printf(s, "%d\n", READ_ONCE(opt->on));
	return 0;
}

/* A number, 0 or 1, as Linux's options/ files take (kstrtoul, base 10). */
static int option_file_write(const char *text, size_t len, bool append __always_unused, void *data)
{
	bool on;

	if (tracefs_get_switch(text, len, &on))
		return -EINVAL;
	return option_set(data, on);
}

static const struct pfs_file_ops trace_options_ops = {
	.show = trace_options_show, .write = trace_options_write };
static const struct pfs_file_ops option_file_ops = {
	.show = option_file_show, .write = option_file_write };

/* Boot: trace_options, and options/ with a 0/1 file per option. */
void trace_options_init(struct pfs_node *tracefs)
{
	struct pfs_node *dir;
	unsigned i;

	if (!tracefs)
		return;
	pfs_create_file(tracefs, "trace_options", true, &trace_options_ops, NULL);
	dir = pfs_create_dir(tracefs, "options");
	for (i = 0; dir && i < TRACE_OPT_MAX; i++)
		pfs_create_file(dir, trace_options[i].name, true, &option_file_ops, &trace_options[i]);
}
