// SPDX-License-Identifier: MIT
/*
 * Building code to patch in: the one place that knows how a moved
 * instruction keeps its meaning and how a template copy gets its own
 * operands (asm/text-patching.h has the contract, and text_gen_insn() for
 * the single instructions: call, jmp, int3).
 *
 * Its users are ftrace's per-ops trampolines (arch/x86/ftrace.c), kprobes'
 * out-of-line slots (kprobes/core.c) and optimized-probe detours
 * (kprobes/opt.c). Nothing here writes code: the callers build their bytes
 * in a buffer and hand it to text_poke(). The file knows no kernel state,
 * so the host tests run it as it is (tests/host/test_text_gen.c).
 */
#include <asm/insn.h>
#include <asm/text-patching.h>
#include <lib/errno.h>
#include <lib/string.h>

const u8 x86_nop5[NOP5_INSN_SIZE] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
const u8 x86_int3[INT3_INSN_SIZE] = { INT3_INSN_OPCODE };

/*
 * A RIP-relative operand addresses (instruction end + disp32). Moved by
 * @to - @from bytes, the instruction needs its disp32 smaller by as much
 * to reach the same address; the sum must still fit in 32 bits.
 */
int text_relocate_insn(u8 *dst, const u8 *src, const struct insn *in, unsigned long from,
		       unsigned long to)
{
	s64 disp;
	s32 disp32;

	memcpy(dst, src, in->length);
	if (!in->rip_relative)
		return 0;
	disp = in->disp.value + (s64)(from - to);
	disp32 = (s32)disp;
	if (disp != disp32)
		return -ERANGE;
	memcpy(dst + in->rip_disp_offset, &disp32, sizeof(disp32));
	return 0;
}

void text_template_copy(struct text_template *t, u8 *buf, const char *start, const char *end,
			unsigned long base)
{
	memcpy(buf, start, end - start);
	*t = (struct text_template){ .start = start, .buf = buf, .base = base };
}

/* The decoder finds the immediate, so the template may use any register. */
int text_template_set_imm64(const struct text_template *t, const char *label, u64 value)
{
	size_t off = label - t->start;
	struct insn in;

	if (insn_decode(&in, label, INSN_MAX_LEN) || in.imm.size != sizeof(value))
		return -EILSEQ;
	memcpy(t->buf + off + in.imm.offset, &value, sizeof(value));
	return 0;
}

/* The template's own rel32 is meaningless in the copy: it is rewritten
 * whole, from where the copy's call will be. */
void text_template_set_call(const struct text_template *t, const char *label,
			    unsigned long dest)
{
	size_t off = label - t->start;

	text_gen_insn(t->buf + off, CALL_INSN_OPCODE, t->base + off, dest);
}
