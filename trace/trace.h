/* SPDX-License-Identifier: MIT */
/*
 * The tracing core: one ring buffer that tracers and probe events record
 * into, the tracers a person chooses with current_tracer, and the
 * formatting of what was recorded into Linux's text layout.
 *
 * Every record starts with a struct trace_entry - Linux's common fields,
 * type, flags, preempt count and pid, 8 bytes (the CPU is the buffer's) -
 * followed by the type's own fields, and ends with the task's name (a
 * trailer of TRACE_COMM_LEN bytes: Linux keeps names in a separate table,
 * saved_cmdlines, which a small kernel does not need). So the offsets an
 * event's format file gives are those of the record itself. Each type
 * registers the function that prints it.
 */
#ifndef TRACE_TRACE_H
#define TRACE_TRACE_H

#include <lib/types.h>
#include <kernel/pseudofs.h>
#include <kernel/sched.h>
#include <kernel/preempt.h>
#include <trace/ring_buffer.h>
#include <lib/compiler.h>
#include <asm/irqflags.h>

#define TRACE_COMM_LEN		16
#define TRACE_BUF_KB_DEFAULT	256	/* per CPU */

enum trace_type {
	TRACE_FN = 1,		/* function tracer: ip, parent_ip */
	TRACE_GRAPH_ENT,	/* function_graph: a function was entered */
	TRACE_GRAPH_RET,	/* function_graph: it returned */
	TRACE_PROBE,		/* the printer of probe events, whose records */
				/* have their event's id as type (>= 16) */
	TRACE_PRINT,		/* text written to trace_marker */
	TRACE_STACK,		/* a kernel stack trace (stacktrace options, commands, triggers) */
	TRACE_TYPE_MAX = 16,
};

/*
 * The common fields every record starts with, laid out as Linux's
 * (common_type, common_flags, common_preempt_count, common_pid: the
 * first 8 bytes of each event's format). The flags are Linux's bits, and
 * print as its flag columns (print_context_flags() in trace.c). The task's
 * name follows the record, outside its format (trace_record_comm()).
 */
#define TRACE_FLAG_IRQS_OFF	0x01	/* interrupts were off */
#define TRACE_FLAG_NEED_RESCHED	0x04	/* a reschedule was due */
#define TRACE_FLAG_HARDIRQ	0x08	/* in a hard interrupt */
#define TRACE_FLAG_SOFTIRQ	0x10	/* in a soft interrupt */
#define TRACE_FLAG_NMI		0x40	/* in an NMI (here: int3, #DB) */

struct trace_entry {
	u16 type;		/* enum trace_type, or a probe event's id */
	u8 flags;		/* TRACE_FLAG_* */
	u8 preempt_count;	/* the recorded code's preemption depth, 15 at most */
	int pid;
};

struct fn_entry {
	struct trace_entry ent;
	unsigned long ip, parent_ip;
};

struct graph_entry {
	struct trace_entry ent;
	unsigned long func;
	int depth;
};

struct graph_ret_entry {
	struct trace_entry ent;
	unsigned long func;
	int depth;
	unsigned int overrun;	/* the task's calls not hooked so far (stack full) */
	unsigned long retval;	/* what the function returned (rax) */
	u64 calltime, rettime;
};

/* A stack trace: return addresses, innermost first. */
#define TRACE_STACK_ENTRIES	32
struct stack_entry {
	struct trace_entry ent;
	unsigned int nr;
	unsigned long caller[];		/* [nr] */
};

/*
 * Tracing options (trace_options.c): trace_options and options/NAME.
 * In Linux's order, which is the order trace_options lists them in: the
 * core options first, then each tracer's own (shown in trace_options
 * only while that tracer is current, as on Linux).
 */
enum trace_option_id {		/* in the order Linux lists them */
	TRACE_OPT_PRINT_PARENT,		/* function lines end with " <-caller" */
	TRACE_OPT_SYM_OFFSET,		/* symbols as sym+off/size */
	TRACE_OPT_SYM_ADDR,		/* symbols followed by <address> */
	TRACE_OPT_CONTEXT_INFO,		/* lines start TASK-PID CPU FLAGS TIME; the header */
	TRACE_OPT_LATENCY_FMT,		/* the latency trace layout */
	TRACE_OPT_RECORD_CMD,		/* records carry the task's name */
	TRACE_OPT_OVERWRITE,		/* a full buffer overwrites its oldest */
	TRACE_OPT_IRQ_INFO,		/* the irqs-off/need-resched/... column */
	TRACE_OPT_MARKERS,		/* trace_marker takes writes */
	TRACE_OPT_EVENT_FORK,		/* set_event_pid follows new tasks (trace_pid.c) */
	TRACE_OPT_PAUSE_ON_TRACE,	/* recording pauses while trace is read */
	TRACE_OPT_FUNCTION_FORK,	/* set_ftrace_pid follows new tasks */
	TRACE_OPT_STACKTRACE,		/* a stack trace after each event */
	/* the function tracer's */
	TRACE_OPT_FUNC_STACK_TRACE,	/* a stack trace after each function */
	/* function_graph's (trace_graph_print.c), in Linux's order */
	TRACE_OPT_FUNCGRAPH_OVERRUN,	/* the task's lost calls after each } */
	TRACE_OPT_FUNCGRAPH_CPU,	/* the CPU column */
	TRACE_OPT_FUNCGRAPH_OVERHEAD,	/* + ! # marks on long calls */
	TRACE_OPT_FUNCGRAPH_PROC,	/* the task column */
	TRACE_OPT_FUNCGRAPH_DURATION,	/* the duration column */
	TRACE_OPT_FUNCGRAPH_ABSTIME,	/* the time column */
	TRACE_OPT_FUNCGRAPH_IRQS,	/* graph calls made in hard interrupts */
	TRACE_OPT_FUNCGRAPH_TAIL,	/* name the function after each } */
	TRACE_OPT_FUNCGRAPH_RETVAL,	/* show what each call returned */
	TRACE_OPT_FUNCGRAPH_RETVAL_HEX,	/* ... always in hex */
	TRACE_OPT_MAX
};

/* The options' set() hooks (see the table in trace_options.c). */
int trace_set_overwrite(bool on);		/* trace.c */
int function_set_stack_trace(bool on);		/* trace_functions.c */

/* One option: see the table in trace_options.c. */
struct trace_option {
	const char *name;
	bool on;
	const char *tracer;		/* NULL: a core option; else whose it is */
	int (*set)(bool on);		/* act on a change first; -errno refuses it */
};
extern struct trace_option trace_options[TRACE_OPT_MAX];

/*
 * Is option @id on? Any context; inline, as record paths ask. (A record
 * path that asks once may read trace_options[id].on plainly: the compiler
 * then tests the byte in memory, one instruction fewer than a load.)
 */
static __always_inline bool trace_option_on(enum trace_option_id id)
{
	return READ_ONCE(trace_options[id].on);
}

/*
 * What every probe event's hit must look at before it records: an event
 * pid list (set_event_pid or set_event_notrace_pid, trace_pid.c) and the
 * stacktrace option. A byte each, written on its own by what changes it;
 * read as the one word any, so that the usual hit (none) tests once.
 */
union trace_event_checks {
	struct {
		bool pid_lists;		/* an event pid list is set */
		bool stacktrace;	/* options/stacktrace */
	};
	u32 any;
};
extern union trace_event_checks trace_event_checks;
int trace_set_event_stacktrace(bool on);	/* the option's set() hook */

/* The buffer everything records into (NULL until trace_init()). */
extern struct ring_buffer *trace_buffer;

extern const char trace_boot_comm[TRACE_COMM_LEN];

/**
 * trace_reserve_own_preempt - room for a record of @size bytes of @type, header filled
 * @type: enum trace_type, or (probe events) the event's id
 * @own_preempt: what the recording path itself added to preempt_count
 *               (not the ring buffer's: that is taken off here), which the
 *               record's preempt-depth does not show - as Linux's function
 *               tracer takes off its recursion guard's
 *
 * Context: any (probe handlers, interrupts). Returns the record to fill
 * and pass to trace_commit(), or NULL (recording off, or no room).
 *
 * Inline, as trace_commit(): every event would pay a call, a return and
 * a second prologue for these few stores. Its callers record events and
 * are refused to kprobes, as ring_buffer_reserve() is (NOKPROBE).
 *
 * The context costs a few instructions: preempt_count and need_resched
 * are one per-CPU load each, the interrupt flag a pushf/pop.
 */
/*
 * Fill the common fields of a record of @type made now by @t, whose code
 * ran at preempt_count @pc. Context: any.
 */
/*
 * TRACE_FLAG_HARDIRQ and TRACE_FLAG_NMI for bits 16-23 of a preempt_count
 * (the hard-interrupt and NMI nesting): one load instead of two tests on
 * every record (trace.c fills it before the first). Loupe has no soft
 * interrupts, so TRACE_FLAG_SOFTIRQ is never due.
 */
extern u8 trace_irq_context_flags[256];

static __always_inline void trace_fill_entry(struct trace_entry *e, unsigned type,
					     const struct task_struct *t, unsigned int pc)
{
	unsigned int depth = pc & PREEMPT_MASK;

	e->type = (u16)type;
	e->flags = (arch_irqs_disabled_flags(arch_local_save_flags()) ? TRACE_FLAG_IRQS_OFF : 0) |
		   (this_cpu_read(need_resched_flag) ? TRACE_FLAG_NEED_RESCHED : 0) |
		   trace_irq_context_flags[(pc >> 16) & 0xff];
	e->preempt_count = (u8)(depth > 15 ? 15 : depth);
	e->pid = t ? t->pid : -1;
}

/*
 * trace_reserve_unnamed - trace_reserve_own_preempt() without the name trailer, for
 * a writer whose stores may run past its own @size bytes into the
 * trailer's (probe events store registers 8 bytes at a time): it fills
 * its record, then trace_fill_comm(), then commits. @t: current.
 */
static __always_inline void *trace_reserve_unnamed(unsigned type, size_t size,
						   unsigned int own_preempt,
						   const struct task_struct *t)
{
	struct trace_entry *e;

	if (!trace_buffer)
		return NULL;
	e = ring_buffer_reserve(trace_buffer, size + TRACE_COMM_LEN);
	if (!e)
		return NULL;
	/* Read after the reserve, which holds preemption off: one more. */
	trace_fill_entry(e, type, t, preempt_count() - PREEMPT_OFFSET - own_preempt);
	return e;
}

/* The name trailer of @t (current) after the @size bytes of the record @e. */
static __always_inline void trace_fill_comm(void *e, size_t size, const struct task_struct *t)
{
	/*
	 * A copy of constant size, which the compiler makes two 8-byte
	 * moves. Every event pays for it: lib's memcpy() would go byte by
	 * byte here (task_struct::comm is not 8-byte aligned), some 100
	 * instructions. With record-cmd off the name is not recorded
	 * (Linux then prints "<...>" for a task whose name it never saved).
	 */
	if (likely(trace_options[TRACE_OPT_RECORD_CMD].on))	/* a cmpb: one load fewer */
		__builtin_memcpy((char *)e + size, t ? t->comm : trace_boot_comm, TRACE_COMM_LEN);
	else
		*((char *)e + size) = '\0';
}

static __always_inline void *trace_reserve_own_preempt(unsigned type, size_t size,
							 unsigned int own_preempt)
{
	struct task_struct *t = current;
	void *e = trace_reserve_unnamed(type, size, own_preempt, t);

	if (e)
		trace_fill_comm(e, size, t);
	return e;
}

/* trace_reserve - trace_reserve_own_preempt() for a path that adds no preempt count. */
static __always_inline void *trace_reserve(unsigned type, size_t size)
{
	return trace_reserve_own_preempt(type, size, 0);
}

/* A record's own bytes, without the name trailer. */
static inline size_t trace_record_len(const struct ring_buffer_record *rec)
{
	return rec->len >= TRACE_COMM_LEN ? rec->len - TRACE_COMM_LEN : 0;
}

/* The name of the task that wrote @rec (the trailer). */
static inline const char *trace_record_comm(const struct ring_buffer_record *rec)
{
	return (const char *)rec->data + trace_record_len(rec);
}

/* The name a trace shows for @rec's task: "<idle>" for pid 0, "<...>"
 * when none was recorded (record-cmd off), else trace_record_comm(). */
const char *trace_record_shown_comm(const struct ring_buffer_record *rec);

/*
 * trace_commit - publish a record trace_reserve() returned. Same context.
 * Inline: it is one call on every event, and a call's return costs a block
 * lookup under QEMU's TCG. Always inlined, so that it never becomes an
 * out-of-line copy with an fentry site in a traced file.
 */
static __always_inline void trace_commit(void *entry)
{
	ring_buffer_commit(trace_buffer, entry);
}

/* How a record of one type prints (the line's text after the prefix). */
struct trace_print_ctx {
	struct seq_out *s;
	const struct ring_buffer_record *rec;
	const struct ring_buffer_record *next;	/* the one after, or NULL */
	bool consumed_next;			/* set by print to skip @next */
	void *state;				/* the tracer's, for this read (open) */
	u64 next_ts;		/* the next record's time, any CPU's (or @rec's) */
	bool bare;		/* print the record's text alone, no prefix (inside
				 * a tracer's own layout: tracer.print_other) */
};
typedef void (*trace_print_fn)(struct trace_print_ctx *ctx);
void trace_register_printer(enum trace_type type, trace_print_fn print);

/*
 * A timestamp in microseconds, rounded to the nearest as Linux's
 * ns2usecs() does: how records and per_cpu/cpuN/stats show time.
 */
static inline u64 trace_ts_usecs(u64 ns)
{
	return (ns + 500) / 1000;
}
#define TRACE_USEC_PER_SEC	1000000ULL

/*
 * Print the standard prefix of a record: "TASK-PID [CPU] FLAGS TIMESTAMP: "
 * (FLAGS with irq-info), or with latency-format Linux's latency layout.
 */
void trace_print_prefix(struct seq_out *s, const struct ring_buffer_record *rec);
/* The same, with latency-format's mark for the gap to the next record. */
void trace_print_ctx_prefix(struct trace_print_ctx *ctx);

/*
 * trace_print_context_flags - Linux's five flag columns of a record
 * (irqs-off, need-resched, hardirq/softirq, preempt-depth,
 * migrate-disable), as `d..1.`.
 */
void trace_print_context_flags(struct seq_out *s, const struct trace_entry *e);

/*
 * trace_print_latency_info - latency-format's block of counts above a
 * trace's column legend, from "# TRACER latency trace v1.1.5 on ..." to
 * the closing "#". trace_buffer_is_empty - does @rb hold no record?
 */
void trace_print_latency_info(struct seq_out *s, struct ring_buffer *rb);
bool trace_buffer_is_empty(struct ring_buffer *rb);

/*
 * The rest of the default header (trace/trace_header.c): the counts line
 * of @rb, the column legend (as irq-info says), and latency-format's
 * block with its own legend.
 */
void trace_print_event_info(struct seq_out *s, struct ring_buffer *rb);
void trace_print_columns_header(struct seq_out *s);
void trace_print_latency_header(struct seq_out *s, struct ring_buffer *rb);

/*
 * Print a code address as the options say: the symbol name, as
 * sym+off/size with sym-offset, followed by <address> with sym-addr.
 */
void trace_print_sym(struct seq_out *s, unsigned long addr);

/*
 * trace_record_stack - record the current task's stack as a TRACE_STACK
 * record (the stacktrace and func_stack_trace options): the @nr_lead
 * addresses at @lead first (what a frame walk cannot see: the probed
 * address, a return address not yet under a frame), then the return
 * addresses of the frames walked from @bp - from the first that equals
 * @from on (0: all of them), which leaves out the recorder's own frames.
 * @own_preempt as for trace_reserve_own_preempt().
 * Context: a record path (notrace, NOKPROBE).
 */
void trace_record_stack(const unsigned long *lead, unsigned int nr_lead, unsigned long bp,
			unsigned long from, unsigned int own_preempt);

/*
 * trace_record_hit_stack - the stack where a probe hit, for the stacktrace
 * option and trigger: @ip first, then the callers from @regs' frames. At a
 * function's entry (@at_entry: before its frame exists) its caller's
 * return address is at the stack pointer, out of the frame walk's reach,
 * and is taken from there, as Linux's unwinder does. Context: a probe's
 * record path.
 */
void trace_record_hit_stack(const struct pt_regs *regs, unsigned long ip, bool at_entry);

/* ---- tracers (current_tracer) ---- */

struct tracer {
	const char *name;
	int (*init)(void);		/* start; 0 or -errno */
	void (*reset)(void);		/* stop */
	void (*print_header)(struct seq_out *s);	/* instead of the default */
	/* Optional: state kept across one read of trace or trace_pipe (as
	 * Linux's tracer open/close), handed to printers in ctx->state. */
	void *(*open)(void);
	void (*close)(void *state);
	/* Optional: the record types it prints itself (1 << type), and how
	 * it prints any other record (a marker, an event) in its layout:
	 * @body prints that record's text when ctx->bare is set. */
	unsigned int own_types;
	void (*print_other)(struct trace_print_ctx *ctx, trace_print_fn body);
};

#define REGISTER_TRACER(t)							\
	static const struct tracer *const __tracer_ptr_##t			\
	__attribute__((section(".tracers"), used)) = &t

/*
 * The ftrace_ops of the function tracers. Its filter and notrace sets are
 * what set_ftrace_filter and set_ftrace_notrace edit; the current function
 * tracer (function or function_graph) sets its callback and registers it,
 * so a filter change applies at once to what is being traced.
 */
struct ftrace_ops;
extern struct ftrace_ops trace_ops;

/*
 * trace_nr_cpus_online - the CPUs that can record now: the trace header's
 * #P: (Linux prints num_online_cpus()). Parked CPUs run nothing traced,
 * so they do not count until they run tasks. Any context.
 */
unsigned int trace_nr_cpus_online(void);

/* The tracefs root (/sys/kernel/tracing). */
extern struct pfs_node *tracefs_root;

void trace_init(void);
/* /proc/PID/rethook and /proc/PID/graph_stack (trace/shadow_stacks.c). */
void shadow_stacks_init(void);

/* Create trace_options and options/ in @tracefs. */
void trace_options_init(struct pfs_node *tracefs);


/* The other control files of the tracefs root, each file's own init. */
void trace_marker_init(struct pfs_node *tracefs);
void trace_pid_init(struct pfs_node *tracefs);
void trace_clock_init(struct pfs_node *tracefs);
void trace_cmdlines_init(struct pfs_node *tracefs);
void trace_snapshot_init(struct pfs_node *tracefs);
/* Empty the snapshot, if there is one (the trace clock changed). */
void trace_snapshot_reset(void);
void trace_stack_init(struct pfs_node *tracefs);
void trace_buffer_files_init(struct pfs_node *tracefs);
void ftrace_site_files_init(struct pfs_node *tracefs);

#endif /* TRACE_TRACE_H */
