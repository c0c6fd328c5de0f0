/* SPDX-License-Identifier: MIT */
/*
 * memblock: the boot-time memory allocator, used before the buddy
 * allocator exists (for the page tables and the page descriptors the buddy
 * allocator itself needs). It knows the usable RAM from the memory map and
 * a list of reserved ranges; allocating adds to the reserved list, which
 * page_alloc_init() later carries over to the buddy allocator.
 */
#ifndef KERNEL_MM_MEMBLOCK_H
#define KERNEL_MM_MEMBLOCK_H

#include <lib/types.h>

#define MEMBLOCK_MAX_REGIONS	64

struct memblock_range {
	phys_addr_t base;
	u64 size;
};

struct memblock_type {
	struct memblock_range r[MEMBLOCK_MAX_REGIONS];
	unsigned n;
};

extern struct memblock_type memblock_memory, memblock_reserved;

/* Add usable RAM / mark a range as not to be handed out. Returns 0 or -ENOSPC. */
int memblock_add(phys_addr_t base, u64 size);
int memblock_reserve(phys_addr_t base, u64 size);

/**
 * memblock_alloc - take @size bytes aligned to @align below @limit
 *
 * Searches usable RAM from the top down, skipping reserved ranges, and
 * reserves what it returns. Returns the physical address, or 0 if nothing
 * fits. Context: boot only, single-threaded.
 */
phys_addr_t memblock_alloc(u64 size, u64 align, phys_addr_t limit);

/* Is [base, base+size) entirely usable RAM? */
bool memblock_is_memory(phys_addr_t base, u64 size);

/* One past the highest usable byte. */
phys_addr_t memblock_end(void);

#endif
