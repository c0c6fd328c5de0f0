/* SPDX-License-Identifier: MIT */
/*
 * Assembly helpers: declare functions with a type and size so that kallsyms,
 * the unwinder and objdump see them as real functions.
 */
#ifndef ASM_LINKAGE_H
#define ASM_LINKAGE_H

#ifdef __ASSEMBLY__

#define SYM_FUNC_START(name)		\
	.globl name;			\
	.type name, @function;		\
	.p2align 4, 0x90;		\
	name:

#define SYM_FUNC_START_LOCAL(name)	\
	.type name, @function;		\
	.p2align 4, 0x90;		\
	name:

#define SYM_FUNC_END(name)		\
	.size name, . - name

#define SYM_CODE_START_LOCAL_NOALIGN(name)	\
	.type name, @function;		\
	name:

#define SYM_CODE_START(name)		\
	.globl name;			\
	.type name, @function;		\
	name:

#define SYM_CODE_END(name)		\
	.size name, . - name

#define SYM_DATA_START(name)		\
	.globl name;			\
	.type name, @object;		\
	name:

#define SYM_DATA_END(name)		\
	.size name, . - name

#endif /* __ASSEMBLY__ */
#endif /* ASM_LINKAGE_H */
