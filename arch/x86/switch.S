/* SPDX-License-Identifier: MIT */
/*
 * __switch_to_asm(prev, next): the context switch.
 *
 * Pushes the callee-saved registers on prev's stack, saves prev's stack
 * pointer, loads next's, pops next's registers and returns on next's stack
 * - into the schedule() call that switched next out, or, for a task that
 * has never run, into ret_from_kthread (see arch_prepare_kthread()).
 * The caller-saved registers need no saving: the C caller assumes they are
 * clobbered by the call.
 *
 * Both live in .entry.text, as Linux's __switch_to_asm and
 * ret_from_fork_asm do, so kprobes refuses them: ret_from_kthread is not
 * entered by a call (its stack holds no return address, the word above
 * its stack pointer is past the top of the thread's stack), so a return
 * probe on it would read the guard page on the int3 path, and
 * __switch_to_asm returns on another task's stack than it was entered on.
 */
#include <asm/linkage.h>

#define TASK_THREAD_SP	0	/* offsetof(struct task_struct, thread.sp) */

	.section .entry.text, "ax"
SYM_FUNC_START(__switch_to_asm)
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, TASK_THREAD_SP(%rdi)
	movq	TASK_THREAD_SP(%rsi), %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	movq	%rdi, %rax		/* return prev */
	ret
SYM_FUNC_END(__switch_to_asm)

/*
 * First instructions of a new kernel thread. __switch_to_asm "returned"
 * here with RAX = the previous task. The zero RBP ends backtraces here.
 */
SYM_FUNC_START(ret_from_kthread)
	movq	%rax, %rdi
	call	kthread_entry		/* kthread_entry(prev): never returns */
	ud2
SYM_FUNC_END(ret_from_kthread)
