/* SPDX-License-Identifier: MIT */
/* Interrupt routing and exception reporting (arch/x86/traps.c). */
#ifndef ARCH_X86_TRAPS_H
#define ARCH_X86_TRAPS_H

#include <lib/types.h>

struct pt_regs;

typedef void (*irq_handler_t)(struct pt_regs *regs);

int irq_set_handler(unsigned vector, irq_handler_t fn);
const char *exception_name(unsigned long vector);
void irq_dispatch(struct pt_regs *regs, unsigned long vector);

#endif
