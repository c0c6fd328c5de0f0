// SPDX-License-Identifier: MIT
/*
 * Changing a ring buffer under its writers and readers: reset (empty it),
 * swap one CPU's ring with another buffer's (snapshot), and resize. Each
 * first quiesces the buffer - sets rb->quiesce and waits for the writers
 * and readers in flight to leave (see "Reset and resize" at the top of
 * ring_buffer.c) - then changes positions and pages, then lets them in
 * again. Process context: they allocate and spin.
 */
#include <trace/ring_buffer_internal.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/mm/page_alloc.h>
#include <asm/cpu.h>
#include <lib/atomic.h>
#include <lib/errno.h>
#include <lib/string.h>

/* Spin until *@v reads 0. */
static void rb_wait_zero(const atomic_t *v)
{
	while (smp_load_mb(&v->counter))
		cpu_relax();
}

/*
 * rb_quiesce - stop writers and readers so that positions and pages can
 * change. On success every later writer and reader backs out until
 * rb_unquiesce(), and none is still inside. Returns 0, or -EBUSY if an
 * iterator is open (it may stay open indefinitely, so we do not wait for
 * it) or another reset/resize holds the buffer.
 */
static int rb_quiesce(struct ring_buffer *rb)
{
	unsigned int cpu;

	if (cmpxchg(&rb->quiesce, 0, 1) != 0)
		return -EBUSY;
	/* The cmpxchg is seq_cst: from here, new iterators see the flag. */
	if (smp_load_mb(&rb->iters.counter)) {
		smp_store_release(&rb->quiesce, 0);
		return -EBUSY;
	}
	rb_wait_zero(&rb->readers);
	for (cpu = 0; cpu < rb->nr_cpus; cpu++)
		rb_wait_zero(&rb->cpus[cpu].committing);
	return 0;
}

static void rb_unquiesce(struct ring_buffer *rb)
{
	smp_store_release(&rb->quiesce, 0);
}

/* Empty CPUs @first .. @last - 1 (see ring_buffer_reset). */
static int rb_reset_range(struct ring_buffer *rb, unsigned int first, unsigned int last)
{
	unsigned int cpu;
	int err;

	err = rb_quiesce(rb);
	if (err)
		return err;
	for (cpu = first; cpu < last; cpu++)
		rb_cpu_clear(&rb->cpus[cpu]);
	rb_unquiesce(rb);
	return 0;
}

int ring_buffer_reset(struct ring_buffer *rb)
{
	return rb_reset_range(rb, 0, rb->nr_cpus);
}

int ring_buffer_reset_cpu(struct ring_buffer *rb, unsigned int cpu)
{
	if (cpu >= rb->nr_cpus)
		return -EINVAL;
	return rb_reset_range(rb, cpu, cpu + 1);
}

/* Exchange every field of @x and @y but committing, which is each side's
 * own writers' (a backing-out writer may still touch it under quiesce). */
static void rb_cpu_swap(struct rb_cpu *x, struct rb_cpu *y)
{
#define RB_SWAP(field) do { typeof(x->field) t_ = x->field; x->field = y->field; y->field = t_; } while (0)
	RB_SWAP(head);
	RB_SWAP(read);
	RB_SWAP(tail);
	RB_SWAP(commit);
	RB_SWAP(written);
	RB_SWAP(overrun);
	RB_SWAP(dropped);
	RB_SWAP(pages);
	RB_SWAP(nr_pages);
	RB_SWAP(capacity);
#undef RB_SWAP
}

/* Exchange CPU @cpu's ring (every CPU's for @cpu < 0) between @a and @b,
 * pages and counters both: the snapshot. Returns 0, -EINVAL (buffers
 * that do not match) or -EBUSY (see rb_quiesce()). Never sleeps. */
int ring_buffer_swap_cpu(struct ring_buffer *a, struct ring_buffer *b, int cpu)
{
	unsigned int first = cpu < 0 ? 0 : (unsigned int)cpu;
	unsigned int last = cpu < 0 ? a->nr_cpus : first + 1, i;
	int err;

	if (a == b || a->nr_cpus != b->nr_cpus || last > a->nr_cpus)
		return -EINVAL;
	err = rb_quiesce(a);
	if (err)
		return err;
	err = rb_quiesce(b);
	if (err) {
		rb_unquiesce(a);
		return err;
	}
	for (i = first; i < last; i++)
		rb_cpu_swap(&a->cpus[i], &b->cpus[i]);
	rb_unquiesce(b);
	rb_unquiesce(a);
	return 0;
}

/*
 * Resizing works on a range of CPUs, @first .. @last - 1: all of them
 * for buffer_size_kb, one for per_cpu/cpuN/buffer_size_kb. The quiesce
 * stops every CPU's writers either way; only the range is emptied.
 *
 * Shrinking keeps each CPU's first @n pages and frees the rest: it needs
 * no memory, so it works even when a large buffer took nearly all of it.
 * The page arrays stay as long as they were; only their first @n count.
 */
static int rb_shrink(struct ring_buffer *rb, unsigned int first, unsigned int last,
		     unsigned long n)
{
	unsigned long old_n[RING_BUFFER_MAX_CPUS], i;
	unsigned int cpu;
	int err = rb_quiesce(rb);

	if (err)
		return err;
	for (cpu = first; cpu < last; cpu++) {
		old_n[cpu] = rb->cpus[cpu].nr_pages;
		rb_cpu_set_pages(&rb->cpus[cpu], rb->cpus[cpu].pages, n);
	}
	rb_unquiesce(rb);
	for (cpu = first; cpu < last; cpu++) {
		char **pages = rb->cpus[cpu].pages;

		for (i = n; i < old_n[cpu]; i++) {
			free_page(pages[i]);
			pages[i] = NULL;
		}
	}
	return 0;
}

/* Do the CPUs of the range all have at least @n pages already? */
static bool rb_fits_in(const struct ring_buffer *rb, unsigned int first, unsigned int last,
		       unsigned long n)
{
	unsigned int cpu;

	for (cpu = first; cpu < last; cpu++)
		if (rb->cpus[cpu].nr_pages < n)
			return false;
	return true;
}

/*
 * Give CPUs @first .. @last - 1 rings of @bytes_per_cpu, emptied. Growing
 * allocates before it stops anyone, so without memory the buffer keeps
 * its records. Returns 0, -EINVAL (bad size), -ENOMEM or -EBUSY.
 */
static int rb_resize_range(struct ring_buffer *rb, unsigned int first, unsigned int last,
			   size_t bytes_per_cpu)
{
	unsigned long n = rb_pages_for(bytes_per_cpu);
	char **fresh[RING_BUFFER_MAX_CPUS] = { 0 };
	unsigned long old_n[RING_BUFFER_MAX_CPUS];
	unsigned int cpu;
	int err = -ENOMEM;

	if (!n)
		return -EINVAL;
	if (rb_fits_in(rb, first, last, n))
		return rb_shrink(rb, first, last, n);
	/* Growing: the new pages first, so that without memory nothing is lost. */
	for (cpu = first; cpu < last; cpu++) {
		fresh[cpu] = rb_alloc_pages(n);
		if (!fresh[cpu])
			goto out_free;
	}
	err = rb_quiesce(rb);
	if (err)
		goto out_free;
	/* Swap: fresh[] now holds the old pages, to be freed below. */
	for (cpu = first; cpu < last; cpu++) {
		char **old = rb->cpus[cpu].pages;

		old_n[cpu] = rb->cpus[cpu].nr_pages;
		rb_cpu_set_pages(&rb->cpus[cpu], fresh[cpu], n);
		fresh[cpu] = old;
	}
	rb_unquiesce(rb);
	for (cpu = first; cpu < last; cpu++)
		rb_free_pages(fresh[cpu], old_n[cpu]);
	return 0;

out_free:
	for (cpu = first; cpu < last; cpu++)
		rb_free_pages(fresh[cpu], n);
	return err;
}

int ring_buffer_resize(struct ring_buffer *rb, size_t bytes_per_cpu)
{
	return rb_resize_range(rb, 0, rb->nr_cpus, bytes_per_cpu);
}

int ring_buffer_resize_cpu(struct ring_buffer *rb, unsigned int cpu, size_t bytes_per_cpu)
{
	if (cpu >= rb->nr_cpus)
		return -EINVAL;
	return rb_resize_range(rb, cpu, cpu + 1, bytes_per_cpu);
}
