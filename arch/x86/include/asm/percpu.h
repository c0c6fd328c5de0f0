/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU variables through the GS base.
 *
 * DEFINE_PER_CPU() puts a variable in the .data..percpu section, a template
 * that is copied once per CPU (the boot CPU uses the template itself). Each
 * CPU's GS base points at the start of its own copy, so the variable's
 * offset inside the section addresses this CPU's instance:
 *
 *	this_cpu_read(var)	one `mov %gs:off, reg`
 *
 * A single this_cpu_* operation is one instruction, so it cannot be split by
 * preemption or an interrupt; sequences of them need preemption off.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <lib/types.h>

#define DEFINE_PER_CPU(type, name) \
	__attribute__((section(".data..percpu"))) __typeof__(type) name
#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name

extern char __per_cpu_start[], __per_cpu_end[];

/* Offset of a per-CPU variable inside every CPU's copy. */
#define __pcpu_off(ptr) ((unsigned long)(ptr) - (unsigned long)__per_cpu_start)

extern void __bad_percpu_size(void);	/* never defined: a link error */

#define __pcpu_op_to(op, var, val)					\
do {									\
	__typeof__(var) __v = (val);					\
	unsigned long __o = __pcpu_off(&(var));				\
	switch (sizeof(var)) {						\
	case 1: asm volatile(op "b %0, %%gs:(%1)" : : "q"(*(u8 *)&__v), "r"(__o) : "memory"); break; \
	case 2: asm volatile(op "w %0, %%gs:(%1)" : : "r"(*(u16 *)&__v), "r"(__o) : "memory"); break; \
	case 4: asm volatile(op "l %0, %%gs:(%1)" : : "r"(*(u32 *)&__v), "r"(__o) : "memory"); break; \
	case 8: asm volatile(op "q %0, %%gs:(%1)" : : "r"(*(u64 *)&__v), "r"(__o) : "memory"); break; \
	default: __bad_percpu_size();					\
	}								\
} while (0)

#define this_cpu_read(var) ({						\
	__typeof__(var) __r;						\
	unsigned long __o = __pcpu_off(&(var));				\
	switch (sizeof(var)) {						\
	case 1: asm volatile("movb %%gs:(%1), %0" : "=q"(*(u8 *)&__r) : "r"(__o) : "memory"); break; \
	case 2: asm volatile("movw %%gs:(%1), %0" : "=r"(*(u16 *)&__r) : "r"(__o) : "memory"); break; \
	case 4: asm volatile("movl %%gs:(%1), %0" : "=r"(*(u32 *)&__r) : "r"(__o) : "memory"); break; \
	case 8: asm volatile("movq %%gs:(%1), %0" : "=r"(*(u64 *)&__r) : "r"(__o) : "memory"); break; \
	default: __bad_percpu_size();					\
	}								\
	__r;								\
})

#define this_cpu_write(var, val)	__pcpu_op_to("mov", var, val)
#define this_cpu_add(var, val)		__pcpu_op_to("add", var, val)
#define this_cpu_sub(var, val)		__pcpu_op_to("sub", var, val)
#define this_cpu_inc(var)		this_cpu_add(var, 1)
#define this_cpu_dec(var)		this_cpu_sub(var, 1)

/*
 * Add @val to the unsigned long at offset @off of this CPU's area (an
 * offset kept at run time, as kernel/percpu_counter.c hands out). One
 * instruction, so preemption and interrupts cannot split it.
 */
static inline __attribute__((always_inline)) void this_cpu_add_off(unsigned long off,
								   unsigned long val)
{
	asm volatile("addq %0, %%gs:(%1)" : : "er"(val), "r"(off) : "memory");
}

/* Where each CPU's copy lives, relative to the template. */
DECLARE_PER_CPU(unsigned long, this_cpu_off);
extern unsigned long __per_cpu_offset[];

#define this_cpu_ptr(ptr) \
	((__typeof__(ptr))((unsigned long)(ptr) + this_cpu_read(this_cpu_off)))
#define per_cpu_ptr(ptr, cpu) \
	((__typeof__(ptr))((unsigned long)(ptr) + __per_cpu_offset[cpu]))
#define per_cpu(var, cpu)	(*per_cpu_ptr(&(var), cpu))

#endif /* ASM_PERCPU_H */
