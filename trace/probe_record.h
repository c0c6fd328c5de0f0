/* SPDX-License-Identifier: MIT */
/*
 * The hit path of probe events: what a kprobe, kretprobe or fprobe
 * handler (trace_kprobe.c, trace_fprobe.c) does to record its event.
 *
 * It is inlined into each handler, which knows whether it records an
 * entry or a return: the record's head (where the arguments start) is
 * then a constant, and the hit pays no call into a generic recorder.
 *
 * The short way is for the usual hit - the event enabled, with no
 * filter, no triggers, no pid list and no stacktrace option, and its
 * arguments plain registers - and costs one test of the event's gate and
 * one of trace_event_checks to find. Anything else goes the whole way,
 * out of line: probe_event_record_checked() (probe_record.c), which does
 * every check and then records as this does.
 *
 * Included only by probe handlers' files, built notrace in .kprobes.text
 * (trace/build.mk).
 */
#ifndef TRACE_PROBE_RECORD_H
#define TRACE_PROBE_RECORD_H

#include <trace/probe_events.h>
#include <asm/ptrace.h>

/*
 * Record @ev's event with nothing to look at first; @head as the record's.
 * The registers' word stores may run past the argument area
 * (probe_fetch_store_fast()): into the fault mask and the name trailer,
 * which are written after them.
 */
static __always_inline void probe_record_plain(struct probe_event *ev, const struct pt_regs *regs,
					       unsigned long ip, unsigned long ret_ip, size_t head)
{
	const struct probe_def *def = ev->def;
	const u32 no_faults = 0;	/* plain registers never fault */
	size_t size = head + def->fixed_size + sizeof(no_faults);
	struct task_struct *t = current;
	struct probe_entry *e;
	u8 *data;

	_Static_assert(sizeof(no_faults) + TRACE_COMM_LEN >= PROBE_FAST_SPILL,
		       "the stores past the arguments land in what is written after");
	e = trace_reserve_unnamed(ev->id, size, 0, t);
	if (!e)
		return;
	data = (u8 *)e + head;
	e->ip = ip;
	if (head > __builtin_offsetof(struct probe_entry, ret_ip))
		e->ret_ip = ret_ip;
	probe_fetch_store_fast(def, regs, data);
	__builtin_memcpy(data + def->fixed_size, &no_faults, sizeof(no_faults));
	trace_fill_comm(e, size, t);
	trace_commit(e);
}

/* The short way if it may be taken; else the whole way. */
static __always_inline void probe_record_hit(struct probe_event *ev, const struct probe_fetch_ctx *ctx,
					     unsigned long ip, unsigned long ret_ip, size_t head)
{
	pcpu_counter_inc(&ev->nhit);
	if (unlikely(READ_ONCE(probe_event_lead(ev)->gate) != PROBE_GATE_OPEN ||
		     READ_ONCE(trace_event_checks.any) || !ev->def->all_fast)) {
		probe_event_record_checked(ev, ctx, ip, ret_ip);
		return;
	}
	probe_record_plain(ev, ctx->regs, ip, ret_ip, head);
}

/**
 * probe_event_record_entry - record a hit of the entry event (p:, f:) @ev
 * @ip: the probe's address
 *
 * Context: probe handlers (any context; preemption off); lock-free.
 */
static __always_inline void probe_event_record_entry(struct probe_event *ev,
						     const struct probe_fetch_ctx *ctx,
						     unsigned long ip)
{
	probe_record_hit(ev, ctx, ip, 0, __builtin_offsetof(struct probe_entry, ret_ip));
}

/**
 * probe_event_record_return - record a hit of the return event (r:,
 * f:...%return) @ev
 * @func:   the function that returns
 * @ret_ip: where it returns to
 *
 * Context: probe handlers (any context; preemption off); lock-free.
 */
static __always_inline void probe_event_record_return(struct probe_event *ev,
						      const struct probe_fetch_ctx *ctx,
						      unsigned long func, unsigned long ret_ip)
{
	probe_record_hit(ev, ctx, func, ret_ip, sizeof(struct probe_entry));
}

#endif /* TRACE_PROBE_RECORD_H */
