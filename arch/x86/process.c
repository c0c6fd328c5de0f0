// SPDX-License-Identifier: MIT
/*
 * Task stacks: the initial frame of a new kernel thread, the saved frame
 * pointer of a sleeping one, and stopping a task asynchronously.
 */
#include <kernel/sched.h>
#include <kernel/nokprobe.h>
#include <asm/layout.h>
#include <asm/ptrace.h>
#include <asm/sections.h>
#include <kernel/mm/vmap.h>
#include <lib/errno.h>

extern char ret_from_kthread[];

/* What __switch_to_asm pops: r15 r14 r13 r12 rbx rbp, then the return. */
struct switch_frame {
	unsigned long r15, r14, r13, r12, bx, bp;
	unsigned long ret;	/* popped last: RSP ends at the stack top, so
				 * ret_from_kthread's call is 16-byte aligned */
};

void arch_prepare_kthread(struct task_struct *t)
{
	unsigned long top = (unsigned long)t->stack + KERNEL_STACK_SIZE;
	struct switch_frame *f = (struct switch_frame *)(top - sizeof(*f));

	*f = (struct switch_frame){ .ret = (unsigned long)ret_from_kthread };
	t->thread.sp = (unsigned long)f;
}

unsigned long arch_task_frame_pointer(const struct task_struct *t)
{
	return ((const struct switch_frame *)t->thread.sp)->bp;
}

/*
 * A demo workload asked to stop while it computes (no locks held, nothing
 * to undo) is sent to kthread_exit() when the interrupt returns, on a
 * fresh frame at the top of its own stack.
 */
static __attribute__((noreturn)) void kthread_exit_killed(void)
{
	kthread_exit(-EINTR);
}

void arch_redirect_to_exit(struct task_struct *t, struct pt_regs *regs)
{
	unsigned long top = (unsigned long)t->stack + KERNEL_STACK_SIZE;

	regs->ip = (unsigned long)kthread_exit_killed;
	regs->sp = top - 8;	/* as if just called: RSP+8 16-byte aligned */
	regs->bp = 0;
}

/*
 * Trampoline code: the entry text (interrupt stubs, ftrace's trampolines)
 * and run-time code pages (per-ops trampolines). A task is never
 * preempted here, and trampolines count preemption off before they call
 * C. Another CPU may still be inside one when its last caller is patched
 * out, so their owners free them after synchronize_rcu_tasks_range()
 * (kernel/tasks_rcu.c).
 *
 * Code the int3 handler sends a CPU to is the exception: kprobe
 * instruction slots and optimized probes' detours (exec_page_preemptible()).
 * The int3 handler runs with interrupts off, so a tick that arrives
 * meanwhile is taken right after its iret, at the first byte of the slot
 * or detour. Never preempting there would starve every other task on a
 * CPU that calls a probed function in a loop; instead a preempted task
 * remembers where it stopped (task_struct::preempt_ip), and the same wait
 * keeps such code until no task is inside, as Linux waits for RCU-tasks.
 */
bool arch_in_trampoline_code(unsigned long ip)
{
	return (ip >= (unsigned long)__entry_text_start && ip < (unsigned long)__entry_text_end) ||
	       (exec_area_contains(ip) && !exec_page_preemptible(ip));
}
NOKPROBE_SYMBOL(arch_in_trampoline_code);

bool arch_regs_in_kernel_text(const struct pt_regs *regs)
{
	return regs->ip >= (unsigned long)__text_start && regs->ip < (unsigned long)__text_end &&
	       !(regs->ip >= (unsigned long)__entry_text_start &&
		 regs->ip < (unsigned long)__entry_text_end);
}
