/* SPDX-License-Identifier: MIT */
/* Local APIC (timer, EOI, IPIs) and I/O APIC (device IRQ routing). */
#ifndef ARCH_X86_APIC_H
#define ARCH_X86_APIC_H

#include <lib/types.h>

/* Where the APICs are on PCs and QEMU; the MADT is only checked against
 * these (arch/x86/smpboot.c warns if it disagrees). */
#define LAPIC_PHYS	0xfee00000UL
#define IOAPIC_PHYS	0xfec00000UL

void lapic_init(void);
/* On an application processor: enable its local APIC (no calibration). */
void lapic_init_ap(void);
void lapic_eoi(void);
u32 lapic_id(void);
void ioapic_init(void);
void ioapic_route_irq(unsigned irq, unsigned vector);

/* IPIs that start a CPU (arch/x86/smpboot.c). 0 or -ETIMEDOUT. */
int lapic_send_init(u32 apic_id);
int lapic_send_startup(u32 apic_id, u8 page);
/* Raise @vector on another CPU (reschedule, function call). Any context. */
int lapic_send_vector(u32 apic_id, u8 vector);

/* Start this CPU's periodic timer at @hz; calls @tick (if not NULL) from
 * the interrupt, after counting the tick in cpu_stats. */
struct pt_regs;
void lapic_timer_start(unsigned hz, void (*tick)(struct pt_regs *regs));

/* Timer ticks per second measured at boot (divide-by-16 clock). */
extern u64 lapic_timer_hz;

#endif
