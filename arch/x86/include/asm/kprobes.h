/* SPDX-License-Identifier: MIT */
/* The x86 part of a probe point (arch/x86/kprobes/), and the trap hooks
 * arch/x86/traps.c calls. The contract with the generic code is in
 * trace/kprobes_arch.h. */
#ifndef ASM_KPROBES_H
#define ASM_KPROBES_H

#include <asm/insn.h>
#include <asm/text-patching.h>
#include <lib/types.h>

enum kprobe_run {
	KPROBE_RUN_EMULATE,	/* branches, calls, rets: done in the handler */
	KPROBE_RUN_COPY,	/* run a copy in a slot: single-step or boosted */
};

/* An optimized probe writes a jmp rel32 over whole instructions. */
#define KPROBE_OPT_MAX		(INSN_MAX_LEN + JMP32_INSN_SIZE - 1)

struct arch_kprobe {
	u8 *slot;			/* the copy, or NULL */
	u8 *detour;			/* an optimized probe's detour, or NULL */
	unsigned long detour_back;	/* where the detour's jmp back lands */
	u8 opt_len;			/* bytes the jmp replaces (whole instructions) */
	u8 opt_orig[KPROBE_OPT_MAX];	/* those bytes as they were */
	u8 opcode;			/* the byte int3 replaced */
	u8 bytes[INSN_MAX_LEN];		/* the original instruction */
	struct insn insn;
	enum kprobe_run run;
};

/*
 * The trap hooks: arch/x86/traps.c offers each trap to kprobes
 * (arch/x86/kprobes/core.c) before treating it as unexpected, after text
 * patching's own int3 hook (text_poke_int3_handler(), asm/text-patching.h).
 * Context: the trap, interrupts off, on the trap's IST stack.
 */
struct pt_regs;
/* An int3 at regs->ip (already moved back onto it): a probe's, or one
 * disarmed since the trap was taken. Returns true if it was kprobes'. */
bool kprobe_int3_handler(struct pt_regs *regs);
/* The single-step of a probe's copy is done: fix RIP up, run the
 * post_handlers. Returns true if the debug trap was kprobes'. */
bool kprobe_debug_handler(struct pt_regs *regs);
/* A #PF or #GP: if a probe's copy faulted, put RIP back on the original
 * instruction. Returns false either way: the fault is still to handle. */
bool kprobe_fault_handler(struct pt_regs *regs);

#endif
