/* SPDX-License-Identifier: MIT */
/*
 * Converting between physical and virtual addresses, and mapping device
 * registers. __va() and __pa() go through the direct map of all RAM.
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include <lib/types.h>
#include <asm/layout.h>

#define PAGE_ALIGN(x)	(((x) + PAGE_SIZE - 1) & PAGE_MASK)

/* Physical address -> its alias in the direct map. */
static inline void *__va(phys_addr_t pa)
{
	return (void *)(pa + DIRECT_MAP_BASE);
}

/*
 * Virtual -> physical, for addresses in the direct map or the kernel image
 * (not for vmap/exec-area addresses: use virt_to_phys_walk() for those).
 */
static inline phys_addr_t __pa(const void *va)
{
	unsigned long v = (unsigned long)va;

	if (v >= KERNEL_VMA_BASE)
		return v - KERNEL_VMA_BASE;
	return v - DIRECT_MAP_BASE;
}

/* Map @size bytes of device registers at @pa, uncached. */
void *ioremap(phys_addr_t pa, size_t size);

#endif /* ASM_PAGE_H */
