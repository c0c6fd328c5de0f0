/* SPDX-License-Identifier: MIT */
/*
 * The exception table: pairs (faulting instruction, where to continue).
 * An instruction that may fault on purpose (a fault-safe read of a bad
 * address) gets an entry; the page-fault and general-protection handlers
 * look the faulting RIP up here before declaring the fault fatal.
 * Entries hold 32-bit offsets relative to themselves, like Linux's.
 */
#ifndef ASM_EXTABLE_H
#define ASM_EXTABLE_H

#define _ASM_EXTABLE(from, to)			\
	" .pushsection __ex_table, \"a\"\n"	\
	" .balign 4\n"				\
	" .long (" #from ") - .\n"		\
	" .long (" #to ") - .\n"		\
	" .popsection\n"

#ifndef __ASSEMBLY__
#include <lib/types.h>

struct pt_regs;

struct exception_table_entry {
	int insn;	/* offset from &entry->insn to the instruction */
	int fixup;	/* offset from &entry->fixup to the continuation */
};

/* Does the instruction at @addr have an entry (may it fault on purpose)?
 * kprobes never moves such an instruction out of place unwatched. */
bool search_exception_table(unsigned long addr);

/* If regs->ip has an entry, point regs->ip at its fixup and return true. */
bool fixup_exception(struct pt_regs *regs);

#endif
#endif /* ASM_EXTABLE_H */
