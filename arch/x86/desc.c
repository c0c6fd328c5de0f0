// SPDX-License-Identifier: MIT
/*
 * Descriptor tables for each CPU: a GDT with kernel code/data and a TSS,
 * the TSS's interrupt stack table, and the one IDT every CPU shares.
 *
 * The IDT sends every vector through the stubs in entry.S. Four vectors get
 * stacks of their own (IST): a double fault (the normal stack may be what
 * overflowed), NMI (may arrive anywhere), and the debug and breakpoint traps
 * that kprobes use (so their handlers can write below the interrupted stack
 * pointer, as emulating a `call` must, without touching their own frame).
 */
#include <asm/desc.h>
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/percpu.h>
#include <arch/x86/desc_setup.h>
#include <kernel/nokprobe.h>
#include <lib/string.h>

static DEFINE_PER_CPU(u64[GDT_ENTRIES], cpu_gdt);
static DEFINE_PER_CPU(struct tss, cpu_tss);

/* The boot CPU's IST stacks. Later CPUs allocate theirs. */
static char boot_ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));

static struct idt_entry idt[NR_VECTORS] __attribute__((aligned(16)));

extern char idt_stubs[];
#define IDT_STUB_SIZE	16

static u64 tss_descriptor_low(struct tss *tss)
{
	u64 base = (u64)tss, limit = sizeof(*tss) - 1;

	return (limit & 0xffff) | ((base & 0xffffff) << 16) |
	       (0x89ULL << 40) |			/* present, 64-bit TSS */
	       (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
}

static void load_gdt_and_tss(u64 *gdt)
{
	struct desc_ptr p = { GDT_ENTRIES * 8 - 1, (u64)gdt };

	load_gdt(&p);
	load_kernel_segments();
	load_tr(GDT_TSS);
}

/**
 * cpu_init_descriptors - load this CPU's GDT, TSS and the shared IDT
 * @ist_tops: the top of each of IST_COUNT stacks, or NULL for the boot
 *            CPU's static ones
 *
 * Context: early boot of each CPU, interrupts off, per-CPU area set up.
 */
void cpu_init_descriptors(const unsigned long *ist_tops)
{
	u64 *gdt = *this_cpu_ptr(&cpu_gdt);
	struct tss *tss = this_cpu_ptr(&cpu_tss);
	int i;

	memset(tss, 0, sizeof(*tss));
	for (i = 0; i < IST_COUNT; i++)
		tss->ist[i] = ist_tops ? ist_tops[i] :
			      (u64)(boot_ist_stacks[i] + IST_STACK_SIZE);
	tss->iomap_base = sizeof(*tss);

	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffULL;		/* 64-bit code, ring 0 */
	gdt[2] = 0x00cf92000000ffffULL;		/* data, ring 0 */
	gdt[3] = tss_descriptor_low(tss);
	gdt[4] = (u64)tss >> 32;		/* TSS base bits 63:32 */
	load_gdt_and_tss(gdt);

	struct desc_ptr p = { sizeof(idt) - 1, (u64)idt };
	load_idt(&p);
}

static void idt_set(unsigned vector, unsigned ist)
{
	u64 addr = (u64)idt_stubs + vector * IDT_STUB_SIZE;
	struct idt_entry *e = &idt[vector];

	e->offset_low = addr & 0xffff;
	e->selector = GDT_KERNEL_CS;
	e->ist = ist;
	e->type_attr = 0x8e;		/* present, ring 0, interrupt gate */
	e->offset_mid = (addr >> 16) & 0xffff;
	e->offset_high = addr >> 32;
	e->reserved = 0;
}

/* Fill the IDT once, before any CPU loads it. Interrupt gates everywhere:
 * handlers start with interrupts off and decide themselves when to allow them. */
void idt_setup(void)
{
	unsigned v;

	for (v = 0; v < NR_VECTORS; v++)
		idt_set(v, 0);
	idt_set(8, IST_DOUBLE_FAULT);
	idt_set(2, IST_NMI);
	idt_set(1, IST_DEBUG);
	idt_set(3, IST_BREAKPOINT);
}

/* This CPU's TSS, for code that adjusts IST pointers while it nests.
 * NOKPROBE: the int3 and debug traps call it before they move their IST
 * pointer, so an int3 here would start on top of the frame being handled. */
struct tss *cpu_tss_this(void)
{
	return this_cpu_ptr(&cpu_tss);
}
NOKPROBE_SYMBOL(cpu_tss_this);
