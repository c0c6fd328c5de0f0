// SPDX-License-Identifier: MIT
/*
 * rethook, the generic half: node pools, the per-task shadow stack, the
 * return-time handler, and freeing a rethook while its nodes are still in
 * flight. The arch half (arch_rethook_prepare(), the trampoline) changes
 * the stack; this file only keeps the books. See trace/rethook.h for the
 * life cycle.
 *
 * The shadow stack is task_struct::rethooks, an llist used as a stack and
 * touched only by its own task (and by interrupts on that task's CPU,
 * which push and pop in strict nesting), so it needs no atomics: the
 * __llist_* variants. Nodes for nested hooked calls sit newest first. One
 * call may carry several nodes when several rethooks hook the same
 * function: the first hook saved the real return address, the later ones
 * saved the trampoline's, and all of them have the same frame.
 *
 * Freeing. Pool nodes may be read by CPUs inside freelist_try_get() and
 * the shadow stack of a sleeping task may be read by an unwinder, both
 * with preemption off; so nodes and rethooks are freed only through
 * call_rcu(). Everything on the return path is notrace (this directory is
 * built without fentry sites) and NOKPROBE.
 */
#include <trace/rethook.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/nokprobe.h>
#include <kernel/panic.h>
#include <kernel/preempt.h>
#include <kernel/rcu.h>
#include <kernel/sched.h>
#include <asm/ptrace.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <stdarg.h>

static struct rethook_node *rethook_node_of(struct llist_node *pos)
{
	return container_of(pos, struct rethook_node, llist);
}

/* ------------------------------------------------------------ life cycle */

/* A rethook with an empty pool and one reference of its own; NULL for
 * a missing @handler or no memory. Process context. */
struct rethook *rethook_alloc(void *data, rethook_handler_t handler)
{
	struct rethook *rh;

	if (WARN_ON(!handler))
		return NULL;
	rh = kzalloc(sizeof(*rh));
	if (!rh)
		return NULL;
	rh->data = data;
	rh->handler = handler;
	rh->entry_args = true;
	freelist_init(&rh->pool);
	refcount_set(&rh->ref, 1);	/* the rethook's own reference */
	return rh;
}

void rethook_set_name(struct rethook *rh, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rh->name, sizeof(rh->name), fmt, ap);
	va_end(ap);
}

/* Give @node to @rh's pool (each node holds a reference on @rh). Only
 * while setting up, before the rethook hooks anything. */
void rethook_add_node(struct rethook *rh, struct rethook_node *node)
{
	node->rethook = rh;
	node->cache_next = NULL;
	/* Before the pool is shared (see rethook.h): plain stores. */
	rh->nr_nodes++;
	rh->cache_max = rh->nr_nodes / (2 * (unsigned int)(nr_cpus_present > 0 ? nr_cpus_present : 1));
	freelist_node_init(&node->freelist);
	refcount_inc(&rh->ref);
	freelist_add(&node->freelist, &rh->pool);
}

/*
 * Rethooks passed to rethook_free() and not freed yet: each waits for its
 * pool's grace period and for its nodes still in flight. kernel_quiesce()
 * waits for this to reach zero (rethook_all_freed()).
 */
static atomic_t rethooks_dying = ATOMIC_INIT(0);

/*
 * Drop @n references to @rh; the last one frees it. The last reference
 * always goes after rethook_free() (the rethook's own one is dropped by
 * rethook_free_rcu()), so a freed rethook was a dying one.
 */
static void rethook_put(struct rethook *rh, int n)
{
	if (refcount_sub_and_test(n, &rh->ref)) {
		kfree(rh);
		atomic_dec(&rethooks_dying);
	}
}

/*
 * A grace period after rethook_free(): nobody can be taking nodes from the
 * pool or giving them back to it any more (both run with preemption off
 * and see the NULL handler), so the pool can be walked without atomics.
 * Free its nodes, and drop their references and the rethook's own. Nodes
 * still in flight keep the rethook alive.
 */
static void rethook_free_rcu(struct rcu_head *head)
{
	struct rethook *rh = container_of(head, struct rethook, rcu);
	struct freelist_node *pos = rh->pool.head, *next;
	struct rethook_node *node, *node_next;
	int freed = 0, cpu;

	for (; pos; pos = next) {
		next = pos->next;
		kfree(container_of(pos, struct rethook_node, freelist));
		freed++;
	}
	rh->pool.head = NULL;
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		for (node = rh->cache[cpu].head; node; node = node_next) {
			node_next = node->cache_next;
			kfree(node);
			freed++;
		}
		rh->cache[cpu].head = NULL;
		rh->cache[cpu].count = 0;
	}
	rethook_put(rh, freed + 1);
}

void rethook_free(struct rethook *rh)
{
	atomic_inc(&rethooks_dying);
	rcu_assign_pointer(rh->handler, NULL);
	call_rcu(&rh->rcu, rethook_free_rcu);
}

/* A node that came back after rethook_free(), a grace period later. */
static void rethook_free_node_rcu(struct rcu_head *head)
{
	struct rethook_node *node = container_of(head, struct rethook_node, rcu);
	struct rethook *rh = node->rethook;

	kfree(node);
	rethook_put(rh, 1);
}

/* --------------------------------------------------------- taking nodes */

/*
 * Give @node back to @rh, whose handler the caller has seen set with
 * preemption off since (so the pool is not freed before it is enabled
 * again): to this CPU's cache if it has room, else to the shared pool.
 * The push is safe against an interrupt that pops and pushes in the
 * middle of it (see "The pool" in rethook.h).
 */
static __always_inline void rethook_put_node(struct rethook *rh, struct rethook_node *node)
{
	struct rethook_cpu_cache *c = &rh->cache[smp_processor_id()];
	struct rethook_node *head;

	if (READ_ONCE(c->count) >= rh->cache_max) {
		freelist_add(&node->freelist, &rh->pool);
		return;
	}
	add_uint_local(&c->count, 1);	/* before the node shows */
	head = READ_ONCE(c->head);
	do {
		node->cache_next = head;
	} while (!try_cmpxchg_ptr_local((void **)&c->head, (void **)&head, node));
}

/* rethook_recycle() for callers that know preemption is off. */
static __always_inline void __rethook_recycle(struct rethook_node *node)
{
	struct rethook *rh = node->rethook;

	if (unlikely(!READ_ONCE(rh->handler))) {
		call_rcu(&node->rcu, rethook_free_node_rcu);
		return;
	}
	rethook_put_node(rh, node);
}

void rethook_recycle(struct rethook_node *node)
{
	WARN_ON_ONCE(preemptible());
	__rethook_recycle(node);
}
NOKPROBE_SYMBOL(rethook_recycle);

/* -------------------------------------------------- reading the stack */

/*
 * The first node after *@cur (or the top of @tsk's shadow stack if *@cur
 * is NULL) that holds a real return address; moves *@cur to it. Nodes that
 * hold the trampoline's address belong to the same call as the next real
 * one (several rethooks on one function) and are skipped.
 */
static unsigned long __rethook_next(struct task_struct *tsk, struct llist_node **cur)
{
	struct llist_node *pos = *cur ? READ_ONCE((*cur)->next) : READ_ONCE(tsk->rethooks.first);

	for (; pos; pos = READ_ONCE(pos->next)) {
		unsigned long addr = READ_ONCE(rethook_node_of(pos)->ret_addr);

		if (!is_rethook_trampoline(addr)) {
			*cur = pos;
			return addr;
		}
	}
	return 0;
}
NOKPROBE_SYMBOL(__rethook_next);

/*
 * Another task's shadow stack is stable only while that task stays off
 * its CPU: Linux asks for current or a task that is not running. Not
 * running now is not enough here - a preempted task is runnable and may
 * be switched to on its CPU halfway through our walk, and a sleeping one
 * may be woken - so we ask for one that cannot run until we are done:
 * held by sched_call_held().
 */
static bool rethook_stack_readable(struct task_struct *tsk)
{
	return sched_task_held(tsk);
}

/*
 * The real return address saved for @frame on @tsk's shadow stack,
 * searching down from *@cur (NULL: the top), which is left at the node
 * found; 0, with *@cur unchanged, if none. For unwinders: @tsk must be
 * current or held (see above). Any context.
 */
unsigned long rethook_find_ret_addr(struct task_struct *tsk, unsigned long frame,
				    struct llist_node **cur)
{
	struct llist_node *start;
	unsigned long addr;

	if (WARN_ON_ONCE(!cur) || !rethook_stack_readable(tsk))
		return 0;
	start = *cur;
	/* Nodes are freed through call_rcu(): hold them while we look. */
	rcu_read_lock();
	while ((addr = __rethook_next(tsk, cur)) &&
	       READ_ONCE(rethook_node_of(*cur)->frame) != frame)
		;
	rcu_read_unlock();
	if (!addr)
		*cur = start;
	return addr;
}
NOKPROBE_SYMBOL(rethook_find_ret_addr);

/* The next saved return address below *@cur, whatever its frame; 0 at
 * the bottom. Same rules as rethook_find_ret_addr(). */
unsigned long rethook_next_ret_addr(struct task_struct *tsk, struct llist_node **cur)
{
	unsigned long addr;

	if (WARN_ON_ONCE(!cur) || !rethook_stack_readable(tsk))
		return 0;
	rcu_read_lock();
	addr = __rethook_next(tsk, cur);
	rcu_read_unlock();
	return addr;
}
NOKPROBE_SYMBOL(rethook_next_ret_addr);

/* Copy @tsk's shadow stack, top first, into @out (at most @max entries)
 * for /proc/PID/rethook. Returns the full depth (more than @max if cut),
 * or -EBUSY when @tsk is not held. */
int rethook_task_snapshot(struct task_struct *tsk, struct rethook_snap_entry *out, unsigned max)
{
	struct llist_node *pos;
	unsigned n = 0;

	if (!rethook_stack_readable(tsk))
		return -EBUSY;
	/* Nodes are freed through call_rcu(): hold them while we copy. Each
	 * node's rethook lives as long as the node (its reference). */
	rcu_read_lock();
	for (pos = READ_ONCE(tsk->rethooks.first); pos; pos = READ_ONCE(pos->next), n++) {
		struct rethook_node *node = rethook_node_of(pos);

		if (n >= max)
			continue;
		memcpy(out[n].owner, node->rethook->name, sizeof(out[n].owner));
		out[n].owner[sizeof(out[n].owner) - 1] = '\0';
		out[n].ret_addr = READ_ONCE(node->ret_addr);
		out[n].frame = READ_ONCE(node->frame);
	}
	rcu_read_unlock();
	return (int)n;
}

/* ------------------------------------------------------------ returning */

/*
 * Call @node's handler, unless its rethook is being freed. Returns the
 * handler it found (NULL: being freed).
 */
static __always_inline rethook_handler_t rethook_call_handler(struct rethook_node *node,
							      unsigned long ret_addr,
							      struct pt_regs *regs)
{
	struct rethook *rh = node->rethook;
	rethook_handler_t handler = READ_ONCE(rh->handler);

	if (handler)
		handler(node, rh->data, ret_addr, regs);
	return handler;
}

/*
 * rethook_trampoline_handler() for every case but the usual one: several
 * nodes for this return (several rethooks hooked the call; only the
 * bottom one holds the real address), or a shadow stack that does not
 * match the frame. Preemption is off; this ends it.
 */
static noinline unsigned long rethook_return_slow(struct task_struct *tsk, struct pt_regs *regs,
						  unsigned long frame)
{
	struct llist_node *first = tsk->rethooks.first, *last = NULL, *pos, *next;
	unsigned long ret_addr = __rethook_next(tsk, &last);

	if (!ret_addr)
		panic("rethook_trampoline_handler: no return address on %s's shadow stack (frame %#lx)",
		      tsk->comm, frame);
	instruction_pointer_set(regs, ret_addr);

	/*
	 * Run the handler of every node from the top down to @last: they are
	 * all for this return. The nodes stay on the shadow stack meanwhile,
	 * so that a backtrace taken inside a handler still sees the real
	 * addresses.
	 */
	for (pos = first; pos; pos = pos->next) {
		/* A node for another frame here means the stack was unwound
		 * under us (a bug): stop before calling it. */
		if (WARN_ON_ONCE(rethook_node_of(pos)->frame != frame))
			break;
		rethook_call_handler(rethook_node_of(pos), ret_addr, regs);
		if (pos == last)
			break;
	}
	/* The real address goes back on the stack before the nodes go:
	 * an unwinder always finds one or the other. */
	arch_rethook_fixup_return(regs, ret_addr);
	WRITE_ONCE(tsk->rethooks.first, last->next);
	last->next = NULL;
	for (pos = first; pos; pos = next) {
		next = pos->next;
		__rethook_recycle(rethook_node_of(pos));
	}
	preempt_enable();
	return ret_addr;
}
NOKPROBE_SYMBOL(rethook_return_slow);

/*
 * Called by the arch trampoline when a hooked function returns: find
 * the real return address, put it in @regs and back on the stack, run
 * the handler(s), pop the node(s). Returns the real address. Context:
 * the returning task, any preempt state on entry; never sleeps.
 */
unsigned long rethook_trampoline_handler(struct pt_regs *regs, unsigned long frame)
{
	/*
	 * current is a per-CPU read the compiler may not merge with another
	 * (it is an asm): read it once. We are the returning task throughout.
	 */
	struct task_struct *tsk = current;
	struct llist_node *first = tsk->rethooks.first;
	struct rethook_node *node = first ? rethook_node_of(first) : NULL;
	unsigned long ret_addr = node ? node->ret_addr : 0;
	rethook_handler_t handler;

	/*
	 * Preemption off, as rethook_recycle() needs; and so that a handler
	 * that read a non-NULL rethook::handler has finished before a grace
	 * period after rethook_free() ends.
	 */
	preempt_disable();
	/*
	 * Usually one rethook hooked this call: its node, on top, holds the
	 * real address and this frame. That case, on every hooked return,
	 * is written out here alone; anything else takes the general path.
	 */
	if (unlikely(!ret_addr || is_rethook_trampoline(ret_addr) || node->frame != frame))
		return rethook_return_slow(tsk, regs, frame);
	instruction_pointer_set(regs, ret_addr);
	/* The node stays on the shadow stack while the handler runs, so
	 * that a backtrace taken inside it still sees the real address. */
	handler = rethook_call_handler(node, ret_addr, regs);
	/* The real address goes back on the stack before the node goes:
	 * an unwinder always finds one or the other. */
	arch_rethook_fixup_return(regs, ret_addr);
	WRITE_ONCE(tsk->rethooks.first, first->next);
	first->next = NULL;
	/* The handler was set after preemption went off: the pool lives
	 * until it is on again, and the node may go back to it without
	 * looking again. */
	if (likely(handler))
		rethook_put_node(node->rethook, node);
	else
		call_rcu(&node->rcu, rethook_free_node_rcu);
	preempt_enable();
	return ret_addr;
}
NOKPROBE_SYMBOL(rethook_trampoline_handler);

/* ------------------------------------------------------------ task exit */

/* A dead task's shadow stack: its nodes never return, so give them back
 * to their pools (or free them, for a freed rethook). Task release. */
void rethook_flush_task(struct task_struct *tk)
{
	struct llist_node *pos = __llist_del_all(&tk->rethooks), *next;

	for (; pos; pos = next) {
		next = pos->next;
		preempt_disable();
		__rethook_recycle(rethook_node_of(pos));
		preempt_enable();
	}
}

/* ------------------------------------------------- waiting for the frees */

/* Is no freed rethook still waiting for nodes in flight? (kernel_quiesce) */
bool rethook_all_freed(void)
{
	return !atomic_read(&rethooks_dying);
}

/* Does @tk's shadow stack hold a node of a freed rethook (which will be
 * freed only when @tk returns through it)? @tk must be held. */
bool rethook_task_holds_freed(struct task_struct *tk)
{
	struct llist_node *pos;
	bool found = false;

	/* A task that may run changes its shadow stack under us; the
	 * caller holds it (or looks at it again later). */
	if (!rethook_stack_readable(tk))
		return false;
	rcu_read_lock();	/* nodes are freed through call_rcu() */
	for (pos = READ_ONCE(tk->rethooks.first); pos && !found; pos = READ_ONCE(pos->next))
		found = !READ_ONCE(rethook_node_of(pos)->rethook->handler);
	rcu_read_unlock();
	return found;
}
