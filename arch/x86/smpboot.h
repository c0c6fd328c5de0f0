/* SPDX-License-Identifier: MIT */
/* Finding and starting the other CPUs (arch/x86/smpboot.c). */
#ifndef ARCH_X86_SMPBOOT_H
#define ARCH_X86_SMPBOOT_H

#include <lib/types.h>
#include <asm/desc.h>

/* Read ACPI's MADT and fill cpu_info[] (start_kernel, before paging_init:
 * the tables are reached through the boot page tables' identity map). */
void smp_find_cpus(void);
/* Install the handlers of the function-call and reschedule IPIs. */
void arch_smp_ipi_init(void);

/*
 * What a CPU saw of itself at the end of its start-up, read from its own
 * registers: the selftest (tests/kernel/test_smp.c) checks that each CPU
 * has its own per-CPU area, GDT and TSS.
 */
struct cpu_boot_view {
	u64 gs_base;		/* MSR_GS_BASE */
	unsigned cpu_number;	/* this_cpu_read(cpu_number) */
	u32 apic_id;		/* its local APIC's id register */
	u64 gdt_base;		/* sgdt */
	u16 tr;			/* str */
	u64 tss_base;		/* decoded from the GDT's TSS descriptor */
	u64 ist[IST_COUNT];	/* the IST stack tops in that TSS */
};

/* Fill @v from the calling CPU's registers. */
void cpu_boot_view_read(struct cpu_boot_view *v);
/* What CPU @cpu recorded when it started (zeroes if it never did). */
extern struct cpu_boot_view cpu_boot_views[];

#endif
