// SPDX-License-Identifier: MIT
/*
 * Host tests for the x86-64 instruction decoder (arch/x86/insn.c).
 *
 * A table of hand-assembled instructions, one or more for each kind and
 * for each corner of the encoding (prefixes, REX, VEX, EVEX, XOP, ModRM and
 * SIB forms, RIP-relative operands, every immediate shape), each with its
 * expected length and kind; every proper prefix of each must be -EILSEQ.
 * Then the encodings that must be refused, the 15-byte limit, and the
 * helpers that compute branch and RIP-relative targets. The wide checks
 * against objdump and capstone live in tools/insn-oracle.
 */
#include <criterion/criterion.h>
#include <string.h>

#include <asm/insn.h>
#include <lib/compiler.h>
#include <lib/errno.h>

struct insn_case {
	const char *name;
	uint8_t bytes[INSN_MAX_LEN + 1];
	unsigned int len;		/* expected length */
	enum insn_kind kind;
	bool rip;
};

#define K(n, k, r, ...) { n, { __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ }), k, r }
#define ORD INSN_ORDINARY

static const struct insn_case cases[] = {
	/* every kind */
	K("call rel32", INSN_CALL_REL32, false, 0xe8, 0x10, 0, 0, 0),
	K("jmp rel8", INSN_JMP_REL8, false, 0xeb, 0xfe),
	K("jmp rel32", INSN_JMP_REL32, false, 0xe9, 0, 1, 0, 0),
	K("jne rel8", INSN_JCC_REL8, false, 0x75, 0x02),
	K("jg rel32", INSN_JCC_REL32, false, 0x0f, 0x8f, 0, 0, 0, 0x80),
	K("loopne", INSN_LOOP, false, 0xe0, 0xfe),
	K("loope", INSN_LOOP, false, 0xe1, 0xfe),
	K("loop", INSN_LOOP, false, 0xe2, 0xfe),
	K("jrcxz", INSN_LOOP, false, 0xe3, 0x00),
	K("jecxz", INSN_LOOP, false, 0x67, 0xe3, 0x00),
	K("xbegin", INSN_XBEGIN, false, 0xc7, 0xf8, 0x10, 0, 0, 0),
	K("ret", INSN_RET, false, 0xc3),
	K("rep ret", INSN_RET, false, 0xf3, 0xc3),
	K("ret imm16", INSN_RET_IMM, false, 0xc2, 0x08, 0x00),
	K("retf", INSN_RET, false, 0xcb),
	K("retf imm16", INSN_RET_IMM, false, 0xca, 0x10, 0x00),
	K("call *%rax", INSN_CALL_INDIRECT, false, 0xff, 0xd0),
	K("call *0x8(%rip)", INSN_CALL_INDIRECT, true, 0xff, 0x15, 8, 0, 0, 0),
	K("notrack call *(%rax)", INSN_CALL_INDIRECT, false, 0x3e, 0xff, 0x10),
	K("lcall *(%rsp)", INSN_CALL_INDIRECT, false, 0xff, 0x1c, 0x24),
	K("jmp *%rax", INSN_JMP_INDIRECT, false, 0xff, 0xe0),
	K("jmp *0x0(%rip)", INSN_JMP_INDIRECT, true, 0xff, 0x25, 0, 0, 0, 0),
	K("ljmp *(%rax)", INSN_JMP_INDIRECT, false, 0xff, 0x28),
	K("int3", INSN_INT3, false, 0xcc),
	K("int1", INSN_INT1, false, 0xf1),
	K("int $0x80", INSN_INT_N, false, 0xcd, 0x80),
	K("iretq", INSN_IRET, false, 0x48, 0xcf),
	K("syscall", INSN_SYSCALL, false, 0x0f, 0x05),
	K("sysenter", INSN_SYSCALL, false, 0x0f, 0x34),
	K("sysretq", INSN_SYSRET, false, 0x48, 0x0f, 0x07),
	K("pushf", INSN_PUSHF, false, 0x9c),
	K("popf", INSN_POPF, false, 0x9d),
	K("pushfw", INSN_PUSHF, false, 0x66, 0x9c),
	K("cli", INSN_CLI, false, 0xfa),
	K("sti", INSN_STI, false, 0xfb),
	K("hlt", INSN_HLT, false, 0xf4),
	K("ud2", INSN_UD2, false, 0x0f, 0x0b),
	K("ud1", INSN_UD2, false, 0x0f, 0xb9, 0x40, 0x10),
	K("ud0", INSN_UD2, false, 0x0f, 0xff, 0xc0),
	/* ordinary instructions, by shape */
	K("nop", ORD, false, 0x90),
	K("pause", ORD, false, 0xf3, 0x90),
	K("push %rbp", ORD, false, 0x55),
	K("push %r12", ORD, false, 0x41, 0x54),
	K("mov %rsp,%rbp", ORD, false, 0x48, 0x89, 0xe5),
	K("nopl 0x0(%rax)", ORD, false, 0x0f, 0x1f, 0x40, 0x00),
	K("nopw 0x0(%rax,%rax,1)", ORD, false, 0x66, 0x0f, 0x1f, 0x44, 0, 0),
	K("5-byte nop", ORD, false, 0x0f, 0x1f, 0x44, 0x00, 0x00),
	K("cs nopw 11 bytes", ORD, false, 0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84,
	  0, 0, 0, 0, 0),
	K("endbr64", ORD, false, 0xf3, 0x0f, 0x1e, 0xfa),
	K("lea 0x10(%rip),%rdi", ORD, true, 0x48, 0x8d, 0x3d, 0x10, 0, 0, 0),
	K("mov 0x0(%rip),%rax", ORD, true, 0x48, 0x8b, 0x05, 0, 0, 0, 0),
	K("lea (%eip)", ORD, true, 0x67, 0x8d, 0x05, 0, 0, 0, 0),
	K("movl $1,0x0(%rip)", ORD, true, 0xc7, 0x05, 0, 0, 0, 0, 1, 0, 0, 0),
	K("cmpb $0,0x0(%rip)", ORD, true, 0x80, 0x3d, 0, 0, 0, 0, 0),
	K("mov 0x0,%eax (SIB, no base)", ORD, false, 0x8b, 0x04, 0x25, 0, 0, 0, 0),
	K("mov (%rsp),%rax", ORD, false, 0x48, 0x8b, 0x04, 0x24),
	K("mov 0x8(%rbp,%rcx,4),%eax", ORD, false, 0x8b, 0x44, 0x8d, 0x08),
	K("mov 0x100(%r13),%eax", ORD, false, 0x41, 0x8b, 0x85, 0, 1, 0, 0),
	K("mov (%r13),%eax (mod 1)", ORD, false, 0x41, 0x8b, 0x45, 0x00),
	K("lock cmpxchg", ORD, false, 0xf0, 0x48, 0x0f, 0xb1, 0x17),
	K("add $imm8,%al", ORD, false, 0x04, 0x01),
	K("add $imm32,%eax", ORD, false, 0x05, 1, 2, 3, 4),
	K("add $imm16,%ax", ORD, false, 0x66, 0x05, 1, 2),
	K("add $imm32,%rax", ORD, false, 0x48, 0x05, 1, 2, 3, 4),
	K("imul $imm8", ORD, false, 0x6b, 0xc0, 0x07),
	K("imul $imm32", ORD, false, 0x69, 0xc0, 1, 2, 3, 4),
	K("push $imm8", ORD, false, 0x6a, 0x01),
	K("push $imm32", ORD, false, 0x68, 1, 2, 3, 4),
	K("pushw $imm16", ORD, false, 0x66, 0x68, 1, 2),
	K("mov $imm32,%eax", ORD, false, 0xb8, 1, 2, 3, 4),
	K("mov $imm16,%ax", ORD, false, 0x66, 0xb8, 1, 2),
	K("movabs $imm64,%rax", ORD, false, 0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8),
	K("movabs $imm64,%r15", ORD, false, 0x49, 0xbf, 1, 2, 3, 4, 5, 6, 7, 8),
	K("movabs 0x..,%al (moffs64)", ORD, false, 0xa0, 1, 2, 3, 4, 5, 6, 7, 8),
	K("movabs %rax,0x.. (moffs64)", ORD, false, 0x48, 0xa3, 1, 2, 3, 4, 5, 6, 7, 8),
	K("addr32 mov 0x..,%al (moffs32)", ORD, false, 0x67, 0xa0, 1, 2, 3, 4),
	K("enter $16,$1", ORD, false, 0xc8, 0x10, 0x00, 0x01),
	K("testb $1,%al (f6 /0)", ORD, false, 0xf6, 0xc0, 0x01),
	K("testb $1,(%rax) (f6 /1)", ORD, false, 0xf6, 0x08, 0x01),
	K("notb %al (f6 /2)", ORD, false, 0xf6, 0xd0),
	K("test $imm32,%eax (f7 /0)", ORD, false, 0xf7, 0xc0, 1, 2, 3, 4),
	K("test $imm16,%ax (66 f7 /0)", ORD, false, 0x66, 0xf7, 0xc0, 1, 2),
	K("negq (%rax) (f7 /3)", ORD, false, 0x48, 0xf7, 0x18),
	K("shl $3,%eax", ORD, false, 0xc1, 0xe0, 0x03),
	K("bt $5,%eax", ORD, false, 0x0f, 0xba, 0xe0, 0x05),
	K("mov %cr0,%rax", ORD, false, 0x0f, 0x20, 0xc0),
	K("mov %cr0,%rbp (mod ignored)", ORD, false, 0x0f, 0x20, 0x05),
	K("mov %rax,%dr7", ORD, false, 0x0f, 0x23, 0xf8),
	K("pop %rax (8f /0)", ORD, false, 0x8f, 0xc0),
	K("xabort", ORD, false, 0xc6, 0xf8, 0x01),
	K("movzbl", ORD, false, 0x0f, 0xb6, 0xc0),
	K("popcnt", ORD, false, 0xf3, 0x48, 0x0f, 0xb8, 0xc0),
	K("crc32w (66 f2)", ORD, false, 0x66, 0xf2, 0x0f, 0x38, 0xf1, 0xc0),
	K("rdtscp", ORD, false, 0x0f, 0x01, 0xf9),
	K("swapgs", ORD, false, 0x0f, 0x01, 0xf8),
	K("wrmsr", ORD, false, 0x0f, 0x30),
	K("rdfsbase", ORD, false, 0xf3, 0x48, 0x0f, 0xae, 0xc0),
	K("lfence", ORD, false, 0x0f, 0xae, 0xe8),
	K("fld1 (x87)", ORD, false, 0xd9, 0xe8),
	K("fstps 0x4(%rsp)", ORD, false, 0xd9, 0x5c, 0x24, 0x04),
	K("ffreep", ORD, false, 0xdf, 0xc0),
	K("fwait", ORD, false, 0x9b),
	K("pfmul (3DNow!)", ORD, false, 0x0f, 0x0f, 0xc1, 0xb4),
	K("pavgusb (3DNow!, mem)", ORD, false, 0x0f, 0x0f, 0x40, 0x08, 0xbf),
	K("pxor %xmm0,%xmm0", ORD, false, 0x66, 0x0f, 0xef, 0xc0),
	K("movdqu (%rdi),%xmm1", ORD, false, 0xf3, 0x0f, 0x6f, 0x0f),
	K("pshufd $0x1b", ORD, false, 0x66, 0x0f, 0x70, 0xc1, 0x1b),
	K("psrldq $8 (66 0f 73 /3)", ORD, false, 0x66, 0x0f, 0x73, 0xd8, 0x08),
	K("pshufb (0f 38)", ORD, false, 0x66, 0x0f, 0x38, 0x00, 0xc1),
	K("palignr (0f 3a, imm8)", ORD, false, 0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x04),
	K("pcmpistri rip", ORD, true, 0x66, 0x0f, 0x3a, 0x63, 0x0d, 0, 0, 0, 0, 0x0c),
	K("extrq $2,$1 (SSE4a: two imm8)", ORD, false, 0x66, 0x0f, 0x78, 0xc0, 1, 2),
	K("xsha256 (PadLock)", ORD, false, 0xf3, 0x0f, 0xa6, 0xd0),
	/* VEX, EVEX, XOP */
	K("vzeroupper (VEX2, no ModRM)", ORD, false, 0xc5, 0xf8, 0x77),
	K("vzeroall (VEX3)", ORD, false, 0xc4, 0xe1, 0x7c, 0x77),
	K("vmovdqu (VEX2)", ORD, false, 0xc5, 0xfe, 0x6f, 0x06),
	K("vpxor (VEX2 reg)", ORD, false, 0xc5, 0xf9, 0xef, 0xc0),
	K("vbroadcastss rip (VEX3 0f38)", ORD, true, 0xc4, 0xe2, 0x7d, 0x18, 0x05, 0, 0, 0, 0),
	K("vpalignr (VEX3 0f3a imm8)", ORD, false, 0xc4, 0xe3, 0x7d, 0x0f, 0xc1, 0x04),
	K("vpblendvb (VEX is4)", ORD, false, 0xc4, 0xe3, 0x7d, 0x4c, 0xc1, 0x30),
	K("andn (VEX gpr)", ORD, false, 0xc4, 0xe2, 0xf0, 0xf2, 0xc3),
	K("blsr (VEX group)", ORD, false, 0xc4, 0xe2, 0xf8, 0xf3, 0xcb),
	K("rorx (VEX imm8)", ORD, false, 0xc4, 0xe3, 0xfb, 0xf0, 0xc1, 0x05),
	K("kmovw (VEX mask)", ORD, false, 0xc5, 0xf8, 0x92, 0xc8),
	K("vmovups zmm (EVEX)", ORD, false, 0x62, 0xf1, 0x7c, 0x48, 0x10, 0xc1),
	K("vmovdqu64 rip (EVEX)", ORD, true, 0x62, 0xf1, 0xfe, 0x48, 0x6f, 0x05, 0, 0, 0, 0),
	K("vmovdqu8 disp8 (EVEX)", ORD, false, 0x62, 0xf1, 0x7f, 0x48, 0x6f, 0x46, 0x01),
	K("vpternlogd (EVEX 0f3a imm8)", ORD, false, 0x62, 0xf3, 0x75, 0x48, 0x25, 0xc2, 0x96),
	K("vpcmpeqb k (EVEX)", ORD, false, 0x62, 0xf1, 0x7d, 0x48, 0x74, 0xc1),
	K("vpcmpub k (EVEX 0f3a imm8)", ORD, false, 0x62, 0xf3, 0x7d, 0x48, 0x3e, 0xc1, 0x02),
	K("vaddsd {rn-sae} (EVEX.b reg)", ORD, false, 0x62, 0xe1, 0xbf, 0x1b, 0x58, 0xd2),
	K("vaddph (EVEX map 5)", ORD, false, 0x62, 0xf5, 0x7c, 0x48, 0x58, 0xc0),
	K("vprotd $imm (XOP map 8)", ORD, false, 0x8f, 0xe8, 0x78, 0xc2, 0xec, 0x0e),
	K("vprotd (XOP map 9)", ORD, false, 0x8f, 0xe9, 0x78, 0x92, 0xc1),
	K("bextr $imm32 (XOP map a)", ORD, false, 0x8f, 0xea, 0x78, 0x10, 0xc1, 1, 2, 3, 4),
	K("vfmaddsd (FMA4)", ORD, false, 0xc4, 0xe3, 0xd1, 0x6b, 0xe5, 0x40),
	/* the longest instructions */
	K("15 bytes: 14 prefixes + nop", ORD, false, 0x66, 0x66, 0x66, 0x66,
	  0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x2e, 0x90),
	K("15 bytes: addq $imm32,disp32(%rax,%rcx,4)", ORD, false, 0x26, 0x67,
	  0xf0, 0x48, 0x81, 0x84, 0x88, 1, 2, 3, 4, 5, 6, 7, 8),
	K("REX cancelled by a later prefix", ORD, false, 0x48, 0x66, 0xb8, 1, 2),
};

#define NR_CASES ARRAY_SIZE(cases)

Test(insn, table_lengths_and_kinds)
{
	struct insn insn;
	unsigned int i;

	for (i = 0; i < NR_CASES; i++) {
		const struct insn_case *c = &cases[i];
		int err = insn_decode(&insn, c->bytes, c->len);

		cr_assert_eq(err, 0, "%s: error %d", c->name, err);
		cr_assert_eq(insn.length, c->len, "%s: length %u, want %u",
			     c->name, insn.length, c->len);
		cr_assert_eq(insn.kind, c->kind, "%s: kind %s, want %s", c->name,
			     insn_kind_name(insn.kind), insn_kind_name(c->kind));
		cr_assert_eq(insn.rip_relative, c->rip, "%s: rip-relative %d",
			     c->name, insn.rip_relative);
	}
}

/* The decoder must not care what follows the instruction. */
Test(insn, table_ignores_following_bytes)
{
	uint8_t buf[64];
	struct insn insn;
	unsigned int i;

	for (i = 0; i < NR_CASES; i++) {
		memset(buf, 0x66, sizeof(buf));
		memcpy(buf, cases[i].bytes, cases[i].len);
		cr_assert_eq(insn_decode(&insn, buf, sizeof(buf)), 0, "%s", cases[i].name);
		cr_assert_eq(insn.length, cases[i].len, "%s", cases[i].name);
	}
}

Test(insn, every_truncation_is_eilseq)
{
	struct insn insn;
	unsigned int i, n;

	for (i = 0; i < NR_CASES; i++)
		for (n = 0; n < cases[i].len; n++)
			cr_assert_eq(insn_decode(&insn, cases[i].bytes, n), -EILSEQ,
				     "%s cut to %u bytes", cases[i].name, n);
}

static void decode_ok(struct insn *insn, const uint8_t *b, size_t n)
{
	int err = insn_decode(insn, b, n);

	cr_assert_eq(err, 0, "decode error %d", err);
	cr_assert_eq(insn->length, n);
}

#define DECODE(insn, ...) \
	decode_ok(insn, (const uint8_t[]){ __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ }))

Test(insn, fields_of_sib_disp_imm)
{
	struct insn insn;

	/* lock addq $0x08070605,0x04030201(%rax,%rcx,4) with es, addr32 */
	DECODE(&insn, 0x26, 0x67, 0xf0, 0x48, 0x81, 0x84, 0x88,
	       1, 2, 3, 4, 5, 6, 7, 8);
	cr_assert_eq(insn.prefix.nr, 3);
	cr_assert(insn.prefix.lock && insn.prefix.adsize);
	cr_assert_eq(insn.prefix.segment, 0x26);
	cr_assert_eq(insn.rex, 0x48);
	cr_assert_eq(insn.opnd_bytes, 8);
	cr_assert_eq(insn.addr_bytes, 4);
	cr_assert_eq(insn.opcode.nr, 1);
	cr_assert_eq(insn.opcode.value, 0x81);
	cr_assert_eq(insn.opcode.offset, 4);
	cr_assert(insn.modrm.present);
	cr_assert_eq(insn.modrm.offset, 5);
	cr_assert_eq(insn.modrm.mod, 2);
	cr_assert_eq(insn.modrm.reg, 0);
	cr_assert_eq(insn.modrm.rm, 4);
	cr_assert(insn.sib.present);
	cr_assert_eq(insn.sib.scale, 2);
	cr_assert_eq(insn.sib.index, 1);
	cr_assert_eq(insn.sib.base, 0);
	cr_assert_eq(insn.disp.offset, 7);
	cr_assert_eq(insn.disp.size, 4);
	cr_assert_eq(insn.disp.value, 0x04030201);
	cr_assert_eq(insn.imm.offset, 11);
	cr_assert_eq(insn.imm.size, 4);
	cr_assert_eq(insn.imm.value, 0x08070605);
	cr_assert_not(insn.rip_relative);
}

Test(insn, rip_relative_offsets)
{
	struct insn insn;
	uint64_t target;

	/* movl $1,0x10(%rip): disp32 at 2, then imm32 at 6 */
	DECODE(&insn, 0xc7, 0x05, 0x10, 0, 0, 0, 1, 0, 0, 0);
	cr_assert(insn.rip_relative);
	cr_assert_eq(insn.rip_disp_offset, 2);
	cr_assert_eq(insn.imm.offset, 6);
	cr_assert_eq(insn_rip_target(&insn, 0x1000, &target), 0);
	cr_assert_eq(target, 0x1000 + 10 + 0x10);

	/* vmovdqu64 -0x10(%rip),%zmm0: disp32 after the 4-byte EVEX prefix */
	DECODE(&insn, 0x62, 0xf1, 0xfe, 0x48, 0x6f, 0x05, 0xf0, 0xff, 0xff, 0xff);
	cr_assert(insn.rip_relative);
	cr_assert_eq(insn.rip_disp_offset, 6);
	cr_assert_eq(insn_rip_target(&insn, 0x2000, &target), 0);
	cr_assert_eq(target, 0x2000 + 10 - 0x10);

	/* lea 0x0(%eip): the target wraps at 4 GiB */
	DECODE(&insn, 0x67, 0x8d, 0x05, 0, 0, 0, 0);
	cr_assert_eq(insn_rip_target(&insn, 0xfffffffffffffff0ull, &target), 0);
	cr_assert_eq(target, 0xfffffff7ull);

	/* SIB with base 5 and mod 0 is absolute, not RIP-relative */
	DECODE(&insn, 0x8b, 0x04, 0x25, 0, 0, 0, 0);
	cr_assert_not(insn.rip_relative);
	cr_assert_eq(insn_rip_target(&insn, 0, &target), -EINVAL);
}

Test(insn, branch_targets)
{
	struct insn insn;
	uint64_t target;

	DECODE(&insn, 0xe8, 0x10, 0, 0, 0);
	cr_assert(insn_is_rel_branch(&insn));
	cr_assert_eq(insn_branch_target(&insn, 0x1000, &target), 0);
	cr_assert_eq(target, 0x1015);

	DECODE(&insn, 0xeb, 0xfe);	/* jmp . */
	cr_assert_eq(insn_branch_target(&insn, 0x1000, &target), 0);
	cr_assert_eq(target, 0x1000);

	DECODE(&insn, 0x0f, 0x84, 0xfa, 0xff, 0xff, 0xff);	/* je -6 */
	cr_assert_eq(insn.kind, INSN_JCC_REL32);
	cr_assert_eq(insn_branch_target(&insn, 0x1000, &target), 0);
	cr_assert_eq(target, 0x1000);

	DECODE(&insn, 0xc7, 0xf8, 0x00, 0x01, 0, 0);	/* xbegin */
	cr_assert_eq(insn_branch_target(&insn, 0x1000, &target), 0);
	cr_assert_eq(target, 0x1106);

	/* with REX.W the 66 no longer matters: rel32 */
	DECODE(&insn, 0x66, 0x48, 0xe8, 0, 0, 0, 0);
	cr_assert_eq(insn_branch_target(&insn, 0, &target), 0);

	/* 66 jmp rel8: the length is sure, the target vendor-dependent */
	DECODE(&insn, 0x66, 0xeb, 0x00);
	cr_assert_eq(insn_branch_target(&insn, 0, &target), -EOPNOTSUPP);

	DECODE(&insn, 0xff, 0xd0);	/* call *%rax */
	cr_assert_not(insn_is_rel_branch(&insn));
	cr_assert_eq(insn_branch_target(&insn, 0, &target), -EINVAL);
}

Test(insn, far_transfers)
{
	struct insn insn;

	DECODE(&insn, 0xff, 0x1c, 0x24);	/* lcall *(%rsp) */
	cr_assert(insn.far);
	DECODE(&insn, 0xff, 0x14, 0x24);	/* call *(%rsp) */
	cr_assert_not(insn.far);
	DECODE(&insn, 0xcb);
	cr_assert(insn.far);
	DECODE(&insn, 0xc3);
	cr_assert_not(insn.far);
}

Test(insn, operand_sizes)
{
	struct insn insn;

	DECODE(&insn, 0x50);			/* push %rax: 64-bit by default */
	cr_assert_eq(insn.opnd_bytes, 8);
	DECODE(&insn, 0x66, 0x50);		/* push %ax */
	cr_assert_eq(insn.opnd_bytes, 2);
	DECODE(&insn, 0x89, 0xc0);
	cr_assert_eq(insn.opnd_bytes, 4);
	DECODE(&insn, 0x66, 0x48, 0x89, 0xc0);	/* REX.W beats 66 */
	cr_assert_eq(insn.opnd_bytes, 8);
	DECODE(&insn, 0x48, 0x66, 0x89, 0xc0);	/* ... unless it is cancelled */
	cr_assert_eq(insn.opnd_bytes, 2);
	cr_assert_eq(insn.rex, 0);
}

Test(insn, vex_evex_fields)
{
	struct insn insn;

	/* vpxor %ymm2,%ymm1,%ymm0: c5 f5 ef c2 */
	DECODE(&insn, 0xc5, 0xf5, 0xef, 0xc2);
	cr_assert_eq(insn.encoding, INSN_ENC_VEX2);
	cr_assert_eq(insn.vex.vvvv, 1);
	cr_assert_eq(insn.vex.l, 1);
	cr_assert_eq(insn.vex.pp, 1);
	cr_assert_eq(insn.opcode.map, INSN_MAP_0F);
	cr_assert_eq(insn.opcode.offset, 2);

	/* vpternlogd $0x96,%zmm2,%zmm1,%zmm0{%k1}{z} */
	DECODE(&insn, 0x62, 0xf3, 0x75, 0xc9, 0x25, 0xc2, 0x96);
	cr_assert_eq(insn.encoding, INSN_ENC_EVEX);
	cr_assert_eq(insn.opcode.map, INSN_MAP_0F3A);
	cr_assert_eq(insn.vex.l, 2);
	cr_assert_eq(insn.vex.aaa, 1);
	cr_assert(insn.vex.z);
	cr_assert_eq(insn.vex.vvvv, 1);
	cr_assert_eq(insn.imm.value, (int8_t)0x96);

	DECODE(&insn, 0x8f, 0xe8, 0x78, 0xc2, 0xec, 0x0e);
	cr_assert_eq(insn.encoding, INSN_ENC_XOP);
	cr_assert_eq(insn.opcode.map, INSN_MAP_XOP8);
}

struct bad_case {
	const char *name;
	uint8_t bytes[INSN_MAX_LEN + 2];
	unsigned int len;
};

#define BAD(n, ...) { n, { __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ }) }

/* Followed by enough bytes that only invalidity can fail them. */
static const struct bad_case bad_cases[] = {
	BAD("push es", 0x06), BAD("pop es", 0x07), BAD("push cs", 0x0e),
	BAD("push ss", 0x16), BAD("pop ss", 0x17), BAD("push ds", 0x1e),
	BAD("pop ds", 0x1f), BAD("daa", 0x27), BAD("das", 0x2f),
	BAD("aaa", 0x37), BAD("aas", 0x3f), BAD("pusha", 0x60),
	BAD("popa", 0x61), BAD("82 alias of 80", 0x82, 0xc0, 0x01),
	BAD("call far ptr", 0x9a, 1, 2, 3, 4, 5, 6),
	BAD("into", 0xce), BAD("aam", 0xd4, 0x0a), BAD("aad", 0xd5, 0x0a),
	BAD("salc", 0xd6), BAD("jmp far ptr", 0xea, 1, 2, 3, 4, 5, 6),
	BAD("bound (62 is EVEX: reserved bit)", 0x62, 0x08, 0x7c, 0x48, 0x10, 0xc0),
	BAD("EVEX with P1 bit 2 clear", 0x62, 0xf1, 0x78, 0x48, 0x10, 0xc0),
	BAD("EVEX map 4", 0x62, 0xf4, 0x7c, 0x48, 0x10, 0xc0),
	BAD("VEX map 0", 0xc4, 0xe0, 0x7c, 0x10, 0xc0),
	BAD("VEX map 4", 0xc4, 0xe4, 0x7c, 0x10, 0xc0),
	BAD("REX before VEX", 0x48, 0xc5, 0xf8, 0x77),
	BAD("66 before VEX", 0x66, 0xc5, 0xf8, 0x77),
	BAD("f3 before VEX", 0xf3, 0xc4, 0xe1, 0x7c, 0x77),
	BAD("lock before EVEX", 0xf0, 0x62, 0xf1, 0x7c, 0x48, 0x10, 0xc0),
	BAD("66 call rel32", 0x66, 0xe8, 0, 0, 0, 0),
	BAD("66 jmp rel32", 0x66, 0xe9, 0, 0, 0, 0),
	BAD("66 jcc rel32", 0x66, 0x0f, 0x84, 0, 0, 0, 0),
	BAD("lea with a register", 0x48, 0x8d, 0xc0),
	BAD("call far with a register", 0xff, 0xd8),
	BAD("ff /7", 0xff, 0xf8),
	BAD("fe /2", 0xfe, 0xd0),
	BAD("mov to cs", 0x8e, 0xc8),
	BAD("mov from sreg 6", 0x8c, 0xf0),
	BAD("XOP, bad map", 0x8f, 0xe4, 0x78, 0xc2, 0xc0, 0),
	BAD("XOP, no such opcode", 0x8f, 0xe8, 0x78, 0x00, 0xc0, 0),
	BAD("3DNow!, no such suffix", 0x0f, 0x0f, 0xc0, 0x00),
	BAD("0f 04", 0x0f, 0x04), BAD("0f 0a", 0x0f, 0x0a),
	BAD("0f 24 mov tr", 0x0f, 0x24, 0xc0), BAD("0f 36", 0x0f, 0x36),
	BAD("0f 39", 0x0f, 0x39), BAD("0f 3b", 0x0f, 0x3b),
	BAD("0f 38 ff", 0x0f, 0x38, 0xff, 0xc0),
	BAD("0f 3a ff", 0x0f, 0x3a, 0xff, 0xc0, 0x00),
	BAD("f2 0f bc (no such form)", 0xf2, 0x0f, 0xbc, 0xc0),
	BAD("jmpe (0f b8 without f3)", 0x0f, 0xb8, 0xc0),
	BAD("pshufb xmm without 66 is mmx, f3 has none", 0xf3, 0x0f, 0x38, 0x00, 0xc0),
	BAD("0f 01 d2", 0x0f, 0x01, 0xd2),
	BAD("movbe with a register", 0x0f, 0x38, 0xf0, 0xc0),
	BAD("x87 d9 d8 (alias)", 0xd9, 0xd8),
	BAD("16 bytes", 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	    0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x2e, 0x90),
	BAD("16 bytes of instruction", 0x26, 0x26, 0x67, 0xf0, 0x48, 0x81,
	    0x84, 0x88, 1, 2, 3, 4, 5, 6, 7, 8),
};

Test(insn, invalid_encodings_are_eilseq)
{
	uint8_t buf[32];
	struct insn insn;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		memset(buf, 0, sizeof(buf));
		memcpy(buf, bad_cases[i].bytes, bad_cases[i].len);
		cr_assert_eq(insn_decode(&insn, buf, sizeof(buf)), -EILSEQ,
			     "%s decoded, length %u", bad_cases[i].name, insn.length);
	}
}

Test(insn, empty_buffer)
{
	struct insn insn;

	cr_assert_eq(insn_decode(&insn, "", 0), -EILSEQ);
}

Test(insn, kind_names)
{
	unsigned int k, j;

	for (k = 0; k < INSN_NR_KINDS; k++) {
		const char *name = insn_kind_name(k);

		cr_assert_neq(strcmp(name, "?"), 0, "kind %u has no name", k);
		for (j = 0; j < k; j++)
			cr_assert_neq(strcmp(name, insn_kind_name(j)), 0);
	}
	cr_assert_str_eq(insn_kind_name(INSN_CALL_REL32), "call_rel32");
	cr_assert_str_eq(insn_kind_name(INSN_NR_KINDS), "?");
	cr_assert_str_eq(insn_kind_name((enum insn_kind)-1), "?");
}
