/* SPDX-License-Identifier: MIT */
/*
 * TEST SUPPORT ONLY: rethook_test_entry, a function-entry hook for the
 * rethook self-tests, from before ftrace existed.
 *
 * It is ftrace's regs trampoline in miniature. A self-test patches the
 * `call __fentry__` at the start of a target function into a call to
 * rethook_test_entry (rethook_test_entry.c); we then arrive here with
 *
 *	[RSP]		the address after the fentry call (function + 5)
 *	[RSP + 8]	the function's own return address: slot S
 *
 * and build a struct pt_regs as a probe on the function's first
 * instruction would see it - regs->sp = S, regs->ip = the function -
 * with the registers (arguments included) as the caller passed them. We
 * push frame records so that a backtrace from the callback runs through
 * the function into its callers, call
 * rethook_test_entry_dispatch(regs), restore every register and return
 * into the function body. Changes the callback makes to regs->ip or
 * regs->sp are ignored; rethook_hook() changes the word at S.
 */
#include <asm/desc.h>
#include <asm/linkage.h>
#include <asm/ptrace.h>
#include <asm/ptregs-asm.h>
#include <asm/text-patching.h>

	.section .kprobes.text, "ax"

SYM_CODE_START(rethook_test_entry)
	leaq	-16(%rsp), %rsp			/* ss, sp */
	pushfq					/* flags, before anything changes them */
	leaq	-24(%rsp), %rsp			/* cs, ip, orig_ax */
	PUSH_PT_REGS

	movq	$GDT_KERNEL_DS, PTREGS_SS(%rsp)
	leaq	PTREGS_SIZE + 8(%rsp), %rax	/* S */
	movq	%rax, PTREGS_SP(%rsp)
	movq	$GDT_KERNEL_CS, PTREGS_CS(%rsp)
	movq	PTREGS_SIZE(%rsp), %rax		/* function + 5 */
	subq	$CALL_INSN_SIZE, %rax
	movq	%rax, PTREGS_IP(%rsp)
	movq	$-1, PTREGS_ORIG_AX(%rsp)

	/*
	 * Two frame records, as a frame-pointer build of ftrace makes: the
	 * function has not pushed its own yet, so its return address is in
	 * no frame record, and a walk would skip its caller. The first
	 * record is the function's (its caller's RBP, a copy of its return
	 * address), the second ours (RBP of the first, function + 5).
	 */
	movq	%rsp, %rdi			/* regs */
	pushq	PTREGS_SIZE + 8(%rdi)		/* the function's return address */
	pushq	PTREGS_BP(%rdi)			/* and its caller's RBP */
	movq	%rsp, %rbp
	pushq	PTREGS_SIZE(%rdi)		/* function + 5 */
	pushq	%rbp
	movq	%rsp, %rbp
	movq	%rsp, %rbx			/* callee-saved: our RSP after the call */
	andq	$-16, %rsp
	call	rethook_test_entry_dispatch
	leaq	32(%rbx), %rsp			/* drop the frame records */

	POP_PT_REGS
	leaq	24(%rsp), %rsp			/* orig_ax, ip, cs */
	popfq
	leaq	16(%rsp), %rsp			/* sp, ss */
	ret					/* into the function, after its fentry call */
SYM_CODE_END(rethook_test_entry)
