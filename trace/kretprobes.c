// SPDX-License-Identifier: MIT
/*
 * kretprobes: a kprobe at a function's entry that hooks its return.
 *
 * The entry probe takes an instance from the rethook's pool (maxactive of
 * them, allocated at registration: the probe path never allocates), runs
 * the entry_handler, and hooks the return: rethook swaps the return
 * address for its trampoline and keeps the real one, with the entry
 * arguments, on the task's shadow stack. At the return the trampoline
 * calls our handler, which calls the user's, and the instance goes back
 * to the pool. No free instance: the call is counted in nmissed.
 *
 * Both handlers run holding the probe guard (trace/probe_guard.h) with
 * rp->kp, so kprobe_running() gives it in either, and a probe hit inside
 * them is missed. The entry's share is kprobes' own: kretprobe_pre() is
 * the kprobe's pre_handler, and a nested entry never gets here - it hooks
 * no return, so no return handler can run inside a handler later.
 */
#include <trace/kprobes.h>
#include <trace/probe_guard.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/nokprobe.h>
#include <kernel/rcu.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <lib/errno.h>

/*
 * The kprobe's pre_handler at the function's entry: take an instance,
 * run the entry_handler (non-zero: do not hook this return), and hook
 * the return. Probe context, guard held by kprobes; never allocates.
 * Returns 0: the kprobe never changes where execution goes.
 */
static __kprobes int kretprobe_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct kretprobe *rp = (struct kretprobe *)p;	/* kp is the first member */
	struct rethook_node *node = rethook_try_get(rp->rh);
	struct kretprobe_instance *ri;

	if (!node) {
		rp->nmissed++;
		return 0;
	}
	ri = (struct kretprobe_instance *)node;	/* ri->rp was set by fill_pool() */
	if (rp->entry_handler && rp->entry_handler(ri, regs)) {
		rethook_recycle(node);
		return 0;
	}
	rethook_hook(node, regs, false);
	return 0;
}

/* Is @p the entry half of a kretprobe (kprobes/list shows it as 'r')? */
bool kprobe_is_return(const struct kprobe *p)
{
	return p->pre_handler == kretprobe_pre;
}

/* The rethook handler, from the trampoline when the function returns:
 * run the user's handler under the probe guard. The instance goes back
 * to the pool when this returns. Preemption off. */
static __kprobes void kretprobe_return(struct rethook_node *node, void *data,
				       unsigned long ret_addr, struct pt_regs *regs)
{
	struct kretprobe_instance *ri = (struct kretprobe_instance *)node;
	struct kretprobe *rp = data;

	/*
	 * A return hooked outside any handler normally comes back outside
	 * one too; should it come back under another handler all the same,
	 * it is a miss like any nested hit, not a handler inside a handler.
	 */
	if (unlikely(!probe_guard_try(&rp->kp))) {
		rp->nmissed++;
		return;
	}
	ri->ret_addr = ret_addr;	/* for kretprobe_ret_addr() */
	if (rp->handler)
		rp->handler(ri, regs);
	probe_guard_release();
}

/* Allocate the maxactive instances (with data_size bytes each) into the
 * rethook's pool. 0 or -ENOMEM (rethook_free() frees a partial pool). */
static int fill_pool(struct kretprobe *rp)
{
	int i;

	for (i = 0; i < rp->maxactive; i++) {
		struct kretprobe_instance *ri = kzalloc(sizeof(*ri) + rp->data_size);

		if (!ri)
			return -ENOMEM;
		ri->rp = rp;
		rethook_add_node(rp->rh, &ri->node);
	}
	return 0;
}

/*
 * Can @rp go in? Checked before anything is registered: a probe armed
 * off a function's first byte would hook, on its first hit, whatever
 * word sits at the stack pointer, as if it were the return address. By
 * symbol (offset 0) it is a first byte; by address it must be one.
 */
static int kretprobe_check(const struct kretprobe *rp)
{
	if (rp->kp.offset || rp->kp.pre_handler || rp->kp.post_handler)
		return -EINVAL;
	if (rp->kp.addr && !kprobe_at_function_entry(rp->kp.addr))
		return -EINVAL;
	return 0;
}

/*
 * Check @rp, size its pool (default: twice the CPUs, at least
 * KRETPROBE_MAXACTIVE_DEFAULT), then register its entry kprobe. Returns 0,
 * -EINVAL (not a function's entry, or handlers set on kp), -ENOMEM, or
 * register_kprobe()'s errno; on error nothing is left. May sleep.
 */
int register_kretprobe(struct kretprobe *rp)
{
	int err;

	err = kretprobe_check(rp);
	if (err)
		return err;
	if (rp->maxactive <= 0) {
		rp->maxactive = 2 * nr_cpus_present;	/* possible CPUs, as Linux */
		if (rp->maxactive < KRETPROBE_MAXACTIVE_DEFAULT)
			rp->maxactive = KRETPROBE_MAXACTIVE_DEFAULT;
	}
	rp->nmissed = 0;
	rp->rh = rethook_alloc(rp, kretprobe_return);
	if (!rp->rh)
		return -ENOMEM;
	rethook_keep_entry_args(rp->rh, rp->entry_args);
	if (rp->kp.addr)
		rethook_set_name(rp->rh, "kretprobe %ps", (void *)rp->kp.addr);
	else
		rethook_set_name(rp->rh, "kretprobe %s", rp->kp.symbol_name ?: "?");
	err = fill_pool(rp);
	if (!err) {
		rp->kp.pre_handler = kretprobe_pre;
		err = register_kprobe(&rp->kp);
	}
	if (err) {
		rp->kp.pre_handler = NULL;
		rethook_free(rp->rh);		/* frees the nodes too */
		rp->rh = NULL;
	}
	return err;
}

/* Stop the probe; returns when no handler of @rp runs on any CPU, so the
 * caller may free @rp. Returns still pending on stacks are taken care
 * of by rethook. May sleep. */
void unregister_kretprobe(struct kretprobe *rp)
{
	unregister_kprobe(&rp->kp);	/* waits: no entry handler runs now */
	rp->kp.pre_handler = NULL;
	/* Pending returns still reach the trampoline: rethook_free lets them
	 * finish (the handler is cleared) and frees the pool after the last. */
	rethook_free(rp->rh);
	rp->rh = NULL;
	/*
	 * A return handler that read the handler before it was cleared may
	 * still be running on another CPU, and uses @rp. Return handlers run
	 * with preemption off: after a grace period every one has returned,
	 * and the caller may free @rp.
	 */
	synchronize_rcu();
}
