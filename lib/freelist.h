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
 * at the top of lib/freelist.c.
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
#include <lib/atomic.h>

struct freelist_node {
	atomic_t refs;			/* see lib/freelist.c; owned by the freelist */
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
void freelist_add(struct freelist_node *node, struct freelist_head *list);

/**
 * freelist_try_get - take a node from the pool
 * @list: the pool
 *
 * Lock-free, any context. Returns a node the caller now owns, or NULL if
 * the pool looked empty. A node given back an instant ago by another CPU
 * may not be visible yet, so NULL means "none free right now", not "none
 * will ever be".
 */
struct freelist_node *freelist_try_get(struct freelist_head *list);

#endif /* LIB_FREELIST_H */
