/* SPDX-License-Identifier: MIT */
/*
 * What the two halves of the instruction printer share: the text being
 * built (struct out), which insn_print.c starts with the mnemonic and
 * insn_operands.c fills with the operands, noting which prefixes they used
 * so that insn_print.c can show the others as words.
 */
#ifndef _ARCH_X86_INSN_PRINT_INTERNAL_H
#define _ARCH_X86_INSN_PRINT_INTERNAL_H

#include <asm/insn_print.h>
#include <lib/printf.h>

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

/* Append @s. */
static inline void put(struct out *o, const char *s)
{
	o->len += scnprintf(o->buf + o->len, o->size - o->len, "%s", s);
}

/* An address with objdump's symbol: "ffffffff8010b9a0 <kmalloc>". */
void insn_put_target(struct out *o, uint64_t addr);
/* The operands of @ops ("Ev,Gv", the map's Intel order) in AT&T order. */
void insn_put_operands(struct out *o, const char *ops);

#endif /* _ARCH_X86_INSN_PRINT_INTERNAL_H */
