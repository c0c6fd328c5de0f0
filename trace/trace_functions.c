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
#include <trace/trace_pid.h>
#include <kernel/nokprobe.h>

/*
 * The callback guards itself against recursion (a traced function called
 * while it records), as Linux's does, rather than asking ftrace to wrap
 * it (FTRACE_OPS_FL_RECURSION): the same test, without a call between.
 */
static __kprobes void function_trace_call(unsigned long ip, unsigned long parent_ip,
					  struct ftrace_ops *op, struct pt_regs *regs)
{
	int bit = ftrace_test_recursion_trylock();
	struct fn_entry *e;

	(void)op;
	(void)regs;
	if (bit < 0)
		return;
	if (trace_pid_ftrace_ignored()) {	/* set_ftrace_pid, set_ftrace_notrace_pid */
		ftrace_test_recursion_unlock(bit);
		return;
	}
	e = trace_reserve(TRACE_FN, sizeof(*e));
	if (e) {
		e->ip = ip;
		e->parent_ip = parent_ip;
		trace_commit(e);
	}
	ftrace_test_recursion_unlock(bit);
}

static void print_fn(struct trace_print_ctx *ctx)
{
	const struct fn_entry *e = (const void *)ctx->rec->data;

	trace_print_prefix(ctx->s, ctx->rec);
	seq_printf(ctx->s, "%ps <-%ps\n", (void *)e->ip, (void *)e->parent_ip);
}

static int function_tracer_init(void)
{
	int err;

	trace_register_printer(TRACE_FN, print_fn);
	trace_ops.func = function_trace_call;
	trace_ops.flags &= ~(FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_RECURSION);
	err = register_ftrace_function(&trace_ops);
	if (err)
		trace_ops.flags |= FTRACE_OPS_FL_RECURSION;	/* as the next tracer expects */
	return err;
}

static void function_tracer_reset(void)
{
	unregister_ftrace_function(&trace_ops);
	trace_ops.flags |= FTRACE_OPS_FL_RECURSION;	/* as the next tracer expects */
}

static const struct tracer function_tracer = {
	.name = "function",
	.init = function_tracer_init,
	.reset = function_tracer_reset,
};
REGISTER_TRACER(function_tracer);
