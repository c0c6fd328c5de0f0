/* SPDX-License-Identifier: MIT */
/*
 * What generic rethook code (trace/rethook.h) needs to know about x86-64:
 * how many argument registers a node saves at a function's entry, so that
 * the exit handler can see the arguments the function was called with.
 *
 * In the System V calling convention the first six integer arguments
 * arrive in di, si, dx, cx, r8 and r9; arch_rethook_save_entry_args()
 * copies them into rethook_node::entry_args in that order (for a rethook
 * that keeps them: rethook::entry_args). Arguments past the sixth
 * live on the caller's stack, which the function may have overwritten by
 * the time it returns, so they are not kept.
 */
#ifndef ASM_RETHOOK_H
#define ASM_RETHOOK_H

#define RETHOOK_ENTRY_ARGS	6

/*
 * Length of the trampoline's prologue: the instructions before its frame
 * record is complete and RBP points at it. An interrupt that lands there
 * interrupts code whose caller is found only on the shadow stack; the
 * unwinder (dumpstack.c) looks it up. rethook_64.S checks this value.
 */
#define ARCH_RETHOOK_PROLOGUE_LEN	50

#endif /* ASM_RETHOOK_H */
