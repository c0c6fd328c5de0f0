// SPDX-License-Identifier: MIT
/*
 * The function tracer: one record per call of a traced function, with
 * the caller, printed as Linux does:
 *
 *	             fib-12      [000] .....    12.345678: fib <-fib
 *
 * It registers trace_ops (whose filter set_ftrace_filter edits) with a
 * callback that writes a record into the trace buffer.
 */
#include <trace/trace.h>
#include <trace/ftrace.h>
#include <trace/trace_pid.h>
#include <kernel/nokprobe.h>

/*
 * The callbacks run inside an ftrace trampoline, which holds preemption
 * off around them: a record shows the preempt depth of the traced code,
 * without that count (as Linux's takes off its recursion guard's).
 */
#define TRAMPOLINE_PREEMPT	PREEMPT_OFFSET

/* One function record: the traced function and its caller. */
static __always_inline void record_function(unsigned long ip, unsigned long parent_ip)
{
	struct fn_entry *e = trace_reserve_own_preempt(TRACE_FN, sizeof(*e), TRAMPOLINE_PREEMPT);

	if (e) {
		e->ip = ip;
		e->parent_ip = parent_ip;
		trace_commit(e);
	}
}

/*
 * The callback guards itself against recursion (a traced function called
 * while it records), as Linux's does, rather than asking ftrace to wrap
 * it (FTRACE_OPS_FL_RECURSION): the same test, without a call between.
 */
static __kprobes void function_trace_call(unsigned long ip, unsigned long parent_ip,
					  struct ftrace_ops *op __always_unused,
					  struct pt_regs *regs __always_unused)
{
	int bit = ftrace_test_recursion_trylock();

	if (bit < 0)
		return;
	if (!trace_pid_ftrace_ignored())	/* set_ftrace_pid, set_ftrace_notrace_pid */
		record_function(ip, parent_ip);
	ftrace_test_recursion_unlock(bit);
}

/*
 * With func_stack_trace: each record is followed by the stack, the traced
 * function first, then its caller and theirs. The walk starts in this
 * callback, under the trampoline's two frame records (the traced function,
 * then @parent_ip); it is kept from @parent_ip on. A callback of its own,
 * as on Linux, so that function_trace_call() pays nothing for the option.
 */
static __kprobes void function_stack_trace_call(unsigned long ip, unsigned long parent_ip,
						struct ftrace_ops *op __always_unused,
						struct pt_regs *regs __always_unused)
{
	int bit = ftrace_test_recursion_trylock();

	if (bit < 0)
		return;
	if (!trace_pid_ftrace_ignored()) {
		record_function(ip, parent_ip);
		trace_record_stack(&ip, 1, (unsigned long)__builtin_frame_address(0), parent_ip,
				   TRAMPOLINE_PREEMPT);
	}
	ftrace_test_recursion_unlock(bit);
}

/* "fib <-fib_body", as the sym-offset, sym-addr and print-parent options say. */
static void print_fn(struct trace_print_ctx *ctx)
{
	const struct fn_entry *e = (const void *)ctx->rec->data;

	trace_print_ctx_prefix(ctx);
	trace_print_sym(ctx->s, e->ip);
	if (trace_option_on(TRACE_OPT_PRINT_PARENT) && e->parent_ip) {
		seq_puts(ctx->s, " <-");
		trace_print_sym(ctx->s, e->parent_ip);
	}
	seq_puts(ctx->s, "\n");
}

static bool function_tracer_on;

static ftrace_func_t function_callback(void)
{
	return trace_option_on(TRACE_OPT_FUNC_STACK_TRACE) ? function_stack_trace_call :
							     function_trace_call;
}

/*
 * Become the current tracer: register trace_ops with the callback the
 * func_stack_trace option picks, without SAVE_REGS or the recursion
 * wrapper (the callback guards itself). Returns 0 or ftrace's error.
 */
static int function_tracer_init(void)
{
	int err;

	trace_register_printer(TRACE_FN, print_fn);
	trace_ops.func = function_callback();
	trace_ops.flags &= ~(FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_RECURSION);
	err = register_ftrace_function(&trace_ops);
	if (err)
		trace_ops.flags |= FTRACE_OPS_FL_RECURSION;	/* as the next tracer expects */
	function_tracer_on = !err;
	return err;
}

static void function_tracer_reset(void)
{
	unregister_ftrace_function(&trace_ops);
	trace_ops.flags |= FTRACE_OPS_FL_RECURSION;	/* as the next tracer expects */
	function_tracer_on = false;
}

/*
 * options/func_stack_trace: while the function tracer runs, swap its
 * callback (the trampoline has the callback built in: unregister, then
 * register again with the other). Called before the option changes.
 */
int function_set_stack_trace(bool on)
{
	int err;

	if (!function_tracer_on)
		return 0;
	unregister_ftrace_function(&trace_ops);
	trace_ops.func = on ? function_stack_trace_call : function_trace_call;
	err = register_ftrace_function(&trace_ops);
	if (err) {		/* put the old callback back */
		trace_ops.func = on ? function_trace_call : function_stack_trace_call;
		if (register_ftrace_function(&trace_ops))
			function_tracer_on = false;
	}
	return err;
}

static const struct tracer function_tracer = {
	.name = "function",
	.init = function_tracer_init,
	.reset = function_tracer_reset,
};
REGISTER_TRACER(function_tracer);
