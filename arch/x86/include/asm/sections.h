/* SPDX-License-Identifier: MIT */
/*
 * The kernel image's regions, as linker.ld marks them. Each is a char
 * array so that its address is the boundary; compare addresses, never
 * read through them. Sections that are tables of a type (mcount records,
 * the exception table, self-tests, shell commands, tracers) declare their
 * bounds with that type beside the code that walks them.
 */
#ifndef ASM_SECTIONS_H
#define ASM_SECTIONS_H

/* The whole image, from its first byte to the end of .bss. */
extern char __kernel_start[], __kernel_end[];

/* .text, including the 32-bit start-up code at its very beginning. */
extern char __text_start[], __text_end[];
extern char __boot32_text_end[];	/* the end of that 32-bit code */
/* Entry code and trampolines, and .kprobes.text (the int3/#DB path):
 * ranges inside .text that kprobes refuses. */
extern char __entry_text_start[], __entry_text_end[];
extern char __kprobes_text_start[], __kprobes_text_end[];

extern char __rodata_start[], __rodata_end[];
extern char __data_start[];

/* The per-CPU template (.data..percpu), and its copy as linked, kept in
 * .bss for CPUs brought up later. */
extern char __per_cpu_start[], __per_cpu_end[];
extern char __per_cpu_pristine[];

#endif
