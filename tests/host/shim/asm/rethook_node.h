/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for asm/rethook_node.h: the pretend arch of
 * tests/host/test_rethook.c, which defines these on its array stack.
 */
#ifndef ASM_RETHOOK_NODE_H
#define ASM_RETHOOK_NODE_H

void arch_rethook_prepare(struct rethook_node *node, struct pt_regs *regs, bool mcount);
void arch_rethook_save_entry_args(struct rethook_node *node, const struct pt_regs *regs);
void arch_rethook_fixup_return(struct pt_regs *regs, unsigned long correct_ret_addr);

#endif
