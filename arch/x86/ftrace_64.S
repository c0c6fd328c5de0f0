/* SPDX-License-Identifier: MIT */
/*
 * __fentry__: the target of the `call __fentry__` gcc puts first in every
 * traced function. At boot ftrace turns each call site into a NOP; until
 * then (and for any site it could not patch) the call lands here and
 * returns at once.
 */
#include <asm/linkage.h>

	.section .entry.text, "ax"
SYM_FUNC_START(__fentry__)
	ret
SYM_FUNC_END(__fentry__)
