/* SPDX-License-Identifier: MIT */
/*
 * From GRUB's 32-bit protected mode to the higher-half 64-bit kernel.
 *
 * GRUB enters _start32 with paging off, EAX = multiboot2 magic and EBX =
 * the physical address of the boot information. We are linked at
 * KERNEL_VMA_BASE + phys but run at phys, so every address used before
 * the jump to the higher half is written PHYS(sym).
 *
 * Steps: check the magic and the CPU (long mode, NX); build early page
 * tables that map the first 4 GiB at 0 (identity: to survive the moment
 * paging turns on, and to reach the boot information and the APICs until
 * paging_init()) and the first 1 GiB at -2 GiB (where the kernel is linked);
 * enable PAE, set EFER.LME and EFER.NXE, turn paging on, far-jump into
 * 64-bit code, jump to the higher half and call start_kernel().
 *
 * These tables are temporary and allow everything (no W^X yet);
 * paging_init() replaces them with tables that honour section permissions.
 */
#include <asm/layout.h>
#include <asm/linkage.h>

#define PHYS(x)			((x) - KERNEL_VMA_BASE)
#define MB2_BOOT_MAGIC		0x36d76289
#define COM1			0x3f8

#define CR0_PG			(1 << 31)
#define CR0_WP			(1 << 16)
#define CR4_PAE			(1 << 5)
#define MSR_EFER		0xc0000080
#define EFER_LME		(1 << 8)
#define EFER_NXE		(1 << 11)
#define PTE_P_W			0x003
#define PTE_P_W_PS		0x083

	.section .boot.text, "ax"
	.code32
SYM_CODE_START(_start32)
	cli
	cld
	movl	$PHYS(boot_stack_top), %esp
	movl	%eax, %edi		/* kept for start_kernel(magic, info) */
	movl	%ebx, %esi

	cmpl	$MB2_BOOT_MAGIC, %eax
	jne	no_multiboot
	call	check_cpu
	call	build_early_tables

	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$PHYS(early_pml4), %eax
	movl	%eax, %cr3

	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$(EFER_LME | EFER_NXE), %eax
	wrmsr

	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_WP), %eax
	movl	%eax, %cr0

	lgdt	PHYS(early_gdt_ptr)
	ljmp	$0x08, $PHYS(start64_low)
SYM_CODE_END(_start32)

/* Long mode and NX are both required; say so on the serial line if not. */
SYM_CODE_START_LOCAL_NOALIGN(check_cpu)
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	no_long_mode
	movl	$0x80000001, %eax
	cpuid
	testl	$(1 << 29), %edx	/* LM */
	jz	no_long_mode
	testl	$(1 << 20), %edx	/* NX */
	jz	no_long_mode
	ret
SYM_CODE_END(check_cpu)

/*
 * Four page directories of 2 MiB pages cover 0..4 GiB, reached from
 * PML4[0]/PDPT[0..3] (identity); the first is also PML4[511]/PDPT[510]
 * (-2 GiB).
 */
SYM_CODE_START_LOCAL_NOALIGN(build_early_tables)
	movl	$PHYS(early_tables_start), %edi
	movl	$((early_tables_end - early_tables_start) / 4), %ecx
	xorl	%eax, %eax
	rep stosl

	movl	$(PHYS(early_pdpt_low) + PTE_P_W), PHYS(early_pml4)
	movl	$(PHYS(early_pdpt_high) + PTE_P_W), PHYS(early_pml4) + 511 * 8
	movl	$(PHYS(early_pd) + PTE_P_W), PHYS(early_pdpt_high) + 510 * 8
	movl	$(PHYS(early_pd) + PTE_P_W), PHYS(early_pdpt_low)
	movl	$(PHYS(early_pd) + PAGE_SIZE + PTE_P_W), PHYS(early_pdpt_low) + 8
	movl	$(PHYS(early_pd) + 2 * PAGE_SIZE + PTE_P_W), PHYS(early_pdpt_low) + 16
	movl	$(PHYS(early_pd) + 3 * PAGE_SIZE + PTE_P_W), PHYS(early_pdpt_low) + 24

	/* 2048 entries of 2 MiB: 0..4 GiB. The high dword of each stays 0. */
	movl	$PHYS(early_pd), %edi
	movl	$PTE_P_W_PS, %eax
	movl	$2048, %ecx
1:	movl	%eax, (%edi)
	addl	$(2 << 20), %eax
	addl	$8, %edi
	loop	1b

	movl	$MB2_BOOT_MAGIC, %edi	/* EDI was the fill pointer; the magic was checked */
	ret
SYM_CODE_END(build_early_tables)

no_multiboot:
	movl	$PHYS(msg_no_multiboot), %esi
	jmp	die32
no_long_mode:
	movl	$PHYS(msg_no_long_mode), %esi
	/* fall through */

/* Print the NUL-terminated string at ESI on COM1 and stop. */
die32:
	movw	$COM1, %dx
	lodsb
	testb	%al, %al
	jz	2f
	outb	%al, %dx
	jmp	die32
2:	cli
	hlt
	jmp	2b

	.code64
start64_low:
	movabsq	$start64_high, %rax
	jmp	*%rax

	.section .text.head, "ax"
SYM_CODE_START(start64_high)
	xorl	%eax, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movabsq	$boot_stack_top, %rsp
	xorl	%ebp, %ebp		/* the unwinder stops at a zero frame */

	/* start_kernel(magic, boot information physical address) */
	movl	%edi, %edi
	movl	%esi, %esi
	call	start_kernel
1:	cli
	hlt
	jmp	1b
SYM_CODE_END(start64_high)

	.section .boot.rodata, "a"
	.balign 8
early_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* 0x08: 64-bit code, ring 0 */
	.quad	0x00cf92000000ffff	/* 0x10: data, ring 0 */
early_gdt_end:
early_gdt_ptr:
	.short	early_gdt_end - early_gdt - 1
	.long	PHYS(early_gdt)

msg_no_multiboot:
	.asciz	"Loupe: not started by a multiboot2 loader; boot it through GRUB.\r\n"
msg_no_long_mode:
	.asciz	"Loupe: this CPU lacks long mode or NX; Loupe needs an x86-64 CPU with NX.\r\n"

	.section .boot.bss, "aw", @nobits
	.balign PAGE_SIZE
early_tables_start:
early_pml4:	.skip PAGE_SIZE
early_pdpt_low:	.skip PAGE_SIZE
early_pdpt_high:.skip PAGE_SIZE
early_pd:	.skip 4 * PAGE_SIZE
early_tables_end:

	/* An unmapped page under the boot stack: overflow faults (paging_init). */
	.balign PAGE_SIZE
SYM_DATA_START(boot_stack_guard)
	.skip PAGE_SIZE
SYM_DATA_END(boot_stack_guard)
SYM_DATA_START(boot_stack)
	.skip BOOT_STACK_SIZE
SYM_DATA_END(boot_stack)
	.globl boot_stack_top
boot_stack_top:
