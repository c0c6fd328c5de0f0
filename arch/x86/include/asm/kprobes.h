/* SPDX-License-Identifier: MIT */
/* The x86 part of a probe point (arch/x86/kprobes/). */
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

/* What arch_recover_text() found patched (and undid), one bit each. */
enum {
	TEXT_PATCH_KPROBE	= 1 << 0,	/* a kprobe's int3 */
	TEXT_PATCH_OPTPROBE	= 1 << 1,	/* an optimized kprobe's jmp */
	TEXT_PATCH_FTRACE	= 1 << 2,	/* an fentry site's call (ftrace) */
};

/**
 * arch_recover_text - read kernel text as it was before any patch
 * @addr: where to read; @buf, @len: what to fill
 * @patched: if not NULL, set to the TEXT_PATCH_* kinds that were undone
 *
 * Every reader that decodes kernel text uses this, never the live bytes:
 * another probe's int3 or jmp would split its decoding. Fentry sites read
 * as their NOP. Returns 0, or -EFAULT if the text cannot be read.
 * Context: task or interrupts off (takes no lock; RCU read side inside).
 */
int arch_recover_text(unsigned long addr, u8 *buf, size_t len, unsigned *patched);

/* What dis says about a kprobe's patch at an address (kprobes/describe.c). */
enum kprobe_patch_note {
	KPROBE_NOTE_NONE,	/* no kprobe patch here */
	KPROBE_NOTE_INT3,	/* a probe's int3 over this instruction */
	KPROBE_NOTE_JMP,	/* an optimized probe's jmp starts here */
	KPROBE_NOTE_COVERED,	/* inside such a jmp, which starts before */
};

/**
 * arch_kprobe_patch_note - whose kprobe patch is at @addr, in words
 * @buf, @size: "int3 of kprobe fib+0x13 [BOOSTED]", "kprobe fib+0x5
 *	[OPTIMIZED]", "replaced by the jump of kprobe fib+0x5 [OPTIMIZED]"
 *
 * Returns the kind of patch; @buf is filled unless KPROBE_NOTE_NONE.
 * Context: task or interrupts off (RCU read side inside).
 */
enum kprobe_patch_note arch_kprobe_patch_note(unsigned long addr, char *buf, size_t size);

/**
 * arch_kprobe_code_note - what the instruction at @addr in a kprobe's
 * run-time code does: "copy of fib+0x13 ...", "detour: save the registers
 * ...", "relocated from fib+0x5 ...", "jump back to fib+0xa ..."
 *
 * Returns the note's length, 0 if @addr is in no slot or detour.
 * Context: task (reads the code without faulting; takes no lock).
 */
int arch_kprobe_code_note(unsigned long addr, char *buf, size_t size);

#endif
