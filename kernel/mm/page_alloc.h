/* SPDX-License-Identifier: MIT */
/*
 * The physical page allocator: the buddy allocator (kernel/mm/buddy.c)
 * over all of RAM, behind one spinlock. Pages are handed out as their
 * direct-map virtual address.
 */
#ifndef KERNEL_MM_PAGE_ALLOC_H
#define KERNEL_MM_PAGE_ALLOC_H

#include <lib/types.h>
#include <kernel/mm/buddy.h>

/* Hand all usable RAM not reserved by memblock to the buddy allocator. */
void page_alloc_init(void);
bool page_alloc_ready(void);

/**
 * alloc_pages - 2^@order contiguous pages
 *
 * Returns their direct-map address (page aligned), or NULL.
 * Context: any, including interrupts (irq-saving lock).
 */
void *alloc_pages(unsigned order);
void *alloc_pages_zeroed(unsigned order);
/* Free what alloc_pages() returned; a bad free panics (a broken invariant). */
void free_pages(void *addr, unsigned order);

static inline void *alloc_page(void) { return alloc_pages(0); }
static inline void free_page(void *addr) { free_pages(addr, 0); }

void page_alloc_stats(struct buddy_stats *st);

#endif
