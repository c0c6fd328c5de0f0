/* SPDX-License-Identifier: MIT */
/*
 * Interrupt and exception entry: 256 stubs and the common path that builds
 * struct pt_regs (asm/ptrace.h) and calls the C dispatcher.
 *
 * Every stub is 16 bytes, so the IDT points vector v at idt_stubs + 16 * v.
 * A stub makes the frame uniform (pushes -1 where the CPU pushes no error
 * code), saves RDI, loads the vector number into EDI and jumps here; the
 * common code pushes the remaining registers in pt_regs order.
 *
 * Loupe runs only in ring 0, so there is no swapgs and no stack switch
 * except the IST stacks the IDT asks for (#DF, NMI, #DB, #BP).
 */
#include <asm/linkage.h>
#include <asm/ptrace.h>
#include <asm/ptregs-asm.h>

	.section .entry.text, "ax"

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.p2align 4
SYM_CODE_START(idt_stubs)
	vector = 0
	.rept 256
	.p2align 4, 0xcc
	.if HAS_ERRCODE(vector) == 0
	pushq	$-1
	.endif
	pushq	%rdi
	movl	$vector, %edi
	jmp	common_interrupt
	vector = vector + 1
	.endr
SYM_CODE_END(idt_stubs)

/*
 * On entry: RSP points at the saved RDI, above it orig_ax and the CPU's
 * frame; EDI = vector. We finish pt_regs, then push a fake frame record
 * (interrupted RBP, interrupted RIP) so a frame-pointer walk from the
 * handler continues into the interrupted code.
 */
	.p2align 4
SYM_CODE_START(common_interrupt)
	PUSH_PT_REGS di=0			/* the stub pushed RDI */
	cld

	movq	%rsp, %rbx			/* RBX = regs, kept across the call */
	pushq	PTREGS_IP(%rbx)
	pushq	PTREGS_BP(%rbx)
	movq	%rsp, %rbp
	/* 21 + 2 words pushed since the CPU aligned RSP: re-align for C. */
	subq	$8, %rsp

	movl	%edi, %esi
	movq	%rbx, %rdi
	call	irq_dispatch			/* irq_dispatch(regs, vector) */
	.globl	common_interrupt_return
common_interrupt_return:

	movq	%rbx, %rsp
	POP_PT_REGS
	addq	$8, %rsp			/* orig_ax */
	iretq
SYM_CODE_END(common_interrupt)
