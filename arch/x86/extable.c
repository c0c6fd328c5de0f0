// SPDX-License-Identifier: MIT
/*
 * Exception table search. The table is small (one entry per fault-safe
 * access site) and only consulted on a fault, so a linear scan will do.
 */
#include <asm/extable.h>
#include <asm/ptrace.h>

extern const struct exception_table_entry __start_ex_table[], __stop_ex_table[];

static unsigned long ex_insn(const struct exception_table_entry *e)
{
	return (unsigned long)&e->insn + e->insn;
}

static unsigned long ex_fixup(const struct exception_table_entry *e)
{
	return (unsigned long)&e->fixup + e->fixup;
}

bool fixup_exception(struct pt_regs *regs)
{
	const struct exception_table_entry *e;

	for (e = __start_ex_table; e < __stop_ex_table; e++) {
		if (ex_insn(e) == regs->ip) {
			regs->ip = ex_fixup(e);
			return true;
		}
	}
	return false;
}
