// SPDX-License-Identifier: MIT
/*
 * start_kernel(): the first C code. boot/head.S calls it on the boot stack
 * with the early page tables, interrupts off.
 *
 * The arch half of start-up: the serial line first (so anything after can
 * be reported), per-CPU data, descriptor tables, the boot information,
 * clocks and interrupt controllers. Then kernel_main() does the generic
 * rest, as in ToaruOS and Linux.
 */
#include <asm/cpu.h>
#include <asm/percpu.h>
#include <asm/page.h>
#include <asm/layout.h>
#include <arch/x86/apic.h>
#include <arch/x86/desc_setup.h>
#include <arch/x86/serial.h>
#include <arch/x86/smpboot.h>
#include <arch/x86/time.h>
#include <asm/pgtable.h>
#include <asm/sections.h>
#include <kernel/bootinfo.h>
#include <kernel/smp.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/mm/memblock.h>
#include <kernel/mm/page_alloc.h>
#include <kernel/mm/vmap.h>
#include <kernel/kallsyms.h>
#include <kernel/main.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/time.h>
#include <lib/string.h>



DEFINE_PER_CPU(unsigned long, this_cpu_off);
DEFINE_PER_CPU(unsigned int, cpu_number);
unsigned long __per_cpu_offset[NR_CPUS];
int nr_cpus_online = 1;	/* CPUs running tasks: see kernel/smp.h */

/*
 * The boot CPU uses the per-CPU template itself: its offset, and so its
 * GS base (asm/percpu.h), is zero. Its
 * values change from here on, so first the template is saved as linked
 * (into __per_cpu_pristine, reserved in bss by linker.ld): each other CPU's
 * area starts as a copy of that (arch/x86/smpboot.c).
 */
static void percpu_init_boot_cpu(void)
{
	memcpy(__per_cpu_pristine, __per_cpu_start, __per_cpu_end - __per_cpu_start);
	wrmsr(MSR_GS_BASE, 0);
	__per_cpu_offset[0] = 0;
}

static void print_cpu_brand(void)
{
	u32 regs[12], a, b, c, d;
	unsigned i;

	cpuid(0x80000000, &a, &b, &c, &d);
	if (a < 0x80000004)
		return;
	for (i = 0; i < 3; i++)
		cpuid(0x80000002 + i, &regs[4 * i], &regs[4 * i + 1], &regs[4 * i + 2], &regs[4 * i + 3]);
	pr_info("cpu: %.48s\n", (const char *)regs);
}

/* Until paging_init() builds the real tables, the boot tables map 0-4 GiB
 * one to one; early code reaches physical memory there. */
static void *early_phys(phys_addr_t pa)
{
	return (void *)pa;
}


/* Usable RAM from the memory map, minus what is already in use. */
static void memblock_setup(void)
{
	unsigned i;

	for (i = 0; i < boot_info.n_mem; i++)
		if (boot_info.mem[i].type == MEM_USABLE)
			memblock_add(boot_info.mem[i].base, boot_info.mem[i].length);
	memblock_reserve(0, 0x100000);		/* real-mode area, BIOS data */
	memblock_reserve(__pa(__kernel_start), __kernel_end - __kernel_start);
	memblock_reserve(boot_info.info_start, boot_info.info_end - boot_info.info_start);
	for (i = 0; i < boot_info.n_modules; i++)
		memblock_reserve(boot_info.modules[i].start,
				 boot_info.modules[i].end - boot_info.modules[i].start);
}

/* The IST stacks so far were static; give each a guard page now. */
static void move_ist_stacks(void)
{
	struct tss *tss = cpu_tss_this();
	unsigned i;

	for (i = 0; i < IST_COUNT; i++) {
		char *stack = stack_alloc();

		if (!stack)
			panic("move_ist_stacks: out of memory");
		tss->ist[i] = (u64)(stack + KERNEL_STACK_SIZE);
	}
}

static void mm_init(void)
{
	struct wx_report wx;

	memblock_setup();
	paging_init();
	page_alloc_init();
	kmalloc_init();
	move_ist_stacks();

	paging_check_wx(&wx);
	if (wx.wx_mappings)
		pr_err("paging: %lu writable+executable mappings (first at %#lx)\n",
		       wx.wx_mappings, wx.first_wx_va);
	else
		pr_info("paging: W^X holds: %lu mappings, none both writable and executable\n",
			wx.leaf_mappings);
}

void start_kernel(u32 magic, u32 info_phys)
{
	percpu_init_boot_cpu();
	serial_init_early();
	kallsyms_init();
	if (multiboot2_parse(magic, early_phys(info_phys), info_phys))
		panic("start_kernel: not booted by a multiboot2 loader (magic %#x)", magic);
	cmdline_parse();

	pr_info("Loupe: a small x86-64 kernel for watching tracing work\n");
	pr_info("boot: loader '%s', command line '%s'\n", boot_info.loader, boot_info.cmdline);
	print_cpu_brand();
	smp_find_cpus();		/* ACPI, through the boot identity map */

	idt_setup();
	cpu_init_descriptors(NULL);
	mm_init();
	tsc_init();
	pr_info("time: TSC %llu.%03llu MHz\n", (unsigned long long)(tsc_khz / 1000),
		(unsigned long long)(tsc_khz % 1000));

	lapic_init();
	ioapic_init();
	pr_info("apic: local APIC id %u, timer %llu kHz (div 16)\n", lapic_id(),
		(unsigned long long)(lapic_timer_hz / 1000));
	lapic_timer_start(HZ, timer_tick);
	arch_smp_ipi_init();
	serial_init_irq();

	kernel_main();
}
