/* SPDX-License-Identifier: MIT */
/*
 * Changing running code without ever leaving a half-written instruction.
 *
 * text_poke() writes through a temporary writable alias of the target page
 * (the target itself stays read+execute: W^X holds throughout), then makes
 * every CPU's instruction fetch see the new bytes.
 *
 * text_poke_bp() replaces a whole instruction that another CPU, or an
 * interrupt on this one, may be executing, with the breakpoint protocol:
 *
 *	1. write int3 over the first byte		sync every CPU
 *	2. write the rest of the new instruction	sync
 *	3. write the new first byte			sync
 *
 * Between 1 and 3 a CPU that reaches the site traps, and the int3 handler
 * sends it on as if the *new* instruction had run. So the new instruction
 * must be one the handler can emulate: a NOP, call rel32 or jmp rel32/rel8
 * (what ftrace and jump-optimized kprobes write).
 */
#ifndef ASM_TEXT_PATCHING_H
#define ASM_TEXT_PATCHING_H

#include <lib/types.h>

#define POKE_MAX_LEN	15
#define INT3_INSN_OPCODE	0xcc
#define CALL_INSN_SIZE	5

struct pt_regs;

/**
 * text_poke - write @len bytes of code at @addr
 *
 * @addr must lie in kernel text or the exec area (run-time code pages),
 * and [addr, addr+len) may cross at most one page boundary.
 * Returns 0, -EFAULT (not code we may patch) or -EINVAL (bad length).
 * Context: task, may sleep (takes text_mutex).
 */
int text_poke(void *addr, const void *opcode, size_t len);

/* One site of a text_poke_bp batch. */
struct text_poke_loc {
	void *addr;
	u8 len;
	u8 insn[POKE_MAX_LEN];	/* the new instruction */
};

/**
 * text_poke_bp_batch - replace the instructions at @n sites at once
 * @locs: sorted by address, no two overlapping; each new instruction a
 *        NOP, call rel32 or jmp
 *
 * Three synchronisations in all, however many sites. Returns 0, -EINVAL
 * (unsorted, overlapping, or an instruction int3 cannot stand in for), or
 * -EFAULT (an address text_poke() refuses). Context: task, may sleep.
 */
int text_poke_bp_batch(struct text_poke_loc *locs, unsigned n);
int text_poke_bp(void *addr, const void *opcode, size_t len);

/* From do_int3(): is this a site being patched? Emulate and return true. */
bool text_poke_int3_handler(struct pt_regs *regs);

/* Make every CPU serialise its instruction stream (after a write). */
void text_poke_sync(void);

/* How many times the int3 handler sent a CPU on (for tests and curiosity). */
extern unsigned long text_poke_int3_hits;

/* The standard 5-byte NOP (nopl 0x0(%rax,%rax,1)). */
extern const u8 x86_nop5[5];

/* After a second trap in a row on an int3 that is no longer in memory:
 * make an emulator drop its stale translation (see text_patch.c). */
void text_poke_refetch(unsigned long addr);

#endif /* ASM_TEXT_PATCHING_H */
