// SPDX-License-Identifier: MIT
/*
 * Host tests for the buddy page allocator (kernel/mm/buddy.c).
 *
 * Zones here describe made-up pfns; only the descriptor array is real
 * memory. Besides the single-feature tests there is a churn test that runs
 * thousands of random allocations and frees against a reference model: a
 * plain per-page map. With full coalescing, a buddy allocator can satisfy
 * an order-n request exactly when some 2^n-aligned run of 2^n pages is
 * entirely free, so the model predicts every -ENOMEM as well as every
 * free-page count.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <kernel/mm/buddy.h>
#include <lib/errno.h>

static struct buddy_zone zone;
static struct page *descs;

static void zone_setup(unsigned long base, unsigned long n)
{
	descs = calloc(n, sizeof(*descs));
	cr_assert_not_null(descs);
	buddy_init(&zone, descs, base, n);
}

static void zone_teardown(void)
{
	free(descs);
	descs = NULL;
}

static struct buddy_stats stats(void)
{
	struct buddy_stats s;

	buddy_get_stats(&zone, &s);
	return s;
}

/* Assert the per-order free block counts equal want[] (orders 0..10). */
static void expect_blocks(const unsigned long *want)
{
	struct buddy_stats s = stats();

	for (int o = 0; o < BUDDY_MAX_ORDER; o++)
		cr_expect_eq(s.free_blocks[o], want[o], "order %d: %lu blocks, want %lu",
			     o, s.free_blocks[o], want[o]);
	cr_assert_eq(buddy_check(&zone), 0);
}

Test(buddy, init_reserves_everything, .fini = zone_teardown)
{
	zone_setup(100, 64);
	struct buddy_stats s = stats();

	cr_expect_eq(s.span_pages, 64);
	cr_expect_eq(s.reserved_pages, 64);
	cr_expect_eq(s.managed_pages, 0);
	cr_expect_eq(s.free_pages, 0);
	cr_expect_eq(buddy_alloc(&zone, 0), -ENOMEM);
	cr_expect_eq(buddy_check(&zone), 0);
}

Test(buddy, free_range_builds_maximal_blocks, .fini = zone_teardown)
{
	static const unsigned long want[BUDDY_MAX_ORDER] = { [10] = 4 };

	zone_setup(0, 4096);
	cr_assert_eq(buddy_free_range(&zone, 0, 4096), 0);
	expect_blocks(want);
	cr_expect_eq(stats().free_pages, 4096);
	cr_expect_eq(stats().managed_pages, 4096);
}

Test(buddy, odd_range_is_cut_into_aligned_blocks, .fini = zone_teardown)
{
	/* pfns 3..39: 3 | 4-7 | 8-15 | 16-31 | 32-39 */
	static const unsigned long want[BUDDY_MAX_ORDER] = {
		[0] = 1, [2] = 1, [3] = 2, [4] = 1,
	};

	zone_setup(1, 60);
	cr_assert_eq(buddy_free_range(&zone, 3, 37), 0);
	expect_blocks(want);
	cr_expect_eq(stats().free_pages, 37);
	cr_expect_eq(stats().reserved_pages, 23);
}

/* Two halves freed separately end up as the single block they make up. */
Test(buddy, adjacent_ranges_coalesce, .fini = zone_teardown)
{
	static const unsigned long want[BUDDY_MAX_ORDER] = { [10] = 1 };

	zone_setup(1024, 1024);
	cr_assert_eq(buddy_free_range(&zone, 1024, 512), 0);
	cr_assert_eq(buddy_free_range(&zone, 1536, 512), 0);
	expect_blocks(want);
}

/* Freeing every other page first leaves no buddies until the second pass. */
Test(buddy, pages_freed_one_by_one_coalesce, .fini = zone_teardown)
{
	static const unsigned long want[BUDDY_MAX_ORDER] = { [10] = 1 };

	zone_setup(0, 1024);
	for (long pfn = 1023; pfn >= 0; pfn -= 2)	/* odd pages first */
		cr_assert_eq(buddy_free_range(&zone, pfn, 1), 0);
	for (long pfn = 0; pfn < 1024; pfn += 2)
		cr_assert_eq(buddy_free_range(&zone, pfn, 1), 0);
	expect_blocks(want);
}

Test(buddy, range_checks, .fini = zone_teardown)
{
	zone_setup(10, 20);
	cr_expect_eq(buddy_free_range(&zone, 9, 2), -EINVAL);
	cr_expect_eq(buddy_free_range(&zone, 25, 6), -EINVAL);
	cr_expect_eq(buddy_free_range(&zone, 10, ~0UL), -EINVAL);
	cr_expect_eq(buddy_free_range(&zone, 30, 0), 0);
	cr_expect_eq(buddy_free_range(&zone, 12, 4), 0);
	/* Overlapping a free page: nothing at all is released. */
	cr_expect_eq(buddy_free_range(&zone, 10, 3), -EBUSY);
	cr_expect_eq(stats().free_pages, 4);
	cr_expect_eq(buddy_check(&zone), 0);
}

/* Alignment is of the pfn itself, not relative to the zone's start. */
Test(buddy, blocks_are_aligned_to_their_order, .fini = zone_teardown)
{
	zone_setup(7, 9000);		/* deliberately unaligned zone */
	cr_assert_eq(buddy_free_range(&zone, 7, 9000), 0);
	for (int round = 0; round < 3; round++) {
		for (unsigned int o = 0; o < BUDDY_MAX_ORDER; o++) {
			long pfn = buddy_alloc(&zone, o);

			cr_assert_geq(pfn, 0, "order %u", o);
			cr_expect_eq(pfn & ((1L << o) - 1), 0, "pfn %ld order %u", pfn, o);
			cr_expect_geq(pfn, 7);
			cr_expect_leq(pfn + (1L << o), 7 + 9000);
		}
	}
	cr_expect_eq(buddy_check(&zone), 0);
}

Test(buddy, exhaustion_returns_enomem, .fini = zone_teardown)
{
	zone_setup(0, 16);
	cr_assert_eq(buddy_free_range(&zone, 0, 16), 0);
	cr_expect_eq(buddy_alloc(&zone, 5), -ENOMEM);	/* larger than the zone */
	cr_expect_eq(buddy_alloc(&zone, BUDDY_MAX_ORDER), -EINVAL);
	cr_expect_eq(buddy_alloc(&zone, 4), 0);
	cr_expect_eq(buddy_alloc(&zone, 0), -ENOMEM);
	cr_expect_eq(stats().free_pages, 0);
	cr_expect_eq(stats().allocated_pages, 16);
	cr_expect_eq(buddy_free(&zone, 0, 4), 0);
	cr_expect_eq(stats().free_blocks[4], 1);
}

/*
 * Run until nothing is left, checking that no two blocks share a page.
 * 2563 = 2 * 1024 + 512 + 2 + 1 pages, hence the initial blocks.
 */
Test(buddy, split_blocks_never_overlap, .fini = zone_teardown)
{
	static const unsigned long want[BUDDY_MAX_ORDER] = {
		[0] = 1, [1] = 1, [9] = 1, [10] = 2,
	};
	enum { N = 2563 };
	static unsigned char used[N];
	static long got_pfn[N];
	static unsigned int got_order[N];
	unsigned long nr = 0, taken = 0;

	memset(used, 0, sizeof(used));
	srand(1);
	zone_setup(0, N);
	cr_assert_eq(buddy_free_range(&zone, 0, N), 0);
	expect_blocks(want);
	for (int max = 4; max >= 0; max--) {
		for (;;) {
			unsigned int order = rand() % (max + 1);
			long pfn = buddy_alloc(&zone, order);

			if (pfn < 0)
				break;
			for (long p = pfn; p < pfn + (1L << order); p++) {
				cr_assert_eq(used[p], 0, "pfn %ld handed out twice", p);
				used[p] = 1;
			}
			got_pfn[nr] = pfn;
			got_order[nr++] = order;
			taken += 1UL << order;
		}
	}
	cr_expect_eq(taken, N);
	cr_expect_eq(stats().free_pages, 0);
	for (unsigned long i = 0; i < nr; i++)
		cr_assert_eq(buddy_free(&zone, got_pfn[i], got_order[i]), 0);
	expect_blocks(want);
}

Test(buddy, double_free_is_caught, .fini = zone_teardown)
{
	long a, b;

	zone_setup(0, 64);
	cr_assert_eq(buddy_free_range(&zone, 0, 64), 0);
	a = buddy_alloc(&zone, 0);
	b = buddy_alloc(&zone, 2);
	cr_assert_eq(buddy_free(&zone, a, 0), 0);
	cr_expect_eq(buddy_free(&zone, a, 0), -EALREADY);
	cr_assert_eq(buddy_free(&zone, b, 2), 0);
	/* b has merged into a larger free block: still caught. */
	cr_expect_eq(buddy_free(&zone, b, 2), -EALREADY);
	cr_expect_eq(buddy_free(&zone, b + 1, 0), -EALREADY);
	cr_expect_eq(stats().free_pages, 64);
	cr_expect_eq(stats().free_blocks[6], 1);
	cr_expect_eq(buddy_check(&zone), 0);
}

/* Each wrong free is refused with its own errno and leaves no trace. */
Test(buddy, bad_frees_change_nothing, .fini = zone_teardown)
{
	struct buddy_stats before, after;
	long a;

	zone_setup(0, 64);
	cr_assert_eq(buddy_free_range(&zone, 0, 32), 0);
	a = buddy_alloc(&zone, 3);
	cr_assert_geq(a, 0);
	before = stats();
	cr_expect_eq(buddy_free(&zone, 40, 0), -EPERM);		/* reserved */
	cr_expect_eq(buddy_free(&zone, a, 2), -EINVAL);		/* wrong order */
	cr_expect_eq(buddy_free(&zone, a + 1, 0), -EINVAL);	/* inside block */
	cr_expect_eq(buddy_free(&zone, 64, 0), -EINVAL);	/* outside zone */
	cr_expect_eq(buddy_free(&zone, a, BUDDY_MAX_ORDER), -EINVAL);
	after = stats();
	cr_expect_eq(memcmp(&before, &after, sizeof(before)), 0);
	cr_expect_eq(buddy_check(&zone), 0);
	cr_expect_eq(buddy_free(&zone, a, 3), 0);
}

/*
 * Reserving pfns 5..16 out of one free 64-page block splits it around them;
 * giving them back restores the block.
 */
Test(buddy, reserve_range_carves_free_blocks, .fini = zone_teardown)
{
	static const unsigned long want[BUDDY_MAX_ORDER] = { [6] = 1 };
	long pfn;

	zone_setup(0, 64);
	cr_assert_eq(buddy_free_range(&zone, 0, 64), 0);
	cr_assert_eq(buddy_reserve_range(&zone, 5, 12), 0);	/* 5..16 */
	cr_expect_eq(stats().free_pages, 52);
	cr_expect_eq(stats().reserved_pages, 12);
	cr_assert_eq(buddy_check(&zone), 0);
	cr_expect_eq(buddy_reserve_range(&zone, 0, 64 + 1), -EINVAL);
	cr_expect_eq(buddy_reserve_range(&zone, 5, 3), 0);	/* idempotent */
	while ((pfn = buddy_alloc(&zone, 0)) >= 0)
		cr_expect(pfn < 5 || pfn > 16, "reserved pfn %ld handed out", pfn);
	cr_expect_eq(buddy_reserve_range(&zone, 0, 6), -EBUSY);
	cr_expect_eq(stats().reserved_pages, 12);
	for (pfn = 0; pfn < 64; pfn++)
		if (pfn < 5 || pfn > 16)
			cr_assert_eq(buddy_free(&zone, pfn, 0), 0);
	cr_assert_eq(buddy_free_range(&zone, 5, 12), 0);
	expect_blocks(want);
}

Test(buddy, pfn_page_helpers, .fini = zone_teardown)
{
	zone_setup(500, 10);
	cr_expect_eq(buddy_pfn_to_page(&zone, 500), &descs[0]);
	cr_expect_eq(buddy_pfn_to_page(&zone, 509), &descs[9]);
	cr_expect_null(buddy_pfn_to_page(&zone, 499));
	cr_expect_null(buddy_pfn_to_page(&zone, 510));
	cr_expect_eq(buddy_page_to_pfn(&zone, &descs[3]), 503);
}

/* ------------------------------------------------------------ churn */

enum { CHURN_BASE = 77, CHURN_PAGES = 3000, CHURN_OPS = 20000 };
enum { M_FREE, M_USED, M_RESERVED };

static unsigned char model[CHURN_PAGES];

static unsigned long rng_state = 0x2545f4914f6cdd1dUL;

static unsigned long rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Is there a 2^order-aligned, entirely free run in the zone? */
static bool model_can_alloc(unsigned int order)
{
	unsigned long n = 1UL << order;
	unsigned long first = (CHURN_BASE + n - 1) & ~(n - 1);

	for (unsigned long pfn = first; pfn + n <= CHURN_BASE + CHURN_PAGES; pfn += n) {
		unsigned long i = 0;

		while (i < n && model[pfn - CHURN_BASE + i] == M_FREE)
			i++;
		if (i == n)
			return true;
	}
	return false;
}

static void model_set(long pfn, unsigned int order, unsigned char from,
		      unsigned char to)
{
	for (long p = pfn; p < pfn + (1L << order); p++) {
		cr_assert_eq(model[p - CHURN_BASE], from, "pfn %ld", p);
		model[p - CHURN_BASE] = to;
	}
}

Test(buddy, random_churn_matches_model, .fini = zone_teardown)
{
	static long live_pfn[CHURN_PAGES];
	static unsigned int live_order[CHURN_PAGES];
	unsigned long nr_live = 0, free_pages;
	struct buddy_stats initial;

	zone_setup(CHURN_BASE, CHURN_PAGES);
	memset(model, M_RESERVED, sizeof(model));
	/* RAM with holes, as a memory map would give it. */
	cr_assert_eq(buddy_free_range(&zone, CHURN_BASE + 3, 1200), 0);
	cr_assert_eq(buddy_free_range(&zone, CHURN_BASE + 1300, 1650), 0);
	memset(model + 3, M_FREE, 1200);
	memset(model + 1300, M_FREE, 1650);
	free_pages = 2850;
	initial = stats();

	for (int op = 0; op < CHURN_OPS; op++) {
		if (nr_live && rng() % 100 < 45) {
			unsigned long i = rng() % nr_live;

			cr_assert_eq(buddy_free(&zone, live_pfn[i], live_order[i]), 0);
			model_set(live_pfn[i], live_order[i], M_USED, M_FREE);
			free_pages += 1UL << live_order[i];
			live_pfn[i] = live_pfn[--nr_live];
			live_order[i] = live_order[nr_live];
		} else {
			unsigned int order = rng() % 100 < 70 ? rng() % 3 : rng() % BUDDY_MAX_ORDER;
			bool can = model_can_alloc(order);
			long pfn = buddy_alloc(&zone, order);

			cr_assert_eq(pfn >= 0, can, "op %d order %u: got %ld", op, order, pfn);
			if (pfn < 0) {
				cr_assert_eq(pfn, -ENOMEM);
				continue;
			}
			model_set(pfn, order, M_FREE, M_USED);
			free_pages -= 1UL << order;
			live_pfn[nr_live] = pfn;
			live_order[nr_live++] = order;
		}
		cr_assert_eq(stats().free_pages, free_pages, "op %d", op);
		if (op % 1000 == 0)
			cr_assert_eq(buddy_check(&zone), 0, "op %d", op);
	}
	while (nr_live--)
		cr_assert_eq(buddy_free(&zone, live_pfn[nr_live], live_order[nr_live]), 0);
	expect_blocks(initial.free_blocks);
}
