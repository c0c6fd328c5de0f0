// SPDX-License-Identifier: MIT
/*
 * Probes on instructions that may fault on purpose.
 *
 * A load with an exception-table entry (copy_from_kernel_nofault()'s)
 * faults on a bad address, and the fault handler resumes at the entry's
 * fixup. Run from a boosted slot or an optimized probe's detour, the same
 * load would fault at an address with no entry, and the kernel would die.
 * So such an instruction is never boosted nor moved into a detour - not as
 * the probed instruction, and not as a neighbour the jmp would cover - and
 * single-stepped, its fault is handled as at the original address.
 *
 * Jump optimization is on and synchronous throughout: a probe that could
 * be optimized is, before the test calls through it.
 */
#include <kernel/selftest.h>
#include <kernel/kallsyms.h>
#include <kernel/nofault.h>
#include <trace/kprobes_arch.h>
#include <asm/extable.h>
#include <asm/insn.h>
#include <lib/compiler.h>
#include <lib/errno.h>

#define BAD_ADDRESS	0xffffc9fffffff000UL	/* kernel half, never mapped */

extern const struct exception_table_entry __start_ex_table[], __stop_ex_table[];

struct counts {
	unsigned long pre, post;
};

static int count_pre(struct kprobe *p, struct pt_regs *regs)
{
	(void)regs;
	((struct counts *)p->data)->pre++;
	return 0;
}

static void count_post(struct kprobe *p, struct pt_regs *regs, unsigned long flags)
{
	(void)regs;
	(void)flags;
	((struct counts *)p->data)->post++;
}

/* The loads with an exception-table entry inside @fn; returns how many. */
static unsigned extable_loads_in(unsigned long fn, unsigned long *at, unsigned max)
{
	const struct exception_table_entry *e;
	struct ksym sym;
	unsigned n = 0;

	if (!kallsyms_lookup_addr(fn, &sym, NULL))
		return 0;
	for (e = __start_ex_table; e < __stop_ex_table && n < max; e++) {
		unsigned long insn = (unsigned long)&e->insn + e->insn;

		if (insn >= sym.addr && insn < sym.addr + sym.size)
			at[n++] = insn;
	}
	return n;
}

/* What kprobes made of @p, as far as these tests care: boosted or optimized. */
static unsigned long state_of(struct kprobe *p)
{
	return kprobe_state(p) & (KPROBE_FLAG_BOOSTED | KPROBE_FLAG_OPTIMIZED);
}

static void optimization_synchronous(bool on)
{
	kprobes_set_optimize_sync(on);
	kprobes_set_optimization(true);
}

/*
 * A probe on each fault-safe load of copy_from_kernel_nofault(), with and
 * without a post_handler: a bad read of 8 bytes faults at the 8-byte
 * load, one of 1 byte at the byte load; a good read of each size then
 * runs the load once more. Each probe sees exactly 2 hits; the
 * post_handler runs for the load that completed, not for the fault.
 */
static void one_fault_safe_load(struct selftest *t, unsigned long at, bool with_post)
{
	struct counts c = { 0 };
	struct kprobe kp = { .addr = at, .pre_handler = count_pre,
			     .post_handler = with_post ? count_post : NULL, .data = &c };
	u64 v = 0, good = 0x1122334455667788ULL;
	u8 b = 0;

	ASSERT_EQ(t, register_kprobe(&kp), 0);
	/* Registering read the text through copy_from_kernel_nofault() (the
	 * optimizer's checks, once armed): count from here. */
	c = (struct counts){ 0 };
	EXPECT_EQ(t, state_of(&kp), 0);			/* single-stepped */
	EXPECT_EQ(t, copy_from_kernel_nofault(&v, (void *)BAD_ADDRESS, 8), -EFAULT);
	EXPECT_EQ(t, copy_from_kernel_nofault(&b, (void *)BAD_ADDRESS, 1), -EFAULT);
	EXPECT_EQ(t, c.pre, 1);
	EXPECT_EQ(t, c.post, 0);
	EXPECT_EQ(t, copy_from_kernel_nofault(&v, &good, 8), 0);
	EXPECT_EQ(t, copy_from_kernel_nofault(&b, &good, 1), 0);
	EXPECT_EQ(t, v, good);
	EXPECT_EQ(t, b, 0x88);
	EXPECT_EQ(t, c.pre, 2);
	EXPECT_EQ(t, c.post, with_post ? 1 : 0);
	EXPECT_EQ(t, kp.nmissed, 0);
	unregister_kprobe(&kp);
}

static void fault_safe_loads_are_single_stepped_and_fixed_up(struct selftest *t)
{
	unsigned long at[4];
	unsigned n = extable_loads_in((unsigned long)copy_from_kernel_nofault, at, 4), i;

	ASSERT_EQ(t, n, 2);		/* the 8-byte load and the byte load */
	optimization_synchronous(true);
	for (i = 0; i < n; i++) {
		one_fault_safe_load(t, at[i], false);
		one_fault_safe_load(t, at[i], true);
	}
	optimization_synchronous(false);
}

/* An ordinary 3-byte mov, then a 3-byte load that may fault: a jmp at the
 * mov would cover the load too. */
noinline long kx_mov_then_load(const void *p)
{
	u64 v;

	asm goto("movq %1, %0\n\t"
		 "1: movq (%0), %0\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : "=&r"(v) : "r"(p) : "memory" : fault);
	return (long)v;
fault:
	return -EFAULT;
}

/* The boundary just before @load in @fn, or 0. */
static unsigned long insn_before(unsigned long fn, unsigned long load)
{
	unsigned long pc = fn, prev = 0;

	while (pc < load) {
		u8 buf[INSN_MAX_LEN];
		struct insn in;

		if (arch_recover_text(pc, buf, sizeof(buf), NULL) || insn_decode(&in, buf, sizeof(buf)))
			return 0;
		prev = pc;
		pc += in.length;
	}
	return pc == load ? prev : 0;
}

static void a_jmp_never_covers_a_load_that_may_fault(struct selftest *t)
{
	unsigned long load, mov;
	struct counts c = { 0 };
	struct kprobe kp = { .pre_handler = count_pre, .data = &c };
	long good = 77;

	ASSERT_EQ(t, extable_loads_in((unsigned long)kx_mov_then_load, &load, 1), 1);
	mov = insn_before((unsigned long)kx_mov_then_load, load);
	ASSERT_TRUE(t, mov != 0 && load - mov < JMP32_INSN_SIZE);	/* the jmp would cover it */
	kp.addr = mov;
	optimization_synchronous(true);
	ASSERT_EQ(t, register_kprobe(&kp), 0);
	EXPECT_EQ(t, state_of(&kp), KPROBE_FLAG_BOOSTED);	/* the mov itself is harmless */
	EXPECT_EQ(t, kx_mov_then_load((void *)BAD_ADDRESS), -EFAULT);
	EXPECT_EQ(t, kx_mov_then_load(&good), 77);
	EXPECT_EQ(t, c.pre, 2);
	unregister_kprobe(&kp);
	optimization_synchronous(false);
}

static const struct selftest_case kprobe_extable_cases[] = {
	SELFTEST_CASE(fault_safe_loads_are_single_stepped_and_fixed_up),
	SELFTEST_CASE(a_jmp_never_covers_a_load_that_may_fault),
};
SELFTEST_SUITE("kprobe_extable", kprobe_extable_cases);
