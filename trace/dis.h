/* SPDX-License-Identifier: MIT */
/*
 * The `dis` console command (trace/dis.c) shows kernel code as the CPU
 * finds it and as it was before any probe; this is the one thing it asks
 * of the arch: decode an instruction and say it in words.
 */
#ifndef TRACE_DIS_H
#define TRACE_DIS_H

#include <asm/insn.h>	/* INSN_MAX_LEN: the longest instruction */
#include <lib/types.h>

/* One decoded instruction, as `dis` prints it. */
struct dis_insn {
	unsigned length;	/* in bytes */
	const char *kind;	/* the decoder's class: "jcc_rel8", "call_rel32" ... */
	bool has_target;	/* a relative branch, which goes to @target */
	unsigned long target;
	char text[192];		/* as objdump -d prints it, targets named */
};

/**
 * arch_dis_decode - decode the instruction at the start of @buf
 * @di: filled on success
 * @addr: where @buf's bytes sit in the kernel (for branch and RIP targets)
 * @buf, @len: the bytes; @len at most INSN_MAX_LEN, fewer where the
 *	mapping ends
 *
 * Returns 0, or -EILSEQ if @buf does not start with a valid instruction.
 * Context: task (names targets through kallsyms; takes no lock).
 */
int arch_dis_decode(struct dis_insn *di, unsigned long addr, const u8 *buf, size_t len);

#endif
