// SPDX-License-Identifier: MIT
/*
 * Probe event records: writing one at a hit - straight into the ring
 * buffer, or, when a filter or a trigger must see it first, built aside
 * and copied in only if it passes - and printing one in Linux's layout
 * for `cat trace` and trace_pipe:
 *
 *	          fib-42      [000] ...1.    12.345678: p_fib_0: (fib+0x0/0x30) n=6
 *	          fib-42      [000] ...1.    12.345690: r_fib_0: (fib+0x25/0x30 <- fib) arg1=0x8
 *
 * and, with the stacktrace option, a stack trace record after each.
 *
 * The writing half runs in probe handlers, so the file is notrace and in
 * .kprobes.text (trace/build.mk), like the fetch code it calls. The
 * usual hit never comes here: it takes the short way, inlined into the
 * handler (trace/probe_record.h); this is the way for everything else.
 */
#include <trace/probe_events.h>
#include <trace/trace_pid.h>
#include <trace/event_filter.h>
#include <kernel/rcu.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/stacktrace.h>
#include <asm/ptrace.h>
#include <asm/kprobes.h>
#include <asm/ftrace.h>
#include <lib/printf.h>
#include <lib/string.h>

const char *probe_current_comm(void)
{
	struct task_struct *t = current;

	return t ? t->comm : "<boot>";
}

/*
 * Does a hit of @def find its function before the function's frame exists
 * (an f: event, or SYM+0 / SYM+5 past the fentry call)? Return events are
 * past it.
 */
static bool probe_hit_at_entry(const struct probe_def *def)
{
	return !probe_def_is_return(def) &&
	       (def->kind == PROBE_FENTRY || (def->symbol[0] && def->offset <= MCOUNT_INSN_SIZE));
}

/* The stacktrace option: where the event hit (a return event: where the
 * function returned to), then the callers. */
static void probe_record_stack(const struct probe_def *def, const struct pt_regs *regs,
			       unsigned long ip, unsigned long ret_ip)
{
	trace_record_hit_stack(regs, ret_ip ? ret_ip : ip, probe_hit_at_entry(def));
}

/*
 * Fill the record @e of @def after its common fields: the head, the
 * arguments (@size bytes, strings included, @vals from the first pass)
 * and the fault mask after them. Registers are stored a word at a time
 * (probe_fetch_store_fast()): up to PROBE_FAST_SPILL bytes past the
 * arguments are written, the name trailer's among them - so the caller
 * writes that after this.
 */
static __always_inline void fill_record(const struct probe_def *def,
					const struct probe_fetch_ctx *ctx,
					const unsigned long *vals, struct probe_entry *e,
					size_t size, unsigned long ip, unsigned long ret_ip)
{
	size_t head = probe_entry_head(def);
	u8 *data = (u8 *)e + head;
	u32 faults;

	e->ip = ip;
	if (head > __builtin_offsetof(struct probe_entry, ret_ip))
		e->ret_ip = ret_ip;
	if (likely(def->all_fast))
		faults = probe_fetch_store_fast(def, ctx->regs, data);
	else
		faults = probe_fetch_store(def, ctx, def->has_dynamic ? vals : NULL, data, size);
	__builtin_memcpy(data + size, &faults, sizeof(faults));
}

/* The bytes of @def's record after its common fields and before the name. */
static __always_inline size_t record_size(const struct probe_def *def,
					  const struct probe_fetch_ctx *ctx, unsigned long *vals)
{
	size_t size = def->fixed_size;

	if (def->has_dynamic)
		size += probe_fetch_dynamic_size(def, ctx, vals);
	return size;
}

/*
 * Where a record is built when it must be looked at before it goes into
 * the ring buffer: a filter may drop it, and then it takes no room there.
 * One a CPU is enough: a CPU runs one probe handler at a time
 * (trace/probe_guard.h).
 */
struct probe_scratch {
	u64 words[RING_BUFFER_MAX_PAYLOAD / sizeof(u64)];
	u64 spill;	/* what fill_record() may write past the longest record */
};
static DEFINE_PER_CPU(struct probe_scratch, probe_scratch);

/*
 * The slow path: the event has a filter or triggers, or is armed only for
 * its triggers. As on Linux, if no trigger tests a filter they all fire
 * first, whether or not the event records (a traceoff keeps this record
 * out); if one does, they fire only when the event records, once its
 * record is built and committed (if the event's filter keeps it).
 */
static void record_slow(struct probe_event *ev, struct probe_event *lead,
			const struct probe_fetch_ctx *ctx, unsigned long ip, unsigned long ret_ip)
{
	const struct trigger_set *ts = rcu_dereference(lead->triggers);
	const struct event_filter *filter = rcu_dereference(lead->filter);
	const struct probe_def *def = ev->def;
	bool need_rec = ts && event_triggers_need_record(ts);
	struct trigger_hit hit = {
		.regs = ctx->regs,
		.ip = probe_def_is_return(def) ? ret_ip : ip,
		.at_entry = probe_hit_at_entry(def),
	};
	unsigned long vals[2 * PROBE_MAX_ARGS];
	struct task_struct *t = current;
	struct filter_ctx fctx;
	struct probe_entry *e = (void *)this_cpu_ptr(&probe_scratch)->words;
	size_t size, len;
	u32 fire = 0;
	void *out;

	if (ts && !need_rec)
		event_triggers_fire(ts, EVENT_TRIGGERS_ALL, &hit);
	if (!READ_ONCE(lead->enabled))
		return;
	size = record_size(def, ctx, vals);
	len = probe_entry_head(def) + size + sizeof(u32);
	if (len > sizeof(this_cpu_ptr(&probe_scratch)->words))
		return;
	trace_fill_entry(&e->ent, ev->id, t, preempt_count());	/* for the filter's common_* */
	fill_record(def, ctx, vals, e, size, ip, ret_ip);
	fctx.comm = t ? t->comm : trace_boot_comm;
	fctx.cpu = smp_processor_id();
	if (need_rec)
		fire = event_triggers_test(ts, e, len, &fctx);
	if (!filter || event_filter_match(filter, e, len, &fctx)) {
		out = trace_reserve(ev->id, len);
		if (out) {
			memcpy((u8 *)out + sizeof(e->ent), (u8 *)e + sizeof(e->ent),
			       len - sizeof(e->ent));
			trace_commit(out);
			if (unlikely(trace_options[TRACE_OPT_STACKTRACE].on))
				probe_record_stack(def, ctx->regs, ip, ret_ip);
		}
	}
	if (fire)
		event_triggers_fire(ts, fire, &hit);
}

/*
 * The whole way of a hit (trace/probe_record.h counted it already): the
 * pid lists, then the slow path if the event has a filter or triggers
 * or is off; else the record, as the short way would make it but with
 * every kind of argument; then the stack trace, with the option on.
 */
void probe_event_record_checked(struct probe_event *ev, const struct probe_fetch_ctx *ctx,
				unsigned long ip, unsigned long ret_ip)
{
	struct probe_event *lead = probe_event_lead(ev);
	const struct probe_def *def = ev->def;
	unsigned long vals[2 * PROBE_MAX_ARGS];
	struct probe_entry *e;
	size_t size, len;

	if (trace_pid_event_ignored())	/* set_event_pid, set_event_notrace_pid */
		return;
	if (READ_ONCE(lead->gate) != PROBE_GATE_OPEN) {
		record_slow(ev, lead, ctx, ip, ret_ip);
		return;
	}
	size = record_size(def, ctx, vals);
	len = probe_entry_head(def) + size + sizeof(u32);
	e = trace_reserve_unnamed(ev->id, len, 0, current);
	if (!e)
		return;
	fill_record(def, ctx, vals, e, size, ip, ret_ip);
	trace_fill_comm(e, len, current);
	trace_commit(e);
	if (unlikely(trace_option_on(TRACE_OPT_STACKTRACE)))
		probe_record_stack(def, ctx->regs, ip, ret_ip);
}

/* One line's arguments; under the events lock, so one buffer will do. */
static char args_text[2 * RING_BUFFER_MAX_PAYLOAD];

/* The trace line of a probe event's record: its event is looked up by
 * the record's id under the events lock (it may have been removed since),
 * then the address and the arguments. */
static void probe_print(struct trace_print_ctx *ctx)
{
	const struct probe_entry *e = (const void *)ctx->rec->data;
	size_t len = trace_record_len(ctx->rec), head;
	struct seq_out *s = ctx->s;
	struct probe_event *ev;
	u32 faults;

	trace_print_ctx_prefix(ctx);
	probe_events_lock();
	ev = probe_event_find_id(e->ent.type);
	head = ev ? probe_entry_head(ev->def) : 0;
	if (!ev || len < head + sizeof(faults)) {
		seq_puts(s, "(a probe event since removed)\n");
		goto out;
	}
	len -= head + sizeof(faults);
	memcpy(&faults, (const u8 *)e + head + len, sizeof(faults));
	if (probe_def_is_return(ev->def))
		seq_printf(s, "%s: (%pS <- %ps)", ev->def->event, (void *)e->ret_ip, (void *)e->ip);
	else
		seq_printf(s, "%s: (%pS)", ev->def->event, (void *)e->ip);
	probe_format_args(args_text, sizeof(args_text), ev->def, (const u8 *)e + head, len, faults);
	seq_puts(s, args_text);
	seq_puts(s, "\n");
out:
	probe_events_unlock();
}

void probe_record_init(void)
{
	trace_register_printer(TRACE_PROBE, probe_print);
}
