// SPDX-License-Identifier: MIT
/*
 * Host tests for the x86 encoder (arch/x86/text_gen.c and text_gen_insn()
 * in asm/text-patching.h): what it writes is checked by decoding it back
 * with the instruction decoder, so the two must agree on every encoding
 * ftrace and kprobes patch in.
 */
#include <criterion/criterion.h>
#include <string.h>

#include <asm/insn.h>
#include <asm/text-patching.h>
#include <lib/errno.h>

/* Decode @buf and return where the branch at @addr goes. */
static uint64_t branch_target(const u8 *buf, unsigned long addr, enum insn_kind kind)
{
	struct insn in;
	uint64_t target;

	cr_assert_eq(insn_decode(&in, buf, INSN_MAX_LEN), 0);
	cr_assert_eq(in.kind, kind);
	cr_assert_eq(insn_branch_target(&in, addr, &target), 0);
	return target;
}

Test(text_gen, call_and_jmp_reach_their_destination)
{
	u8 buf[INSN_MAX_LEN] = { 0 };
	unsigned long at = 0xffffffff80100000ul;

	cr_assert_eq(text_gen_insn(buf, CALL_INSN_OPCODE, at, at + 0x1234), CALL_INSN_SIZE);
	cr_assert_eq(buf[0], 0xe8);
	cr_assert_eq(branch_target(buf, at, INSN_CALL_REL32), at + 0x1234);

	cr_assert_eq(text_gen_insn(buf, JMP32_INSN_OPCODE, at, at - 0x7000), JMP32_INSN_SIZE);
	cr_assert_eq(buf[0], 0xe9);
	cr_assert_eq(branch_target(buf, at, INSN_JMP_REL32), at - 0x7000);

	/* A jmp to the next instruction: rel32 0 */
	text_gen_insn(buf, JMP32_INSN_OPCODE, at, at + JMP32_INSN_SIZE);
	cr_assert_eq(memcmp(buf, (u8[]){ 0xe9, 0, 0, 0, 0 }, 5), 0);
}

Test(text_gen, int3_and_nop5)
{
	u8 buf[2] = { 0, 0x55 };
	struct insn in;

	cr_assert_eq(text_gen_insn(buf, INT3_INSN_OPCODE, 0, 0), INT3_INSN_SIZE);
	cr_assert_eq(buf[0], 0xcc);
	cr_assert_eq(buf[1], 0x55, "int3 is one byte: the next is untouched");
	cr_assert_eq(x86_int3[0], INT3_INSN_OPCODE);

	cr_assert_eq(insn_decode(&in, x86_nop5, NOP5_INSN_SIZE), 0);
	cr_assert_eq(in.length, NOP5_INSN_SIZE);
}

Test(text_gen, relocated_rip_operand_reaches_the_same_data)
{
	/* mov 0x10(%rip),%rax at 0x1000 reads 0x1000 + 7 + 0x10 */
	static const u8 mov[] = { 0x48, 0x8b, 0x05, 0x10, 0, 0, 0 };
	u8 copy[sizeof(mov)];
	struct insn in, moved;
	uint64_t target;

	cr_assert_eq(insn_decode(&in, mov, sizeof(mov)), 0);
	cr_assert_eq(text_relocate_insn(copy, mov, &in, 0x1000, 0x9000), 0);
	cr_assert_eq(insn_decode(&moved, copy, sizeof(copy)), 0);
	cr_assert_eq(insn_rip_target(&moved, 0x9000, &target), 0);
	cr_assert_eq(target, 0x1000 + 7 + 0x10);
	cr_assert_eq(memcmp(copy, mov, 3), 0, "only the disp32 changes");
}

Test(text_gen, relocation_out_of_reach_is_refused)
{
	static const u8 mov[] = { 0x48, 0x8b, 0x05, 0x10, 0, 0, 0 };
	u8 copy[sizeof(mov)];
	struct insn in;

	cr_assert_eq(insn_decode(&in, mov, sizeof(mov)), 0);
	cr_assert_eq(text_relocate_insn(copy, mov, &in, 0x1000, 0x1000 + (3ul << 30)), -ERANGE);
}

Test(text_gen, other_instructions_are_copied_as_they_are)
{
	static const u8 push_mov[] = { 0x48, 0x89, 0xe5 };	/* mov %rsp,%rbp */
	u8 copy[sizeof(push_mov)];
	struct insn in;

	cr_assert_eq(insn_decode(&in, push_mov, sizeof(push_mov)), 0);
	cr_assert_eq(text_relocate_insn(copy, push_mov, &in, 0x1000, 0x7fff0000), 0);
	cr_assert_eq(memcmp(copy, push_mov, sizeof(copy)), 0);
}

Test(text_gen, template_copy_gets_its_own_operands)
{
	/* movabs $0,%rdi; call .+5; ret - as ftrace_64.S's templates hold */
	static const char tmpl[] = { 0x48, (char)0xbf, 0, 0, 0, 0, 0, 0, 0, 0,
				     (char)0xe8, 0, 0, 0, 0, (char)0xc3 };
	unsigned long base = 0xffffffffc0001000ul;
	u8 buf[sizeof(tmpl)];
	struct text_template t;
	u64 imm;

	text_template_copy(&t, buf, tmpl, tmpl + sizeof(tmpl), base);
	cr_assert_eq(text_template_set_imm64(&t, tmpl, 0x1122334455667788ull), 0);
	text_template_set_call(&t, tmpl + 10, base + 0x500);
	memcpy(&imm, buf + 2, sizeof(imm));
	cr_assert_eq(imm, 0x1122334455667788ull);
	cr_assert_eq(branch_target(buf + 10, base + 10, INSN_CALL_REL32), base + 0x500);
	cr_assert_eq(buf[15], 0xc3, "the rest of the template is copied");
	/* The call has no 8-byte immediate to set. */
	cr_assert_eq(text_template_set_imm64(&t, tmpl + 10, 1), -EILSEQ);
}
