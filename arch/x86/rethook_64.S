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
 *		(rethook_find_ret_addr() with frame S)
 *	S - 16	struct pt_regs of the moment of return, from ss down to r15;
 *		ss, sp, cs, ip and orig_ax are filled in by the C callback
 *
 * then call arch_rethook_trampoline_callback(regs), which runs the generic
 * handler and writes the real return address into S. On the way out we
 * restore the registers (a handler may change the return value in regs)
 * and the caller's RBP, and RET through S.
 *
 * The flags are restored only when a handler changed regs->flags (the
 * callback says so): POPF is costly where it matters most to a student,
 * under QEMU's TCG, which ends the translated block at every POPF and
 * goes back to its main loop. Skipping it is safe because at a function's
 * return the flags are dead in the x86-64 ABI: the status flags are
 * scratch, DF is clear on both paths, and IF is as the function left it
 * (the handlers run with balanced irq save/restore). Only the TEST below
 * changes the status flags. Linux's function_graph return path does not
 * restore them either.
 *
 * The code lives in .kprobes.text, so kprobes will not probe it, and in an
 * object built without fentry sites.
 */
#include <asm/linkage.h>
#include <asm/ptrace.h>
#include <asm/ptregs-asm.h>
#include <asm/rethook.h>

	.section .kprobes.text, "ax"

SYM_CODE_START(arch_rethook_trampoline)
	/* RSP = S + 8. Nothing here may change RFLAGS before PUSHF. */
	pushq	$arch_rethook_trampoline	/* S: the marker */
	pushq	%rbp				/* S - 8 */
	movq	%rsp, %rbp			/* the frame record is complete */
.Lframe_ready:
	leaq	-16(%rsp), %rsp			/* ss, sp */
	pushfq					/* flags */
	leaq	-24(%rsp), %rsp			/* cs, ip, orig_ax */
	PUSH_PT_REGS				/* di ... r15; regs->bp is S - 8 */

	/*
	 * RBX is callee-saved, so it survives the call and gives back the
	 * stack pointer we align (the RET may have left RSP at any 8-byte
	 * boundary, and C wants 16 at a call).
	 */
	movq	%rsp, %rdi
	movq	%rsp, %rbx
	andq	$-16, %rsp
	call	arch_rethook_trampoline_callback	/* true: flags changed */
	movq	%rbx, %rsp
	testb	%al, %al
	jnz	.Lrestore_flags

	POP_PT_REGS				/* RBP = S - 8 still: see the callback */
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
