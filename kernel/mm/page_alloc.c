// SPDX-License-Identifier: MIT
/*
 * The physical page allocator: one buddy zone spanning every page frame
 * up to the end of RAM. Holes in the memory map and everything memblock
 * reserved (the kernel image, the boot information, boot-time allocations
 * such as the page tables and this zone's own descriptors) stay reserved.
 */
#include <kernel/mm/page_alloc.h>
#include <kernel/mm/memblock.h>
#include <kernel/spinlock.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <asm/page.h>
#include <lib/string.h>

static struct buddy_zone zone;
static DEFINE_SPINLOCK(zone_lock);
static bool ready;

/* Has page_alloc_init() run? Before it, page tables come from memblock. */
bool page_alloc_ready(void)
{
	return ready;
}

/* Mark the page frames of [@base, @base + @size) in use for good. */
static void reserve_pages(phys_addr_t base, u64 size)
{
	unsigned long pfn = base >> PAGE_SHIFT;
	unsigned long end = (base + size + PAGE_SIZE - 1) >> PAGE_SHIFT;

	/* Page by page: a reserved range may cover holes already reserved. */
	for (; pfn < end && pfn < zone.nr_pages; pfn++)
		buddy_reserve_range(&zone, pfn, 1);
}

/*
 * Boot, after memblock knows the memory map: the page descriptors (one
 * per frame, from memblock), every usable range freed into the zone, then
 * every range memblock handed out reserved again. Panics if it cannot.
 */
void page_alloc_init(void)
{
	unsigned long nr = memblock_end() >> PAGE_SHIFT;
	phys_addr_t map = memblock_alloc(nr * sizeof(struct page), PAGE_SIZE, 4UL << 30);
	unsigned i;

	if (!map)
		panic("page_alloc_init: no memory for %lu page descriptors", nr);
	buddy_init(&zone, __va(map), 0, nr);
	for (i = 0; i < memblock_memory.n; i++) {
		phys_addr_t b = PAGE_ALIGN(memblock_memory.r[i].base);
		phys_addr_t e = (memblock_memory.r[i].base + memblock_memory.r[i].size) & PAGE_MASK;

		if (e > b && buddy_free_range(&zone, b >> PAGE_SHIFT, (e - b) >> PAGE_SHIFT))
			panic("page_alloc_init: bad memory region %#llx-%#llx",
			      (unsigned long long)b, (unsigned long long)e);
	}
	for (i = 0; i < memblock_reserved.n; i++)
		reserve_pages(memblock_reserved.r[i].base, memblock_reserved.r[i].size);
	ready = true;
}

/* 2^@order contiguous pages (their direct-map address), or NULL. Any
 * context: the zone lock turns interrupts off. */
void *alloc_pages(unsigned order)
{
	unsigned long flags;
	long pfn;

	spin_lock_irqsave(&zone_lock, flags);
	pfn = buddy_alloc(&zone, order);
	spin_unlock_irqrestore(&zone_lock, flags);
	return pfn < 0 ? NULL : __va((phys_addr_t)pfn << PAGE_SHIFT);
}

/* alloc_pages(), zeroed. */
void *alloc_pages_zeroed(unsigned order)
{
	void *p = alloc_pages(order);

	if (p)
		memset(p, 0, PAGE_SIZE << order);
	return p;
}

/* Give back a block from alloc_pages() with the same @order (NULL is
 * fine); anything else panics: a broken invariant. Any context. */
void free_pages(void *addr, unsigned order)
{
	unsigned long flags;
	int err;

	if (!addr)
		return;
	spin_lock_irqsave(&zone_lock, flags);
	err = buddy_free(&zone, __pa(addr) >> PAGE_SHIFT, order);
	spin_unlock_irqrestore(&zone_lock, flags);
	if (err)
		panic("free_pages: bad free of %p order %u (%d)", addr, order, err);
}

/* A consistent copy of the zone's counters (for `mem` and leak checks). */
void page_alloc_stats(struct buddy_stats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&zone_lock, flags);
	buddy_get_stats(&zone, st);
	spin_unlock_irqrestore(&zone_lock, flags);
}
