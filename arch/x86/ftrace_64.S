/* SPDX-License-Identifier: MIT */
/*
 * ftrace's trampolines: what a patched fentry site calls.
 *
 * Every traced function starts with `call __fentry__`, which ftrace turns
 * into a 5-byte NOP at boot and into `call TRAMPOLINE` when someone traces
 * the function. A trampoline saves registers into a struct pt_regs on the
 * stack, calls a C callback(ip, parent_ip, ops, regs), restores and
 * returns into the traced function, which never notices.
 *
 *	ftrace_caller		light: only the registers a C call clobbers
 *				(the function's arguments among them) are saved
 *				and restored; regs is partial (see ftrace.h)
 *	ftrace_regs_caller	full pt_regs; a callback that changes regs->ip
 *				sends the traced function elsewhere (IPMODIFY)
 *	ftrace_regs_noip_caller	the same without that check, copied only for
 *				an ops without FTRACE_OPS_FL_IPMODIFY, whose
 *				callback promises to leave regs->ip alone
 *				(five instructions fewer on every hit)
 *
 * Each is also a template: ftrace copies it into a run-time code page for
 * an ops that is alone on its sites and patches two things in the copy,
 * the ops pointer (the movabs at *_ops) and the callback (the call at
 * *_call). Nothing else in a template may be position-dependent.
 *
 * Preemption is counted off (preempt_count) around the callback, and the
 * interrupt return path never preempts a task inside trampoline code, so
 * once every CPU has context-switched no task is inside a trampoline and
 * ftrace may free it.
 *
 * Stack on entry:  [rsp] = site + 5 (return into the traced function)
 *		    [rsp + 8] = the traced function's own return address
 * Two frame records are pushed first, so that a backtrace taken inside a
 * callback shows the traced function and then its caller.
 */
#include <asm/linkage.h>
#include <asm/ptrace.h>
#include <asm/ptregs-asm.h>
#include <asm/desc.h>
#include <asm/text-patching.h>
/* Below pt_regs: an 8-byte pad for alignment; above it the frame records. */
#define FRAME_SIZE		(PTREGS_SIZE + 8 + 32)
#define RET_SLOT		FRAME_SIZE		/* [rsp0]: site + 5 */
#define PARENT_SLOT		(FRAME_SIZE + 8)	/* [rsp0 + 8] */

/*
 * Build the frame records and room for pt_regs; save the registers a C
 * call may clobber, and what every callback sees: ip, sp, bp, flags.
 */
.macro TRAMP_ENTER
	pushq	8(%rsp)			/* frame A: parent's return address */
	pushq	%rbp			/*          caller's rbp */
	movq	%rsp, %rbp
	pushq	16(%rsp)		/* frame B: return into the function */
	pushq	%rbp			/*          -> frame A */
	movq	%rsp, %rbp
	leaq	-(PTREGS_SIZE + 8)(%rsp), %rsp	/* lea, not sub: the flags are */
						/* the caller's until pushfq below */
	SAVE_PT_REGS_CALLER_SAVED
	movq	$0, PTREGS_ORIG_AX(%rsp)

	movq	RET_SLOT(%rsp), %rdi
	leaq	-CALL_INSN_SIZE(%rdi), %rdi
	movq	%rdi, PTREGS_IP(%rsp)		/* ip: the site, i.e. the function */
	leaq	PARENT_SLOT(%rsp), %rsi
	movq	%rsi, PTREGS_SP(%rsp)		/* sp: as at the function's entry */
	movq	FRAME_SIZE - 16(%rsp), %rax
	movq	%rax, PTREGS_BP(%rsp)		/* the rbp frame A saved */
	pushfq
	popq	PTREGS_FLAGS(%rsp)
	movq	$GDT_KERNEL_CS, PTREGS_CS(%rsp)
	movq	$GDT_KERNEL_DS, PTREGS_SS(%rsp)
	movq	(%rsi), %rsi			/* parent_ip */
.endm

/* Call the callback (rdi = ip, rsi = parent_ip already) with preemption
 * counted off. \name labels the two patchable spots. */
.macro TRAMP_CALL name, func
	.globl	\name\()_ops
\name\()_ops:
	movabsq	$0, %rdx			/* ops: patched in copies */
	movq	%rsp, %rcx			/* regs */
	incl	%gs:__preempt_count
	.globl	\name\()_call
\name\()_call:
	call	\func				/* callback: patched in copies */
	decl	%gs:__preempt_count
.endm

	.section .entry.text, "ax"

SYM_FUNC_START(__fentry__)
	ret
SYM_FUNC_END(__fentry__)

	.p2align 4
SYM_CODE_START(ftrace_caller)
	TRAMP_ENTER
	TRAMP_CALL ftrace_caller, ftrace_ops_list_func
	RESTORE_PT_REGS_CALLER_SAVED	/* a callback may have changed them */
	movq	FRAME_SIZE - 16(%rsp), %rbp
	addq	$FRAME_SIZE, %rsp
	ret
	.globl	ftrace_caller_end
ftrace_caller_end:
SYM_CODE_END(ftrace_caller)

/* A full-pt_regs trampoline; \ipmodify: follow a callback's change of regs->ip. */
.macro REGS_CALLER name, ipmodify
	.p2align 4
SYM_CODE_START(\name)
	TRAMP_ENTER
	SAVE_PT_REGS_CALLEE_SAVED
	TRAMP_CALL \name, ftrace_ops_list_func

	.if \ipmodify
	/*
	 * IPMODIFY: if the callback moved regs->ip off the site, return there
	 * instead of into the function (e.g. into a replacement function,
	 * which then runs with the original's arguments and return address).
	 */
	movq	PTREGS_IP(%rsp), %rax
	movq	RET_SLOT(%rsp), %rdx
	subq	$CALL_INSN_SIZE, %rdx
	cmpq	%rax, %rdx
	je	1f
	movq	%rax, RET_SLOT(%rsp)
1:
	.endif
	RESTORE_PT_REGS_CALLEE_SAVED
	RESTORE_PT_REGS_CALLER_SAVED
	movq	PTREGS_BP(%rsp), %rbp
	addq	$FRAME_SIZE, %rsp
	ret
	.globl	\name\()_end
\name\()_end:
SYM_CODE_END(\name)
.endm

	/* The list trampoline (any ops may be IPMODIFY) and its template. */
	REGS_CALLER ftrace_regs_caller, 1
	/* Only ever copied, for an ops without IPMODIFY. */
	REGS_CALLER ftrace_regs_noip_caller, 0

/*
 * return_to_handler: where a function traced by function_graph returns.
 * Its entry hook replaced the return address with this; here the return
 * value (rax, rdx) is kept safe while ftrace_return_to_handler() records
 * the exit and hands back the real return address, then we jump there.
 * RSP is 16-byte aligned here (the caller's call was).
 */
	.p2align 4
SYM_CODE_START(return_to_handler)
	pushq	%rax
	pushq	%rdx
	leaq	16(%rsp), %rdi			/* the stack as the function left it */
	movq	%rax, %rsi			/* its return value, for funcgraph-retval */
	call	ftrace_return_to_handler	/* -> the real return address */
	movq	%rax, %r11
	popq	%rdx
	popq	%rax
	jmp	*%r11
SYM_CODE_END(return_to_handler)
