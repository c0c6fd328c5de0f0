/* SPDX-License-Identifier: MIT */
/* The x86 part of a probe point (arch/x86/kprobes/). */
#ifndef ASM_KPROBES_H
#define ASM_KPROBES_H

#include <asm/insn.h>
#include <lib/types.h>

#define KPROBE_INT3		0xcc
#define KPROBE_FENTRY_SIZE	5	/* the `call __fentry__` an ftrace kprobe sits on */

enum kprobe_run {
	KPROBE_RUN_EMULATE,	/* branches, calls, rets: done in the handler */
	KPROBE_RUN_COPY,	/* run a copy in a slot: single-step or boosted */
};

#define KPROBE_JMP_SIZE		5	/* what an optimized probe writes */
#define KPROBE_OPT_MAX		(INSN_MAX_LEN + KPROBE_JMP_SIZE - 1)

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

#endif
