/* SPDX-License-Identifier: MIT */
/*
 * The buddy allocator: hands out physical page frames in blocks of 2^order
 * pages, for orders 0 to BUDDY_MAX_ORDER - 1 (4 KiB to 4 MiB with 4 KiB
 * pages). This is the pure bookkeeping, shared by the kernel and the host
 * unit tests: it knows page frame numbers (pfns) and one descriptor per
 * frame, never addresses, page tables or locks. The kernel's memory-map code
 * creates one zone, frees the usable RAM into it and reserves what is in use
 * (kernel image, boot information, modules); kmalloc and the page-table code
 * then take blocks from it.
 *
 * A block of order n always starts at a pfn that is a multiple of 2^n, so
 * its "buddy" - the neighbour it merges with when both are free - is found
 * by flipping bit n of the pfn.
 *
 * Locking: none inside. Every function that changes a zone must be called
 * with the zone's lock held by the caller; the read-only helpers need it too
 * if the zone can change under them.
 */
#ifndef KERNEL_MM_BUDDY_H
#define KERNEL_MM_BUDDY_H

#include <lib/types.h>

/* Orders 0 .. BUDDY_MAX_ORDER - 1; the largest block is 2^10 pages. */
#define BUDDY_MAX_ORDER 11

/* What one page frame is doing; kept in struct page.state. */
enum buddy_page_state {
	BUDDY_PAGE_RESERVED = 0,	/* not ours to hand out (yet) */
	BUDDY_PAGE_FREE,		/* first page of a free block */
	BUDDY_PAGE_ALLOCATED,		/* first page of an allocated block */
	BUDDY_PAGE_TAIL,		/* any other page of a free/allocated block */
};

/*
 * One descriptor per page frame. Only a block's first page (its head) says
 * which order the block has; the free lists link heads of free blocks.
 */
struct page {
	struct page *next;	/* free list links, valid while state is FREE */
	struct page *prev;
	u8 state;		/* enum buddy_page_state */
	u8 order;		/* block order, valid in FREE and ALLOCATED heads */
};

/* A run of page frames [base_pfn, base_pfn + nr_pages) and its free lists. */
struct buddy_zone {
	struct page *pages;		/* pages[i] describes pfn base_pfn + i */
	unsigned long base_pfn;
	unsigned long nr_pages;
	unsigned long free_pages;	/* pages in free blocks */
	unsigned long reserved_pages;	/* pages in state RESERVED */
	struct page *free_list[BUDDY_MAX_ORDER];	/* NULL-terminated */
	unsigned long free_blocks[BUDDY_MAX_ORDER];	/* length of each list */
};

/* A snapshot of a zone's counters, for the `mem` command and for tests. */
struct buddy_stats {
	unsigned long span_pages;	/* pfns covered by the zone */
	unsigned long managed_pages;	/* span minus reserved */
	unsigned long free_pages;
	unsigned long allocated_pages;	/* managed minus free */
	unsigned long reserved_pages;
	unsigned long free_blocks[BUDDY_MAX_ORDER];
};

/**
 * buddy_init - set up an empty zone
 * @z: the zone to initialise
 * @pages: caller-provided array of @nr_pages descriptors; the zone keeps
 *         using it for its whole life
 * @base_pfn: first pfn of the zone
 * @nr_pages: number of pfns in the zone
 *
 * Every page starts RESERVED, so nothing can be allocated until usable RAM
 * is released with buddy_free_range(). Context: boot, before anyone else
 * can see the zone; takes time proportional to @nr_pages.
 */
void buddy_init(struct buddy_zone *z, struct page *pages,
		unsigned long base_pfn, unsigned long nr_pages);

/**
 * buddy_free_range - hand reserved page frames to the allocator
 * @z: the zone
 * @pfn: first pfn to release; any alignment
 * @count: number of pfns; may be 0
 *
 * Cuts the range into the largest aligned blocks that fit and merges them
 * with free neighbours. Either the whole range is released or nothing is.
 * Caller holds the zone lock.
 *
 * Returns 0, -EINVAL if the range leaves the zone, or -EBUSY if some page
 * in it is not RESERVED (already free or allocated).
 */
int buddy_free_range(struct buddy_zone *z, unsigned long pfn,
		     unsigned long count);

/**
 * buddy_reserve_range - take page frames out of the allocator for good
 * @z: the zone
 * @pfn: first pfn to reserve; any alignment
 * @count: number of pfns; may be 0
 *
 * Free blocks that overlap the range are split so that only the range
 * becomes RESERVED. Pages already reserved stay so. Either the whole range
 * is reserved or nothing changes. Caller holds the zone lock.
 *
 * Returns 0, -EINVAL if the range leaves the zone, or -EBUSY if some page
 * in it is allocated.
 */
int buddy_reserve_range(struct buddy_zone *z, unsigned long pfn,
			unsigned long count);

/**
 * buddy_alloc - allocate a block of 2^order page frames
 * @z: the zone
 * @order: 0 .. BUDDY_MAX_ORDER - 1
 *
 * The block's first pfn is a multiple of 2^order. The pages are not
 * cleared. Caller holds the zone lock; never sleeps.
 *
 * Returns the first pfn (>= 0), -EINVAL for a bad order, or -ENOMEM if no
 * free block is large enough.
 */
long buddy_alloc(struct buddy_zone *z, unsigned int order);

/**
 * buddy_free - give back a block from buddy_alloc()
 * @z: the zone
 * @pfn: the pfn buddy_alloc() returned
 * @order: the order it was allocated with
 *
 * Merges the block with its buddy, repeatedly, while the buddy is free.
 * Caller holds the zone lock; never sleeps. Nothing changes on error; the
 * kernel treats any error as a broken invariant and panics.
 *
 * Returns 0; -EALREADY if the block is already free (double free); -EPERM if
 * @pfn is a reserved page; -EINVAL if @pfn is outside the zone, is not the
 * start of an allocated block, or @order is not the order it was given.
 */
int buddy_free(struct buddy_zone *z, unsigned long pfn, unsigned int order);

/**
 * buddy_get_stats - copy a zone's counters
 * @z: the zone
 * @out: filled in
 *
 * Caller holds the zone lock for a consistent snapshot.
 */
void buddy_get_stats(const struct buddy_zone *z, struct buddy_stats *out);

/**
 * buddy_check - verify every invariant of a zone (slow; for tests)
 * @z: the zone
 *
 * Walks all descriptors and all free lists: block alignment, head/tail
 * states, list links, and that the counters match. Caller holds the lock.
 *
 * Returns 0 if the zone is consistent, -EINVAL at the first problem.
 */
int buddy_check(const struct buddy_zone *z);

/**
 * buddy_pfn_to_page - the descriptor of a pfn
 *
 * Returns the descriptor, or NULL if @pfn is outside the zone.
 */
struct page *buddy_pfn_to_page(const struct buddy_zone *z, unsigned long pfn);

/**
 * buddy_page_to_pfn - the pfn a descriptor of this zone describes
 *
 * @page must point into the zone's descriptor array.
 */
unsigned long buddy_page_to_pfn(const struct buddy_zone *z,
				const struct page *page);

#endif /* KERNEL_MM_BUDDY_H */
