/* SPDX-License-Identifier: MIT */
/*
 * What generic ftrace code (trace/) needs to know of an x86 fentry site:
 * its size. gcc's -mfentry puts a 5-byte `call __fentry__` there, which
 * ftrace turns into a NOP of the same size (asm/text-patching.h).
 */
#ifndef ASM_FTRACE_H
#define ASM_FTRACE_H

#include <asm/text-patching.h>

/* The bytes of a fentry site: code after the site starts this far in. */
#define MCOUNT_INSN_SIZE	CALL_INSN_SIZE

/* What every fentry site calls as gcc left it (ftrace_64.S): a return.
 * Its address is what a site's call is checked against. */
extern char __fentry__[];

#endif /* ASM_FTRACE_H */
