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
#include <trace/kprobes.h>
#include <trace/probe_events.h>
#include <kernel/time.h>
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

void trace_print_prefix(struct seq_out *s, const struct ring_buffer_record *rec)
{
	const struct trace_entry *e = (const void *)rec->data;
	char task[TRACE_COMM_LEN + 12];
	u64 us = trace_ts_usecs(rec->ts);

	snprintf(task, sizeof(task), "%.16s-%d", trace_record_comm(rec), e->pid);
	seq_printf(s, "%22s [%03u] %5llu.%06llu: ", task, rec->cpu,
		   (unsigned long long)(us / TRACE_USEC_PER_SEC),
		   (unsigned long long)(us % TRACE_USEC_PER_SEC));
}

static void print_record(struct trace_print_ctx *ctx)
{
	const struct trace_entry *e = (const void *)ctx->rec->data;

	/* Types past the tracers' are the ids of probe events. */
	enum trace_type type = e->type < TRACE_TYPE_MAX ? e->type : TRACE_PROBE;

	if (ctx->rec->len >= sizeof(*e) + TRACE_COMM_LEN && printers[type]) {
		printers[type](ctx);
		return;
	}
	trace_print_prefix(ctx->s, ctx->rec);
	seq_printf(ctx->s, "<unknown record type %u>\n", e->type);
}

unsigned int trace_nr_cpus_online(void)
{
	return (unsigned int)READ_ONCE(nr_cpus_online);
}

/*
 * The header. Its counts are the whole buffer's even in a per_cpu/ file,
 * as on Linux (print_event_info() sums every CPU whatever file it is).
 */
static void print_header(struct seq_out *s)
{
	struct ring_buffer_stats st;

	ring_buffer_stats(trace_buffer, &st);
	seq_printf(s, "# tracer: %s\n#\n", current_tracer ? current_tracer->name : "nop");
	seq_printf(s, "# entries-in-buffer/entries-written: %llu/%llu   #P:%u\n#\n",
		   (unsigned long long)st.entries, (unsigned long long)st.written,
		   trace_nr_cpus_online());
	if (current_tracer && current_tracer->print_header) {
		current_tracer->print_header(s);
		return;
	}
	seq_puts(s, "#                  TASK-PID     CPU#     TIMESTAMP  FUNCTION\n");
	seq_puts(s, "#                     | |         |         |         |\n");
}

/* Where records come from: a non-consuming walk, or the consuming reader. */
struct record_source {
	struct ring_buffer_iter *iter;		/* NULL: consume */
	int cpu;				/* consume: TRACE_ALL_CPUS or one */
};

static bool next_record(struct record_source *src, struct ring_buffer_record *rec)
{
	if (src->iter)
		return !ring_buffer_iter_next(src->iter, rec);
	if (src->cpu == TRACE_ALL_CPUS)
		return !ring_buffer_consume_next(trace_buffer, rec);
	return !ring_buffer_consume(trace_buffer, (unsigned int)src->cpu, rec);
}

/*
 * The records being printed, oldest first, with a look-ahead.
 * Printing one record may want the next record *of the same CPU*
 * (function_graph folds a call and its return into one line, as Linux
 * does), and in the merged order that record can come after records of
 * other CPUs - many of them, when the CPU that made the call was held up
 * (on a host with fewer free CPUs than the guest has, for milliseconds)
 * while another kept recording. So the window reads ahead as far as it
 * must, up to WINDOW_RECORDS, and keeps what it read for its turn: every
 * CPU's records stay in their order, and the merge in time order. Slots
 * are allocated as the window first reaches them, so a trace whose CPUs
 * do not interleave costs two.
 */
#define WINDOW_RECORDS	1024

struct record_window {
	struct record_source *src;
	struct ring_buffer_record **slot;	/* a ring of WINDOW_RECORDS */
	unsigned first, count;
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

	for (i = 1; i < w->count || window_grow(w); i++)
		if (window_at(w, i)->cpu == cpu)
			return i;
	return 0;
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

static int window_init(struct record_window *w, struct record_source *src)
{
	*w = (struct record_window){ .src = src };
	w->slot = kcalloc(WINDOW_RECORDS, sizeof(*w->slot));
	return w->slot ? 0 : -ENOMEM;
}

static void window_free(struct record_window *w)
{
	unsigned i;

	for (i = 0; i < WINDOW_RECORDS; i++)
		kfree(w->slot[i]);
	kfree(w->slot);
}

/*
 * Print records until the source runs dry or Ctrl-C, each with the next
 * record of its CPU in view. Returns true if at least one was printed.
 */
static bool print_records(struct seq_out *s, struct record_window *w)
{
	bool printed = false;

	while (!seq_interrupted(s) && (w->count || window_grow(w))) {
		struct ring_buffer_record *cur = window_at(w, 0);
		unsigned next = window_find_cpu(w, cur->cpu);
		struct trace_print_ctx ctx = { .s = s, .rec = cur,
					       .next = next ? window_at(w, next) : NULL };

		print_record(&ctx);
		printed = true;
		if (ctx.consumed_next)
			window_drop(w, next);
		window_drop(w, 0);
	}
	return printed;
}

/* The records of @cpu (or all CPUs), oldest first, left in place. */
static int show_records(struct seq_out *s, int cpu)
{
	struct record_source src = { .cpu = cpu };
	struct record_window w;
	int err = window_init(&w, &src);

	if (err)
		return err;
	src.iter = cpu == TRACE_ALL_CPUS ? ring_buffer_iter_start(trace_buffer) :
		   ring_buffer_iter_start_cpu(trace_buffer, (unsigned int)cpu);
	if (IS_ERR(src.iter)) {
		err = (int)PTR_ERR(src.iter);
	} else {
		print_records(s, &w);
		ring_buffer_iter_end(src.iter);
	}
	window_free(&w);
	return err;
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
	print_header(s);
	err = show_records(s, cpu);
	if (pause)
		ring_buffer_record_resume(trace_buffer);
	return err;
}

int trace_show(struct seq_out *s, void *unused)
{
	(void)unused;
	return trace_show_cpu(s, TRACE_ALL_CPUS);
}

/*
 * cat trace_pipe (@cpu TRACE_ALL_CPUS) or per_cpu/cpuN/trace_pipe: take
 * records off as they come and print them, until Ctrl-C; wait a little
 * whenever there is nothing to take.
 */
int trace_pipe_stream_cpu(int cpu)
{
	struct record_source src = { .iter = NULL, .cpu = cpu };
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
	if (!shell_in_background())	/* a job killed is reported by the shell */
		console_write_tty("^C\n", 3);	/* to the person, not into a pipe */
	return -EINTR;
}

int trace_pipe_stream(void *unused)
{
	(void)unused;
	return trace_pipe_stream_cpu(TRACE_ALL_CPUS);
}

/* ---- tracers ---- */

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

void trace_list_tracers(struct seq_out *s)
{
	const struct tracer *const *t;

	for (t = __start_tracers; t < __stop_tracers; t++)
		seq_printf(s, "%s%s", t == __start_tracers ? "" : " ", (*t)->name);
	seq_puts(s, "\n");
}

/* Switch to the tracer @name. Returns 0, -EINVAL (unknown) or the init error
 * (the nop tracer is then current). */
int trace_set_tracer(const char *name)
{
	const struct tracer *const *t;

	for (t = __start_tracers; t < __stop_tracers; t++) {
		int err;

		if (strcmp((*t)->name, name))
			continue;
		if (*t == current_tracer)
			return 0;
		if (current_tracer)
			current_tracer->reset();
		current_tracer = &nop_tracer;
		err = (*t)->init();
		if (!err)
			current_tracer = *t;
		return err;
	}
	return -EINVAL;
}

void trace_init(void)
{
	/*
	 * A buffer for every CPU that may ever record - each one firmware
	 * lists, as Linux sizes by possible CPUs - not only those running
	 * tasks now: a CPU that starts later finds its buffer waiting.
	 */
	trace_buffer = ring_buffer_alloc(TRACE_BUF_KB_DEFAULT * 1024, nr_cpus_present,
					 &ring_buffer_kernel_ops);
	if (IS_ERR(trace_buffer)) {
		pr_err("trace: no ring buffer (%ld); tracing unavailable\n", PTR_ERR(trace_buffer));
		trace_buffer = NULL;
		return;
	}
	current_tracer = &nop_tracer;
	tracefs_init();
	trace_options_init(tracefs_root);
	probe_record_init();
	probe_events_init();
	kprobes_debugfs_init();
}
