/* SPDX-License-Identifier: MIT */
/*
 * The tracing core: one ring buffer that tracers and probe events record
 * into, the tracers a person chooses with current_tracer, and the
 * formatting of what was recorded into Linux's text layout.
 *
 * Every record starts with a struct trace_entry (type, pid, comm, CPU is
 * the buffer's), followed by the type's own fields. Each type registers a
 * struct trace_event_type with the function that prints it.
 */
#ifndef TRACE_TRACE_H
#define TRACE_TRACE_H

#include <lib/types.h>
#include <kernel/pseudofs.h>
#include <kernel/sched.h>
#include <trace/ring_buffer.h>
#include <lib/compiler.h>

#define TRACE_COMM_LEN		16
#define TRACE_BUF_KB_DEFAULT	256	/* per CPU */

enum trace_type {
	TRACE_FN = 1,		/* function tracer: ip, parent_ip */
	TRACE_GRAPH_ENT,	/* function_graph: a function was entered */
	TRACE_GRAPH_RET,	/* function_graph: it returned */
	TRACE_PROBE,		/* a dynamic probe event (kprobe, fprobe ...) */
	TRACE_PRINT,		/* text written to trace_marker */
	TRACE_STACK,		/* a kernel stack trace (function command stacktrace) */
	TRACE_TYPE_MAX = 16,
};

struct trace_entry {
	u16 type;
	u16 flags;		/* type-specific */
	int pid;
	char comm[TRACE_COMM_LEN];
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

/* The buffer everything records into (NULL until trace_init()). */
extern struct ring_buffer *trace_buffer;

extern const char trace_boot_comm[TRACE_COMM_LEN];

/**
 * trace_reserve - room for a record of @size bytes of @type, header filled
 *
 * Context: any (probe handlers, interrupts). Returns the record to fill
 * and pass to trace_commit(), or NULL (recording off, or no room).
 *
 * Inline, as trace_commit(): every event would pay a call, a return and
 * a second prologue for these few stores. Its callers record events and
 * are refused to kprobes, as ring_buffer_reserve() is (NOKPROBE).
 */
static __always_inline void *trace_reserve(enum trace_type type, size_t size)
{
	struct task_struct *t = current;
	struct trace_entry *e;

	if (!trace_buffer)
		return NULL;
	e = ring_buffer_reserve(trace_buffer, size);
	if (!e)
		return NULL;
	e->type = type;
	e->flags = 0;
	e->pid = t ? t->pid : -1;
	/*
	 * A copy of constant size, which the compiler makes two 8-byte moves.
	 * Every event pays for it: lib's memcpy() would go byte by byte here
	 * (task_struct::comm is not 8-byte aligned), some 100 instructions.
	 */
	__builtin_memcpy(e->comm, t ? t->comm : trace_boot_comm, TRACE_COMM_LEN);
	return e;
}

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

/* Print the standard "TASK-PID [CPU] TIMESTAMP: " prefix of a record. */
void trace_print_prefix(struct seq_out *s, const struct ring_buffer_record *rec);

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

/* Tracing options (trace_options.c): trace_options and options/NAME. */
enum trace_option_id {
	TRACE_OPT_PAUSE_ON_TRACE,	/* recording pauses while trace is read */
	TRACE_OPT_FUNCTION_FORK,	/* set_ftrace_pid follows new tasks (trace_pid.c) */
	TRACE_OPT_EVENT_FORK,		/* set_event_pid follows new tasks */
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

bool trace_option_on(enum trace_option_id id);
/* Create trace_options and options/ in @tracefs. */
void trace_options_init(struct pfs_node *tracefs);

/*
 * trace_record_stack - record the current call chain (a TRACE_STACK
 * record), starting at the return address @from if the chain holds it
 * (a traced function's fentry return: @ip + 5), else at the caller.
 * Context: tracer callbacks (preemption off).
 */
void trace_record_stack(unsigned long from);
void trace_stack_record_init(void);

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

#endif /* TRACE_TRACE_H */
