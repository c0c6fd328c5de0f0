/* SPDX-License-Identifier: MIT */
/*
 * The arch half of a context switch: what a sleeping task saves.
 */
#ifndef ASM_SWITCH_TO_H
#define ASM_SWITCH_TO_H

#include <lib/types.h>

struct task_struct;

struct thread_struct {
	unsigned long sp;	/* kernel stack pointer while switched out */
};

/* The switch itself, and a new task's first stack, are declared with the
 * rest of the arch contract in kernel/arch.h (arch/x86/switch.S,
 * process.c). */

#endif
