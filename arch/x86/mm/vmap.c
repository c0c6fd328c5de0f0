// SPDX-License-Identifier: MIT
/*
 * Page-by-page mapped areas: guarded kernel stacks, device registers, and
 * executable pages for run-time code (see kernel/mm/vmap.h).
 *
 * Each area hands out fixed-size slots tracked by a bitmap, which keeps the
 * bookkeeping trivial: stacks are all one size, and executable pages are
 * allocated a few at a time by kprobes and ftrace.
 */
#include <kernel/mm/vmap.h>
#include <kernel/mm/page_alloc.h>
#include <kernel/spinlock.h>
#include <kernel/panic.h>
#include <kernel/nokprobe.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/text-patching.h>
#include <lib/string.h>

#define STACK_SLOT_SIZE		(KERNEL_STACK_SIZE + PAGE_SIZE)	/* guard first */
#define MAX_STACKS		1024
#define STACK_AREA		VMAP_BASE
#define MMIO_AREA		(VMAP_BASE + (VMAP_SIZE / 2))
#define EXEC_PAGES		16384		/* 64 MiB of run-time code */

static DEFINE_SPINLOCK(vmap_lock);
static unsigned long stack_bitmap[MAX_STACKS / 64];
static unsigned long exec_bitmap[EXEC_PAGES / 64];
/* Run-time code pages a task may be preempted in (exec_pages_set_preemptible). */
static unsigned long exec_preemptible[EXEC_PAGES / 64];
static unsigned long exec_used;
static unsigned long mmio_next = MMIO_AREA;

static bool bit_test(const unsigned long *map, unsigned i)
{
	return map[i / 64] & (1UL << (i % 64));
}

static void bit_assign(unsigned long *map, unsigned i, bool v)
{
	if (v)
		map[i / 64] |= 1UL << (i % 64);
	else
		map[i / 64] &= ~(1UL << (i % 64));
}

/* First run of @n clear bits among @nbits, marked set; -1 if none. */
static long bitmap_take_run(unsigned long *map, unsigned nbits, unsigned n)
{
	unsigned start, len = 0, i;

	for (i = 0; i < nbits; i++) {
		len = bit_test(map, i) ? 0 : len + 1;
		if (len == n) {
			start = i + 1 - n;
			for (i = start; i < start + n; i++)
				bit_assign(map, i, true);
			return start;
		}
	}
	return -1;
}

/* Back [va, va + n pages) with fresh frames; undo everything on failure. */
static int map_fresh_pages(unsigned long va, unsigned n, u64 prot, int fill)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		void *frame = alloc_page();

		if (!frame || map_page(va + i * PAGE_SIZE, __pa(frame), prot)) {
			free_page(frame);
			while (i--)
				free_page(__va(unmap_page(va + i * PAGE_SIZE)));
			return -1;
		}
		memset(frame, fill, PAGE_SIZE);
	}
	return 0;
}

#define UNMAP_BATCH	8

/*
 * Unmap [va, va + n pages) and free the frames, each filled with @fill
 * first unless @fill is negative. Another CPU may still hold one of the
 * pages in its TLB, and could write to a frame we have reused: every CPU
 * flushes the range before any frame goes back (a batch at a time).
 */
static void unmap_and_free(unsigned long va, unsigned n, int fill)
{
	phys_addr_t frames[UNMAP_BATCH];
	unsigned done, i, batch;

	for (done = 0; done < n; done += batch) {
		unsigned long first = va + done * PAGE_SIZE;

		batch = n - done < UNMAP_BATCH ? n - done : UNMAP_BATCH;
		for (i = 0; i < batch; i++) {
			frames[i] = unmap_page(first + i * PAGE_SIZE);
			if (!frames[i])
				panic("vmap: freeing unmapped page %#lx", first + i * PAGE_SIZE);
		}
		flush_tlb_kernel_range(first, first + batch * PAGE_SIZE);
		for (i = 0; i < batch; i++) {
			if (fill >= 0)
				memset(__va(frames[i]), fill, PAGE_SIZE);
			free_page(__va(frames[i]));
		}
	}
}

void *stack_alloc(void)
{
	unsigned long flags, va;
	long slot;

	spin_lock_irqsave(&vmap_lock, flags);
	slot = bitmap_take_run(stack_bitmap, MAX_STACKS, 1);
	spin_unlock_irqrestore(&vmap_lock, flags);
	if (slot < 0)
		return NULL;
	va = STACK_AREA + slot * STACK_SLOT_SIZE + PAGE_SIZE;
	if (map_fresh_pages(va, KERNEL_STACK_SIZE / PAGE_SIZE, PAGE_KERNEL_RW, 0)) {
		spin_lock_irqsave(&vmap_lock, flags);
		bit_assign(stack_bitmap, slot, false);
		spin_unlock_irqrestore(&vmap_lock, flags);
		return NULL;
	}
	return (void *)va;
}

void stack_free(void *stack)
{
	unsigned long va = (unsigned long)stack, flags;
	unsigned slot = (va - STACK_AREA) / STACK_SLOT_SIZE;

	unmap_and_free(va, KERNEL_STACK_SIZE / PAGE_SIZE, -1);
	spin_lock_irqsave(&vmap_lock, flags);
	bit_assign(stack_bitmap, slot, false);
	spin_unlock_irqrestore(&vmap_lock, flags);
}

bool vmap_is_stack_guard(unsigned long addr)
{
	unsigned long off = addr - STACK_AREA;

	return addr >= STACK_AREA && off < MAX_STACKS * STACK_SLOT_SIZE &&
	       off % STACK_SLOT_SIZE < PAGE_SIZE;
}

unsigned long stack_guard_page(void *stack)
{
	return (unsigned long)stack - PAGE_SIZE;
}

void *exec_pages_alloc(unsigned n)
{
	unsigned long flags, va;
	long first;

	spin_lock_irqsave(&vmap_lock, flags);
	first = bitmap_take_run(exec_bitmap, EXEC_PAGES, n);
	if (first >= 0)
		exec_used += n;
	spin_unlock_irqrestore(&vmap_lock, flags);
	if (first < 0)
		return NULL;
	va = EXEC_AREA_BASE + first * PAGE_SIZE;
	/* Filled with int3 through the direct map, mapped RX: never W+X. */
	if (map_fresh_pages(va, n, PAGE_KERNEL_RX, INT3_INSN_OPCODE)) {
		spin_lock_irqsave(&vmap_lock, flags);
		exec_used -= n;
		while (n--)
			bit_assign(exec_bitmap, first + n, false);
		spin_unlock_irqrestore(&vmap_lock, flags);
		return NULL;
	}
	return (void *)va;
}

void exec_pages_free(void *addr, unsigned n)
{
	unsigned long va = (unsigned long)addr, flags;
	unsigned first = (va - EXEC_AREA_BASE) / PAGE_SIZE, i;

	if (!addr)
		return;
	/*
	 * The frames go back filled with int3, as they came: a stale jump
	 * into freed code traps instead of running whatever was there, and
	 * no old instructions linger in memory that is reused as data.
	 */
	unmap_and_free(va, n, INT3_INSN_OPCODE);
	spin_lock_irqsave(&vmap_lock, flags);
	for (i = 0; i < n; i++) {
		bit_assign(exec_bitmap, first + i, false);
		bit_assign(exec_preemptible, first + i, false);
	}
	exec_used -= n;
	spin_unlock_irqrestore(&vmap_lock, flags);
}

bool exec_area_contains(unsigned long addr)
{
	return addr >= EXEC_AREA_BASE && addr < EXEC_AREA_BASE + EXEC_PAGES * PAGE_SIZE;
}
NOKPROBE_SYMBOL(exec_area_contains);

void exec_pages_set_preemptible(void *addr, unsigned n)
{
	unsigned first = ((unsigned long)addr - EXEC_AREA_BASE) / PAGE_SIZE;
	unsigned long flags;

	spin_lock_irqsave(&vmap_lock, flags);
	while (n--)
		bit_assign(exec_preemptible, first + n, true);
	spin_unlock_irqrestore(&vmap_lock, flags);
}

bool exec_page_preemptible(unsigned long addr)
{
	return exec_area_contains(addr) &&
	       bit_test(exec_preemptible, (addr - EXEC_AREA_BASE) / PAGE_SIZE);
}
NOKPROBE_SYMBOL(exec_page_preemptible);

unsigned long exec_pages_in_use(void)
{
	return exec_used;
}

/* Device registers stay mapped for good (there is no iounmap), so their
 * mappings never need a TLB shootdown. */
void *ioremap(phys_addr_t pa, size_t size)
{
	unsigned long flags, va, offset = pa & ~PAGE_MASK;
	unsigned long pages = PAGE_ALIGN(offset + size) / PAGE_SIZE, i;

	spin_lock_irqsave(&vmap_lock, flags);
	va = mmio_next;
	mmio_next += (pages + 1) * PAGE_SIZE;	/* a hole between mappings */
	spin_unlock_irqrestore(&vmap_lock, flags);
	for (i = 0; i < pages; i++)
		if (map_page(va + i * PAGE_SIZE, (pa & PAGE_MASK) + i * PAGE_SIZE, PAGE_KERNEL_IO))
			panic("ioremap: cannot map %#llx", (unsigned long long)pa);
	return (void *)(va + offset);
}
