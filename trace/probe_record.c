// SPDX-License-Identifier: MIT
/*
 * Probe event records: writing one at a hit, and printing one in Linux's
 * layout for `cat trace` and trace_pipe:
 *
 *	          fib-42      [000] ...1.    12.345678: p_fib_0: (fib+0x0/0x30) n=6
 *	          fib-42      [000] ...1.    12.345690: r_fib_0: (fib+0x25/0x30 <- fib) arg1=0x8
 *
 * and, with the stacktrace option, a stack trace record after each.
 *
 * The writing half runs in probe handlers, so the file is notrace and in
 * .kprobes.text (trace/build.mk), like the fetch code it calls.
 */
#include <trace/probe_events.h>
#include <trace/trace_pid.h>
#include <kernel/sched.h>
#include <kernel/stacktrace.h>
#include <asm/ptrace.h>
#include <asm/kprobes.h>
#include <lib/printf.h>
#include <lib/string.h>

const char *probe_current_comm(void)
{
	struct task_struct *t = current;

	return t ? t->comm : "<boot>";
}

/*
 * The stacktrace option: the stack where the event hit, innermost first -
 * the probed address (a return event: where the function returned to),
 * then the callers. At a function's entry (an f: event, or SYM+0) the
 * function has no frame yet and its return address is at the stack
 * pointer, out of the frame walk's reach; Linux's unwinder finds it there
 * too.
 */
static void probe_record_stack(const struct probe_def *def, const struct pt_regs *regs,
			       unsigned long ip, unsigned long ret_ip)
{
	unsigned long lead[1 + STACK_LEAF_WORDS];
	unsigned int n = 1;

	lead[0] = ret_ip ? ret_ip : ip;
	if (!ret_ip && (def->kind == PROBE_FENTRY || (def->symbol[0] && def->offset <= KPROBE_FENTRY_SIZE)))
		n += arch_stack_leaf_words(regs->sp, &lead[1]) ? 1 : 0;
	trace_record_stack(lead, n, regs->bp, 0, 0);
}

void probe_event_record(struct probe_event *ev, const struct probe_fetch_ctx *ctx,
			unsigned long ip, unsigned long ret_ip)
{
	const struct probe_def *def = ev->def;
	unsigned long vals[2 * PROBE_MAX_ARGS];
	struct probe_entry *e;
	size_t size = def->fixed_size;

	pcpu_counter_inc(&ev->nhit);
	if (trace_pid_event_ignored())	/* set_event_pid, set_event_notrace_pid */
		return;
	if (unlikely(READ_ONCE((ev->leader ? ev->leader : ev)->soft_disabled)))
		return;			/* soft mode: armed for a function command */
	if (def->has_dynamic)
		size += probe_fetch_dynamic_size(def, ctx, vals);
	e = trace_reserve(TRACE_PROBE, sizeof(*e) + size);
	if (!e)
		return;
	e->id = ev->id;
	e->ip = ip;
	e->ret_ip = ret_ip;
	if (likely(def->all_fast))
		e->faults = probe_fetch_store_fast(def, ctx->regs, e->data);
	else
		e->faults = probe_fetch_store(def, ctx, def->has_dynamic ? vals : NULL, e->data, size);
	trace_commit(e);
	if (unlikely(trace_options[TRACE_OPT_STACKTRACE].on))	/* a cmpb */
		probe_record_stack(def, ctx->regs, ip, ret_ip);
}

/* One line's arguments; under the events lock, so one buffer will do. */
static char args_text[2 * RING_BUFFER_MAX_PAYLOAD];

static void probe_print(struct trace_print_ctx *ctx)
{
	const struct probe_entry *e = (const void *)ctx->rec->data;
	struct seq_out *s = ctx->s;
	struct probe_event *ev;

	trace_print_ctx_prefix(ctx);
	probe_events_lock();
	ev = ctx->rec->len >= sizeof(*e) ? probe_event_find_id(e->id) : NULL;
	if (!ev) {
		seq_puts(s, "(a probe event since removed)\n");
		goto out;
	}
	if (probe_def_is_return(ev->def))
		seq_printf(s, "%s: (%pS <- %ps)", ev->def->event, (void *)e->ret_ip, (void *)e->ip);
	else
		seq_printf(s, "%s: (%pS)", ev->def->event, (void *)e->ip);
	probe_format_args(args_text, sizeof(args_text), ev->def, e->data, ctx->rec->len - sizeof(*e),
			  e->faults);
	seq_puts(s, args_text);
	seq_puts(s, "\n");
out:
	probe_events_unlock();
}

void probe_record_init(void)
{
	trace_register_printer(TRACE_PROBE, probe_print);
}
