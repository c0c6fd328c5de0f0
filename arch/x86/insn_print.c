// SPDX-License-Identifier: MIT
/*
 * The instruction printer: turns what insn_decode() found into the text
 * `objdump -d` prints for it, in AT&T syntax, so that a student can read
 * `dis` output next to build/kernel.asm.
 *
 * What to print comes from the opcode map: each opcode (or group entry,
 * selected by ModRM.reg and, for some system instructions, ModRM.rm)
 * carries a mnemonic and its operands in Intel (SDM) order, e.g.
 * "add:Ev,Gv"; scripts/gen-insn-tables.py turns them into tables laid out
 * like the decoder's. This file knows the operand codes:
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
 * with v the operand size (2, 4 or 8 bytes) and z 2 or 4. A mnemonic may
 * end in '?' (objdump adds the b/w/l/q suffix when no register operand
 * tells the size: "addl $0x1,(%rax)" but "add %eax,(%rax)") or '!' (always
 * a suffix: movzbl), hold "{cc}" (the condition in the opcode's low four
 * bits) or "w/l/q" alternatives chosen by operand size (cltq). '^' adds
 * the memory operand's size, if there is one (crc32b (%rax),%eax). Size y
 * is 4 bytes, 8 with REX.W, whatever 66 says (adcx, crc32).
 *
 * The prefixes objdump shows as words ("lock", "rep", "data16", "cs",
 * "notrack", "rex.W") are worked out last, from which prefixes the
 * operands really used.
 */
#include <asm/insn_print.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>

struct insn_print_form {
	const char *mnem;
	const char *ops;	/* NULL: a group entry takes its opcode's */
};

struct insn_print_op {
	uint16_t form;		/* index into insn_print_forms, 0: none */
	uint8_t group;		/* 1 + group index, or 0 */
};

#include "insn-print-tables.h"

/* The text being built, and what the operands used of the prefixes. */
struct out {
	char *buf;
	size_t size, len;
	const struct insn *insn;
	uint64_t addr;
	insn_sym_fn sym;
	void *arg;
	unsigned int rex_used;	/* REX bits that named a register or size */
	bool byte_reg;		/* a byte register was printed (REX makes sil) */
	bool sized_reg;		/* a register operand tells the operand size */
	bool used_opsize;	/* the operand size changed something */
	bool used_mem;		/* a memory operand: 67 and fs/gs apply */
	unsigned int mem_size;	/* size of the memory operand, for '?' */
	bool took_rep;		/* f3 is part of the mnemonic (pause, endbr64) */
	bool has_rip;		/* print the "# target <sym>" comment */
	uint64_t rip_target;
};

#define REX_B	0x1
#define REX_X	0x2
#define REX_R	0x4
#define REX_W	0x8

static const char *const cc_names[16] = {
	"o", "no", "b", "ae", "e", "ne", "be", "a",
	"s", "ns", "p", "np", "l", "ge", "le", "g",
};

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

static void put(struct out *o, const char *s)
{
	o->len += scnprintf(o->buf + o->len, o->size - o->len, "%s", s);
}

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

/* An address with objdump's symbol: "ffffffff8010b9a0 <kmalloc>". */
static void put_target(struct out *o, uint64_t addr)
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
		put_target(o, target);
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
static void put_operands(struct out *o, const char *ops)
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

/* The form of this instruction: mnemonic and operands; false if none. */
static bool find_form(const struct insn *in, struct insn_print_form *f)
{
	unsigned int form = 0, col;
	struct insn_print_op op;
	uint16_t g;

	if (in->encoding != INSN_ENC_LEGACY || in->opcode.map > INSN_MAP_0F3A)
		return false;
	switch (in->prefix.mandatory) {
	case 0x66: form = 1; break;
	case 0xf3: form = 2; break;
	case 0xf2: form = 3; break;
	}
	op = insn_print_legacy[in->opcode.map][in->opcode.value][form];
	*f = insn_print_forms[op.form];
	if (op.group) {
		col = in->modrm.mod == 3 ? 1 + in->modrm.rm : 0;
		g = insn_print_group[op.group - 1][form][in->modrm.reg][col];
		if (!g)
			return false;
		if (insn_print_forms[g].ops)
			f->ops = insn_print_forms[g].ops;
		f->mnem = insn_print_forms[g].mnem;
	}
	return f->mnem && f->mnem[0];
}

/* Does the mandatory prefix form pick a different print form than none? */
static bool prefix_selects(const struct insn *in, unsigned int form)
{
	const struct insn_print_op *row =
		insn_print_legacy[in->opcode.map][in->opcode.value];

	return row[form].form != row[0].form || row[form].group != row[0].group;
}

/*
 * The mnemonic, with "{cc}" and "w/l/q" resolved, into @m; returns the
 * marker at its end ('?', '!', '^' or 0), which is removed.
 */
static char resolve_mnemonic(struct out *o, const char *mnem, char *m, size_t size)
{
	const struct insn *in = o->insn;
	const char *cc = strstr(mnem, "{cc}");
	const char *alt = mnem;
	unsigned int k, len;
	char mark = 0;

	if (strchr(mnem, '/')) {
		/* w/l/q: pick by operand size. */
		o->used_opsize = true;
		for (k = in->opnd_bytes == 2 ? 0 : in->opnd_bytes == 4 ? 1 : 2; k; k--)
			alt = strchr(alt, '/') + 1;
	}
	for (len = 0; alt[len] && alt[len] != '/'; len++)
		;
	if (cc && cc < alt + len) {
		scnprintf(m, size, "%.*s%s%.*s", (int)(cc - alt), alt,
			  cc_names[in->opcode.value & 15],
			  (int)(alt + len - cc - 4), cc + 4);
	} else {
		scnprintf(m, size, "%.*s", (int)len, alt);
	}
	len = strlen(m);
	if (len && (m[len - 1] == '?' || m[len - 1] == '!' || m[len - 1] == '^')) {
		mark = m[len - 1];
		m[len - 1] = '\0';
	}
	return mark;
}

/* The b/w/l/q suffix for an operand of @size bytes. */
static const char *suffix(unsigned int size)
{
	switch (size) {
	case 1: return "b";
	case 2: return "w";
	case 4: return "l";
	default: return "q";
	}
}

/*
 * Opcodes whose text does not follow from the map alone: 90 is nop (or
 * pause) unless REX.B makes it xchg with r8; endbr64/32 hide in the 0f 1e
 * hint NOPs; 67 turns jrcxz and loop into jecxz and loopl.
 */
static bool special_mnemonic(struct out *o, char *m, size_t size)
{
	const struct insn *in = o->insn;
	uint8_t op = in->opcode.value;

	if (in->opcode.map == INSN_MAP_1BYTE && op == 0x90 && !(in->rex & REX_B)) {
		if (in->prefix.mandatory == 0xf3) {
			o->took_rep = true;
			scnprintf(m, size, "pause");
			return true;
		}
		if (!in->prefix.opsize) {
			scnprintf(m, size, "nop");
			return true;
		}
	}
	if (in->opcode.map == INSN_MAP_0F && op == 0x1e && in->prefix.mandatory == 0xf3 &&
	    (in->modrm.byte == 0xfa || in->modrm.byte == 0xfb)) {
		o->took_rep = true;
		scnprintf(m, size, in->modrm.byte == 0xfa ? "endbr64" : "endbr32");
		return true;
	}
	return false;
}

static bool is_string_op(const struct insn *in)
{
	uint8_t op = in->opcode.value;

	return in->opcode.map == INSN_MAP_1BYTE &&
	       ((op >= 0x6c && op <= 0x6f) || (op >= 0xa4 && op <= 0xa7) ||
		(op >= 0xaa && op <= 0xaf));
}

static bool is_branch(const struct insn *in)
{
	return insn_is_rel_branch(in) || in->kind == INSN_RET ||
	       in->kind == INSN_RET_IMM || in->kind == INSN_CALL_INDIRECT ||
	       in->kind == INSN_JMP_INDIRECT;
}

/* The word objdump shows for a rep prefix @b it did not take as mandatory. */
static const char *rep_word(const struct insn *in, uint8_t b)
{
	uint8_t op = in->opcode.value;
	bool compares = is_string_op(in) && ((op & 0xfe) == 0xa6 || (op & 0xfe) == 0xae);

	if (b == 0xf2)
		return is_branch(in) ? "bnd" : "repnz";
	if (is_string_op(in) && !compares)
		return "rep";
	return "repz";
}

/* Is legacy prefix @i (of the insn's prefix bytes) shown as a word? */
static const char *prefix_word(const struct out *o, unsigned int i)
{
	const struct insn *in = o->insn;
	uint8_t b = in->prefix.bytes[i];
	unsigned int j;
	bool last = true;

	/* Only the last prefix of each kind takes effect. */
	for (j = i + 1; j < in->prefix.nr; j++) {
		uint8_t c = in->prefix.bytes[j];

		if (c == b || ((b == 0xf2 || b == 0xf3) && (c == 0xf2 || c == 0xf3)) ||
		    (b != 0x66 && b != 0x67 && b != 0xf0 && b != 0xf2 && b != 0xf3 &&
		     c != 0x66 && c != 0x67 && c != 0xf0 && c != 0xf2 && c != 0xf3))
			last = false;
	}
	switch (b) {
	case 0xf0:
		return "lock";
	case 0xf2:
	case 0xf3:
		if (last && (prefix_selects(in, b == 0xf3 ? 2 : 3) || o->took_rep))
			return NULL;
		return rep_word(in, b);
	case 0x66:
		/* REX.W overrides a 66 that only set the size. */
		if (last && (prefix_selects(in, 1) || (!in->rex_w && o->used_opsize)))
			return NULL;
		return "data16";
	case 0x67:
		if (last && (o->used_mem || in->kind == INSN_LOOP))
			return NULL;
		return "addr32";
	case 0x64:
	case 0x65:
		if (last && o->used_mem)
			return NULL;
		return b == 0x64 ? "fs" : "gs";
	case 0x3e:
		if (last && (in->kind == INSN_CALL_INDIRECT || in->kind == INSN_JMP_INDIRECT))
			return "notrack";
		return "ds";
	case 0x2e:
		return "cs";
	case 0x36:
		return "ss";
	default:
		return "es";
	}
}

/* The prefix words, then a REX prefix none of whose bits were used. */
static void put_prefixes(struct out *o)
{
	const struct insn *in = o->insn;
	unsigned int i, used = o->rex_used;
	const char *w;

	for (i = 0; i < in->prefix.nr; i++) {
		w = prefix_word(o, i);
		if (w) {
			put(o, w);
			put(o, " ");
		}
	}
	if (!in->rex)
		return;
	if ((in->rex & REX_W) && o->used_opsize)
		used |= REX_W;
	/* A bare REX (40) is used when it turns ah..bh into spl..dil. */
	if ((in->rex & 0xf) == used && ((in->rex & 0xf) || o->byte_reg))
		return;
	put(o, "rex");
	if (in->rex & 0xf)
		put(o, ".");
	if (in->rex & REX_W) put(o, "W");
	if (in->rex & REX_R) put(o, "R");
	if (in->rex & REX_X) put(o, "X");
	if (in->rex & REX_B) put(o, "B");
	put(o, " ");
}

int insn_print(char *buf, size_t size, const struct insn *insn, uint64_t addr,
	       insn_sym_fn sym, void *arg)
{
	struct out o = { .buf = buf, .size = size, .insn = insn, .addr = addr,
			 .sym = sym, .arg = arg };
	char ops[160] = "", mnem[24];
	struct insn_print_form f;
	size_t start;
	char mark = 0;
	bool took_rep;

	if (!size)
		return -EOPNOTSUPP;
	buf[0] = '\0';
	if (!find_form(insn, &f)) {
		scnprintf(buf, size, "(unknown)");
		return -EOPNOTSUPP;
	}
	/* Operands first, into @ops: they say which prefixes were used. */
	o.buf = ops;
	o.size = sizeof(ops);
	if (!special_mnemonic(&o, mnem, sizeof(mnem))) {
		mark = resolve_mnemonic(&o, f.mnem, mnem, sizeof(mnem));
		if (f.ops)
			put_operands(&o, f.ops);
	}
	if (insn->prefix.adsize && insn->kind == INSN_LOOP)
		scnprintf(mnem, sizeof(mnem), "%s", insn->opcode.value == 0xe3 ? "jecxz" :
			  insn->opcode.value == 0xe2 ? "loopl" :
			  insn->opcode.value == 0xe1 ? "loopel" : "loopnel");
	took_rep = o.took_rep;
	o.buf = buf;
	o.size = size;
	o.len = 0;
	o.took_rep = took_rep;
	/* objdump pads prefixes and mnemonic together to 6 columns. */
	start = o.len;
	put_prefixes(&o);
	put(&o, mnem);
	if (mark == '!')
		put(&o, suffix(insn->opnd_bytes));
	else if (mark == '?' && !o.sized_reg)
		put(&o, suffix(o.mem_size ? o.mem_size : insn->opnd_bytes));
	else if (mark == '^' && o.mem_size)
		put(&o, suffix(o.mem_size));
	if (ops[0]) {
		while (o.len - start < 6)
			put(&o, " ");
		put(&o, " ");
		put(&o, ops);
	}
	if (o.has_rip) {
		put(&o, "        # ");
		put_target(&o, o.rip_target);
	}
	return o.len;
}
