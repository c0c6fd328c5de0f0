/* SPDX-License-Identifier: MIT */
/*
 * x86-64 four-level page tables: entry bits, protections, and the mapping
 * calls the rest of the kernel uses.
 *
 * Protections name what a mapping allows; none is both writable and
 * executable (W^X). Code is changed only through text_poke(), which writes
 * through a temporary writable alias of the page.
 */
#ifndef ASM_PGTABLE_H
#define ASM_PGTABLE_H

#include <lib/types.h>
#include <asm/layout.h>

#define PTE_P		(1UL << 0)	/* present */
#define PTE_W		(1UL << 1)	/* writable */
#define PTE_U		(1UL << 2)	/* user (never set here) */
#define PTE_PWT		(1UL << 3)	/* write-through */
#define PTE_PCD		(1UL << 4)	/* cache disabled */
#define PTE_A		(1UL << 5)
#define PTE_D		(1UL << 6)
#define PTE_PS		(1UL << 7)	/* 2 MiB / 1 GiB page at PD / PDPT level */
#define PTE_G		(1UL << 8)	/* global */
#define PTE_NX		(1UL << 63)	/* no execute */
#define PTE_ADDR_MASK	0x000ffffffffff000UL

#define PAGE_KERNEL_RX	(PTE_P | PTE_G)
#define PAGE_KERNEL_RO	(PTE_P | PTE_G | PTE_NX)
#define PAGE_KERNEL_RW	(PTE_P | PTE_W | PTE_G | PTE_NX)
#define PAGE_KERNEL_IO	(PAGE_KERNEL_RW | PTE_PCD | PTE_PWT)

#define PMD_SIZE	(1UL << 21)

/* Build the kernel's page tables and switch to them (boot, once). */
void paging_init(void);

/**
 * map_page - map one 4 KiB page @va -> @pa with protection @prot
 *
 * Allocates intermediate tables as needed. Returns 0, -EEXIST if @va is
 * already mapped, or -ENOMEM. Context: may not be called from interrupts.
 */
int map_page(unsigned long va, phys_addr_t pa, u64 prot);

/* Unmap one page and flush it from this CPU's TLB; returns its frame or 0. */
phys_addr_t unmap_page(unsigned long va);

/* Change a mapped page's protection (flushed on every CPU). 0 or -ENOENT. */
int protect_page(unsigned long va, u64 prot);

/*
 * Flush [start, end) from every CPU's TLB (an IPI to the others): after
 * unmapping kernel pages, before their frames are reused. Process context.
 */
void flush_tlb_kernel_range(unsigned long start, unsigned long end);

/* page_table_pages(): in kernel/arch.h (generic code asks for it). */

/* Physical address behind @va by walking the tables, or (phys_addr_t)-1. */
phys_addr_t virt_to_phys_walk(unsigned long va);

/* Is @va mapped, and with which effective permissions? */
bool page_is_mapped(unsigned long va, bool *writable, bool *executable);

struct wx_report {
	unsigned long leaf_mappings;	/* present leaf entries, any size */
	unsigned long wx_mappings;	/* leaves both writable and executable */
	unsigned long first_wx_va;	/* where the first one maps, for the message */
};

/* Walk every page table and count mappings both writable and executable. */
void paging_check_wx(struct wx_report *r);

#endif /* ASM_PGTABLE_H */
