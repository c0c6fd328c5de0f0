/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU variables through the GS base.
 *
 * DEFINE_PER_CPU() puts a variable in the .data..percpu section, a template
 * that is copied once per CPU (the boot CPU uses the template itself). A
 * CPU's GS base is the distance from the template to its own copy
 * (__per_cpu_offset[cpu]: 0 on the boot CPU), so a variable's own address
 * with a %gs: prefix addresses this CPU's instance, as on Linux:
 *
 *	this_cpu_read(var)	one `mov %gs:var, reg`
 *
 * The address is a link-time constant in the instruction (the kernel is
 * linked in the top 2 GiB, where it fits a sign-extended 32-bit
 * displacement), so an access costs the one instruction and no register.
 * A single this_cpu_* operation cannot be split by preemption or an
 * interrupt; sequences of them need preemption off.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <lib/types.h>

#define DEFINE_PER_CPU(type, name) \
	__attribute__((section(".data..percpu"))) __typeof__(type) name
#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name

extern void __bad_percpu_size(void);	/* never defined: a link error */

#define __pcpu_op_to(op, var, val)					\
do {									\
	__typeof__(var) __v = (val);					\
	switch (sizeof(var)) {						\
	case 1: asm volatile(op "b %0, %%gs:%c1" : : "qi"(*(u8 *)&__v), "i"(&(var)) : "memory"); break; \
	case 2: asm volatile(op "w %0, %%gs:%c1" : : "ri"(*(u16 *)&__v), "i"(&(var)) : "memory"); break; \
	case 4: asm volatile(op "l %0, %%gs:%c1" : : "ri"(*(u32 *)&__v), "i"(&(var)) : "memory"); break; \
	case 8: asm volatile(op "q %0, %%gs:%c1" : : "re"(*(u64 *)&__v), "i"(&(var)) : "memory"); break; \
	default: __bad_percpu_size();					\
	}								\
} while (0)

#define this_cpu_read(var) ({						\
	__typeof__(var) __r;						\
	switch (sizeof(var)) {						\
	case 1: asm volatile("movb %%gs:%c1, %0" : "=q"(*(u8 *)&__r) : "i"(&(var)) : "memory"); break; \
	case 2: asm volatile("movw %%gs:%c1, %0" : "=r"(*(u16 *)&__r) : "i"(&(var)) : "memory"); break; \
	case 4: asm volatile("movl %%gs:%c1, %0" : "=r"(*(u32 *)&__r) : "i"(&(var)) : "memory"); break; \
	case 8: asm volatile("movq %%gs:%c1, %0" : "=r"(*(u64 *)&__r) : "i"(&(var)) : "memory"); break; \
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
 * Add @val to this CPU's instance of the unsigned long whose template
 * address is @addr, an address known only at run time (as
 * kernel/percpu_counter.c hands out). One instruction, so preemption and
 * interrupts cannot split it.
 */
static inline __attribute__((always_inline)) void this_cpu_add_at(unsigned long addr,
								  unsigned long val)
{
	asm volatile("addq %0, %%gs:(%1)" : : "er"(val), "r"(addr) : "memory");
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
