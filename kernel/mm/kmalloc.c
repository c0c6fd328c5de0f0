// SPDX-License-Identifier: MIT
/*
 * kmalloc on top of the slab core and the page allocator. The slab core
 * does the bookkeeping; this file adds the lock and the page source.
 * Lock order: kmalloc_lock, then the page allocator's lock.
 */
#include <kernel/mm/kmalloc.h>
#include <kernel/mm/page_alloc.h>
#include <kernel/spinlock.h>
#include <kernel/panic.h>
#include <lib/string.h>

static struct slab_allocator allocator;
static DEFINE_SPINLOCK(kmalloc_lock);

/* The slab core's page source: whole blocks from the buddy allocator,
 * taken with kmalloc_lock held (the page allocator's lock nests inside). */
static void *slab_get_pages(unsigned order, void *ctx __always_unused)
{
	return alloc_pages(order);
}

static void slab_put_pages(void *addr, unsigned order, void *ctx __always_unused)
{
	free_pages(addr, order);
}

static const struct slab_page_ops kmalloc_page_ops = {
	.alloc_pages = slab_get_pages,
	.free_pages = slab_put_pages,
};

/* Boot, once the page allocator runs: an empty allocator. */
void kmalloc_init(void)
{
	slab_init(&allocator, &kmalloc_page_ops, NULL);
}

/*
 * @size bytes, 8-byte aligned (a large object: whole pages behind a small
 * header), or NULL. Any context that may take a spinlock with interrupts
 * off - probe handlers excepted: they never allocate.
 */
void *kmalloc(size_t size)
{
	unsigned long flags;
	void *p;

	spin_lock_irqsave(&kmalloc_lock, flags);
	p = slab_alloc(&allocator, size);
	spin_unlock_irqrestore(&kmalloc_lock, flags);
	return p;
}

/* kmalloc(), zeroed. */
void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

/* A NUL-terminated copy of the @len bytes at @src (a write's text), or
 * NULL; kfree() it. */
char *kmemdup_nul(const char *src, size_t len)
{
	char *s = kmalloc(len + 1);

	if (s) {
		memcpy(s, src, len);
		s[len] = '\0';
	}
	return s;
}

/* @n zeroed elements of @size bytes; NULL if the product overflows. */
void *kcalloc(size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	return kzalloc(n * size);
}

/*
 * Give back what kmalloc() returned (NULL is fine). Freeing anything else,
 * or twice, is a broken invariant: it panics rather than corrupt the
 * allocator. Same context as kmalloc().
 */
void kfree(const void *ptr)
{
	unsigned long flags;
	int err;

	if (!ptr)
		return;
	spin_lock_irqsave(&kmalloc_lock, flags);
	err = slab_free(&allocator, (void *)ptr);
	spin_unlock_irqrestore(&kmalloc_lock, flags);
	if (err)
		panic("kfree: bad free of %p (%d)", ptr, err);
}

/* Return the empty slabs kept for reuse to the page allocator; how many
 * pages. Tests call it before they count pages. */
unsigned long kmalloc_shrink(void)
{
	unsigned long flags, n;

	spin_lock_irqsave(&kmalloc_lock, flags);
	n = slab_shrink(&allocator);
	spin_unlock_irqrestore(&kmalloc_lock, flags);
	return n;
}

/* A consistent copy of the allocator's counters (for `mem`). */
void kmalloc_stats(struct slab_stats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&kmalloc_lock, flags);
	slab_get_stats(&allocator, st);
	spin_unlock_irqrestore(&kmalloc_lock, flags);
}

/* What is still allocated: objects and the bytes asked for (leak checks). */
void kmalloc_usage(struct kmalloc_usage *u)
{
	struct slab_stats st;

	kmalloc_stats(&st);
	u->objects = st.objects_outstanding;
	u->bytes = st.bytes_requested_outstanding;
}
