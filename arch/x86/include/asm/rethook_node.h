/* SPDX-License-Identifier: MIT */
/*
 * rethook, the x86-64 half of the hit path: hooking a return address, and
 * putting the real one back where the return trampoline (rethook_64.S)
 * will return through it. trace/rethook.h includes this once struct
 * rethook_node is defined; both run on every hooked call, so they are
 * inline (a call and its return cost more than their bodies under TCG),
 * and being inline they need no NOKPROBE entry of their own: they are
 * part of their callers, which are on the probe paths.
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
 *
 * The host unit tests put a pretend arch in place of this file
 * (tests/host/shim/asm/rethook_node.h).
 */
#ifndef ASM_RETHOOK_NODE_H
#define ASM_RETHOOK_NODE_H

#include <asm/ptrace.h>
#include <lib/compiler.h>

_Static_assert(RETHOOK_ENTRY_ARGS == 6, "arch_rethook_save_entry_args() saves six registers");

static __always_inline void arch_rethook_prepare(struct rethook_node *node,
						 struct pt_regs *regs, bool mcount __always_unused)
{
	/* One read of regs->sp: the stores to @node below could alias it,
	 * as far as the compiler knows, and would make it read again. */
	unsigned long sp = regs->sp;
	unsigned long *slot = (unsigned long *)sp;

	node->ret_addr = *slot;
	node->frame = sp;
	*slot = (unsigned long)arch_rethook_trampoline;
}

/* The argument registers at entry, for rethooks that keep them. */
static __always_inline void arch_rethook_save_entry_args(struct rethook_node *node,
							 const struct pt_regs *regs)
{
	/* In calling-convention order (regs_get_arg() 1 to 6), written out:
	 * a loop over regs_get_arg() compiles worse. */
	node->entry_args[0] = regs->di;
	node->entry_args[1] = regs->si;
	node->entry_args[2] = regs->dx;
	node->entry_args[3] = regs->cx;
	node->entry_args[4] = regs->r8;
	node->entry_args[5] = regs->r9;
}

/*
 * The trampoline's frame record sits right above its pt_regs: the
 * caller's RBP, then the return-address slot S, through which the
 * trampoline's RET goes (see rethook_64.S).
 */
static __always_inline void arch_rethook_fixup_return(struct pt_regs *regs,
						      unsigned long correct_ret_addr)
{
	unsigned long *record = (unsigned long *)(regs + 1);

	record[1] = correct_ret_addr;
}

#endif /* ASM_RETHOOK_NODE_H */
