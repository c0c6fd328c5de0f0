/* SPDX-License-Identifier: MIT */
/*
 * Small wrappers around privileged x86 instructions: control registers,
 * MSRs, CPUID, TSC, halting. Generic code never writes these instructions
 * itself; it calls these.
 */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <lib/compiler.h>
#include <lib/types.h>

#define MSR_EFER		0xc0000080
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_APIC_BASE		0x0000001b

#define X86_CR0_WP		(1UL << 16)
#define X86_CR4_PGE		(1UL << 7)
#define X86_EFLAGS_ZF		(1UL << 6)
#define X86_EFLAGS_TF		(1UL << 8)
#define X86_EFLAGS_IF		(1UL << 9)
#define X86_EFLAGS_RF		(1UL << 16)

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 val)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((u32)val), "d"((u32)(val >> 32)) : "memory");
}

static inline void cpuid_count(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	cpuid_count(leaf, 0, a, b, c, d);
}

#define DEFINE_READ_CR(n)					\
static inline unsigned long read_cr##n(void)			\
{								\
	unsigned long v;					\
	asm volatile("mov %%cr" #n ", %0" : "=r"(v));		\
	return v;						\
}
DEFINE_READ_CR(0)
DEFINE_READ_CR(2)
DEFINE_READ_CR(3)
DEFINE_READ_CR(4)
#undef DEFINE_READ_CR

static inline void write_cr0(unsigned long v)
{
	asm volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline void write_cr3(unsigned long v)
{
	asm volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void write_cr4(unsigned long v)
{
	asm volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

/* DR6 as the CPU leaves it with no debug event noted (the step bit clear). */
#define DR6_RESERVED		0xffff0ff0UL

/* On the #DB path: inline, so that nothing a kprobe could sit on is called. */
static __always_inline void write_dr6(unsigned long v)
{
	asm volatile("mov %0, %%dr6" : : "r"(v));
}

static inline void invlpg(unsigned long addr)
{
	asm volatile("invlpg (%0)" : : "r"(addr) : "memory");
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

/* rdtsc that does not run ahead of earlier instructions (for timing). */
static inline u64 rdtsc_ordered(void)
{
	u32 lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((u64)hi << 32) | lo;
}

static inline void cpu_relax(void)
{
	asm volatile("pause" : : : "memory");
}

/* Wait for an interrupt. Call with interrupts enabled, or it never returns. */
static inline void cpu_halt(void)
{
	asm volatile("hlt" : : : "memory");
}

/* Enable interrupts and halt as one step: no wake-up can slip in between. */
static inline void cpu_safe_halt(void)
{
	asm volatile("sti; hlt" : : : "memory");
}

static inline unsigned long read_rflags(void)
{
	unsigned long f;

	asm volatile("pushf; pop %0" : "=r"(f) : : "memory");
	return f;
}

static inline unsigned long read_rsp(void)
{
	unsigned long sp;

	asm volatile("mov %%rsp, %0" : "=r"(sp));
	return sp;
}

static inline unsigned long read_rbp(void)
{
	unsigned long bp;

	asm volatile("mov %%rbp, %0" : "=r"(bp));
	return bp;
}

/*
 * Make instruction fetch see code written through another mapping. A
 * serialising instruction is enough on one CPU; cpuid is always available.
 */
static inline void sync_core(void)
{
	u32 a, b, c, d;

	cpuid(0, &a, &b, &c, &d);
}

static inline __attribute__((noreturn)) void cpu_halt_forever(void)
{
	for (;;)
		asm volatile("cli; hlt" : : : "memory");
}

#endif /* ASM_CPU_H */
