/* SPDX-License-Identifier: MIT */
/* COM1 (arch/x86/serial.c). */
#ifndef ARCH_X86_SERIAL_H
#define ARCH_X86_SERIAL_H

#include <lib/types.h>

void serial_init_early(void);
void serial_init_irq(void);
void serial_write(const char *s, size_t len);

#endif
