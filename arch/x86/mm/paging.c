// SPDX-License-Identifier: MIT
/*
 * The kernel's page tables.
 *
 * paging_init() replaces the boot tables (head.S), which map everything
 * writable and executable, with tables that tell the truth:
 *
 *	kernel text	RX		rodata		R + NX
 *	data, bss	RW + NX		direct map	RW + NX (all usable RAM)
 *
 * The boot stack's guard page (below the stack, in bss) is left unmapped,
 * so an overflow faults instead of corrupting data. Everything else
 * (stacks, device registers, run-time code) is mapped later through
 * map_page() by arch/x86/mm/vmap.c.
 *
 * While the new tables are built the boot tables are still live; they map
 * the first 4 GiB one to one, so table pages (all allocated below 4 GiB)
 * are reached at their physical address until the switch, and through the
 * direct map after it.
 */
#include <asm/pgtable.h>
#include <kernel/arch.h>
#include <asm/page.h>
#include <asm/cpu.h>
#include <asm/sections.h>
#include <kernel/mm/memblock.h>
#include <kernel/mm/page_alloc.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <lib/errno.h>
#include <lib/string.h>

#define ENTRIES		512
#define LEVEL_SHIFT(l)	(12 + 9 * ((l) - 1))	/* l = 1 (PT) .. 4 (PML4) */
#define INDEX(va, l)	(((va) >> LEVEL_SHIFT(l)) & 511)
#define EARLY_LIMIT	(4UL << 30)

extern char boot_stack_guard[];

static u64 *kernel_pml4;
static phys_addr_t kernel_pml4_phys;
static bool paging_live;	/* switched to our tables: use the direct map */

static u64 *table_va(phys_addr_t pa)
{
	return paging_live ? __va(pa) : (u64 *)pa;
}

/* Tables taken from the page allocator; kept for good (see pgtable.h). */
static unsigned long table_pages;

unsigned long page_table_pages(void)
{
	return READ_ONCE(table_pages);
}

/* A zeroed page for a page table, from memblock at boot, buddy later. */
static phys_addr_t alloc_table(void)
{
	phys_addr_t pa;

	if (page_alloc_ready()) {
		void *p = alloc_pages_zeroed(0);

		if (!p)
			return 0;
		table_pages++;		/* under pgtable_lock */
		return __pa(p);
	}
	pa = memblock_alloc(PAGE_SIZE, PAGE_SIZE, EARLY_LIMIT);
	if (pa)
		memset(table_va(pa), 0, PAGE_SIZE);
	return pa;
}

/*
 * The entry for @va at @level, creating lower tables on the way; NULL if a
 * table could not be allocated or a large page is in the way.
 */
static u64 *walk_create(unsigned long va, int level)
{
	u64 *table = kernel_pml4;
	int l;

	for (l = 4; l > level; l--) {
		u64 *e = &table[INDEX(va, l)];

		if (!(*e & PTE_P)) {
			phys_addr_t pa = alloc_table();

			if (!pa)
				return NULL;
			/* Upper levels allow everything; the leaf decides. */
			*e = pa | PTE_P | PTE_W;
		} else if (*e & PTE_PS) {
			return NULL;
		}
		table = table_va(*e & PTE_ADDR_MASK);
	}
	return &table[INDEX(va, level)];
}

/* The leaf entry mapping @va (any size), or NULL; *level gets its level. */
static u64 *walk_lookup(unsigned long va, int *level)
{
	u64 *table = kernel_pml4;
	int l;

	for (l = 4; l >= 1; l--) {
		u64 *e = &table[INDEX(va, l)];

		if (!(*e & PTE_P))
			return NULL;
		if (l == 1 || (*e & PTE_PS)) {
			if (level)
				*level = l;
			return e;
		}
		table = table_va(*e & PTE_ADDR_MASK);
	}
	return NULL;
}

/*
 * One lock for every change to the kernel's tables, taken by any CPU: two
 * CPUs mapping pages under one empty directory entry would otherwise each
 * hang a new table there, and one of them would be lost. Walks that only
 * read take no lock: an entry goes from absent to present in one store.
 */
static DEFINE_SPINLOCK(pgtable_lock);

int map_page(unsigned long va, phys_addr_t pa, u64 prot)
{
	unsigned long flags;
	int err = 0;
	u64 *e;

	spin_lock_irqsave(&pgtable_lock, flags);
	e = walk_create(va, 1);
	if (!e)
		err = -ENOMEM;
	else if (*e & PTE_P)
		err = -EEXIST;
	else
		*e = (pa & PTE_ADDR_MASK) | prot;
	spin_unlock_irqrestore(&pgtable_lock, flags);
	return err;
}

phys_addr_t unmap_page(unsigned long va)
{
	unsigned long flags;
	phys_addr_t pa = 0;
	int level;
	u64 *e;

	spin_lock_irqsave(&pgtable_lock, flags);
	e = walk_lookup(va, &level);
	if (e && level == 1) {
		pa = *e & PTE_ADDR_MASK;
		*e = 0;
		invlpg(va);
	}
	spin_unlock_irqrestore(&pgtable_lock, flags);
	return pa;
}

int protect_page(unsigned long va, u64 prot)
{
	unsigned long flags;
	int level, err = 0;
	u64 *e;

	spin_lock_irqsave(&pgtable_lock, flags);
	e = walk_lookup(va, &level);
	if (e && level == 1)
		*e = (*e & PTE_ADDR_MASK) | prot;
	else
		err = -ENOENT;
	spin_unlock_irqrestore(&pgtable_lock, flags);
	if (!err)
		flush_tlb_kernel_range(va, va + PAGE_SIZE);
	return err;
}

struct flush_range {
	unsigned long start, end;
};

static void flush_range_here(void *arg)
{
	const struct flush_range *r = arg;
	unsigned long va;

	for (va = r->start & PAGE_MASK; va < r->end; va += PAGE_SIZE)
		invlpg(va);
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	struct flush_range r = { start, end };

	on_each_cpu(flush_range_here, &r);
}

phys_addr_t virt_to_phys_walk(unsigned long va)
{
	int level;
	u64 *e = walk_lookup(va, &level);
	unsigned long offset_mask;

	if (!e)
		return (phys_addr_t)-1;
	offset_mask = (1UL << LEVEL_SHIFT(level)) - 1;
	return (*e & PTE_ADDR_MASK & ~offset_mask) | (va & offset_mask);
}

bool page_is_mapped(unsigned long va, bool *writable, bool *executable)
{
	u64 *e = walk_lookup(va, NULL);

	if (!e)
		return false;
	if (writable)
		*writable = *e & PTE_W;
	if (executable)
		*executable = !(*e & PTE_NX);
	return true;
}

/* Map [va, va+size) -> pa with 2 MiB pages where both are aligned. */
static void map_range(unsigned long va, phys_addr_t pa, u64 size, u64 prot)
{
	while (size) {
		u64 *e;

		if (!(va & (PMD_SIZE - 1)) && !(pa & (PMD_SIZE - 1)) && size >= PMD_SIZE) {
			e = walk_create(va, 2);
			if (!e)
				panic("paging_init: out of memory for page tables");
			*e = pa | prot | PTE_PS;
			va += PMD_SIZE, pa += PMD_SIZE, size -= PMD_SIZE;
			continue;
		}
		if (map_page(va, pa, prot))
			panic("paging_init: cannot map %#lx", va);
		va += PAGE_SIZE, pa += PAGE_SIZE, size -= PAGE_SIZE;
	}
}

static void map_kernel_section(const char *start, const char *end, u64 prot)
{
	unsigned long va = (unsigned long)start & PAGE_MASK;
	unsigned long top = PAGE_ALIGN((unsigned long)end);

	for (; va < top; va += PAGE_SIZE) {
		if (va == (unsigned long)boot_stack_guard)
			continue;		/* the boot stack's guard stays a hole */
		if (map_page(va, va - KERNEL_VMA_BASE, prot))
			panic("paging_init: cannot map kernel page %#lx", va);
	}
}

static void map_direct(void)
{
	unsigned i;

	for (i = 0; i < memblock_memory.n; i++) {
		phys_addr_t base = PAGE_ALIGN(memblock_memory.r[i].base);
		phys_addr_t end = (memblock_memory.r[i].base + memblock_memory.r[i].size) & PAGE_MASK;

		if (end > base)
			map_range(DIRECT_MAP_BASE + base, base, end - base, PAGE_KERNEL_RW);
	}
}

void paging_init(void)
{
	kernel_pml4_phys = alloc_table();
	if (!kernel_pml4_phys)
		panic("paging_init: no memory for the top-level table");
	kernel_pml4 = table_va(kernel_pml4_phys);

	map_kernel_section(__text_start, __text_end, PAGE_KERNEL_RX);
	map_kernel_section(__rodata_start, __rodata_end, PAGE_KERNEL_RO);
	map_kernel_section(__data_start, __kernel_end, PAGE_KERNEL_RW);
	map_direct();

	write_cr4(read_cr4() | X86_CR4_PGE);
	write_cr3(kernel_pml4_phys);
	paging_live = true;
	kernel_pml4 = __va(kernel_pml4_phys);
}

/* ---- the W^X walk ---- */

static void check_table(u64 *table, int level, unsigned long va_base, bool w, bool x,
			struct wx_report *r)
{
	int i;

	for (i = 0; i < ENTRIES; i++) {
		u64 e = table[i];
		unsigned long va = va_base + ((unsigned long)i << LEVEL_SHIFT(level));
		bool ew = w && (e & PTE_W), ex = x && !(e & PTE_NX);

		if (!(e & PTE_P))
			continue;
		if (level == 4 && i >= 256)
			va |= 0xffff000000000000UL;	/* sign-extend the upper half */
		if (level > 1 && !(e & PTE_PS)) {
			check_table(table_va(e & PTE_ADDR_MASK), level - 1, va, ew, ex, r);
			continue;
		}
		r->leaf_mappings++;
		if (ew && ex && !r->wx_mappings++)
			r->first_wx_va = va;
	}
}

void paging_check_wx(struct wx_report *r)
{
	memset(r, 0, sizeof(*r));
	check_table(kernel_pml4, 4, 0, true, true, r);
}
