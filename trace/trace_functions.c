// SPDX-License-Identifier: MIT
/*
 * The function tracer: one record per call of a traced function, with
 * the caller, printed as Linux does:
 *
 *	           fib-12     [000]    12.345678: fib <-fib
 *
 * It registers trace_ops (whose filter set_ftrace_filter edits) with a
 * callback that writes a record into the trace buffer.
 */
#include <trace/trace.h>
#include <trace/ftrace.h>
#include <kernel/nokprobe.h>

static __kprobes void function_trace_call(unsigned long ip, unsigned long parent_ip,
					  struct ftrace_ops *op, struct pt_regs *regs)
{
	struct fn_entry *e = trace_reserve(TRACE_FN, sizeof(*e));

	(void)op;
	(void)regs;
	if (!e)
		return;
	e->ip = ip;
	e->parent_ip = parent_ip;
	trace_commit(e);
}

static void print_fn(struct trace_print_ctx *ctx)
{
	const struct fn_entry *e = (const void *)ctx->rec->data;

	trace_print_prefix(ctx->s, ctx->rec);
	seq_printf(ctx->s, "%ps <-%ps\n", (void *)e->ip, (void *)e->parent_ip);
}

static int function_tracer_init(void)
{
	trace_register_printer(TRACE_FN, print_fn);
	trace_ops.func = function_trace_call;
	trace_ops.flags &= ~FTRACE_OPS_FL_SAVE_REGS;
	return register_ftrace_function(&trace_ops);
}

static void function_tracer_reset(void)
{
	unregister_ftrace_function(&trace_ops);
}

static const struct tracer function_tracer = {
	.name = "function",
	.init = function_tracer_init,
	.reset = function_tracer_reset,
};
REGISTER_TRACER(function_tracer);
