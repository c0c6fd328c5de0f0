// SPDX-License-Identifier: MIT
/*
 * The function_graph tracer: a record when a traced function is entered
 * and another when it returns, printed as a call graph with durations:
 *
 *	 0)               |  fib() {
 *	 0)   0.551 us    |    fib();
 *	 0) + 12.040 us   |  }
 *
 * On entry the callback pushes the real return address on the task's
 * return stack (task->ret_stack) and puts return_to_handler (ftrace_64.S)
 * in its place; on return that trampoline calls ftrace_return_to_handler(),
 * which pops the entry, records the exit and gives back the real address.
 * The unwinder asks ftrace_graph_ret_addr() to see through the trampoline.
 */
#include <trace/trace.h>
#include <trace/ftrace.h>
#include <trace/trace_pid.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/nokprobe.h>
#include <kernel/panic.h>
#include <kernel/sched.h>
#include <kernel/time.h>
#include <asm/ptrace.h>
#include <lib/errno.h>
#include <lib/printf.h>

extern char return_to_handler[];
static bool graph_active;
unsigned long graph_overruns;	/* entries not hooked: return stack full */

/* ---- entry and return ---- */

static __kprobes void graph_entry(unsigned long ip, unsigned long parent_ip,
				  struct ftrace_ops *op, struct pt_regs *regs)
{
	struct task_struct *t = current;
	unsigned long *slot = (unsigned long *)regs->sp;	/* the return address */
	struct graph_entry *e;
	int depth;

	(void)parent_ip;
	(void)op;
	if (trace_pid_ftrace_ignored())	/* set_ftrace_pid, set_ftrace_notrace_pid */
		return;
	if (!t->ret_stack || t->curr_ret_depth >= TASK_RET_STACK_DEPTH) {
		graph_overruns++;
		return;
	}
	depth = t->curr_ret_depth;
	e = trace_reserve(TRACE_GRAPH_ENT, sizeof(*e));
	if (e) {
		e->func = ip;
		e->depth = depth;
		trace_commit(e);
	}
	t->ret_stack[depth] = (struct task_ret_entry){
		.ret = *slot, .func = ip, .calltime = trace_clock_ns(), .fp = (unsigned long)slot,
	};
	barrier();		/* the entry is complete before the hook goes in */
	t->curr_ret_depth = depth + 1;
	*slot = (unsigned long)return_to_handler;
}

static __kprobes void record_return(const struct task_ret_entry *r, int depth)
{
	struct graph_ret_entry *e;

	if (!graph_active)
		return;
	e = trace_reserve(TRACE_GRAPH_RET, sizeof(*e));
	if (!e)
		return;
	e->func = r->func;
	e->depth = depth;
	e->calltime = r->calltime;
	e->rettime = trace_clock_ns();
	trace_commit(e);
}

/*
 * Called by return_to_handler with the stack pointer the function left:
 * its return address slot is just below. Returns the real return address.
 */
__kprobes unsigned long ftrace_return_to_handler(unsigned long sp)
{
	struct task_struct *t = current;
	int depth = t->curr_ret_depth - 1;
	struct task_ret_entry r;

	if (depth < 0 || t->ret_stack[depth].fp != sp - 8)
		panic("function_graph: return stack of pid %d out of step (depth %d)", t->pid, depth);
	r = t->ret_stack[depth];
	t->curr_ret_depth = depth;
	record_return(&r, depth);
	return r.ret;
}

/* The unwinder's question: if the return address read from @slot is our
 * trampoline, what is the real one? */
unsigned long ftrace_graph_ret_addr(struct task_struct *t, unsigned long addr, unsigned long slot)
{
	int i;

	if (addr != (unsigned long)return_to_handler || !t || !t->ret_stack)
		return addr;
	for (i = t->curr_ret_depth - 1; i >= 0; i--)
		if (t->ret_stack[i].fp == slot)
			return t->ret_stack[i].ret;
	return addr;
}
NOKPROBE_SYMBOL(ftrace_graph_ret_addr);

int ftrace_graph_task_snapshot(struct task_struct *t, struct graph_snap_entry *out, unsigned max)
{
	int depth, i;
	unsigned n = 0;

	if (!sched_task_held(t))
		return -EBUSY;
	/* ret_stack, once given, stays until the task is released. */
	depth = t->ret_stack ? READ_ONCE(t->curr_ret_depth) : 0;
	for (i = depth - 1; i >= 0 && n < max; i--, n++)
		out[n] = (struct graph_snap_entry){ .func = t->ret_stack[i].func,
			.ret = t->ret_stack[i].ret, .fp = t->ret_stack[i].fp,
			.calltime = t->ret_stack[i].calltime };
	return depth;
}

static void alloc_ret_stack(struct task_struct *t)
{
	if (!t->ret_stack)
		t->ret_stack = kcalloc(TASK_RET_STACK_DEPTH, sizeof(*t->ret_stack));
}

/* Every task gets a return stack when the tracer starts, and a new task
 * when it is created while the tracer runs (kthread_create calls this). */
void ftrace_graph_init_task(struct task_struct *t)
{
	if (graph_active)
		alloc_ret_stack(t);
}

static void graph_init_all_tasks(void)
{
	struct task_struct *t;
	unsigned long flags;

	/* kcalloc under the task-list lock is fine: it never sleeps. */
	tasklist_lock(&flags);
	list_for_each_entry(t, &task_list, tasks_node)
		alloc_ret_stack(t);
	tasklist_unlock(flags);
}

/* ---- printing ---- */

/*
 * Linux's duration column: a mark for long calls (+ over 10 us, ! over
 * 100 us, # over 1 ms), the time, padded to a fixed width, then the bar.
 */
static void print_duration(struct seq_out *s, u64 ns)
{
	char mark = ' ', text[24];
	u64 us = ns / NSEC_PER_USEC;

	if (us >= 1000)
		mark = '#';
	else if (us >= 100)
		mark = '!';
	else if (us >= 10)
		mark = '+';
	snprintf(text, sizeof(text), "%llu.%03llu us", (unsigned long long)us,
		 (unsigned long long)(ns % NSEC_PER_USEC));
	seq_printf(s, "%c %-12s|  ", mark, text);
}

static void print_lead(struct seq_out *s, const struct ring_buffer_record *rec)
{
	seq_printf(s, " %u) ", rec->cpu);
}

static void indent(struct seq_out *s, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		seq_puts(s, "  ");
}

/* Is @next the return of the call @rec entered, by the same task? */
static bool is_matching_return(const struct ring_buffer_record *rec,
			       const struct ring_buffer_record *next)
{
	const struct graph_entry *e = (const void *)rec->data;
	const struct graph_ret_entry *r;

	if (!next)
		return false;
	r = (const void *)next->data;
	return r->ent.type == TRACE_GRAPH_RET && r->ent.pid == e->ent.pid &&
	       r->func == e->func && r->depth == e->depth && next->cpu == rec->cpu;
}

static void print_graph_entry(struct trace_print_ctx *ctx)
{
	const struct graph_entry *e = (const void *)ctx->rec->data;

	print_lead(ctx->s, ctx->rec);
	if (is_matching_return(ctx->rec, ctx->next)) {	/* a leaf: one line */
		const struct graph_ret_entry *r = (const void *)ctx->next->data;

		print_duration(ctx->s, r->rettime - r->calltime);
		indent(ctx->s, e->depth);
		seq_printf(ctx->s, "%ps();\n", (void *)e->func);
		ctx->consumed_next = true;
		return;
	}
	seq_puts(ctx->s, "              |  ");
	indent(ctx->s, e->depth);
	seq_printf(ctx->s, "%ps() {\n", (void *)e->func);
}

static void print_graph_return(struct trace_print_ctx *ctx)
{
	const struct graph_ret_entry *r = (const void *)ctx->rec->data;

	print_lead(ctx->s, ctx->rec);
	print_duration(ctx->s, r->rettime - r->calltime);
	indent(ctx->s, r->depth);
	seq_puts(ctx->s, "}\n");
}

static void graph_print_header(struct seq_out *s)
{
	seq_puts(s, "# CPU  DURATION                  FUNCTION CALLS\n");
	seq_puts(s, "# |     |   |                     |   |   |   |\n");
}

/* ---- the tracer ---- */

static int graph_tracer_init(void)
{
	int err;

	trace_register_printer(TRACE_GRAPH_ENT, print_graph_entry);
	trace_register_printer(TRACE_GRAPH_RET, print_graph_return);
	graph_active = true;
	graph_init_all_tasks();
	trace_ops.func = graph_entry;
	trace_ops.flags &= ~FTRACE_OPS_FL_SAVE_REGS;
	err = register_ftrace_function(&trace_ops);
	if (err)
		graph_active = false;
	return err;
}

/* Hooked returns still pending keep working: the trampoline stays, and a
 * return after the tracer stopped just goes home without a record. */
static void graph_tracer_reset(void)
{
	unregister_ftrace_function(&trace_ops);
	graph_active = false;
}

static const struct tracer graph_tracer = {
	.name = "function_graph",
	.init = graph_tracer_init,
	.reset = graph_tracer_reset,
	.print_header = graph_print_header,
};
REGISTER_TRACER(graph_tracer);
