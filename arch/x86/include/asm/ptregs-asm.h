/* SPDX-License-Identifier: MIT */
/*
 * Assembler macros that save and restore the fifteen general registers of
 * struct pt_regs (asm/ptrace.h), for every path that hands a pt_regs to C:
 * the interrupt entry (entry.S), the rethook return trampoline
 * (rethook_64.S), and the ftrace regs trampoline.
 *
 * pt_regs is laid out with r15 at the lowest address and the CPU's
 * interrupt frame at the top, so the registers are pushed from di down to
 * r15, and popped in the opposite order. A caller first pushes (or makes
 * room for) the six words above di - ss, sp, flags, cs, ip, orig_ax - and
 * after PUSH_PT_REGS, RSP points at the complete struct.
 *
 *	PUSH_PT_REGS		push di si dx cx ax r8 ... r15
 *	PUSH_PT_REGS di=0	the same without di, for a caller that has
 *				already pushed it (the interrupt stubs do)
 *	POP_PT_REGS		pop r15 ... di: RSP ends at orig_ax
 *
 * None of them changes RFLAGS.
 */
#ifndef ASM_PTREGS_ASM_H
#define ASM_PTREGS_ASM_H

#ifdef __ASSEMBLY__

.macro PUSH_PT_REGS di=1
	.if \di
	pushq	%rdi
	.endif
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%rax
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.endm

.macro POP_PT_REGS
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rax
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
.endm

#endif /* __ASSEMBLY__ */
#endif /* ASM_PTREGS_ASM_H */
