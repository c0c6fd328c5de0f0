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

static const struct exception_table_entry *find_entry(unsigned long ip)
{
	const struct exception_table_entry *e;

	for (e = __start_ex_table; e < __stop_ex_table; e++)
		if (ex_insn(e) == ip)
			return e;
	return NULL;
}

bool search_exception_table(unsigned long addr)
{
	return find_entry(addr) != NULL;
}

bool fixup_exception(struct pt_regs *regs)
{
	const struct exception_table_entry *e = find_entry(regs->ip);

	if (!e)
		return false;
	regs->ip = ex_fixup(e);
	return true;
}
