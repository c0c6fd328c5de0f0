// SPDX-License-Identifier: MIT
/*
 * Self-tests of kprobes, after Linux's: handlers run once per call and see
 * the arguments; two probes share an address; probes on a RIP-relative
 * load, a relative call and a conditional jump leave results correct;
 * boosting, emulation, a probe on a faulting load, disable/enable; the
 * checks refuse what they must with the right errno; slots come back; and
 * registering and unregistering while the function runs leaks nothing.
 */
#include "leak_check.h"
#include <kernel/selftest.h>
#include <kernel/kallsyms.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/nofault.h>
#include <kernel/sched.h>
#include <kernel/wait.h>
#include <trace/kprobes.h>
#include <trace/ftrace.h>
#include <trace/kprobes_arch.h>
#include <asm/cpu.h>
#include <asm/extable.h>
#include <asm/insn.h>
#include <asm/ptrace.h>
#include <asm/text-patching.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/string.h>

static volatile int kp_global = 7;

noinline int kp_helper(int x)
{
	barrier();
	return x * 5;
}

/* A function with the instructions the tests probe: a conditional jump, a
 * RIP-relative load (kp_global) and a relative call (kp_helper). */
noinline int kp_target(int a, int b)
{
	int r = a * 3;

	if (a > b)
		r += kp_global;
	else
		r -= kp_helper(b);
	return r + b;
}

static int kp_expected(int a, int b)
{
	return a > b ? a * 3 + 7 + b : a * 3 - b * 5 + b;
}

struct hits {
	unsigned long pre, post, arg1;
};

static int count_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct hits *h = p->data;

	h->pre++;
	h->arg1 = regs->di;
	return 0;
}

static void count_post(struct kprobe *p, struct pt_regs *regs, unsigned long flags)
{
	struct hits *h = p->data;

	(void)regs;
	(void)flags;
	h->post++;
}

/* The first instruction of kp_target (after @from) whose kind is @kind,
 * or with a RIP-relative operand if @rip; 0 if none. */
static unsigned long find_insn(unsigned long fn, unsigned from, int kind, bool rip)
{
	struct ksym sym;
	unsigned long pc;

	if (!kallsyms_lookup_addr(fn, &sym, NULL))
		return 0;
	for (pc = fn; pc < fn + sym.size;) {
		struct insn in;

		if (insn_decode(&in, (void *)pc, INSN_MAX_LEN))
			return 0;
		if (pc >= fn + from && (rip ? in.rip_relative : (int)in.kind == kind))
			return pc;
		pc += in.length;
	}
	return 0;
}

/* Armed: an int3, or the jmp of a jump-optimized probe. */
static bool site_armed(unsigned long at)
{
	u8 b = *(u8 *)at;

	return b == INT3_INSN_OPCODE || b == JMP32_INSN_OPCODE;
}

static void check_results(struct selftest *t)
{
	int a, b;

	for (a = -3; a < 4; a++)
		for (b = -3; b < 4; b++)
			EXPECT_EQ(t, kp_target(a, b), kp_expected(a, b));
}

/* A probe mid-function with pre and post handlers: both once per call. */
static void pre_and_post_run_once_per_call(struct selftest *t)
{
	struct hits h = { 0 };
	struct kprobe kp = { .symbol_name = "kp_target", .offset = 0,
			     .pre_handler = count_pre, .post_handler = count_post, .data = &h };
	unsigned long at = find_insn((unsigned long)kp_target, 5, INSN_ORDINARY, false);
	int i;

	ASSERT_TRUE(t, at != 0);
	kp.offset = at - (unsigned long)kp_target;
	ASSERT_EQ(t, register_kprobe(&kp), 0);
	EXPECT_TRUE(t, site_armed(at));
	for (i = 0; i < 10; i++)
		EXPECT_EQ(t, kp_target(i, 100), kp_expected(i, 100));
	EXPECT_EQ(t, h.pre, 10);
	EXPECT_EQ(t, h.post, 10);
	EXPECT_EQ(t, h.arg1, 9);
	unregister_kprobe(&kp);
	EXPECT_TRUE(t, !site_armed(at));
	kp_target(1, 2);
	EXPECT_EQ(t, h.pre, 10);
}

/* At the fentry site the probe goes through ftrace, with the same handlers. */
static void entry_probe_uses_ftrace(struct selftest *t)
{
	struct hits h = { 0 };
	struct kprobe kp = { .symbol_name = "kp_target", .pre_handler = count_pre,
			     .post_handler = count_post, .data = &h };

	u64 patched = ftrace_sites_patched;

	ASSERT_EQ(t, register_kprobe(&kp), 0);
	EXPECT_NE(t, *(u8 *)kp_target, INT3_INSN_OPCODE);
	EXPECT_EQ(t, kp_target(42, 1), kp_expected(42, 1));
	EXPECT_EQ(t, h.pre, 1);
	EXPECT_EQ(t, h.post, 1);
	EXPECT_EQ(t, h.arg1, 42);
	unregister_kprobe(&kp);
	/* Its own site, on and off: never every site for a moment (an empty
	 * filter on a live ops means every function). */
	EXPECT_EQ(t, ftrace_sites_patched - patched, 2);
}

static void two_probes_share_an_address(struct selftest *t)
{
	struct hits h1 = { 0 }, h2 = { 0 };
	unsigned long at = find_insn((unsigned long)kp_target, 5, INSN_ORDINARY, false);
	struct kprobe a = { .addr = at, .pre_handler = count_pre, .data = &h1 };
	struct kprobe b = { .addr = at, .pre_handler = count_pre, .data = &h2 };

	ASSERT_EQ(t, register_kprobe(&a), 0);
	ASSERT_EQ(t, register_kprobe(&b), 0);
	EXPECT_EQ(t, register_kprobe(&a), -EEXIST);
	kp_target(1, 2);
	EXPECT_EQ(t, h1.pre, 1);
	EXPECT_EQ(t, h2.pre, 1);
	unregister_kprobe(&a);			/* the first one goes first */
	kp_target(1, 2);
	EXPECT_EQ(t, h1.pre, 1);
	EXPECT_EQ(t, h2.pre, 2);
	EXPECT_TRUE(t, site_armed(at));
	unregister_kprobe(&b);
	EXPECT_TRUE(t, !site_armed(at));
}

/* Probe one instruction of each hard kind; results must not change. */
static void probe_kind_keeps_results(struct selftest *t, unsigned long at, bool with_post)
{
	struct hits h = { 0 };
	struct kprobe kp = { .addr = at, .pre_handler = count_pre,
			     .post_handler = with_post ? count_post : NULL, .data = &h };

	ASSERT_TRUE(t, at != 0);
	ASSERT_EQ(t, register_kprobe(&kp), 0);
	check_results(t);
	EXPECT_TRUE(t, h.pre > 0);
	unregister_kprobe(&kp);
}

static void rip_relative_call_and_jcc_probes_keep_results(struct selftest *t)
{
	unsigned long fn = (unsigned long)kp_target;

	probe_kind_keeps_results(t, find_insn(fn, 5, 0, true), true);	/* single-stepped */
	probe_kind_keeps_results(t, find_insn(fn, 5, 0, true), false);	/* boosted */
	probe_kind_keeps_results(t, find_insn(fn, 5, INSN_CALL_REL32, false), true);
	probe_kind_keeps_results(t, find_insn(fn, 5, INSN_JCC_REL8, false), true);
}

static void boosted_probe_counts_without_a_trap_per_hit(struct selftest *t)
{
	struct hits h = { 0 };
	unsigned long at = find_insn((unsigned long)kp_target, 5, INSN_ORDINARY, false);
	struct kprobe kp = { .addr = at, .pre_handler = count_pre, .data = &h };
	int i;

	ASSERT_EQ(t, register_kprobe(&kp), 0);
	for (i = 0; i < 100; i++)
		kp_target(i, 0);
	EXPECT_EQ(t, h.pre, 100);
	EXPECT_NE(t, kprobe_slot_address(&kp), 0);
	EXPECT_TRUE(t, kprobe_state(&kp) & (KPROBE_FLAG_BOOSTED | KPROBE_FLAG_OPTIMIZED));
	unregister_kprobe(&kp);
}

/* kprobes_for_each() callback: count the visits of @want. */
struct walk_count {
	const struct kprobe *want;
	unsigned seen;
};

static void count_visit(struct kprobe *p, void *arg)
{
	struct walk_count *w = arg;

	if (p == w->want)
		w->seen++;
}

/* A walk only looks: the probe's own flags stay what its owner set. */
static void walking_the_probes_changes_none(struct selftest *t)
{
	unsigned long at = find_insn((unsigned long)kp_target, 5, INSN_ORDINARY, false);
	struct hits h = { 0 };
	struct kprobe kp = { .addr = at, .pre_handler = count_pre, .data = &h };
	struct walk_count w = { .want = &kp };
	unsigned long flags;

	ASSERT_EQ(t, register_kprobe(&kp), 0);
	flags = kp.flags;
	kprobes_for_each(count_visit, &w);
	EXPECT_EQ(t, w.seen, 1);
	EXPECT_EQ(t, kp.flags, flags);
	EXPECT_NE(t, kprobe_state(&kp), 0);		/* boosted or optimized */
	unregister_kprobe(&kp);
	EXPECT_EQ(t, kprobe_state(&kp), 0);		/* gone: nothing to say */
}

static void disable_and_enable(struct selftest *t)
{
	struct hits h = { 0 };
	unsigned long at = find_insn((unsigned long)kp_target, 5, INSN_ORDINARY, false);
	struct kprobe kp = { .addr = at, .pre_handler = count_pre, .data = &h };

	ASSERT_EQ(t, register_kprobe(&kp), 0);
	kp_target(1, 2);
	EXPECT_EQ(t, disable_kprobe(&kp), 0);
	EXPECT_TRUE(t, !site_armed(at));
	kp_target(1, 2);
	EXPECT_EQ(t, enable_kprobe(&kp), 0);
	kp_target(1, 2);
	EXPECT_EQ(t, h.pre, 2);
	EXPECT_EQ(t, kprobes_set_enabled(false), 0);
	kp_target(1, 2);
	EXPECT_EQ(t, kprobes_set_enabled(true), 0);
	kp_target(1, 2);
	EXPECT_EQ(t, h.pre, 3);
	unregister_kprobe(&kp);
}

/* A probe on the load copy_from_kernel_nofault() uses: the copy faults in
 * its slot, and the exception table must still turn it into -EFAULT. */
static void probe_on_a_faulting_load_keeps_the_fixup(struct selftest *t)
{
	extern const struct exception_table_entry __start_ex_table[];
	const struct exception_table_entry *e = __start_ex_table;
	struct hits h = { 0 };
	struct kprobe kp = { .pre_handler = count_pre, .post_handler = count_post, .data = &h };
	u64 v;

	kp.addr = (unsigned long)&e->insn + e->insn;	/* the first fault-safe access */
	ASSERT_EQ(t, register_kprobe(&kp), 0);
	EXPECT_EQ(t, copy_from_kernel_nofault(&v, (void *)0xffffc9fffffff000UL, 8), -EFAULT);
	EXPECT_EQ(t, copy_from_kernel_nofault(&v, &kp, 8), 0);
	EXPECT_TRUE(t, h.pre >= 1);
	unregister_kprobe(&kp);
}

static void bad_addresses_are_refused(struct selftest *t)
{
	struct kprobe kp = { 0 };
	static int data;

	kp.addr = (unsigned long)kp_target + 1;			/* inside the NOP */
	EXPECT_EQ(t, register_kprobe(&kp), -EILSEQ);
	kp = (struct kprobe){ .addr = (unsigned long)&data };
	EXPECT_EQ(t, register_kprobe(&kp), -EFAULT);
	kp = (struct kprobe){ .symbol_name = "kprobe_int3_handler" };
	EXPECT_EQ(t, register_kprobe(&kp), -EPERM);
	kp = (struct kprobe){ .symbol_name = "irq_dispatch" };
	EXPECT_EQ(t, register_kprobe(&kp), -EPERM);
	kp = (struct kprobe){ .symbol_name = "insn_decode", .offset = 4 };
	EXPECT_EQ(t, register_kprobe(&kp), -EPERM);
	kp = (struct kprobe){ .symbol_name = "no_such_symbol_here" };
	EXPECT_EQ(t, register_kprobe(&kp), -ENOENT);
	kp = (struct kprobe){ .symbol_name = "kp_target", .addr = (unsigned long)kp_target };
	EXPECT_EQ(t, register_kprobe(&kp), -EINVAL);
	kp = (struct kprobe){ .symbol_name = "cpu_idle" };	/* ends in hlt... */
	kp.offset = find_insn((unsigned long)cpu_idle, 0, INSN_HLT, false) - (unsigned long)cpu_idle;
	if (kp.offset)
		EXPECT_EQ(t, register_kprobe(&kp), -EOPNOTSUPP);
}

static void slot_pages_come_back(struct selftest *t)
{
	struct kprobe_slot_stats before, during, after;
	void *slots[300];
	int i;

	kprobe_slots_gc();
	kprobe_slot_stats(&before);
	for (i = 0; i < 300; i++) {
		slots[i] = kprobe_slot_alloc(0, 0);
		ASSERT_TRUE(t, slots[i] != NULL);
	}
	kprobe_slot_stats(&during);
	EXPECT_TRUE(t, during.pages >= 3);
	EXPECT_EQ(t, during.used, before.used + 300);
	for (i = 0; i < 300; i++)
		kprobe_slot_free(slots[i]);
	kprobe_slots_gc();
	kprobe_slot_stats(&after);
	EXPECT_EQ(t, after.used, before.used);
	EXPECT_EQ(t, after.dirty, 0);
	EXPECT_TRUE(t, after.pages <= (before.pages ? before.pages : 1));
}

struct race {
	volatile bool stop;
	unsigned long calls, wrong;
	struct completion done;
};

static int race_caller(void *arg)
{
	struct race *r = arg;
	int i = 0;

	while (!r->stop) {
		if (kp_target(i & 7, 3) != kp_expected(i & 7, 3))
			r->wrong++;
		r->calls++;
		i++;
	}
	return 0;
}

static void register_unregister_race_leaks_nothing(struct selftest *t)
{
	unsigned long at = find_insn((unsigned long)kp_target, 5, 0, true);
	struct kmalloc_usage before, after;
	struct race r = { .stop = false };
	struct task_struct *th;
	struct hits h = { 0 };
	int i, err = 0;

	leak_check_start(&before);
	init_completion(&r.done);
	th = kthread_create(race_caller, &r, "kp-race");
	ASSERT_TRUE(t, th != NULL);
	th->exit_done = &r.done;
	wake_up_process(th);
	for (i = 0; i < 1000 && !err; i++) {
		struct kprobe kp = { .addr = at, .pre_handler = count_pre,
				     .post_handler = (i & 1) ? count_post : NULL, .data = &h };

		err = register_kprobe(&kp);
		if (!err)
			unregister_kprobe(&kp);
	}
	r.stop = true;
	wait_for_completion(&r.done);
	EXPECT_EQ(t, err, 0);
	EXPECT_EQ(t, r.wrong, 0);
	EXPECT_TRUE(t, r.calls > 0);
	kprobe_slots_gc();
	leak_check_end(&before, &after);
	EXPECT_EQ(t, after.objects, before.objects);
}

/* A pre_handler that calls a probed function: the inner hit is missed. */
static int call_helper_pre(struct kprobe *p, struct pt_regs *regs)
{
	(void)regs;
	((struct hits *)p->data)->pre++;
	kp_helper(1);
	return 0;
}

static void hit_inside_a_handler_is_missed_not_fatal(struct selftest *t)
{
	struct hits outer_h = { 0 }, inner_h = { 0 };
	struct kprobe outer = { .addr = find_insn((unsigned long)kp_target, 5, INSN_ORDINARY, false),
				.pre_handler = call_helper_pre, .data = &outer_h };
	struct kprobe inner = { .addr = find_insn((unsigned long)kp_helper, 5, INSN_ORDINARY, false),
				.pre_handler = count_pre, .data = &inner_h };

	ASSERT_EQ(t, register_kprobe(&inner), 0);
	ASSERT_EQ(t, register_kprobe(&outer), 0);
	EXPECT_EQ(t, kp_target(1, 2), kp_expected(1, 2));
	EXPECT_EQ(t, outer_h.pre, 1);
	EXPECT_EQ(t, inner.nmissed, 1);		/* kp_helper(1) from the handler */
	EXPECT_EQ(t, inner_h.pre, 1);		/* kp_target's own call of kp_helper */
	unregister_kprobe(&outer);
	unregister_kprobe(&inner);
}

/* A pre_handler that returns for the function: regs->ip moved, the
 * instruction is skipped, the caller gets the handler's value. */
static int fake_return_pre(struct kprobe *p, struct pt_regs *regs)
{
	(void)p;
	regs->ax = 4242;
	regs->ip = *(unsigned long *)regs->sp;	/* before push %rbp: the return address */
	regs->sp += 8;
	return 1;
}

static void pre_handler_changing_ip_skips_the_instruction(struct selftest *t)
{
	/* IPMODIFY: the handler moves RIP, so the probe is never jump-optimized
	 * (a detour cannot follow a new RIP). */
	struct kprobe kp = { .addr = (unsigned long)kp_helper + MCOUNT_INSN_SIZE,
			     .pre_handler = fake_return_pre, .flags = KPROBE_FLAG_IPMODIFY };

	ASSERT_EQ(t, *(u8 *)kp.addr, 0x55);	/* push %rbp, after the fentry NOP */
	ASSERT_EQ(t, register_kprobe(&kp), 0);
	EXPECT_EQ(t, kp_helper(3), 4242);
	unregister_kprobe(&kp);
	EXPECT_EQ(t, kp_helper(3), 15);
}

/* The suite runs twice: jump optimization forced off, then forced on
 * (synchronous, so each probe is optimized before the test calls through it). */
static void optimization_forced_off(struct selftest *t)
{
	kprobes_set_optimize_sync(false);
	kprobes_set_optimization(false);
	EXPECT_TRUE(t, !kprobes_optimization());
}

static void optimization_forced_on(struct selftest *t)
{
	kprobes_set_optimization(true);
	kprobes_set_optimize_sync(true);
	EXPECT_TRUE(t, kprobes_optimization());
}

static void optimization_back_to_default(struct selftest *t)
{
	kprobes_set_optimize_sync(false);
	kprobes_set_optimization(true);
	EXPECT_TRUE(t, kprobes_optimization());
}

/* A probe on push %rbp (+5) of kp_helper covers whole, plain instructions:
 * it is optimized, and its hits still count. */
static void boosted_probe_is_jump_optimized(struct selftest *t)
{
	struct hits h = { 0 };
	struct kprobe kp = { .addr = (unsigned long)kp_helper + MCOUNT_INSN_SIZE,
			     .pre_handler = count_pre, .data = &h };
	int i;

	ASSERT_EQ(t, register_kprobe(&kp), 0);
	EXPECT_EQ(t, *(u8 *)kp.addr, JMP32_INSN_OPCODE);
	for (i = 0; i < 50; i++)
		EXPECT_EQ(t, kp_helper(i), 5 * i);
	EXPECT_EQ(t, h.pre, 50);
	EXPECT_EQ(t, h.arg1, 49);
	EXPECT_EQ(t, kprobe_state(&kp), KPROBE_FLAG_OPTIMIZED);
	unregister_kprobe(&kp);
	EXPECT_EQ(t, *(u8 *)kp.addr, 0x55);
	EXPECT_EQ(t, kp_helper(2), 10);
}

/* Called from inline asm right after setting ZF, so its fentry site sees
 * the caller's flags; a kprobe there must report them as they were. */
noinline void kp_flags_target(void)
{
	barrier();
}

static void call_with_zf(bool zf)
{
	if (zf)
		asm volatile("xor %%eax, %%eax\n\tcall kp_flags_target" : : :
			     "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory", "cc");
	else
		asm volatile("or $1, %%eax\n\tcall kp_flags_target" : : :
			     "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory", "cc");
}

static int note_zf(struct kprobe *p, struct pt_regs *regs)
{
	*(unsigned long *)p->data = regs->flags & X86_EFLAGS_ZF;
	return 0;
}

/* The ftrace trampoline saves the flags before it changes any (a `sub`
 * on %rsp would set ZF from the new stack pointer): %flags at an entry
 * probe is what the caller left. */
static void entry_probe_sees_the_callers_flags(struct selftest *t)
{
	unsigned long zf = ~0UL;
	struct kprobe kp = { .symbol_name = "kp_flags_target", .pre_handler = note_zf, .data = &zf };

	ASSERT_EQ(t, register_kprobe(&kp), 0);
	call_with_zf(true);
	EXPECT_EQ(t, zf, X86_EFLAGS_ZF);
	call_with_zf(false);
	EXPECT_EQ(t, zf, 0);
	unregister_kprobe(&kp);
}

#define KPROBE_CASES \
	SELFTEST_CASE(pre_and_post_run_once_per_call), \
	SELFTEST_CASE(entry_probe_uses_ftrace), \
	SELFTEST_CASE(entry_probe_sees_the_callers_flags), \
	SELFTEST_CASE(two_probes_share_an_address), \
	SELFTEST_CASE(rip_relative_call_and_jcc_probes_keep_results), \
	SELFTEST_CASE(boosted_probe_counts_without_a_trap_per_hit), \
	SELFTEST_CASE(walking_the_probes_changes_none), \
	SELFTEST_CASE(disable_and_enable), \
	SELFTEST_CASE(probe_on_a_faulting_load_keeps_the_fixup), \
	SELFTEST_CASE(bad_addresses_are_refused), \
	SELFTEST_CASE(slot_pages_come_back), \
	SELFTEST_CASE(hit_inside_a_handler_is_missed_not_fatal), \
	SELFTEST_CASE(pre_handler_changing_ip_skips_the_instruction), \
	SELFTEST_CASE(register_unregister_race_leaks_nothing), \

static const struct selftest_case kprobe_cases[] = {
	SELFTEST_CASE(optimization_forced_off),
	KPROBE_CASES
	SELFTEST_CASE(optimization_back_to_default),
};
SELFTEST_SUITE("kprobes", kprobe_cases);

static const struct selftest_case kprobe_opt_cases[] = {
	SELFTEST_CASE(optimization_forced_on),
	KPROBE_CASES
	SELFTEST_CASE(boosted_probe_is_jump_optimized),
	SELFTEST_CASE(optimization_back_to_default),
};
SELFTEST_SUITE("kprobes_optimized", kprobe_opt_cases);
