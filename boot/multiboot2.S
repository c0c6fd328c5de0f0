/* SPDX-License-Identifier: MIT */
/*
 * The multiboot2 header GRUB looks for in the first 32 KiB of the image.
 *
 * We ask for one thing beyond the defaults: the entry point. The ELF's own
 * entry is a higher-half virtual address that means nothing to a 32-bit
 * loader, so the header gives the physical address of _start32 instead.
 */
#include <asm/layout.h>

#define MB2_MAGIC		0xe85250d6
#define MB2_ARCH_I386		0
#define MB2_TAG_END		0
#define MB2_TAG_ENTRY		3

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long	MB2_MAGIC
	.long	MB2_ARCH_I386
	.long	mb2_header_end - mb2_header
	.long	0x100000000 - (MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

	.balign 8
	.short	MB2_TAG_ENTRY
	.short	0			/* flags: required */
	.long	12
	.long	_start32 - KERNEL_VMA_BASE

	.balign 8
	.short	MB2_TAG_END
	.short	0
	.long	8
mb2_header_end:
