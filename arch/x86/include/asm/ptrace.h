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
#include <lib/compiler.h>
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

/*
 * Where regs_get_arg(regs, @n) and regs_return_value() read, as offsets
 * in struct pt_regs (-1: argument @n is not in a register), for code
 * that decides once what to read and then reads it at every hit.
 */
static inline int regs_arg_offset(unsigned n)
{
	switch (n) {
	case 1: return PTREGS_DI;
	case 2: return PTREGS_SI;
	case 3: return PTREGS_DX;
	case 4: return PTREGS_CX;
	case 5: return PTREGS_R8;
	case 6: return PTREGS_R9;
	default: return -1;
	}
}

static inline int regs_return_value_offset(void)
{
	return PTREGS_AX;
}

static inline unsigned long instruction_pointer(const struct pt_regs *regs)
{
	return regs->ip;
}

static inline void instruction_pointer_set(struct pt_regs *regs, unsigned long ip)
{
	regs->ip = ip;
}

/*
 * Registers by name, for probe fetch-args (%di, %rax, %r8d, %ip ...).
 * Linux's names (ax, di, r8, ip, flags ...) and the usual 64-bit (rax,
 * rdi) and 32-bit (eax, edi, r8d) ones; a 32-bit name reads the low half.
 */
struct pt_regs_name {
	const char *name;
	unsigned short offset;		/* in struct pt_regs */
	unsigned char width;		/* bytes: 8 or 4 */
};

#define PT_REGS_NAME(n, o, w)	{ n, o, w }
#define PT_REGS_GPR(n64, rn, n32, o) \
	PT_REGS_NAME(n64, o, 8), PT_REGS_NAME(rn, o, 8), PT_REGS_NAME(n32, o, 4)

/**
 * regs_query_register - find the register called @name (@len bytes)
 * @offset, @width: where it is in struct pt_regs and how many bytes count
 *
 * Returns true if @name is a register.
 */
static inline bool regs_query_register(const char *name, unsigned long len,
				       unsigned *offset, unsigned *width)
{
	static const struct pt_regs_name names[] = {
		PT_REGS_GPR("ax", "rax", "eax", PTREGS_AX),
		PT_REGS_GPR("bx", "rbx", "ebx", PTREGS_BX),
		PT_REGS_GPR("cx", "rcx", "ecx", PTREGS_CX),
		PT_REGS_GPR("dx", "rdx", "edx", PTREGS_DX),
		PT_REGS_GPR("si", "rsi", "esi", PTREGS_SI),
		PT_REGS_GPR("di", "rdi", "edi", PTREGS_DI),
		PT_REGS_GPR("bp", "rbp", "ebp", PTREGS_BP),
		PT_REGS_GPR("sp", "rsp", "esp", PTREGS_SP),
		PT_REGS_GPR("r8", "r8", "r8d", PTREGS_R8),
		PT_REGS_GPR("r9", "r9", "r9d", PTREGS_R9),
		PT_REGS_GPR("r10", "r10", "r10d", PTREGS_R10),
		PT_REGS_GPR("r11", "r11", "r11d", PTREGS_R11),
		PT_REGS_GPR("r12", "r12", "r12d", PTREGS_R12),
		PT_REGS_GPR("r13", "r13", "r13d", PTREGS_R13),
		PT_REGS_GPR("r14", "r14", "r14d", PTREGS_R14),
		PT_REGS_GPR("r15", "r15", "r15d", PTREGS_R15),
		PT_REGS_GPR("ip", "rip", "eip", PTREGS_IP),
		PT_REGS_NAME("flags", PTREGS_FLAGS, 8),
		PT_REGS_NAME("cs", PTREGS_CS, 8),
		PT_REGS_NAME("ss", PTREGS_SS, 8),
		PT_REGS_NAME("orig_ax", PTREGS_ORIG_AX, 8),
	};
	unsigned i, j;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		for (j = 0; j < len && names[i].name[j] == name[j]; j++)
			;
		if (j == len && !names[i].name[len]) {
			*offset = names[i].offset;
			*width = names[i].width;
			return true;
		}
	}
	return false;
}

/* The register at @offset (from regs_query_register()), @width bytes of it. */
static inline unsigned long regs_get_register(const struct pt_regs *regs, unsigned offset,
					      unsigned width)
{
	unsigned long v = *(const unsigned long *)((const char *)regs + offset);

	return width == 4 ? (unsigned int)v : v;
}

/* The @n-th word on the stack at the probed point (0: the one at sp). */
static inline unsigned long regs_stack_nth_addr(const struct pt_regs *regs, unsigned n)
{
	return regs->sp + n * sizeof(unsigned long);
}

#endif /* __ASSEMBLY__ */
#endif /* ASM_PTRACE_H */
