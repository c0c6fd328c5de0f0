/* SPDX-License-Identifier: MIT */
/*
 * Printing decoded instructions the way `objdump -d` does (AT&T syntax):
 * `dis`, the exception report and the tests share this one printer, which
 * arch/x86/insn_print.c implements from the "@mnemonic:operands" columns of
 * arch/x86/insn-opcode-map.txt.
 *
 * Like the decoder it is freestanding: no allocation, no locks, no libc;
 * it may be called from any context that may call the symbol callback.
 */
#ifndef _ASM_X86_INSN_PRINT_H
#define _ASM_X86_INSN_PRINT_H

#include <asm/insn.h>

/*
 * Names @addr for a branch target or a RIP-relative operand: writes
 * "sym" or "sym+0xoff" into @buf (@size bytes) and returns true, or
 * returns false when no symbol covers @addr (only the address is printed).
 */
typedef bool (*insn_sym_fn)(uint64_t addr, char *buf, size_t size, void *arg);

/**
 * insn_print - an instruction's text as objdump -d prints it
 * @buf: where the text goes, always NUL-terminated if @size > 0
 * @size: bytes available at @buf (128 is enough for any instruction)
 * @insn: an instruction insn_decode() accepted
 * @addr: the address of its first byte (for branch and RIP targets)
 * @sym: names targets, or NULL to print bare addresses
 * @arg: passed to @sym
 *
 * The text is the mnemonic with any prefixes objdump shows ("lock xadd",
 * "rep stos", "data16 cs nopw"), padded to 6 columns, the operands in
 * AT&T order, and for a RIP-relative operand objdump's comment
 * "        # ffffffff80245091 <sym+0x11>". Branch targets read
 * "ffffffff8010b9a0 <kmalloc>".
 *
 * Context: any. Returns the length of the text, or -EOPNOTSUPP (with
 * "(unknown)" in @buf) for an instruction whose class the printer does
 * not know: x87, MMX/SSE and everything VEX, EVEX or XOP encoded - none of
 * which the kernel, built with -mgeneral-regs-only, contains.
 */
int insn_print(char *buf, size_t size, const struct insn *insn, uint64_t addr,
	       insn_sym_fn sym, void *arg);

#endif /* _ASM_X86_INSN_PRINT_H */
