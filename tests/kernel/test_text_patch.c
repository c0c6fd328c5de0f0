// SPDX-License-Identifier: MIT
/*
 * Self-tests of the decoder on the live kernel and of live patching:
 * every function decodes from its start exactly to its end; text_poke
 * refuses what it must and keeps W^X; text_poke_bp survives a caller
 * running the patched function while the patch flips 10,000 times.
 */
#include <kernel/selftest.h>
#include <kernel/printk.h>
#include <kernel/kallsyms.h>
#include <kernel/mm/vmap.h>
#include <kernel/sched.h>
#include <kernel/wait.h>
#include <asm/insn.h>
#include <asm/pgtable.h>
#include <asm/ftrace.h>
#include <asm/text-patching.h>
#include <asm/sections.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/string.h>


static void every_function_decodes_to_its_end(struct selftest *t)
{
	unsigned long i, n = kallsyms_count(), funcs = 0, insns = 0, bad = 0;

	for (i = 0; i < n; i++) {
		struct ksym s;
		unsigned long pc;

		kallsyms_get(i, &s);
		if (!ksym_is_text(&s) || !s.size || s.addr < (unsigned long)__boot32_text_end ||
		    s.addr >= (unsigned long)__text_end)
			continue;
		funcs++;
		for (pc = s.addr; pc < s.addr + s.size; insns++) {
			struct insn in;
			size_t avail = (unsigned long)__text_end - pc;

			if (insn_decode(&in, (void *)pc, avail < INSN_MAX_LEN ? avail : INSN_MAX_LEN))
				break;
			pc += in.length;
		}
		if (pc != s.addr + s.size && bad++ < 5)
			selftest_fail(t, __FILE__, __LINE__, "%s: decoding stopped at +%#lx of %#lx",
				      s.name, pc - s.addr, s.size);
	}
	EXPECT_TRUE(t, funcs > 300);
	EXPECT_TRUE(t, insns > 10000);
	EXPECT_EQ(t, bad, 0);
}

static void text_poke_refuses_data_and_unmapped(struct selftest *t)
{
	static u8 data[8];
	u8 nop = 0x90;

	EXPECT_EQ(t, text_poke(data, &nop, 1), -EFAULT);
	EXPECT_EQ(t, text_poke((void *)0x1000, &nop, 1), -EFAULT);
	EXPECT_EQ(t, text_poke((void *)(EXEC_AREA_BASE + EXEC_AREA_SIZE - 1), &nop, 1), -EFAULT);
	EXPECT_EQ(t, text_poke((void *)every_function_decodes_to_its_end, &nop, 0), -EINVAL);
	EXPECT_EQ(t, text_poke_bp(data, x86_nop5, NOP5_INSN_SIZE), -EFAULT);
	/* A multi-byte instruction int3 cannot stand in for. */
	EXPECT_EQ(t, text_poke_bp((void *)every_function_decodes_to_its_end,
				  "\x48\x89\xe5", 3), -EINVAL);
}

static void text_poke_writes_exec_pages_and_keeps_wx(struct selftest *t)
{
	u8 *code = exec_pages_alloc(1);
	static const u8 ret42[] = { 0xb8, 42, 0, 0, 0, 0xc3 };	/* mov $42,%eax; ret */
	struct wx_report r;
	bool w, x;

	ASSERT_TRUE(t, code != NULL);
	/* A write crossing into a page that is not code is refused whole. */
	EXPECT_EQ(t, text_poke(code + PAGE_SIZE - 2, ret42, sizeof(ret42)), -EFAULT);
	EXPECT_EQ(t, text_poke(code, ret42, sizeof(ret42)), 0);
	EXPECT_EQ(t, ((int (*)(void))code)(), 42);
	ASSERT_TRUE(t, page_is_mapped((unsigned long)code, &w, &x));
	EXPECT_TRUE(t, !w && x);
	EXPECT_TRUE(t, !page_is_mapped(fix_to_virt(FIX_TEXT_POKE0), NULL, NULL));
	paging_check_wx(&r);
	EXPECT_EQ(t, r.wx_mappings, 0);
	exec_pages_free(code, 1);
}

/* The patch target: a traced function, so it starts with a 5-byte site. */
noinline int poke_target(int x)
{
	barrier();
	return 2 * x + 1;
}

struct poke_race {
	volatile bool stop;
	unsigned long calls, wrong;		/* the caller's */
	unsigned long ticker_calls, ticker_wrong;
	struct completion done, ticker_done;
};

static void call_poke_target(unsigned long *calls, unsigned long *wrong, int i)
{
	if (poke_target(i) != 2 * i + 1)
		(*wrong)++;
	(*calls)++;
}

/* Calls the target as fast as it can: meets every window on another CPU. */
static int poke_caller(void *arg)
{
	struct poke_race *r = arg;
	int i = 0;

	while (!r->stop) {
		call_poke_target(&r->calls, &r->wrong, i);
		i = (i + 1) & 0xffff;
	}
	return 0;
}

/*
 * Sleeps a millisecond and calls the target once. Its wake-up preempts
 * the patcher at whatever tick it comes, so on one CPU too a call lands
 * inside the breakpoint window now and then.
 */
static int poke_ticker(void *arg)
{
	struct poke_race *r = arg;
	int i = 0;

	while (!r->stop) {
		msleep(1);
		call_poke_target(&r->ticker_calls, &r->ticker_wrong, i++ & 0xffff);
	}
	return 0;
}

static struct task_struct *start_racer(int (*fn)(void *), struct poke_race *r,
				       struct completion *done, const char *name)
{
	struct task_struct *t = kthread_create(fn, r, name);

	if (t) {
		t->exit_done = done;
		wake_up_process(t);
	}
	return t;
}

static void text_poke_bp_flips_a_live_function(struct selftest *t)
{
	struct poke_race race = { .stop = false };
	long hits = atomic_long_read(&text_poke_int3_hits);
	u64 switches = sched_switch_count(0);
	u8 original[CALL_INSN_SIZE], call[CALL_INSN_SIZE];
	int i, err = 0;

	/* The fentry site: a NOP once ftrace is up, or still the call. */
	memcpy(original, (void *)poke_target, CALL_INSN_SIZE);
	ASSERT_TRUE(t, original[0] == CALL_INSN_OPCODE ||
		       !memcmp(original, x86_nop5, NOP5_INSN_SIZE));
	text_gen_insn(call, CALL_INSN_OPCODE, (unsigned long)poke_target, (unsigned long)__fentry__);
	init_completion(&race.done);
	init_completion(&race.ticker_done);
	ASSERT_TRUE(t, start_racer(poke_caller, &race, &race.done, "poke-caller") != NULL);
	if (!start_racer(poke_ticker, &race, &race.ticker_done, "poke-ticker")) {
		race.stop = true;
		wait_for_completion(&race.done);
		ASSERT_TRUE(t, false);
	}
	/*
	 * No yields: the patcher is preempted only where a tick or the
	 * ticker's wake-up finds it, often inside the breakpoint window. At
	 * least 2,000 flips (a few seconds under TCG), and more - up to
	 * 20,000 - until some call has met an int3.
	 */
	for (i = 0; !err && (i < 2000 || (atomic_long_read(&text_poke_int3_hits) == hits && i < 20000)); i++)
		err = text_poke_bp((void *)poke_target, (i & 1) ? x86_nop5 : call, CALL_INSN_SIZE);
	if (!err)
		err = text_poke_bp((void *)poke_target, original, CALL_INSN_SIZE);
	race.stop = true;
	wait_for_completion(&race.done);
	wait_for_completion(&race.ticker_done);
	EXPECT_EQ(t, err, 0);
	EXPECT_EQ(t, memcmp((void *)poke_target, original, CALL_INSN_SIZE), 0);
	EXPECT_TRUE(t, race.calls > 0 && race.ticker_calls > 0);
	EXPECT_EQ(t, race.wrong + race.ticker_wrong, 0);
	EXPECT_TRUE(t, atomic_long_read(&text_poke_int3_hits) > hits);	/* the emulation really ran */
	console_printf("        # %d flips, %lu calls, %ld sent on by the int3 handler, %llu switches\n",
		       i + 1, race.calls + race.ticker_calls, atomic_long_read(&text_poke_int3_hits) - hits,
		       (unsigned long long)(sched_switch_count(0) - switches));
}

static const struct selftest_case patch_cases[] = {
	SELFTEST_CASE(every_function_decodes_to_its_end),
	SELFTEST_CASE(text_poke_refuses_data_and_unmapped),
	SELFTEST_CASE(text_poke_writes_exec_pages_and_keeps_wx),
	SELFTEST_CASE(text_poke_bp_flips_a_live_function),
};
SELFTEST_SUITE("text_patch", patch_cases);
