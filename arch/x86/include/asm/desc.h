/* SPDX-License-Identifier: MIT */
/*
 * Descriptor tables: the GDT (code/data segments and the TSS), the TSS with
 * its interrupt stack table (IST), and the IDT.
 */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#define GDT_KERNEL_CS	0x08
#define GDT_KERNEL_DS	0x10
#define GDT_TSS		0x18
#define GDT_ENTRIES	5	/* null, code, data, TSS (two slots) */

/* IST slots (1-based in the IDT entry). Each is a stack of its own. */
#define IST_DOUBLE_FAULT	1
#define IST_NMI			2
#define IST_DEBUG		3
#define IST_BREAKPOINT		4
#define IST_COUNT		4

/* Vectors the kernel assigns. */
#define IRQ_BASE_VECTOR		0x20	/* IOAPIC GSI n -> vector 0x20 + n */
#define CALL_FUNCTION_VECTOR	0xfb
#define RESCHEDULE_VECTOR	0xfd
#define LOCAL_TIMER_VECTOR	0xec
#define SPURIOUS_VECTOR		0xff
#define NR_VECTORS		256

#ifndef __ASSEMBLY__
#include <lib/types.h>

struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __attribute__((packed));

struct idt_entry {
	u16 offset_low;
	u16 selector;
	u8  ist;
	u8  type_attr;
	u16 offset_mid;
	u32 offset_high;
	u32 reserved;
} __attribute__((packed));

struct desc_ptr {
	u16 limit;
	u64 base;
} __attribute__((packed));

/* What this CPU has loaded: the GDT register and the task register. */
static inline void store_gdt(struct desc_ptr *p)
{
	asm volatile("sgdt %0" : "=m"(*p));
}

static inline u16 store_tr(void)
{
	u16 sel;

	asm volatile("str %0" : "=r"(sel));
	return sel;
}

static inline void load_gdt(const struct desc_ptr *p)
{
	asm volatile("lgdt %0" : : "m"(*p));
}

static inline void load_idt(const struct desc_ptr *p)
{
	asm volatile("lidt %0" : : "m"(*p));
}

static inline void load_tr(u16 sel)
{
	asm volatile("ltr %w0" : : "r"(sel));
}

/*
 * After a new GDT: CS can only be reloaded by a far transfer (a far
 * return to the next instruction here), then the data segments and SS.
 */
static inline void load_kernel_segments(void)
{
	asm volatile("pushq %0\n\t"
		     "leaq 1f(%%rip), %%rax\n\t"
		     "pushq %%rax\n\t"
		     "lretq\n"
		     "1:\n\t"
		     "movl %1, %%eax\n\t"
		     "movl %%eax, %%ds\n\t"
		     "movl %%eax, %%es\n\t"
		     "movl %%eax, %%ss\n\t"
		     : : "i"(GDT_KERNEL_CS), "i"(GDT_KERNEL_DS) : "rax", "memory");
}

/*
 * Reset the machine the last way that always works: with an empty IDT a
 * breakpoint cannot be delivered, nor the double fault that follows, and
 * the CPU shuts down (a triple fault), which resets a PC.
 */
static inline void triple_fault(void)
{
	struct desc_ptr none = { 0, 0 };

	asm volatile("lidt %0; int3" : : "m"(none));
}

/* The base address in a 64-bit TSS descriptor (two GDT slots). */
static inline u64 tss_descriptor_base(u64 low, u64 high)
{
	return ((low >> 16) & 0xffffff) | (((low >> 56) & 0xff) << 24) | (high << 32);
}

#endif /* __ASSEMBLY__ */
#endif /* ASM_DESC_H */
