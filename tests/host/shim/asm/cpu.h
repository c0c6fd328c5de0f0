/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for asm/cpu.h: a test thread spinning for another gives
 * the host CPU away instead of pausing on it.
 */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <sched.h>

static inline void cpu_relax(void)
{
	sched_yield();
}

#endif
