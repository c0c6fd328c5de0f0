// SPDX-License-Identifier: MIT
/*
 * The instruction printer's operands (the mnemonic and the prefixes are
 * insn_print.c's). An instruction's operands come from the opcode map as
 * codes in Intel (SDM) order, e.g. "Ev,Gv"; this file knows the codes:
 *
 *   Eb Ew Ed Eq Ev  ModRM r/m: register or memory, of that size
 *   Gb Gw Gd Gq Gv  ModRM.reg register      Zb Zv   register in opcode bits
 *   M               memory of no size        Rq     ModRM r/m, always a register
 *   AL rAX eAX CL   fixed registers          dx     (%dx) of in/out
 *   Sw Cd Dd        segment, control and debug registers (ModRM.reg)
 *   FS GS           %fs, %gs (push/pop)
 *   Ib Iw Iz Iv     immediate as encoded; Ibs: imm8 sign-extended
 *   I2              enter's second immediate
 *   Jb Jz           relative branch: the target and its symbol
 *   Ob Ov           moffs address              1       implied 1: not shown
 *   Xb Xv Xz Yb Yv Yz  string operands %ds:(%rsi) and %es:(%rdi); Xbx (%rbx)
 *   *E.. *M         indirect branch target, printed after a '*'
 *   %...            printed as written
 *
 * with v the operand size (2, 4 or 8 bytes), z 2 or 4, and y 4 bytes, 8
 * with REX.W, whatever 66 says (adcx, crc32). Each operand notes in
 * struct out what it used - REX bits, the operand size, a memory operand
 * and its size - for the mnemonic's suffix and the prefix words.
 */
#include "insn_print_internal.h"
#include <lib/string.h>

static const char *const reg64[16] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};
static const char *const reg32[16] = {
	"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
	"r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d",
};
static const char *const reg16[16] = {
	"ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
	"r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w",
};
/* With any REX prefix, 4-7 are spl..dil instead of ah..bh. */
static const char *const reg8_rex[16] = {
	"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
	"r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b",
};
static const char *const reg8_legacy[8] = {
	"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh",
};
static const char *const sreg_names[8] = {
	"es", "cs", "ss", "ds", "fs", "gs", "?", "?",
};

static void put_hex(struct out *o, uint64_t v)
{
	o->len += scnprintf(o->buf + o->len, o->size - o->len, "0x%llx",
			    (unsigned long long)v);
}

/* A displacement: signed, "-0x2a" or "0x8". */
static void put_signed(struct out *o, int64_t v)
{
	if (v < 0) {
		put(o, "-");
		put_hex(o, -(uint64_t)v);
	} else {
		put_hex(o, v);
	}
}

void insn_put_target(struct out *o, uint64_t addr)
{
	char name[160];

	o->len += scnprintf(o->buf + o->len, o->size - o->len, "%llx",
			    (unsigned long long)addr);
	if (o->sym && o->sym(addr, name, sizeof(name), o->arg)) {
		put(o, " <");
		put(o, name);
		put(o, ">");
	}
}

/* Operand size in bytes for a size letter: b w d q, v (2/4/8), z (2/4). */
static unsigned int size_of(struct out *o, char c)
{
	unsigned int v = o->insn->opnd_bytes;

	switch (c) {
	case 'b': return 1;
	case 'w': return 2;
	case 'd': return 4;
	case 'q': return 8;
	case 'y':		/* 4, or 8 with REX.W; 66 does not matter */
		if (o->insn->rex_w)
			o->rex_used |= REX_W;
		return o->insn->rex_w ? 8 : 4;
	case 'z':
		o->used_opsize = true;
		return v == 2 ? 2 : 4;
	default:
		o->used_opsize = true;
		return v;
	}
}

static void put_reg(struct out *o, unsigned int n, unsigned int size)
{
	const char *name;

	put(o, "%");
	switch (size) {
	case 1:
		o->byte_reg = true;
		name = o->insn->rex ? reg8_rex[n] : reg8_legacy[n & 7];
		break;
	case 2: name = reg16[n]; break;
	case 4: name = reg32[n]; break;
	default: name = reg64[n]; break;
	}
	put(o, name);
}

/* REX bit @bit extends a 3-bit register field: note it was used. */
static unsigned int rex_ext(struct out *o, unsigned int bit)
{
	if (!(o->insn->rex & bit))
		return 0;
	o->rex_used |= bit;
	return 8;
}

/* An address register: 64-bit, or 32-bit under a 67 prefix. */
static void put_areg(struct out *o, unsigned int n)
{
	put(o, "%");
	put(o, o->insn->addr_bytes == 4 ? reg32[n] : reg64[n]);
}

/* "%fs:" for an fs/gs override; the others mean nothing in 64-bit mode. */
static void put_segment(struct out *o)
{
	uint8_t s = o->insn->prefix.segment;

	if (s == 0x64)
		put(o, "%fs:");
	else if (s == 0x65)
		put(o, "%gs:");
}

/* base and index of a SIB memory operand: "(%rax,%rcx,8)" and the like. */
static void put_sib(struct out *o, bool no_base)
{
	const struct insn *in = o->insn;
	unsigned int index = in->sib.index + rex_ext(o, REX_X);
	/* index 4 without REX.X means no index; objdump shows it as %riz
	 * unless the SIB byte was only there to name %rsp/%r12 as base. */
	bool riz = index == 4 && (in->sib.scale || (in->sib.base != 4 && !no_base));

	put(o, "(");
	if (!no_base)
		put_areg(o, in->sib.base + rex_ext(o, REX_B));
	if (index != 4) {
		put(o, ",");
		put_areg(o, index);
	} else if (riz) {
		put(o, in->addr_bytes == 4 ? ",%eiz" : ",%riz");
	}
	if (index != 4 || riz)
		o->len += scnprintf(o->buf + o->len, o->size - o->len, ",%u",
				    1u << in->sib.scale);
	put(o, ")");
}

/* A ModRM memory operand in AT&T form: seg:disp(base,index,scale). */
static void put_mem(struct out *o)
{
	const struct insn *in = o->insn;
	bool no_base = in->sib.present && in->modrm.mod == 0 && in->sib.base == 5;

	o->used_mem = true;
	put_segment(o);
	if (in->rip_relative) {
		put_signed(o, in->disp.value);
		put(o, in->addr_bytes == 4 ? "(%eip)" : "(%rip)");
		o->has_rip = true;
		insn_rip_target(in, o->addr, &o->rip_target);
		return;
	}
	if (no_base && in->sib.index == 4 && !(in->rex & REX_X) && !in->sib.scale) {
		/* No base, no index: an absolute address, shown unsigned. */
		put_hex(o, in->addr_bytes == 4 ? (uint32_t)in->disp.value
				: (uint64_t)in->disp.value);
		return;
	}
	if (in->disp.size)
		put_signed(o, in->disp.value);
	if (in->sib.present) {
		put_sib(o, no_base);
		return;
	}
	put(o, "(");
	put_areg(o, in->modrm.rm + rex_ext(o, REX_B));
	put(o, ")");
}

/* ModRM r/m as a register of @size bytes, or as memory. */
static void put_rm(struct out *o, unsigned int size)
{
	if (o->insn->modrm.mod == 3) {
		o->sized_reg = true;
		put_reg(o, o->insn->modrm.rm + rex_ext(o, REX_B), size);
	} else {
		o->mem_size = size;
		put_mem(o);
	}
}

/* An immediate of @size bytes as encoded (sign-extended by the decoder). */
static void put_imm(struct out *o, int64_t v, unsigned int size)
{
	uint64_t u = (uint64_t)v;

	if (size < 8)
		u &= (1ull << (8 * size)) - 1;
	put(o, "$");
	put_hex(o, u);
}

/* The string operands: %ds:(%rsi) (or fs/gs), %es:(%rdi), %ds:(%rbx). */
static void put_string(struct out *o, const char *op)
{
	o->used_mem = true;
	if (op[0] == 'X') {
		if (o->insn->prefix.segment == 0x64 || o->insn->prefix.segment == 0x65)
			put_segment(o);
		else
			put(o, "%ds:");
	} else {
		put(o, "%es:");
	}
	put(o, "(");
	put_areg(o, op[0] == 'Y' ? 7 : !strcmp(op, "Xbx") ? 3 : 6);
	put(o, ")");
	if (op[1] != 'x')
		o->mem_size = size_of(o, op[1]);
}

/* Operands that name a register directly. */
static bool put_fixed_reg(struct out *o, const char *op)
{
	const struct insn *in = o->insn;

	if (!strcmp(op, "AL")) {
		put_reg(o, 0, 1);
	} else if (!strcmp(op, "rAX")) {
		put_reg(o, 0, size_of(o, 'v'));
	} else if (!strcmp(op, "eAX")) {
		put_reg(o, 0, size_of(o, 'z'));
	} else if (!strcmp(op, "CL")) {
		put(o, "%cl");
		return true;		/* a count: says nothing about the size */
	} else if (!strcmp(op, "dx")) {
		put(o, "(%dx)");
		return true;
	} else if (!strcmp(op, "FS") || !strcmp(op, "GS")) {
		put(o, op[0] == 'F' ? "%fs" : "%gs");
	} else if (!strcmp(op, "Sw")) {
		put(o, "%");
		put(o, sreg_names[in->modrm.reg]);
	} else if (op[0] == 'C' || op[0] == 'D') {
		o->len += scnprintf(o->buf + o->len, o->size - o->len, "%%%s%u",
				    op[0] == 'C' ? "cr" : "db",
				    in->modrm.reg + rex_ext(o, REX_R));
	} else if (!strcmp(op, "Rq")) {
		put_reg(o, in->modrm.rm + rex_ext(o, REX_B), 8);
	} else {
		return false;
	}
	o->sized_reg = true;
	return true;
}

/* Immediates, branch targets and moffs. */
static bool put_value(struct out *o, const char *op)
{
	const struct insn *in = o->insn;
	uint64_t target;

	if (op[0] == 'I' && op[1] == '2') {
		put_imm(o, in->imm2.value, 1);
	} else if (!strcmp(op, "Ibs")) {
		put_imm(o, in->imm.value, size_of(o, 'v'));
	} else if (op[0] == 'I') {
		/* Iz and Iv are sign-extended to the operand size. */
		put_imm(o, in->imm.value, op[1] == 'b' ? 1 : op[1] == 'w' ? 2 : size_of(o, 'v'));
	} else if (op[0] == 'J') {
		target = o->addr + in->length + (uint64_t)in->imm.value;
		insn_put_target(o, target);
	} else if (op[0] == 'O') {
		o->used_mem = true;
		put_segment(o);
		put_hex(o, in->addr_bytes == 4 ? (uint32_t)in->disp.value : (uint64_t)in->disp.value);
		o->mem_size = size_of(o, op[1]);
	} else {
		return false;
	}
	return true;
}

/* One operand, in its own right (no separator). */
static void put_operand(struct out *o, const char *op)
{
	const struct insn *in = o->insn;

	if (op[0] == '%') {
		put(o, op);
	} else if (op[0] == '*') {
		put(o, "*");
		put_operand(o, op + 1);
	} else if (op[0] == 'E') {
		put_rm(o, size_of(o, op[1]));
	} else if (op[0] == 'M') {
		put_mem(o);
	} else if (op[0] == 'G') {
		o->sized_reg = true;
		put_reg(o, in->modrm.reg + rex_ext(o, REX_R), size_of(o, op[1]));
	} else if (op[0] == 'Z') {
		o->sized_reg = true;
		put_reg(o, (in->opcode.value & 7) + rex_ext(o, REX_B), size_of(o, op[1]));
	} else if (op[0] == 'X' || op[0] == 'Y') {
		put_string(o, op);
	} else if (!put_fixed_reg(o, op) && !put_value(o, op)) {
		put(o, "?");		/* a map typo: visible, not a crash */
	}
}

/*
 * The operands of @ops ("Ev,Gv") into @o, in AT&T order: the reverse of
 * the map's Intel order. Each goes into its own buffer first.
 */
#define MAX_OPS 4
void insn_put_operands(struct out *o, const char *ops)
{
	char text[MAX_OPS][96], one[16];
	unsigned int n = 0, i, len;
	struct out sub;

	while (*ops && n < MAX_OPS) {
		for (len = 0; ops[len] && ops[len] != ','; len++)
			;
		if (len >= sizeof(one))
			len = sizeof(one) - 1;
		memcpy(one, ops, len);
		one[len] = '\0';
		ops += len + (ops[len] == ',');
		if (!strcmp(one, "1"))
			continue;		/* shift by one: objdump omits it */
		sub = *o;
		sub.buf = text[n];
		sub.size = sizeof(text[n]);
		sub.len = 0;
		put_operand(&sub, one);
		/* Keep what the operand learned, not where it wrote. */
		sub.buf = o->buf;
		sub.size = o->size;
		sub.len = o->len;
		*o = sub;
		n++;
	}
	for (i = n; i-- > 0;) {
		put(o, text[i]);
		if (i)
			put(o, ",");
	}
}
