// SPDX-License-Identifier: MIT
/*
 * The tracing core (see trace.h): the trace buffer, switching tracers,
 * and turning records into text for `cat trace` (a non-consuming walk,
 * with a header) and `cat trace_pipe` (consuming, until Ctrl-C) - of
 * every CPU merged in time order, or of one CPU (per_cpu/cpuN/).
 */
#include <trace/trace.h>
#include <trace/ftrace.h>
#include <kernel/console.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/nokprobe.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/shell_io.h>
#include <kernel/smp.h>
#include <trace/tracefs.h>
#include <trace/trace_clock.h>
#include <trace/trace_graph.h>
#include <trace/kprobes.h>
#include <trace/probe_events.h>
#include <kernel/time.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>

struct ring_buffer *trace_buffer;
struct ftrace_ops trace_ops = { .flags = FTRACE_OPS_FL_RECURSION };
static trace_print_fn printers[TRACE_TYPE_MAX];

extern const struct tracer *const __start_tracers[], *const __stop_tracers[];
static const struct tracer *current_tracer;

/* ---- recording ---- */

/* The name records show before the first task exists (trace_reserve()). */
const char trace_boot_comm[TRACE_COMM_LEN] = "<boot>";

_Static_assert(TRACE_COMM_LEN == TASK_COMM_LEN, "the record's name trailer is task_struct::comm");

void trace_register_printer(enum trace_type type, trace_print_fn print)
{
	if (type < TRACE_TYPE_MAX)
		printers[type] = print;
}

/* ---- printing ---- */

/* When the buffer was last emptied: latency-format times count from it. */
static u64 trace_time_start;

/* echo > trace: empty every CPU's buffer; the latency format's times
 * count from here. 0 or -EBUSY (a reader holds the buffer). */
int trace_clear(void)
{
	int err = ring_buffer_reset(trace_buffer);

	if (!err)
		trace_time_start = trace_clock_ns();
	return err;
}

/* An address as the options ask: "fib" or "fib+0x9/0x36" (sym-offset),
 * plus " <ffffffff...>" with sym-addr; "0" for none, as Linux prints. */
void trace_print_sym(struct seq_out *s, unsigned long addr)
{
	if (!addr) {
		seq_puts(s, "0");
		return;
	}
	if (trace_option_on(TRACE_OPT_SYM_OFFSET))
		seq_printf(s, "%pS", (void *)addr);
	else
		seq_printf(s, "%ps", (void *)addr);
	if (trace_option_on(TRACE_OPT_SYM_ADDR))
		seq_printf(s, " <%016lx>", addr);
}

/*
 * Linux's five flag columns, from the record's common flags:
 *
 *	irqs-off	d: interrupts were off, else .
 *	need-resched	N: a reschedule was due on the CPU (Loupe has one
 *			flag where Linux has two, the task's and the one
 *			folded into preempt_count; on x86 Linux sets both,
 *			and prints N for both), else .
 *	hardirq/softirq	Z: NMI inside a hard interrupt, z: NMI (and the
 *			int3/debug trap path), H: hard interrupt inside a
 *			soft one, h: hard interrupt, s: soft, else .
 *	preempt-depth	preempt_disable() nesting in hex, at most f, or .
 *	migrate-disable	always . : Loupe never migrates a task, so nothing
 *			disables migration
 */
void trace_print_context_flags(struct seq_out *s, const struct trace_entry *e)
{
	unsigned int depth = e->preempt_count & 0xf;
	bool nmi = e->flags & TRACE_FLAG_NMI, hard = e->flags & TRACE_FLAG_HARDIRQ;
	bool soft = e->flags & TRACE_FLAG_SOFTIRQ;
	char irq = nmi && hard ? 'Z' : nmi ? 'z' : hard && soft ? 'H' : hard ? 'h' : soft ? 's' : '.';

	seq_printf(s, "%c%c%c%c.", e->flags & TRACE_FLAG_IRQS_OFF ? 'd' : '.',
		   e->flags & TRACE_FLAG_NEED_RESCHED ? 'N' : '.', irq,
		   depth ? "0123456789abcdef"[depth] : '.');
}

/*
 * The name a record shows, as Linux's trace_find_cmdline(): "<idle>" for
 * pid 0 (every CPU's idle task), "<...>" when record-cmd was off.
 */
const char *trace_record_shown_comm(const struct ring_buffer_record *rec)
{
	const struct trace_entry *e = (const void *)rec->data;
	const char *comm = trace_record_comm(rec);

	if (!e->pid)
		return "<idle>";
	return comm[0] ? comm : "<...>";
}

/*
 * Latency-format time: microseconds since the buffer was emptied, and a
 * mark for the gap to the next record ('+' over 10 us, '!' over 100 us,
 * '#' over 1 ms, '*' over 10 ms, '@' over 100 ms, '$' over 1 s).
 */
static char latency_mark(u64 gap_ns)
{
	static const struct { u64 ns; char mark; } marks[] = {
		{ 1000000000ULL, '$' }, { 100000000ULL, '@' }, { 10000000ULL, '*' },
		{ 1000000ULL, '#' }, { 100000ULL, '!' }, { 10000ULL, '+' },
	};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(marks); i++)
		if (gap_ns > marks[i].ns)
			return marks[i].mark;
	return ' ';
}

/* The latency-format columns: comm-pid, CPU, the flag columns, the time
 * since the buffer was emptied and the gap mark to @next_ts. */
static void print_latency_prefix(struct seq_out *s, const struct ring_buffer_record *rec,
				 u64 next_ts)
{
	const struct trace_entry *e = (const void *)rec->data;
	u64 since = rec->ts > trace_time_start ? rec->ts - trace_time_start : 0;
	u64 gap = next_ts > rec->ts ? next_ts - rec->ts : 0;

	seq_printf(s, "%8.8s-%-7d %3u", trace_record_shown_comm(rec), e->pid, rec->cpu);
	trace_print_context_flags(s, e);
	seq_printf(s, " %4lluus%c: ", (unsigned long long)trace_ts_usecs(since),
		   latency_mark(trace_ts_usecs(gap) * NSEC_PER_USEC));
}

/* The columns every line of trace starts with: comm-pid [CPU], the flags
 * with irq-info, and the timestamp - or the latency format's. */
static void print_prefix(struct seq_out *s, const struct ring_buffer_record *rec, u64 next_ts)
{
	const struct trace_entry *e = (const void *)rec->data;

	if (!trace_option_on(TRACE_OPT_CONTEXT_INFO))
		return;			/* the record's text alone */
	if (trace_option_on(TRACE_OPT_LATENCY_FMT)) {
		print_latency_prefix(s, rec, next_ts);
		return;
	}
	seq_printf(s, "%16.16s-%-7d [%03u] ", trace_record_shown_comm(rec), e->pid, rec->cpu);
	if (trace_option_on(TRACE_OPT_IRQ_INFO))
		trace_print_context_flags(s, e);
	seq_puts(s, " ");
	trace_clock_print_ts(s, rec->ts);	/* seconds, or a count (trace_clock) */
}

void trace_print_prefix(struct seq_out *s, const struct ring_buffer_record *rec)
{
	print_prefix(s, rec, rec->ts);
}

void trace_print_ctx_prefix(struct trace_print_ctx *ctx)
{
	if (ctx->bare)
		return;
	print_prefix(ctx->s, ctx->rec, ctx->next_ts);
}

/* A stack trace record, as Linux prints one: each caller on a line. */
static void print_stack(struct trace_print_ctx *ctx)
{
	const struct stack_entry *e = (const void *)ctx->rec->data;
	unsigned i;

	trace_print_ctx_prefix(ctx);
	seq_puts(ctx->s, "<stack trace>\n");
	for (i = 0; i < e->nr && !seq_interrupted(ctx->s); i++) {
		seq_puts(ctx->s, " => ");
		trace_print_sym(ctx->s, e->caller[i]);
		seq_puts(ctx->s, "\n");
	}
}

/* Print one record with its type's printer; a record too short for its
 * header, or of a type nobody prints, says so on its line. */
static void print_record(struct trace_print_ctx *ctx)
{
	const struct trace_entry *e = (const void *)ctx->rec->data;

	/* Types past the tracers' are the ids of probe events. */
	enum trace_type type = e->type < TRACE_TYPE_MAX ? e->type : TRACE_PROBE;

	if (ctx->rec->len >= sizeof(*e) + TRACE_COMM_LEN && printers[type]) {
		/* function_graph shows a marker or an event as a comment */
		if (current_tracer && current_tracer->print_other &&
		    !(current_tracer->own_types & (1u << type)))
			current_tracer->print_other(ctx, printers[type]);
		else
			printers[type](ctx);
		return;
	}
	trace_print_prefix(ctx->s, ctx->rec);
	seq_printf(ctx->s, "<unknown record type %u>\n", e->type);
}

/*
 * The header of @rb (the buffer, or the snapshot): the tracer's name, then the tracer's own header if it has
 * one (function_graph), else the default: the counts and the columns,
 * or latency-format's.
 */
static void print_header(struct seq_out *s, struct ring_buffer *rb)
{
	bool latency = trace_option_on(TRACE_OPT_LATENCY_FMT);

	seq_printf(s, "# tracer: %s\n#\n", trace_current_tracer());
	/* Without context-info the lines have no columns to head; and
	 * latency-format prints nothing more over an empty buffer. As Linux. */
	if (!trace_option_on(TRACE_OPT_CONTEXT_INFO) || (latency && trace_buffer_is_empty(rb)))
		return;
	if (current_tracer && current_tracer->print_header) {
		if (latency)
			trace_print_latency_info(s, rb);
		current_tracer->print_header(s);
	} else if (latency) {
		trace_print_latency_header(s, rb);
	} else {
		trace_print_event_info(s, rb);
		trace_print_columns_header(s);
	}
}

/* Where records come from: a non-consuming walk, or the consuming reader. */
struct record_source {
	struct ring_buffer *rb;			/* trace_buffer, or the snapshot */
	struct ring_buffer_iter *iter;		/* NULL: consume */
	int cpu;				/* consume: TRACE_ALL_CPUS or one */
};

/* The next record from @src: a walk's next, or one taken out of the
 * buffer. False when there is none (or on an error). */
static bool next_record(struct record_source *src, struct ring_buffer_record *rec)
{
	if (src->iter)
		return !ring_buffer_iter_next(src->iter, rec);
	if (src->cpu == TRACE_ALL_CPUS)
		return !ring_buffer_consume_next(src->rb, rec);
	return !ring_buffer_consume(src->rb, (unsigned int)src->cpu, rec);
}

/*
 * The records being printed, oldest first, with a look-ahead.
 * Printing one record may want the next record *of the same CPU*
 * (function_graph folds a call and its return into one line, as Linux
 * does), and in the merged order that record can come after records of
 * other CPUs - many of them, when the CPU that made the call was held up
 * (on a host with fewer free CPUs than the guest has, for milliseconds)
 * while another kept recording. A walk (cat trace) looks at that CPU's
 * own part of the walk (ring_buffer_iter_peek_cpu()), however far ahead;
 * a consuming read (trace_pipe) reads ahead as far as it must, up to
 * WINDOW_RECORDS, and keeps what it read for its turn: every CPU's
 * records stay in their order, and the merge in time order. Slots are
 * allocated as the window first reaches them, so a trace whose CPUs do
 * not interleave costs two.
 */
#define WINDOW_RECORDS	1024

struct record_window {
	struct record_source *src;
	struct ring_buffer_record **slot;	/* a ring of WINDOW_RECORDS */
	unsigned first, count;
	const struct tracer *opened;		/* whose state this read keeps */
	void *state;				/* ... from its open(), or NULL */
	struct ring_buffer_record *peek;	/* a walk's look past the window */
};

static struct ring_buffer_record **window_slot(struct record_window *w, unsigned i)
{
	return &w->slot[(w->first + i) % WINDOW_RECORDS];
}

/* The @i-th record in the window (0: the next to print). */
static struct ring_buffer_record *window_at(struct record_window *w, unsigned i)
{
	return *window_slot(w, i);
}

/* Read one more record into the window; false if full or dry. */
static bool window_grow(struct record_window *w)
{
	struct ring_buffer_record **slot = window_slot(w, w->count);

	if (w->count == WINDOW_RECORDS)
		return false;
	if (!*slot)
		*slot = kmalloc(sizeof(**slot));	/* ~1 KiB: not on the stack */
	if (!*slot || !next_record(w->src, *slot))
		return false;
	w->count++;
	return true;
}

/* Where the next record of @cpu after the first is: 1.., or 0 if none. */
static unsigned window_find_cpu(struct record_window *w, unsigned int cpu)
{
	unsigned i;

	for (i = 1; i < w->count || (!w->src->iter && window_grow(w)); i++)
		if (window_at(w, i)->cpu == cpu)
			return i;
	return 0;
}

/*
 * The next record of @cpu after the first, for a walk (cat trace): in the
 * window, or else the next that @cpu's part of the walk holds, however
 * many records of other CPUs come before it in time - read into w->peek
 * without taking it from the walk. NULL if @cpu has no more.
 */
static struct ring_buffer_record *window_next_of_cpu(struct record_window *w, unsigned int cpu,
						     unsigned *at)
{
	*at = window_find_cpu(w, cpu);
	if (*at)
		return window_at(w, *at);
	if (!w->src->iter)
		return NULL;
	if (!w->peek)
		w->peek = kmalloc(sizeof(*w->peek));
	if (!w->peek || ring_buffer_iter_peek_cpu(w->src->iter, cpu, w->peek))
		return NULL;
	return w->peek;
}

/* Take record @i out (0: the first), keeping the others in order. */
static void window_drop(struct record_window *w, unsigned i)
{
	struct ring_buffer_record *gone = window_at(w, i);

	if (i == 0) {			/* the usual case: no shuffle */
		w->first = (w->first + 1) % WINDOW_RECORDS;
		w->count--;
		return;
	}
	for (; i + 1 < w->count; i++)
		*window_slot(w, i) = window_at(w, i + 1);
	*window_slot(w, w->count - 1) = gone;	/* free again */
	w->count--;
}

/* A window, and the current tracer's state for this read if it keeps one
 * (without memory for it the tracer prints as it can, as Linux's does). */
static int window_init(struct record_window *w, struct record_source *src)
{
	*w = (struct record_window){ .src = src };
	w->slot = kcalloc(WINDOW_RECORDS, sizeof(*w->slot));
	if (!w->slot)
		return -ENOMEM;
	if (current_tracer && current_tracer->open) {
		w->opened = current_tracer;
		w->state = current_tracer->open();
	}
	return 0;
}

/* Close the tracer's read state and free the window's records. */
static void window_free(struct record_window *w)
{
	unsigned i;

	if (w->opened && w->state)
		w->opened->close(w->state);
	for (i = 0; i < WINDOW_RECORDS; i++)
		kfree(w->slot[i]);
	kfree(w->slot);
	kfree(w->peek);
}

/*
 * Print records until the source runs dry or Ctrl-C, each with the next
 * record of its CPU in view. Returns true if at least one was printed.
 */
static bool print_records(struct seq_out *s, struct record_window *w)
{
	bool printed = false;

	while (!seq_interrupted(s) && (w->count || window_grow(w))) {
		struct trace_print_ctx ctx = { .s = s, .state = w->state };
		unsigned next;

		if (w->count < 2)
			window_grow(w);		/* next_ts: the next record, any CPU's */
		ctx.rec = window_at(w, 0);
		ctx.next = window_next_of_cpu(w, ctx.rec->cpu, &next);
		ctx.next_ts = w->count > 1 ? window_at(w, 1)->ts : ctx.rec->ts;
		print_record(&ctx);
		printed = true;
		if (ctx.consumed_next && next)
			window_drop(w, next);
		else if (ctx.consumed_next)	/* the walk's own, peeked */
			ring_buffer_iter_skip_cpu(w->src->iter, ctx.rec->cpu);
		window_drop(w, 0);
	}
	return printed;
}

/* The records of @cpu (or all CPUs) in @rb, oldest first, left in place. */
static int show_records(struct seq_out *s, struct ring_buffer *rb, int cpu)
{
	struct record_source src = { .rb = rb, .cpu = cpu };
	struct record_window w;
	int err = window_init(&w, &src);

	if (err)
		return err;
	src.iter = cpu == TRACE_ALL_CPUS ? ring_buffer_iter_start(rb) :
		   ring_buffer_iter_start_cpu(rb, (unsigned int)cpu);
	if (IS_ERR(src.iter)) {
		err = (int)PTR_ERR(src.iter);
	} else {
		print_records(s, &w);
		ring_buffer_iter_end(src.iter);
	}
	window_free(&w);
	return err;
}

int trace_show_buffer(struct seq_out *s, struct ring_buffer *rb, int cpu)
{
	print_header(s, rb);
	return show_records(s, rb, cpu);
}

/*
 * cat trace (@cpu TRACE_ALL_CPUS) or per_cpu/cpuN/trace (@cpu N): the
 * header, then the records. With pause-on-trace (the default) nothing is
 * recorded meanwhile, as on Linux: the reader's own traced calls would
 * overwrite what it has yet to print, and the header's counts are then
 * exactly the records `cat trace` prints.
 */
int trace_show_cpu(struct seq_out *s, int cpu)
{
	bool pause = trace_option_on(TRACE_OPT_PAUSE_ON_TRACE);
	int err;

	if (!trace_buffer)
		return -ENODEV;
	if (pause)
		ring_buffer_record_pause(trace_buffer);
	err = trace_show_buffer(s, trace_buffer, cpu);
	if (pause)
		ring_buffer_record_resume(trace_buffer);
	return err;
}

int trace_show(struct seq_out *s, void *unused __always_unused)
{
	return trace_show_cpu(s, TRACE_ALL_CPUS);
}

/*
 * cat trace_pipe (@cpu TRACE_ALL_CPUS) or per_cpu/cpuN/trace_pipe: take
 * records off as they come and print them, until Ctrl-C; wait a little
 * whenever there is nothing to take.
 */
int trace_pipe_stream_cpu(int cpu)
{
	struct record_source src = { .rb = trace_buffer, .iter = NULL, .cpu = cpu };
	struct seq_out s = { 0 };
	struct record_window w;

	if (!trace_buffer)
		return -ENODEV;
	if (window_init(&w, &src))
		return -ENOMEM;
	while (!console_break_pending())
		if (!print_records(&s, &w))
			msleep(10);
	window_free(&w);
	/* Echo the person's Ctrl-C (to them, not into a pipe); not a job's
	 * kill, which the shell reports, nor a pipe that wants no more. */
	if (!shell_in_background() && !shell_output_full())
		console_write_tty("^C\n", 3);
	return -EINTR;
}

int trace_pipe_stream(void *unused __always_unused)
{
	return trace_pipe_stream_cpu(TRACE_ALL_CPUS);
}

/* ---- tracers ---- */

int trace_set_overwrite(bool on)
{
	if (!trace_buffer)
		return -ENODEV;
	ring_buffer_set_overwrite(trace_buffer, on);
	return 0;
}

static int nop_init(void)
{
	return 0;
}

static void nop_reset(void)
{
}

static const struct tracer nop_tracer = {
	.name = "nop", .init = nop_init, .reset = nop_reset,
};
REGISTER_TRACER(nop_tracer);

const char *trace_current_tracer(void)
{
	return current_tracer ? current_tracer->name : "nop";
}

/* available_tracers: the last registered first, as Linux lists them. */
void trace_list_tracers(struct seq_out *s)
{
	const struct tracer *const *t;

	for (t = __stop_tracers; t-- > __start_tracers;)
		seq_printf(s, "%s%s", (*t)->name, t == __start_tracers ? "\n" : " ");
}

/*
 * Switch to the tracer @name, emptying the buffer as Linux does on every
 * switch (tracing_set_tracer() resets the buffers before the new tracer's
 * init): the records of the old tracer do not mix with the new one's.
 * Naming the current tracer again changes nothing, the buffer included.
 * Returns 0, -EINVAL (unknown), -EBUSY (a reader holds the buffer open:
 * nothing changed) or the init error (the nop tracer is then current).
 */
int trace_set_tracer(const char *name)
{
	const struct tracer *const *t;

	for (t = __start_tracers; t < __stop_tracers; t++) {
		int err;

		if (strcmp((*t)->name, name))
			continue;
		if (*t == current_tracer)
			return 0;
		/* Empty first: if a reader makes that fail, refuse untouched. */
		err = trace_clear();
		if (err)
			return err;
		if (current_tracer)
			current_tracer->reset();
		current_tracer = &nop_tracer;
		/* What the old tracer wrote while it was being switched off. */
		trace_clear();
		err = (*t)->init();
		if (!err)
			current_tracer = *t;
		return err;
	}
	return -EINVAL;
}

u8 trace_irq_context_flags[256];

/* The hard-irq and NMI flag bits for each value of preempt_count's bits
 * 16-23 (the two counts), looked up on every record, not computed. */
static void trace_irq_context_flags_init(void)
{
	unsigned int i, pc;

	for (i = 0; i < 256; i++) {
		pc = i << 16;
		trace_irq_context_flags[i] = (pc & HARDIRQ_MASK ? TRACE_FLAG_HARDIRQ : 0) |
					     (pc & NMI_MASK ? TRACE_FLAG_NMI : 0);
	}
}

/* Boot, after the scheduler and RCU: the buffer, then every tracefs file
 * and the tracers' and probes' pieces. Without a buffer there is no
 * tracefs at all, and the kernel runs untraced. */
void trace_init(void)
{
	trace_irq_context_flags_init();
	/*
	 * A buffer for every CPU that may ever record - each one firmware
	 * lists, as Linux sizes by possible CPUs - not only those running
	 * tasks now: a CPU that starts later finds its buffer waiting.
	 */
	trace_buffer = ring_buffer_alloc(TRACE_BUF_KB_DEFAULT * 1024, nr_cpus_present);
	if (IS_ERR(trace_buffer)) {
		pr_err("trace: no ring buffer (%ld); tracing unavailable\n", PTR_ERR(trace_buffer));
		trace_buffer = NULL;
		return;
	}
	current_tracer = &nop_tracer;
	trace_time_start = trace_clock_ns();
	trace_register_printer(TRACE_STACK, print_stack);
	tracefs_init();
	trace_options_init(tracefs_root);
	trace_marker_init(tracefs_root);
	trace_pid_init(tracefs_root);
	trace_clock_init(tracefs_root);
	trace_cmdlines_init(tracefs_root);
	trace_snapshot_init(tracefs_root);
	trace_stack_init(tracefs_root);
	trace_buffer_files_init(tracefs_root);
	ftrace_site_files_init(tracefs_root);
	graph_files_init();
	probe_record_init();
	probe_events_init();
	kprobes_debugfs_init();
	shadow_stacks_init();
}
