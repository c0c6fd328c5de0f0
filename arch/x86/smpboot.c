// SPDX-License-Identifier: MIT
/*
 * Finding the application processors (APs) and starting them.
 *
 * Finding: the multiboot2 loader hands over a copy of ACPI's RSDP; the
 * RSDT/XSDT it names lists the MADT, which has one entry per processor's
 * local APIC (kernel/acpi.c parses it). The boot CPU is CPU 0; the others
 * are numbered in MADT order, at most NR_CPUS in all.
 *
 * Starting one AP (arch_cpu_start()), as the Intel SDM's MP initialization
 * protocol describes it:
 *   1. the real-mode trampoline (trampoline.S) is copied to a page below
 *      1 MiB and mapped there one to one, read+execute;
 *   2. its slots get the AP's stack, CPU number and C entry point;
 *   3. INIT (the AP resets and waits), 10 ms, startup IPI with the
 *      trampoline's page number, 200 us, a second startup IPI (the first
 *      may be lost on some hardware; a started CPU ignores the second);
 *   4. the AP climbs to long mode, calls smp_ap_entry(), loads its own
 *      GS base, GDT/TSS/IDT and local APIC, and says it is starting;
 *      the boot CPU waits for that word, and on a timeout sends INIT
 *      again so the AP can never wake later on freed memory;
 *   5. the boot CPU gives it its idle task and marks it online; the AP
 *      starts its timer and enters cpu_idle(), where the scheduler finds
 *      it work.
 * After the last AP the trampoline's mapping goes away (W^X: it was the
 * only executable page outside the kernel image and the exec area).
 *
 * The two IPIs that running CPUs send each other (function call,
 * reschedule: kernel/smp_call.c) are delivered at the end of this file.
 */
#include <arch/x86/smpboot.h>
#include <arch/x86/apic.h>
#include <arch/x86/desc_setup.h>
#include <arch/x86/traps.h>
#include <asm/cpu.h>
#include <asm/page.h>
#include <asm/percpu.h>
#include <asm/pgtable.h>
#include <asm/ptrace.h>
#include <asm/trampoline.h>
#include <asm/sections.h>
#include <kernel/acpi.h>
#include <kernel/bootinfo.h>
#include <kernel/main.h>
#include <kernel/nokprobe.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <kernel/mm/page_alloc.h>
#include <kernel/mm/vmap.h>
#include <lib/atomic.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/string.h>

_Static_assert(MADT_MAX_CPUS == NR_CPUS, "the MADT parser keeps NR_CPUS CPUs");

/* The AP must reach C well within this, even under a loaded TCG. */
#define AP_START_TIMEOUT_MS	5000

DECLARE_PER_CPU(unsigned long, this_cpu_off);

struct cpu_boot_view cpu_boot_views[NR_CPUS];
static unsigned long ap_ist_tops[NR_CPUS][IST_COUNT];
static bool trampoline_mapped;

/* ---- finding the CPUs ---- */

/* Before paging_init() the boot tables map the first 4 GiB one to one. */
static const void *early_acpi_map(phys_addr_t pa, size_t len, void *ctx __always_unused)
{
	if (pa + len < pa || pa + len > (4UL << 30))
		return NULL;
	return (const void *)pa;
}

static u32 boot_cpu_apic_id(void)
{
	u32 a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	return b >> 24;			/* the initial APIC id */
}

static int find_madt(struct madt_info *info)
{
	const struct acpi_sdt_header *madt;
	struct acpi_root root;
	int err;

	if (!boot_info.acpi_rsdp_len)
		return -ENOENT;
	err = acpi_parse_rsdp(boot_info.acpi_rsdp, boot_info.acpi_rsdp_len, &root);
	if (!err)
		err = acpi_find_table(&root, "APIC", early_acpi_map, NULL, &madt);
	if (!err)
		err = madt_parse(madt, madt->length, MADT_MAX_CPUS, info);
	if (!err)
		pr_info("acpi: RSDP revision %u, %s at %#llx, MADT found\n", root.revision,
			root.entry_size == 8 ? "XSDT" : "RSDT", (unsigned long long)root.table);
	return err;
}

/* CPU 0 is the boot CPU; the others follow in MADT order. */
static void list_cpus(const struct madt_info *info)
{
	u32 bsp = cpu_info[0].apic_id;
	unsigned i;

	for (i = 0; i < info->n_cpus && nr_cpus_present < NR_CPUS; i++) {
		if (info->cpus[i].apic_id == bsp)
			continue;
		cpu_info[nr_cpus_present].apic_id = info->cpus[i].apic_id;
		cpu_info[nr_cpus_present].state = CPU_PRESENT;
		nr_cpus_present++;
	}
	if (info->n_cpus_listed > NR_CPUS)
		pr_warn("smp: the MADT lists %u CPUs but NR_CPUS is %d: using the first %d\n",
			info->n_cpus_listed, NR_CPUS, nr_cpus_present);
}

void smp_find_cpus(void)
{
	struct madt_info info;
	int err, i;

	cpu_info[0].apic_id = boot_cpu_apic_id();
	err = find_madt(&info);
	if (err) {
		pr_warn("smp: no usable ACPI MADT (%s): running on the boot CPU only\n",
			errno_message(err));
		return;
	}
	pr_info("acpi: MADT: %u CPUs enabled, %u disabled; local APIC at %#llx; "
		"%u I/O APIC(s), the first id %u at %#llx (GSI %u)\n",
		info.n_cpus_listed, info.n_cpus_disabled, (unsigned long long)info.lapic_phys,
		info.n_ioapics, info.ioapic_id, (unsigned long long)info.ioapic_phys,
		info.ioapic_gsi_base);
	if (info.lapic_phys != LAPIC_PHYS || (info.has_ioapic && info.ioapic_phys != IOAPIC_PHYS))
		pr_warn("apic: the MADT's addresses differ from the standard ones this kernel "
			"uses (%#lx, %#lx)\n", LAPIC_PHYS, IOAPIC_PHYS);
	list_cpus(&info);
	for (i = 0; i < nr_cpus_present; i++)
		pr_info("smp: CPU%d: APIC id %u%s\n", i, cpu_info[i].apic_id,
			i ? "" : " (boot CPU)");
}

/* ---- starting them ---- */

static unsigned order_for(size_t size)
{
	unsigned order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/*
 * @cpu's per-CPU area: a fresh copy of the template as linked (the boot
 * CPU's copy *is* the template and has changed since), and its IST stacks.
 */
int arch_cpu_prepare(int cpu)
{
	size_t size = __per_cpu_end - __per_cpu_start;
	char *area = alloc_pages_zeroed(order_for(size));
	int i;

	if (!area)
		return -ENOMEM;
	memcpy(area, __per_cpu_pristine, size);
	__per_cpu_offset[cpu] = (unsigned long)area - (unsigned long)__per_cpu_start;
	per_cpu(this_cpu_off, cpu) = __per_cpu_offset[cpu];
	per_cpu(cpu_number, cpu) = cpu;
	for (i = 0; i < IST_COUNT; i++) {
		char *stack = stack_alloc();

		if (!stack)
			return -ENOMEM;		/* a boot-time leak of a few pages */
		ap_ist_tops[cpu][i] = (unsigned long)stack + IST_STACK_SIZE;
	}
	return 0;
}

/* Copy the trampoline below 1 MiB (through the direct map, RW+NX) and map
 * it at its own address read+execute, not global (see smp_ap_entry). */
static int trampoline_install(void)
{
	size_t size = trampoline_end - trampoline_start;
	char *copy = __va(TRAMPOLINE_PHYS);
	bool writable;
	int err;

	if (size > PAGE_SIZE || read_cr3() >= (4UL << 30))
		return -EINVAL;			/* CR3 is loaded from 32-bit code */
	if (!page_is_mapped((unsigned long)copy, &writable, NULL) || !writable)
		return -EFAULT;
	memcpy(copy, trampoline_start, size);
	*(u32 *)(copy + trampoline_offset(trampoline_cr3)) = (u32)read_cr3();
	err = map_page(TRAMPOLINE_PHYS, TRAMPOLINE_PHYS, PTE_P);
	if (err)
		return err;
	trampoline_mapped = true;
	return 0;
}

static void trampoline_set(const char *slot, u64 value)
{
	*(u64 *)((char *)__va(TRAMPOLINE_PHYS) + trampoline_offset(slot)) = value;
}

static void smp_ap_entry(unsigned long cpu);

/* INIT, SIPI, SIPI, with the SDM's delays. 0 or -ETIMEDOUT (not sent). */
static int send_init_sipi_sipi(u32 apic_id)
{
	int err = lapic_send_init(apic_id);

	if (err)
		return err;
	udelay(10000);
	err = lapic_send_startup(apic_id, TRAMPOLINE_SIPI_VECTOR);
	if (err)
		return err;
	udelay(200);
	return lapic_send_startup(apic_id, TRAMPOLINE_SIPI_VECTOR);
}

static bool wait_until_started(int cpu, u64 timeout_ms)
{
	u64 deadline = clock_ns() + timeout_ms * NSEC_PER_MSEC;

	while (smp_load_acquire(&cpu_info[cpu].state) != CPU_STARTING) {
		if (clock_ns() > deadline)
			return false;
		cpu_relax();
	}
	return true;
}

int arch_cpu_start(int cpu, unsigned long stack_top)
{
	u32 apic_id = cpu_info[cpu].apic_id;
	int err;

	if (!trampoline_mapped) {
		err = trampoline_install();
		if (err)
			return err;
	}
	trampoline_set(trampoline_stack, stack_top);
	trampoline_set(trampoline_entry, (u64)smp_ap_entry);
	trampoline_set(trampoline_cpu, cpu);
	smp_mb();			/* the slots before the IPIs */

	err = send_init_sipi_sipi(apic_id);
	if (!err && wait_until_started(cpu, AP_START_TIMEOUT_MS))
		return 0;
	/* Reset it again: it must not wake up later on a stack we free. */
	lapic_send_init(apic_id);
	return err ? err : -ETIMEDOUT;
}

/*
 * The trampoline's identity mapping goes; unmap_page() flushes it from
 * this CPU's TLB only. The APs dropped it themselves on arrival (CR3
 * reload in smp_ap_entry) and since then touch nothing below the higher
 * half, so none can hold it again: no shootdown is needed (the kernel's
 * other unmaps have one: flush_tlb_kernel_range()).
 */
void arch_smp_boot_done(void)
{
	if (!trampoline_mapped)
		return;
	unmap_page(TRAMPOLINE_PHYS);
	trampoline_mapped = false;
}

/* ---- on the AP ---- */

void cpu_boot_view_read(struct cpu_boot_view *v)
{
	struct desc_ptr gdtr;
	const u64 *gdt;
	const struct tss *tss;
	int i;

	v->gs_base = rdmsr(MSR_GS_BASE);
	v->cpu_number = this_cpu_read(cpu_number);
	v->apic_id = lapic_id();
	store_gdt(&gdtr);
	v->gdt_base = gdtr.base;
	v->tr = store_tr();
	gdt = (const u64 *)gdtr.base;
	v->tss_base = tss_descriptor_base(gdt[v->tr / 8], gdt[v->tr / 8 + 1]);
	tss = (const struct tss *)v->tss_base;
	for (i = 0; i < IST_COUNT; i++)
		v->ist[i] = tss->ist[i];
}

/*
 * Where the trampoline lands, on the stack the boot CPU gave, interrupts
 * off, on the trampoline's GDT and with no IDT. Nothing here may touch a
 * per-CPU variable before the GS base is set.
 *
 * It announces itself (CPU_STARTING) and spins until the boot CPU has
 * made this stack its idle task and marked it online: only then may its
 * timer tick run the scheduler. From cpu_idle() on it is like CPU 0.
 */
static __attribute__((noreturn)) void smp_ap_entry(unsigned long cpu)
{
	wrmsr(MSR_GS_BASE, __per_cpu_offset[cpu]);	/* asm/percpu.h */
	/* Drop the trampoline's identity mapping from this CPU's TLB (it is
	 * not global, so reloading CR3 does it): only the boot CPU flushes
	 * when it unmaps the page. */
	write_cr3(read_cr3());
	cpu_init_descriptors(ap_ist_tops[cpu]);
	lapic_init_ap();
	cpu_boot_view_read(&cpu_boot_views[cpu]);
	smp_store_release(&cpu_info[cpu].state, CPU_STARTING);
	while (smp_load_acquire(&cpu_info[cpu].state) != CPU_ONLINE)
		cpu_relax();
	lapic_timer_start(HZ, timer_tick);
	cpu_idle();
}
NOKPROBE_SYMBOL(smp_ap_entry);

/* ---- the two IPIs ---- */

static void call_function_interrupt(struct pt_regs *regs __always_unused)
{
	smp_call_function_interrupt();
}

/* need_resched is already set (smp_send_reschedule): the interrupt's
 * return path does the rest (irq_exit_hook). */
static void reschedule_interrupt(struct pt_regs *regs __always_unused)
{
}

void arch_send_call_function_ipi(int cpu)
{
	lapic_send_vector(cpu_info[cpu].apic_id, CALL_FUNCTION_VECTOR);
}

void arch_send_reschedule_ipi(int cpu)
{
	lapic_send_vector(cpu_info[cpu].apic_id, RESCHEDULE_VECTOR);
}

void arch_smp_ipi_init(void)
{
	irq_set_handler(CALL_FUNCTION_VECTOR, call_function_interrupt);
	irq_set_handler(RESCHEDULE_VECTOR, reschedule_interrupt);
}
