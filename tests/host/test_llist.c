// SPDX-License-Identifier: MIT
/*
 * Host tests for lib/llist.h: the order each operation leaves nodes in,
 * the "was empty" result of a push, the walking macros, the owner-only
 * variants, and a multi-threaded stress in which several producers push
 * millions of nodes while one consumer empties the list with llist_del_all
 * and llist_del_first. The stress checks that every node arrives exactly
 * once and that each llist_del_all batch, reversed, holds every producer's
 * nodes in the order that producer pushed them.
 */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <criterion/criterion.h>
#include <lib/llist.h>

struct item {
	int value;
	struct llist_node node;
};

/* Push values[0..n-1] in order, using items[] as storage. */
static void push_values(struct llist_head *list, struct item *items, int n)
{
	for (int i = 0; i < n; i++) {
		items[i].value = i + 1;
		llist_add(&items[i].node, list);
	}
}

/* Collect the values along a chain into out[]; returns how many. */
static int chain_values(struct llist_node *first, int *out, int max)
{
	struct item *it;
	int n = 0;

	llist_for_each_entry(it, first, node) {
		cr_assert_lt(n, max, "chain longer than expected");
		out[n++] = it->value;
	}
	return n;
}

Test(llist, new_list_is_empty)
{
	LLIST_HEAD(list);
	struct llist_head other;

	llist_init_head(&other);
	cr_assert(llist_empty(&list));
	cr_assert(llist_empty(&other));
	cr_assert_null(llist_del_all(&list));
	cr_assert_null(llist_del_first(&list));
}

Test(llist, add_reports_whether_list_was_empty)
{
	LLIST_HEAD(list);
	struct item a, b;

	cr_assert(llist_add(&a.node, &list));
	cr_assert_not(llist_add(&b.node, &list));
	cr_assert_not(llist_empty(&list));
	llist_del_all(&list);
	cr_assert(llist_add(&b.node, &list));
}

Test(llist, del_all_returns_newest_first_and_empties)
{
	LLIST_HEAD(list);
	struct item items[5];
	int got[5];

	push_values(&list, items, 5);
	cr_assert_eq(chain_values(llist_del_all(&list), got, 5), 5);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(got[i], 5 - i);
	cr_assert(llist_empty(&list));
}

Test(llist, del_first_pops_in_lifo_order)
{
	LLIST_HEAD(list);
	struct item items[4];
	struct llist_node *n;

	push_values(&list, items, 4);
	for (int want = 4; want >= 1; want--) {
		n = llist_del_first(&list);
		cr_assert_not_null(n);
		cr_assert_eq(llist_entry(n, struct item, node)->value, want);
	}
	cr_assert_null(llist_del_first(&list));
	cr_assert(llist_empty(&list));
}

Test(llist, add_batch_puts_chain_in_front_in_its_order)
{
	LLIST_HEAD(list);
	struct item items[4];
	int got[4];

	items[0].value = 10;
	llist_add(&items[0].node, &list);
	/* Chain 1 -> 2 -> 3, built by hand. */
	for (int i = 1; i <= 3; i++)
		items[i].value = i;
	items[1].node.next = &items[2].node;
	items[2].node.next = &items[3].node;
	cr_assert_not(llist_add_batch(&items[1].node, &items[3].node, &list));

	cr_assert_eq(chain_values(llist_del_all(&list), got, 4), 4);
	cr_assert_eq(got[0], 1);
	cr_assert_eq(got[1], 2);
	cr_assert_eq(got[2], 3);
	cr_assert_eq(got[3], 10);
}

Test(llist, reverse_order_gives_push_order)
{
	LLIST_HEAD(list);
	struct item items[6];
	int got[6];

	cr_assert_null(llist_reverse_order(NULL));
	push_values(&list, items, 6);
	cr_assert_eq(chain_values(llist_reverse_order(llist_del_all(&list)), got, 6), 6);
	for (int i = 0; i < 6; i++)
		cr_assert_eq(got[i], i + 1);

	/* One node reverses to itself. */
	items[0].node.next = NULL;
	cr_assert_eq(llist_reverse_order(&items[0].node), &items[0].node);
}

Test(llist, safe_walk_survives_unlinking_each_node)
{
	LLIST_HEAD(list);
	struct item items[5], *it, *tmp;
	struct llist_node *pos, *n;
	int sum = 0, count = 0;

	push_values(&list, items, 5);
	llist_for_each_entry_safe(it, tmp, llist_del_all(&list), node) {
		sum += it->value;
		it->node.next = NULL;		/* what recycling a node does */
	}
	cr_assert_eq(sum, 15);

	push_values(&list, items, 5);
	llist_for_each_safe(pos, n, llist_del_all(&list)) {
		pos->next = (struct llist_node *)0x1;	/* poison */
		count++;
	}
	cr_assert_eq(count, 5);

	count = 0;
	push_values(&list, items, 3);
	llist_for_each(pos, list.first)
		count++;
	cr_assert_eq(count, 3);
	cr_assert_eq(llist_next(&items[2].node), &items[1].node);
}

Test(llist, owner_only_variants_behave_like_the_atomic_ones)
{
	LLIST_HEAD(list);
	struct item items[3];
	int got[3];

	for (int i = 0; i < 3; i++) {
		items[i].value = i + 1;
		cr_assert_eq(__llist_add(&items[i].node, &list), i == 0);
	}
	cr_assert_eq(chain_values(__llist_del_all(&list), got, 3), 3);
	cr_assert_eq(got[0], 3);
	cr_assert_eq(got[2], 1);
	cr_assert(llist_empty(&list));
}

/* ------------------------------------------------------------ stress */

/*
 * Each producer owns a ring of STRESS_RING nodes and pushes STRESS_PUSHES
 * sequence numbers through it: before reusing a ring slot it waits until
 * the consumer has handed that node back. So the list stays short, the
 * consumer and the producers meet on the head all the time, and every node
 * is pushed thousands of times. The consumer records each (producer, seq)
 * it sees; if a node were lost, its producer would wait for it forever, so
 * the consumer gives up after STRESS_STALL_NS without progress.
 */
#define STRESS_PRODUCERS	3
#define STRESS_PUSHES		2000000		/* per producer */
#define STRESS_TOTAL		(STRESS_PRODUCERS * STRESS_PUSHES)
#define STRESS_RING		64
#define STRESS_BATCH		4
#define STRESS_STALL_NS		3000000000LL

struct stress_item {
	struct llist_node node;
	uint32_t seq;
	uint16_t producer;
	uint8_t in_flight;		/* pushed, not yet handed back */
};

static struct llist_head stress_list;
static struct stress_item stress_ring[STRESS_PRODUCERS][STRESS_RING];
static int stress_producers_done;
static int stress_abort;

/* Wait until the consumer has handed @it back; false if told to give up. */
static bool stress_wait_free(struct stress_item *it)
{
	while (__atomic_load_n(&it->in_flight, __ATOMIC_ACQUIRE)) {
		if (__atomic_load_n(&stress_abort, __ATOMIC_RELAXED))
			return false;
		sched_yield();
	}
	return true;
}

/* Fill ring slot @slot with @seq and mark it in flight. */
static struct stress_item *stress_fill(int p, uint32_t seq)
{
	struct stress_item *it = &stress_ring[p][seq % STRESS_RING];

	if (!stress_wait_free(it))
		return NULL;
	it->seq = seq;
	it->in_flight = 1;
	return it;
}

/*
 * Producer @arg pushes seq 0..STRESS_PUSHES-1 in order: mostly one node at
 * a time, every 32nd time a chain of STRESS_BATCH built newest first, so
 * that a reversed del_all batch still shows push order.
 */
static void *stress_producer(void *arg)
{
	int p = (int)(intptr_t)arg;
	uint32_t seq = 0;

	while (seq < STRESS_PUSHES) {
		struct stress_item *first = NULL, *last = NULL, *it;
		int n = (seq % 32 == 0 && seq + STRESS_BATCH <= STRESS_PUSHES) ?
			STRESS_BATCH : 1;

		for (int k = 0; k < n; k++, seq++) {
			it = stress_fill(p, seq);
			if (!it)
				goto out;
			it->node.next = first ? &first->node : NULL;
			first = it;
			if (!last)
				last = it;
		}
		if (n == 1)
			llist_add(&first->node, &stress_list);
		else
			llist_add_batch(&first->node, &last->node, &stress_list);
	}
out:
	__atomic_fetch_add(&stress_producers_done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

struct stress_tally {
	uint8_t *seen;			/* [producer * STRESS_PUSHES + seq] */
	long consumed, duplicates, out_of_order, cycles, del_all_batches, del_firsts;
};

/* Record one node taken off the list and hand it back to its producer. */
static void stress_see(struct stress_tally *t, struct stress_item *it)
{
	size_t idx = (size_t)it->producer * STRESS_PUSHES + it->seq;

	if (t->seen[idx]++)
		t->duplicates++;
	t->consumed++;
	__atomic_store_n(&it->in_flight, 0, __ATOMIC_RELEASE);
}

/*
 * True if @chain is longer than every node in existence: the list has
 * been corrupted into a cycle, and walking it would never end.
 */
static bool stress_chain_too_long(struct llist_node *chain)
{
	size_t n = 0;

	for (; chain; chain = chain->next)
		if (++n > STRESS_PRODUCERS * STRESS_RING)
			return true;
	return false;
}

/* A del_all batch: reversed, each producer's seqs must increase. */
static void stress_take_all(struct stress_tally *t)
{
	struct llist_node *chain = llist_del_all(&stress_list);
	int64_t last[STRESS_PRODUCERS];
	struct stress_item *it, *tmp;

	if (!chain)
		return;
	if (stress_chain_too_long(chain)) {
		t->cycles++;
		return;
	}
	t->del_all_batches++;
	for (int p = 0; p < STRESS_PRODUCERS; p++)
		last[p] = -1;
	llist_for_each_entry_safe(it, tmp, llist_reverse_order(chain), node) {
		if ((int64_t)it->seq <= last[it->producer])
			t->out_of_order++;
		last[it->producer] = it->seq;
		stress_see(t, it);
	}
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Single consumer: mostly del_all, every fourth round a run of del_first. */
static void stress_consume(struct stress_tally *t)
{
	int64_t last_progress = now_ns();
	long round = 0, before;
	struct llist_node *n;

	while (t->consumed < STRESS_TOTAL && !t->cycles) {
		int done = __atomic_load_n(&stress_producers_done, __ATOMIC_SEQ_CST);

		before = t->consumed;
		if (++round % 4 == 0) {
			for (int k = 0; k < 64 && (n = llist_del_first(&stress_list)); k++) {
				t->del_firsts++;
				stress_see(t, llist_entry(n, struct stress_item, node));
			}
		} else {
			stress_take_all(t);
		}
		/* All pushed and nothing left: anything missing is lost. */
		if (done == STRESS_PRODUCERS && llist_empty(&stress_list))
			break;
		if (t->consumed != before)
			last_progress = now_ns();
		else if (round % 1024 == 0 && now_ns() - last_progress > STRESS_STALL_NS)
			break;
	}
	__atomic_store_n(&stress_abort, 1, __ATOMIC_RELAXED);
}

Test(llist, stress_producers_against_one_consumer_lose_nothing, .timeout = 60)
{
	pthread_t producers[STRESS_PRODUCERS];
	struct stress_tally t = { 0 };

	t.seen = calloc(STRESS_TOTAL, 1);
	cr_assert_not_null(t.seen);
	for (int p = 0; p < STRESS_PRODUCERS; p++)
		for (int i = 0; i < STRESS_RING; i++)
			stress_ring[p][i].producer = (uint16_t)p;
	llist_init_head(&stress_list);

	for (int p = 0; p < STRESS_PRODUCERS; p++)
		cr_assert_eq(pthread_create(&producers[p], NULL, stress_producer,
					    (void *)(intptr_t)p), 0);
	stress_consume(&t);
	for (int p = 0; p < STRESS_PRODUCERS; p++)
		pthread_join(producers[p], NULL);

	cr_log_info("llist stress: %ld nodes in %ld del_all batches and %ld del_first",
		    t.consumed, t.del_all_batches, t.del_firsts);
	cr_assert_eq(t.cycles, 0, "the list became a cycle");
	cr_expect_eq(t.duplicates, 0, "%ld nodes seen twice", t.duplicates);
	cr_expect_eq(t.out_of_order, 0, "%ld nodes out of push order", t.out_of_order);
	cr_expect_eq(t.consumed, STRESS_TOTAL, "consumed %ld of %d", t.consumed, STRESS_TOTAL);
	for (size_t i = 0; i < STRESS_TOTAL; i++)
		if (t.seen[i] != 1)
			cr_assert_fail("producer %zu seq %zu seen %u times",
				       i / STRESS_PUSHES, i % STRESS_PUSHES, t.seen[i]);
	cr_assert(llist_empty(&stress_list));
	free(t.seen);
}
