/* SPDX-License-Identifier: MIT */
/*
 * arch_rethook_trampoline: where a hooked function returns to.
 *
 * arch_rethook_prepare() replaced the function's return address, in the
 * stack slot we call S (rethook_node::frame), with the address of this
 * code. The function's RET lands here with RSP = S + 8 and every register
 * as the function left it. We rebuild, from S downwards:
 *
 *	S	the trampoline's own address again, a marker: an interrupt
 *		that came in right after the RET may have overwritten the slot
 *	S - 8	the caller's RBP. With the marker above it this is a frame
 *		record, and RBP points at it while the handlers run, so a
 *		frame-pointer walk from inside a handler reaches S, finds the
 *		marker, and asks the shadow stack for the real address
 *		(rethook_find_ret_addr() with frame S). RBP moves onto it
 *		only once pt_regs is saved, so that regs->bp is the caller's
 *		RBP as pushed; until then (the prologue, ARCH_RETHOOK_PROLOGUE_LEN
 *		bytes) an unwinder finds the caller on the shadow stack
 *	S - 16	struct pt_regs of the moment of return, from ss down to r15,
 *		complete: a handler sees the registers right after the
 *		function's RET (sp = S + 8, bp = the caller's RBP), and ip,
 *		which rethook_trampoline_handler() sets to the real address
 *
 * then call rethook_trampoline_handler(regs, S) directly, which runs the
 * handlers and writes the real return address into S (through
 * arch_rethook_fixup_return()). The whole pt_regs is built here, in
 * pushes, rather than finished by a C function in between: one call
 * fewer on every hooked return. On the way out we restore the registers
 * (a handler may change the return value in regs) and the caller's RBP,
 * and RET through S.
 *
 * The flags are restored only when a handler changed regs->flags (R12
 * keeps the value saved, to compare): POPF is costly where it matters
 * most to a student, under QEMU's TCG, which ends the translated block at
 * every POPF and goes back to its main loop. Skipping it is safe because
 * at a function's return the flags are dead in the x86-64 ABI: the status
 * flags are scratch, DF is clear on both paths, and IF is as the function
 * left it (the handlers run with balanced irq save/restore). Nothing
 * before the PUSHF changes them. Linux's function_graph return path does
 * not restore them either.
 *
 * The code lives in .kprobes.text, so kprobes will not probe it, and in an
 * object built without fentry sites.
 */
#include <asm/desc.h>
#include <asm/linkage.h>
#include <asm/ptrace.h>
#include <asm/ptregs-asm.h>
#include <asm/rethook.h>

	.section .kprobes.text, "ax"

SYM_CODE_START(arch_rethook_trampoline)
	/* RSP = S + 8. Nothing here may change RFLAGS before PUSHF. */
	pushq	$arch_rethook_trampoline	/* S: the marker */
	pushq	%rbp				/* S - 8: the frame record's link */
	pushq	$GDT_KERNEL_DS			/* ss */
	pushq	%rsp				/* sp: S - 16 for now, see below */
	pushfq					/* flags */
	pushq	$GDT_KERNEL_CS			/* cs */
	pushq	$arch_rethook_trampoline	/* ip, until the handler sets it */
	pushq	$-1				/* orig_ax: no system call */
	PUSH_PT_REGS				/* di ... r15; bp: the caller's RBP */
	leaq	PTREGS_SIZE(%rsp), %rbp		/* RBP on the frame record (S - 8) */
.Lframe_ready:
	/* The flags are saved: arithmetic is allowed from here on. */
	addq	$24, PTREGS_SP(%rsp)		/* sp = S + 8, as after the RET */
	movq	PTREGS_FLAGS(%rsp), %r12	/* to see if a handler changes them */

	/*
	 * RBX, RBP and R12 are callee-saved, so they survive the call: RBX
	 * gives back the stack pointer we align (the RET may have left RSP
	 * at any 8-byte boundary, and C wants 16 at a call).
	 */
	movq	%rsp, %rdi			/* regs */
	leaq	8(%rbp), %rsi			/* frame: S */
	movq	%rsp, %rbx
	andq	$-16, %rsp
	call	rethook_trampoline_handler
	movq	%rbx, %rsp

	/*
	 * POP_PT_REGS loads RBP from regs->bp, and the caller's RBP comes
	 * from the frame record last, just before the RET. Keep RBP on the
	 * frame record until then, so that an interrupt on the way out still
	 * unwinds through S, and move the caller's RBP (which a handler may
	 * have changed) into the record.
	 */
	movq	PTREGS_BP(%rsp), %rax
	movq	%rax, (%rbp)
	movq	%rbp, PTREGS_BP(%rsp)
	cmpq	PTREGS_FLAGS(%rsp), %r12
	jne	.Lrestore_flags

	POP_PT_REGS				/* RBP = S - 8 still */
	leaq	48(%rsp), %rsp			/* orig_ax, ip, cs, flags, sp, ss */
	popq	%rbp				/* the caller's, from the frame record */
	ret					/* through S: the real return address */

.Lrestore_flags:				/* the same, with POPF */
	POP_PT_REGS
	leaq	24(%rsp), %rsp			/* orig_ax, ip, cs */
	popfq
	leaq	16(%rsp), %rsp			/* sp, ss */
	popq	%rbp
	ret
SYM_CODE_END(arch_rethook_trampoline)

/* The unwinder's idea of the prologue (asm/rethook.h) must be the code's. */
	.if .Lframe_ready - arch_rethook_trampoline - ARCH_RETHOOK_PROLOGUE_LEN
	.error "ARCH_RETHOOK_PROLOGUE_LEN does not match arch_rethook_trampoline"
	.endif
