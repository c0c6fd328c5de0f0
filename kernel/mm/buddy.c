// SPDX-License-Identifier: MIT
/*
 * The buddy allocator's bookkeeping (see buddy.h for the model).
 *
 * Each order has a free list of block heads. Allocation takes the smallest
 * free block that is large enough and splits it in halves, putting the
 * unused upper halves back on the lists. Freeing does the reverse: while the
 * block's buddy is a free block of the same order, the two are joined.
 *
 * Page states make mistakes visible. A block's head is FREE or ALLOCATED
 * and carries its order; every other page of it is TAIL. Turning a free
 * block into an allocated one only touches the head, so allocation stays
 * O(orders), and a double free is caught by looking at the head - or, if
 * the block has since merged into a larger free block, by walking up to
 * the head of the block that contains it.
 *
 * Nothing here locks; callers hold the zone lock (buddy.h).
 */
#include <kernel/mm/buddy.h>
#include <lib/errno.h>

/* ---------------------------------------------------------------- helpers */

static bool pfn_in_zone(const struct buddy_zone *z, unsigned long pfn)
{
	return pfn >= z->base_pfn && pfn - z->base_pfn < z->nr_pages;
}

/* Does [pfn, pfn + count) lie inside the zone? Careful about wrap-around. */
static bool range_in_zone(const struct buddy_zone *z, unsigned long pfn,
			  unsigned long count)
{
	if (pfn < z->base_pfn || pfn - z->base_pfn > z->nr_pages)
		return false;
	return count <= z->nr_pages - (pfn - z->base_pfn);
}

static struct page *page_of(const struct buddy_zone *z, unsigned long pfn)
{
	return &z->pages[pfn - z->base_pfn];
}

static unsigned long pfn_of(const struct buddy_zone *z, const struct page *p)
{
	return z->base_pfn + (unsigned long)(p - z->pages);
}

/* Make pfn the head of a free block of this order and list it. */
static void list_add_free(struct buddy_zone *z, unsigned long pfn,
			  unsigned int order)
{
	struct page *p = page_of(z, pfn);

	p->state = BUDDY_PAGE_FREE;
	p->order = order;
	p->prev = NULL;
	p->next = z->free_list[order];
	if (p->next)
		p->next->prev = p;
	z->free_list[order] = p;
	z->free_blocks[order]++;
}

/* Unlink a free block's head; its state is left for the caller to set. */
static void list_del_free(struct buddy_zone *z, struct page *p)
{
	if (p->prev)
		p->prev->next = p->next;
	else
		z->free_list[p->order] = p->next;
	if (p->next)
		p->next->prev = p->prev;
	p->next = p->prev = NULL;
	z->free_blocks[p->order]--;
}

/*
 * Find the head of the free or allocated block that contains pfn, or NULL
 * if pfn is reserved. Walking up the alignments of pfn, every candidate
 * before the real head lies inside the block and so is a TAIL.
 */
static struct page *block_head(const struct buddy_zone *z, unsigned long pfn)
{
	for (unsigned int order = 0; order < BUDDY_MAX_ORDER; order++) {
		unsigned long head = pfn & ~((1UL << order) - 1);
		struct page *p;

		if (head < z->base_pfn)
			break;
		p = page_of(z, head);
		if (p->state == BUDDY_PAGE_RESERVED)
			break;
		if (p->state != BUDDY_PAGE_TAIL)
			return p->order >= order ? p : NULL;
	}
	return NULL;
}

/* ------------------------------------------------------- split and merge */

/*
 * Put the block [pfn, pfn + 2^order) on the free lists, first merging it
 * with its buddy for as long as the buddy is a whole free block of the
 * same order. The caller has already counted the pages as free.
 */
static void free_block(struct buddy_zone *z, unsigned long pfn,
		       unsigned int order)
{
	while (order < BUDDY_MAX_ORDER - 1) {
		unsigned long buddy = pfn ^ (1UL << order);
		struct page *b;

		if (!pfn_in_zone(z, buddy))
			break;
		b = page_of(z, buddy);
		if (b->state != BUDDY_PAGE_FREE || b->order != order)
			break;
		list_del_free(z, b);
		/* The upper of the two heads is now inside the merged block. */
		page_of(z, pfn | (1UL << order))->state = BUDDY_PAGE_TAIL;
		pfn &= ~(1UL << order);
		order++;
	}
	list_add_free(z, pfn, order);
}

/*
 * The block at pfn has just left the free lists with order `have`; keep
 * its lower 2^want pages and return the upper halves to the lists.
 */
static void split_block(struct buddy_zone *z, unsigned long pfn,
			unsigned int have, unsigned int want)
{
	while (have > want) {
		have--;
		list_add_free(z, pfn + (1UL << have), have);
	}
}

/*
 * Take one free page out of whatever free block holds it: the block is
 * halved again and again, the halves without pfn going back on the lists.
 */
static void carve_page(struct buddy_zone *z, unsigned long pfn)
{
	struct page *head = block_head(z, pfn);
	unsigned long start = pfn_of(z, head);
	unsigned int order = head->order;

	list_del_free(z, head);
	while (order > 0) {
		unsigned long half = 1UL << --order;

		if (pfn >= start + half) {
			list_add_free(z, start, order);
			start += half;
		} else {
			list_add_free(z, start + half, order);
		}
	}
	page_of(z, pfn)->state = BUDDY_PAGE_RESERVED;
	z->free_pages--;
	z->reserved_pages++;
}

/* The largest order of an aligned block starting at pfn and ending by end. */
static unsigned int fit_order(unsigned long pfn, unsigned long end)
{
	unsigned int order = 0;

	while (order + 1 < BUDDY_MAX_ORDER &&
	       (pfn & ((2UL << order) - 1)) == 0 &&
	       end - pfn >= (2UL << order))
		order++;
	return order;
}

/* ------------------------------------------------------------------- API */

/* Everything starts reserved: the caller frees what the memory map allows. */
void buddy_init(struct buddy_zone *z, struct page *pages,
		unsigned long base_pfn, unsigned long nr_pages)
{
	z->pages = pages;
	z->base_pfn = base_pfn;
	z->nr_pages = nr_pages;
	z->free_pages = 0;
	z->reserved_pages = nr_pages;
	for (unsigned int o = 0; o < BUDDY_MAX_ORDER; o++) {
		z->free_list[o] = NULL;
		z->free_blocks[o] = 0;
	}
	for (unsigned long i = 0; i < nr_pages; i++) {
		pages[i].next = pages[i].prev = NULL;
		pages[i].state = BUDDY_PAGE_RESERVED;
		pages[i].order = 0;
	}
}

int buddy_free_range(struct buddy_zone *z, unsigned long pfn,
		     unsigned long count)
{
	unsigned long end = pfn + count;

	if (!range_in_zone(z, pfn, count))
		return -EINVAL;
	/* Check everything first, so that an error leaves the zone as it was. */
	for (unsigned long p = pfn; p < end; p++)
		if (page_of(z, p)->state != BUDDY_PAGE_RESERVED)
			return -EBUSY;

	/*
	 * Each piece is the largest block that is aligned at pfn and ends by
	 * end; free_block() then joins it with whatever is already free on
	 * either side, so ranges freed separately still coalesce.
	 */
	while (pfn < end) {
		unsigned int order = fit_order(pfn, end);
		unsigned long n = 1UL << order;

		for (unsigned long p = pfn + 1; p < pfn + n; p++)
			page_of(z, p)->state = BUDDY_PAGE_TAIL;
		z->reserved_pages -= n;
		z->free_pages += n;
		free_block(z, pfn, order);
		pfn += n;
	}
	return 0;
}

int buddy_reserve_range(struct buddy_zone *z, unsigned long pfn,
			unsigned long count)
{
	unsigned long end = pfn + count;

	if (!range_in_zone(z, pfn, count))
		return -EINVAL;
	/* Refuse before changing anything if the range touches a live block. */
	for (unsigned long p = pfn; p < end; p++) {
		struct page *head = block_head(z, p);

		if (head && head->state == BUDDY_PAGE_ALLOCATED)
			return -EBUSY;
	}
	for (unsigned long p = pfn; p < end; p++)
		if (page_of(z, p)->state != BUDDY_PAGE_RESERVED)
			carve_page(z, p);
	return 0;
}

long buddy_alloc(struct buddy_zone *z, unsigned int order)
{
	unsigned int have = order;
	struct page *p;
	unsigned long pfn;

	if (order >= BUDDY_MAX_ORDER)
		return -EINVAL;
	/* The smallest non-empty list at or above the order we want. */
	while (have < BUDDY_MAX_ORDER && !z->free_list[have])
		have++;
	if (have == BUDDY_MAX_ORDER)
		return -ENOMEM;

	/* Keep the lower part of the block; the head page stays the head. */
	p = z->free_list[have];
	pfn = pfn_of(z, p);
	list_del_free(z, p);
	split_block(z, pfn, have, order);
	p->state = BUDDY_PAGE_ALLOCATED;
	p->order = order;
	z->free_pages -= 1UL << order;
	return (long)pfn;
}

/* Why can't [pfn, 2^order) be freed? 0 if it can. Changes nothing. */
static int check_free(const struct buddy_zone *z, unsigned long pfn,
		      unsigned int order)
{
	const struct page *p, *head;

	if (!pfn_in_zone(z, pfn) || order >= BUDDY_MAX_ORDER)
		return -EINVAL;
	p = page_of(z, pfn);
	if (p->state == BUDDY_PAGE_RESERVED)
		return -EPERM;
	if (p->state == BUDDY_PAGE_ALLOCATED)
		return p->order == order ? 0 : -EINVAL;
	/* FREE, or TAIL of a free block: freed twice. TAIL of a live block: bad pfn. */
	head = block_head(z, pfn);
	if (head && head->state == BUDDY_PAGE_FREE)
		return -EALREADY;
	return -EINVAL;
}

int buddy_free(struct buddy_zone *z, unsigned long pfn, unsigned int order)
{
	int err = check_free(z, pfn, order);

	if (err)
		return err;
	/* The head's ALLOCATED state is overwritten by free_block(). */
	z->free_pages += 1UL << order;
	free_block(z, pfn, order);
	return 0;
}

void buddy_get_stats(const struct buddy_zone *z, struct buddy_stats *out)
{
	out->span_pages = z->nr_pages;
	out->reserved_pages = z->reserved_pages;
	out->managed_pages = z->nr_pages - z->reserved_pages;
	out->free_pages = z->free_pages;
	out->allocated_pages = out->managed_pages - z->free_pages;
	for (unsigned int o = 0; o < BUDDY_MAX_ORDER; o++)
		out->free_blocks[o] = z->free_blocks[o];
}

struct page *buddy_pfn_to_page(const struct buddy_zone *z, unsigned long pfn)
{
	return pfn_in_zone(z, pfn) ? page_of(z, pfn) : NULL;
}

unsigned long buddy_page_to_pfn(const struct buddy_zone *z,
				const struct page *page)
{
	return pfn_of(z, page);
}

/* ---------------------------------------------------------- consistency */

/* Check one free list: links, heads, alignment. Adds its pages to *pages. */
static int check_list(const struct buddy_zone *z, unsigned int order,
		      unsigned long *pages)
{
	unsigned long n = 0;
	const struct page *prev = NULL;

	for (const struct page *p = z->free_list[order]; p; p = p->next) {
		unsigned long pfn;

		if (p < z->pages || p >= z->pages + z->nr_pages)
			return -EINVAL;
		pfn = pfn_of(z, p);
		if (p->prev != prev || p->state != BUDDY_PAGE_FREE ||
		    p->order != order || (pfn & ((1UL << order) - 1)) ||
		    !range_in_zone(z, pfn, 1UL << order))
			return -EINVAL;
		if (++n > z->free_blocks[order])
			return -EINVAL;		/* also stops a cycle */
		prev = p;
	}
	*pages += n << order;
	return n == z->free_blocks[order] ? 0 : -EINVAL;
}

/* Walk the descriptors block by block; count reserved and free pages. */
static int check_pages(const struct buddy_zone *z, unsigned long *reserved,
		       unsigned long *free)
{
	unsigned long i = 0;

	while (i < z->nr_pages) {
		const struct page *p = &z->pages[i];
		unsigned long n;

		if (p->state == BUDDY_PAGE_RESERVED) {
			++*reserved;
			i++;
			continue;
		}
		if (p->state == BUDDY_PAGE_TAIL || p->order >= BUDDY_MAX_ORDER)
			return -EINVAL;
		n = 1UL << p->order;
		if (((z->base_pfn + i) & (n - 1)) || n > z->nr_pages - i)
			return -EINVAL;
		for (unsigned long t = 1; t < n; t++)
			if (p[t].state != BUDDY_PAGE_TAIL)
				return -EINVAL;
		if (p->state == BUDDY_PAGE_FREE)
			*free += n;
		i += n;
	}
	return 0;
}

/*
 * Three views of the same pages must agree: what the free lists hold, what
 * the descriptors say, and the zone's counters.
 */
int buddy_check(const struct buddy_zone *z)
{
	unsigned long listed = 0, reserved = 0, free = 0;

	for (unsigned int o = 0; o < BUDDY_MAX_ORDER; o++)
		if (check_list(z, o, &listed))
			return -EINVAL;
	if (check_pages(z, &reserved, &free))
		return -EINVAL;
	if (listed != z->free_pages || free != z->free_pages ||
	    reserved != z->reserved_pages)
		return -EINVAL;
	return 0;
}
