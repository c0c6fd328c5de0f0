/* SPDX-License-Identifier: MIT */
/*
 * struct pt_regs: the saved register state of an interrupted context.
 *
 * One layout, Linux's x86-64 order, built by every path that hands
 * registers to a handler: the interrupt/exception entry stubs, the ftrace
 * regs trampoline, the rethook trampoline and the optimized-kprobe detour.
 * The last five words are what the CPU pushes on an interrupt; orig_ax holds
 * the exception's error code (or -1 when there is none).
 */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#define PTREGS_R15	0
#define PTREGS_R14	8
#define PTREGS_R13	16
#define PTREGS_R12	24
#define PTREGS_BP	32
#define PTREGS_BX	40
#define PTREGS_R11	48
#define PTREGS_R10	56
#define PTREGS_R9	64
#define PTREGS_R8	72
#define PTREGS_AX	80
#define PTREGS_CX	88
#define PTREGS_DX	96
#define PTREGS_SI	104
#define PTREGS_DI	112
#define PTREGS_ORIG_AX	120
#define PTREGS_IP	128
#define PTREGS_CS	136
#define PTREGS_FLAGS	144
#define PTREGS_SP	152
#define PTREGS_SS	160
#define PTREGS_SIZE	168

#ifndef __ASSEMBLY__
#include <lib/types.h>

struct pt_regs {
	unsigned long r15;
	unsigned long r14;
	unsigned long r13;
	unsigned long r12;
	unsigned long bp;
	unsigned long bx;
	unsigned long r11;
	unsigned long r10;
	unsigned long r9;
	unsigned long r8;
	unsigned long ax;
	unsigned long cx;
	unsigned long dx;
	unsigned long si;
	unsigned long di;
	unsigned long orig_ax;
	unsigned long ip;
	unsigned long cs;
	unsigned long flags;
	unsigned long sp;
	unsigned long ss;
};

_Static_assert(sizeof(struct pt_regs) == PTREGS_SIZE, "pt_regs layout");
_Static_assert(__builtin_offsetof(struct pt_regs, ip) == PTREGS_IP, "pt_regs layout");

/* The function arguments of the x86-64 System V calling convention. */
static inline unsigned long regs_get_arg(const struct pt_regs *regs, unsigned n)
{
	switch (n) {
	case 1: return regs->di;
	case 2: return regs->si;
	case 3: return regs->dx;
	case 4: return regs->cx;
	case 5: return regs->r8;
	case 6: return regs->r9;
	default: return 0;
	}
}

static inline unsigned long regs_return_value(const struct pt_regs *regs)
{
	return regs->ax;
}

static inline unsigned long instruction_pointer(const struct pt_regs *regs)
{
	return regs->ip;
}

static inline void instruction_pointer_set(struct pt_regs *regs, unsigned long ip)
{
	regs->ip = ip;
}

#endif /* __ASSEMBLY__ */
#endif /* ASM_PTRACE_H */
