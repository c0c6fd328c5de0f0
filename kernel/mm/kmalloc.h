/* SPDX-License-Identifier: MIT */
/*
 * kmalloc/kfree: small objects from size classes, large ones as whole
 * pages (kernel/mm/slab.c), behind one irq-saving lock. Statistics of what
 * is outstanding let tests prove that something leaks nothing.
 */
#ifndef KERNEL_MM_KMALLOC_H
#define KERNEL_MM_KMALLOC_H

#include <lib/types.h>
#include <kernel/mm/slab.h>

void kmalloc_init(void);

/* Returns 16-byte-aligned memory or NULL. Context: any. */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void *kcalloc(size_t n, size_t size);
/* @len bytes of @src and a NUL after them (a write's text as a string), or NULL. */
char *kmemdup_nul(const char *src, size_t len);
/* NULL is a no-op; a pointer kmalloc did not return panics. */
void kfree(const void *ptr);

void kmalloc_stats(struct slab_stats *st);

/*
 * Give back every empty slab page, the one spare per size class included
 * (kept so that an alloc/free loop does not churn pages). Returns how many.
 * For tests that count pages: a spare is not a leak.
 */
unsigned long kmalloc_shrink(void);

/* The two numbers tests compare before and after. */
struct kmalloc_usage {
	unsigned long objects;
	size_t bytes;
};
void kmalloc_usage(struct kmalloc_usage *u);

#endif
