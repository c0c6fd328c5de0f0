/* SPDX-License-Identifier: MIT */
/*
 * rethook: run a handler when a function returns.
 *
 * A function-entry hook (a kprobe at the function's first instruction, or
 * an ftrace callback at its fentry site) calls rethook_try_get() and
 * rethook_hook(). That saves the real return address in a node, puts the
 * address of a trampoline in its place on the stack, and pushes the node
 * on the current task's list of pending returns - its shadow stack
 * (task_struct::rethooks). When the function returns, it "returns" into
 * the trampoline, which builds a struct pt_regs of the moment of return
 * and calls rethook_trampoline_handler(): that finds the real address on
 * the shadow stack, runs the handlers of the nodes for this frame, gives
 * the nodes back, and the trampoline jumps to where the function should
 * have returned. The return path allocates nothing and takes no lock.
 *
 * Life cycle of a rethook:
 *
 *   rh = rethook_alloc(data, handler);
 *   for each node:  rethook_add_node(rh, kzalloc'd node);   pool is full
 *   entry hook:     node = rethook_try_get(rh);      preemption off
 *                   if (!node) count a miss; else rethook_hook(node, regs, mcount);
 *   return:         handler(node, data, ret_addr, regs); node back to the pool
 *   rethook_free(rh);                                handler cleared
 *
 * rethook_free() only clears the handler: nodes may still be in flight on
 * the stacks of sleeping tasks. Nodes in the pool are freed after an RCU
 * grace period; each node in flight frees itself (again through call_rcu)
 * when its function returns or its task dies; the rethook itself goes
 * with the last node. A reference count - one for the rethook plus one
 * per node - decides which free is last.
 *
 * The pool. Every hooked call takes a node and gives it back. A shared
 * lock-free stack alone (lib/freelist.h) costs several atomic operations
 * on lines that every CPU writes, so CPUs hitting the same rethook at
 * once would wait on each other's cache lines. So, in the spirit of
 * Linux's per-CPU objpool, each CPU keeps a few free nodes of its own
 * (rethook::cache[cpu]): a stack that only that CPU touches, with
 * preemption off. Interrupts on that CPU are the only other users, and
 * they are kept apart without turning interrupts off:
 *
 *  - a pop (rethook_try_get()) runs in an entry hook, which holds the
 *    probe guard (trace/probe_guard.h). An interrupt that arrives then
 *    finds the guard taken: its entry hooks are missed, so it takes no
 *    node, and it gives none back either (a return inside an interrupt
 *    is of a call hooked inside it). So the pop is a plain one;
 *  - a push (returns, declined entries, dead tasks) may run outside the
 *    guard, and an interrupt may pop and push in the middle of it. The
 *    push links the node to the head it read and publishes it with a
 *    compare-and-exchange that only an interrupt can split (no LOCK:
 *    asm/local_ops.h), retrying if the head moved. The head it compares
 *    may have been popped and pushed back meanwhile; the link is right
 *    all the same: it points at the node on top;
 *  - the count is changed in single instructions, the push adding
 *    before it publishes, the pop taking away after it unlinks, so it is
 *    never below the stack's length; it only bounds the cache's size.
 *
 * A node comes from this CPU's cache if it has one, else from the shared
 * stack; it goes back to the cache of the CPU that returns (tasks do not
 * migrate, so that is the CPU that took it) unless the cache is full,
 * else to the shared stack. A cache holds at most cache_max nodes, a
 * share small enough (the pool over twice the CPUs) that most of the
 * pool stays reachable from every CPU.
 *
 * The exit handler sees, besides the registers at return (regs->ax is the
 * return value, regs->ip the real return address), the node of this call:
 * rethook_entry_arg(node, n) gives the function's n-th argument as it was
 * at entry, and a user that embeds the node in a bigger struct reaches its
 * own per-call data with container_of().
 */
#ifndef TRACE_RETHOOK_H
#define TRACE_RETHOOK_H

#include <asm/rethook.h>
#include <kernel/panic.h>
#include <kernel/preempt.h>
#include <kernel/rcu.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <asm/local_ops.h>
#include <lib/compiler.h>
#include <lib/freelist.h>
#include <lib/llist.h>
#include <lib/refcount.h>
#include <lib/types.h>

struct pt_regs;
struct task_struct;
struct rethook_node;

/*
 * The arch half, defined by the architecture's rethook code:
 *
 * arch_rethook_prepare()      save the return address and frame in @node,
 *                             and put the trampoline's address in the
 *                             return address's place
 * arch_rethook_save_entry_args() save the argument registers in @node
 * arch_rethook_trampoline     where hooked functions return to; never called
 * arch_rethook_fixup_return() put @correct_ret_addr back where the
 *                             trampoline will return through it
 *
 * The trampoline is declared here; the other two, which run on every hit,
 * come inline from asm/rethook_node.h, included below struct rethook_node.
 */
void arch_rethook_trampoline(void);

/**
 * rethook_handler_t - called when a hooked function returns
 * @node:     the node of this call (entry arguments; embed it for more)
 * @data:     the rethook's data, as given to rethook_alloc()
 * @ret_addr: the real return address, where the function returns to
 * @regs:     registers at the return: ax (and dx) hold the return value,
 *            sp is the caller's stack pointer after the return, ip is
 *            @ret_addr. Changes to the general registers and flags take
 *            effect on return; changes to ip and sp do not.
 *
 * Context: the returning task (or the interrupt it was in), preemption
 * off, interrupts as the function left them. Must not sleep; must be
 * notrace and must not be kprobed (it runs on the return path).
 */
typedef void (*rethook_handler_t)(struct rethook_node *node, void *data,
				  unsigned long ret_addr, struct pt_regs *regs);

/**
 * struct rethook - a return hook and its pool of nodes
 * @data:    the user's data, passed to @handler
 * @handler: called at each hooked return; NULL once rethook_free() ran
 * @pool:    the nodes not in flight
 * @ref:     one for the rethook itself plus one per node not yet freed
 * @nr_nodes: nodes given to it by rethook_add_node()
 * @cache_max: the most nodes one CPU's cache keeps (0: no caches)
 * @entry_args: save each hooked call's argument registers in its node,
 *           for rethook_entry_arg(); true from rethook_alloc(), changed
 *           only by rethook_keep_entry_args() before the first hook.
 *           Six stores on every hooked call: a user that never reads
 *           them (a kretprobe that only counts, an r: event without
 *           $argN) turns it off, as Linux, which keeps them only for
 *           the events that read them
 * @rcu:     for freeing the pool after a grace period
 * @name:    who it is, for /proc/PID/rethook ("kretprobe fib"); set with
 *           rethook_set_name() before the first hook, then never changed
 * @cache:   each CPU's own free nodes (see "The pool" above)
 *
 * Allocate with rethook_alloc(); never embed it in another struct: it
 * frees itself when its last node is gone.
 */
#define RETHOOK_NAME_LEN	48

struct rethook_cpu_cache {
	struct rethook_node *head;	/* linked through rethook_node::cache_next */
	unsigned int count;
} __aligned(64);			/* a cache line each: no CPU writes another's */

struct rethook {
	void *data;
	rethook_handler_t handler;
	struct freelist_head pool;
	refcount_t ref;
	unsigned int nr_nodes;
	unsigned int cache_max;
	bool entry_args;
	struct rcu_head rcu;
	char name[RETHOOK_NAME_LEN];
	struct rethook_cpu_cache cache[NR_CPUS];
};

/**
 * struct rethook_node - one pending return: a shadow-stack entry
 * @freelist:   link in rethook::pool while the node is free
 * @rcu:        for freeing a node that comes back after rethook_free()
 * @cache_next: link in a CPU's rethook::cache while the node sits there
 * @llist:      link in task_struct::rethooks while the node is in flight
 * @rethook:    the owner
 * @ret_addr:   the real return address, replaced on the stack by the
 *              trampoline's
 * @frame:      where on the stack the return address was (the stack
 *              pointer at the function's first instruction); it matches
 *              a return to its node, and a stack frame to its node when
 *              the unwinder meets the trampoline's address
 * @entry_args: the function's register arguments at entry (asm/rethook.h),
 *              if the rethook keeps them (rethook::entry_args); else zero
 *
 * Embed it, as the first member, in a struct of your own allocated with
 * kmalloc(): rethook frees nodes with kfree() on the node's address.
 *
 * @freelist and @rcu are not a union, though a node never needs both at
 * once: a CPU inside freelist_try_get() may still read and count on the
 * freelist link of a node that has left the pool (lib/freelist.h), so it
 * must not be overwritten until a grace period has passed.
 */
struct rethook_node {
	struct freelist_node freelist;
	struct rcu_head rcu;
	struct rethook_node *cache_next;
	struct llist_node llist;
	struct rethook *rethook;
	unsigned long ret_addr;
	unsigned long frame;
	unsigned long entry_args[RETHOOK_ENTRY_ARGS];
};

/* arch_rethook_prepare() and arch_rethook_fixup_return(), which need the node. */
#include <asm/rethook_node.h>

/**
 * rethook_alloc - a new rethook with an empty pool
 * @data:    passed to @handler
 * @handler: the exit handler; must not be NULL
 *
 * Returns the rethook, or NULL if memory ran out (or, a bug reported with
 * a warning, if @handler is NULL). Context: any that may kmalloc().
 */
struct rethook *rethook_alloc(void *data, rethook_handler_t handler);

/* Name @rh for the shadow-stack files (printf-style), before its first
 * rethook_hook(): readers copy the name without a lock. */
__attribute__((format(printf, 2, 3)))
void rethook_set_name(struct rethook *rh, const char *fmt, ...);

/* Keep (the default) or not the entry arguments of each hooked call, for
 * rethook_entry_arg(); before the first rethook_hook(). */
static inline void rethook_keep_entry_args(struct rethook *rh, bool keep)
{
	rh->entry_args = keep;
}

/*
 * One pending return of a task, as /proc/PID/rethook shows it: the owner's
 * name, the real return address (the trampoline's own address when several
 * rethooks hooked one call: the next entry holds the real one) and the
 * frame (where the return address sits on the stack).
 */
struct rethook_snap_entry {
	char owner[RETHOOK_NAME_LEN];
	unsigned long ret_addr, frame;
};

/**
 * rethook_task_snapshot - copy @tsk's shadow stack, newest first
 * @out, @max: up to @max entries are copied
 *
 * Returns how many nodes are pending (which may be more than @max), or
 * -EBUSY unless @tsk is current or held off its CPU (sched_call_held()):
 * a running task pushes and pops nodes under any other reader.
 * Context: the caller keeps @tsk alive (RCU); takes no lock.
 */
int rethook_task_snapshot(struct task_struct *tsk, struct rethook_snap_entry *out, unsigned max);

/**
 * rethook_add_node - give @rh a node for its pool
 * @node: zeroed memory from kmalloc(), the node at its start; @rh owns
 *        and frees it from now on
 *
 * Any context that may kmalloc(); any time before rethook_free() (a node
 * added after it would never be freed).
 */
void rethook_add_node(struct rethook *rh, struct rethook_node *node);

/**
 * rethook_free - stop @rh and free it once every node is back
 *
 * The handler is not called for returns that start after a grace period
 * (a handler already running, on any CPU, may finish). The caller must
 * not touch @rh afterwards. If the handler uses @data, free @data only
 * after synchronize_rcu(): handlers run with preemption off, so that is
 * when the last one has returned. Context: any.
 */
void rethook_free(struct rethook *rh);

/*
 * Waiting for rethook_free() to finish, for kernel_quiesce(). A rethook
 * outlives rethook_free() while its nodes are in flight, and a node stays
 * in flight while its task sleeps inside the hooked function: a thread
 * that went to sleep in schedule() while every function was hooked holds
 * its node until something wakes it.
 *
 * rethook_all_freed - has every rethook passed to rethook_free() been
 * freed (pool, nodes, and the rethook itself)? Context: any.
 *
 * rethook_task_holds_freed - does @tk hold, on its shadow stack, a node of
 * a rethook that rethook_free() stopped? @tk is current or held off its
 * CPU (sched_call_held()); false for any other task: its shadow stack
 * cannot be read while it may move. Context: any.
 */
bool rethook_all_freed(void);
bool rethook_task_holds_freed(struct task_struct *tk);

/**
 * rethook_try_get - take a free node from @rh's pool
 *
 * Context: preemption off, in an entry hook that holds the probe guard
 * (or any context where nothing else on this CPU can take a node from
 * @rh until this returns: see "The pool" above). Returns NULL if the
 * pool is empty - the caller should count a missed return - or if @rh is
 * being freed.
 *
 * Inline, like rethook_hook(): they run on every hooked call, and under
 * QEMU's TCG a call and its return cost more than their bodies.
 */
static __always_inline struct rethook_node *rethook_try_get(struct rethook *rh)
{
	struct rethook_cpu_cache *c;
	struct freelist_node *fn;
	struct rethook_node *node;

	/*
	 * Preemption off is what makes the pool safe to read: the pool is
	 * freed a grace period after the handler is cleared. Not checked
	 * here, on every hooked call (Linux does not either): every caller
	 * is an entry hook, whose context has it off, and rethook_recycle(),
	 * which every node taken and not hooked goes through, warns.
	 */
	if (unlikely(!READ_ONCE(rh->handler)))
		return NULL;
	/* This CPU's cache first. Nothing on this CPU pushes or pops
	 * meanwhile (see "The pool" above): a plain pop. */
	c = &rh->cache[smp_processor_id()];
	node = c->head;
	if (node) {
		c->head = node->cache_next;
		add_uint_local(&c->count, -1);	/* after the unlink */
		return node;
	}
	fn = freelist_try_get(&rh->pool);
	return fn ? container_of(fn, struct rethook_node, freelist) : NULL;
}

/**
 * rethook_recycle - give a node back
 *
 * To the pool, or, once the rethook is being freed, to call_rcu(). For a
 * node from rethook_try_get() that the caller decided not to hook.
 * Context: preemption off.
 */
void rethook_recycle(struct rethook_node *node);

/**
 * rethook_hook - hook the return of the function being entered
 * @node:   from rethook_try_get()
 * @regs:   the registers at the function's entry: regs->sp must be the
 *          stack pointer at its first instruction, pointing at its return
 *          address (as a kprobe there, and ftrace's regs trampoline, give)
 * @mcount: true from an ftrace callback (fentry site), false from a probe
 *          on the function's first instruction
 *
 * Context: the entering task, preemption off.
 */
static __always_inline void rethook_hook(struct rethook_node *node, struct pt_regs *regs,
					 bool mcount)
{
	/* Save and replace the return address first: the node is complete
	 * when it appears on the shadow stack. */
	arch_rethook_prepare(node, regs, mcount);
	if (node->rethook->entry_args)
		arch_rethook_save_entry_args(node, regs);
	__llist_add(&node->llist, &current->rethooks);
}

/**
 * rethook_find_ret_addr - the real return address of a hooked frame
 * @tsk:   current, or a task held off its CPU for the whole walk
 *         (sched_call_held(): it cannot start running meanwhile)
 * @frame: the stack address that holds the trampoline's address
 * @cur:   cursor: NULL before the first call of a walk; each match moves
 *         it, so a walk up the stack finds frames in order
 *
 * For stack unwinders. Returns the address, or 0 if no pending return of
 * @tsk has that frame (then *@cur is left as it was), or if @tsk is any
 * other task: one that is running, or could start to, changes its shadow
 * stack under the walk.
 */
unsigned long rethook_find_ret_addr(struct task_struct *tsk, unsigned long frame,
				    struct llist_node **cur);

/**
 * rethook_next_ret_addr - the next pending real return address after *@cur
 *
 * Like rethook_find_ret_addr() without matching a frame: for an unwinder
 * that interrupted the trampoline before its frame record was built, when
 * the frame is not on the stack yet. Returns 0 when there is none.
 */
unsigned long rethook_next_ret_addr(struct task_struct *tsk, struct llist_node **cur);

/**
 * rethook_trampoline_handler - the generic half of the return trampoline
 * @regs:  the registers at the return, built by the trampoline
 * @frame: where the return address was (rethook_node::frame)
 *
 * Runs the handlers of the nodes for @frame, puts the real return address
 * back (arch_rethook_fixup_return()) and recycles the nodes. Returns the
 * real return address. Called only by arch code.
 */
unsigned long rethook_trampoline_handler(struct pt_regs *regs, unsigned long frame);

/**
 * rethook_flush_task - recycle the nodes of a task that will never return
 *
 * Called when a dead task is released (kernel/kthread.c); its handlers are
 * not called. Context: task, the dead task no longer running.
 */
void rethook_flush_task(struct task_struct *tk);

/*
 * rethook_entry_arg - argument @n (1-based) of the hooked call, at entry;
 * 0 if the rethook does not keep them (rethook_keep_entry_args()).
 */
static inline unsigned long rethook_entry_arg(const struct rethook_node *node, unsigned n)
{
	if (!node->rethook->entry_args)
		return 0;
	return n >= 1 && n <= RETHOOK_ENTRY_ARGS ? node->entry_args[n - 1] : 0;
}

/* Is @addr the trampoline's address, standing in for a real return address? */
static inline bool is_rethook_trampoline(unsigned long addr)
{
	return addr == (unsigned long)arch_rethook_trampoline;
}

#endif /* TRACE_RETHOOK_H */
