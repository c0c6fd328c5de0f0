/* SPDX-License-Identifier: MIT */
/* The x86 part of a probe point (arch/x86/kprobes/). */
#ifndef ASM_KPROBES_H
#define ASM_KPROBES_H

#include <asm/insn.h>

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
	u8 opt_len;			/* bytes the jmp replaces (whole instructions) */
	u8 opt_orig[KPROBE_OPT_MAX];	/* those bytes as they were */
	u8 opcode;			/* the byte int3 replaced */
	u8 bytes[INSN_MAX_LEN];		/* the original instruction */
	struct insn insn;
	enum kprobe_run run;
};

#endif
