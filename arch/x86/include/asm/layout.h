/* SPDX-License-Identifier: MIT */
/*
 * The kernel's virtual address space. Usable from C and from assembly.
 *
 *   0xffff888000000000  direct map: all RAM, RW+NX, phys + DIRECT_MAP_BASE
 *   0xffffc90000000000  vmap area: kernel stacks with guard pages, MMIO
 *   0xffffffff80000000  kernel image: phys + KERNEL_VMA_BASE (-2 GiB)
 *   0xffffffffc0000000  exec area: run-time code (kprobe slots, trampolines),
 *                        within +-2 GiB of kernel text so rel32 reaches
 *   0xffffffffff000000  fixmap: a few fixed pages (text_poke's alias)
 *
 * The layout follows Linux's x86-64 map so that addresses look familiar.
 */
#ifndef ASM_LAYOUT_H
#define ASM_LAYOUT_H

#ifdef __ASSEMBLY__
#define _UL(x)	x
#else
#define _UL(x)	x##UL
#endif

#define PAGE_SHIFT		12
#define PAGE_SIZE		(_UL(1) << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))

#define KERNEL_VMA_BASE		_UL(0xffffffff80000000)
#define KERNEL_LOAD_PHYS	_UL(0x100000)

#define DIRECT_MAP_BASE		_UL(0xffff888000000000)
#define DIRECT_MAP_SIZE		(_UL(64) << 40)		/* 64 TiB */

#define VMAP_BASE		_UL(0xffffc90000000000)
#define VMAP_SIZE		(_UL(1) << 40)		/* 1 TiB */

#define EXEC_AREA_BASE		_UL(0xffffffffc0000000)
#define EXEC_AREA_SIZE		(_UL(1) << 30)		/* 1 GiB */

#define FIXMAP_BASE		_UL(0xffffffffff000000)
#define FIXMAP_PAGES		64
#define FIX_TEXT_POKE0		0	/* text_poke's alias of the target page */
#define FIX_TEXT_POKE1		1	/* ... and of the next, for a crossing write */
#define fix_to_virt(idx)	(FIXMAP_BASE + (idx) * PAGE_SIZE)

#define BOOT_STACK_SIZE		(_UL(16) << 10)
#define KERNEL_STACK_SIZE	(_UL(16) << 10)
#define IST_STACK_SIZE		(_UL(16) << 10)

#endif /* ASM_LAYOUT_H */
