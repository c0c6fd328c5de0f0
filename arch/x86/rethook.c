// SPDX-License-Identifier: MIT
/*
 * rethook, the x86-64 half: hooking a return address and the C side of
 * the return trampoline (rethook_64.S).
 *
 * On x86-64 a function's return address is the word at the stack pointer
 * on its first instruction. Hooking a return swaps that word for the
 * trampoline's address and remembers the real one, and where it was, in
 * the node. Both callers of rethook_hook() present that stack pointer as
 * regs->sp: a kprobe on the first instruction sees it directly, and
 * ftrace's regs trampoline (like the self-tests' entry shim,
 * rethook_test_entry_64.S) builds regs->sp one word above its own return
 * address into the function, which is the same thing. So @mcount changes
 * nothing here.
 */
#include <trace/rethook.h>
#include <asm/desc.h>
#include <asm/ptrace.h>
#include <kernel/nokprobe.h>

void arch_rethook_prepare(struct rethook_node *node, struct pt_regs *regs, bool mcount)
{
	unsigned long *slot = (unsigned long *)regs->sp;
	unsigned i;

	(void)mcount;
	node->ret_addr = *slot;
	node->frame = regs->sp;
	for (i = 0; i < RETHOOK_ENTRY_ARGS; i++)
		node->entry_args[i] = regs_get_arg(regs, i + 1);
	*slot = (unsigned long)arch_rethook_trampoline;
}
NOKPROBE_SYMBOL(arch_rethook_prepare);

/*
 * The trampoline's frame record sits right above its pt_regs: the
 * caller's RBP, then the return-address slot S (see rethook_64.S).
 */
static unsigned long *rethook_frame_record(struct pt_regs *regs)
{
	return (unsigned long *)(regs + 1);
}

void arch_rethook_fixup_return(struct pt_regs *regs, unsigned long correct_ret_addr)
{
	/* The trampoline's RET goes through S. */
	rethook_frame_record(regs)[1] = correct_ret_addr;
}
NOKPROBE_SYMBOL(arch_rethook_fixup_return);

bool arch_rethook_trampoline_callback(struct pt_regs *regs);

/**
 * arch_rethook_trampoline_callback - called by the trampoline
 * @regs: the general registers and flags at the return; the rest is ours
 *
 * Completes @regs as a handler should see them - the registers right
 * after the function's RET - and runs the generic handler.
 * Context: the returning task, any preemption and interrupt state.
 * Returns true if a handler changed regs->flags: only then does the
 * trampoline pay for a POPF (see rethook_64.S).
 */
bool arch_rethook_trampoline_callback(struct pt_regs *regs)
{
	unsigned long *record = rethook_frame_record(regs);
	unsigned long frame = (unsigned long)&record[1];
	unsigned long flags = regs->flags;

	regs->bp = record[0];
	regs->sp = frame + 8;
	regs->cs = GDT_KERNEL_CS;
	regs->ss = GDT_KERNEL_DS;
	regs->orig_ax = -1UL;
	regs->ip = (unsigned long)arch_rethook_trampoline;

	rethook_trampoline_handler(regs, frame);

	/*
	 * The trampoline pops regs->bp into RBP and the caller's RBP from the
	 * frame record last, just before its RET. Keep RBP on the frame
	 * record until then, so that an interrupt on the way out still
	 * unwinds through S, and move the caller's RBP (which a handler may
	 * have changed) into the record.
	 */
	record[0] = regs->bp;
	regs->bp = (unsigned long)record;
	return regs->flags != flags;
}
NOKPROBE_SYMBOL(arch_rethook_trampoline_callback);
