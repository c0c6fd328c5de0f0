/* SPDX-License-Identifier: MIT */
/*
 * The detour of a jump-optimized kprobe (see opt.c), as a template that
 * opt.c copies into a page of run-time code for each optimized probe.
 *
 * The probed code jumps here (a jmp, not a call: nothing was pushed), so
 * RSP is the probed code's own. We build a struct pt_regs below it, call
 * kprobe_optimized_callback(point, regs) with preemption counted off,
 * restore everything, and fall off the end of the template into what
 * opt.c appends: the instructions the jmp replaced, relocated, and a jmp
 * back to the first instruction after them.
 *
 * The stack is 16-byte aligned by hand before the call: code can be
 * probed anywhere, so RSP's alignment here is unknown. Nothing may
 * change EFLAGS before PUSHF has saved them (Linux's template saves them
 * first too): the probe may sit between a CMP and the Jcc that reads it.
 */
#include <asm/linkage.h>
#include <asm/ptrace.h>
#include <asm/ptregs-asm.h>
#include <asm/desc.h>

	.section .entry.text, "ax"
	.p2align 4
SYM_CODE_START(optprobe_template)
	/* LEA, not SUB: the probed code's flags are live here (a jcc may
	 * follow the replaced instructions), and are saved below as found. */
	leaq	-PTREGS_SIZE(%rsp), %rsp
	SAVE_PT_REGS_CALLER_SAVED
	SAVE_PT_REGS_CALLEE_SAVED
	movq	%rbp, PTREGS_BP(%rsp)
	movq	$0, PTREGS_ORIG_AX(%rsp)
	pushfq
	popq	PTREGS_FLAGS(%rsp)
	leaq	PTREGS_SIZE(%rsp), %rax
	movq	%rax, PTREGS_SP(%rsp)		/* the probed code's RSP */
	.globl	optprobe_template_addr
optprobe_template_addr:
	movabsq	$0, %rax			/* the probe's address: patched */
	movq	%rax, PTREGS_IP(%rsp)
	movq	$GDT_KERNEL_CS, PTREGS_CS(%rsp)
	movq	$GDT_KERNEL_DS, PTREGS_SS(%rsp)

	movq	%rsp, %rbx			/* regs, kept across the call */
	pushq	PTREGS_IP(%rbx)			/* a frame record: backtraces */
	pushq	PTREGS_BP(%rbx)			/* from handlers reach the */
	movq	%rsp, %rbp			/* probed code and its callers */
	andq	$-16, %rsp
	.globl	optprobe_template_point
optprobe_template_point:
	movabsq	$0, %rdi			/* the probe point: patched */
	movq	%rbx, %rsi
	incl	%gs:__preempt_count
	.globl	optprobe_template_call
optprobe_template_call:
	call	kprobe_optimized_callback	/* rel32: patched in each copy */
	decl	%gs:__preempt_count
	/* %rbp back before %rsp: once %rsp is at regs again, the frame
	 * record pushed above lies below the stack pointer, where an
	 * interrupt's frame overwrites it; a backtrace of a task preempted
	 * here must not follow %rbp into it. */
	movq	PTREGS_BP(%rbx), %rbp
	movq	%rbx, %rsp

	pushq	PTREGS_FLAGS(%rsp)		/* flags first: the moves after */
	popfq					/* this leave them alone */
	RESTORE_PT_REGS_CALLEE_SAVED
	RESTORE_PT_REGS_CALLER_SAVED
	leaq	PTREGS_SIZE(%rsp), %rsp
	.globl	optprobe_template_end
optprobe_template_end:
SYM_CODE_END(optprobe_template)
