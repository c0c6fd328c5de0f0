// SPDX-License-Identifier: MIT
/*
 * Host tests for kmalloc's core (kernel/mm/slab.c).
 *
 * The allocator gets its pages from a real buddy zone laid over a 32 MiB
 * arena of host memory, so these tests also exercise the two allocators
 * together the way the kernel wires them. The arena counts the pages it
 * has lent, and every test ends by checking that the allocator's own
 * statistics and that count agree and fall back to zero.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <kernel/mm/buddy.h>
#include <kernel/mm/slab.h>
#include <lib/errno.h>

enum { ARENA_PAGES = 8192 };

struct arena {
	struct buddy_zone zone;
	struct page *descs;
	unsigned char *mem;
	unsigned long pages_out;	/* lent to the allocator */
	bool fail;			/* make alloc_pages return NULL */
};

static struct arena arena;
static struct slab_allocator sa;

static void *arena_alloc(unsigned int order, void *ctx)
{
	struct arena *ar = ctx;
	long pfn;

	if (ar->fail)
		return NULL;
	pfn = buddy_alloc(&ar->zone, order);
	if (pfn < 0)
		return NULL;
	ar->pages_out += 1UL << order;
	return ar->mem + (size_t)pfn * SLAB_PAGE_SIZE;
}

static void arena_free(void *addr, unsigned int order, void *ctx)
{
	struct arena *ar = ctx;
	size_t off = (unsigned char *)addr - ar->mem;

	cr_assert_eq(off % SLAB_PAGE_SIZE, 0, "free_pages of unaligned %p", addr);
	cr_assert_eq(buddy_free(&ar->zone, off / SLAB_PAGE_SIZE, order), 0);
	ar->pages_out -= 1UL << order;
}

static const struct slab_page_ops arena_ops = {
	.alloc_pages = arena_alloc,
	.free_pages = arena_free,
};

static void setup(void)
{
	/* 4 MiB-aligned, like blocks from the kernel's direct map. */
	arena.mem = aligned_alloc(4UL << 20, ARENA_PAGES * SLAB_PAGE_SIZE);
	arena.descs = calloc(ARENA_PAGES, sizeof(*arena.descs));
	cr_assert(arena.mem && arena.descs);
	buddy_init(&arena.zone, arena.descs, 0, ARENA_PAGES);
	cr_assert_eq(buddy_free_range(&arena.zone, 0, ARENA_PAGES), 0);
	arena.pages_out = 0;
	arena.fail = false;
	slab_init(&sa, &arena_ops, &arena);
}

static void teardown(void)
{
	free(arena.mem);
	free(arena.descs);
}

static struct slab_stats stats(void)
{
	struct slab_stats s;

	slab_get_stats(&sa, &s);
	return s;
}

/* Nothing outstanding, and after a shrink no pages held anywhere. */
static void expect_all_returned(void)
{
	struct slab_stats s = stats();

	cr_expect_eq(s.objects_outstanding, 0);
	cr_expect_eq(s.large_objects_outstanding, 0);
	cr_expect_eq(s.bytes_requested_outstanding, 0);
	cr_expect_eq(s.bytes_allocated_outstanding, 0);
	for (int ci = 0; ci < SLAB_NR_CLASSES; ci++)
		cr_expect_eq(s.classes[ci].objects_outstanding, 0);
	slab_shrink(&sa);
	s = stats();
	cr_expect_eq(s.pages_held, 0);
	cr_expect_eq(arena.pages_out, 0);
	cr_expect_eq(arena.zone.free_pages, ARENA_PAGES);
	cr_expect_eq(buddy_check(&arena.zone), 0);
}

static bool all_bytes(const void *p, unsigned char v, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != v)
			return false;
	return true;
}

TestSuite(slab, .init = setup, .fini = teardown);

/* Each class's header and objects fit in a page; small classes pack well. */
Test(slab, geometry_fits_a_page)
{
	struct slab_stats s = stats();

	for (int ci = 0; ci < SLAB_NR_CLASSES; ci++) {
		cr_expect_eq(s.classes[ci].size, 16UL << ci);
		cr_expect_geq(s.classes[ci].objects_per_slab, 1);
		cr_expect_leq(s.classes[ci].objects_per_slab * s.classes[ci].size,
			      SLAB_PAGE_SIZE - 48);
	}
	cr_expect_geq(s.classes[0].objects_per_slab, 200);
	cr_expect_eq(s.classes[6].objects_per_slab, 3);		/* 1024 */
}

Test(slab, every_size_from_1_to_9000)
{
	for (size_t size = 1; size <= 9000; size++) {
		unsigned char *p = slab_alloc(&sa, size);
		size_t usable = slab_usable_size(&sa, p);
		struct slab_stats s = stats();

		cr_assert_not_null(p, "size %zu", size);
		cr_assert_eq((uintptr_t)p % SLAB_MIN_SIZE, 0, "size %zu", size);
		cr_assert_geq(usable, size);
		cr_assert_eq(s.bytes_requested_outstanding, size);
		cr_assert_eq(s.bytes_allocated_outstanding, usable);
		cr_assert_eq(s.objects_outstanding, 1);
		memset(p, 0xa5, usable);
		cr_assert_eq(slab_free(&sa, p), 0, "size %zu", size);
	}
	cr_expect_eq(stats().allocs_total, 9000);
	cr_expect_eq(stats().frees_total, 9000);
	expect_all_returned();
}

Test(slab, objects_never_overlap)
{
	enum { N = 3000 };
	static unsigned char *obj[N];
	static size_t len[N];

	for (int i = 0; i < N; i++) {
		len[i] = (size_t)(i * 37) % 3000 + 1;
		obj[i] = slab_alloc(&sa, len[i]);
		cr_assert_not_null(obj[i]);
		memset(obj[i], i & 0xff, len[i]);
	}
	for (int i = 0; i < N; i++) {
		cr_assert(all_bytes(obj[i], i & 0xff, len[i]), "object %d overwritten", i);
		cr_assert_eq(slab_free(&sa, obj[i]), 0);
	}
	expect_all_returned();
}

/*
 * Sizes on either side of each boundary: 0 and 16 share the smallest
 * class, 2048 is the last class, 2049..4064 fit one page after the large
 * header, and 4065 needs two pages.
 */
Test(slab, stats_are_exact)
{
	static const size_t sizes[] = { 0, 1, 16, 17, 2048, 2049, 4064, 4065 };
	static const size_t usable[] = { 16, 16, 16, 32, 2048, 4064, 4064, 8160 };
	void *p[8];
	size_t req = 0, got = 0;
	struct slab_stats s;

	for (int i = 0; i < 8; i++) {
		p[i] = slab_alloc(&sa, sizes[i]);
		cr_assert_not_null(p[i]);
		cr_expect_eq(slab_usable_size(&sa, p[i]), usable[i], "size %zu", sizes[i]);
		req += sizes[i];
		got += usable[i];
	}
	s = stats();
	cr_expect_eq(s.bytes_requested_outstanding, req);
	cr_expect_eq(s.bytes_allocated_outstanding, got);
	cr_expect_eq(s.objects_outstanding, 8);
	cr_expect_eq(s.large_objects_outstanding, 3);
	cr_expect_eq(s.classes[0].objects_outstanding, 3);
	cr_expect_eq(s.classes[1].objects_outstanding, 1);
	cr_expect_eq(s.classes[7].objects_outstanding, 1);
	/* Slabs for 16, 32 and 2048, plus 1 + 1 + 2 pages of large objects. */
	cr_expect_eq(s.pages_held, 7);
	cr_expect_eq(arena.pages_out, 7);
	for (int i = 0; i < 8; i++)
		cr_assert_eq(slab_free(&sa, p[i]), 0);
	expect_all_returned();
}

Test(slab, freed_memory_is_poisoned)
{
	unsigned char *small = slab_alloc(&sa, 100);
	unsigned char *large = slab_alloc(&sa, 5000);

	memset(small, 0xaa, 100);
	memset(large, 0xaa, 5000);
	cr_assert_eq(slab_free(&sa, small), 0);
	cr_assert_eq(slab_free(&sa, large), 0);
	/* The arena is ours, so reading freed memory here is well defined. */
	cr_expect(all_bytes(small, SLAB_POISON_FREE, 128));
	cr_expect(all_bytes(large, SLAB_POISON_FREE, 8192 - SLAB_LARGE_HEADER));
	/* A reused object arrives still poisoned. */
	cr_expect_eq(slab_alloc(&sa, 100), small);
	cr_expect(all_bytes(small, SLAB_POISON_FREE, 128));
	cr_assert_eq(slab_free(&sa, small), 0);
	expect_all_returned();
}

Test(slab, double_free_is_caught)
{
	void *keep = slab_alloc(&sa, 40);	/* keeps the slab alive */
	void *small = slab_alloc(&sa, 40);
	void *large = slab_alloc(&sa, 10000);
	struct slab_stats before;

	cr_assert_eq(slab_free(&sa, small), 0);
	cr_assert_eq(slab_free(&sa, large), 0);
	before = stats();
	cr_expect_eq(slab_free(&sa, small), -EALREADY);
	cr_expect_eq(slab_free(&sa, large), -EALREADY);
	cr_expect_eq(stats().objects_outstanding, before.objects_outstanding);
	cr_expect_eq(stats().frees_total, before.frees_total);
	cr_expect_eq(stats().frees_rejected, 2);
	cr_expect_eq(slab_usable_size(&sa, small), 0);
	cr_assert_eq(slab_free(&sa, keep), 0);
	expect_all_returned();
}

/* Pointers slab_free() must refuse: inside objects, non-slab pages, others'. */
Test(slab, foreign_pointers_are_rejected)
{
	struct slab_allocator other;
	unsigned char *small = slab_alloc(&sa, 64);
	unsigned char *large = slab_alloc(&sa, 3000);
	unsigned char *raw = arena_alloc(0, &arena);

	slab_init(&other, &arena_ops, &arena);
	memset(raw, 0, SLAB_PAGE_SIZE);
	cr_expect_eq(slab_free(&sa, small + 16), -EINVAL);	/* inside */
	cr_expect_eq(slab_free(&sa, large + 16), -EINVAL);
	cr_expect_eq(slab_free(&sa, raw + 64), -EINVAL);	/* not a slab */
	cr_expect_eq(slab_free(&other, small), -EINVAL);	/* other owner */
	cr_expect_eq(slab_free(&other, large), -EINVAL);
	cr_expect_eq(slab_usable_size(&sa, raw + 64), 0);
	cr_expect_eq(slab_usable_size(&sa, NULL), 0);
	cr_expect_eq(slab_free(&sa, NULL), 0);
	cr_expect_eq(stats().objects_outstanding, 2);
	cr_assert_eq(slab_free(&sa, small), 0);
	cr_assert_eq(slab_free(&sa, large), 0);
	arena_free(raw, 0, &arena);
	expect_all_returned();
}

/* Three full slabs emptied: two go back at once, the third is the spare. */
Test(slab, one_empty_slab_is_kept_per_class)
{
	unsigned long per = stats().classes[0].objects_per_slab;
	void **p = calloc(3 * per, sizeof(*p));

	for (unsigned long i = 0; i < 3 * per; i++)
		p[i] = slab_alloc(&sa, 16);
	cr_expect_eq(stats().classes[0].slabs, 3);
	for (unsigned long i = 0; i < 3 * per; i++)
		cr_assert_eq(slab_free(&sa, p[i]), 0);
	cr_expect_eq(stats().classes[0].slabs, 1);
	cr_expect_eq(stats().pages_held, 1);
	cr_expect_eq(slab_shrink(&sa), 1);
	free(p);
	expect_all_returned();
}

Test(slab, out_of_pages_returns_null)
{
	struct slab_stats before = stats();

	arena.fail = true;
	cr_expect_null(slab_alloc(&sa, 10));
	cr_expect_null(slab_alloc(&sa, 10000));
	cr_expect_null(slab_alloc(&sa, SIZE_MAX));
	cr_expect_eq(stats().allocs_failed, 3);
	cr_expect_eq(stats().allocs_total, before.allocs_total);
	cr_expect_eq(stats().pages_held, 0);
	arena.fail = false;
	cr_expect_null(slab_alloc(&sa, 64UL << 20));	/* larger than the arena */
	expect_all_returned();
}

Test(slab, size_zero_gives_distinct_objects)
{
	void *a = slab_alloc(&sa, 0), *b = slab_alloc(&sa, 0);

	cr_assert(a && b && a != b);
	cr_expect_eq(stats().bytes_requested_outstanding, 0);
	cr_expect_eq(stats().bytes_allocated_outstanding, 32);
	cr_assert_eq(slab_free(&sa, a), 0);
	cr_assert_eq(slab_free(&sa, b), 0);
	expect_all_returned();
}

/* ------------------------------------------------------------ churn */

enum { CHURN_OPS = 100000, CHURN_LIVE = 1500 };

struct live {
	unsigned char *p;
	size_t size;
	unsigned char fill;
};

static unsigned long rng_state = 0x9e3779b97f4a7c15UL;

static unsigned long rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Mostly small objects, some large ones, a few spanning several pages. */
static size_t churn_size(void)
{
	unsigned long r = rng() % 100;

	if (r < 80)
		return rng() % 300;
	if (r < 95)
		return rng() % SLAB_MAX_SMALL + 1;
	return rng() % 20000 + 1;
}

/*
 * 100,000 random allocations and frees with a bounded live set. Every live
 * object is filled with its own byte and checked before it is freed, and
 * after every step the statistics must equal sums kept here.
 */
Test(slab, random_churn_leaks_nothing)
{
	static struct live live[CHURN_LIVE];
	unsigned long nr = 0;
	size_t req = 0, got = 0;

	for (int op = 0; op < CHURN_OPS; op++) {
		if (nr == CHURN_LIVE || (nr && rng() % 2)) {
			unsigned long i = rng() % nr;
			struct live *l = &live[i];

			cr_assert(all_bytes(l->p, l->fill, l->size), "op %d: object overwritten", op);
			got -= slab_usable_size(&sa, l->p);
			req -= l->size;
			cr_assert_eq(slab_free(&sa, l->p), 0, "op %d", op);
			*l = live[--nr];
		} else {
			struct live *l = &live[nr++];

			l->size = churn_size();
			l->fill = (unsigned char)op;
			l->p = slab_alloc(&sa, l->size);
			cr_assert_not_null(l->p, "op %d size %zu", op, l->size);
			memset(l->p, l->fill, l->size);
			req += l->size;
			got += slab_usable_size(&sa, l->p);
		}
		cr_assert_eq(stats().bytes_requested_outstanding, req, "op %d", op);
		cr_assert_eq(stats().bytes_allocated_outstanding, got, "op %d", op);
		cr_assert_eq(stats().objects_outstanding, nr, "op %d", op);
		cr_assert_eq(stats().pages_held, arena.pages_out, "op %d", op);
	}
	while (nr)
		cr_assert_eq(slab_free(&sa, live[--nr].p), 0);
	expect_all_returned();
}
