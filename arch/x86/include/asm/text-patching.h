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

#define POKE_MAX_LEN	15

/*
 * The instructions Loupe writes into code, and their sizes: every file that
 * writes or checks one of them spells it with these names.
 */
#define INT3_INSN_SIZE		1
#define INT3_INSN_OPCODE	0xcc
#define CALL_INSN_SIZE		5	/* call rel32 */
#define CALL_INSN_OPCODE	0xe8
#define JMP32_INSN_SIZE		5	/* jmp rel32 */
#define JMP32_INSN_OPCODE	0xe9
#define NOP5_INSN_SIZE		5	/* x86_nop5: what an idle fentry site holds */

#ifndef __ASSEMBLY__		/* the sizes above serve the .S files too */

#include <lib/atomic.h>
#include <lib/string.h>
#include <lib/types.h>

struct insn;
struct pt_regs;

/**
 * text_gen_insn - encode one instruction Loupe patches in
 * @buf: filled with the instruction
 * @opcode: CALL_INSN_OPCODE or JMP32_INSN_OPCODE (rel32 to @dest), or
 *          INT3_INSN_OPCODE (@addr and @dest unused)
 * @addr: where the instruction will be (the rel32 counts from its end)
 * @dest: where the call or jmp goes; it must lie within +-2 GiB of @addr,
 *        as everything in the kernel's top 2 GiB does
 *
 * Returns the instruction's length. Inline: ftrace and the kprobe code
 * call it while they patch, and it must never be a site of its own.
 */
static inline unsigned text_gen_insn(u8 *buf, u8 opcode, unsigned long addr,
				     unsigned long dest)
{
	s32 rel = (s32)(dest - (addr + CALL_INSN_SIZE));

	buf[0] = opcode;
	if (opcode == INT3_INSN_OPCODE)
		return INT3_INSN_SIZE;
	memcpy(buf + 1, &rel, sizeof(rel));
	return CALL_INSN_SIZE;		/* == JMP32_INSN_SIZE */
}

/**
 * text_relocate_insn - copy the decoded instruction @in from @src to @dst
 * @from: the address the original runs at
 * @to: the address the copy will run at
 *
 * A RIP-relative operand's disp32 is rewritten so the copy reaches the
 * same data as the original. Returns 0, or -ERANGE if @to is too far from
 * that data for a disp32 (@dst then holds a copy that must not run).
 * Context: any (arch/x86/text_gen.c).
 */
int text_relocate_insn(u8 *dst, const u8 *src, const struct insn *in, unsigned long from,
		       unsigned long to);

/*
 * A code template in kernel text (ftrace_64.S, opt_64.S), being copied to
 * run-time code: @buf holds the copy, which will run at @base. Labels
 * inside the template name the instructions each copy gets its own
 * operands for.
 */
struct text_template {
	const char *start;
	u8 *buf;
	unsigned long base;
};

/* Copy the template [@start, @end) into @buf, to run at @base. */
void text_template_copy(struct text_template *t, u8 *buf, const char *start, const char *end,
			unsigned long base);

/* The movabs at @label loads @value in the copy. Returns 0, or -EILSEQ
 * if @label holds no instruction with an 8-byte immediate. */
int text_template_set_imm64(const struct text_template *t, const char *label, u64 value);

/* The call rel32 at @label calls @dest in the copy. */
void text_template_set_call(const struct text_template *t, const char *label,
			    unsigned long dest);

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
extern atomic_long_t text_poke_int3_hits;

/* The standard 5-byte NOP (nopl 0x0(%rax,%rax,1)), and int3, to write as
 * they are (arch/x86/text_gen.c). */
extern const u8 x86_nop5[NOP5_INSN_SIZE];
extern const u8 x86_int3[INT3_INSN_SIZE];

/* After a second trap in a row on an int3 that is no longer in memory:
 * make an emulator drop its stale translation (see text_patch.c). */
void text_poke_refetch(unsigned long addr);

#endif /* __ASSEMBLY__ */
#endif /* ASM_TEXT_PATCHING_H */
