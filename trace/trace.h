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

#define TRACE_COMM_LEN		16
#define TRACE_BUF_KB_DEFAULT	256	/* per CPU */

enum trace_type {
	TRACE_FN = 1,		/* function tracer: ip, parent_ip */
	TRACE_GRAPH_ENT,	/* function_graph: a function was entered */
	TRACE_GRAPH_RET,	/* function_graph: it returned */
	TRACE_PROBE,		/* the printer of probe events, whose records */
				/* have their event's id as type (>= 16) */
	TRACE_STACK,		/* a stacktrace trigger's backtrace */
	TRACE_TYPE_MAX = 16,
};

struct trace_entry {
	u16 type;		/* enum trace_type, or a probe event's id */
	u8 flags;		/* Linux's irq/softirq flags: always 0 here */
	u8 preempt_count;	/* the low byte of preempt_count() */
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
	u64 calltime, rettime;
};

/* The buffer everything records into (NULL until trace_init()). */
extern struct ring_buffer *trace_buffer;

extern const char trace_boot_comm[TRACE_COMM_LEN];

/**
 * trace_reserve - room for a record of @size bytes of @type, header filled
 * @type: enum trace_type, or (probe events) the event's id
 *
 * Context: any (probe handlers, interrupts). Returns the record to fill
 * and pass to trace_commit(), or NULL (recording off, or no room).
 *
 * Inline, as trace_commit(): every event would pay a call, a return and
 * a second prologue for these few stores. Its callers record events and
 * are refused to kprobes, as ring_buffer_reserve() is (NOKPROBE).
 */
/* Fill the common fields of a record of @type made now. Context: any. */
static __always_inline void trace_fill_entry(struct trace_entry *e, unsigned type,
					     const struct task_struct *t)
{
	e->type = (u16)type;
	e->flags = 0;
	e->preempt_count = (u8)preempt_count();
	e->pid = t ? t->pid : -1;
}

static __always_inline void *trace_reserve(unsigned type, size_t size)
{
	struct task_struct *t = current;
	struct trace_entry *e;

	if (!trace_buffer)
		return NULL;
	e = ring_buffer_reserve(trace_buffer, size + TRACE_COMM_LEN);
	if (!e)
		return NULL;
	trace_fill_entry(e, type, t);
	/*
	 * The name trailer. A copy of constant size, which the compiler makes
	 * two 8-byte moves. Every event pays for it: lib's memcpy() would go
	 * byte by byte here (task_struct::comm is not 8-byte aligned), some
	 * 100 instructions.
	 */
	__builtin_memcpy((char *)e + size, t ? t->comm : trace_boot_comm, TRACE_COMM_LEN);
	return e;
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
	void (*print_header)(struct seq_out *s);
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

/* Tracing options (trace_options.c): trace_options and options/NAME. */
enum trace_option_id {
	TRACE_OPT_PAUSE_ON_TRACE,	/* recording pauses while trace is read */
	TRACE_OPT_MAX
};

bool trace_option_on(enum trace_option_id id);
/* Create trace_options and options/ in @tracefs. */
void trace_options_init(struct pfs_node *tracefs);

#endif /* TRACE_TRACE_H */
