/* SPDX-License-Identifier: MIT */
/* Bring-up of the descriptor tables (arch/x86/desc.c). */
#ifndef ARCH_X86_DESC_SETUP_H
#define ARCH_X86_DESC_SETUP_H

#include <asm/desc.h>

void idt_setup(void);
void cpu_init_descriptors(const unsigned long *ist_tops);
struct tss *cpu_tss_this(void);

#endif
