// SPDX-License-Identifier: MIT
/*
 * Probe event records: writing one at a hit, and printing one in Linux's
 * layout for `cat trace` and trace_pipe:
 *
 *	fib-42  [000]    12.345678: p_fib_0: (fib+0x0/0x30) n=6
 *	fib-42  [000]    12.345690: r_fib_0: (fib+0x25/0x30 <- fib) arg1=0x8
 *
 * The writing half runs in probe handlers, so the file is notrace and in
 * .kprobes.text (trace/build.mk), like the fetch code it calls.
 */
#include <trace/probe_events.h>
#include <kernel/sched.h>
#include <lib/printf.h>
#include <lib/string.h>

const char *probe_current_comm(void)
{
	struct task_struct *t = current;

	return t ? t->comm : "<boot>";
}

void probe_event_record(struct probe_event *ev, const struct probe_fetch_ctx *ctx,
			unsigned long ip, unsigned long ret_ip)
{
	const struct probe_def *def = ev->def;
	unsigned long vals[2 * PROBE_MAX_ARGS];
	struct probe_entry *e;
	size_t head = probe_entry_head(def), size = def->fixed_size;
	u8 *data;
	u32 faults;

	pcpu_counter_inc(&ev->nhit);
	if (def->has_dynamic)
		size += probe_fetch_dynamic_size(def, ctx, vals);
	e = trace_reserve(ev->id, head + size + sizeof(faults));
	if (!e)
		return;
	e->ip = ip;
	if (head > __builtin_offsetof(struct probe_entry, ret_ip))
		e->ret_ip = ret_ip;
	data = (u8 *)e + head;
	if (likely(def->all_fast))
		faults = probe_fetch_store_fast(def, ctx->regs, data);
	else
		faults = probe_fetch_store(def, ctx, def->has_dynamic ? vals : NULL, data, size);
	__builtin_memcpy(data + size, &faults, sizeof(faults));
	trace_commit(e);
}

/* One line's arguments; under the events lock, so one buffer will do. */
static char args_text[2 * RING_BUFFER_MAX_PAYLOAD];

static void probe_print(struct trace_print_ctx *ctx)
{
	const struct probe_entry *e = (const void *)ctx->rec->data;
	size_t len = trace_record_len(ctx->rec), head;
	struct seq_out *s = ctx->s;
	struct probe_event *ev;
	u32 faults;

	trace_print_prefix(s, ctx->rec);
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
