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
 * like the decoder's. This file finds an instruction's form and prints
 * its mnemonic; insn_operands.c prints the operands.
 *
 * A mnemonic may end in '?' (objdump adds the b/w/l/q suffix when no
 * register operand tells the size: "addl $0x1,(%rax)" but "add
 * %eax,(%rax)") or '!' (always a suffix: movzbl), hold "{cc}" (the
 * condition in the opcode's low four bits) or "w/l/q" alternatives chosen
 * by operand size (cltq). '^' adds the memory operand's size, if there is
 * one (crc32b (%rax),%eax).
 *
 * The prefixes objdump shows as words ("lock", "rep", "data16", "cs",
 * "notrack", "rex.W") are worked out last, from which prefixes the
 * operands really used.
 */
#include "insn_print_internal.h"
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

static const char *const cc_names[16] = {
	"o", "no", "b", "ae", "e", "ne", "be", "a",
	"s", "ns", "p", "np", "l", "ge", "le", "g",
};

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
			insn_put_operands(&o, f.ops);
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
		insn_put_target(&o, o.rip_target);
	}
	return o.len;
}
