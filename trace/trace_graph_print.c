// SPDX-License-Identifier: MIT
/*
 * function_graph's output, column for column Linux 6.12's:
 *
 *	# CPU  DURATION                  FUNCTION CALLS
 *	# |     |   |                     |   |   |   |
 *	 0)               |  fib() {
 *	 0)   0.551 us    |    fib();
 *	 0) + 12.040 us   |  }
 *
 * A call whose return is the next record of its CPU prints as one line
 * (a leaf); any other prints `{` and, at its return, `}`. The options
 * choose the columns: funcgraph-abstime (the time), funcgraph-cpu,
 * funcgraph-proc (task and pid), funcgraph-duration and
 * funcgraph-overhead (the + ! # marks of long calls); funcgraph-overrun
 * counts, after each `}`, the calls the task's full return stack could
 * not hook (TASK_RET_STACK_DEPTH deep); funcgraph-tail
 * names the function after each `}`, funcgraph-retval shows what it
 * returned (an error code in decimal, anything else in hex, or always
 * in hex with funcgraph-retval-hex).
 *
 * A read keeps a little state for each CPU (graph_print_open()): the task
 * whose records it printed last, to print Linux's marker when another
 * task's records begin, and the function entered at each depth, so that a
 * `}` whose entry was never printed (lost, or not recorded under
 * tracing_thresh) names its function.
 *
 * Any other record - a trace_marker write, a probe event - prints as a
 * C comment in the graph, where a call would be, as on Linux
 * (graph_print_comment()).
 */
#include <trace/trace.h>
#include <trace/trace_graph.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/sched.h>
#include <kernel/time.h>
#include <lib/compiler.h>
#include <lib/printf.h>
#include <lib/string.h>

#define GRAPH_INDENT		2	/* spaces per depth */
#define GRAPH_PROC_WIDTH	14	/* "comm-pid", centred */
#define GRAPH_PROC_COMM		7	/* of the comm, at most */

/* What one CPU's records printed so far say (per read). */
struct graph_cpu_state {
	int last_pid;				/* -1: none yet */
	char last_comm[TRACE_COMM_LEN];
	unsigned long entered[TASK_RET_STACK_DEPTH];	/* open `{` per depth */
	int comment_depth;			/* where a comment goes (Linux's) */
};

/* The longest comment text kept whole; a longer one is cut. */
#define GRAPH_COMMENT_MAX	1024

struct graph_print_state {
	const void *owner;			/* &graph_state_tag: ours */
	char comment[GRAPH_COMMENT_MAX];	/* a comment's text, being printed */
	unsigned int nr_cpus;
	struct graph_cpu_state cpu[];
};

static const char graph_state_tag;

/* The columns and words a line has, from the options, read once a line. */
struct graph_flags {
	bool overrun, abstime, cpu, proc, duration, overhead, tail, retval, retval_hex;
	bool latency;		/* latency-format: the context flags column */
};

/* The funcgraph-* options, read once per line so a line is consistent. */
static void read_flags(struct graph_flags *f)
{
	f->overrun = trace_option_on(TRACE_OPT_FUNCGRAPH_OVERRUN);
	f->abstime = trace_option_on(TRACE_OPT_FUNCGRAPH_ABSTIME);
	f->cpu = trace_option_on(TRACE_OPT_FUNCGRAPH_CPU);
	f->proc = trace_option_on(TRACE_OPT_FUNCGRAPH_PROC);
	f->duration = trace_option_on(TRACE_OPT_FUNCGRAPH_DURATION);
	f->overhead = trace_option_on(TRACE_OPT_FUNCGRAPH_OVERHEAD);
	f->tail = trace_option_on(TRACE_OPT_FUNCGRAPH_TAIL);
	f->retval = trace_option_on(TRACE_OPT_FUNCGRAPH_RETVAL);
	f->retval_hex = trace_option_on(TRACE_OPT_FUNCGRAPH_RETVAL_HEX);
	f->latency = trace_option_on(TRACE_OPT_LATENCY_FMT);
	/* context-info off: the calls alone, no columns (as Linux) */
	if (!trace_option_on(TRACE_OPT_CONTEXT_INFO))
		f->abstime = f->cpu = f->proc = f->duration = f->latency = false;
}

/* ---- per-read state ---- */

/* The state one read of trace keeps per CPU (the last pid, the calls
 * left open); NULL without memory, and lines then print without it. */
void *graph_print_open(void)
{
	unsigned int n = ring_buffer_nr_cpus(trace_buffer), cpu;
	struct graph_print_state *st = kzalloc(sizeof(*st) + n * sizeof(st->cpu[0]));

	if (!st)
		return NULL;
	st->owner = &graph_state_tag;
	st->nr_cpus = n;
	for (cpu = 0; cpu < n; cpu++)
		st->cpu[cpu].last_pid = -1;
	return st;
}

void graph_print_close(void *state)
{
	kfree(state);
}

/* This read's state for @cpu, or NULL (no memory, or another tracer's:
 * the tracer changed while trace_pipe was open). */
static struct graph_cpu_state *cpu_state(const struct trace_print_ctx *ctx, unsigned int cpu)
{
	struct graph_print_state *st = ctx->state;

	if (!st || st->owner != &graph_state_tag || cpu >= st->nr_cpus)
		return NULL;
	return &st->cpu[cpu];
}

/* ---- columns ---- */

static void print_spaces(struct seq_out *s, int n)
{
	while (n-- > 0)
		seq_puts(s, " ");
}

/* " 0) ": as wide as the highest CPU number needs. */
static void print_cpu(struct seq_out *s, unsigned int cpu)
{
	char widest[12];
	int width = snprintf(widest, sizeof(widest), "%u", ring_buffer_nr_cpus(trace_buffer) - 1);

	seq_printf(s, " %*u) ", width, cpu);
}

/* "comm-pid" centred in 14 columns, the comm cut to 7 characters. */
static void print_proc(struct seq_out *s, const char *comm, int pid)
{
	char text[GRAPH_PROC_COMM + 16];
	int len = snprintf(text, sizeof(text), "%.*s-%d", GRAPH_PROC_COMM, comm, pid);
	int pad = len < GRAPH_PROC_WIDTH ? GRAPH_PROC_WIDTH - len : 0;

	print_spaces(s, pad / 2);
	seq_puts(s, text);
	print_spaces(s, pad - pad / 2);
}

/*
 * The marker Linux prints when a CPU's records pass from one task to
 * another (the first record of each CPU in a read prints none):
 *
 *	 ------------------------------------------
 *	 0)   init-1    =>   fib-5
 *	 ------------------------------------------
 */
static void print_task_switch(struct seq_out *s, const struct trace_print_ctx *ctx)
{
	const struct trace_entry *e = (const void *)ctx->rec->data;
	struct graph_cpu_state *cs = cpu_state(ctx, ctx->rec->cpu);
	const char *line = " ------------------------------------------\n";

	if (!cs || cs->last_pid == e->pid)
		return;
	if (cs->last_pid != -1) {
		seq_puts(s, line);
		print_cpu(s, ctx->rec->cpu);
		print_proc(s, cs->last_comm, cs->last_pid);
		seq_puts(s, " => ");
		print_proc(s, trace_record_shown_comm(ctx->rec), e->pid);
		seq_printf(s, "\n%s\n", line);
	}
	cs->last_pid = e->pid;
	strscpy(cs->last_comm, trace_record_shown_comm(ctx->rec), TRACE_COMM_LEN);
}

/* What comes before the duration: the marker, then time, CPU, task. */
static void print_prologue(const struct trace_print_ctx *ctx, const struct graph_flags *f)
{
	const struct trace_entry *e = (const void *)ctx->rec->data;
	struct seq_out *s = ctx->s;

	print_task_switch(s, ctx);
	if (f->abstime) {		/* truncated to the microsecond, as Linux's */
		u64 us = ctx->rec->ts / NSEC_PER_USEC;

		seq_printf(s, "%5llu.%06llu |  ", (unsigned long long)(us / TRACE_USEC_PER_SEC),
			   (unsigned long long)(us % TRACE_USEC_PER_SEC));
	}
	if (f->cpu)
		print_cpu(s, ctx->rec->cpu);
	if (f->proc) {
		print_proc(s, trace_record_shown_comm(ctx->rec), e->pid);
		seq_puts(s, " | ");
	}
	/*
	 * The record's context flags: Linux's entries show the preempt
	 * depth the tracer's callback runs at (`...1.`), its returns
	 * none (`.....`): the return hook runs with preemption on.
	 */
	if (f->latency) {
		seq_puts(s, " ");
		trace_print_context_flags(s, e);
		seq_puts(s, " | ");
	}
}

/* The mark of a long call: strictly more than 10 us '+', 100 us '!',
 * 1 ms '#', 10 ms '*', 100 ms '@', 1 s '$'. */
static char duration_mark(u64 ns)
{
	static const struct { u64 ns; char mark; } marks[] = {
		{ 1000000000ULL, '$' }, { 100000000ULL, '@' }, { 10000000ULL, '*' },
		{ 1000000ULL, '#' }, { 100000ULL, '!' }, { 10000ULL, '+' },
	};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(marks); i++)
		if (ns > marks[i].ns)
			return marks[i].mark;
	return ' ';
}

/*
 * The duration column: the mark, then microseconds with as many digits
 * of nanoseconds as fit in seven digits in all (`0.551 us`,
 * `12345.67 us`), padded to a fixed width, then the bar. With @ns ~0ULL
 * the column is left blank (a call whose return comes later).
 */
static void print_duration(struct seq_out *s, const struct graph_flags *f, u64 ns)
{
	char text[32];
	int len;

	if (!f->duration)
		return;
	if (ns == ~0ULL) {
		seq_puts(s, "              |  ");
		return;
	}
	seq_printf(s, "%c ", f->overhead ? duration_mark(ns) : ' ');
	len = snprintf(text, sizeof(text), "%llu", (unsigned long long)(ns / NSEC_PER_USEC));
	if (len < 7) {
		char frac[4];
		int digits = 7 - len < 3 ? 7 - len : 3;

		snprintf(frac, sizeof(frac), "%03llu", (unsigned long long)(ns % NSEC_PER_USEC));
		frac[digits] = '\0';
		len += snprintf(text + len, sizeof(text) - len, ".%s", frac);
	}
	seq_printf(s, "%s us ", text);
	print_spaces(s, 8 - len);
	seq_puts(s, "|  ");
}

/*
 * funcgraph-retval's value: in decimal when it reads as an error code
 * (-4095..-1, as a long or as an int sign-extended), else in hex.
 */
static void print_retval(struct seq_out *s, unsigned long retval, bool hex)
{
	long err = 0;

	if (retval && !hex) {
		if ((retval & (1UL << 31)) && !(retval >> 32))
			err = (long)(int)retval;	/* an int's error code */
		else
			err = (long)retval;
		if (err < -4095 || err >= 0)
			err = 0;
	}
	if (err)
		seq_printf(s, " = %ld */", err);
	else
		seq_printf(s, " = 0x%lx */", retval);
}

/* ---- lines ---- */

/* Is @next the return of the call @rec entered, by the same task? */
static bool is_matching_return(const struct ring_buffer_record *rec,
			       const struct ring_buffer_record *next)
{
	const struct graph_entry *e = (const void *)rec->data;
	const struct graph_ret_entry *r;

	if (!next)
		return false;
	r = (const void *)next->data;
	return r->ent.type == TRACE_GRAPH_RET && r->ent.pid == e->ent.pid &&
	       r->func == e->func && r->depth == e->depth && next->cpu == rec->cpu;
}

/*
 * Remember (or forget, @func 0) the call open at @depth on this CPU, and
 * where a comment after this line goes: Linux keeps @comment_depth (the
 * call's depth for a `{`, one less after a leaf or a `}`) and indents a
 * comment (depth + 1) steps, or not at all when that is 0.
 */
static void note_entered(const struct trace_print_ctx *ctx, int depth, unsigned long func,
			 int comment_depth)
{
	struct graph_cpu_state *cs = cpu_state(ctx, ctx->rec->cpu);

	if (!cs)
		return;
	cs->comment_depth = comment_depth;
	if (depth >= 0 && depth < TASK_RET_STACK_DEPTH)
		cs->entered[depth] = func;
}

/*
 * A call: "func() {" - or, when the record after it on the same CPU is
 * its own return, the one line "func();" with the duration, as Linux
 * folds a leaf call. The return is then consumed with it.
 */
static void print_graph_entry(struct trace_print_ctx *ctx)
{
	const struct graph_entry *e = (const void *)ctx->rec->data;
	struct seq_out *s = ctx->s;
	struct graph_flags f;

	read_flags(&f);
	print_prologue(ctx, &f);
	if (is_matching_return(ctx->rec, ctx->next)) {	/* a leaf: one line */
		const struct graph_ret_entry *r = (const void *)ctx->next->data;

		note_entered(ctx, e->depth, 0, e->depth - 1);
		print_duration(s, &f, r->rettime - r->calltime);
		print_spaces(s, e->depth * GRAPH_INDENT);
		seq_printf(s, "%ps();", (void *)e->func);
		if (f.retval) {
			seq_puts(s, " /*");
			print_retval(s, r->retval, f.retval_hex);
		}
		seq_puts(s, "\n");
		ctx->consumed_next = true;
		return;
	}
	note_entered(ctx, e->depth, e->func, e->depth);
	print_duration(s, &f, ~0ULL);
	print_spaces(s, e->depth * GRAPH_INDENT);
	seq_printf(s, "%ps() {\n", (void *)e->func);
}

/* `}`, naming the function with funcgraph-tail, with funcgraph-retval, or
 * when this read printed no `{` for it. */
static void print_graph_return(struct trace_print_ctx *ctx)
{
	const struct graph_ret_entry *r = (const void *)ctx->rec->data;
	struct graph_cpu_state *cs = cpu_state(ctx, ctx->rec->cpu);
	bool known = true;
	struct graph_flags f;

	if (cs && r->depth >= 0 && r->depth < TASK_RET_STACK_DEPTH) {
		known = cs->entered[r->depth] == r->func;
		cs->entered[r->depth] = 0;
	}
	if (cs)
		cs->comment_depth = r->depth - 1;
	read_flags(&f);
	print_prologue(ctx, &f);
	print_duration(ctx->s, &f, r->rettime - r->calltime);
	print_spaces(ctx->s, r->depth * GRAPH_INDENT);
	if (f.retval) {
		seq_printf(ctx->s, "} /* %ps", (void *)r->func);
		print_retval(ctx->s, r->retval, f.retval_hex);
	} else if (known && !f.tail) {
		seq_puts(ctx->s, "}");
	} else {
		seq_printf(ctx->s, "} /* %ps */", (void *)r->func);
	}
	seq_puts(ctx->s, "\n");
	if (f.overrun)
		seq_printf(ctx->s, " (Overruns: %u)\n", r->overrun);
}

/*
 * Any record not the graph's own (@body prints its text), as Linux's
 * graph prints it: the line's columns, a blank duration, then the text
 * as a comment, its last newline dropped.
 */
void graph_print_comment(struct trace_print_ctx *ctx, trace_print_fn body)
{
	struct graph_print_state *st = ctx->state;
	struct graph_cpu_state *cs = cpu_state(ctx, ctx->rec->cpu);
	struct seq_out *s = ctx->s, text;
	struct graph_flags f;

	if (!cs) {			/* no state for this read: as without the graph */
		body(ctx);
		return;
	}
	read_flags(&f);
	print_prologue(ctx, &f);
	print_duration(s, &f, ~0ULL);
	if (cs->comment_depth > 0)
		print_spaces(s, (cs->comment_depth + 1) * GRAPH_INDENT);
	seq_puts(s, "/* ");
	text = (struct seq_out){ .buf = st->comment, .size = sizeof(st->comment) };
	ctx->s = &text;
	ctx->bare = true;
	body(ctx);
	ctx->bare = false;
	ctx->s = s;
	if (text.len >= text.size)
		text.len = text.size - 1;
	if (text.len && text.buf[text.len - 1] == '\n')
		text.len--;
	text.buf[text.len] = '\0';
	seq_puts(s, text.buf);
	seq_puts(s, " */\n");
}

/*
 * latency-format's legend of the flags column, shifted right past the
 * time, CPU and task columns the options show (Linux names four of the
 * five columns here; the fifth, migrate-disable, goes unnamed).
 */
static void print_latency_legend(struct seq_out *s, const struct graph_flags *f)
{
	static const char *const legend[] = {
		"  _-----=> irqs-off        ", " / _----=> need-resched    ",
		"| / _---=> hardirq/softirq ", "|| / _--=> preempt-depth   ",
		"||| /                      ",
	};
	int shift = (f->abstime ? 16 : 0) + (f->cpu ? 4 : 0) + (f->proc ? 17 : 0);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(legend); i++) {
		seq_puts(s, "#");
		print_spaces(s, shift);
		seq_printf(s, "%s\n", legend[i]);
	}
}

/* The column heads, for the columns the options show. */
void graph_print_header(struct seq_out *s)
{
	struct graph_flags f;

	read_flags(&f);
	if (f.latency)
		print_latency_legend(s, &f);
	seq_printf(s, "#%s%s%s%s%s               FUNCTION CALLS\n",
		   f.abstime ? "     TIME       " : "", f.cpu ? " CPU" : "",
		   f.proc ? "  TASK/PID       " : "", f.latency ? "||||   " : "",
		   f.duration ? "  DURATION   " : "");
	seq_printf(s, "#%s%s%s%s%s               |   |   |   |\n",
		   f.abstime ? "      |         " : "", f.cpu ? " |  " : "",
		   f.proc ? "   |    |        " : "", f.latency ? "||||   " : "",
		   f.duration ? "   |   |      " : "");
}

void graph_print_init(void)
{
	trace_register_printer(TRACE_GRAPH_ENT, print_graph_entry);
	trace_register_printer(TRACE_GRAPH_RET, print_graph_return);
}
