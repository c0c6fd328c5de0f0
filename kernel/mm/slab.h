/* SPDX-License-Identifier: MIT */
/*
 * The core of kmalloc: small objects carved out of single pages, large
 * objects as whole blocks of pages, and exact statistics of what is
 * outstanding so that a test can prove it leaked nothing.
 *
 * Requests of up to SLAB_MAX_SMALL bytes are rounded up to a size class
 * (16, 32, ... 2048) and served from a "slab": one page whose header, at the
 * start of the page, describes the objects that follow it. Larger requests
 * get 2^order pages with a SLAB_LARGE_HEADER-byte header in front of the
 * object. Either way slab_free() finds the header by rounding the pointer
 * down to its page, so it needs no size from the caller.
 *
 * The allocator gets and returns pages only through struct slab_page_ops,
 * so the kernel backs it with the buddy allocator and the host tests with
 * whatever they like. It does no locking; see each function.
 */
#ifndef KERNEL_MM_SLAB_H
#define KERNEL_MM_SLAB_H

#include <lib/types.h>

#define SLAB_PAGE_SIZE		4096UL
#define SLAB_NR_CLASSES		8		/* 16, 32, ... 2048 bytes */
#define SLAB_MIN_SIZE		16		/* also every object's alignment */
#define SLAB_MAX_SMALL		2048
#define SLAB_LARGE_HEADER	32		/* bytes before a large object */
#define SLAB_POISON_FREE	0x6b		/* every byte of a freed object */

/**
 * struct slab_page_ops - where the allocator gets its pages
 * @alloc_pages: return 2^@order contiguous, writable pages whose address is
 *	a multiple of SLAB_PAGE_SIZE (in the kernel: a direct-map virtual
 *	address), or NULL if there is no memory.
 * @free_pages: take back a block from @alloc_pages with the same order.
 *
 * Both are called with the caller's kmalloc lock held and @ctx from
 * slab_init(); they must not call back into this allocator.
 */
struct slab_page_ops {
	void *(*alloc_pages)(unsigned int order, void *ctx);
	void (*free_pages)(void *addr, unsigned int order, void *ctx);
};

/* Counters for one size class. */
struct slab_class_stats {
	size_t size;				/* object size of the class */
	unsigned long objects_per_slab;
	unsigned long objects_outstanding;
	unsigned long slabs;			/* pages held by the class */
	unsigned long allocs_total;
};

/* What slab_get_stats() reports. "Outstanding" means allocated, not freed. */
struct slab_stats {
	size_t bytes_requested_outstanding;	/* sum of the sizes asked for */
	size_t bytes_allocated_outstanding;	/* sum of slab_usable_size() */
	unsigned long objects_outstanding;	/* small and large */
	unsigned long large_objects_outstanding;
	unsigned long pages_held;		/* from alloc_pages, not returned */
	unsigned long allocs_total;		/* successful slab_alloc() calls */
	unsigned long frees_total;		/* successful slab_free() calls */
	unsigned long allocs_failed;		/* slab_alloc() returned NULL */
	unsigned long frees_rejected;		/* slab_free() returned an error */
	struct slab_class_stats classes[SLAB_NR_CLASSES];
};

struct slab;	/* a slab page's header; private to slab.c */

/* One size class: its geometry and the slabs that have room. */
struct slab_class {
	unsigned int size;
	unsigned int nr_objs;		/* objects per slab */
	unsigned int obj_offset;	/* where object 0 starts in the page */
	unsigned int nr_empty;		/* slabs with no object in use */
	struct slab *partial;		/* slabs with a free object */
};

struct slab_allocator {
	const struct slab_page_ops *ops;
	void *ctx;
	struct slab_class classes[SLAB_NR_CLASSES];
	struct slab_stats stats;
};

/**
 * slab_init - set up an allocator that holds no pages yet
 * @a: the allocator
 * @ops: page source; must outlive @a
 * @ctx: passed to every @ops call
 */
void slab_init(struct slab_allocator *a, const struct slab_page_ops *ops,
	       void *ctx);

/**
 * slab_alloc - allocate @size bytes
 * @a: the allocator
 * @size: any size, including 0 (which still returns a unique object)
 *
 * The memory is at least SLAB_MIN_SIZE-aligned and not cleared (a reused
 * object is full of SLAB_POISON_FREE). Caller holds the allocator's lock;
 * may call ops->alloc_pages.
 *
 * Returns the object, or NULL only if no pages could be had.
 */
void *slab_alloc(struct slab_allocator *a, size_t size);

/**
 * slab_free - give back an object from slab_alloc()
 * @a: the allocator
 * @ptr: the object, or NULL (which does nothing and returns 0)
 *
 * Fills the object with SLAB_POISON_FREE. An empty slab page is returned
 * through ops->free_pages unless it is the class's one spare. Caller holds
 * the allocator's lock; on error nothing changes but the frees_rejected
 * counter, and the kernel panics. @ptr's page must be mapped: the header
 * at the start of that page is read before anything else.
 *
 * Returns 0; -EALREADY if @ptr was already freed (always caught for small
 * objects while their page is still a slab or not yet reused; for large
 * ones while the pages are not yet reused); -EINVAL if @ptr is not an
 * object of @a (wrong allocator, inside an object, not a slab page).
 */
int slab_free(struct slab_allocator *a, void *ptr);

/**
 * slab_usable_size - how many bytes at @ptr the caller may use
 *
 * Returns at least the size that was asked for; 0 for NULL, for a freed
 * object or for a pointer that slab_free() would reject. Caller holds the
 * allocator's lock.
 */
size_t slab_usable_size(const struct slab_allocator *a, const void *ptr);

/**
 * slab_shrink - return every empty slab page, including the spares
 *
 * Caller holds the allocator's lock. Returns the number of pages returned.
 */
unsigned long slab_shrink(struct slab_allocator *a);

/**
 * slab_get_stats - copy the allocator's counters into @out
 *
 * Caller holds the allocator's lock for a consistent snapshot.
 */
void slab_get_stats(const struct slab_allocator *a, struct slab_stats *out);

#endif /* KERNEL_MM_SLAB_H */
