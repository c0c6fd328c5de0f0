// SPDX-License-Identifier: MIT
/*
 * The boot-time allocator (see memblock.h). Two small sorted-or-not arrays
 * and a top-down first-fit search: simple, because it only runs at boot
 * for a handful of allocations.
 */
#include <kernel/mm/memblock.h>
#include <lib/errno.h>

struct memblock_type memblock_memory, memblock_reserved;

/* Append [@base, @base + @size) to @t (unsorted; overlaps allowed). 0,
 * or -ENOSPC when the fixed array is full. An empty range adds nothing. */
static int range_add(struct memblock_type *t, phys_addr_t base, u64 size)
{
	if (!size)
		return 0;
	if (t->n == MEMBLOCK_MAX_REGIONS)
		return -ENOSPC;
	t->r[t->n].base = base;
	t->r[t->n].size = size;
	t->n++;
	return 0;
}

/* RAM the firmware's map reports (multiboot2's memory map tag). */
int memblock_add(phys_addr_t base, u64 size)
{
	return range_add(&memblock_memory, base, size);
}

/* In use already - the kernel image, the boot information - or handed
 * out by memblock_alloc(): the page allocator leaves these alone. */
int memblock_reserve(phys_addr_t base, u64 size)
{
	return range_add(&memblock_reserved, base, size);
}

/* Do [a, a + asize) and [b, b + bsize) share a byte? */
static bool overlaps(phys_addr_t a, u64 asize, phys_addr_t b, u64 bsize)
{
	return a < b + bsize && b < a + asize;
}

/* The highest reserved range overlapping [base, base+size), or NULL. */
static const struct memblock_range *first_conflict(phys_addr_t base, u64 size)
{
	const struct memblock_range *hit = NULL;
	unsigned i;

	for (i = 0; i < memblock_reserved.n; i++) {
		const struct memblock_range *r = &memblock_reserved.r[i];

		if (overlaps(base, size, r->base, r->size) && (!hit || r->base > hit->base))
			hit = r;
	}
	return hit;
}

/* Top-down search inside one usable region. */
static phys_addr_t alloc_in(const struct memblock_range *m, u64 size, u64 align, phys_addr_t limit)
{
	phys_addr_t top = m->base + m->size;

	if (top > limit)
		top = limit;
	while (top >= m->base + size) {
		phys_addr_t cand = (top - size) & ~(align - 1);
		const struct memblock_range *r;

		if (cand < m->base)
			return 0;
		r = first_conflict(cand, size);
		if (!r)
			return cand;
		top = r->base;		/* try below the conflicting range */
	}
	return 0;
}

/*
 * @size bytes aligned to @align (a power of two) below @limit, as high as
 * they fit in any RAM region, reserved at once; 0 if none fits. Boot only,
 * one CPU, no lock.
 */
phys_addr_t memblock_alloc(u64 size, u64 align, phys_addr_t limit)
{
	phys_addr_t best = 0;
	unsigned i;

	for (i = 0; i < memblock_memory.n; i++) {
		phys_addr_t p = alloc_in(&memblock_memory.r[i], size, align, limit);

		if (p > best)
			best = p;
	}
	if (best && memblock_reserve(best, size))
		return 0;
	return best;
}

/* Is all of [@base, @base + @size) inside one RAM region? */
bool memblock_is_memory(phys_addr_t base, u64 size)
{
	unsigned i;

	for (i = 0; i < memblock_memory.n; i++) {
		const struct memblock_range *m = &memblock_memory.r[i];

		if (base >= m->base && base + size <= m->base + m->size)
			return true;
	}
	return false;
}

/* The end of the highest RAM region: how many page frames there are. */
phys_addr_t memblock_end(void)
{
	phys_addr_t end = 0;
	unsigned i;

	for (i = 0; i < memblock_memory.n; i++) {
		phys_addr_t e = memblock_memory.r[i].base + memblock_memory.r[i].size;

		if (e > end)
			end = e;
	}
	return end;
}
