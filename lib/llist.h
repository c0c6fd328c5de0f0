/* SPDX-License-Identifier: MIT */
/*
 * llist: a lock-free singly linked list, used as a stack.
 *
 * Any number of CPUs and interrupt handlers may push (llist_add,
 * llist_add_batch) at the same time, with no lock and no allocation: a push
 * is one compare-and-exchange on the head. Taking nodes off is where the
 * rules are:
 *
 *   llist_del_all     any number of callers, concurrently with pushes and
 *                     with each other: it swaps the whole chain out at once.
 *   llist_del_first   one consumer at a time. Pushes may run concurrently,
 *                     but no other llist_del_first or llist_del_all may. With
 *                     two removers, one could pop node A and push it back
 *                     while the other still holds A's old next pointer, and
 *                     the other's compare-and-exchange would then succeed
 *                     on a stale view (the ABA problem).
 *   walking           a chain returned by llist_del_all belongs to the
 *                     caller and may be walked freely. Walking a live list
 *                     from head->first is safe only for its single consumer
 *                     (nodes ahead of the walker may be taken and reused
 *                     otherwise).
 *
 * rethook keeps one llist per task as a shadow stack of pending returns:
 * the task pushes a node when it enters a probed function, and on return
 * the trampoline handler, running on that same task, walks from first and
 * unlinks what it used. Only the owning task touches the list, so it uses
 * the plain __llist_* variants at the bottom of this file.
 *
 * A chain comes off the list newest first; llist_reverse_order() turns it
 * into push order.
 */
#ifndef LIB_LLIST_H
#define LIB_LLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <lib/atomic.h>
#include <lib/compiler.h>

struct llist_node {
	struct llist_node *next;
};

struct llist_head {
	struct llist_node *first;
};

#define LLIST_HEAD_INIT(name)	{ NULL }
#define LLIST_HEAD(name)	struct llist_head name = LLIST_HEAD_INIT(name)

/* llist_init_head - make @list empty. Not atomic: only before sharing it. */
static inline void llist_init_head(struct llist_head *list)
{
	list->first = NULL;
}

/* llist_entry - the struct of @type whose @member is the node @ptr. */
#define llist_entry(ptr, type, member)	container_of(ptr, type, member)

/* Like llist_entry, but NULL for a NULL node (the end of a chain). */
#define llist_entry_or_null(ptr, type, member) ({			\
	struct llist_node *__le_node = (ptr);				\
	__le_node ? llist_entry(__le_node, type, member) : NULL;	\
})

/*
 * llist_for_each(pos, node) - walk a chain of nodes starting at @node.
 * Use the _safe variant if the body may free or reuse @pos; @n holds the
 * next node meanwhile. The _entry variants walk the enclosing structs.
 * For a live list, see the walking rule at the top of this file.
 */
#define llist_for_each(pos, node)					\
	for ((pos) = (node); (pos); (pos) = (pos)->next)

#define llist_for_each_safe(pos, n, node)				\
	for ((pos) = (node); (pos) && ((n) = (pos)->next, true); (pos) = (n))

#define llist_for_each_entry(pos, node, member)				\
	for ((pos) = llist_entry_or_null((node), __typeof__(*(pos)), member); \
	     (pos);							\
	     (pos) = llist_entry_or_null((pos)->member.next,		\
					 __typeof__(*(pos)), member))

#define llist_for_each_entry_safe(pos, n, node, member)			\
	for ((pos) = llist_entry_or_null((node), __typeof__(*(pos)), member); \
	     (pos) && ((n) = llist_entry_or_null((pos)->member.next,	\
						 __typeof__(*(pos)), member), \
		       true);						\
	     (pos) = (n))

/*
 * llist_empty - whether @list has no nodes, at the moment of the load.
 * Another CPU may push right after; a true result is only a hint unless the
 * caller knows no pushes can happen.
 */
static inline bool llist_empty(const struct llist_head *list)
{
	return READ_ONCE(list->first) == NULL;
}

/* llist_next - the node after @node in its chain, or NULL. */
static inline struct llist_node *llist_next(struct llist_node *node)
{
	return node->next;
}

/**
 * llist_add_batch - push a ready-made chain onto a list
 * @new_first: first node of the chain
 * @new_last:  last node of the chain (its next is overwritten)
 * @list:      the list
 *
 * Safe from any context, concurrently with every other llist operation.
 * The chain ends up in front of the old first node, in the order it had.
 * Returns true if the list was empty before, which tells a producer that it
 * is the one to wake the consumer.
 */
static inline bool llist_add_batch(struct llist_node *new_first,
				   struct llist_node *new_last,
				   struct llist_head *list)
{
	struct llist_node *first = READ_ONCE(list->first);

	/*
	 * Link our chain to the head we saw, then publish it if the head is
	 * still that. The exchange is fully ordered, so the store to
	 * new_last->next (and the caller's stores to the nodes) are visible
	 * before the chain is. On failure `first` is reloaded for us.
	 */
	do {
		WRITE_ONCE(new_last->next, first);
	} while (!try_cmpxchg(&list->first, &first, new_first));

	return first == NULL;
}

/**
 * llist_add - push one node
 * @node: the node; it must not be on any list
 * @list: the list
 *
 * Safe from any context. Returns true if the list was empty before.
 */
static inline bool llist_add(struct llist_node *node, struct llist_head *list)
{
	return llist_add_batch(node, node, list);
}

/**
 * llist_del_all - take every node off a list
 * @list: the list
 *
 * Safe from any context, concurrently with everything. Returns the chain,
 * newest first, or NULL if the list was empty; the caller owns it.
 */
static inline struct llist_node *llist_del_all(struct llist_head *list)
{
	return xchg(&list->first, NULL);
}

/**
 * llist_del_first - take the newest node off a list
 * @list: the list
 *
 * Single consumer: pushes may run concurrently, but no other
 * llist_del_first or llist_del_all on @list may (see the top of this
 * file). Returns the node, or NULL if the list was empty.
 */
static inline struct llist_node *llist_del_first(struct llist_head *list)
{
	struct llist_node *first = smp_load_acquire(&list->first);
	struct llist_node *next;

	/*
	 * Nobody else removes nodes, so while `first` is on the list its next
	 * pointer cannot change: if the head is still `first`, `next` is
	 * still right. Pushes only move the head, making us retry.
	 */
	do {
		if (!first)
			return NULL;
		next = READ_ONCE(first->next);
	} while (!try_cmpxchg(&list->first, &first, next));

	return first;
}

/**
 * llist_reverse_order - reverse a detached chain
 * @head: first node of a chain the caller owns (from llist_del_all)
 *
 * Returns the new first node: the oldest push comes first.
 */
static inline struct llist_node *llist_reverse_order(struct llist_node *head)
{
	struct llist_node *reversed = NULL;

	while (head) {
		struct llist_node *next = head->next;

		head->next = reversed;
		reversed = head;
		head = next;
	}
	return reversed;
}

/*
 * Owner-only variants: no atomic instructions, for a list that a single
 * task or CPU both fills and empties (rethook's per-task shadow stack),
 * with interrupts on that CPU nesting strictly inside. The stores are
 * still single WRITE_ONCEs, so a debugger or the stack unwinder inspecting
 * a stopped task sees a consistent chain.
 */
static inline bool __llist_add_batch(struct llist_node *new_first,
				     struct llist_node *new_last,
				     struct llist_head *list)
{
	struct llist_node *first = list->first;

	WRITE_ONCE(new_last->next, first);
	WRITE_ONCE(list->first, new_first);
	return first == NULL;
}

static inline bool __llist_add(struct llist_node *node, struct llist_head *list)
{
	return __llist_add_batch(node, node, list);
}

static inline struct llist_node *__llist_del_all(struct llist_head *list)
{
	struct llist_node *first = list->first;

	WRITE_ONCE(list->first, NULL);
	return first;
}

#endif /* LIB_LLIST_H */
