// SPDX-License-Identifier: MIT
/*
 * Self-tests of the optimizer's wait for code that returns into text.
 *
 * A boosted probe's slot ends in a jmp back to the instruction after the
 * probe, and an optimized probe's detour in a jmp back past the bytes its
 * own jmp replaced. Both pages are preemptible, so a task may be preempted
 * there and resume long after its probe has gone. Writing another probe's
 * 5-byte jmp over the place such a task will jump back to would send it
 * into the middle of that jmp.
 *
 * A task cannot be parked inside a slot on demand, so these tests fake
 * the one fact the optimizer reads: a task whose saved preemption address
 * (task_struct.preempt_ip) is in the slot or detour. The task is a kernel
 * thread created but never started, so nothing else writes that field.
 * The optimizer thread must then hold back the jmp until the task is gone.
 */
#include <kernel/selftest.h>
#include <kernel/sched.h>
#include <trace/kprobes.h>
#include <trace/kprobes_arch.h>
#include <asm/insn.h>
#include <asm/text-patching.h>
#include <lib/compiler.h>

#define OPT_WAIT_MS	300	/* far longer than the optimizer needs */

static volatile int kr_sink;

noinline int kr_helper(int x)
{
	kr_sink = x;
	return x + 1;
}

/* Prologue push %rbp; mov %rsp,%rbp; push %rbx: a 1-, a 3- and a 1-byte
 * instruction, so a jmp at the push covers exactly the first three. */
noinline int kr_target(int x)
{
	int y = x * 7;

	y += kr_helper(x);
	return y + kr_helper(y);
}

static int fake_task_body(void *arg)
{
	(void)arg;
	return 0;
}

/* A task that looks preempted at @ip: created, never run until released. */
static struct task_struct *fake_preempted_at(unsigned long ip)
{
	struct task_struct *t = kthread_create(fake_task_body, NULL, "fake-preempted");

	if (t)
		t->preempt_ip = ip;
	return t;
}

static void release_fake(struct task_struct *t)
{
	t->preempt_ip = 0;
	wake_up_process(t);		/* runs its empty body and exits */
}

static unsigned insn_len_at(unsigned long addr)
{
	struct insn in;

	return insn_decode(&in, (const void *)addr, INSN_MAX_LEN) ? 0 : in.length;
}

/* The end of the whole instructions a jmp at @addr would replace. */
static unsigned long jmp_cover_end(unsigned long addr)
{
	unsigned long end = addr;

	while (end < addr + JMP32_INSN_SIZE) {
		unsigned len = insn_len_at(end);

		if (!len)
			return 0;
		end += len;
	}
	return end;
}

static bool optimized_at(unsigned long addr)
{
	return *(volatile u8 *)addr == JMP32_INSN_OPCODE;
}

/* Poll for the optimizer thread's jmp at @addr for up to @ms. */
static bool becomes_optimized(unsigned long addr, unsigned ms)
{
	unsigned i;

	for (i = 0; i < ms && !optimized_at(addr); i++)
		msleep(1);
	return optimized_at(addr);
}

static int nop_pre(struct kprobe *p, struct pt_regs *regs)
{
	(void)p;
	(void)regs;
	return 0;
}

/*
 * P, boosted, on the instruction after Q; a task preempted at the jmp of
 * P's slot (its copy already run). P goes, Q comes: Q's jmp would cover
 * the address that jmp returns to, so Q must wait for the task.
 */
static void optimizer_waits_for_a_task_in_a_dead_slot_that_returns_inside(struct selftest *t)
{
	unsigned long q = (unsigned long)kr_helper + CALL_INSN_SIZE, back;
	struct kprobe kp = { .addr = q + 1, .pre_handler = nop_pre };
	struct kprobe kq = { .addr = q, .pre_handler = nop_pre };
	struct task_struct *fake;

	ASSERT_EQ(t, *(u8 *)q, 0x55);			/* push %rbp: one byte */
	back = kp.addr + insn_len_at(kp.addr);		/* where P's slot returns */
	ASSERT_TRUE(t, back > q + 1 && back < jmp_cover_end(q));
	kprobes_set_optimize_sync(false);
	kprobes_set_optimization(false);		/* P stays boosted */
	ASSERT_EQ(t, register_kprobe(&kp), 0);
	fake = fake_preempted_at(kprobe_slot_address(&kp) + insn_len_at(kp.addr));
	ASSERT_TRUE(t, fake != NULL);
	unregister_kprobe(&kp);

	kprobes_set_optimization(true);
	EXPECT_EQ(t, register_kprobe(&kq), 0);		/* queued for the optimizer thread */
	msleep(OPT_WAIT_MS);
	EXPECT_TRUE(t, !optimized_at(q));		/* held back by the task */
	release_fake(fake);
	EXPECT_TRUE(t, becomes_optimized(q, 2000));	/* and done once it is gone */
	unregister_kprobe(&kq);
	EXPECT_EQ(t, *(u8 *)q, 0x55);
}

/*
 * R, optimized, at kr_target's push %rbp; a task preempted in R's detour,
 * which jumps back after push %rbx. Q on the mov after R takes R back to
 * an int3 and wants a jmp over mov; push %rbx; ... - which covers that
 * jump-back address, so Q must wait for the task.
 */
static void optimizer_waits_for_a_task_in_a_detour_that_returns_inside(struct selftest *t)
{
	unsigned long r = (unsigned long)kr_target + CALL_INSN_SIZE, back, q_end;
	struct kprobe kr = { .addr = r, .pre_handler = nop_pre };
	struct kprobe kq = { .addr = r + 1, .pre_handler = nop_pre };
	struct task_struct *fake;

	ASSERT_EQ(t, *(u8 *)r, 0x55);			/* push %rbp: one byte */
	q_end = jmp_cover_end(kq.addr);			/* decoded before R's jmp */
	kprobes_set_optimization(true);
	kprobes_set_optimize_sync(true);
	ASSERT_EQ(t, register_kprobe(&kr), 0);
	kprobes_set_optimize_sync(false);
	ASSERT_TRUE(t, optimized_at(r));
	back = r + kr.point->arch.opt_len;		/* where R's detour returns */
	ASSERT_TRUE(t, back > kq.addr && back < q_end);
	fake = fake_preempted_at((unsigned long)kr.point->arch.detour);
	ASSERT_TRUE(t, fake != NULL);

	EXPECT_EQ(t, register_kprobe(&kq), 0);		/* R back to int3, Q queued */
	msleep(OPT_WAIT_MS);
	EXPECT_TRUE(t, !optimized_at(kq.addr));		/* held back by the task */
	release_fake(fake);
	EXPECT_TRUE(t, becomes_optimized(kq.addr, 2000));
	unregister_kprobe(&kq);
	unregister_kprobe(&kr);
	EXPECT_EQ(t, kr_target(2), 14 + 3 + 18);
}

static const struct selftest_case kprobe_resume_cases[] = {
	SELFTEST_CASE(optimizer_waits_for_a_task_in_a_dead_slot_that_returns_inside),
	SELFTEST_CASE(optimizer_waits_for_a_task_in_a_detour_that_returns_inside),
};
SELFTEST_SUITE("kprobe_resume", kprobe_resume_cases);
