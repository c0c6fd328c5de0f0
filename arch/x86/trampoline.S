/* SPDX-License-Identifier: MIT */
/*
 * Where an application processor (AP) starts: 16-bit real mode -> 32-bit
 * protected mode -> 64-bit long mode on the kernel's own page tables,
 * then a call into C (smp_ap_entry(cpu) in arch/x86/smpboot.c).
 *
 * The boot CPU copies this image to TRAMPOLINE_PHYS (asm/trampoline.h),
 * fills the four slots at the end, maps the page at its own address
 * (identity, read+execute) and sends INIT-SIPI-SIPI. Hazards:
 *
 *  - Real mode: the AP wakes with CS = TRAMPOLINE_PHYS >> 4 and IP = 0,
 *    paging and protection off, 16-bit operands, no stack we may trust.
 *    With DS = CS, an operand written OFF(label) is the label's address.
 *  - Addresses: the image is linked into .rodata at some -2 GiB address,
 *    but runs at TRAMPOLINE_PHYS. Every absolute address (the GDT's base,
 *    far-jump targets, 32-bit data loads) is therefore written TR(label):
 *    the label's place in the copy. 64-bit code uses RIP-relative loads,
 *    which are right wherever the image is.
 *  - The moment paging turns on, the next instruction is fetched through
 *    the new tables at its physical address: that is why the page must be
 *    identity-mapped (and executable, hence not writable: W^X) until every
 *    AP has left it. The boot CPU unmaps it after bring-up.
 *  - EFER.NXE must be on before the first fetch through the kernel's
 *    tables: their NX bits would otherwise be reserved bits (#PF).
 *  - Interrupts stay off throughout: there is no IDT until C loads one.
 */
#include <asm/linkage.h>
#include <asm/trampoline.h>

#define OFF(x)		((x) - trampoline_start)		/* from CS:0 / DS:0 */
#define TR(x)		(TRAMPOLINE_PHYS + OFF(x))		/* linear, in the copy */

#define CR0_PE		(1 << 0)
#define CR0_WP		(1 << 16)
#define CR0_PG		(1 << 31)
#define CR4_PAE		(1 << 5)
#define CR4_PGE		(1 << 7)
#define MSR_EFER	0xc0000080
#define EFER_LME	(1 << 8)
#define EFER_NXE	(1 << 11)

	.section .rodata.trampoline, "a"
	.balign 16
	.globl trampoline_start
	.type trampoline_start, @object
trampoline_start:
	.code16
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	lgdtl	OFF(tr_gdt_ptr)		/* 32-bit base: TR(tr_gdt) */
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	/* The far jump loads CS from the new GDT: 32-bit protected mode. */
	ljmpl	$TRAMPOLINE_CS32, $TR(tr_protected)

	.code32
tr_protected:
	movw	$TRAMPOLINE_DS, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss

	movl	%cr4, %eax
	orl	$(CR4_PAE | CR4_PGE), %eax
	movl	%eax, %cr4
	movl	TR(trampoline_cr3), %eax	/* the boot CPU's CR3 */
	movl	%eax, %cr3

	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$(EFER_LME | EFER_NXE), %eax
	wrmsr

	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_WP), %eax
	movl	%eax, %cr0			/* long mode, compatibility submode */
	ljmpl	$TRAMPOLINE_CS64, $TR(tr_long)

	.code64
tr_long:
	xorl	%eax, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movq	trampoline_stack(%rip), %rsp
	movq	trampoline_cpu(%rip), %rdi
	movq	trampoline_entry(%rip), %rax
	xorl	%ebp, %ebp			/* the unwinder stops at a zero frame */
	call	*%rax				/* into the higher half; never returns */
1:	cli
	hlt
	jmp	1b

	.balign 8
tr_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff		/* 0x08: 32-bit code, flat */
	.quad	0x00cf92000000ffff		/* 0x10: data, flat */
	.quad	0x00af9a000000ffff		/* 0x18: 64-bit code */
tr_gdt_end:
tr_gdt_ptr:
	.short	tr_gdt_end - tr_gdt - 1
	.long	TR(tr_gdt)

	/* Slots the boot CPU writes in the copy before each start (C names
	 * them through asm/trampoline.h). */
	.balign 8
	.globl trampoline_cr3, trampoline_stack, trampoline_entry, trampoline_cpu
trampoline_cr3:		.quad	0
trampoline_stack:	.quad	0
trampoline_entry:	.quad	0
trampoline_cpu:		.quad	0
	.globl trampoline_end
trampoline_end:
	.size trampoline_start, trampoline_end - trampoline_start
