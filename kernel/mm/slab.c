// SPDX-License-Identifier: MIT
/*
 * kmalloc's core: size classes in single-page slabs, large objects in
 * whole page blocks, and the statistics (see slab.h for the contract).
 *
 * A slab page looks like this:
 *
 *   +-------------+-----------------+----------+----------+-----+
 *   | struct slab | u16 slot[n]     | object 0 | object 1 | ... |
 *   +-------------+-----------------+----------+----------+-----+
 *   ^ page start                    ^ obj_offset, a multiple of 16
 *
 * Each object has one 16-bit slot in the header. For an object in use the
 * slot holds the size that was asked for (at most 2048), which is what
 * bytes_requested_outstanding needs when the object is freed. For a free
 * object it holds SLOT_FREE plus the index of the next free object, so the
 * free list lives in the header and every byte of a freed object can be
 * poisoned. The same bit makes a double free of a small object certain to
 * be caught.
 *
 * A large object has a struct large_header at the start of its first page
 * and begins SLAB_LARGE_HEADER bytes after it. So for any object, rounding
 * its address down to the page finds a header, and the header's magic
 * number says which kind it is. Headers of pages given back are overwritten
 * with DEAD_MAGIC, so a late second free is still recognised until the page
 * is reused.
 *
 * Nothing here locks; the caller serialises all calls (slab.h).
 */
#include <kernel/mm/slab.h>
#include <lib/errno.h>

#define SMALL_MAGIC	0x534c4142u	/* "SLAB" */
#define LARGE_MAGIC	0x4c415247u	/* "LARG" */
#define DEAD_MAGIC	0x44454144u	/* "DEAD": page went back */

#define SLOT_FREE	0x8000u		/* slot of a free object ... */
#define SLOT_NEXT	0x7fffu		/* ... and the next free index */
#define SLOT_END	0x7fffu		/* no next free object */

#define LARGE_MAX_ORDER	32		/* 2^31 pages: far beyond any RAM */

/* The header at the start of every slab page. */
struct slab {
	u32 magic;			/* SMALL_MAGIC */
	u16 cls;			/* index into allocator->classes */
	u16 inuse;			/* objects handed out */
	u16 free_head;			/* first free object, or SLOT_END */
	struct slab_allocator *owner;
	struct slab *next;		/* on the class's partial list */
	struct slab *prev;
	u16 slot[];			/* one per object, see above */
};

/* The header at the start of a large object's first page. */
struct large_header {
	u32 magic;			/* LARGE_MAGIC */
	u32 order;			/* the block is 2^order pages */
	struct slab_allocator *owner;
	size_t requested;		/* size passed to slab_alloc() */
};

_Static_assert(sizeof(struct large_header) <= SLAB_LARGE_HEADER,
	       "large header does not fit in front of the object");

/* Where slab_free() found an object: a slab and index, or a large header. */
struct obj_ref {
	struct slab *slab;
	unsigned int index;
	struct large_header *large;
};

/* ---------------------------------------------------------------- helpers */

/* Fill freed memory with SLAB_POISON_FREE: a use after free then reads
 * a pattern that stands out, not plausible old data. */
static void poison(void *p, size_t n)
{
	unsigned char *b = p;

	while (n--)
		*b++ = SLAB_POISON_FREE;
}

/* @n rounded up to the object alignment (SLAB_MIN_SIZE). */
static size_t round_up16(size_t n)
{
	return (n + SLAB_MIN_SIZE - 1) & ~(size_t)(SLAB_MIN_SIZE - 1);
}

/* Index of the smallest class that holds size (<= SLAB_MAX_SMALL) bytes. */
static unsigned int size_class(size_t size)
{
	unsigned int ci = 0;

	while ((size_t)SLAB_MIN_SIZE << ci < size)
		ci++;
	return ci;
}

/* The address of object @idx in slab @s of class @c. */
static void *obj_addr(const struct slab_class *c, struct slab *s,
		      unsigned int idx)
{
	return (char *)s + c->obj_offset + (size_t)idx * c->size;
}

/* Bytes a large object of 2^@order pages offers after its header. */
static size_t large_usable(unsigned int order)
{
	return (SLAB_PAGE_SIZE << order) - SLAB_LARGE_HEADER;
}

/* Bytes of header (rounded to object alignment) in a slab of n objects. */
static size_t header_bytes(unsigned int n)
{
	return round_up16(sizeof(struct slab) + n * sizeof(u16));
}

/* How many objects of this size fit in a page next to their header. */
static void class_geometry(struct slab_class *c, unsigned int size)
{
	unsigned int n = (SLAB_PAGE_SIZE - sizeof(struct slab)) /
			 (size + sizeof(u16));

	while (header_bytes(n) + (size_t)n * size > SLAB_PAGE_SIZE)
		n--;
	c->size = size;
	c->nr_objs = n;
	c->obj_offset = header_bytes(n);
	c->nr_empty = 0;
	c->partial = NULL;
}

/* ---------------------------------------------------------- partial lists */

/* A class's partial list holds its slabs with a free object (empty ones
 * too); full slabs are on no list. Push @s at the head. */
static void partial_add(struct slab_class *c, struct slab *s)
{
	s->prev = NULL;
	s->next = c->partial;
	if (s->next)
		s->next->prev = s;
	c->partial = s;
}

/* Unlink @s from its class's partial list (it became full, or goes). */
static void partial_del(struct slab_class *c, struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		c->partial = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

/* ------------------------------------------------------------- statistics */

/* The counters `mem` and the leak checks read: bytes asked for, bytes
 * given (the class size or the large block), objects. */
static void count_alloc(struct slab_allocator *a, size_t requested,
			size_t usable)
{
	a->stats.bytes_requested_outstanding += requested;
	a->stats.bytes_allocated_outstanding += usable;
	a->stats.objects_outstanding++;
	a->stats.allocs_total++;
}

static void count_free(struct slab_allocator *a, size_t requested,
		       size_t usable)
{
	a->stats.bytes_requested_outstanding -= requested;
	a->stats.bytes_allocated_outstanding -= usable;
	a->stats.objects_outstanding--;
	a->stats.frees_total++;
}

/* ------------------------------------------------------------ slab pages */

/* Get a page for class ci, lay out its header and put it on the list. */
static struct slab *slab_create(struct slab_allocator *a, unsigned int ci)
{
	struct slab_class *c = &a->classes[ci];
	struct slab *s = a->ops->alloc_pages(0, a->ctx);

	if (!s)
		return NULL;
	s->magic = SMALL_MAGIC;
	s->cls = ci;
	s->inuse = 0;
	s->owner = a;
	for (unsigned int i = 0; i < c->nr_objs; i++)
		s->slot[i] = SLOT_FREE | (i + 1 < c->nr_objs ? i + 1 : SLOT_END);
	s->free_head = 0;
	/* Fresh objects read as poison too, so stale data never shows. */
	poison(obj_addr(c, s, 0), (size_t)c->nr_objs * c->size);
	partial_add(c, s);
	c->nr_empty++;
	a->stats.pages_held++;
	a->stats.classes[ci].slabs++;
	return s;
}

/* Give an empty slab's page back. The caller fixes nr_empty. */
static void slab_release(struct slab_allocator *a, struct slab *s)
{
	struct slab_class *c = &a->classes[s->cls];

	partial_del(c, s);
	a->stats.classes[s->cls].slabs--;
	s->magic = DEAD_MAGIC;
	a->ops->free_pages(s, 0, a->ctx);
	a->stats.pages_held--;
}

/* An object of the smallest class that holds @size: the first free slot
 * of the class's first partial slab, or of a new slab. NULL without a page. */
static void *small_alloc(struct slab_allocator *a, size_t size)
{
	unsigned int ci = size_class(size);
	struct slab_class *c = &a->classes[ci];
	struct slab *s = c->partial;
	unsigned int idx;

	if (!s && !(s = slab_create(a, ci)))
		return NULL;
	if (s->inuse == 0)
		c->nr_empty--;
	idx = s->free_head;
	s->free_head = s->slot[idx] & SLOT_NEXT;
	s->slot[idx] = (u16)size;
	if (++s->inuse == c->nr_objs)
		partial_del(c, s);
	a->stats.classes[ci].objects_outstanding++;
	a->stats.classes[ci].allocs_total++;
	count_alloc(a, size, c->size);
	return obj_addr(c, s, idx);
}

/* Put object @idx of @s back on its slab's free list, poisoned; a slab
 * that empties is released unless it is its class's one spare. */
static void small_free(struct slab_allocator *a, struct slab *s,
		       unsigned int idx)
{
	struct slab_class *c = &a->classes[s->cls];
	bool was_full = s->inuse == c->nr_objs;

	a->stats.classes[s->cls].objects_outstanding--;
	count_free(a, s->slot[idx], c->size);
	poison(obj_addr(c, s, idx), c->size);
	s->slot[idx] = SLOT_FREE | s->free_head;
	s->free_head = idx;
	s->inuse--;
	if (was_full)
		partial_add(c, s);	/* full slabs are on no list */
	if (s->inuse > 0)
		return;
	/* Keep one empty slab per class so alloc/free in a loop stays cheap. */
	if (c->nr_empty > 0)
		slab_release(a, s);
	else
		c->nr_empty++;
}

/* ----------------------------------------------------------- large blocks */

/* Above SLAB_MAX_SMALL: the smallest block of whole pages that holds
 * @size after a header saying how large it is. NULL if none is free. */
static void *large_alloc(struct slab_allocator *a, size_t size)
{
	unsigned int order = 0;
	struct large_header *h;

	while (large_usable(order) < size)
		if (++order >= LARGE_MAX_ORDER)
			return NULL;
	h = a->ops->alloc_pages(order, a->ctx);
	if (!h)
		return NULL;
	h->magic = LARGE_MAGIC;
	h->order = order;
	h->owner = a;
	h->requested = size;
	a->stats.pages_held += 1UL << order;
	a->stats.large_objects_outstanding++;
	count_alloc(a, size, large_usable(order));
	return (char *)h + SLAB_LARGE_HEADER;
}

/* Give a large object's pages back, poisoned and marked dead first. */
static void large_free(struct slab_allocator *a, struct large_header *h)
{
	unsigned int order = h->order;

	count_free(a, h->requested, large_usable(order));
	a->stats.large_objects_outstanding--;
	poison((char *)h + SLAB_LARGE_HEADER, large_usable(order));
	h->magic = DEAD_MAGIC;
	a->ops->free_pages(h, order, a->ctx);
	a->stats.pages_held -= 1UL << order;
}

/* ---------------------------------------------------------------- lookup */

/* Is @ptr the start of a live object of slab @s? 0 with @ref filled,
 * -EINVAL (not an object of ours), or -EALREADY (already free). */
static int locate_small(const struct slab_allocator *a, const void *ptr,
			struct slab *s, struct obj_ref *ref)
{
	const struct slab_class *c;
	size_t off = (size_t)((const char *)ptr - (const char *)s);
	size_t idx;

	if (s->owner != a || s->cls >= SLAB_NR_CLASSES)
		return -EINVAL;
	c = &a->classes[s->cls];
	if (off < c->obj_offset || (off - c->obj_offset) % c->size)
		return -EINVAL;
	idx = (off - c->obj_offset) / c->size;
	if (idx >= c->nr_objs)
		return -EINVAL;
	if (s->slot[idx] & SLOT_FREE)
		return -EALREADY;
	ref->slab = s;
	ref->index = idx;
	return 0;
}

/* Is @ptr the object behind large header @h? 0 or -EINVAL. */
static int locate_large(const struct slab_allocator *a, const void *ptr,
			struct large_header *h, struct obj_ref *ref)
{
	if (h->owner != a || h->order >= LARGE_MAX_ORDER ||
	    (const char *)ptr != (const char *)h + SLAB_LARGE_HEADER)
		return -EINVAL;
	ref->large = h;
	return 0;
}

/*
 * Find the header of the object at ptr. Reading the first word of ptr's
 * page is safe for any pointer into mapped memory, which is all a kernel
 * pointer can be; the magic number then decides how to read the rest.
 */
static int locate(const struct slab_allocator *a, const void *ptr,
		  struct obj_ref *ref)
{
	uintptr_t page = (uintptr_t)ptr & ~(uintptr_t)(SLAB_PAGE_SIZE - 1);
	u32 magic = *(const u32 *)page;

	ref->slab = NULL;
	ref->large = NULL;
	if (magic == SMALL_MAGIC)
		return locate_small(a, ptr, (struct slab *)page, ref);
	if (magic == LARGE_MAGIC)
		return locate_large(a, ptr, (struct large_header *)page, ref);
	return magic == DEAD_MAGIC ? -EALREADY : -EINVAL;
}

/* ------------------------------------------------------------------- API */

/* An empty allocator taking its pages from @ops (with @ctx): each class's
 * geometry worked out, no page taken yet. */
void slab_init(struct slab_allocator *a, const struct slab_page_ops *ops,
	       void *ctx)
{
	a->ops = ops;
	a->ctx = ctx;
	a->stats = (struct slab_stats){ 0 };
	for (unsigned int ci = 0; ci < SLAB_NR_CLASSES; ci++) {
		class_geometry(&a->classes[ci], SLAB_MIN_SIZE << ci);
		a->stats.classes[ci].size = a->classes[ci].size;
		a->stats.classes[ci].objects_per_slab = a->classes[ci].nr_objs;
	}
}

/* @size bytes from a class or as a large object; NULL (counted) if no
 * page could be had. The caller serializes (kmalloc_lock). */
void *slab_alloc(struct slab_allocator *a, size_t size)
{
	void *obj;

	if (size <= SLAB_MAX_SMALL)
		obj = small_alloc(a, size);
	else
		obj = large_alloc(a, size);
	if (!obj)
		a->stats.allocs_failed++;
	return obj;
}

/* Free @ptr (NULL is fine). 0, or the error locate() found: a pointer
 * that is not a live object of @a is refused, counted, and left alone. */
int slab_free(struct slab_allocator *a, void *ptr)
{
	struct obj_ref ref;
	int err;

	if (!ptr)
		return 0;
	err = locate(a, ptr, &ref);
	if (err) {
		a->stats.frees_rejected++;
		return err;
	}
	if (ref.slab)
		small_free(a, ref.slab, ref.index);
	else
		large_free(a, ref.large);
	return 0;
}

/* How many bytes the object at @ptr really has; 0 if it is not one. */
size_t slab_usable_size(const struct slab_allocator *a, const void *ptr)
{
	struct obj_ref ref;

	if (!ptr || locate(a, ptr, &ref))
		return 0;
	if (ref.slab)
		return a->classes[ref.slab->cls].size;
	return large_usable(ref.large->order);
}

/* Release every empty slab, the spares included; how many pages. */
unsigned long slab_shrink(struct slab_allocator *a)
{
	unsigned long released = 0;

	for (unsigned int ci = 0; ci < SLAB_NR_CLASSES; ci++) {
		struct slab_class *c = &a->classes[ci];
		struct slab *s = c->partial, *next;

		for (; s; s = next) {
			next = s->next;
			if (s->inuse)
				continue;
			slab_release(a, s);
			c->nr_empty--;
			released++;
		}
	}
	return released;
}

void slab_get_stats(const struct slab_allocator *a, struct slab_stats *out)
{
	*out = a->stats;
}
