/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 instruction decoder's interface. insn_decode() takes the bytes
 * of one 64-bit-mode instruction and says how long it is, how it is built
 * (prefixes, opcode, ModRM, SIB, displacement, immediates) and what kind of
 * control transfer it is, which is what kprobes needs before it copies an
 * instruction out of line and what ftrace needs to check a call site.
 *
 * The decoder only reads memory; it neither sleeps nor allocates, so it may
 * be called from any context. The same source builds for the host, where
 * tools/insn-oracle checks it against objdump and capstone.
 */
#ifndef _ASM_X86_INSN_H
#define _ASM_X86_INSN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The architectural limit: a longer instruction raises #GP. */
#define INSN_MAX_LEN	15

/*
 * What an instruction does to the flow of control, as far as kprobes and
 * the stack unwinder care. Everything else is INSN_ORDINARY.
 */
enum insn_kind {
	INSN_ORDINARY = 0,
	INSN_CALL_REL32,	/* e8: call rel32 */
	INSN_JMP_REL8,		/* eb: jmp rel8 */
	INSN_JMP_REL32,		/* e9: jmp rel32 */
	INSN_JCC_REL8,		/* 70-7f: jcc rel8 */
	INSN_JCC_REL32,		/* 0f 80-8f: jcc rel32 */
	INSN_LOOP,		/* e0-e3: loopne, loope, loop, jrcxz (rel8) */
	INSN_XBEGIN,		/* c7 f8: xbegin rel32 (abort path is relative) */
	INSN_RET,		/* c3 ret, cb retf (insn->far) */
	INSN_RET_IMM,		/* c2 ret imm16, ca retf imm16 */
	INSN_CALL_INDIRECT,	/* ff /2 call r/m; ff /3 call far m16:64 */
	INSN_JMP_INDIRECT,	/* ff /4 jmp r/m; ff /5 jmp far m16:64 */
	INSN_INT3,		/* cc */
	INSN_INT1,		/* f1: int1 / icebp */
	INSN_INT_N,		/* cd ib */
	INSN_INTO,		/* ce: invalid in 64-bit mode, never returned */
	INSN_IRET,		/* cf: iret/iretd/iretq */
	INSN_SYSCALL,		/* 0f 05 syscall, 0f 34 sysenter */
	INSN_SYSRET,		/* 0f 07 sysret, 0f 35 sysexit */
	INSN_PUSHF,		/* 9c */
	INSN_POPF,		/* 9d */
	INSN_CLI,		/* fa */
	INSN_STI,		/* fb */
	INSN_HLT,		/* f4 */
	INSN_UD2,		/* 0f 0b ud2, 0f b9 ud1, 0f ff ud0 */
	INSN_NR_KINDS
};

/* How the opcode was reached: the escape bytes or the VEX/EVEX map field. */
enum insn_map {
	INSN_MAP_1BYTE = 0,	/* no escape */
	INSN_MAP_0F = 1,	/* 0f xx, or VEX/EVEX map 1 */
	INSN_MAP_0F38 = 2,	/* 0f 38 xx, or map 2 */
	INSN_MAP_0F3A = 3,	/* 0f 3a xx, or map 3 */
	INSN_MAP_EVEX5 = 5,	/* EVEX map 5 (AVX512-FP16) */
	INSN_MAP_EVEX6 = 6,	/* EVEX map 6 (AVX512-FP16) */
	INSN_MAP_XOP8 = 8,	/* AMD XOP maps 8, 9 and 0xa */
	INSN_MAP_XOP9 = 9,
	INSN_MAP_XOPA = 10,
};

enum insn_encoding {
	INSN_ENC_LEGACY = 0,	/* optional legacy prefixes and REX */
	INSN_ENC_VEX2,		/* c5 xx */
	INSN_ENC_VEX3,		/* c4 xx xx */
	INSN_ENC_EVEX,		/* 62 xx xx xx */
	INSN_ENC_XOP,		/* 8f xx xx (AMD only) */
};

/* A field of the instruction: its value, its size and where it starts. */
struct insn_field {
	int64_t value;		/* sign-extended from 'size' bytes */
	uint8_t size;		/* 0 if absent */
	uint8_t offset;		/* byte offset within the instruction */
};

struct insn {
	uint8_t length;			/* total bytes, 1..INSN_MAX_LEN */

	struct {
		uint8_t bytes[INSN_MAX_LEN - 1];	/* in order */
		uint8_t nr;
		uint8_t segment;	/* last of 26 2e 36 3e 64 65, or 0 */
		bool lock;		/* f0 */
		bool rep;		/* f3 (rep/repe, or mandatory) */
		bool repne;		/* f2 (repne, bnd, or mandatory) */
		bool opsize;		/* 66 */
		bool adsize;		/* 67 */
		uint8_t mandatory;	/* 0, 0x66, 0xf3 or 0xf2: selects SSE forms */
	} prefix;			/* legacy prefixes */

	uint8_t rex;			/* the REX byte in effect (0x40-0x4f), or 0 */
	bool rex_w;			/* REX.W, VEX.W or EVEX.W */

	enum insn_encoding encoding;
	struct {
		uint8_t bytes[4];	/* c5 xx, c4 xx xx, 8f xx xx, 62 xx xx xx */
		uint8_t size;
		uint8_t offset;
		uint8_t vvvv;		/* the extra register, un-inverted (0-31) */
		uint8_t l;		/* vector length: 0 = 128 ... 2 = 512 */
		uint8_t pp;		/* implied prefix: 0, 1 = 66, 2 = f3, 3 = f2 */
		uint8_t aaa;		/* EVEX opmask register */
		bool z;			/* EVEX zeroing */
		bool b;			/* EVEX broadcast / rounding / sae */
	} vex;				/* VEX, EVEX, XOP fields (size 0 if legacy) */

	struct {
		uint8_t bytes[3];	/* escapes and the opcode, e.g. 0f 38 f0 */
		uint8_t nr;
		uint8_t value;		/* the opcode byte proper (the last one) */
		uint8_t offset;		/* of bytes[0] within the instruction */
		enum insn_map map;
	} opcode;

	struct {
		bool present;
		uint8_t byte, mod, reg, rm;	/* reg and rm without REX bits */
		uint8_t offset;
	} modrm;

	struct {
		bool present;
		uint8_t byte, scale, index, base;	/* scale: 0-3 (1 << scale) */
		uint8_t offset;
	} sib;

	/*
	 * The ModRM displacement (disp8 or disp32; EVEX disp8 is not scaled
	 * by N here), or for a0-a3 the absolute moffs address (8 bytes, 4 with
	 * 67). For relative branches the displacement is in imm, not here.
	 */
	struct insn_field disp;
	/*
	 * The immediate; for jb/jz branches the signed displacement. For
	 * 3DNow! (0f 0f) it is the byte that names the operation.
	 */
	struct insn_field imm;
	/* A second immediate: enter's imm8, extrq/insertq's second imm8. */
	struct insn_field imm2;

	uint8_t opnd_bytes;		/* operand size: 2, 4 or 8 */
	uint8_t addr_bytes;		/* address size: 4 or 8 */

	bool rip_relative;		/* ModRM addresses [rip + disp32] */
	uint8_t rip_disp_offset;	/* where that disp32 is (== disp.offset) */

	enum insn_kind kind;
	bool far;			/* far call/jmp/ret (through a selector) */
};

/**
 * insn_decode - decode one x86-64 (64-bit mode) instruction
 * @insn: filled in on success; undefined contents on error
 * @buf: the instruction's first byte
 * @buf_len: bytes readable at @buf; at most INSN_MAX_LEN are ever read
 *
 * Context: any; reads only @buf[0 .. min(@buf_len, 15) - 1].
 * Returns 0, or -EILSEQ if the bytes are not a complete, valid instruction:
 * an undefined or 64-bit-invalid opcode, a prefix that makes it #UD (e.g.
 * 66/f2/f3/lock/REX before VEX), more than 15 bytes, fewer bytes than the
 * instruction needs within @buf_len, or call/jmp/jcc rel32 with a 66
 * prefix (Intel reads rel32, AMD rel16: the decoder refuses to guess).
 */
int insn_decode(struct insn *insn, const void *buf, size_t buf_len);

/* insn_kind_name - "call_rel32", "jcc_rel8" ...; "?" for a bad value. */
const char *insn_kind_name(enum insn_kind kind);

/* insn_is_rel_branch - true for call/jmp/jcc/loop/xbegin with a rel operand. */
bool insn_is_rel_branch(const struct insn *insn);

/**
 * insn_branch_target - where a relative branch goes
 * @insn: a decoded instruction
 * @addr: the address of its first byte
 * @target: set to addr + length + displacement
 *
 * Returns 0; -EINVAL if @insn is not a relative branch; -EOPNOTSUPP for a
 * rel8 branch with a 66 prefix, whose target AMD truncates to 16 bits and
 * Intel does not.
 */
int insn_branch_target(const struct insn *insn, uint64_t addr, uint64_t *target);

/**
 * insn_rip_target - the address a RIP-relative operand refers to
 * @insn: a decoded instruction
 * @addr: the address of its first byte
 * @target: set to addr + length + disp32 (truncated to 32 bits with 67)
 *
 * Returns 0, or -EINVAL if @insn has no RIP-relative operand. Code that
 * copies an instruction elsewhere (kprobes' out-of-line slots) rewrites the
 * disp32 at rip_disp_offset so that this target stays the same.
 */
int insn_rip_target(const struct insn *insn, uint64_t addr, uint64_t *target);

#endif /* _ASM_X86_INSN_H */
