/* SPDX-License-Identifier: MIT */
/*
 * What the function_graph tracer's files share among themselves (not for
 * other subsystems): trace_graph.c records calls and returns,
 * trace_graph_print.c turns the records into Linux's call graph, and
 * trace_graph_files.c holds the controls a person sets in tracefs:
 *
 *	set_graph_function	graph only these functions and what they call
 *	set_graph_notrace	graph neither these functions nor what they call
 *	max_graph_depth		graph calls no deeper than this (0: any depth)
 *	tracing_thresh		record only calls that took this long (us)
 *
 * and the option funcgraph-irqs (off: no calls made in a hard interrupt).
 */
#ifndef TRACE_TRACE_GRAPH_H
#define TRACE_TRACE_GRAPH_H

#include <lib/types.h>
#include <trace/ftrace.h>

/*
 * Which controls are set, one bit each, in graph_gate. The entry hook
 * reads graph_gate alone while it is 0 (no control set), so an unused
 * control costs the hit path nothing but that one test.
 */
enum {
	GRAPH_GATE_FUNCS	= 1 << 0,	/* set_graph_function is not empty */
	GRAPH_GATE_NOTRACE	= 1 << 1,	/* set_graph_notrace is not empty */
	GRAPH_GATE_DEPTH	= 1 << 2,	/* max_graph_depth is not 0 */
	GRAPH_GATE_THRESH	= 1 << 3,	/* tracing_thresh is not 0 */
	GRAPH_GATE_NO_IRQS	= 1 << 4,	/* funcgraph-irqs is off */
};
extern unsigned int graph_gate;

/* The controls' values; each is published before its gate bit is set. */
extern struct ftrace_hash *graph_funcs;		/* RCU: set_graph_function */
extern struct ftrace_hash *graph_notrace;	/* RCU: set_graph_notrace */
extern unsigned int graph_max_depth;
extern u64 graph_thresh_ns;

/* Set or clear one gate bit (files and options, task context). */
void graph_gate_set(unsigned int bit, bool on);
/* options/funcgraph-irqs was written (trace_options.c calls this). */
int graph_irqs_option_set(bool on);

/* task_struct::graph_flags: where the task is, for the controls. */
enum {
	GRAPH_TASK_IN_FUNC	= 1 << 0,	/* inside a set_graph_function call */
	GRAPH_TASK_IN_FUNC_IRQ	= 1 << 1,	/* ... that began in a hard interrupt */
	GRAPH_TASK_NOTRACE	= 1 << 2,	/* inside a set_graph_notrace call */
};

/* Create the control files in the tracefs root (trace_graph_files.c). */
void graph_files_init(void);

/* Printing (trace_graph_print.c). */
void graph_print_init(void);
void graph_print_header(struct seq_out *s);
void *graph_print_open(void);
void graph_print_close(void *state);
void graph_print_comment(struct trace_print_ctx *ctx, trace_print_fn body);

#endif /* TRACE_TRACE_GRAPH_H */
