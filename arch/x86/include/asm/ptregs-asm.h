/* SPDX-License-Identifier: MIT */
/*
 * Assembler macros that save and restore the fifteen general registers of
 * struct pt_regs (asm/ptrace.h), for every path that hands a pt_regs to C:
 * the interrupt entry (entry.S), the rethook return trampoline
 * (rethook_64.S), the ftrace trampolines (ftrace_64.S) and the detour of
 * an optimized kprobe (kprobes/opt_64.S).
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
 * A path that must make room for pt_regs before it saves (its flags are
 * live, or the frame records sit above), or that saves only part of it,
 * stores into the struct at RSP instead:
 *
 *	SAVE_PT_REGS_CALLER_SAVED	ax cx dx si di r8 ... r11: what a C
 *					call may clobber (ftrace_caller stops
 *					here; its pt_regs is partial)
 *	SAVE_PT_REGS_CALLEE_SAVED	bx r12 ... r15 (bp is each path's own:
 *					ftrace takes it from a frame record)
 *	RESTORE_PT_REGS_CALLEE_SAVED, RESTORE_PT_REGS_CALLER_SAVED
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

.macro SAVE_PT_REGS_CALLER_SAVED
	movq	%rax, PTREGS_AX(%rsp)
	movq	%rcx, PTREGS_CX(%rsp)
	movq	%rdx, PTREGS_DX(%rsp)
	movq	%rsi, PTREGS_SI(%rsp)
	movq	%rdi, PTREGS_DI(%rsp)
	movq	%r8, PTREGS_R8(%rsp)
	movq	%r9, PTREGS_R9(%rsp)
	movq	%r10, PTREGS_R10(%rsp)
	movq	%r11, PTREGS_R11(%rsp)
.endm

.macro SAVE_PT_REGS_CALLEE_SAVED
	movq	%rbx, PTREGS_BX(%rsp)
	movq	%r12, PTREGS_R12(%rsp)
	movq	%r13, PTREGS_R13(%rsp)
	movq	%r14, PTREGS_R14(%rsp)
	movq	%r15, PTREGS_R15(%rsp)
.endm

.macro RESTORE_PT_REGS_CALLEE_SAVED
	movq	PTREGS_R15(%rsp), %r15
	movq	PTREGS_R14(%rsp), %r14
	movq	PTREGS_R13(%rsp), %r13
	movq	PTREGS_R12(%rsp), %r12
	movq	PTREGS_BX(%rsp), %rbx
.endm

.macro RESTORE_PT_REGS_CALLER_SAVED
	movq	PTREGS_R11(%rsp), %r11
	movq	PTREGS_R10(%rsp), %r10
	movq	PTREGS_R9(%rsp), %r9
	movq	PTREGS_R8(%rsp), %r8
	movq	PTREGS_DI(%rsp), %rdi
	movq	PTREGS_SI(%rsp), %rsi
	movq	PTREGS_DX(%rsp), %rdx
	movq	PTREGS_CX(%rsp), %rcx
	movq	PTREGS_AX(%rsp), %rax
.endm

#endif /* __ASSEMBLY__ */
#endif /* ASM_PTREGS_ASM_H */
