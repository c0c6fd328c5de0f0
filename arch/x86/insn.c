// SPDX-License-Identifier: MIT
/*
 * The x86-64 instruction decoder: given the bytes of one 64-bit-mode
 * instruction, find where each part is and how long the whole is. kprobes
 * uses it to copy an instruction out of line (and to fix a RIP-relative
 * displacement or emulate a branch), ftrace to check the 5-byte call sites
 * it patches, the unwinder and console to step through code.
 *
 * An instruction is, in order (Intel SDM vol. 2, chapter 2):
 *
 *   legacy prefixes   f0 f2 f3, 2e 36 3e 26 64 65, 66, 67 (any order, repeated)
 *   REX               40-4f, only if it comes right before the opcode
 *   or VEX/EVEX/XOP   c5 xx, c4 xx xx, 62 xx xx xx, 8f xx xx (instead of REX
 *                     and escapes)
 *   opcode            xx, 0f xx, 0f 38 xx or 0f 3a xx
 *   ModRM, SIB        if the opcode has them
 *   displacement      0, 1 or 4 bytes (8 for a0-a3's moffs)
 *   immediate(s)      0-8 bytes, depending on the opcode and operand size
 *
 * What each opcode takes comes from the tables that
 * scripts/gen-insn-tables.py builds out of arch/x86/insn-opcode-map.txt;
 * this file only walks the bytes. The decoder checks that the opcode
 * exists for the given prefix form and ModRM.reg/mod/rm, and the prefix
 * rules that matter in 64-bit mode; it does not check lock legality or
 * VEX.L/W and register constraints, which never change the length.
 *
 * Choices where the processors disagree:
 *  - e8/e9/0f 8x with a 66 prefix (and no REX.W) are call/jmp/jcc rel32 on
 *    Intel, which ignores the 66, but rel16 on AMD. Compilers never emit
 *    them; we return -EILSEQ rather than guess a length. With rel8 branches
 *    the length is the same everywhere, so they decode, but only AMD cuts
 *    the target to 16 bits: insn_branch_target() refuses those.
 *  - AMD-only encodings that Intel CPUs fault on are still decoded, because
 *    their lengths are fixed and real binaries carry them behind CPUID
 *    checks: XOP (8f with ModRM.reg != 0; glibc's libm, OpenSSL), FMA4,
 *    3DNow! (0f 0f, the opcode in the last byte) and SSE4a extrq/insertq.
 *  - 0f ff (ud0) takes a ModRM byte, as Intel documents.
 */
#include <asm/insn.h>
#include <lib/errno.h>

/* What follows the opcode (and ModRM/SIB/displacement). */
enum insn_imm {
	INSN_IMM_NONE,
	INSN_IMM_IB,		/* imm8 */
	INSN_IMM_IW,		/* imm16 */
	INSN_IMM_ID,		/* imm32 (XOP map A) */
	INSN_IMM_IZ,		/* imm16 or imm32 (imm32 also with REX.W) */
	INSN_IMM_IV,		/* imm16, imm32 or imm64: mov r, imm */
	INSN_IMM_IW_IB,		/* enter: imm16, imm8 */
	INSN_IMM_IB_IB,		/* extrq/insertq: imm8, imm8 */
	INSN_IMM_JB,		/* rel8 */
	INSN_IMM_JZ,		/* rel32 */
	INSN_IMM_MOFFS,		/* a0-a3: 8-byte address, 4 with 67 */
};

enum {
	INSN_F_MODRM	= 1 << 0,	/* a ModRM byte follows */
	INSN_F_MEM	= 1 << 1,	/* ModRM.mod must not be 3 */
	INSN_F_REG	= 1 << 2,	/* ModRM.mod must be 3 */
	INSN_F_MODIGN	= 1 << 3,	/* mod ignored, always a register */
	INSN_F_D64	= 1 << 4,	/* operand size defaults to 64 bits */
	INSN_F_FAR	= 1 << 5,	/* far transfer */
	INSN_F_3DNOW	= 1 << 6,	/* imm8 is a 3DNow! opcode to check */
	INSN_F_F64	= 1 << 7,	/* near rel32 branch: 66 is ambiguous */
};

/* One row of the generated attribute list; the tables index into it. */
struct insn_attr {
	uint8_t imm;		/* enum insn_imm */
	uint8_t kind;		/* enum insn_kind */
	uint8_t flags;		/* INSN_F_* */
	uint8_t group;		/* 1 + index into insn_group_table, or 0 */
	uint8_t rm_mask;	/* for mod == 3: bit n set if rm == n exists */
};

#include "insn-tables.h"

/* The bytes being decoded and how far we got. */
struct insn_cursor {
	const uint8_t *buf;
	unsigned int limit;	/* min(buf_len, INSN_MAX_LEN): never read past */
	unsigned int pos;
	bool rex_seen;		/* some REX byte, even one later ignored */
	unsigned int form;	/* prefix form / pp: 0 none, 1 66, 2 f3, 3 f2 */
};

/* Take the next byte, or fail if the buffer or the 15-byte limit ends. */
static int next_byte(struct insn_cursor *c, uint8_t *out)
{
	if (c->pos >= c->limit)
		return -EILSEQ;
	*out = c->buf[c->pos++];
	return 0;
}

/* Read a little-endian field of @size bytes, sign-extended. */
static int read_field(struct insn_cursor *c, struct insn_field *f,
		      unsigned int size)
{
	uint64_t v = 0;
	unsigned int i;

	if (size > c->limit - c->pos)
		return -EILSEQ;
	f->offset = c->pos;
	f->size = size;
	for (i = 0; i < size; i++)
		v |= (uint64_t)c->buf[c->pos + i] << (8 * i);
	c->pos += size;
	/* Sign-extend from the top bit of the last byte read. */
	if (size < 8 && (v >> (8 * size - 1)) & 1)
		v |= ~(uint64_t)0 << (8 * size);
	f->value = (int64_t)v;
	return 0;
}

static bool is_legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0xf0: case 0xf2: case 0xf3:
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
	case 0x66: case 0x67:
		return true;
	}
	return false;
}

static void note_prefix(struct insn *insn, uint8_t b)
{
	insn->prefix.bytes[insn->prefix.nr++] = b;
	switch (b) {
	case 0xf0: insn->prefix.lock = true; break;
	case 0xf2: insn->prefix.repne = true; insn->prefix.mandatory = b; break;
	case 0xf3: insn->prefix.rep = true; insn->prefix.mandatory = b; break;
	case 0x66: insn->prefix.opsize = true; break;
	case 0x67: insn->prefix.adsize = true; break;
	default: insn->prefix.segment = b; break;
	}
}

/*
 * Legacy prefixes and REX. A REX byte only counts if the opcode comes
 * right after it: a legacy prefix after a REX cancels it (the REX byte still
 * takes room in the instruction). Of several REX bytes the last one counts.
 */
static int decode_prefixes(struct insn *insn, struct insn_cursor *c)
{
	uint8_t b;

	for (;;) {
		if (c->pos >= c->limit)
			return -EILSEQ;
		b = c->buf[c->pos];
		if (!is_legacy_prefix(b) && (b & 0xf0) != 0x40)
			break;
		/* A prefix needs an opcode after it, within the 15 bytes. */
		if (c->pos + 1 >= c->limit)
			return -EILSEQ;
		if (is_legacy_prefix(b)) {
			note_prefix(insn, b);
			insn->rex = 0;
		} else {
			insn->rex = b;
			c->rex_seen = true;
		}
		c->pos++;
	}
	/* Last f2/f3 wins; 66 is a mandatory prefix only without them. */
	if (!insn->prefix.mandatory && insn->prefix.opsize)
		insn->prefix.mandatory = 0x66;
	switch (insn->prefix.mandatory) {
	case 0x66: c->form = 1; break;
	case 0xf3: c->form = 2; break;
	case 0xf2: c->form = 3; break;
	}
	insn->rex_w = insn->rex & 0x08;
	return 0;
}

static void note_opcode(struct insn *insn, uint8_t b)
{
	insn->opcode.bytes[insn->opcode.nr++] = b;
	insn->opcode.value = b;
}

/* The escapes 0f, 0f 38, 0f 3a, then the opcode; returns its attributes. */
static int decode_legacy_opcode(struct insn *insn, struct insn_cursor *c,
				uint8_t *attr)
{
	unsigned int map = INSN_MAP_1BYTE;
	uint8_t b;
	int err;

	insn->opcode.offset = c->pos;
	b = c->buf[c->pos++];		/* decode_prefixes() saw it */
	note_opcode(insn, b);
	if (b == 0x0f) {
		map = INSN_MAP_0F;
		err = next_byte(c, &b);
		if (err)
			return err;
		note_opcode(insn, b);
	}
	if (map == INSN_MAP_0F && (b == 0x38 || b == 0x3a)) {
		map = b == 0x38 ? INSN_MAP_0F38 : INSN_MAP_0F3A;
		err = next_byte(c, &b);
		if (err)
			return err;
		note_opcode(insn, b);
	}
	insn->opcode.map = map;
	*attr = insn_legacy_table[map][b][c->form];
	return 0;
}

/* The W, vvvv, L and pp bits that VEX, EVEX and XOP share. */
static void note_vex_payload(struct insn *insn, struct insn_cursor *c,
			     uint8_t wvvvvlpp)
{
	insn->rex_w = wvvvvlpp & 0x80;
	insn->vex.vvvv = (~wvvvvlpp >> 3) & 0x0f;
	insn->vex.l = (wvvvvlpp >> 2) & 1;
	insn->vex.pp = wvvvvlpp & 3;
	c->form = insn->vex.pp;
}

/*
 * c4/c5/62 are always VEX/EVEX in 64-bit mode (les, lds and bound do not
 * exist there); 8f is XOP when it is not pop (see is_vex()). Any 66, f2,
 * f3, lock or REX prefix before them is #UD. Sets *map to the map the
 * opcode lives in; an invalid map finds no instruction.
 */
static int decode_vex_prefix(struct insn *insn, struct insn_cursor *c,
			     unsigned int *map)
{
	uint8_t *v = insn->vex.bytes;
	unsigned int i, size;
	int err;

	if (c->rex_seen || insn->prefix.lock || insn->prefix.rep ||
	    insn->prefix.repne || insn->prefix.opsize)
		return -EILSEQ;
	insn->vex.offset = c->pos;
	size = c->buf[c->pos] == 0xc5 ? 2 : c->buf[c->pos] == 0x62 ? 4 : 3;
	for (i = 0; i < size; i++) {
		err = next_byte(c, &v[i]);
		if (err)
			return err;
	}
	insn->vex.size = size;
	if (size == 2) {
		insn->encoding = INSN_ENC_VEX2;
		*map = 1;
		note_vex_payload(insn, c, v[1] & 0x7f);	/* W is 0 */
	} else if (size == 3) {
		insn->encoding = v[0] == 0x8f ? INSN_ENC_XOP : INSN_ENC_VEX3;
		*map = v[1] & 0x1f;
		note_vex_payload(insn, c, v[2]);
	} else {
		insn->encoding = INSN_ENC_EVEX;
		/* P0 bit 3 is reserved (0), P1 bit 2 is fixed (1). */
		if ((v[1] & 0x08) || !(v[2] & 0x04))
			return -EILSEQ;
		*map = v[1] & 0x07;
		note_vex_payload(insn, c, v[2]);
		insn->vex.vvvv |= (v[3] & 0x08) ? 0 : 0x10;	/* V' */
		insn->vex.l = (v[3] >> 5) & 3;
		insn->vex.z = v[3] & 0x80;
		insn->vex.b = v[3] & 0x10;
		insn->vex.aaa = v[3] & 7;
	}
	return 0;
}

/* Looks up the opcode of a VEX, EVEX or XOP instruction. */
static uint8_t vex_attr(const struct insn *insn, unsigned int map,
			uint8_t op, unsigned int form)
{
	switch (insn->encoding) {
	case INSN_ENC_EVEX:
		return map < 7 ? insn_evex_table[map][op][form] : 0;
	case INSN_ENC_XOP:
		return map >= 8 && map <= 10 ? insn_xop_table[map - 8][op][form] : 0;
	default:
		return map >= 1 && map <= 3 ? insn_vex_table[map][op][form] : 0;
	}
}

/* A VEX/EVEX/XOP prefix and the opcode after it; returns its attributes. */
static int decode_vex_opcode(struct insn *insn, struct insn_cursor *c,
			     uint8_t *attr)
{
	unsigned int map = 0;
	uint8_t b;
	int err;

	err = decode_vex_prefix(insn, c, &map);
	if (err)
		return err;
	insn->opcode.offset = c->pos;
	err = next_byte(c, &b);
	if (err)
		return err;
	note_opcode(insn, b);
	insn->opcode.map = map;
	*attr = vex_attr(insn, map, b, c->form);
	return 0;
}

/*
 * The ModRM byte. For group opcodes ModRM.reg picks the instruction, whose
 * attributes are merged into @a: its immediate and kind replace the
 * opcode's, its flags add to them.
 */
static int decode_modrm(struct insn *insn, struct insn_cursor *c,
			struct insn_attr *a)
{
	const struct insn_attr *g;
	uint8_t m;
	bool reg_form;
	int err;

	insn->modrm.offset = c->pos;
	err = next_byte(c, &m);
	if (err)
		return err;
	insn->modrm.present = true;
	insn->modrm.byte = m;
	insn->modrm.mod = m >> 6;
	insn->modrm.reg = (m >> 3) & 7;
	insn->modrm.rm = m & 7;
	reg_form = insn->modrm.mod == 3;
	if (a->group) {
		g = &insn_attrs[insn_group_table[a->group - 1][c->form]
				[insn->modrm.reg][reg_form]];
		if (!g->rm_mask)		/* entry 0: no such instruction */
			return -EILSEQ;
		if (reg_form && !(g->rm_mask & (1u << insn->modrm.rm)))
			return -EILSEQ;
		if (g->imm != INSN_IMM_NONE)
			a->imm = g->imm;
		if (g->kind != INSN_ORDINARY)
			a->kind = g->kind;
		a->flags |= g->flags;
	}
	if ((a->flags & INSN_F_MEM) && reg_form)
		return -EILSEQ;
	if ((a->flags & INSN_F_REG) && !reg_form)
		return -EILSEQ;
	return 0;
}

/*
 * SIB and displacement for a memory operand. In 64-bit mode the only forms
 * are the 32/64-bit ones (67 changes the address size, not the encoding):
 * mod 0 rm 5 is [rip + disp32]; rm 4 brings a SIB byte, whose base 5 with
 * mod 0 means "no base, disp32".
 */
static int decode_address(struct insn *insn, struct insn_cursor *c)
{
	unsigned int mod = insn->modrm.mod, dsize = 0;
	uint8_t s;
	int err;

	if (insn->modrm.rm == 4) {
		insn->sib.offset = c->pos;
		err = next_byte(c, &s);
		if (err)
			return err;
		insn->sib.present = true;
		insn->sib.byte = s;
		insn->sib.scale = s >> 6;
		insn->sib.index = (s >> 3) & 7;
		insn->sib.base = s & 7;
		if (mod == 0 && insn->sib.base == 5)
			dsize = 4;
	} else if (mod == 0 && insn->modrm.rm == 5) {
		insn->rip_relative = true;
		dsize = 4;
	}
	if (mod == 1)
		dsize = 1;
	else if (mod == 2)
		dsize = 4;
	if (!dsize)
		return 0;
	err = read_field(c, &insn->disp, dsize);
	if (insn->rip_relative)
		insn->rip_disp_offset = insn->disp.offset;
	return err;
}

/* Operand and address size, once prefixes and the opcode are known. */
static void set_sizes(struct insn *insn, const struct insn_attr *a)
{
	insn->addr_bytes = insn->prefix.adsize ? 4 : 8;
	if (insn->encoding != INSN_ENC_LEGACY)
		insn->opnd_bytes = insn->rex_w ? 8 : 4;
	else if (insn->rex_w)
		insn->opnd_bytes = 8;
	else if (insn->prefix.opsize)
		insn->opnd_bytes = 2;
	else
		insn->opnd_bytes = a->flags & (INSN_F_D64 | INSN_F_F64) ? 8 : 4;
}

/* Immediates, relative displacements and moffs addresses. */
static int decode_immediates(struct insn *insn, struct insn_cursor *c,
			     const struct insn_attr *a)
{
	unsigned int z = insn->opnd_bytes == 2 ? 2 : 4;
	int err;

	switch (a->imm) {
	case INSN_IMM_IB:
	case INSN_IMM_JB:
		return read_field(c, &insn->imm, 1);
	case INSN_IMM_IW:
		return read_field(c, &insn->imm, 2);
	case INSN_IMM_ID:
		return read_field(c, &insn->imm, 4);
	case INSN_IMM_IZ:
	case INSN_IMM_JZ:
		return read_field(c, &insn->imm, z);
	case INSN_IMM_IV:
		return read_field(c, &insn->imm, insn->opnd_bytes);
	case INSN_IMM_MOFFS:
		return read_field(c, &insn->disp, insn->addr_bytes);
	case INSN_IMM_IW_IB:
	case INSN_IMM_IB_IB:
		err = read_field(c, &insn->imm, a->imm == INSN_IMM_IW_IB ? 2 : 1);
		if (err)
			return err;
		return read_field(c, &insn->imm2, 1);
	}
	return 0;
}

/* The checks that need the whole instruction. */
static int check_decoded(const struct insn *insn, const struct insn_attr *a)
{
	uint8_t op = insn->imm.value;

	/* Intel reads rel32 here, AMD rel16: refuse to guess. */
	if ((a->flags & INSN_F_F64) && insn->prefix.opsize && !insn->rex_w)
		return -EILSEQ;
	if ((a->flags & INSN_F_3DNOW) && !(insn_3dnow_valid[op >> 3] & (1u << (op & 7))))
		return -EILSEQ;
	return 0;
}

/* Everything after the opcode, driven by its attributes @a. */
static int decode_operands(struct insn *insn, struct insn_cursor *c,
			   struct insn_attr *a)
{
	int err;

	if (a->flags & INSN_F_MODRM) {
		err = decode_modrm(insn, c, a);
		if (err)
			return err;
		/* mov to/from CR/DR: always registers, whatever mod says. */
		if (insn->modrm.mod != 3 && !(a->flags & INSN_F_MODIGN)) {
			err = decode_address(insn, c);
			if (err)
				return err;
		}
	}
	set_sizes(insn, a);
	err = decode_immediates(insn, c, a);
	if (err)
		return err;
	return check_decoded(insn, a);
}

/*
 * Does a VEX, EVEX or XOP prefix start here? c4, c5 and 62 always do in
 * 64-bit mode. 8f is pop Ev when the next byte's reg field (bits 5:3) is
 * 0, XOP otherwise: XOP's map number (bits 4:0) is 8 or more.
 */
static bool is_vex(const struct insn_cursor *c)
{
	uint8_t b = c->buf[c->pos];

	if (b == 0xc4 || b == 0xc5 || b == 0x62)
		return true;
	return b == 0x8f && c->pos + 1 < c->limit &&
	       (c->buf[c->pos + 1] & 0x38);
}

int insn_decode(struct insn *insn, const void *buf, size_t buf_len)
{
	struct insn_cursor c = {
		.buf = buf,
		.limit = buf_len < INSN_MAX_LEN ? buf_len : INSN_MAX_LEN,
	};
	struct insn_attr a;
	uint8_t idx = 0;
	int err;

	*insn = (struct insn){ 0 };
	err = decode_prefixes(insn, &c);
	if (err)
		return err;
	if (is_vex(&c))
		err = decode_vex_opcode(insn, &c, &idx);
	else
		err = decode_legacy_opcode(insn, &c, &idx);
	if (err)
		return err;
	if (!idx)
		return -EILSEQ;
	a = insn_attrs[idx];
	err = decode_operands(insn, &c, &a);
	if (err)
		return err;
	insn->kind = a.kind;
	insn->far = a.flags & INSN_F_FAR;
	insn->length = c.pos;
	return 0;
}

static const char *const insn_kind_names[INSN_NR_KINDS] = {
	[INSN_ORDINARY] = "ordinary",
	[INSN_CALL_REL32] = "call_rel32",
	[INSN_JMP_REL8] = "jmp_rel8",
	[INSN_JMP_REL32] = "jmp_rel32",
	[INSN_JCC_REL8] = "jcc_rel8",
	[INSN_JCC_REL32] = "jcc_rel32",
	[INSN_LOOP] = "loop",
	[INSN_XBEGIN] = "xbegin",
	[INSN_RET] = "ret",
	[INSN_RET_IMM] = "ret_imm",
	[INSN_CALL_INDIRECT] = "call_indirect",
	[INSN_JMP_INDIRECT] = "jmp_indirect",
	[INSN_INT3] = "int3",
	[INSN_INT1] = "int1",
	[INSN_INT_N] = "int_n",
	[INSN_INTO] = "into",
	[INSN_IRET] = "iret",
	[INSN_SYSCALL] = "syscall",
	[INSN_SYSRET] = "sysret",
	[INSN_PUSHF] = "pushf",
	[INSN_POPF] = "popf",
	[INSN_CLI] = "cli",
	[INSN_STI] = "sti",
	[INSN_HLT] = "hlt",
	[INSN_UD2] = "ud2",
};

const char *insn_kind_name(enum insn_kind kind)
{
	if ((unsigned int)kind >= INSN_NR_KINDS)
		return "?";
	return insn_kind_names[kind];
}

bool insn_is_rel_branch(const struct insn *insn)
{
	switch (insn->kind) {
	case INSN_CALL_REL32:
	case INSN_JMP_REL8:
	case INSN_JMP_REL32:
	case INSN_JCC_REL8:
	case INSN_JCC_REL32:
	case INSN_LOOP:
	case INSN_XBEGIN:
		return true;
	default:
		return false;
	}
}

int insn_branch_target(const struct insn *insn, uint64_t addr, uint64_t *target)
{
	if (!insn_is_rel_branch(insn))
		return -EINVAL;
	/* 66 jcc/jmp/loop rel8: AMD cuts the target to 16 bits, Intel not. */
	if (insn->opnd_bytes == 2 && insn->kind != INSN_XBEGIN)
		return -EOPNOTSUPP;
	*target = addr + insn->length + (uint64_t)insn->imm.value;
	return 0;
}

int insn_rip_target(const struct insn *insn, uint64_t addr, uint64_t *target)
{
	uint64_t t;

	if (!insn->rip_relative)
		return -EINVAL;
	t = addr + insn->length + (uint64_t)insn->disp.value;
	/* With a 67 prefix the effective address is EIP-relative: 32 bits. */
	*target = insn->addr_bytes == 4 ? (uint32_t)t : t;
	return 0;
}
