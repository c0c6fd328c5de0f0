/* SPDX-License-Identifier: MIT */
/*
 * freelist: a lock-free pool of preallocated objects.
 *
 * A freelist is a stack of free nodes. freelist_try_get() takes one,
 * freelist_add() gives one back. Both are lock-free and allocate nothing,
 * so they may be called from any context: a probe handler, an interrupt
 * handler, or with preemption on. rethook keeps its return-hook nodes in
 * one, filled when the rethook is created, so that hooking a return never
 * has to allocate.
 *
 * A plain lock-free stack is not enough for this: a CPU popping node A
 * reads A->next, and if A is popped and pushed back by others before that
 * CPU's compare-and-exchange, the exchange succeeds with a stale next (the
 * ABA problem). Each node therefore carries a reference count, explained
 * below the declarations.
 *
 * Rules for users:
 *  - embed a struct freelist_node in your object, initialise it with
 *    freelist_node_init() (or zero it) before its first freelist_add();
 *  - while you hold a node from freelist_try_get() it is yours, except its
 *    freelist_node member: other CPUs may still read it for a while, so do
 *    not overlay it with other data (no union with it);
 *  - node memory must stay allocated while any CPU may be inside
 *    freelist_try_get() on that list. Free the nodes only once the list is
 *    quiescent (rethook waits for an RCU grace period). Then, and only
 *    then, the chain may be walked through head->head and node->next
 *    without atomics.
 */
#ifndef LIB_FREELIST_H
#define LIB_FREELIST_H

#include <stddef.h>
#include <stdbool.h>
#include <lib/atomic.h>
#include <lib/compiler.h>

struct freelist_node {
	atomic_t refs;			/* see below; owned by the freelist */
	struct freelist_node *next;	/* next free node, valid while on the list */
};

struct freelist_head {
	struct freelist_node *head;	/* top of the stack, NULL if empty */
};

#define FREELIST_HEAD_INIT	{ .head = NULL }

/* freelist_init - make @list empty. Not atomic: only before sharing it. */
static inline void freelist_init(struct freelist_head *list)
{
	list->head = NULL;
}

/* freelist_node_init - prepare a new node (off every list, no references). */
static inline void freelist_node_init(struct freelist_node *node)
{
	atomic_set(&node->refs, 0);
	node->next = NULL;
}

/**
 * freelist_add - give a node back to the pool
 * @node: a node the caller owns: new, or returned by freelist_try_get()
 * @list: the pool
 *
 * Lock-free, any context. The node may reach the list a little later, on
 * whichever CPU lets go of the last stale reference to it; it is never
 * lost and never on the list twice.
 */
static __always_inline void freelist_add(struct freelist_node *node, struct freelist_head *list);

/**
 * freelist_try_get - take a node from the pool
 * @list: the pool
 *
 * Lock-free, any context. Returns a node the caller now owns, or NULL if
 * the pool looked empty. A node given back an instant ago by another CPU
 * may not be visible yet, so NULL means "none free right now", not "none
 * will ever be".
 */
static __always_inline struct freelist_node *freelist_try_get(struct freelist_head *list);

/*
 * How it works: a stack of nodes made safe against the ABA problem by a
 * reference count in each node. The code is inline: rethook takes and
 * gives back a node on every hooked call, and under QEMU's TCG a call and
 * its return cost more than these few instructions.
 *
 * The problem. To pop, a CPU reads head = A, reads next = A->next = B, and
 * swaps the list head from A to B if it is still A. Between the read of
 * A->next and the swap, other CPUs may pop A, pop B, and push A back; the
 * head is A again, the swap succeeds, and B - now owned by someone else -
 * is back on top of the list.
 *
 * The protocol. Each node's `refs` word holds a count in bits 0-30 and a
 * flag, FREELIST_WANTED, in bit 31:
 *
 *   count    1 for the list itself while the node is linked, plus 1 for
 *            each CPU inside freelist_try_get() that is looking at it.
 *   WANTED   the owner has handed the node back, but it could not be
 *            linked yet because some CPU still holds a reference. Whoever
 *            drops the count to zero links it.
 *
 * A popping CPU first takes a reference, and only if the count is not zero
 * (a count of zero means "not on the list and nobody looking"). Only then
 * does it read node->next. A node is linked again, and its next pointer
 * rewritten, only by a CPU that has just seen the count at zero. So while
 * our reference is held, the node cannot be re-linked, its next pointer
 * cannot change, and if the head still equals the node, the next we read
 * is still the right one. The swap either succeeds with a true next or
 * fails; it can no longer succeed with a stale one.
 *
 * The owner never touches `next` or `refs` directly: freelist_add() only
 * sets WANTED, and links the node itself if the count was already zero.
 * A taker that fails its swap drops its reference, and if that leaves
 * exactly WANTED with a count of zero, it does the linking for the owner.
 *
 * Ordering. Every read-modify-write here is fully ordered, so the owner's
 * writes to the object before freelist_add() are visible to the next CPU
 * that gets it, whichever CPU did the linking. Node memory is never freed
 * while the list is in use (see lib/freelist.h), so reading a stale node's
 * `refs` is always a read of a freelist_node.
 */

/*
 * Bit 31 of refs, and the count below it. The arithmetic on refs is done
 * as unsigned 32-bit (atomic adds wrap, they never overflow), so that
 * "drop one reference and set WANTED" is a single add of WANTED - 1.
 */
#define FREELIST_WANTED		0x80000000u
#define FREELIST_COUNT_MASK	0x7fffffffu

/* Add @delta to @node's refs, modulo 2^32; returns the old value. Fully ordered. */
static __always_inline unsigned int freelist_refs_add(struct freelist_node *node, unsigned int delta)
{
	return (unsigned int)atomic_fetch_add((int)delta, &node->refs);
}

/*
 * Put a node whose count has just reached zero on the list. Only one CPU
 * at a time can be here for a given node: the one that saw the count
 * reach zero with WANTED set, or the owner that saw it at zero already.
 */
static __always_inline void freelist_link(struct freelist_node *node, struct freelist_head *list)
{
	struct freelist_node *head = READ_ONCE(list->head);

	for (;;) {
		/* Nobody holds a reference, so nobody is reading next. */
		WRITE_ONCE(node->next, head);
		/*
		 * The list's reference, and WANTED cleared. From here a stale
		 * taker may get a reference again before the node is linked;
		 * the release makes it see the next we wrote.
		 */
		atomic_set_release(&node->refs, 1);
		if (try_cmpxchg(&list->head, &head, node))
			return;
		/*
		 * The head moved under us. Give up the list's reference and
		 * set WANTED in one step. If a taker got a reference in the
		 * window, the last of them will link the node; if not, the
		 * count is zero again, nobody can reach it, and we retry with
		 * the head that try_cmpxchg reloaded.
		 */
		if (freelist_refs_add(node, FREELIST_WANTED - 1) != 1)
			return;
	}
}

/* Take a reference on a node seen at the top, unless its count is zero. */
static __always_inline bool freelist_get_ref(struct freelist_node *node)
{
	int refs = atomic_read(&node->refs);

	do {
		if (((unsigned int)refs & FREELIST_COUNT_MASK) == 0)
			return false;
	} while (!atomic_try_cmpxchg(&node->refs, &refs, refs + 1));
	return true;
}

/* Drop a reference taken by freelist_get_ref(); link the node if we were last. */
static __always_inline void freelist_put_ref(struct freelist_node *node, struct freelist_head *list)
{
	if (freelist_refs_add(node, -1u) == FREELIST_WANTED + 1)
		freelist_link(node, list);
}

static __always_inline void freelist_add(struct freelist_node *node, struct freelist_head *list)
{
	/*
	 * The caller owns the node, so it is off the list and WANTED is
	 * clear: adding the bit cannot carry into anything. If no stale
	 * taker holds a reference, link it now; otherwise the last one will.
	 */
	if (freelist_refs_add(node, FREELIST_WANTED) == 0)
		freelist_link(node, list);
}

static __always_inline struct freelist_node *freelist_try_get(struct freelist_head *list)
{
	struct freelist_node *head = smp_load_acquire(&list->head);

	while (head) {
		struct freelist_node *seen = head;
		struct freelist_node *next;

		if (!freelist_get_ref(seen)) {
			/* Off the list, or going on: look at the top again. */
			head = smp_load_acquire(&list->head);
			continue;
		}
		/* Stable while our reference is held (see the top of the file). */
		next = READ_ONCE(seen->next);
		if (try_cmpxchg(&list->head, &head, next)) {
			/*
			 * Ours. Drop our reference and the list's; what is left
			 * counts stale takers, who will fail their swap.
			 */
			freelist_refs_add(seen, -2u);
			return seen;
		}
		/* Lost the race; `head` now holds the new top. */
		freelist_put_ref(seen, list);
	}
	return NULL;
}

#endif /* LIB_FREELIST_H */
