/* SPDX-License-Identifier: MIT */
/*
 * The arch half of a context switch: what a sleeping task saves, and how
 * a new task's stack is laid out so the first switch to it starts it.
 */
#ifndef ASM_SWITCH_TO_H
#define ASM_SWITCH_TO_H

#include <lib/types.h>

struct task_struct;

struct thread_struct {
	unsigned long sp;	/* kernel stack pointer while switched out */
};

/* Save callee-saved registers on @prev's stack, load @next's. Returns the
 * task that was switched away from (in the context of @next). */
struct task_struct *__switch_to_asm(struct task_struct *prev, struct task_struct *next);

/* Build @t's initial stack so the first switch enters kthread_entry(). */
void arch_prepare_kthread(struct task_struct *t);

/* The frame pointer saved by a switched-out task (for its backtrace). */
unsigned long arch_task_frame_pointer(const struct task_struct *t);

/* Make the interrupted task @t continue in kthread_exit(-EINTR) on a fresh
 * frame when the interrupt returns (stopping a compute-only workload). */
struct pt_regs;
void arch_redirect_to_exit(struct task_struct *t, struct pt_regs *regs);
/* Is @ip in code where a task must not be preempted (trampolines)? */
bool arch_in_trampoline_code(unsigned long ip);
/* Was @regs interrupted in ordinary kernel code (not entry/exception code)? */
bool arch_regs_in_kernel_text(const struct pt_regs *regs);

#endif
