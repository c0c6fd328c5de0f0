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
 * which records the exit (with the return value), pops the entry and
 * gives back the real address.
 * The unwinder asks ftrace_graph_ret_addr() to see through the trampoline.
 *
 * This file records; trace_graph_print.c prints, and the controls that
 * choose what is recorded (set_graph_function, set_graph_notrace,
 * max_graph_depth, tracing_thresh, funcgraph-irqs) are in
 * trace_graph_files.c. The choice itself is made here, on the hit path.
 */
#include <trace/trace.h>
#include <trace/ftrace.h>
#include <trace/trace_graph.h>
#include <trace/trace_pid.h>
#include <trace/trace_clock.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/nokprobe.h>
#include <kernel/panic.h>
#include <kernel/rcu.h>
#include <kernel/sched.h>
#include <kernel/time.h>
#include <asm/ptrace.h>
#include <lib/errno.h>
#include <lib/printf.h>

static bool graph_active;

/* ---- the controls' verdict ---- */

unsigned int graph_gate;

enum graph_verdict {
	GRAPH_SKIP,		/* leave the call alone: no record, no return hook */
	GRAPH_HOOK,		/* hook its return, record nothing yet */
	GRAPH_RECORD,		/* record the entry and hook the return */
};

/* Is @ip in the set published at *@set? Preemption is off (ftrace callback). */
static __kprobes bool graph_set_has(struct ftrace_hash **set, unsigned long ip)
{
	return ftrace_hash_contains(rcu_dereference(*set), ip);
}

/*
 * What to do with a call of @ip at @depth by @t when a control is set or
 * @t is inside a filtered call, in Linux's order. A set_graph_notrace
 * function is hooked, unrecorded, so that its return can end the task's
 * notrace stretch; nothing is hooked meanwhile. A set_graph_function
 * function opens a stretch in which everything is graphed, until it
 * returns. Under tracing_thresh only returns are recorded (the entry's
 * time waits on the return stack).
 */
static __kprobes enum graph_verdict graph_entry_verdict(struct task_struct *t, unsigned long ip,
							int depth)
{
	unsigned int gate = READ_ONCE(graph_gate);

	if (t->graph_flags & GRAPH_TASK_NOTRACE)
		return GRAPH_SKIP;
	if ((gate & GRAPH_GATE_NOTRACE) && graph_set_has(&graph_notrace, ip)) {
		t->graph_flags |= GRAPH_TASK_NOTRACE;
		return GRAPH_HOOK;
	}
	if ((gate & GRAPH_GATE_DEPTH) && (unsigned int)depth >= READ_ONCE(graph_max_depth))
		return GRAPH_SKIP;
	if ((gate & GRAPH_GATE_FUNCS) && !(t->graph_flags & GRAPH_TASK_IN_FUNC)) {
		if (!graph_set_has(&graph_funcs, ip))
			return GRAPH_SKIP;
		/* One called from an interrupt is graphed with its callees,
		 * even with funcgraph-irqs off. */
		t->graph_flags |= GRAPH_TASK_IN_FUNC | (in_hardirq() ? GRAPH_TASK_IN_FUNC_IRQ : 0);
		t->graph_func_depth = depth;
	}
	if ((gate & GRAPH_GATE_NO_IRQS) && in_hardirq() && !(t->graph_flags & GRAPH_TASK_IN_FUNC_IRQ))
		return GRAPH_SKIP;
	return (gate & GRAPH_GATE_THRESH) ? GRAPH_HOOK : GRAPH_RECORD;
}

/* A hooked call at @depth returned: close what its entry opened. Returns
 * true if its return is not to be recorded (a set_graph_notrace call). */
static __kprobes bool graph_return_ends_notrace(struct task_struct *t, int depth)
{
	if ((t->graph_flags & GRAPH_TASK_IN_FUNC) && depth == t->graph_func_depth)
		t->graph_flags &= ~(GRAPH_TASK_IN_FUNC | GRAPH_TASK_IN_FUNC_IRQ);
	if (t->graph_flags & GRAPH_TASK_NOTRACE) {
		t->graph_flags &= ~GRAPH_TASK_NOTRACE;
		return true;
	}
	return false;
}

/* ---- entry and return ---- */

/*
 * The time of record @e, just reserved, as trace_clock_ns() tells it: the
 * stamp the ring buffer gave it, when the trace clock is the TSC - so a
 * call's entry and its return read the clock once each, not twice (under
 * QEMU's TCG every TSC read takes a lock all the virtual CPUs share, and
 * the graph tracer on every CPU spent half its extra time there). 0 when
 * the stamp is not the TSC (trace_clock counter or uptime): the caller
 * reads the clock itself.
 */
static __always_inline u64 graph_record_ns(const void *e)
{
	if (unlikely(!trace_clock_in_ns()))
		return 0;
	return trace_clock_raw_to_ns(ring_buffer_event_stamp(e));
}

/*
 * The tracer's ftrace callback at a traced function's entry: record the
 * call (unless a filter says no), push the real return address on the
 * task's return stack and put return_to_handler in its place, so that
 * the return comes back here. Preemption off; no lock. A task without
 * a return stack, or with a full one, is not hooked.
 */
static __kprobes void graph_entry(unsigned long ip, unsigned long parent_ip __always_unused,
				  struct ftrace_ops *op __always_unused, struct pt_regs *regs)
{
	struct task_struct *t = current;
	unsigned long *slot = (unsigned long *)regs->sp;	/* the return address */
	bool record = true;
	struct graph_entry *e;
	u64 calltime = 0;	/* the entry record's stamp, if it has one */
	int depth;

	if (trace_pid_ftrace_ignored())	/* set_ftrace_pid, set_ftrace_notrace_pid */
		return;
	if (!t->ret_stack)
		return;
	if (t->curr_ret_depth >= TASK_RET_STACK_DEPTH) {
		t->graph_overrun++;	/* shown by funcgraph-overrun */
		return;
	}
	depth = t->curr_ret_depth;
	/* One test while no control is set and the task is in no filtered call. */
	if (unlikely(READ_ONCE(graph_gate) | t->graph_flags)) {
		enum graph_verdict v = graph_entry_verdict(t, ip, depth);

		if (v == GRAPH_SKIP)
			return;
		record = v == GRAPH_RECORD;
	}
	if (record) {
		e = trace_reserve(TRACE_GRAPH_ENT, sizeof(*e));
		if (e) {
			e->func = ip;
			e->depth = depth;
			calltime = graph_record_ns(e);
			trace_commit(e);
		}
	}
	t->ret_stack[depth] = (struct task_ret_entry){
		.ret = *slot, .func = ip, .calltime = calltime ? calltime : trace_clock_ns(),
		.fp = (unsigned long)slot,
	};
	barrier();		/* the entry is complete before the hook goes in */
	t->curr_ret_depth = depth + 1;
	*slot = (unsigned long)return_to_handler;
}

/* The return record, with the call's time; under tracing_thresh only
 * calls that took at least that long are kept. */
static __kprobes void record_return(const struct task_struct *t, const struct task_ret_entry *r,
				    int depth, unsigned long retval)
{
	u64 thresh = READ_ONCE(graph_thresh_ns);
	struct graph_ret_entry *e;

	if (!graph_active)
		return;
	/* Under tracing_thresh the clock is read twice: the usual path reads
	 * it once, after the reserve, with nothing to keep across calls. */
	if (unlikely(thresh) && trace_clock_ns() - r->calltime < thresh)
		return;
	e = trace_reserve(TRACE_GRAPH_RET, sizeof(*e));
	if (!e)
		return;
	e->func = r->func;
	e->depth = depth;
	e->overrun = t->graph_overrun;
	e->retval = retval;
	e->calltime = r->calltime;
	e->rettime = graph_record_ns(e);
	if (!e->rettime)
		e->rettime = trace_clock_ns();
	trace_commit(e);
}

/*
 * Called by return_to_handler with the stack pointer the function left
 * (its return address slot is just below) and the value it returns (rax).
 * Returns the real return address.
 */
__kprobes unsigned long ftrace_return_to_handler(unsigned long sp, unsigned long retval)
{
	struct task_struct *t = current;
	int depth = t->curr_ret_depth - 1;
	const struct task_ret_entry *r;
	unsigned long ret;

	if (depth < 0 || t->ret_stack[depth].fp != sp - 8)
		panic("function_graph: return stack of pid %d out of step (depth %d)", t->pid, depth);
	r = &t->ret_stack[depth];
	/*
	 * The frame stays on the stack while its return is recorded and is
	 * read in place: an interrupt meanwhile pushes its own frames above
	 * it, so nothing needs copying out first.
	 */
	if (likely(!t->graph_flags) || !graph_return_ends_notrace(t, depth))
		record_return(t, r, depth, retval);
	ret = r->ret;
	barrier();		/* read before the frame is given back */
	t->curr_ret_depth = depth;
	return ret;
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

/* Copy @t's return stack, innermost first, for /proc/PID/graph_stack.
 * Returns its depth, or -EBUSY when @t is not held (its stack moves). */
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

/* A return stack for every task, so that each can be hooked at once. */
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

/* ---- the tracer ---- */

/* Become the current tracer: return stacks first, then the ftrace ops.
 * Returns 0 or ftrace's error (nothing hooked). Process context. */
static int graph_tracer_init(void)
{
	int err;

	graph_print_init();
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
	.open = graph_print_open,
	.close = graph_print_close,
	.own_types = (1u << TRACE_GRAPH_ENT) | (1u << TRACE_GRAPH_RET),
	.print_other = graph_print_comment,
};
REGISTER_TRACER(graph_tracer);
