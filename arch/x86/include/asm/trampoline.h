/* SPDX-License-Identifier: MIT */
/*
 * The real-mode trampoline that application processors start in
 * (arch/x86/trampoline.S), and the slots the boot CPU fills before each
 * start-up IPI. Usable from C and from assembly.
 *
 * A startup IPI (SIPI) carries only a page number: the AP begins in real
 * mode at CS:IP = (page << 8):0, i.e. at physical page << 12, below 1 MiB.
 * The trampoline is assembled to run at one fixed page, TRAMPOLINE_PHYS,
 * which the boot CPU copies it to; the low 1 MiB is reserved at boot
 * (memblock), so nothing else lives there.
 */
#ifndef ASM_TRAMPOLINE_H
#define ASM_TRAMPOLINE_H

#define TRAMPOLINE_PHYS		0x8000		/* page-aligned, below 1 MiB */
#define TRAMPOLINE_SIPI_VECTOR	(TRAMPOLINE_PHYS >> 12)

/* Segments of the trampoline's own GDT. */
#define TRAMPOLINE_CS32		0x08
#define TRAMPOLINE_DS		0x10
#define TRAMPOLINE_CS64		0x18

#ifndef __ASSEMBLY__
#include <lib/types.h>

/* The image, linked in .rodata; copied to TRAMPOLINE_PHYS before use. */
extern const char trampoline_start[], trampoline_end[];

/* Slots inside the image, written in the copy by the boot CPU. */
extern const char trampoline_cr3[];	/* u32: the kernel's page tables (below 4 GiB) */
extern const char trampoline_stack[];	/* u64: the AP's initial stack pointer */
extern const char trampoline_entry[];	/* u64: the C function to call, (cpu) */
extern const char trampoline_cpu[];	/* u64: its argument, the CPU number */

/* A slot's offset from the start of the image. */
#define trampoline_offset(slot)	((unsigned long)(slot) - (unsigned long)trampoline_start)
#endif

#endif /* ASM_TRAMPOLINE_H */
