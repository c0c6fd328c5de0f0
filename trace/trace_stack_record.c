// SPDX-License-Identifier: MIT
/*
 * Stack traces as trace records (TRACE_STACK): after a function-tracer
 * record with func_stack_trace, after an event with the stacktrace
 * option, and for the stacktrace trigger and FUNC:stacktrace command.
 * Everything here runs in probe or tracer context: no lock, no
 * allocation, nothing a probe may sit on.
 */
#include <trace/trace.h>
#include <kernel/nokprobe.h>
#include <kernel/stacktrace.h>
#include <asm/ptrace.h>
#include <lib/compiler.h>

struct stack_collect {
	unsigned long *store;
	unsigned int nr;
	unsigned long from;		/* keep frames from this address on */
};

/* Stack-walk callback: skip frames until @from, then store up to
 * TRACE_STACK_ENTRIES. False stops the walk. */
static __kprobes bool collect_frame(void *arg, unsigned long addr)
{
	struct stack_collect *c = arg;

	if (c->from && addr != c->from)
		return true;		/* still in the recorder's own frames */
	c->from = 0;
	c->store[c->nr++] = addr;
	return c->nr < TRACE_STACK_ENTRIES;
}

/*
 * Record a <stack trace> event: the @nr_lead addresses of @lead, then
 * the frames from @bp, skipping those above @from (the recorder's own).
 * @own_preempt is how much preemption the caller itself disabled, so the
 * record's depth is the traced code's. Probe and tracer context: no
 * lock, no allocation, nothing probe-able called.
 */
__kprobes void trace_record_stack(const unsigned long *lead, unsigned int nr_lead,
				  unsigned long bp, unsigned long from, unsigned int own_preempt)
{
	unsigned long store[TRACE_STACK_ENTRIES];
	struct stack_collect c = { .store = store, .nr = 0, .from = from };
	struct stack_entry *e;

	while (c.nr < nr_lead && c.nr < TRACE_STACK_ENTRIES / 2) {
		store[c.nr] = lead[c.nr];
		c.nr++;
	}
	arch_stack_walk_current(collect_frame, &c, bp);
	e = trace_reserve_own_preempt(TRACE_STACK, sizeof(*e) + c.nr * sizeof(store[0]), own_preempt);
	if (!e)
		return;
	/* A loop, not memcpy(): nothing a kprobe may sit on is called here. */
	for (e->nr = 0; e->nr < c.nr; e->nr++)
		e->caller[e->nr] = store[e->nr];
	trace_commit(e);
}

/* The stack at a probe hit at @ip: @ip first, then - at a function's
 * entry, where the frame is not set up yet - the caller at the stack
 * pointer, then the frames from rbp. Probe context. */
__kprobes void trace_record_hit_stack(const struct pt_regs *regs, unsigned long ip, bool at_entry)
{
	unsigned long lead[1 + STACK_LEAF_WORDS];
	unsigned int n = 1;

	lead[0] = ip;
	if (at_entry)
		n += arch_stack_leaf_words(regs->sp, &lead[1]) ? 1 : 0;
	trace_record_stack(lead, n, regs->bp, 0, 0);
}
