// SPDX-License-Identifier: MIT
/*
 * Stack trace records: the call chain at the moment a function command
 * (FUNC:stacktrace) fired, written into the trace buffer and printed as
 * Linux prints its kernel stack entries:
 *
 *	             fib-12      [000] .....    12.345678: <stack trace>
 *	 => fib
 *	 => fib
 *	 => fib_body
 *
 * The first line is the traced function itself: the walk starts at the
 * return address of its fentry call, leaving out the tracing code.
 */
#include <trace/trace.h>
#include <kernel/stacktrace.h>
#include <lib/printf.h>

#define STACK_RECORD_MAX	32	/* return addresses kept per record */

struct stack_entry {
	struct trace_entry ent;
	unsigned nr;
	unsigned long calls[];
};

/* Where the chain of @entries (@n) reaches @from; 0 if it never does. */
static unsigned chain_start(const unsigned long *entries, unsigned n, unsigned long from)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (entries[i] == from)
			return i;
	return 0;
}

void trace_record_stack(unsigned long from)
{
	unsigned long entries[STACK_RECORD_MAX + 8];
	unsigned n = stack_trace_save(entries, STACK_RECORD_MAX + 8), first, i;
	struct stack_entry *e;

	first = chain_start(entries, n, from);
	if (n - first > STACK_RECORD_MAX)
		n = first + STACK_RECORD_MAX;
	e = trace_reserve(TRACE_STACK, sizeof(*e) + (n - first) * sizeof(e->calls[0]));
	if (!e)
		return;
	e->nr = n - first;
	for (i = first; i < n; i++)
		e->calls[i - first] = entries[i];
	trace_commit(e);
}

static void print_stack(struct trace_print_ctx *ctx)
{
	const struct stack_entry *e = (const void *)ctx->rec->data;
	unsigned i;

	trace_print_prefix(ctx->s, ctx->rec);
	seq_puts(ctx->s, "<stack trace>\n");
	for (i = 0; i < e->nr; i++)
		seq_printf(ctx->s, " => %ps\n", (void *)e->calls[i]);
}

void trace_stack_record_init(void)
{
	trace_register_printer(TRACE_STACK, print_stack);
}
