// SPDX-License-Identifier: MIT
/*
 * The arch half of `dis` (trace/dis.c): one instruction through the x86
 * decoder (insn.c) and the objdump-style printer (insn_print.c).
 */
#include <trace/dis.h>
#include <asm/insn.h>
#include <asm/insn_print.h>
#include <kernel/kallsyms.h>
#include <lib/errno.h>

int arch_dis_decode(struct dis_insn *di, unsigned long addr, const u8 *buf, size_t len)
{
	struct insn in;
	u64 target;

	if (insn_decode(&in, buf, len))
		return -EILSEQ;
	di->length = in.length;
	di->kind = insn_kind_name(in.kind);
	di->has_target = !insn_branch_target(&in, addr, &target);
	di->target = di->has_target ? target : 0;
	/* An instruction the printer does not know reads "(unknown)". */
	insn_print(di->text, sizeof(di->text), &in, addr, kallsyms_name_off, NULL);
	return 0;
}
