// SPDX-License-Identifier: MIT
/*
 * The local APIC and the I/O APIC.
 *
 * The local APIC gives each CPU its timer (the scheduler's tick), takes
 * the end-of-interrupt for every device interrupt, and sends the
 * inter-processor interrupts that start the other CPUs (INIT, SIPI). Every
 * CPU sees its own local APIC at the same address. The I/O APIC forwards
 * device interrupt lines (the UART's) to a vector of our choosing. The
 * legacy 8259 PICs are masked and never used.
 *
 * Addresses are the standard ones QEMU and PCs use (0xfee00000 and
 * 0xfec00000); ISA IRQs 1-15 are assumed to map to the same GSI, which
 * holds on QEMU's pc machine for every line we use (COM1 = 4).
 */
#include <asm/io.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>
#include <asm/desc.h>
#include <asm/page.h>
#include <arch/x86/apic.h>
#include <arch/x86/time.h>
#include <arch/x86/traps.h>
#include <kernel/nokprobe.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <lib/errno.h>

#define LAPIC_ID	0x020
#define LAPIC_EOI	0x0b0
#define LAPIC_SVR	0x0f0
#define LAPIC_ICR_LOW	0x300
#define LAPIC_ICR_HIGH	0x310
#define LAPIC_LVT_TIMER	0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR	0x390
#define LAPIC_TIMER_DIV	0x3e0

#define SVR_ENABLE	0x100
#define LVT_MASKED	(1U << 16)
#define LVT_PERIODIC	(1U << 17)
#define TIMER_DIV_16	0x3

/* Interrupt command register: what to send, and whether it is still going. */
#define ICR_INIT	(5U << 8)
#define ICR_STARTUP	(6U << 8)
#define ICR_ASSERT	(1U << 14)
#define ICR_BUSY	(1U << 12)	/* delivery status: send pending */
#define ICR_DEST_SHIFT	24		/* in ICR_HIGH: the target's APIC id */

static volatile u8 *lapic;
static volatile u32 *ioapic;
u64 lapic_timer_hz;

static u32 lapic_read(u32 reg)
{
	return mmio_read32(lapic + reg);
}

static void lapic_write(u32 reg, u32 val)
{
	mmio_write32(lapic + reg, val);
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}
/* Parked CPUs run it on every tick: nothing there may be probed. */
NOKPROBE_SYMBOL(lapic_eoi);

u32 lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

static void pic_disable(void)
{
	/* Remap the 8259s away from the exception vectors, then mask them. */
	outb(0x20, 0x11); outb(0xa0, 0x11);
	outb(0x21, 0x20); outb(0xa1, 0x28);
	outb(0x21, 0x04); outb(0xa1, 0x02);
	outb(0x21, 0x01); outb(0xa1, 0x01);
	outb(0x21, 0xff); outb(0xa1, 0xff);
}

/* Enable this CPU's local APIC and measure its timer against the PIT. */
void lapic_init(void)
{
	lapic = ioremap(LAPIC_PHYS, PAGE_SIZE);
	pic_disable();
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1UL << 11));
	lapic_write(LAPIC_SVR, SVR_ENABLE | SPURIOUS_VECTOR);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);

	/* Count down from the top for a known PIT interval. */
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
	u64 ns = pit_wait_ms(PIT_CALIBRATE_MS);
	u32 elapsed = 0xffffffff - lapic_read(LAPIC_TIMER_CUR);
	lapic_write(LAPIC_TIMER_INIT, 0);
	lapic_timer_hz = (u64)elapsed * 1000000000ULL / ns;
}

/*
 * An application processor's local APIC: on, timer masked. Its timer runs
 * from the same bus clock as the boot CPU's in QEMU and on PCs, so the
 * boot CPU's calibration (lapic_timer_hz) is reused rather than measured
 * again against the one shared PIT.
 */
void lapic_init_ap(void)
{
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1UL << 11));
	lapic_write(LAPIC_SVR, SVR_ENABLE | SPURIOUS_VECTOR);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
}

/*
 * Each CPU's own tick function (NULL: only count the tick). The name is
 * also kernel/time.c's timer_tick(), as static names often repeat in a
 * real kernel: the probe-event tests use the pair as their example of a
 * symbol too ambiguous to probe by name (a function and a variable).
 */
static DEFINE_PER_CPU(void (*)(struct pt_regs *regs), timer_tick);

static void lapic_timer_interrupt(struct pt_regs *regs)
{
	void (*tick)(struct pt_regs *regs) = this_cpu_read(timer_tick);

	this_cpu_inc(cpu_stats.ticks);
	if (tick)
		tick(regs);
}
NOKPROBE_SYMBOL(lapic_timer_interrupt);

/* Called on each CPU for its own timer; @tick may be NULL (see above). */
void lapic_timer_start(unsigned hz, void (*tick)(struct pt_regs *regs))
{
	this_cpu_write(timer_tick, tick);
	irq_set_handler(LOCAL_TIMER_VECTOR, lapic_timer_interrupt);	/* -EBUSY after the first CPU */
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | LOCAL_TIMER_VECTOR);
	lapic_write(LAPIC_TIMER_INIT, (u32)(lapic_timer_hz / hz));
}

/* Wait until the local APIC has sent the last IPI; -ETIMEDOUT after 100 ms. */
static int lapic_wait_icr_idle(void)
{
	u64 deadline = clock_ns() + 100 * NSEC_PER_MSEC;

	while (lapic_read(LAPIC_ICR_LOW) & ICR_BUSY) {
		if (clock_ns() > deadline)
			return -ETIMEDOUT;
		cpu_relax();
	}
	return 0;
}

/*
 * Send one IPI. Context: interrupts off, or at least no IPI sent from an
 * interrupt handler: one arriving between the two writes would change the
 * destination under us. (Bring-up runs before interrupts are enabled.)
 */
static int lapic_send_ipi(u32 apic_id, u32 icr_low)
{
	lapic_write(LAPIC_ICR_HIGH, apic_id << ICR_DEST_SHIFT);
	lapic_write(LAPIC_ICR_LOW, icr_low);	/* writing the low half sends */
	return lapic_wait_icr_idle();
}

/* INIT: the target CPU resets and waits for a startup IPI. */
int lapic_send_init(u32 apic_id)
{
	return lapic_send_ipi(apic_id, ICR_INIT | ICR_ASSERT);
}

/* Startup IPI: the target starts in real mode at physical @page << 12. */
int lapic_send_startup(u32 apic_id, u8 page)
{
	return lapic_send_ipi(apic_id, ICR_STARTUP | ICR_ASSERT | page);
}

/*
 * A fixed-delivery IPI: @vector raised on the CPU whose APIC id is
 * @apic_id. Any context: interrupts go off around the two register
 * writes, so an interrupt handler that sends one cannot slip between them.
 */
int lapic_send_vector(u32 apic_id, u8 vector)
{
	unsigned long flags;
	int err;

	local_irq_save(flags);
	err = lapic_send_ipi(apic_id, ICR_ASSERT | vector);
	local_irq_restore(flags);
	return err;
}

#define IOAPIC_REGSEL	0
#define IOAPIC_WIN	4	/* in u32 units: offset 0x10 */
#define IOAPIC_VER	0x01
#define IOAPIC_REDIR(n)	(0x10 + 2 * (n))

static u32 ioapic_read(u32 reg)
{
	ioapic[IOAPIC_REGSEL] = reg;
	return ioapic[IOAPIC_WIN];
}

static void ioapic_write(u32 reg, u32 val)
{
	ioapic[IOAPIC_REGSEL] = reg;
	ioapic[IOAPIC_WIN] = val;
}

/* Mask every input until a driver asks for one. */
void ioapic_init(void)
{
	unsigned n, max;

	ioapic = ioremap(IOAPIC_PHYS, PAGE_SIZE);
	max = (ioapic_read(IOAPIC_VER) >> 16) & 0xff;
	for (n = 0; n <= max; n++) {
		ioapic_write(IOAPIC_REDIR(n), LVT_MASKED);
		ioapic_write(IOAPIC_REDIR(n) + 1, 0);
	}
}

/* Deliver ISA @irq (edge, active high) as @vector to the boot CPU. */
void ioapic_route_irq(unsigned irq, unsigned vector)
{
	ioapic_write(IOAPIC_REDIR(irq) + 1, lapic_id() << 24);
	ioapic_write(IOAPIC_REDIR(irq), vector);
}
