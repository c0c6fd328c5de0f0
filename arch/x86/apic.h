/* SPDX-License-Identifier: MIT */
/* Local APIC (timer, EOI, IPIs) and I/O APIC (device IRQ routing). */
#ifndef ARCH_X86_APIC_H
#define ARCH_X86_APIC_H

#include <lib/types.h>

void lapic_init(void);
void lapic_eoi(void);
u32 lapic_id(void);
void ioapic_init(void);
void ioapic_route_irq(unsigned irq, unsigned vector);

/* Start the periodic timer at @hz; calls @tick from the interrupt. */
struct pt_regs;
void lapic_timer_start(unsigned hz, void (*tick)(struct pt_regs *regs));

/* Timer ticks per second measured at boot (divide-by-16 clock). */
extern u64 lapic_timer_hz;

#endif
